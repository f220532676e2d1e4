// PublishWriter against its obviously correct twin, publish_params: after every edit of a document
// with hundreds of diagnostics (also edits sent through the document store, whose history gives
// the edit) the body it writes is that JSON, in both position encodings; and it re-serialises
// only the diagnostics an edit changed or moved within their line. append_lsp_diagnostic, which
// writes them, against the JSON value it stands for, byte for byte.
#include <doctest/doctest.h>

#include <random>

#include "../corpus.h"

#include "protocol/jsonrpc.h"
#include "server/analyzer.h"
#include "server/document_store.h"
#include "server/line_index.h"
#include "server/lsp_convert.h"
#include "server/publish_writer.h"

using namespace perfectex;
using namespace perfectex::server;
using protocol::json;
using protocol::PositionEncoding;

namespace {

SnapshotPtr snapshot_of(std::string text, std::int64_t version) {
  auto snapshot = std::make_shared<Snapshot>();
  snapshot->uri = "file:///t\xC3\xA9st.tex";
  snapshot->version = version;
  snapshot->lines = LineIndex(text);
  snapshot->text = std::move(text);
  return snapshot;
}

// As a client reads it: invalid UTF-8 in quoted text is sent as U+FFFD.
json expected_body(const AnalysisResult& result, PositionEncoding encoding) {
  return json::parse(protocol::dump_json({{"jsonrpc", "2.0"},
                                          {"method", "textDocument/publishDiagnostics"},
                                          {"params", publish_params(result, encoding)}}));
}

}  // namespace

TEST_CASE("the publish writer writes what publish_params builds, reusing unchanged diagnostics") {
  // 300 stray braces (one error each, on its own line, each line unlike the next), an environment
  // left open (a diagnostic with a related location), and non-ASCII text so UTF-8 and UTF-16
  // columns differ.
  std::string text = "\\begin{document}\n\\begin{itemize}\n";
  for (int i = 0; i < 300; ++i) text.append(i % 7, ' ').append("\xC3\xA9t\xC3\xA9 $x$ a}\n");
  Analyzer analyzer;
  validators::RuleConfig config;
  PublishWriter writer;
  std::int64_t version = 1;
  for (PositionEncoding encoding : {PositionEncoding::Utf16, PositionEncoding::Utf8}) {
    CAPTURE(static_cast<int>(encoding));
    AnalysisResult first = analyzer.analyze(snapshot_of(text, version++), config);
    REQUIRE(first.diagnostics.size() > 300);
    CHECK(json::parse(writer.write(first, encoding)) == expected_body(first, encoding));
    CHECK(writer.last().built == first.diagnostics.size());

    // A character typed on the last line moves nothing before it.
    std::string typed = text;
    typed.insert(typed.size() - 3, "\xC3\xA9");
    AnalysisResult second = analyzer.analyze(snapshot_of(typed, version++), config);
    CHECK(json::parse(writer.write(second, encoding)) == expected_body(second, encoding));
    CHECK(writer.last().built <= 2);
    CHECK(writer.last().reused + writer.last().built == second.diagnostics.size());

    // A line inserted at the top moves every diagnostic a line down: those after its line are
    // copied with their line numbers changed.
    std::string moved = "%\n" + typed;
    AnalysisResult third = analyzer.analyze(snapshot_of(moved, version++), config);
    CHECK(json::parse(writer.write(third, encoding)) == expected_body(third, encoding));
    CHECK(writer.last().built <= 2);
    CHECK(writer.last().moved + writer.last().built == third.diagnostics.size());

    // Two lines taken out in the middle: the diagnostics after them move up.
    std::string cut = moved;
    const std::size_t middle = cut.find('\n', cut.size() / 2) + 1;
    cut.erase(middle, cut.find('\n', cut.find('\n', middle) + 1) + 1 - middle);
    AnalysisResult fourth = analyzer.analyze(snapshot_of(cut, version++), config);
    CHECK(json::parse(writer.write(fourth, encoding)) == expected_body(fourth, encoding));
    CHECK(writer.last().moved > 100);
    CHECK(writer.last().built <= 2);
  }
}

TEST_CASE("a document with no diagnostics publishes an empty list, and forget drops its pieces") {
  Analyzer analyzer;
  validators::RuleConfig config;
  PublishWriter writer;
  AnalysisResult clean = analyzer.analyze(snapshot_of("plain text\n", 3), config);
  CHECK(json::parse(writer.write(clean, PositionEncoding::Utf16)) ==
        expected_body(clean, PositionEncoding::Utf16));
  AnalysisResult broken = analyzer.analyze(snapshot_of("a}\n", 4), config);
  writer.write(broken, PositionEncoding::Utf16);
  writer.forget(broken.snapshot->uri);
  writer.write(broken, PositionEncoding::Utf16);
  CHECK(writer.last().built == 1);
}

TEST_CASE("random edits: every body equals publish_params, and typing reuses what it did not move") {
  // Diagnostics of many shapes: quoted names (a mismatched environment, a macro's expansion),
  // related locations, fixes, non-ASCII text before them on their lines, and CRLF line ends.
  std::string text =
      "\\documentclass{article}\r\n\\newcommand{\\bad}{\\end{itemize}}\n\\begin{document}\n";
  for (int i = 0; i < 40; ++i) {
    text += "\xC3\xA9t\xC3\xA9 \"quoted\" text... and $$x$$ here\n";
    if (i % 5 == 0) text += "\\begin{center} \\end{centre} a}\r\n";
    if (i % 7 == 0) text += "\\begin{enumerate} \\bad\n\n";
  }
  const std::string alphabet[] = {"x", " ", "\n", "\r\n", "\xC3\xA9", "}", "{", "\"", "$", "...",
                                  "\\bad", "\\begin{center}", "\r"};
  // The edits come as a client sends them, through the document store, so the analyzer and the
  // writer take them from the snapshots' history; some versions are skipped, as when typing
  // outruns the analysis, and some notifications carry two changes.
  Analyzer analyzer;
  validators::RuleConfig config;
  PublishWriter writer;
  DocumentStore store;
  const std::string uri = "file:///t\xC3\xA9st.tex";
  SnapshotPtr current = store.open(uri, 1, "latex", text);
  std::mt19937 rng(5);
  std::int64_t version = 1;
  std::size_t typed_reused = 0, typed = 0, moved = 0;
  bool skipped = false;
  PositionEncoding written = PositionEncoding::Utf32;  // none yet
  for (int round = 0; round < 700; ++round) {
    std::vector<protocol::TextDocumentContentChangeEvent> changes(rng() % 5 == 0 ? 2 : 1);
    bool letter = changes.size() == 1;
    for (auto& change : changes) {
      auto at = static_cast<std::uint32_t>(rng() % (text.size() + 1));
      auto erase = rng() % 4 == 0 ? std::min<std::uint32_t>(rng() % 6, text.size() - at) : 0u;
      const std::string& insert = alphabet[rng() % std::size(alphabet)];
      change.text = rng() % 3 == 0 ? std::string() : insert;
      letter = letter && erase == 0 && change.text == "x";
      // The bytes the positions stand for (a position never splits a \r\n or a UTF-8 sequence).
      const LineIndex lines(text);
      change.range = protocol::Range{lines.position(text, at, PositionEncoding::Utf8),
                                     lines.position(text, at + erase, PositionEncoding::Utf8)};
      const std::uint32_t a =
          lines.offset(text, change.range->start, PositionEncoding::Utf8).offset;
      const std::uint32_t b = lines.offset(text, change.range->end, PositionEncoding::Utf8).offset;
      text.replace(a, b - a, change.text);
    }
    current = store.change(uri, ++version, changes, PositionEncoding::Utf8).snapshot;
    REQUIRE(current->text == text);
    if (rng() % 4 == 0) {
      skipped = true;
      continue;
    }
    PositionEncoding encoding = round % 50 < 25 ? PositionEncoding::Utf16 : PositionEncoding::Utf8;
    AnalysisResult result = analyzer.analyze(current, config);
    CAPTURE(round);
    REQUIRE(result.diagnostics == Analyzer().analyze(current, config).diagnostics);
    REQUIRE(json::parse(writer.write(result, encoding)) == expected_body(result, encoding));
    moved += writer.last().moved;
    if (letter && !skipped && encoding == written) {
      ++typed;
      typed_reused += writer.last().reused * 2 >= result.diagnostics.size() ? 1 : 0;
    }
    skipped = false;
    written = encoding;
  }
  // A letter typed anywhere leaves most diagnostics where they were.
  CHECK(typed > 5);
  CHECK(typed_reused == typed);
  // Line breaks typed and deleted move the diagnostics after them, which are copied.
  CHECK(moved > 1000);
}

TEST_CASE("append_lsp_diagnostic writes the bytes dump_json(to_lsp_diagnostic) writes") {
  // Real documents (1,289 and 86 diagnostics), and one with quotes, UTF-8, an invalid byte and a
  // tab in quoted names, related locations and CRLF line ends, in every position encoding.
  std::string odd = "\\documentclass{article}\r\n\\begin{document}\n\\begin{itemize}\n";
  odd += "\\begin{t\xC3\xA9st\"x} \\end{t\xFFst\\q} \\begin{a\tb}\n\xC3\xA9t\xC3\xA9 a} \\end{centre}\n";
  std::vector<std::string> texts = {testing::read_corpus("perf/perf_smoke_big.tex"),
                                    testing::read_corpus("perf/hott_big.tex"), odd};
  Analyzer analyzer;
  validators::RuleConfig config;
  std::size_t compared = 0;
  std::int64_t version = 1;
  for (const std::string& text : texts) {
    AnalysisResult result = analyzer.analyze(snapshot_of(text, version++), config);
    for (PositionEncoding encoding :
         {PositionEncoding::Utf16, PositionEncoding::Utf8, PositionEncoding::Utf32}) {
      for (const validators::Diagnostic& d : result.diagnostics) {
        std::string written;
        append_lsp_diagnostic(written, *result.snapshot, d, encoding);
        REQUIRE(written ==
                protocol::dump_json(to_lsp_diagnostic(*result.snapshot, d, encoding)));
        ++compared;
      }
    }
  }
  CHECK(compared > 3 * 1300);
}
