#include <doctest/doctest.h>

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <filesystem>
#include <system_error>
#include <thread>

#include "protocol/framing.h"
#include "tools/replay/child_process.h"
#include "tools/replay/record_proxy.h"
#include "tools/replay/session.h"

namespace perfectex::replay {
namespace {

struct Pipe {
  int fds[2] = {-1, -1};
  Pipe() { REQUIRE(::pipe2(fds, O_CLOEXEC) == 0); }
  ~Pipe() {
    close_read();
    close_write();
  }
  void close_read() {
    if (fds[0] >= 0) ::close(fds[0]);
    fds[0] = -1;
  }
  void close_write() {
    if (fds[1] >= 0) ::close(fds[1]);
    fds[1] = -1;
  }
};

std::string read_all(int fd) {
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;)
    out.append(buf, static_cast<std::size_t>(n));
  return out;
}

}  // namespace

TEST_CASE("the recorder forwards bytes unchanged through a real child and logs each message once") {
  // Frames of every shape the decoder accepts, a body that is not JSON, multi-byte UTF-8, and a
  // large body that fills the pipes several times over.
  std::string input;
  protocol::append_frame(input, R"({"jsonrpc":"2.0","id":1,"method":"initialize","params":{}})");
  const std::string unicode_body = R"({"jsonrpc":"2.0","method":"x","params":{"t":"é€"}})";
  input += "Content-Length: " + std::to_string(unicode_body.size()) +
           "\nContent-Type: application/vscode-jsonrpc; charset=utf-8\n\n" + unicode_body;
  protocol::append_frame(input, "not json at all");
  protocol::append_frame(input, R"({"jsonrpc":"2.0","method":"big","params":{"text":")" +
                                    std::string(300'000, 'a') + "\"}}");
  protocol::append_frame(input, R"({"jsonrpc":"2.0","method":"exit"})");
  input += "Content-Length: 10\r\n\r\n{\"partial";  // the stream ends inside a message

  const auto path = (std::filesystem::temp_directory_path() / "replay_record_test.jsonl").string();
  Pipe to_proxy;
  Pipe from_proxy;
  RecordOptions options;
  options.command = {"cat"};
  options.out_path = path;
  options.client_in = to_proxy.fds[0];
  options.client_out = from_proxy.fds[1];
  int status = -1;
  std::thread proxy([&] { status = run_record_proxy(options); });
  std::thread feeder([&] {
    write_all(to_proxy.fds[1], input.data(), input.size());
    to_proxy.close_write();
  });
  std::string output;
  std::thread drain([&] { output = read_all(from_proxy.fds[0]); });
  feeder.join();
  proxy.join();
  from_proxy.close_write();
  drain.join();

  CHECK(status == 0);
  CHECK(output.size() == input.size());
  CHECK(output == input);

  const Session session = read_session(path);
  std::filesystem::remove(path);
  CHECK(session.header["source"] == "record");
  CHECK(session.header["command"] == json::array({"cat"}));
  std::size_t client = 0;
  std::size_t server = 0;
  std::int64_t last_client = 0;
  for (const auto& e : session.entries) {
    if (e.from == Sender::Client) {
      ++client;
      CHECK(e.t_us >= last_client);
      last_client = e.t_us;
    } else {
      ++server;
    }
  }
  CHECK(client == 6);  // five messages and the note about the truncated one
  CHECK(server == 6);  // cat sends the same bytes back
  const auto first = std::find_if(session.entries.begin(), session.entries.end(),
                                  [](const SessionEntry& e) { return e.from == Sender::Client; });
  CHECK(first->msg["method"] == "initialize");
  const auto raw = std::find_if(session.entries.begin(), session.entries.end(),
                                [](const SessionEntry& e) { return !e.raw.empty(); });
  REQUIRE(raw != session.entries.end());
  CHECK(raw->raw == "not json at all");
  bool unicode = false;
  bool truncated = false;
  for (const auto& e : session.entries) {
    if (e.msg.is_object() && e.msg.value("method", "") == "x")
      unicode = e.msg["params"]["t"] == "é€";
    if (e.frame_error.find("ended inside a message") != std::string::npos) truncated = true;
  }
  CHECK(unicode);
  CHECK(truncated);
}

TEST_CASE("the recorder returns the server's exit status and fails clearly without a server") {
  const auto path =
      (std::filesystem::temp_directory_path() / "replay_record_status.jsonl").string();
  Pipe in;
  Pipe out;
  in.close_write();
  RecordOptions options;
  options.command = {"sh", "-c", "exit 3"};
  options.out_path = path;
  options.client_in = in.fds[0];
  options.client_out = out.fds[1];
  CHECK(run_record_proxy(options) == 3);
  options.command = {"/nonexistent/server"};
  CHECK_THROWS_AS(run_record_proxy(options), std::system_error);
  options.out_path = "/nonexistent/dir/s.jsonl";
  CHECK_THROWS_AS(run_record_proxy(options), SessionError);
  std::filesystem::remove(path);
}

TEST_CASE("child processes: exit status, signals, missing programs") {
  auto ok = ChildProcess::spawn({{"sh", "-c", "read x; echo \"got $x\"; exit 4"}, true, true, {}});
  const std::string line = "hello\n";
  REQUIRE(write_all(ok.stdin_fd(), line.data(), line.size()));
  ok.close_stdin();
  CHECK(read_all(ok.stdout_fd()) == "got hello\n");
  CHECK(ok.wait() == 4);
  auto sleeper = ChildProcess::spawn({{"sleep", "30"}, true, true, {}});
  CHECK_FALSE(sleeper.wait_for(std::chrono::milliseconds(20)).has_value());
  CHECK(sleeper.stop(std::chrono::milliseconds(50)) == 128 + SIGTERM);
  CHECK_THROWS_AS(ChildProcess::spawn({{"perfectex-replay-no-such-program"}, true, true, {}}),
                  std::system_error);
  const auto log = (std::filesystem::temp_directory_path() / "replay_child_stderr.txt").string();
  auto noisy = ChildProcess::spawn({{"sh", "-c", "echo oops >&2"}, false, false, log});
  CHECK(noisy.wait() == 0);
  std::filesystem::remove(log);
  CHECK(decode_wait_status(0) == 0);
}

}  // namespace perfectex::replay
