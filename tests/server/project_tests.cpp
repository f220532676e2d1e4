// The project model on the corpus projects: every chapter's root is found, every include
// resolves (except the one image the thesis really lacks), include cycles are detected, a magic
// root comment is honoured, and open buffers win over the files on disk. The project service keeps
// a document's project diagnostics after an edit that only moved its facts: the same as a recheck.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <random>

#include "../corpus.h"
#include "../edits.h"

#include "server/analyzer.h"
#include "server/file_uri.h"
#include "server/project.h"
#include "server/project_check.h"
#include "server/project_service.h"
#include "server/read_file.h"

using namespace perfectex;
using namespace perfectex::server;

namespace {

fs::path corpus(const std::string& relative) {
  return testing::corpus_dir() / relative;
}

// The includes of project that name nothing (generated files aside), as "file: path" lines.
std::vector<std::string> unresolved(ProjectWorkspace& ws, const Project& project) {
  std::vector<std::string> out;
  for (const ProjectNode& node : project.nodes) {
    for (const ResolvedInclude& r : node.includes) {
      if (r.target.empty() && !r.generated)
        out.push_back(node.file.filename().string() + ": " +
                      ws.file(node.file)->facts->includes[r.index].path);
    }
  }
  return out;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out.append(line).append("\n");
  return out;
}

fs::path scratch(const std::string& name,
                 const std::vector<std::pair<std::string, std::string>>& files) {
  return testing::scratch_folder("perfectex-project-" + name, files);
}

}  // namespace

TEST_CASE("napkin: every chapter's root is Napkin.tex and every include resolves") {
  ProjectWorkspace ws(corpus("napkin"));
  fs::path root = fs::absolute(corpus("napkin/Napkin.tex")).lexically_normal();
  CHECK(ws.root_of(corpus("napkin/tex/linalg/vector-space.tex")) == root);
  CHECK(ws.root_of(root) == root);
  Project project = ws.build(root);
  CHECK(project.nodes.size() > 100);
  CHECK_MESSAGE(unresolved(ws, project).empty(), joined(unresolved(ws, project)));
  CHECK_FALSE(project.bibliographies.empty());
}

TEST_CASE("hott-book: chapters belong to a hott-*.tex root, through main.tex") {
  ProjectWorkspace ws(corpus("hott-book"));
  fs::path root = ws.root_of(corpus("hott-book/basics.tex"));
  CHECK(root.filename().string().starts_with("hott-"));
  Project project = ws.build(root);
  bool has_main = false, has_basics = false;
  for (const ProjectNode& node : project.nodes) {
    has_main |= node.file.filename() == "main.tex";
    has_basics |= node.file.filename() == "basics.tex";
  }
  CHECK(has_main);
  CHECK(has_basics);
  CHECK_MESSAGE(unresolved(ws, project).empty(), joined(unresolved(ws, project)));
}

TEST_CASE("thesis-wierstorf: \\import with a macro path; only fig4_07 is missing") {
  ProjectWorkspace ws(corpus("thesis-wierstorf"));
  fs::path root =
      ws.root_of(corpus("thesis-wierstorf/04_binaural_synthesis/04_binaural_synthesis.tex"));
  CHECK(root.filename() == "wierstorf2014-perceptual_assessment_of_sound_field_synthesis.tex");
  Project project = ws.build(root);
  CHECK(project.nodes.size() == 9);
  CHECK_MESSAGE(unresolved(ws, project) ==
                    std::vector<std::string>{"04_binaural_synthesis.tex: fig4_07/fig4_07"},
                joined(unresolved(ws, project)));
}

TEST_CASE("stacks: each chapter is its own root, with the shared preamble") {
  ProjectWorkspace ws(corpus("stacks"));
  fs::path chapter = fs::absolute(corpus("stacks/algebra.tex")).lexically_normal();
  CHECK(ws.root_of(chapter) == chapter);
  Project project = ws.build(chapter);
  REQUIRE(project.nodes.size() >= 2);
  CHECK(project.nodes[1].file.filename() == "preamble.tex");
  CHECK_MESSAGE(unresolved(ws, project).empty(), joined(unresolved(ws, project)));
}

TEST_CASE("include cycles are cut, and a magic root comment is honoured") {
  fs::path dir = scratch("cycle", {{"main.tex", "\\documentclass{article}\n\\input{a}\n"},
                                   {"a.tex", "\\input{b}\n"},
                                   {"b.tex", "\\input{a}\n"},
                                   {"sub/c.tex", "% !TeX root = ../main.tex\ntext\n"}});
  ProjectWorkspace ws(dir);
  Project project = ws.build(dir / "main.tex");
  REQUIRE(project.nodes.size() == 3);
  REQUIRE(project.nodes[2].includes.size() == 1);
  CHECK(project.nodes[2].includes[0].cycle);
  CHECK(ws.root_of(dir / "sub/c.tex") == (dir / "main.tex").lexically_normal());
  CHECK(ws.root_of(dir / "b.tex") == (dir / "main.tex").lexically_normal());
}

TEST_CASE("one workspace asked again: the root follows includes edited in a buffer and on disk") {
  fs::path dir =
      scratch("reroot", {{"a.tex", "\\documentclass{book}\n\\begin{document}\\end{document}\n"},
                         {"b.tex", "\\documentclass{book}\n\\begin{document}\\end{document}\n"},
                         {"ch.tex", "\\chapter{One}\n"}});
  ProjectWorkspace ws(dir);
  CHECK(ws.root_of(dir / "ch.tex") == dir / "ch.tex");  // no document reads it
  ws.set_buffer(dir / "b.tex",
                "\\documentclass{book}\n\\begin{document}\\input{ch}\\end{document}\n");
  CHECK(ws.root_of(dir / "ch.tex") == dir / "b.tex");
  std::ofstream(dir / "a.tex")
      << "\\documentclass{book}\n\\begin{document}\\input{ch}\\end{document}\n";
  ws.forget(dir / "a.tex");
  CHECK(ws.root_of(dir / "ch.tex") == dir / "a.tex");  // both read it: the first by name
  ws.set_buffer(dir / "a.tex", "\\input{ch}\n");       // no longer a document of its own
  CHECK(ws.root_of(dir / "ch.tex") == dir / "b.tex");
  ws.drop_buffer(dir / "a.tex");  // a.tex on disk is a document that reads it
  CHECK(ws.root_of(dir / "ch.tex") == dir / "a.tex");
}

TEST_CASE("a marker file names the root among the documents that read a chapter") {
  const std::vector<std::pair<std::string, std::string>> files = {
      {"book/draft.tex", "\\documentclass{book}\n\\begin{document}\\include{ch}\\end{document}\n"},
      {"book/thesis.tex", "\\documentclass{book}\n\\begin{document}\\include{ch}\\end{document}\n"},
      {"book/ch.tex", "\\chapter{One}\n"}};
  // Without a marker, the first of the documents that read it, by name.
  fs::path dir = scratch("marker", files);
  CHECK(ProjectWorkspace(dir).root_of(dir / "book/ch.tex") == dir / "book/draft.tex");
  // latexmkrc's @default_files, and .perfectex.json's "root", name it.
  std::ofstream(dir / "book/latexmkrc") << "@default_files = ('thesis.tex');\n";
  CHECK(ProjectWorkspace(dir).root_of(dir / "book/ch.tex") == dir / "book/thesis.tex");
  fs::remove(dir / "book/latexmkrc");
  std::ofstream(dir / "book/.perfectex.json") << R"({"root": "thesis"})";
  CHECK(ProjectWorkspace(dir).root_of(dir / "book/ch.tex") == dir / "book/thesis.tex");
  // A marker naming a document that does not read the file: its folder's documents that do.
  std::ofstream(dir / "book/.perfectex.json") << R"({"root": "nothing.tex"})";
  CHECK(ProjectWorkspace(dir).root_of(dir / "book/ch.tex") == dir / "book/draft.tex");
}

TEST_CASE("an open buffer wins over the disk, and dropping it reads the disk again") {
  fs::path dir = scratch("buffer", {{"main.tex", "\\documentclass{article}\n\\input{a}\n"},
                                    {"a.tex", "\\label{disk}\n"}});
  ProjectWorkspace ws(dir);
  CHECK(ws.file(dir / "a.tex")->facts->labels.at(0).text == "disk");
  ws.set_buffer(dir / "a.tex", "\\label{buffer}\n");
  CHECK(ws.file(dir / "a.tex")->facts->labels.at(0).text == "buffer");
  ws.drop_buffer(dir / "a.tex");
  CHECK(ws.file(dir / "a.tex")->facts->labels.at(0).text == "disk");
  CHECK(ws.file(fs::temp_directory_path() / "elsewhere.tex") == nullptr);
}

namespace {

// "file:line: rule" for each diagnostic of the project at root with the given severity.
std::vector<std::string> findings(ProjectWorkspace& ws, const fs::path& root,
                                  validators::Severity severity,
                                  const validators::RuleConfig& config = {}) {
  ProjectReport report = check_project(ws, root, config);
  const Project& project = report.project;
  std::vector<std::string> out;
  for (const validators::ProjectDiagnostic& p : report.findings.diagnostics) {
    if (p.diagnostic.severity != severity) continue;
    bool bib = p.file >= project.nodes.size();
    const fs::path& path =
        bib ? project.bibliographies[p.file - project.nodes.size()] : project.nodes[p.file].file;
    const std::string& text = bib ? ws.bib(path)->text : *ws.file(path)->text;
    auto line = std::count(text.begin(), text.begin() + p.diagnostic.range.begin, '\n') + 1;
    out.push_back(path.filename().string() + ":" + std::to_string(line) + ": " +
                  std::string(validators::rule_info(p.diagnostic.rule).name));
  }
  return out;
}

}  // namespace

TEST_CASE("cross-document checks: the corpus projects compile, so no errors but the real one") {
  {
    ProjectWorkspace ws(corpus("napkin"));
    std::vector<std::string> errors =
        findings(ws, corpus("napkin/Napkin.tex"), validators::Severity::Error);
    CHECK_MESSAGE(errors.empty(), joined(errors));
  }
  {
    ProjectWorkspace ws(corpus("hott-book"));
    fs::path root = ws.root_of(corpus("hott-book/basics.tex"));
    std::vector<std::string> errors = findings(ws, root, validators::Severity::Error);
    CHECK_MESSAGE(errors.empty(), joined(errors));
  }
  {
    ProjectWorkspace ws(corpus("stacks"));
    for (const char* chapter : {"stacks/algebra.tex", "stacks/schemes.tex", "stacks/sets.tex"}) {
      std::vector<std::string> errors = findings(ws, corpus(chapter), validators::Severity::Error);
      CHECK_MESSAGE(errors.empty(), joined(errors));
    }
  }
  {
    ProjectWorkspace ws(corpus("thesis-wierstorf"));
    fs::path root =
        corpus("thesis-wierstorf/wierstorf2014-perceptual_assessment_of_sound_field_synthesis.tex");
    std::vector<std::string> errors = findings(ws, root, validators::Severity::Error);
    CHECK_MESSAGE(errors == std::vector<std::string>{"04_binaural_synthesis.tex:641: "
                                                     "missing-graphics-file"},
                  joined(errors));
    // Its figures' sources, fig*/src/fig*.tex, are made from fig*/: `src/...` images are there.
    int figures = 0;
    for (const auto& entry : fs::recursive_directory_iterator(corpus("thesis-wierstorf"))) {
      const fs::path& file = entry.path();
      if (file.extension() != ".tex" || file.parent_path().filename() != "src") continue;
      ++figures;
      CAPTURE(file);
      errors = findings(ws, ws.root_of(file), validators::Severity::Error);
      CHECK_MESSAGE(errors.empty(), joined(errors));
    }
    CHECK(figures >= 6);
  }
}

TEST_CASE("a path found only from a folder above the root's is where the document is made") {
  fs::path dir = scratch("made-above", {{"fig/src/fig.tex",
                                         "\\documentclass{article}\n"
                                         "\\usepackage{graphicx}\n"
                                         "\\begin{document}\n"
                                         "\\includegraphics{src/sketch}\n"
                                         "\\input{src/part}\n"
                                         "\\includegraphics{src/nowhere}\n"
                                         "\\includegraphics{sketch}\n"
                                         "\\end{document}\n"},
                                        {"fig/src/sketch.pdf", "%PDF-1.4\n"},
                                        {"fig/src/part.tex", "Text.\n"},
                                        {"other/src/nowhere.pdf", "%PDF-1.4\n"}});
  ProjectWorkspace ws(dir);
  fs::path root = dir / "fig/src/fig.tex";
  // From fig/: src/sketch and src/part; from fig/src/ itself: sketch. src/nowhere is nowhere
  // above the root (a folder beside it does not count).
  CHECK(findings(ws, root, validators::Severity::Error) ==
        std::vector<std::string>{"fig.tex:6: missing-graphics-file"});
  Project project = ws.build(root);
  REQUIRE(project.nodes.size() == 2);
  CHECK(project.nodes[1].file == fs::absolute(dir / "fig/src/part.tex").lexically_normal());
  // The workspace's folder bounds the search: from a workspace of fig/src/ alone, src/... is
  // missing.
  ProjectWorkspace inner(dir / "fig/src");
  CHECK(findings(inner, root, validators::Severity::Error) ==
        std::vector<std::string>{"fig.tex:4: missing-graphics-file",
                                 "fig.tex:5: missing-input-file",
                                 "fig.tex:6: missing-graphics-file"});
}

TEST_CASE("a label deleted from one chapter leaves the reference in another undefined") {
  fs::path dir = scratch("labels", {{"main.tex",
                                     "\\documentclass{book}\n\\begin{document}\n"
                                     "\\include{one}\n\\include{two}\n\\end{document}\n"},
                                    {"one.tex", "\\chapter{One}\\label{ch:one}\n"},
                                    {"two.tex", "See Chapter~\\ref{ch:one}.\n\\label{ch:one}\n"}});
  ProjectWorkspace ws(dir);
  fs::path root = ws.root_of(dir / "two.tex");
  CHECK(findings(ws, root, validators::Severity::Warning) ==
        std::vector<std::string>{"two.tex:2: duplicate-label"});
  ws.set_buffer(dir / "one.tex", "\\chapter{One}\n");
  ws.set_buffer(dir / "two.tex", "See Chapter~\\ref{ch:one}.\n");
  CHECK(findings(ws, root, validators::Severity::Warning) ==
        std::vector<std::string>{"two.tex:1: undefined-reference"});
}

TEST_CASE("a label changed in one \\externaldocument changes the external labels in place") {
  fs::path dir = scratch(
      "externals",
      {{"a.tex",
        "\\documentclass{article}\n\\usepackage{xr}\n\\externaldocument[b-]{b}\n"
        "\\externaldocument[c-]{c}\n\\externaldocument[bb-]{b}\n\\begin{document}\n"
        "\\input{body}\n\\end{document}\n"},
       {"body.tex", "See \\ref{b-x} and \\ref{c-y}.\n"},
       {"b.tex", "\\documentclass{article}\n\\begin{document}\n\\label{x}\n\\end{document}\n"},
       {"c.tex",
        "\\documentclass{article}\n\\begin{document}\n\\input{cl}\n\\input{cl}\n\\end{document}\n"},
       {"cl.tex", "\\label{y}\n"}});
  ProjectWorkspace ws(dir);
  const fs::path a = ws.root_of(dir / "body.tex");
  CHECK(findings(ws, a, validators::Severity::Warning).empty());
  // b.tex as an editor's buffer with its facts, as the server gives them: its labels change, not
  // its includes; and cl.tex, which c.tex reads twice, likewise. A workspace that reads them
  // afresh must see the same external labels.
  auto set = [&](ProjectWorkspace& w, const char* file, std::string text) {
    auto shared = std::make_shared<const std::string>(std::move(text));
    lexer::TokenBuffer tokens(shared->size() + 1);
    lexer::lex_document(*shared, tokens);
    w.set_buffer(
        dir / file, shared,
        std::make_shared<const validators::FileFacts>(validators::extract_facts(*shared, tokens)));
  };
  auto set_b = [&](ProjectWorkspace& w, std::string_view labels) {
    set(w, "b.tex",
        "\\documentclass{article}\n\\begin{document}\n" + std::string(labels) +
            "\n\\end{document}\n");
    set(w, "cl.tex", std::string(labels) + "\\label{y}\n");
  };
  set_b(ws, "\\label{x}");
  for (std::string_view labels : {"\\label{z}", "\\label{x}", "\\label{x}\\label{w}",
                                  "\\label{w}\\label{w}", "", "\\label{x}"}) {
    CAPTURE(labels);
    set_b(ws, labels);
    ProjectWorkspace fresh(dir);
    set_b(fresh, labels);
    CHECK(ws.external_labels(ws.build(a)) == fresh.external_labels(fresh.build(a)));
    CHECK(ws.document_labels(dir / "c.tex") == fresh.document_labels(dir / "c.tex"));
    CHECK(findings(ws, a, validators::Severity::Warning) ==
          findings(fresh, a, validators::Severity::Warning));
  }
  set_b(ws, "\\label{z}");
  CHECK(findings(ws, a, validators::Severity::Warning) ==
        std::vector<std::string>{"body.tex:1: undefined-reference"});
}

TEST_CASE("of a label defined in two files, the one LaTeX reads second is the duplicate") {
  for (bool before : {true, false}) {
    CAPTURE(before);
    const std::string label = "\\label{x}\n";
    fs::path dir =
        scratch("reading-order",
                {{"main.tex", "\\documentclass{book}\n\\begin{document}\n" + (before ? label : "") +
                                  "\\input{one}\n" + (before ? "" : label) + "\\end{document}\n"},
                 {"one.tex", "Text.\n\\label{x}\n"}});
    ProjectWorkspace ws(dir);
    CHECK(findings(ws, ws.root_of(dir / "main.tex"), validators::Severity::Warning) ==
          std::vector<std::string>{before ? "one.tex:2: duplicate-label"
                                          : "main.tex:4: duplicate-label"});
  }
}

TEST_CASE("with chapters left out by \\includeonly, no reference is called undefined") {
  const std::string chapters = "\\include{one}\n\\include{two}\n\\end{document}\n";
  for (bool only : {true, false}) {
    CAPTURE(only);
    fs::path dir = scratch("includeonly", {{"main.tex", std::string("\\documentclass{book}\n") +
                                                            (only ? "\\includeonly{one}\n" : "") +
                                                            "\\begin{document}\n" + chapters},
                                           {"one.tex", "See \\ref{two} and \\ref{nowhere}.\n"},
                                           {"two.tex", "\\chapter{Two}\\label{two}\n"}});
    ProjectWorkspace ws(dir);
    // Read whole, the project knows \label{two}; with two.tex left out, LaTeX takes its labels
    // from two.aux, which the project does not read.
    CHECK(findings(ws, ws.root_of(dir / "main.tex"), validators::Severity::Warning) ==
          (only ? std::vector<std::string>{}
                : std::vector<std::string>{"one.tex:1: undefined-reference"}));
  }
}

TEST_CASE("file URIs and paths, percent-encoded both ways") {
  CHECK(path_from_uri("file:///home/a%20b/th%C3%A8se.tex") ==
        fs::path("/home/a b/th\xC3\xA8se.tex"));
  CHECK(path_from_uri("file://localhost/x.tex") == fs::path("/x.tex"));
  CHECK_FALSE(path_from_uri("untitled:Untitled-1").has_value());
  CHECK_FALSE(path_from_uri("file:///bad%zz").has_value());
  CHECK(uri_from_path("/home/a b/th\xC3\xA8se.tex") == "file:///home/a%20b/th%C3%A8se.tex");
  CHECK(path_from_uri(uri_from_path("/t/x#1.tex")) == fs::path("/t/x#1.tex"));
}

TEST_CASE("citations are checked against the project's bibliography once it can be read") {
  fs::path dir = scratch("cite", {{"main.tex",
                                   "\\documentclass{article}\n\\begin{document}\n"
                                   "\\cite{known} \\cite[p.~3]{known,unknown}\n"
                                   "\\bibliography{refs}\n\\end{document}\n"},
                                  {"refs.bib", "@book{known, title = {T}}\n"}});
  ProjectWorkspace ws(dir);
  CHECK(findings(ws, dir / "main.tex", validators::Severity::Warning) ==
        std::vector<std::string>{"main.tex:3: undefined-citation"});
  // Without a readable bibliography no citation is called undefined.
  fs::remove(dir / "refs.bib");
  ws.forget(dir / "refs.bib");
  CHECK(findings(ws, dir / "main.tex", validators::Severity::Warning) ==
        std::vector<std::string>{"main.tex:4: missing-bibliography-file"});
}

TEST_CASE("entries cited nowhere, when asked for; an editor's .bib buffer wins over the disk") {
  fs::path dir =
      scratch("unused", {{"main.tex",
                          "\\documentclass{article}\n\\begin{document}\n"
                          "\\cite{known}\n\\bibliography{refs}\n\\end{document}\n"},
                         {"refs.bib", "@book{known, title = {T}}\n@book{spare, title = {S}}\n"}});
  ProjectWorkspace ws(dir);
  fs::path root = dir / "main.tex";
  CHECK(findings(ws, root, validators::Severity::Hint).empty());  // off by default
  validators::RuleConfig config;
  CHECK_FALSE(config.apply("unused-bib-entry", "on"));
  CHECK(findings(ws, root, validators::Severity::Hint, config) ==
        std::vector<std::string>{"refs.bib:2: unused-bib-entry"});
  ws.set_buffer(dir / "main.tex",
                "\\documentclass{article}\n\\begin{document}\n\\cite{known,spare,later}\n"
                "\\bibliography{refs}\n\\end{document}\n");
  CHECK(findings(ws, root, validators::Severity::Hint, config).empty());
  CHECK(findings(ws, root, validators::Severity::Warning) ==
        std::vector<std::string>{"main.tex:3: undefined-citation"});
  // The .bib file open in the editor: its buffer's keys count, not the disk's.
  ws.set_buffer(dir / "refs.bib",
                "@book{known, title = {T}}\n@book{spare, title = {S}}\n"
                "@book{later, title = {L}}\n");
  CHECK(findings(ws, root, validators::Severity::Warning).empty());
  ws.drop_buffer(dir / "refs.bib");
  CHECK(findings(ws, root, validators::Severity::Warning) ==
        std::vector<std::string>{"main.tex:3: undefined-citation"});
}

TEST_CASE("the corpus projects cite only keys their bibliographies define") {
  for (const char* root :
       {"napkin/Napkin.tex", "stacks/algebra.tex",
        "thesis-wierstorf/wierstorf2014-perceptual_assessment_of_sound_field_synthesis.tex"}) {
    CAPTURE(root);
    ProjectWorkspace ws(corpus(root).parent_path());
    std::vector<std::string> warnings = findings(ws, corpus(root), validators::Severity::Warning);
    CHECK_MESSAGE(warnings.empty(), joined(warnings));
  }
  // The HoTT book cites scott70, which its .bib spells Scott70: BibTeX finds it, LaTeX does not.
  ProjectWorkspace hott(corpus("hott-book"));
  CHECK(findings(hott, corpus("hott-book/main.tex"), validators::Severity::Warning) ==
        std::vector<std::string>{"preliminaries.tex:1854: citation-key-case"});
}

TEST_CASE("read_file: the bytes as they are; nothing for a missing file or a folder") {
  std::string bytes = "a\r\nb";
  bytes += '\0';
  bytes += "\xFF\xC3";
  bytes += std::string(200000, 'x');  // past any first buffer
  fs::path dir =
      testing::scratch_folder("perfectex-read-file", {{"f.tex", bytes}, {"empty.tex", ""}});
  CHECK(read_file(dir / "f.tex") == bytes);
  CHECK(read_file(dir / "empty.tex") == std::string());
  CHECK_FALSE(read_file(dir / "missing.tex").has_value());
  CHECK_FALSE(read_file(dir).has_value());
  fs::remove_all(dir);
}

TEST_CASE(
    "after edits that only move a document's facts, its project diagnostics are kept, as a "
    "recheck from scratch writes them") {
  // main.tex, the document typed in, reads a preamble that opens the document (so main's
  // \end{document} is waived) and a chapter whose labels clash with one main defines before it
  // (diagnostics in the chapter that point into main); main has an undefined reference and a
  // missing bibliography.
  const std::string preamble = "\\documentclass{article}\n\\begin{document}\n";
  const std::string chapter = "\\section{A}\\label{a}\n\\label{a}\n";
  std::string main_text =
      "\\input{preamble}\n\\label{a}Some words.\n\\input{chapter}\n"
      "See \\ref{a} and \\ref{nowhere}.\n";
  for (int i = 0; i < 40; ++i)
    main_text += "Words of a paragraph, line " + std::to_string(i) + ".\n";
  main_text += "\\bibliography{missing}\n\\end{document}\n";
  fs::path dir = scratch(
      "kept", {{"main.tex", main_text}, {"preamble.tex", preamble}, {"chapter.tex", chapter}});
  const std::string uri = uri_from_path(dir / "main.tex");
  const std::string chapter_uri = uri_from_path(dir / "chapter.tex");
  auto snapshot_of = [&](const std::string& text, std::int64_t version) {
    auto s = std::make_shared<Snapshot>();
    s->uri = uri;
    s->version = version;
    s->language_id = "latex";
    s->lines = LineIndex(text);
    s->text = text;
    return s;
  };
  validators::RuleConfig config;
  Analyzer analyzer;
  ProjectService projects;
  projects.set_folders({dir});
  std::mt19937 rng(11);
  std::string text = main_text;
  static constexpr std::string_view kTyped = "abcxyz \n";
  static constexpr std::string_view kSnippets[] = {"\\ref{a}", "\\label{b}", "\\cite{k}",
                                                   "}",        "{",          "\\end{document}"};
  std::uint64_t kept = 0;
  for (int round = 0; round < 300; ++round) {
    CAPTURE(round);
    if (rng() % 6 == 0) {
      testing::random_edit(text, rng, kSnippets);
    } else {
      testing::apply_edit(text, rng() % (text.size() + 1), 0,
                          kTyped.substr(rng() % kTyped.size(), 1));
    }
    SnapshotPtr snapshot = snapshot_of(text, round + 2);
    const std::uint64_t before = projects.rechecks();
    projects.on_analysis(analyzer.analyze(snapshot, config));
    kept += projects.rechecks() == before ? 1 : 0;
    ProjectService fresh;
    fresh.set_folders({dir});
    fresh.on_analysis(Analyzer().analyze(snapshot, config));
    REQUIRE(projects.pieces(uri) == fresh.pieces(uri));
    REQUIRE(projects.pieces(chapter_uri) == fresh.pieces(chapter_uri));
    const auto waivers = projects.waivers(uri), fresh_waivers = fresh.waivers(uri);
    REQUIRE(std::equal(waivers.begin(), waivers.end(), fresh_waivers.begin(), fresh_waivers.end()));
    if (round == 0) {  // there is something to keep, in both files
      CHECK(!projects.pieces(uri).empty());
      CHECK(!projects.pieces(chapter_uri).empty());
      CHECK(!waivers.empty());
    }
  }
  // Most letters typed were kept without a recheck.
  MESSAGE(kept << " of 300 edits kept the project's diagnostics");
  CHECK(kept > 150);
}
