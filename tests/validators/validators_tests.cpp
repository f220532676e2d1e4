// validators/ tests: for each F1 rule a bad snippet that fires at the exact range and a good one
// that stays silent; rendering of messages and fixes; configuration; the corpus documents that
// compile get no error-severity diagnostic, and a deleted brace is reported exactly.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <set>
#include <sstream>

#include "../corpus.h"
#include "lexer/lexer.h"
#include "validators/render.h"
#include "validators/runner.h"

using namespace perfectex;
using namespace perfectex::validators;

namespace {

struct Found {
  std::string rule;
  std::uint32_t begin, end;
  friend bool operator==(const Found&, const Found&) = default;
  friend std::ostream& operator<<(std::ostream& os, const Found& f) {
    return os << f.rule << "@" << f.begin << "-" << f.end;
  }
};

std::vector<Diagnostic> analyse(std::string_view text, const RuleConfig& config = {}) {
  lexer::TokenBuffer tokens;
  lexer::lex_document(text, tokens);
  Workspace ws;
  run_rules(text, tokens, config, ws);
  return ws.sink.items();
}

// The F1 diagnostics of text (the other families have their own tests).
std::vector<Found> found(std::string_view text) {
  std::vector<Found> out;
  for (const Diagnostic& d : analyse(text)) {
    if (rule_info(d.rule).family != Family::Structure) continue;
    out.push_back({std::string(rule_info(d.rule).name), d.range.begin, d.range.end});
  }
  return out;
}

// The range of the n-th (0-based) occurrence of needle in text.
Found at(std::string rule, std::string_view text, std::string_view needle, int n = 0) {
  std::size_t pos = text.find(needle);
  while (n-- > 0) pos = text.find(needle, pos + 1);
  REQUIRE(pos != std::string_view::npos);
  return {std::move(rule), static_cast<std::uint32_t>(pos),
          static_cast<std::uint32_t>(pos + needle.size())};
}

using List = std::vector<Found>;

}  // namespace

TEST_CASE("braces") {
  std::string bad = "a } b";
  CHECK(found(bad) == List{at("unmatched-close-brace", bad, "}")});
  std::string open = "\\textbf{a\n";
  CHECK(found(open) == List{at("unclosed-brace", open, "{")});
  CHECK(found("\\textbf{a} {b {c}} \\{ \\}").empty());
}

TEST_CASE("environments") {
  std::string unclosed = "\\begin{itemize}\n\\item x\n";
  CHECK(found(unclosed) == List{at("unclosed-environment", unclosed, "\\begin{itemize}")});
  std::string mismatch = "\\begin{itemize}\n\\item x\n\\end{enumerate}\n";
  CHECK(found(mismatch) == List{at("mismatched-environment", mismatch, "\\end{enumerate}")});
  std::string stray = "x \\end{center}";
  CHECK(found(stray) == List{at("unmatched-end", stray, "\\end{center}")});
  std::string inner = "\\begin{center}\\begin{tabular}{l}a\\end{center}";
  CHECK(found(inner) == List{at("unclosed-environment", inner, "\\begin{tabular}")});
  std::string empty = "\\begin{}x";
  CHECK(found(empty) == List{at("missing-environment-name", empty, "\\begin")});
  CHECK(found("\\begin{a}\\begin{b*}x\\end{b*}\\end{a} \\begin{#1}\\end{\\x}").empty());
}

TEST_CASE("an environment cut off by a closing brace is reported at its \\begin") {
  std::string text = "{\\begin{center} x}";
  auto ds = analyse(text);
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].rule == RuleId::UnclosedEnvironment);
  CHECK(ds[0].has_related);
  CHECK(ds[0].related.begin == text.size() - 1);
  auto fix = make_fix(ds[0], text);
  REQUIRE(fix.has_value());
  CHECK(fix->title == "Insert \\end{center}");
  CHECK(fix->edits == std::vector<TextEdit>{{{static_cast<std::uint32_t>(text.size() - 1),
                                              static_cast<std::uint32_t>(text.size() - 1)},
                                             "\\end{center}"}});
}

TEST_CASE("math shifts and delimiters") {
  std::string open = "a $x + y\n\nmore";
  CHECK(found(open) == List{at("unclosed-math", open, "$")});
  std::string display = "\\[ x \\)";
  CHECK(found(display) == List{at("mismatched-math-delimiter", display, "\\)")});
  std::string stray = "text \\] more";
  CHECK(found(stray) == List{at("unmatched-math-close", stray, "\\]")});
  std::string dd = "$$ a $ b";
  CHECK(found(dd) == List{at("mismatched-math-delimiter", dd, "$", 2)});
  std::string blank = "\\begin{equation}\na\n\nb\n\\end{equation}";
  CHECK(found(blank) == List{at("paragraph-in-math", blank, "\n\n")});
  // An equation whose \end is not typed yet: one blank-line error, not one per paragraph after it.
  std::string typing = "\\begin{equation}\na\n\nb\n\nc\n\nd\n";
  CHECK(found(typing) == List{at("unclosed-environment", typing, "\\begin{equation}"),
                              at("paragraph-in-math", typing, "\n\n")});
  CHECK(found("$a$ $$b$$ \\(c\\) \\[d\\] $\\text{$e$}$ $a$$b$ \\$5").empty());
  // A $ inside display math starts text-mode math in an argument (HoTT's \inferrule labels).
  CHECK(found("\\[ \\inferrule*[right=$\\Pi$-eq]{a}{b} \\]").empty());
  CHECK(found("\\begin{align}\na &= b \\\\\nc &= d\n\\end{align}").empty());
}

TEST_CASE("a blank line cuts off an argument that cannot span it, and inline math, as TeX does") {
  // "Paragraph ended before \ref was complete": the key ends at the blank line, where the fix puts
  // its `}`; the `}` after it closes nothing.
  std::string ref = "see \\ref{sec:a\n\nNext paragraph.}";
  CHECK(found(ref) == List{at("unclosed-brace", ref, "{"), at("unmatched-close-brace", ref, "}")});
  for (const Diagnostic& d : analyse(ref)) {
    if (d.rule != RuleId::UnclosedBrace) continue;
    CHECK(d.has_related);
    CHECK(d.related.begin == ref.find("\n\n"));
  }
  std::string heading = "\\section{Intro\n\ntext";
  CHECK(found(heading) == List{at("unclosed-brace", heading, "{")});
  // An environment name still being typed.
  std::string name = "\\begin{theor\n\ntext \\begin{proof} x \\end{proof}";
  CHECK(found(name) == List{at("unclosed-brace", name, "{")});
  // Inline math ends with the paragraph ("Missing $ inserted"), with the groups opened in it; the
  // math after it pairs as written.
  std::string math = "$f: \\mathbb{R\n\nThen $x$ and $y$.";
  CHECK(found(math) == List{at("unclosed-math", math, "$"), at("unclosed-brace", math, "{")});
  std::string text = "$x \\in \\text{dom\n\nThen $x$.";
  CHECK(found(text) == List{at("unclosed-math", text, "$"), at("unclosed-brace", text, "{")});
  // Display math too: a blank line in it is "Missing $ inserted".
  std::string display = "\\[ \\sum_{i\n\nThen $x$ \\[ y \\].";
  CHECK(found(display) ==
        List{at("unclosed-math", display, "\\["), at("unclosed-brace", display, "{")});
  // Arguments that may hold paragraphs are not cut: \long commands, text boxes, plain groups.
  CHECK(found("\\emph{a\n\nb} \\footnote{a\n\nb} {\\bf a\n\nb} \\text{a\n\nb} $\\mbox{a\n\nb}$ "
              "\\begin{center} {\\large a\n\nb}\\end{center}")
            .empty());
}

TEST_CASE("\\left and \\right") {
  std::string open = "$\\left( x$";
  CHECK(found(open) == List{at("unclosed-left", open, "\\left(")});
  std::string stray = "$x \\right)$";
  CHECK(found(stray) == List{at("unmatched-right", stray, "\\right)")});
  std::string across = "\\begin{align}\\left( a & b \\right)\\end{align}";
  CHECK(found(across) == List{at("left-right-across-alignment", across, "&")});
  std::string rows = "\\begin{align}\\left( a & b \\\\ c & d \\right)\\end{align}";
  CHECK(found(rows) == List{at("left-right-across-alignment", rows, "&")});
  std::string brace = "$\\left{ x \\right\\}$";
  CHECK(found(brace) == List{at("left-brace-delimiter", brace, "\\left{")});
  CHECK(found("$\\left( \\begin{array}{cc} a & b \\\\ c & d \\end{array} \\right) \\left. x "
              "\\middle| y \\right\\}$")
            .empty());
}

TEST_CASE("the document environment") {
  std::string missing = "\\documentclass{article}\nx\n";
  CHECK(found(missing) == List{at("missing-begin-document", missing, "\\documentclass")});
  std::string twice = "\\documentclass{article}\\begin{document}\\begin{document}\\end{document}";
  auto twice_found = found(twice);
  CHECK(std::find(twice_found.begin(), twice_found.end(),
                  at("duplicate-begin-document", twice, "\\begin{document}", 1)) !=
        twice_found.end());
  std::string after =
      "\\documentclass{article}\\begin{document}x\\end{document}\n% fine\nleftover {";
  auto ds = analyse(after);
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].rule == RuleId::TextAfterEndDocument);
  CHECK(ds[0].severity == Severity::Information);
  CHECK(ds[0].range.begin == after.find("leftover"));
}

TEST_CASE("definition bodies and \\iffalse blocks are checked for braces only") {
  CHECK(found("\\newcommand{\\beq}{\\begin{equation}}\\newcommand\\eeq{\\end{equation}}").empty());
  CHECK(found("\\newenvironment{proofsketch}[1][x]{\\begin{proof}[#1]$}{$\\end{proof}}").empty());
  CHECK(found("\\def\\foo#1[#2]{\\left(#1}\\let\\bgroup={\\let\\egroup}").empty());
  CHECK(found("\\NewDocumentCommand{\\x}{m o}{\\[#1}").empty());
  CHECK(found("\\iffalse \\begin{itemize} $ \\ifx a b \\fi \\fi").empty());
  std::string unclosed = "\\newcommand{\\x}{\\textbf{y}";
  CHECK(found(unclosed) == List{at("unclosed-brace", unclosed, "{", 1)});
}

TEST_CASE("environments the document declares verbatim, and short verbs, have no structure") {
  const std::string code =
      "\\DefineVerbatimEnvironment{code}{Verbatim}{}\n\\lstnewenvironment{py}{}{}\n"
      "\\MakeShortVerb{\\|}\n"
      "\\begin{code}\nif (x) { $a_1 \\end{itemize}\n\\end{code}\n"
      "\\begin{py}\ndef f(): return \"{\"\n\\end{py}\n"
      "See |{\\[| here.\n";
  CHECK(found(code).empty());
  // Outside them, structure is checked as ever.
  std::string after = code + "{x\n";
  auto brace = static_cast<std::uint32_t>(after.rfind('{'));
  CHECK(found(after) == List{{"unclosed-brace", brace, brace + 1}});
}

TEST_CASE("deep nesting is bounded and reported once") {
  std::string deep(10000, '{');
  deep += std::string(10000, '}');
  auto ds = analyse(deep);
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].rule == RuleId::NestingTooDeep);
  CHECK(ds[0].range.begin == StructureScratch::kMaxDepth);
}

TEST_CASE("messages name the fix; fixes are edits that remove the problem") {
  std::string text = "\\begin{itemize}\n\\item x\n\\end{enumerate}\n";
  auto ds = analyse(text);
  REQUIRE(ds.size() == 1);
  CHECK(render_message(ds[0], text) ==
        "`\\end{enumerate}` does not match `\\begin{itemize}`; change it to `\\end{itemize}`");
  CHECK(render_related_message(ds[0], text) == "`\\begin{itemize}` is here");
  auto fix = make_fix(ds[0], text);
  REQUIRE(fix.has_value());
  CHECK(fix->title == "Replace with \\end{itemize}");
  std::string fixed = text;
  for (auto it = fix->edits.rbegin(); it != fix->edits.rend(); ++it) {
    fixed.replace(it->range.begin, it->range.end - it->range.begin, it->new_text);
  }
  CHECK(analyse(fixed).empty());

  // Every fix offered for these snippets leaves a document without that diagnostic.
  for (std::string snippet : {"a }", "$x", "\\[x", "\\(x\\]", "$\\left(x$", "\\begin{a}x",
                              "$\\left{x\\right\\}$", "\\begin{equation}\na\n\nb\\end{equation}"}) {
    auto found_here = analyse(snippet);
    REQUIRE_MESSAGE(!found_here.empty(), snippet);
    auto f = make_fix(found_here[0], snippet);
    REQUIRE_MESSAGE(f.has_value(), snippet);
    std::string repaired = snippet;
    for (auto it = f->edits.rbegin(); it != f->edits.rend(); ++it) {
      repaired.replace(it->range.begin, it->range.end - it->range.begin, it->new_text);
    }
    CHECK_MESSAGE(analyse(repaired).size() < found_here.size(), snippet << " -> " << repaired);
  }
}

TEST_CASE("configuration disables rules, changes severities and rejects unknown ids") {
  RuleConfig config;
  CHECK_FALSE(config.apply("unmatched-close-brace", "warning").has_value());
  auto ds = analyse("}", config);
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].severity == Severity::Warning);
  CHECK_FALSE(config.apply("unmatched-close-brace", "off").has_value());
  CHECK(analyse("}", config).empty());
  CHECK(config.apply("no-such-rule", "off").value() == "unknown rule id 'no-such-rule'");
  CHECK(config.apply("unclosed-brace", "loud").value().find("unknown setting 'loud'") !=
        std::string::npos);
}

TEST_CASE("every rule has a unique kebab-case id, a message and a family") {
  std::set<std::string_view> ids;
  for (const RuleInfo& info : all_rules()) {
    CHECK(ids.insert(info.name).second);
    CHECK(info.name.find_first_not_of("abcdefghijklmnopqrstuvwxyz-") == std::string_view::npos);
    CHECK(!info.message.empty());
    CHECK(find_rule(info.name) == info.id);
  }
}

TEST_CASE("corpus documents that compile get no error-severity diagnostic") {
  std::vector<std::filesystem::path> files = testing::corpus_files("napkin", ".tex");
  files.push_back(testing::corpus_dir() / "perf/hott_big.tex");
  files.push_back(testing::corpus_dir() / "perf/edit_window_4kb.tex");
  files.push_back(testing::corpus_dir() / "perf/perf_math_light.tex");
  for (const auto& p : testing::corpus_files("hott-book", ".tex")) files.push_back(p);
  for (const auto& p : testing::corpus_files("stacks", ".tex")) files.push_back(p);
  for (const auto& p : testing::corpus_files("tikz-janosh", ".tex")) files.push_back(p);
  std::size_t checked = 0;
  for (const auto& path : files) {
    std::string text = testing::read_file(path);
    for (const Diagnostic& d : analyse(text)) {
      CHECK_MESSAGE(d.severity != Severity::Error, path.string() << ": " << rule_info(d.rule).name
                                                                 << " at byte " << d.range.begin);
    }
    ++checked;
  }
  CHECK(checked > 350);
}

TEST_CASE("perf_smoke_big.tex gets its one real error: the missing \\end{document}") {
  std::string text = testing::read_corpus("perf/perf_smoke_big.tex");
  std::vector<Diagnostic> ds;
  for (const Diagnostic& d : analyse(text)) {
    if (d.severity == Severity::Error) ds.push_back(d);
  }
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].rule == RuleId::UnclosedEnvironment);
  CHECK(ds[0].range.begin == text.find("\\begin{document}"));
}

TEST_CASE("hott_big.tex with one closing brace deleted reports exactly that brace") {
  std::string text = testing::read_corpus("perf/hott_big.tex");
  // Delete the brace that closes the argument of the 500th \emph.
  std::size_t at = 0;
  for (int k = 0; k < 500; ++k) at = text.find("\\emph{", at + 1);
  std::size_t open = at + 5;
  std::size_t close = text.find('}', open);
  REQUIRE(text.substr(open, close - open).find('{', 1) == std::string::npos);
  text.erase(close, 1);
  auto ds = analyse(text);
  std::vector<Diagnostic> errors;
  for (const auto& d : ds) {
    if (d.severity == Severity::Error) errors.push_back(d);
  }
  REQUIRE(errors.size() == 1);
  CHECK(errors[0].rule == RuleId::UnclosedBrace);
  CHECK(errors[0].range.begin == open);
}
