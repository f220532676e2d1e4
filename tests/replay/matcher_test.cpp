#include <doctest/doctest.h>

#include "tools/replay/matcher.h"

namespace perfectex::replay {
namespace {

const std::string kUri = "file:///doc.tex";

std::vector<std::int64_t> latencies(const SeriesTally& s) {
  std::vector<std::int64_t> out;
  for (const auto& x : s.samples) out.push_back(x.latency_ns);
  return out;
}

}  // namespace

TEST_CASE("replies out of order are matched by id") {
  Matcher m;
  m.on_request_sent(1, "textDocument/hover", 100, 0);
  m.on_request_sent(2, "textDocument/hover", 200, 0);
  m.on_request_sent(3, "textDocument/codeAction", 300, 0);
  CHECK(m.pending() == 3);
  m.on_reply(3, std::nullopt, "", 1300);
  m.on_reply(1, std::nullopt, "", 1500);
  m.on_reply(2, std::nullopt, "", 1600);
  CHECK(m.pending() == 0);
  const Tally& t = m.tally();
  CHECK(latencies(t.series.at("textDocument/hover")) == std::vector<std::int64_t>{1400, 1400});
  CHECK(t.series.at("textDocument/hover").samples[0].ref == 1);
  CHECK(latencies(t.series.at("textDocument/codeAction")) == std::vector<std::int64_t>{1000});
  CHECK(t.total_lost() == 0);
}

TEST_CASE("each edit is answered by the publish of its own version") {
  Matcher m;
  m.on_edit_sent(kUri, 1, EditKind::Open, 0, 0);
  m.on_publish(kUri, 1, 5000);
  m.on_edit_sent(kUri, 2, EditKind::Change, 10'000, 0);
  m.on_edit_sent(kUri, 3, EditKind::Change, 11'000, 0);
  m.on_publish(kUri, 2, 12'000);
  m.on_publish(kUri, 3, 14'000);
  const Tally& t = m.tally();
  CHECK(latencies(t.series.at(kOpenSeries)) == std::vector<std::int64_t>{5000});
  CHECK(latencies(t.series.at(kEditSeries)) == std::vector<std::int64_t>{2000, 3000});
  CHECK(t.series.at(kEditSeries).samples[1].ref == 3);
  CHECK(t.series.at(kEditSeries).superseded == 0);
}

TEST_CASE("a publish of a newer version supersedes the older edits: not samples, not lost") {
  Matcher m;
  m.on_edit_sent(kUri, 1, EditKind::Open, 0, 0);
  m.on_edit_sent(kUri, 2, EditKind::Change, 100, 0);
  m.on_edit_sent(kUri, 3, EditKind::Change, 200, 0);
  m.on_edit_sent(kUri, 4, EditKind::Change, 300, 0);
  m.on_publish(kUri, 3, 1000);  // the server coalesced 1..3
  CHECK(m.pending() == 1);
  m.on_publish(kUri, 2, 1100);  // a stale publish of an older version arriving late: no effect
  m.on_publish(kUri, 4, 1300);
  m.finish();
  const Tally& t = m.tally();
  CHECK(t.series.at(kOpenSeries).superseded == 1);
  CHECK(t.series.at(kOpenSeries).samples.empty());
  CHECK(t.series.at(kEditSeries).superseded == 1);
  CHECK(latencies(t.series.at(kEditSeries)) == std::vector<std::int64_t>{800, 1000});
  CHECK(t.stream.republishes == 1);
  CHECK(t.total_lost() == 0);
}

TEST_CASE("a publish for a version not yet sent is lost; so is an edit never answered") {
  Matcher m;
  m.on_edit_sent(kUri, 5, EditKind::Change, 0, 0);
  m.on_publish(kUri, 6, 100);
  CHECK(m.tally().stream.future_publishes == 1);
  CHECK(m.pending() == 1);
  m.finish();
  CHECK(m.tally().series.at(kEditSeries).lost == 1);
  CHECK(m.tally().total_lost() == 2);
}

TEST_CASE("expire declares lost only what waited past the timeout; a late answer is counted late") {
  Matcher m;
  m.on_request_sent(1, "textDocument/hover", 0, 0);
  m.on_request_sent(2, "textDocument/hover", 900, 0);
  m.on_edit_sent(kUri, 1, EditKind::Open, 0, 0);
  m.expire(1000, 1000);
  CHECK(m.pending() == 1);
  CHECK(m.oldest_pending() == 900);
  m.on_reply(1, std::nullopt, "", 1200);
  m.on_publish(kUri, 1, 1300);
  m.on_reply(2, std::nullopt, "", 1400);
  const Tally& t = m.tally();
  CHECK(t.series.at("textDocument/hover").lost == 1);
  CHECK(t.series.at("textDocument/hover").late == 1);
  CHECK(latencies(t.series.at("textDocument/hover")) == std::vector<std::int64_t>{500});
  CHECK(t.series.at(kOpenSeries).lost == 1);
  CHECK(t.series.at(kOpenSeries).late == 1);
  CHECK(t.stream.unmatched_replies == 0);
}

TEST_CASE("a reply to an id never sent is lost; a string id cannot be ours") {
  Matcher m;
  m.on_reply(77, std::nullopt, "", 10);
  m.on_reply(std::nullopt, std::nullopt, "", 10);
  CHECK(m.tally().stream.unmatched_replies == 2);
  CHECK(m.tally().total_lost() == 2);
}

TEST_CASE("ContentModified and ServerCancelled are allowed answers, counted as cancelled") {
  Matcher m;
  m.on_request_sent(1, "textDocument/codeAction", 0, 0);
  m.on_request_sent(2, "textDocument/codeAction", 0, 0);
  m.on_reply(1, -32801, "the document changed", 10);
  m.on_reply(2, -32802, "server cancelled", 10);
  const SeriesTally& s = m.tally().series.at("textDocument/codeAction");
  CHECK(s.cancelled == 2);
  CHECK(s.errors == 0);
  CHECK(s.samples.empty());
  CHECK(m.tally().total_errors() == 0);
  CHECK(m.tally().total_lost() == 0);
}

TEST_CASE("error replies are errors, with codes and messages; a cancelled request is not") {
  Matcher m;
  m.on_request_sent(1, "textDocument/completion", 0, 0);
  m.on_request_sent(2, "textDocument/completion", 0, 0);
  m.on_request_sent(3, "textDocument/completion", 0, 0);
  m.on_cancel_sent(2);
  m.on_reply(1, -32601, "method not found", 10);
  m.on_reply(2, -32800, "cancelled", 10);
  m.on_reply(3, -32800, "cancelled", 10);  // not cancelled by us: an error
  const SeriesTally& s = m.tally().series.at("textDocument/completion");
  CHECK(s.errors == 2);
  CHECK(s.cancelled == 1);
  CHECK(s.error_codes.at(-32601) == 1);
  CHECK(s.error_codes.at(-32800) == 1);
  CHECK(s.error_messages.size() == 2);
  CHECK(s.samples.empty());
  CHECK(m.tally().total_errors() == 2);
}

TEST_CASE("closing a document abandons its pending edits") {
  Matcher m;
  m.on_edit_sent(kUri, 1, EditKind::Open, 0, 0);
  m.on_edit_sent(kUri, 2, EditKind::Change, 10, 0);
  m.on_close_sent(kUri);
  CHECK(m.pending() == 0);
  m.on_publish(kUri, std::nullopt, 50);  // a server's empty publish after close
  m.finish();
  CHECK(m.tally().series.at(kEditSeries).abandoned == 1);
  CHECK(m.tally().series.at(kOpenSeries).abandoned == 1);
  CHECK(m.tally().total_lost() == 0);
}

TEST_CASE("unversioned publishes: taken as the latest version until the server shows versions") {
  Matcher m;
  m.on_edit_sent(kUri, 1, EditKind::Open, 0, 0);
  m.on_edit_sent(kUri, 2, EditKind::Change, 10, 0);
  m.on_publish(kUri, std::nullopt, 100);
  CHECK(m.tally().stream.unversioned_matched == 1);
  CHECK(m.tally().series.at(kOpenSeries).superseded == 1);
  CHECK(latencies(m.tally().series.at(kEditSeries)) == std::vector<std::int64_t>{90});
  m.on_edit_sent(kUri, 3, EditKind::Change, 200, 0);
  m.on_publish(kUri, 3, 300);
  m.on_edit_sent(kUri, 4, EditKind::Change, 400, 0);
  m.on_publish(kUri, std::nullopt, 450);  // the server sends versions: this one says nothing
  CHECK(m.tally().stream.unversioned_ignored == 1);
  CHECK(m.pending() == 1);
}

TEST_CASE("documents are matched separately; a publish for an unknown uri is only counted") {
  Matcher m;
  m.on_edit_sent("file:///a.tex", 1, EditKind::Open, 0, 0);
  m.on_edit_sent("file:///b.tex", 1, EditKind::Open, 10, 0);
  m.on_publish("file:///b.tex", 1, 100);
  m.on_publish("file:///c.tex", 1, 100);
  CHECK(m.pending() == 1);
  CHECK(m.tally().stream.unknown_documents == 1);
  m.on_publish("file:///a.tex", 1, 200);
  CHECK(latencies(m.tally().series.at(kOpenSeries)) == std::vector<std::int64_t>{90, 200});
}

TEST_CASE("take_tally starts afresh and keeps what is pending") {
  Matcher m;
  m.on_request_sent(1, "a", 0, 0);
  m.on_reply(1, std::nullopt, "", 5);
  m.on_request_sent(2, "a", 10, 1);
  const Tally first = m.take_tally();
  CHECK(first.series.at("a").samples.size() == 1);
  CHECK(m.tally().series.empty());
  m.on_reply(2, std::nullopt, "", 30);
  CHECK(m.tally().series.at("a").samples.at(0).latency_ns == 20);
  CHECK(m.tally().series.at("a").samples.at(0).pass == 1);
}

}  // namespace perfectex::replay
