#include <doctest/doctest.h>

#include "tools/replay/message_scan.h"

namespace perfectex::replay {

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

}  // namespace perfectex::replay
