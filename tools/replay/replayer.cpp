#include "tools/replay/replayer.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <set>
#include <system_error>
#include <thread>

#include "protocol/framing.h"
#include "protocol/jsonrpc.h"
#include "protocol/message_scan.h"
#include "tools/replay/matcher.h"
#include "tools/replay/message_rewriter.h"
#include "tools/replay/progress_bar.h"
#include "tools/replay/session_plan.h"

namespace perfectex::replay {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

class Replayer {
 public:
  Replayer(const Session& session, const ServerEndpoint& endpoint, const ReplayOptions& options)
      : session_(session),
        endpoint_(endpoint),
        options_(options),
        plan_(plan_session(session)),
        progress_(options.progress, "replay") {}

  RunResult run();

 private:
  std::int64_t now_ns() const {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - start_).count();
  }
  bool gone() const { return server_closed_ || write_failed_; }  // under mu_
  void expire() { matcher_.expire(now_ns(), options_.timeout_ms * 1'000'000); }

  void writer_loop();
  void reader_loop();
  /// Applies one message from the server (whole: its parsed JSON when it was needed); under mu_.
  void apply(const protocol::MessageSummary& message, json whole, std::int64_t t_ns);

  void enqueue(Outgoing out);
  bool wait_idle();
  void wait_until(Clock::time_point target);
  std::optional<json> wait_capture(std::int64_t id, milliseconds timeout);
  void send(const PlannedMessage& planned, std::uint32_t pass);
  void run_phase(const std::vector<PlannedMessage>& messages, std::uint32_t pass);
  void close_open_documents(std::uint32_t pass);
  void query_stats(RunResult& result);
  void finish_connection(RunResult& result);
  void drive(RunResult& result);
  void show_progress(std::uint32_t pass);

  const Session& session_;
  const ServerEndpoint& endpoint_;
  const ReplayOptions& options_;
  SessionPlan plan_;
  ProgressBar progress_;
  std::unique_ptr<ServerConnection> connection_;
  Clock::time_point start_;
  int wake_[2] = {-1, -1};

  // Shared between the three threads, under mu_.
  std::mutex mu_;
  std::condition_variable writer_cv_;
  std::condition_variable state_cv_;
  std::deque<Outgoing> queue_;
  bool writer_busy_ = false;
  bool stop_writer_ = false;
  bool server_closed_ = false;
  bool write_failed_ = false;
  Matcher matcher_;
  std::set<std::int64_t> capture_;  ///< replies to keep whole (initialize, shutdown, stats)
  std::set<std::int64_t> probes_;   ///< our own requests, kept out of the matcher
  std::map<std::int64_t, json> captured_;
  std::map<std::string, std::uint64_t> server_requests_;
  std::map<std::string, std::uint64_t> server_notifications_;
  std::uint64_t frame_errors_ = 0;

  // The driver's own state (calling thread only).
  MessageRewriter rewriter_;
  json server_info_;
  Clock::time_point previous_send_;
  std::int64_t previous_t_us_ = 0;
  std::uint64_t sent_ = 0;
  std::uint64_t unsent_ = 0;  ///< session messages not sent because the server was gone
  std::uint64_t planned_total_ = 0;
};

void Replayer::writer_loop() {
  std::unique_lock lock(mu_);
  for (;;) {
    writer_cv_.wait(lock, [&] { return stop_writer_ || !queue_.empty(); });
    if (queue_.empty()) return;
    Outgoing out = std::move(queue_.front());
    queue_.pop_front();
    if (write_failed_) continue;
    writer_busy_ = true;
    const std::int64_t t = now_ns();
    switch (out.kind) {
      case OutKind::Request:
        matcher_.on_request_sent(out.id, out.method, t, out.pass);
        break;
      case OutKind::Edit:
        matcher_.on_edit_sent(out.uri, out.version, out.edit, t, out.pass);
        break;
      case OutKind::Cancel:
        matcher_.on_cancel_sent(out.id);
        break;
      case OutKind::Close:
        matcher_.on_close_sent(out.uri);
        break;
      case OutKind::Plain:
      case OutKind::Probe:
        break;
    }
    lock.unlock();
    const bool ok = write_all(connection_->write_fd(), out.frame.data(), out.frame.size());
    lock.lock();
    writer_busy_ = false;
    if (!ok) write_failed_ = true;
    state_cv_.notify_all();
  }
}

void Replayer::reader_loop() {
  protocol::FrameDecoder decoder;
  std::string buffer(1 << 16, '\0');
  const int fd = connection_->read_fd();
  for (;;) {
    pollfd fds[2] = {{fd, POLLIN, 0}, {wake_[0], POLLIN, 0}};
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if ((fds[1].revents & POLLIN) != 0) break;
    const ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    // The arrival time of every message completed by this read: before any parsing.
    const std::int64_t t = now_ns();
    decoder.feed(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
    for (auto event = decoder.next(); event.status != protocol::FrameStatus::NeedMore;
         event = decoder.next()) {
      if (event.status == protocol::FrameStatus::Error) {
        std::lock_guard lock(mu_);
        ++frame_errors_;
        continue;
      }
      // Parsing happens outside the lock, so the writer is never kept waiting by a large publish.
      const protocol::MessageSummary message = protocol::scan_message(event.body);
      json whole;
      bool wanted = message.kind == protocol::MessageKind::Request;
      if (message.kind == protocol::MessageKind::Response && message.id) {
        std::lock_guard lock(mu_);
        wanted = capture_.count(*message.id) != 0;
      }
      if (wanted) whole = json::parse(event.body, nullptr, /*allow_exceptions=*/false);
      std::lock_guard lock(mu_);
      apply(message, std::move(whole), t);
    }
    state_cv_.notify_all();
  }
  std::lock_guard lock(mu_);
  if (decoder.buffered() > 0) ++frame_errors_;  // the stream ended inside a message
  server_closed_ = true;
  state_cv_.notify_all();
}

void Replayer::apply(const protocol::MessageSummary& message, json whole, std::int64_t t_ns) {
  switch (message.kind) {
    case protocol::MessageKind::Response: {
      if (!whole.is_discarded() && !whole.is_null()) captured_[*message.id] = std::move(whole);
      if (message.id && probes_.erase(*message.id) != 0) return;
      std::optional<int> code;
      if (message.has_error) code = message.error_code;
      matcher_.on_reply(message.id, code, message.error_message, t_ns);
      return;
    }
    case protocol::MessageKind::Notification:
      ++server_notifications_[message.method];
      if (message.method == "textDocument/publishDiagnostics") {
        matcher_.on_publish(message.uri, message.version, t_ns);
      }
      return;
    case protocol::MessageKind::Request: {
      ++server_requests_[message.method];
      const json params = whole.is_object() ? whole.value("params", json(nullptr)) : json(nullptr);
      const json id = whole.is_object() ? whole.value("id", json(nullptr)) : json(nullptr);
      Outgoing out;
      out.frame =
          protocol::encode_frame(protocol::dump_json(client_reply(message.method, params, id)));
      queue_.push_back(std::move(out));
      writer_cv_.notify_one();
      return;
    }
    case protocol::MessageKind::Invalid:
      ++frame_errors_;
      return;
  }
}

void Replayer::enqueue(Outgoing out) {
  std::lock_guard lock(mu_);
  queue_.push_back(std::move(out));
  writer_cv_.notify_one();
}

// Waits until everything sent is answered (or declared lost); false when the server is gone.
bool Replayer::wait_idle() {
  std::unique_lock lock(mu_);
  for (;;) {
    expire();
    if (gone()) return false;
    if (queue_.empty() && !writer_busy_ && matcher_.pending() == 0) return true;
    state_cv_.wait_for(lock, milliseconds(20));
  }
}

void Replayer::wait_until(Clock::time_point target) {
  std::unique_lock lock(mu_);
  for (auto now = Clock::now(); now < target && !gone(); now = Clock::now()) {
    state_cv_.wait_until(lock, std::min(target, now + milliseconds(50)));
    expire();
  }
}

std::optional<json> Replayer::wait_capture(std::int64_t id, milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  std::unique_lock lock(mu_);
  for (;;) {
    if (auto it = captured_.find(id); it != captured_.end()) return it->second;
    if (gone() || Clock::now() >= deadline) return std::nullopt;
    state_cv_.wait_for(lock, milliseconds(20));
    expire();
  }
}

void Replayer::send(const PlannedMessage& planned, std::uint32_t pass) {
  if (options_.pace == Pace::Fast) {
    wait_idle();
  } else {
    std::int64_t gap_us = std::max<std::int64_t>(0, planned.t_us - previous_t_us_);
    if (options_.max_gap_ms > 0) gap_us = std::min(gap_us, options_.max_gap_ms * 1000);
    const auto gap =
        std::chrono::duration<double, std::micro>(static_cast<double>(gap_us) / options_.speed);
    wait_until(previous_send_ + std::chrono::duration_cast<Clock::duration>(gap));
  }
  previous_t_us_ = planned.t_us;

  std::optional<Outgoing> out = rewriter_.rewrite(planned.msg, pass);
  if (!out) return;
  // initialize and shutdown are barriers, as in an editor; initialize also tells what to skip.
  const bool barrier =
      out->kind == OutKind::Request && (out->method == "initialize" || out->method == "shutdown");
  const std::string method = out->method;
  const std::int64_t id = out->id;
  if (barrier) {
    std::lock_guard lock(mu_);
    capture_.insert(id);
  }
  enqueue(std::move(*out));
  previous_send_ = Clock::now();
  if (!barrier) return;
  auto reply = wait_capture(id, milliseconds(options_.timeout_ms));
  if (method == "initialize" && reply && reply->contains("result") &&
      (*reply)["result"].is_object()) {
    const json& result = (*reply)["result"];
    if (options_.skip_unsupported) {
      rewriter_.set_capabilities(result.value("capabilities", json::object()));
    }
    server_info_ = result.value("serverInfo", json(nullptr));
  }
}

void Replayer::run_phase(const std::vector<PlannedMessage>& messages, std::uint32_t pass) {
  if (messages.empty()) return;
  // Gaps carry over from one phase to the next; a repeated body starts at once.
  if (messages.front().t_us < previous_t_us_ || sent_ == 0) previous_t_us_ = messages.front().t_us;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    {
      std::lock_guard lock(mu_);
      if (gone()) {
        unsent_ += messages.size() - i;
        return;
      }
    }
    send(messages[i], pass);
    show_progress(pass);
  }
}

void Replayer::show_progress(std::uint32_t pass) {
  ++sent_;
  const std::string note = "pass " + std::to_string(pass + 1);
  if (options_.duration_s > 0) {
    const auto elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
    progress_.update(static_cast<std::uint64_t>(elapsed),
                     static_cast<std::uint64_t>(options_.duration_s), note + " (seconds)");
  } else {
    progress_.update(sent_, planned_total_, note);
  }
}

// Between passes: close what the pass left open, so the next pass opens it afresh.
void Replayer::close_open_documents(std::uint32_t pass) {
  for (const auto& uri : rewriter_.take_open_documents()) enqueue(rewriter_.close(uri, pass));
}

void Replayer::query_stats(RunResult& result) {
  Outgoing out = rewriter_.probe("perfectex/stats");
  const std::int64_t id = out.id;
  {
    std::lock_guard lock(mu_);
    probes_.insert(id);
    capture_.insert(id);
  }
  enqueue(std::move(out));
  auto reply = wait_capture(id, milliseconds(std::min<std::int64_t>(options_.timeout_ms, 5000)));
  if (reply && reply->contains("result") && (*reply)["result"].is_object()) {
    result.server_stats = (*reply)["result"];
    for (const char* key : {"tokens", "last_token_count"}) {
      const json& stats = result.server_stats;
      if (!result.tokens && stats.contains(key) && stats[key].is_number_unsigned()) {
        result.tokens = stats[key].get<std::uint64_t>();
      }
    }
  }
}

void Replayer::finish_connection(RunResult& result) {
  result.server_exit = connection_->finish(milliseconds(5000));
  std::unique_lock lock(mu_);
  // Let the reader see end-of-stream by itself (it may still be reading the last messages).
  state_cv_.wait_for(lock, milliseconds(2000), [&] { return server_closed_; });
}

RunResult Replayer::run() {
  ::signal(SIGPIPE, SIG_IGN);
  connection_ = ServerConnection::open(endpoint_);
  if (::pipe2(wake_, O_CLOEXEC) != 0)
    throw std::system_error(errno, std::generic_category(), "pipe");
  start_ = Clock::now();
  previous_send_ = start_;
  std::thread writer([this] { writer_loop(); });
  std::thread reader([this] { reader_loop(); });

  RunResult result;
  std::exception_ptr failure;
  try {
    drive(result);
  } catch (...) {
    failure = std::current_exception();
  }
  finish_connection(result);
  const char byte = 1;
  write_all(wake_[1], &byte, 1);
  reader.join();
  {
    std::lock_guard lock(mu_);
    stop_writer_ = true;
    writer_cv_.notify_all();
  }
  writer.join();
  progress_.finish();
  ::close(wake_[0]);
  ::close(wake_[1]);
  if (failure) std::rethrow_exception(failure);

  matcher_.finish();
  result.set_tally(matcher_.take_tally());
  result.warmup = options_.warmup;
  result.pace = options_.pace == Pace::Fast ? "fast" : "recorded";
  result.speed = options_.speed;
  result.wall_s = std::chrono::duration<double>(Clock::now() - start_).count();
  result.frame_errors = frame_errors_;
  result.unsent = unsent_;
  result.skipped_requests = rewriter_.skipped();
  result.server_requests = server_requests_;
  result.server_notifications = server_notifications_;
  result.bytes = plan_.document_bytes;
  const json file = session_.header.value("file", json(nullptr));
  result.corpus = file.is_string() ? file.get<std::string>() : plan_.document_uri;
  if (!endpoint_.connect.empty()) {
    result.server["connect"] = endpoint_.connect;
  } else {
    result.server["command"] = endpoint_.command;
  }
  if (server_info_.is_object()) {
    result.server["name"] = server_info_.value("name", "");
    result.server["version"] = server_info_.value("version", "");
  }
  return result;
}

// The calling thread's part: prologue, passes, the server's counters and memory, epilogue.
void Replayer::drive(RunResult& result) {
  const std::optional<pid_t> pid = connection_->pid() ? connection_->pid() : options_.server_pid;
  planned_total_ =
      plan_.prologue.size() + plan_.epilogue.size() +
      static_cast<std::uint64_t>(options_.warmup + options_.iterations) * plan_.body.size();
  run_phase(plan_.prologue, 0);
  std::uint32_t passes = 0;
  for (std::uint32_t pass = 0;; ++pass) {
    const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
    if (options_.duration_s > 0 && !plan_.body.empty()) {
      if (pass > options_.warmup && elapsed >= options_.duration_s) break;
    } else if (pass >= options_.warmup + options_.iterations) {
      break;
    }
    run_phase(plan_.body, pass);
    const bool alive = wait_idle();
    close_open_documents(pass);
    if (pass + 1 == options_.warmup) {
      std::lock_guard lock(mu_);
      Tally warm = matcher_.take_tally();
      result.warmup_lost = warm.total_lost();
      result.warmup_errors = warm.total_errors();
    } else if (pass >= options_.warmup) {
      ++passes;
      if (pid) {
        if (auto memory = read_proc_memory(*pid)) {
          result.rss.push_back({std::chrono::duration<double>(Clock::now() - start_).count(),
                                memory->rss_bytes, pass});
        }
      }
    }
    if (!alive) {
      if (options_.duration_s <= 0 && pass + 1 < options_.warmup + options_.iterations) {
        unsent_ += (options_.warmup + options_.iterations - pass - 1) * plan_.body.size();
      }
      break;
    }
  }
  result.passes = passes;
  wait_idle();
  if (options_.query_stats) query_stats(result);
  if (pid) result.memory = read_proc_memory(*pid);

  std::vector<PlannedMessage> epilogue = plan_.epilogue;
  if (epilogue.empty()) {
    const std::int64_t t = plan_.body.empty() ? 0 : plan_.body.back().t_us;
    epilogue.push_back(
        {t, json{{"jsonrpc", "2.0"}, {"id", "replay-shutdown"}, {"method", "shutdown"}}});
    epilogue.push_back({t, json{{"jsonrpc", "2.0"}, {"method", "exit"}}});
  }
  run_phase(epilogue, passes == 0 ? 0 : options_.warmup + passes - 1);
  // Let the writer put `exit` on the wire before the connection closes.
  std::unique_lock lock(mu_);
  state_cv_.wait_for(lock, milliseconds(options_.timeout_ms),
                     [&] { return gone() || (queue_.empty() && !writer_busy_); });
}

}  // namespace

RunResult replay_session(const Session& session, const ServerEndpoint& endpoint,
                         const ReplayOptions& options) {
  Replayer replayer(session, endpoint, options);
  return replayer.run();
}

}  // namespace perfectex::replay
