#include "tools/replay/record_proxy.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <mutex>
#include <optional>
#include <system_error>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdio>
#include <fstream>
#include <stdexcept>

#include "protocol/framing.h"
#include "protocol/jsonrpc.h"
#include "protocol/utf8.h"
#include "tools/replay/child_process.h"
#include "tools/replay/session.h"
#include "tools/replay/text_format.h"

namespace perfectex::replay {
namespace {

using Clock = std::chrono::steady_clock;

// The session file shared by both directions; entries are written under one lock.
class Log {
 public:
  Log(const std::string& path, const json& header) : writer_(path, header), start_(Clock::now()) {}

  std::int64_t now_us() const {
    return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start_).count();
  }

  void frames(Sender from, std::int64_t t_us, protocol::FrameDecoder& decoder) {
    std::lock_guard lock(mu_);
    for (auto event = decoder.next(); event.status != protocol::FrameStatus::NeedMore;
         event = decoder.next()) {
      SessionEntry entry{t_us, from, nullptr, {}, {}};
      if (event.status == protocol::FrameStatus::Error) {
        entry.frame_error = event.error;
      } else {
        entry.msg = json::parse(event.body, nullptr, /*allow_exceptions=*/false);
        if (entry.msg.is_discarded() || !entry.msg.is_object()) {
          entry.msg = nullptr;
          entry.raw = protocol::sanitize_utf8(event.body);
        }
      }
      if (!failed_) writer_.write(entry);
    }
    flush();
  }

  void note_error(Sender from, std::string what) {
    std::lock_guard lock(mu_);
    if (!failed_) writer_.write(SessionEntry{now_us(), from, nullptr, {}, std::move(what)});
    flush();
  }

 private:
  // A log that cannot be written (disk full) must not take the editor's server down with it:
  // say so once and keep forwarding. Called under mu_.
  void flush() {
    if (failed_) return;
    try {
      writer_.flush();
    } catch (const SessionError& e) {
      failed_ = true;
      std::fprintf(stderr, "perfectex-replay record: %s; forwarding goes on, recording stopped\n",
                   e.what());
    }
  }

  bool failed_ = false;
  std::mutex mu_;
  SessionWriter writer_;
  Clock::time_point start_;
};

// Copies src to dst until src ends (or wake_fd becomes readable), logging each message.
void pump(int src, int dst, int wake_fd, Sender from, Log& log) {
  protocol::FrameDecoder decoder;
  std::string buffer(1 << 16, '\0');
  bool forwarding = true;
  for (;;) {
    pollfd fds[2] = {{src, POLLIN, 0}, {wake_fd, POLLIN, 0}};
    const int ready = ::poll(fds, wake_fd >= 0 ? 2 : 1, -1);
    if (ready < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (wake_fd >= 0 && (fds[1].revents & POLLIN) != 0) break;
    const ssize_t n = ::read(src, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    const std::int64_t t_us = log.now_us();
    // Forward first, so logging never delays the bytes.
    if (forwarding && !write_all(dst, buffer.data(), static_cast<std::size_t>(n))) {
      forwarding = false;
      log.note_error(from, "the reader of this direction went away; later bytes are logged only");
    }
    decoder.feed(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
    log.frames(from, t_us, decoder);
  }
  if (decoder.buffered() > 0) {
    log.note_error(from, "stream ended inside a message (" + std::to_string(decoder.buffered()) +
                             " bytes not logged)");
  }
}

// Listens on "[host:]port", tells the port (stderr and port_file), accepts one client: its fd.
int accept_client(const RecordOptions& options) {
  namespace ip = boost::asio::ip;
  const auto colon = options.listen.rfind(':');
  const std::string host =
      colon == std::string::npos ? "127.0.0.1" : options.listen.substr(0, colon);
  const std::string port =
      colon == std::string::npos ? options.listen : options.listen.substr(colon + 1);
  boost::asio::io_context io;
  boost::system::error_code ec;
  ip::tcp::resolver resolver(io);
  auto endpoints = resolver.resolve(host, port, ip::resolver_base::passive, ec);
  if (ec || endpoints.empty())
    throw std::runtime_error("cannot listen on '" + options.listen + "'");
  ip::tcp::acceptor acceptor(io, endpoints.begin()->endpoint());
  const unsigned short bound = acceptor.local_endpoint().port();
  std::fprintf(stderr, "perfectex-replay record: listening on %s:%u\n", host.c_str(), bound);
  if (!options.port_file.empty()) {
    std::ofstream(options.port_file) << bound << '\n';
  }
  ip::tcp::socket socket(io);
  acceptor.accept(socket, ec);
  if (!ec) socket.set_option(ip::tcp::no_delay(true), ec);
  if (ec) throw std::runtime_error("accept on port " + std::to_string(bound) + ": " + ec.message());
  return socket.release();
}

}  // namespace

int run_record_proxy(const RecordOptions& options) {
  json header = make_session_header("record");
  header["command"] = options.command;
  header["recorded_at"] = utc_now_iso();
  Log log(options.out_path, header);
  int client_in = options.client_in;
  int client_out = options.client_out;
  int client_socket = -1;
  if (!options.listen.empty()) {
    client_socket = accept_client(options);
    client_in = client_out = client_socket;
  }
  struct SocketCloser {
    int fd;
    ~SocketCloser() {
      if (fd >= 0) ::close(fd);
    }
  } socket_closer{client_socket};

  ::signal(SIGPIPE, SIG_IGN);
  // Block the signals we forward in every thread; one thread takes them with sigtimedwait.
  sigset_t forwarded;
  sigemptyset(&forwarded);
  for (int s : {SIGINT, SIGTERM, SIGHUP}) sigaddset(&forwarded, s);
  sigset_t old_mask;
  pthread_sigmask(SIG_BLOCK, &forwarded, &old_mask);

  std::optional<ChildProcess> spawned;
  try {
    spawned.emplace(ChildProcess::spawn({options.command, true, true, {}}));
  } catch (...) {
    pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
    throw;
  }
  ChildProcess& child = *spawned;

  int wake[2] = {-1, -1};
  if (::pipe2(wake, O_CLOEXEC) != 0) {
    pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
    throw std::system_error(errno, std::generic_category(), "pipe");
  }

  std::atomic<bool> done{false};
  std::thread signals([&] {
    const timespec tick{0, 100'000'000};
    while (!done.load()) {
      const int s = ::sigtimedwait(&forwarded, nullptr, &tick);
      if (s > 0) child.send_signal(s);
    }
  });
  std::thread from_client([&] {
    pump(client_in, child.stdin_fd(), wake[0], Sender::Client, log);
    child.close_stdin();  // the editor is gone: the server reads end-of-file
  });
  pump(child.stdout_fd(), client_out, -1, Sender::Server, log);

  // The server closed its output: stop reading the editor, then collect the server's status.
  const char byte = 1;
  write_all(wake[1], &byte, 1);
  from_client.join();
  const int status = child.stop(std::chrono::seconds(5));
  done.store(true);
  signals.join();
  ::close(wake[0]);
  ::close(wake[1]);
  pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  return status;
}

}  // namespace perfectex::replay
