#include <doctest/doctest.h>

#include <filesystem>
#include <sstream>

#include "tools/replay/session.h"
#include "tools/replay/session_plan.h"

namespace perfectex::replay {
namespace {

Session parse(const std::string& text) {
  std::istringstream in(text);
  return parse_session(in, "s.jsonl");
}

const std::string kHeader = R"({"format":"perfectex-replay-session","version":1,"source":"test"})";

}  // namespace

TEST_CASE("a session round-trips through its file, entries in time order") {
  Session s;
  s.header = make_session_header("test");
  s.header["file"] = "doc.tex";
  s.entries.push_back(
      {0, Sender::Client, json{{"jsonrpc", "2.0"}, {"id", 1}, {"method", "initialize"}}, {}, {}});
  s.entries.push_back({5, Sender::Server, nullptr, "not json \xE2\x82", {}});
  s.entries.push_back({7, Sender::Server, nullptr, {}, "missing Content-Length header"});
  const auto path = (std::filesystem::temp_directory_path() / "replay_session_test.jsonl").string();
  write_session(path, s);
  const Session back = read_session(path);
  std::filesystem::remove(path);
  CHECK(back.header == s.header);
  REQUIRE(back.entries.size() == 3);
  CHECK(back.entries[0].msg == s.entries[0].msg);
  CHECK(back.entries[1].from == Sender::Server);
  CHECK(back.entries[1].raw == "not json \xEF\xBF\xBD");  // invalid UTF-8 was replaced
  CHECK(back.entries[2].frame_error == "missing Content-Length header");
}

TEST_CASE("entries are sorted stably by time") {
  const Session s = parse(kHeader + "\n" +
                          R"({"t_us":9,"from":"server","msg":{"a":1}})"
                          "\n"
                          R"({"t_us":3,"from":"client","msg":{"b":1}})"
                          "\n"
                          "\n"
                          R"({"t_us":9,"from":"client","msg":{"c":1}})"
                          "\n");
  REQUIRE(s.entries.size() == 3);
  CHECK(s.entries[0].msg.contains("b"));
  CHECK(s.entries[1].msg.contains("a"));
  CHECK(s.entries[2].msg.contains("c"));
}

TEST_CASE("bad session files are refused with the file and line") {
  CHECK_THROWS_WITH_AS(parse(""), "s.jsonl:0: empty session file (no header line)", SessionError);
  CHECK_THROWS_WITH_AS(parse(R"({"t_us":1})"),
                       doctest::Contains("s.jsonl:1: the first line must be a header"),
                       SessionError);
  CHECK_THROWS_WITH_AS(parse(R"({"format":"perfectex-replay-session","version":2})"),
                       doctest::Contains("unsupported session version"), SessionError);
  CHECK_THROWS_WITH_AS(parse(kHeader + "\n{nope"), "s.jsonl:2: not a JSON value", SessionError);
  CHECK_THROWS_WITH_AS(parse(kHeader + "\n" + R"({"t_us":-1,"from":"client","msg":{}})"),
                       doctest::Contains("s.jsonl:2: \"t_us\""), SessionError);
  CHECK_THROWS_WITH_AS(parse(kHeader + "\n" + R"({"t_us":1,"from":"editor","msg":{}})"),
                       doctest::Contains("\"from\""), SessionError);
  CHECK_THROWS_WITH_AS(parse(kHeader + "\n" + R"({"t_us":1,"from":"client","msg":[1]})"),
                       doctest::Contains("\"msg\""), SessionError);
  CHECK_THROWS_WITH_AS(parse(kHeader + "\n" + R"({"t_us":1,"from":"client"})"),
                       doctest::Contains("needs \"msg\""), SessionError);
  CHECK_THROWS_AS(read_session("/nonexistent/session.jsonl"), SessionError);
}

TEST_CASE("the plan cuts a session into prologue, body and epilogue, dropping client replies") {
  const Session s = parse(
      kHeader + "\n" +
      R"({"t_us":0,"from":"client","msg":{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}})"
      "\n"
      R"({"t_us":1,"from":"server","msg":{"jsonrpc":"2.0","id":1,"result":{}}})"
      "\n"
      R"({"t_us":2,"from":"client","msg":{"jsonrpc":"2.0","method":"initialized","params":{}}})"
      "\n"
      R"({"t_us":3,"from":"client","msg":{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///a.tex","version":1,"text":"hello"}}}})"
      "\n"
      R"({"t_us":4,"from":"client","msg":{"jsonrpc":"2.0","id":"w1","result":null}})"
      "\n"
      R"({"t_us":5,"from":"client","raw":"garbage"})"
      "\n"
      R"({"t_us":6,"from":"client","msg":{"jsonrpc":"2.0","id":2,"method":"shutdown"}})"
      "\n"
      R"({"t_us":7,"from":"client","msg":{"jsonrpc":"2.0","method":"exit"}})"
      "\n");
  const SessionPlan plan = plan_session(s);
  CHECK(plan.prologue.size() == 2);
  REQUIRE(plan.body.size() == 1);
  CHECK(plan.body[0].t_us == 3);
  CHECK(plan.epilogue.size() == 2);
  CHECK(plan.client_replies == 1);
  CHECK(plan.unusable == 1);
  CHECK(plan.document_uri == "file:///a.tex");
  CHECK(plan.document_bytes == 5);
}

TEST_CASE("a session without initialized is all body") {
  const Session s = parse(
      kHeader + "\n" +
      R"({"t_us":0,"from":"client","msg":{"jsonrpc":"2.0","id":1,"method":"textDocument/hover"}})"
      "\n");
  const SessionPlan plan = plan_session(s);
  CHECK(plan.prologue.empty());
  CHECK(plan.body.size() == 1);
}

TEST_CASE("requests are sent only when the server advertises their capability") {
  const json caps{{"hoverProvider", true},
                  {"completionProvider", json::object()},
                  {"definitionProvider", false},
                  {"referencesProvider", nullptr}};
  CHECK(server_supports(caps, "textDocument/hover"));
  CHECK(server_supports(caps, "textDocument/completion"));
  CHECK_FALSE(server_supports(caps, "textDocument/definition"));
  CHECK_FALSE(server_supports(caps, "textDocument/references"));
  CHECK_FALSE(server_supports(caps, "textDocument/documentSymbol"));
  CHECK(server_supports(caps, "perfectex/stats"));  // custom methods need no capability
  CHECK(server_supports(caps, "shutdown"));
  CHECK(capability_for("textDocument/codeAction") == "codeActionProvider");
  CHECK_FALSE(capability_for("initialize").has_value());
}

}  // namespace perfectex::replay
