// .bib documents in the server: which documents get which analysis (document_kind), a bibtex
// buffer opened and edited in process gets the F7 diagnostics with LSP positions and related
// locations, and an analyzer that checks a .bib snapshot still relexes its LaTeX ones correctly.
#include <doctest/doctest.h>

#include <fstream>
#include <sstream>

#include "lexer/quiet_allocation_guard.h"
#include "protocol/framing.h"
#include "server/analyzer.h"
#include "server/document_kind.h"
#include "server/lsp_server.h"

using namespace perfectex;
using namespace perfectex::server;
using protocol::json;

namespace {

struct BibClient {
  explicit BibClient(Executor& executor)
      : server(
            ServerOptions{}, executor, [this](std::string_view bytes) { decoder.feed(bytes); },
            [](int) {}) {
    send(protocol::encode_request(
        1, "initialize",
        {{"processId", nullptr}, {"rootUri", nullptr}, {"capabilities", json::object()}}));
    send(protocol::encode_notification("initialized", json::object()));
  }
  void send(std::string_view body) { server.on_bytes(protocol::encode_frame(body)); }
  std::vector<json> publishes() {
    std::vector<json> out;
    for (;;) {
      auto e = decoder.next();
      if (e.status != protocol::FrameStatus::Frame) break;
      json m = json::parse(e.body);
      if (m.value("method", "") == "textDocument/publishDiagnostics") out.push_back(m["params"]);
    }
    return out;
  }

  protocol::FrameDecoder decoder;
  LspServer server;
};

json range(int l0, int c0, int l1, int c1) {
  return {{"start", {{"line", l0}, {"character", c0}}}, {"end", {{"line", l1}, {"character", c1}}}};
}

SnapshotPtr snapshot(std::string uri, std::string language, std::string text, int version = 1) {
  auto s = std::make_shared<Snapshot>();
  s->uri = std::move(uri);
  s->language_id = std::move(language);
  s->version = version;
  s->text = std::move(text);
  s->lines = LineIndex(s->text);
  return s;
}

}  // namespace

TEST_CASE("document_kind: the language id decides, the extension only without one") {
  CHECK(document_kind("bibtex", "file:///a.tex") == DocumentKind::Bibtex);
  CHECK(document_kind("bib", "file:///a") == DocumentKind::Bibtex);
  CHECK(document_kind("latex", "file:///refs.bib") == DocumentKind::Latex);
  CHECK(document_kind("tex", "") == DocumentKind::Latex);
  CHECK(document_kind("markdown", "file:///refs.bib") == DocumentKind::Other);
  CHECK(document_kind("", "/home/me/refs.BIB") == DocumentKind::Bibtex);
  CHECK(document_kind("", "/home/me/thesis.tex") == DocumentKind::Latex);
  CHECK(document_kind("", "/home/me/bib") == DocumentKind::Latex);
}

TEST_CASE("a bibtex buffer gets its diagnostics with positions and related locations") {
  InlineExecutor executor;
  BibClient c(executor);
  std::string uri = "file:///refs.bib";
  std::string text =
      "@article{dup, title = {\xC3\x89tude}}\n"  // É is one UTF-16 unit, two bytes
      "@book{dup,\n"
      "  title = {B},\n"
      "  TITLE = {C}\n"
      "}\n"
      "@misc{broken, note = {x}\n";
  c.send(protocol::encode_notification(
      "textDocument/didOpen",
      {{"textDocument",
        {{"uri", uri}, {"languageId", "bibtex"}, {"version", 1}, {"text", text}}}}));
  auto published = c.publishes();
  REQUIRE(published.size() == 1);
  json diagnostics = published[0]["diagnostics"];
  REQUIRE(diagnostics.size() == 3);

  CHECK(diagnostics[0]["code"] == "bib-duplicate-key");
  CHECK(diagnostics[0]["severity"] == 2);
  CHECK(diagnostics[0]["range"] == range(1, 6, 1, 9));
  CHECK(diagnostics[0]["relatedInformation"][0]["location"]["range"] == range(0, 9, 0, 12));
  CHECK(diagnostics[0]["relatedInformation"][0]["location"]["uri"] == uri);

  CHECK(diagnostics[1]["code"] == "bib-duplicate-field");
  CHECK(diagnostics[1]["range"] == range(3, 2, 3, 7));
  CHECK(diagnostics[1]["message"] ==
        "field `TITLE` appears twice in this entry; BibTeX uses the first and ignores this one: "
        "delete one of them");
  CHECK(diagnostics[1]["relatedInformation"][0]["location"]["range"] == range(2, 2, 2, 7));

  CHECK(diagnostics[2]["code"] == "bib-unclosed-entry");
  CHECK(diagnostics[2]["severity"] == 1);
  CHECK(diagnostics[2]["range"] == range(5, 0, 5, 12));

  // The user fixes the file: an empty publish for the new version.
  std::string fixed = "@article{dup, title = {A}}\n@book{other, title = {B}}\n";
  c.send(protocol::encode_notification("textDocument/didChange",
                                       {{"textDocument", {{"uri", uri}, {"version", 2}}},
                                        {"contentChanges", json::array({{{"text", fixed}}})}}));
  published = c.publishes();
  REQUIRE(published.size() == 1);
  CHECK(published[0]["version"] == 2);
  CHECK(published[0]["diagnostics"].empty());

  // Another language an editor may send is still published empty.
  c.send(protocol::encode_notification("textDocument/didOpen", {{"textDocument",
                                                                 {{"uri", "file:///notes.md"},
                                                                  {"languageId", "markdown"},
                                                                  {"version", 1},
                                                                  {"text", "@x"}}}}));
  published = c.publishes();
  REQUIRE(published.size() == 1);
  CHECK(published[0]["diagnostics"].empty());
}

TEST_CASE("an analyzer checking a .bib between LaTeX versions relexes LaTeX as a fresh one does") {
  Analyzer shared;
  std::string tex = "\\documentclass{article}\n\\begin{document}\nText } here.\n\\end{document}\n";
  validators::RuleConfig config;
  shared.analyze(snapshot("file:///a.tex", "latex", tex), config);
  AnalysisResult bib =
      shared.analyze(snapshot("file:///r.bib", "bibtex", "@misc{k}\n@misc{k}\n"), config);
  REQUIRE(bib.diagnostics.size() == 1);
  CHECK(bib.diagnostics[0].rule == validators::RuleId::BibDuplicateKey);

  std::string edited = tex;
  edited.replace(edited.find('}', 40), 1, "{}");
  AnalysisResult after = shared.analyze(snapshot("file:///a.tex", "latex", edited, 2), config);
  Analyzer fresh;
  AnalysisResult expected = fresh.analyze(snapshot("file:///a.tex", "latex", edited, 2), config);
  CHECK(after.diagnostics == expected.diagnostics);
  CHECK(after.token_count == expected.token_count);
  CHECK(after.incremental);
}

TEST_CASE("a warm analyzer parses and checks a .bib without allocating") {
  REQUIRE(lexer::allocation_counting_enabled());
  std::ifstream in(std::string(PERFECTEX_CORPUS_DIR) + "/stacks/my.bib", std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  auto bib = snapshot("file:///my.bib", "bibtex", std::move(s).str());
  Analyzer analyzer;
  validators::RuleConfig config;
  AnalysisResult cold = analyzer.analyze(bib, config);
  CHECK(cold.hot_path_allocations > 0);
  CHECK(cold.diagnostics.empty());
  AnalysisResult warm = analyzer.analyze(bib, config);
  CHECK(warm.hot_path_allocations == 0);
}
