// Environments across files: the edges a file's facts record are exactly what F1 reports in the
// file alone (compared on random texts), and the project walk waives an edge only when the
// file read next to it, in LaTeX's reading order, closes or opens the same environment.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <span>

#include "lexer/lexer.h"
#include "validators/project_facts.h"
#include "validators/project_waivers.h"
#include "validators/runner.h"

using namespace perfectex;
using namespace perfectex::validators;

namespace {

FileFacts facts_of(std::string_view text) {
  lexer::TokenBuffer tokens;
  lexer::lex_document(text, tokens);
  return extract_facts(text, tokens);
}

std::vector<Diagnostic> f1(std::string_view text) {
  lexer::TokenBuffer tokens;
  lexer::lex_document(text, tokens);
  Workspace ws;
  run_rules(text, tokens, RuleConfig{}, ws);
  return ws.sink.items();
}

// Files given as texts; each `\input{N}` reads files[N].
struct Files {
  std::vector<FileFacts> facts;
  ProjectInput input;
  explicit Files(const std::vector<std::string>& texts) {
    for (const std::string& t : texts) facts.push_back(facts_of(t));
    for (const FileFacts& f : facts) {
      ProjectInput::File file;
      file.facts = &f;
      for (const Include& inc : f.includes) {
        file.includes.push_back(IncludeStatus::Found);
        file.reads.push_back(static_cast<std::size_t>(std::stoul(inc.path)));
      }
      input.files.push_back(file);
    }
  }
};

std::vector<Waiver> at(std::initializer_list<Waiver> w) {
  return w;
}

}  // namespace

// F1's reports that a file leaves to its neighbours: \end with nothing open, \begin open at the
// end.
std::vector<Span> f1_edges(std::string_view text) {
  std::vector<Span> out;
  for (const Diagnostic& d : f1(text)) {
    if (d.rule == RuleId::UnmatchedEnd || (d.rule == RuleId::UnclosedEnvironment && !d.has_related))
      out.push_back(d.range);
  }
  std::sort(out.begin(), out.end(), [](Span a, Span b) { return a.begin < b.begin; });
  return out;
}

std::vector<Span> edges(std::string_view text) {
  std::vector<Span> out;
  for (const EnvironmentEdge& e : facts_of(text).environment_edges) {
    out.push_back(e.environment.span);
  }
  std::sort(out.begin(), out.end(), [](Span a, Span b) { return a.begin < b.begin; });
  return out;
}

std::string random_text(std::mt19937& rng, std::span<const char* const> pieces) {
  std::string text;
  std::size_t n = 1 + rng() % 12;
  for (std::size_t k = 0; k < n; ++k) text += pieces[rng() % pieces.size()];
  return text;
}

TEST_CASE("environment edges are what F1 reports in the file alone") {
  std::mt19937 rng(7);
  // Groups that balance their environments: the edges are exactly F1's reports.
  const char* tidy[] = {"\\begin{a}",
                        "\\end{a}",
                        "\\begin{b}",
                        "\\end{b}",
                        "{x}",
                        "{\\begin{c}\\end{c}}",
                        "x ",
                        "\n",
                        "\\begin{document}",
                        "\\end{document}",
                        "$x$",
                        "\\newcommand{\\beq}{\\begin{equation}}"};
  for (int round = 0; round < 2000; ++round) {
    std::string text = random_text(rng, tidy);
    CAPTURE(text);
    CHECK(edges(text) == f1_edges(text));
  }
  // Any braces: every edge is still one of F1's reports (a tangled file has none).
  const char* any[] = {
      "\\begin{a}", "\\end{a}", "\\begin{b}",        "\\end{b}",        "{",         "}",   "$",
      "x ",         "\n",       "\\begin{document}", "\\end{document}", "\\iffalse", "\\fi"};
  for (int round = 0; round < 2000; ++round) {
    std::string text = random_text(rng, any);
    CAPTURE(text);
    std::vector<Span> reported = f1_edges(text);
    for (Span e : edges(text)) {
      CHECK_MESSAGE(std::find(reported.begin(), reported.end(), e) != reported.end(), e.begin);
    }
  }
}

TEST_CASE("environment edges leave out groups and definitions") {
  FileFacts f = facts_of(
      "\\end{itemize}\n\\newcommand{\\beq}{\\begin{equation}}\n{\\begin{center}\\end{center}}\n"
      "\\begin{figure}\\begin{a}\\end{a}\n");
  REQUIRE(f.environment_edges.size() == 2);
  CHECK(f.environment_edges[0].environment.text == "itemize");
  CHECK_FALSE(f.environment_edges[0].opens);
  CHECK(f.environment_edges[0].environment.span == Span{0, 13});
  CHECK(f.environment_edges[1].environment.text == "figure");
  CHECK(f.environment_edges[1].opens);
}

TEST_CASE("an environment opened in one file and closed in another is waived in both") {
  // main: \input{1} (the preamble opens document), \input{2} (a chapter), \end{document}.
  Files split({"\\input{1}\n\\input{2}\n\\end{document}\n",
               "\\documentclass{article}\n\\begin{document}\n", "\\section{A}\n"});
  std::vector<std::vector<Waiver>> w = project_waivers(split.input);
  CHECK(w[0] == at({{20, RuleId::UnmatchedEnd}}));
  CHECK(w[1] == at({{24, RuleId::UnclosedEnvironment}}));
  CHECK(w[2].empty());

  // A chapter that leaves itemize open: \end{document} still closes the document, and the
  // chapter keeps its error (LaTeX's: itemize ended by \end{document}).
  Files open_item({"\\input{1}\n\\input{2}\n\\end{document}\n",
                   "\\documentclass{article}\n\\begin{document}\n", "\\begin{itemize}\\item x\n"});
  w = project_waivers(open_item.input);
  CHECK(w[0] == at({{20, RuleId::UnmatchedEnd}}));
  CHECK(w[1] == at({{24, RuleId::UnclosedEnvironment}}));
  CHECK(w[2].empty());

  // Read where LaTeX reads it, the closing file balances the chapter.
  Files closed({"\\input{1}\n\\input{2}\\input{3}\n\\end{document}\n",
                "\\documentclass{article}\n\\begin{document}\n", "\\begin{itemize}\\item x\n",
                "\\end{itemize}\n"});
  w = project_waivers(closed.input);
  CHECK(w[2] == at({{0, RuleId::UnclosedEnvironment}}));
  CHECK(w[3] == at({{0, RuleId::UnmatchedEnd}}));
}

TEST_CASE("an \\end that closes no open environment, or comes first, is never waived") {
  Files wrong({"\\begin{itemize}\\input{1}\n", "\\end{enumerate}\n"});
  std::vector<std::vector<Waiver>> w = project_waivers(wrong.input);
  CHECK(w[0].empty());
  CHECK(w[1].empty());
  // The \end is read before the file that opens the environment.
  Files order({"\\input{1}\\input{2}\n", "\\end{a}\n", "\\begin{a}\n"});
  w = project_waivers(order.input);
  CHECK(w[1].empty());
  CHECK(w[2].empty());
}

TEST_CASE("a \\documentclass whose \\begin{document} is in another file") {
  Files split({"\\input{1}\n\\begin{document}\nx\n\\end{document}\n",
               "\\documentclass{article}\n\\usepackage{amsmath}\n"});
  std::vector<std::vector<Waiver>> w = project_waivers(split.input);
  CHECK(w[1] == at({{0, RuleId::MissingBeginDocument}}));
  // Alone, the preamble file reports it; the waiver names exactly that diagnostic.
  std::vector<Diagnostic> alone = f1("\\documentclass{article}\n\\usepackage{amsmath}\n");
  REQUIRE(alone.size() >= 1);
  CHECK(std::any_of(alone.begin(), alone.end(),
                    [&](const Diagnostic& d) { return waived(w[1], d); }));
  // One file is its own document: nothing is waived.
  Files one({"\\documentclass{article}\n"});
  CHECK(project_waivers(one.input)[0].empty());
}
