// protocol/message_scan: what a server message says, read by simdjson, against its SAX twin.
#include <doctest/doctest.h>

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/message_scan.h"

namespace perfectex::protocol {

TEST_CASE("a publishDiagnostics gives its uri, version and number of diagnostics") {
  const auto m = scan_message(
      R"({"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"file:///a.tex",)"
      R"("diagnostics":[{"range":{"start":{"line":1,"character":0},"end":{"line":1,"character":3}},)"
      R"("message":"x","code":"uri","relatedInformation":[{"location":{"uri":"file:///b.tex"}}]},)"
      R"({"message":"y","data":{"version":99}}],"version":17}})");
  CHECK(m.kind == MessageKind::Notification);
  CHECK(m.method == "textDocument/publishDiagnostics");
  CHECK(m.uri == "file:///a.tex");  // not the related information's uri
  CHECK(m.version == 17);           // not a nested "version"
  CHECK(m.diagnostics == 2);
}

TEST_CASE("responses: id, result, error code and message") {
  auto ok = scan_message(R"({"jsonrpc":"2.0","id":42,"result":{"id":7,"method":"nested"}})");
  CHECK(ok.kind == MessageKind::Response);
  CHECK(ok.id == 42);
  CHECK(ok.method.empty());
  CHECK_FALSE(ok.has_error);
  auto null_result = scan_message(R"({"jsonrpc":"2.0","id":3,"result":null})");
  CHECK(null_result.kind == MessageKind::Response);
  auto err = scan_message(
      R"({"jsonrpc":"2.0","id":5,"error":{"code":-32601,"message":"no such method"}})");
  CHECK(err.kind == MessageKind::Response);
  CHECK(err.has_error);
  CHECK(err.error_code == -32601);
  CHECK(err.error_message == "no such method");
  auto string_id = scan_message(R"({"jsonrpc":"2.0","id":"abc","result":1})");
  CHECK_FALSE(string_id.id.has_value());
  CHECK(string_id.string_id == "abc");
}

TEST_CASE("requests and notifications from the server") {
  auto r = scan_message(
      R"({"jsonrpc":"2.0","id":0,"method":"workspace/configuration","params":{"items":[{}]}})");
  CHECK(r.kind == MessageKind::Request);
  CHECK(r.id == 0);
  CHECK(r.method == "workspace/configuration");
  auto n = scan_message(
      R"({"method":"window/logMessage","params":{"type":3,"message":"hi"},"jsonrpc":"2.0"})");
  CHECK(n.kind == MessageKind::Notification);
  CHECK_FALSE(n.version.has_value());
}

TEST_CASE("what is not a JSON-RPC object is invalid") {
  CHECK(scan_message("").kind == MessageKind::Invalid);
  CHECK(scan_message("{").kind == MessageKind::Invalid);
  CHECK(scan_message("[1,2]").kind == MessageKind::Invalid);
  CHECK(scan_message("17").kind == MessageKind::Invalid);
  CHECK(scan_message(R"({"jsonrpc":"2.0"})").kind == MessageKind::Invalid);
  CHECK(scan_message(R"({"id":1,"result":1} trailing)").kind == MessageKind::Invalid);
}

TEST_CASE("the simdjson scan equals the SAX twin, on messages whole, cut and damaged") {
  std::vector<std::string> bodies = {
      R"({"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":"file:///a.tex",)"
      R"("version":3,"diagnostics":[{"range":{"start":{"line":1,"character":0},"end":{"line":1,)"
      R"("character":3}},"severity":2,"code":"x","message":"m\u00e9\"","data":{"version":9}},)"
      R"({"message":"y","relatedInformation":[{"location":{"uri":"file:///b.tex"}}]}]}})",
      R"({"jsonrpc":"2.0","id":5,"error":{"code":-32601,"message":"no such method","data":[1]}})",
      R"({"jsonrpc":"2.0","id":"s","result":{"id":7},"id":8})",
      R"({"id":1,"id":"x","method":3,"method":"m","params":[],"error":"e","result":null})",
      R"({"id":18446744073709551615,"result":1,"params":{"version":1.5,"uri":7}})",
      R"({"method":"n","params":{"diagnostics":{},"diagnostics":[1,[2],{}]}})",
      R"({"id":-4,"error":{"code":2147483648,"message":null}})",
      "[1,2]",
      "  {\"method\":\"m\"}  ",
  };
  // Each cut short at every length, and with bytes changed at random.
  std::mt19937 rng(7);
  const std::size_t whole = bodies.size();
  constexpr std::string_view kBytes = "{}[]\",:0aZ \x80\xff";
  for (std::size_t b = 0; b < whole; ++b) {
    for (std::size_t n = 0; n < bodies[b].size(); ++n) bodies.push_back(bodies[b].substr(0, n));
    for (int k = 0; k < 60; ++k) {
      std::string damaged = bodies[b];
      damaged[rng() % damaged.size()] = kBytes[rng() % kBytes.size()];
      bodies.push_back(damaged);
    }
  }
  std::size_t valid = 0;
  for (const std::string& body : bodies) {
    CAPTURE(body);
    const MessageSummary fast = scan_message(body);
    CHECK(fast == scan_message_sax(body));
    valid += fast.kind != MessageKind::Invalid ? 1 : 0;
  }
  CHECK(valid > whole);  // some damaged bodies are still messages
}

TEST_CASE("deep nesting and a body over the reused parser's 8 MiB are read like any other") {
  // Deeper than simdjson goes (it refuses, the SAX pass reads it): the same summary either way.
  const std::string deep = R"({"method":"m","params":{"uri":"u","x":)" + std::string(100000, '[') +
                           std::string(100000, ']') + "}}";
  CHECK(scan_message(deep) == scan_message_sax(deep));
  CHECK(scan_message(deep).kind == MessageKind::Notification);
  CHECK(scan_message(deep).uri == "u");
  // A publish of 40,000 diagnostics, 8.6 MB: a parser of its own, then the reused one again.
  std::string big = R"({"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{)"
                    R"("uri":"file:///big.tex","version":9,"diagnostics":[)";
  for (int k = 0; k < 40000; ++k) {
    if (k > 0) big += ',';
    big += R"({"message":")" + std::string(200, 'x') + R"("})";
  }
  big += "]}}";
  REQUIRE(big.size() > (8u << 20));
  const MessageSummary summary = scan_message(big);
  CHECK(summary.diagnostics == 40000);
  CHECK(summary.version == 9);
  CHECK(scan_message(R"({"id":1,"result":null})").kind == MessageKind::Response);
}

}  // namespace perfectex::protocol
