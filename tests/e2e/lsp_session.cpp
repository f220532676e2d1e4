#include "lsp_session.h"

#include <doctest/doctest.h>

namespace perfectex::testing {

json LspSession::expect(const std::function<bool(const json&)>& pred,
                        std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    for (;;) {
      auto e = decoder_.next();
      if (e.status != protocol::FrameStatus::Frame) break;
      json m = json::parse(e.body);
      seen.push_back(m);
      if (pred(m)) return m;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left <= std::chrono::milliseconds(0))
      FAIL("timed out waiting for the server; its log:\n" << diagnose_());
    std::string bytes = read_(left);
    if (bytes.empty() && std::chrono::steady_clock::now() < deadline) {
      FAIL("the server closed the stream; its log:\n" << diagnose_());
    }
    decoder_.feed(bytes);
  }
}

json LspSession::reply(int id) {
  return expect(
      [id](const json& m) { return m.contains("id") && m["id"] == id && !m.contains("method"); });
}

json LspSession::publish(const std::string& uri, int version, std::chrono::milliseconds timeout) {
  return expect(
      [&](const json& m) {
        return m.value("method", "") == "textDocument/publishDiagnostics" &&
               m["params"]["uri"] == uri && m["params"].value("version", -1) == version;
      },
      timeout)["params"];
}

json request(int id, std::string method, json params) {
  return {
      {"jsonrpc", "2.0"}, {"id", id}, {"method", std::move(method)}, {"params", std::move(params)}};
}

json notification(std::string method, json params) {
  return {{"jsonrpc", "2.0"}, {"method", std::move(method)}, {"params", std::move(params)}};
}

}  // namespace perfectex::testing
