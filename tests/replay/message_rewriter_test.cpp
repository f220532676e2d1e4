#include <doctest/doctest.h>

#include <unistd.h>

#include "protocol/framing.h"
#include "tools/replay/message_rewriter.h"

namespace perfectex::replay {
namespace {

// The JSON body of an outgoing frame.
json body_of(const Outgoing& out) {
  protocol::FrameDecoder decoder;
  decoder.feed(out.frame);
  auto event = decoder.next();
  REQUIRE(event.status == protocol::FrameStatus::Frame);
  return json::parse(event.body);
}

json open(std::int64_t version) {
  return json{
      {"jsonrpc", "2.0"},
      {"method", "textDocument/didOpen"},
      {"params",
       {{"textDocument", {{"uri", "file:///a.tex"}, {"version", version}, {"text", "x"}}}}}};
}

json change(std::int64_t version) {
  return json{{"jsonrpc", "2.0"},
              {"method", "textDocument/didChange"},
              {"params",
               {{"textDocument", {{"uri", "file:///a.tex"}, {"version", version}}},
                {"contentChanges", json::array()}}}};
}

json close_doc() {
  return json{{"jsonrpc", "2.0"},
              {"method", "textDocument/didClose"},
              {"params", {{"textDocument", {{"uri", "file:///a.tex"}}}}}};
}

}  // namespace

TEST_CASE("requests get fresh integer ids; a cancel follows its request") {
  MessageRewriter r;
  auto a =
      r.rewrite(json{{"jsonrpc", "2.0"}, {"id", "client-7"}, {"method", "textDocument/hover"}}, 0);
  auto b = r.rewrite(json{{"jsonrpc", "2.0"}, {"id", 7}, {"method", "textDocument/hover"}}, 0);
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->kind == OutKind::Request);
  CHECK(a->method == "textDocument/hover");
  CHECK(body_of(*a)["id"] == a->id);
  CHECK(a->id != b->id);  // "client-7" and 7 are different ids
  auto cancel = r.rewrite(
      json{{"jsonrpc", "2.0"}, {"method", "$/cancelRequest"}, {"params", {{"id", "client-7"}}}}, 0);
  REQUIRE(cancel);
  CHECK(cancel->kind == OutKind::Cancel);
  CHECK(cancel->id == a->id);
  CHECK(body_of(*cancel)["params"]["id"] == a->id);
  CHECK_FALSE(r.rewrite(
      json{{"jsonrpc", "2.0"}, {"method", "$/cancelRequest"}, {"params", {{"id", 99}}}}, 0));
  const Outgoing probe = r.probe("perfectex/stats");
  CHECK(probe.kind == OutKind::Probe);
  CHECK(probe.id > b->id);
  CHECK_FALSE(body_of(probe).contains("params"));
}

TEST_CASE("versions keep rising across reopenings, so every publish names one edit") {
  MessageRewriter r;
  CHECK(r.rewrite(open(1), 0)->version == 1);
  CHECK(r.rewrite(change(2), 0)->version == 2);
  CHECK(r.rewrite(change(3), 0)->version == 3);
  auto closed = r.rewrite(close_doc(), 0);
  CHECK(closed->kind == OutKind::Close);
  CHECK(r.take_open_documents().empty());
  // The second pass replays the same messages: versions continue from 3.
  auto reopened = r.rewrite(open(1), 1);
  CHECK(reopened->kind == OutKind::Edit);
  CHECK(reopened->edit == EditKind::Open);
  CHECK(reopened->version == 4);
  CHECK(body_of(*reopened)["params"]["textDocument"]["version"] == 4);
  auto changed = r.rewrite(change(2), 1);
  CHECK(changed->edit == EditKind::Change);
  CHECK(changed->version == 5);
  CHECK(body_of(*changed)["params"]["textDocument"]["version"] == 5);
  // Left open at the end of the pass: the replayer closes it.
  const auto open_now = r.take_open_documents();
  REQUIRE(open_now.size() == 1);
  const Outgoing c = r.close(*open_now.begin(), 1);
  CHECK(body_of(c)["method"] == "textDocument/didClose");
  CHECK(r.rewrite(open(100), 2)->version == 100);  // already above the last one: unchanged
}

TEST_CASE("requests the server does not advertise are dropped and counted") {
  MessageRewriter r;
  r.set_capabilities(json{{"codeActionProvider", true}});
  CHECK(r.rewrite(json{{"jsonrpc", "2.0"}, {"id", 1}, {"method", "textDocument/codeAction"}}, 0));
  CHECK_FALSE(r.rewrite(json{{"jsonrpc", "2.0"}, {"id", 2}, {"method", "textDocument/hover"}}, 0));
  CHECK_FALSE(r.rewrite(
      json{{"jsonrpc", "2.0"}, {"method", "$/cancelRequest"}, {"params", {{"id", 2}}}}, 0));
  CHECK(r.rewrite(json{{"jsonrpc", "2.0"}, {"id", 3}, {"method", "shutdown"}}, 0));
  CHECK(r.skipped().at("textDocument/hover") == 1);
}

TEST_CASE("initialize carries our process id; odd messages go out as recorded, unmeasured") {
  MessageRewriter r;
  auto init = r.rewrite(json{{"jsonrpc", "2.0"},
                             {"id", 1},
                             {"method", "initialize"},
                             {"params", {{"processId", 12345}}}},
                        0);
  CHECK(body_of(*init)["params"]["processId"] == ::getpid());
  auto null_pid = r.rewrite(json{{"jsonrpc", "2.0"},
                                 {"id", 2},
                                 {"method", "initialize"},
                                 {"params", {{"processId", nullptr}}}},
                            0);
  CHECK(body_of(*null_pid)["params"]["processId"].is_null());
  const json odd{{"jsonrpc", "2.0"},
                 {"method", "textDocument/didChange"},
                 {"params", {{"textDocument", {{"uri", 5}}}}}};
  auto out = r.rewrite(odd, 0);
  REQUIRE(out);
  CHECK(out->kind == OutKind::Plain);
  CHECK(body_of(*out) == odd);
  auto note =
      r.rewrite(json{{"jsonrpc", "2.0"}, {"method", "initialized"}, {"params", json::object()}}, 0);
  CHECK(note->kind == OutKind::Plain);
}

}  // namespace perfectex::replay

namespace perfectex::replay {

TEST_CASE("the replayer answers the server's requests as a minimal client") {
  const json config =
      client_reply("workspace/configuration", json{{"items", json::array({{}, {}})}}, 4);
  CHECK(config["id"] == 4);
  CHECK(config["result"] == json::array({nullptr, nullptr}));
  CHECK(client_reply("window/workDoneProgress/create", json::object(), "t")["result"].is_null());
  CHECK(client_reply("client/registerCapability", nullptr, 1).contains("result"));
  CHECK(client_reply("workspace/applyEdit", nullptr, 2)["result"]["applied"] == false);
  const json unknown = client_reply("custom/thing", nullptr, 3);
  CHECK(unknown["error"]["code"] == -32601);
  CHECK_FALSE(unknown.contains("result"));
}

}  // namespace perfectex::replay
