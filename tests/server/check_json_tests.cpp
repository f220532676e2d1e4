// server/check_json: the JSON that `perfectex check --format json` writes for each diagnostic is,
// byte for byte, what nlohmann prints for the same object (diagnostic_json, the twin), on real
// documents with fixes, related locations, quotes and backslashes in messages, and bytes that are
// not UTF-8.
#include <doctest/doctest.h>

#include "../corpus.h"
#include "protocol/jsonrpc.h"
#include "server/analyzer.h"
#include "server/check_json.h"

using namespace perfectex;

namespace {

// Every diagnostic of text, written both ways; returns how many had a fix and a related location.
std::pair<int, int> compare_all(std::string text) {
  auto doc = std::make_shared<server::Snapshot>();
  doc->text = std::move(text);
  doc->lines = server::LineIndex(doc->text);
  server::Analyzer analyzer;
  server::AnalysisResult result = analyzer.analyze(doc, validators::RuleConfig{});
  const server::CheckSource self{"dir/a \"b\".tex", doc.get(), result.prelude_text()};
  int fixes = 0, related = 0;
  for (const validators::Diagnostic& d : result.diagnostics) {
    std::string fast;
    server::append_diagnostic_json(fast, self, d, self);
    const nlohmann::json twin = server::diagnostic_json(self, d, self);
    CHECK(fast == protocol::dump_json(twin));
    fixes += twin.contains("fix") ? 1 : 0;
    related += twin.contains("related") ? 1 : 0;
  }
  return {fixes, related};
}

}  // namespace

TEST_CASE("check json: each diagnostic written directly equals nlohmann's text for it") {
  int related = 0;
  for (std::string file : {"perf/perf_smoke_big.tex", "perf/hott_big.tex", "chktex/Test.tex"}) {
    CAPTURE(file);
    auto [fixes, with_related] = compare_all(testing::read_corpus(file));
    CHECK(fixes > 0);
    related += with_related;
  }
  CHECK(related > 0);
}

TEST_CASE("check json: messages quoting bytes that are not UTF-8, control characters and quotes") {
  auto [fixes, related] = compare_all(
      "\\documentclass{article}\n\\begin{document}\nCaf\xe9 \"x\"\t... \\ref{caf\xe9 \x01}\n"
      "\\begin{itemize}\n\\end{document}\n");
  CHECK(fixes > 0);
  CHECK(related > 0);
}
