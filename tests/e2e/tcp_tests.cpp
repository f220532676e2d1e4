// The real binary serving TCP: two clients at once with their own documents, a client that
// disconnects in the middle of a message, refusal of non-loopback addresses, graceful SIGTERM.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <thread>

#include "child_process.h"
#include "lsp_session.h"

using namespace perfectex;
using namespace std::chrono_literals;
using testing::json;
using testing::notification;
using testing::request;

namespace {

class TcpServerProcess {
 public:
  explicit TcpServerProcess(std::vector<std::string> extra = {})
      : child_(with(extra, {PERFECTEX_BINARY, "serve", "--tcp", "127.0.0.1:0"})) {
    std::string log = child_.wait_for_stderr("serving LSP on tcp", 20s);
    port = port_after(log, "on tcp 127.0.0.1:");
    REQUIRE_MESSAGE(port != 0, log);
  }
  std::string log() { return child_.drain_stderr(); }
  void signal(int signo) { child_.signal(signo); }
  std::optional<int> wait(std::chrono::milliseconds t) { return child_.wait(t); }
  unsigned short port = 0;

  /// The port number written right after marker in a log, 0 when there is none.
  static unsigned short port_after(const std::string& log, std::string_view marker) {
    std::size_t at = log.find(marker);
    if (at == std::string::npos) return 0;
    at += marker.size();
    std::size_t end = log.find_first_not_of("0123456789", at);
    return end == at ? 0 : static_cast<unsigned short>(std::stoi(log.substr(at, end - at)));
  }

 private:
  static std::vector<std::string> with(const std::vector<std::string>& extra,
                                       std::vector<std::string> base) {
    base.insert(base.end(), extra.begin(), extra.end());
    return base;
  }
  testing::ChildProcess child_;
};

class Socket {
 public:
  explicit Socket(unsigned short port) : fd_(socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  }
  ~Socket() { close_now(); }
  void close_now() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  void write(std::string_view bytes) {
    while (!bytes.empty()) {
      ssize_t n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      REQUIRE(n > 0);
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
  }
  std::string read_some(std::chrono::milliseconds timeout) {
    pollfd p{fd_, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return {};
    char buffer[65536];
    ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    return n > 0 ? std::string(buffer, static_cast<std::size_t>(n)) : std::string();
  }

 private:
  int fd_;
};

struct TcpClient : testing::LspSession {
  TcpClient(TcpServerProcess& server)
      : LspSession([this](std::string_view b) { socket.write(b); },
                   [this](std::chrono::milliseconds t) { return socket.read_some(t); },
                   [&server] { return server.log(); }),
        socket(server.port) {}
  void initialize() {
    send(request(1, "initialize", {{"capabilities", json::object()}}));
    CHECK(reply(1)["result"]["serverInfo"]["name"] == "perfectex");
    send(notification("initialized", json::object()));
  }
  void open(const std::string& uri, const std::string& text) {
    send(notification("textDocument/didOpen",
                      {{"textDocument",
                        {{"uri", uri}, {"languageId", "latex"}, {"version", 1}, {"text", text}}}}));
  }
  Socket socket;
};

}  // namespace

TEST_CASE("tcp: two clients at once, each with its own documents") {
  TcpServerProcess server;
  TcpClient a(server), b(server);
  a.initialize();
  b.initialize();
  // The same URI in both sessions holds different text: sessions do not share documents.
  a.open("file:///same.tex", "a } b");
  b.open("file:///same.tex", "$x");
  json pa = a.publish("file:///same.tex", 1);
  json pb = b.publish("file:///same.tex", 1);
  REQUIRE(pa["diagnostics"].size() == 1);
  REQUIRE(pb["diagnostics"].size() == 1);
  CHECK(pa["diagnostics"][0]["code"] == "unmatched-close-brace");
  CHECK(pb["diagnostics"][0]["code"] == "unclosed-math");
  // The figures are the process's: both sessions' documents count.
  a.send(request(2, "perfectex/stats", nullptr));
  CHECK(a.reply(2)["result"]["documents"] == 2);
  a.send(request(3, "shutdown", nullptr));
  a.reply(3);
  a.send(notification("exit", nullptr));
  // b's session goes on after a's has ended, and a's document is gone with it.
  int documents = 2;
  for (int id = 4; id < 200 && documents != 1; ++id) {
    b.send(request(id, "perfectex/stats", nullptr));
    documents = b.reply(id)["result"]["documents"].get<int>();
  }
  CHECK(documents == 1);
}

TEST_CASE("tcp: a client that disconnects in the middle of a message does not disturb another") {
  TcpServerProcess server;
  TcpClient steady(server);
  steady.initialize();
  {
    Socket rude(server.port);
    rude.write("Content-Length: 500\r\n\r\n{\"jsonrpc\":\"2.0\",\"id\":1,\"meth");
    rude.close_now();
  }
  steady.open("file:///ok.tex", "\\begin{itemize}");
  json p = steady.publish("file:///ok.tex", 1);
  REQUIRE(p["diagnostics"].size() == 1);
  CHECK(p["diagnostics"][0]["code"] == "unclosed-environment");
  steady.send_raw("Content-Length: 3\r\n\r\n{{{");
  CHECK(steady.expect([](const json& m) { return m.contains("error"); })["error"]["code"] ==
        -32700);
  steady.send(request(7, "perfectex/stats", nullptr));
  CHECK(steady.reply(7)["result"]["documents"] == 1);
}

TEST_CASE("tcp: SIGTERM finishes gracefully with exit code 0") {
  TcpServerProcess server;
  TcpClient client(server);
  client.initialize();
  server.signal(SIGTERM);
  CHECK(server.wait(10s) == 0);
  CHECK(server.log().find("finishing replies in flight") != std::string::npos);
}

TEST_CASE("tcp: a non-loopback address is refused without --listen") {
  auto [code, out] = testing::run_command({PERFECTEX_BINARY, "serve", "--tcp", "0.0.0.0:0"});
  CHECK(code == 2);
}

TEST_CASE("tcp: a client that stops reading is disconnected; others are served") {
  TcpServerProcess server({"--max-queued-mb", "1"});
  TcpClient steady(server);
  steady.initialize();
  TcpClient slow(server);
  slow.initialize();
  // Each publish is about 1.5 MB and documents do not coalesce: 30 MB of replies nobody reads.
  std::string braces(5000, '}');
  for (int k = 0; k < 20; ++k) slow.open("file:///slow" + std::to_string(k) + ".tex", braces);
  std::string log;
  for (int i = 0; i < 200 && log.find("not reading, disconnecting") == std::string::npos; ++i) {
    std::this_thread::sleep_for(50ms);
    log = server.log();
  }
  CHECK(log.find("not reading, disconnecting") != std::string::npos);
  steady.open("file:///fine.tex", "}");
  // The server may still be busy with the abandoned documents: allow it time on a loaded machine.
  CHECK(steady.publish("file:///fine.tex", 1, 90s)["diagnostics"].size() == 1);
}

TEST_CASE("metrics: a real HTTP client scrapes the Prometheus endpoint") {
  TcpServerProcess server({"--metrics", "127.0.0.1:0"});
  unsigned short port = TcpServerProcess::port_after(server.log(), "metrics on http://127.0.0.1:");
  REQUIRE(port != 0);
  std::string base = "http://127.0.0.1:" + std::to_string(port);
  std::string url = base + "/metrics";
  TcpClient client(server);
  client.initialize();
  client.open("file:///m.tex", "}");
  client.publish("file:///m.tex", 1);
  client.send(request(2, "no/such", nullptr));
  client.reply(2);
  auto [code, body] = testing::run_command({"/usr/bin/curl", "-sf", url});
  REQUIRE(code == 0);
  CHECK(body.find("perfectex_requests_total{method=\"initialize\"} 1") != std::string::npos);
  CHECK(body.find("perfectex_errors_total{method=\"no/such\"} 1") != std::string::npos);
  CHECK(body.find("perfectex_analysis_seconds_count 1") != std::string::npos);
  CHECK(body.find("perfectex_open_documents 1") != std::string::npos);
  CHECK(body.find("perfectex_resident_memory_bytes") != std::string::npos);
  CHECK(body.find("perfectex_hot_path_allocations_total 0") != std::string::npos);
  CHECK(body.find("perfectex_jobs_total 1") != std::string::npos);
  CHECK(body.find("perfectex_hedges_fired_total") != std::string::npos);
  CHECK(body.find("perfectex_edit_to_publish_seconds_bucket{le=\"+Inf\"}") != std::string::npos);
  CHECK(testing::run_command({"/usr/bin/curl", "-sf", base + "/other"}).first != 0);
}
