// F1 through user macros and the F13 rules: structure opened by one macro and closed by another
// is balanced, problems inside an expansion are reported at the use and name the macro, each
// F13 rule fires at its exact range and stays silent on the good twin, runaway definitions end
// with a warning while the rest of the document is still checked, a prelude's macros are seen
// as if written before the document (the same diagnostics as the concatenated text, shifted),
// and Napkin's chapters checked with its macro file get no error.
#include <doctest/doctest.h>

#include <algorithm>

#include "../corpus.h"
#include "lexer/expand/prelude.h"
#include "lexer/lexer.h"
#include "lexer/quiet_allocation_guard.h"
#include "validators/render.h"
#include "validators/runner.h"

using namespace perfectex;
using namespace perfectex::validators;

namespace {

std::vector<Diagnostic> check(std::string_view text,
                              const lexer::expand::Prelude* prelude = nullptr) {
  lexer::TokenBuffer tokens;
  lexer::lex_document(text, tokens);
  Workspace ws;
  run_rules(text, tokens, RuleConfig{}, ws, prelude);
  return ws.sink.items();
}

// The one diagnostic check finds in text, which must be of rule.
Diagnostic only(std::string_view text, RuleId rule,
                const lexer::expand::Prelude* prelude = nullptr) {
  std::vector<Diagnostic> ds = check(text, prelude);
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].rule == rule);
  return ds[0];
}

// The diagnostics of text with the prelude, and of the prelude's text followed by text (those in
// text, shifted back to its offsets): they must be the same rules at the same ranges.
void check_twin(const lexer::expand::Prelude& prelude, std::string_view text,
                const std::string& where = {}) {
  std::vector<Diagnostic> with = check(text, &prelude);
  std::string joined = prelude.text;
  joined += text;
  auto shift = static_cast<std::uint32_t>(prelude.text.size());
  std::vector<Diagnostic> pasted;
  for (Diagnostic d : check(joined)) {
    if (d.range.begin < shift) continue;
    d.range.begin -= shift;
    d.range.end -= shift;
    pasted.push_back(d);
  }
  auto key = [](const Diagnostic& d) { return std::tuple(d.range.begin, d.range.end, d.rule); };
  std::sort(with.begin(), with.end(), [&](auto& a, auto& b) { return key(a) < key(b); });
  std::sort(pasted.begin(), pasted.end(), [&](auto& a, auto& b) { return key(a) < key(b); });
  CHECK_MESSAGE(with.size() == pasted.size(), where << ": " << with.size() << " diagnostics with "
                                                    << "the prelude, " << pasted.size()
                                                    << " pasted");
  for (std::size_t i = 0; i < std::min(with.size(), pasted.size()); ++i) {
    CHECK_MESSAGE((key(with[i]) == key(pasted[i]) && with[i].severity == pasted[i].severity),
                  where << ": " << rule_info(with[i].rule).name << " at " << with[i].range.begin
                        << " with the prelude, " << rule_info(pasted[i].rule).name << " at "
                        << pasted[i].range.begin << " pasted");
  }
}

// The same, where an argument's `{` is looked at for its `}` over at most probe tokens before
// one pass over the document settles every brace (0: that pass always; kNone: never).
std::vector<Diagnostic> check_probing(std::string_view text, std::uint32_t probe) {
  lexer::TokenBuffer tokens;
  lexer::lex_document(text, tokens);
  Workspace ws;
  ws.limits.runaway_probe = probe;
  run_rules(text, tokens, RuleConfig{}, ws);
  return ws.sink.items();
}

// What check finds, the same whichever way the braces are settled.
std::vector<Diagnostic> check_braces(std::string_view text) {
  std::vector<Diagnostic> scanned = check_probing(text, lexer::expand::kNone);
  CHECK(check_probing(text, 0) == scanned);
  CHECK(check(text) == scanned);
  return scanned;
}

std::string words(int n) {
  std::string out;
  for (int k = 0; k < n; ++k) out += "w ";
  return out;
}

Span span_of(std::string_view text, std::string_view needle, std::size_t from = 0) {
  std::size_t at = text.find(needle, from);
  REQUIRE(at != std::string_view::npos);
  return {static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(at + needle.size())};
}

}  // namespace

TEST_CASE("an environment opened by one macro and closed by another is balanced") {
  CHECK(check("\\newcommand\\beq{\\begin{equation}}\\newcommand\\eeq{\\end{equation}}"
              "\\beq x \\eeq")
            .empty());
  CHECK(check("\\newenvironment{soln}{\\begin{proof}[Solution]}{\\end{proof}}"
              "\\begin{soln} x \\end{soln}")
            .empty());
  CHECK(check("\\def\\bmath{$}\\def\\emath{$}\\bmath x\\emath").empty());
}

TEST_CASE("a macro-wrapped environment left open is reported at the use, naming the macro") {
  std::string text = "\\newcommand{\\beq}{\\begin{equation}}\n\\beq x + y\n";
  Diagnostic ds = only(text, RuleId::UnclosedEnvironment);
  CHECK(ds.range == span_of(text, "\\beq", text.find("\n")));
  CHECK(render_message(ds, text) ==
        "environment `equation` is never closed; add `\\end{equation}` (in the expansion of "
        "`\\beq`)");
  // Cut off by a closing brace at the use's level.
  std::string cut = "\\newcommand\\ob{\\begin{center}}{\\ob x}";
  Diagnostic cs = only(cut, RuleId::UnclosedEnvironment);
  Span use = span_of(cut, "\\ob x");
  CHECK(cs.range == Span{use.begin, use.begin + 3});
  CHECK(cs.related == span_of(cut, "}", cut.size() - 1));
  // Through a user environment's begin code.
  std::string env = "\\newenvironment{wrap}{\\begin{center}}{}\\begin{wrap}x\\end{wrap}";
  Diagnostic es = only(env, RuleId::UnclosedEnvironment);
  CHECK(render_message(es, env).ends_with("(in the expansion of environment `wrap`)"));
}

TEST_CASE("a problem written in an argument is reported where it is written") {
  std::string text = "\\newcommand\\bold[1]{\\textbf{#1}}\\bold{a $x}";
  Diagnostic ds = only(text, RuleId::UnclosedMath);
  CHECK(ds.range == span_of(text, "$"));
  CHECK(ds.expansion.empty());
  // The math is cut off by the body's closing brace, which is reported at the use.
  CHECK(ds.related == span_of(text, "\\bold{a $x}"));
}

TEST_CASE("definitions are checked for their own braces only") {
  CHECK(check("\\newcommand{\\x}{\\left(}\\def\\y#1{\\[#1}").empty());
  std::string unclosed = "\\newcommand{\\x}{\\textbf{y}";
  Diagnostic ds = only(unclosed, RuleId::UnclosedBrace);
  CHECK(ds.range.begin == unclosed.find("{\\textbf"));
  CHECK(ds.range.end == ds.range.begin + 1);
}

TEST_CASE("macro-missing-argument: a `}` or the end where an argument is due") {
  std::string text = "\\newcommand\\two[2]{#1#2}\\textbf{\\two{a}} \\two{a}{b}";
  Diagnostic ds = only(text, RuleId::MacroMissingArgument);
  CHECK(ds.severity == Severity::Error);
  CHECK(ds.range == span_of(text, "\\two{a}", text.find("\\textbf")));
  CHECK(render_message(ds, text) ==
        "`\\two` is missing an argument here; give it every argument its definition asks for");
  // A macro passed by name (`text=\x]`) is not a use.
  CHECK(check("\\newcommand\\xin[2]{$x_#2$}\\layer[text=\\xin]\n\nnext").empty());
}

TEST_CASE("an argument whose `{` is never closed is that brace, unclosed; the rest is checked") {
  // TeX: "File ended while scanning use of \two". The document after the `{` is not taken for the
  // argument: the environment is balanced as written, and the math after it is still checked.
  const std::string two = "\\newcommand\\two[2]{#1#2}";
  for (const std::string& filler : {std::string(), words(5000)}) {
    CAPTURE(filler.size());
    std::string text =
        two + "\\two{a}{b \\begin{itemize} \\item x \\end{itemize}" + filler + "\n\nmore $x";
    std::vector<Diagnostic> ds = check_braces(text);
    REQUIRE(ds.size() == 2);
    CHECK(ds[0].rule == RuleId::UnclosedBrace);
    CHECK(ds[0].range.begin == text.find("{b"));
    CHECK(ds[0].range.end == ds[0].range.begin + 1);
    CHECK(ds[1].rule == RuleId::UnclosedMath);
    CHECK(ds[1].range.begin == text.find("$x"));
  }
  // Every argument meets the brace: one diagnostic, and the macro is still used before it.
  std::string three =
      "\\newcommand\\three[3]{\\begin{center}#1#2#3\\end{center}}\\three{a " + words(5000);
  Diagnostic d = only(three, RuleId::UnclosedBrace);
  CHECK(d.range.begin == three.find("{a"));
  CHECK(check_braces(three).size() == 1);
  // Several such uses cost one pass over the document, and each brace is reported.
  std::string many = two;
  for (int k = 0; k < 300; ++k) many += "\\two{a}{b " + words(20);
  std::vector<Diagnostic> ds = check_braces(many);
  CHECK(ds.size() == 300);
  CHECK(std::all_of(ds.begin(), ds.end(),
                    [](const Diagnostic& x) { return x.rule == RuleId::UnclosedBrace; }));
}

TEST_CASE("an argument whose `}` comes far away is read whole") {
  // Its content is the macro's: the environment the body opens and closes around it is balanced
  // with the \end and \begin written inside it.
  std::string text = "\\newcommand\\wrap[1]{\\begin{center}#1\\end{center}}\\wrap{" + words(5000) +
                     "\\end{center} \\begin{center}" + words(10) + "} $x";
  Diagnostic d = check_braces(text).at(0);
  CHECK(d.rule == RuleId::UnclosedMath);
  CHECK(check_braces(text).size() == 1);
  // A macro that is not \long: a blank line ends its argument first, and is reported there.
  std::string short_arg = "\\newcommand*\\s[1]{#1}\\s{a " + words(5000) + "\n\nb";
  Diagnostic m = check_braces(short_arg).at(0);
  CHECK(m.rule == RuleId::MacroMissingArgument);
}

TEST_CASE("macro-used-before-definition: only names the document defines with \\newcommand") {
  std::string text = "\\foo\\labelenumi\\newcommand\\foo{F}\\def\\labelenumi{L}\\foo";
  Diagnostic ds = only(text, RuleId::MacroUsedBeforeDefinition);
  CHECK(ds.severity == Severity::Warning);
  CHECK(ds.range == span_of(text, "\\foo"));
  CHECK(ds.related == span_of(text, "\\foo", 4));
}

TEST_CASE("macro-already-defined: \\newcommand of a name the document defined") {
  std::string text = "\\newcommand\\x{a}\\newcommand{\\x}{b}";
  Diagnostic ds = only(text, RuleId::MacroAlreadyDefined);
  CHECK(ds.severity == Severity::Error);
  CHECK(ds.range == span_of(text, "\\x", text.rfind("\\x")));
  CHECK(ds.related == span_of(text, "\\x"));
  // \renewcommand, \providecommand, \let to \relax first, and definitions in groups or
  // conditionals are fine.
  CHECK(check("\\newcommand\\x{a}\\renewcommand\\x{b}\\providecommand\\x{c}").empty());
  CHECK(check("\\let\\Im\\relax\\DeclareMathOperator{\\Im}{Im}").empty());
  CHECK(check("{\\newcommand\\x{a}}\\newcommand\\x{b}").empty());
  CHECK(check("\\ifdraft\\newcommand\\x{a}\\else\\newcommand\\x{b}\\fi").empty());
  std::string env = "\\newenvironment{e}{}{}\\newenvironment{e}{}{}";
  only(env, RuleId::MacroAlreadyDefined);
}

TEST_CASE("runaway definitions end with a warning naming the macro; the rest is checked") {
  std::string text = "\\def\\a{\\a}\\a\n\nx }";
  auto ds = check(text);
  REQUIRE(ds.size() == 2);
  CHECK(ds[0].rule == RuleId::MacroRecursion);
  CHECK(ds[0].severity == Severity::Warning);
  CHECK(render_message(ds[0], text).starts_with("`\\a` expands into itself"));
  CHECK(ds[1].rule == RuleId::UnmatchedCloseBrace);
  std::string mutual = "\\def\\p{\\q}\\def\\q{\\p}\\p";
  only(mutual, RuleId::MacroRecursion);
  std::string exp = "\\def\\qa{xx}";
  for (char c = 'b'; c < 'b' + 23; ++c) {
    exp += std::string("\\def\\q") + c + "{\\q" + static_cast<char>(c - 1) + "\\q" +
           static_cast<char>(c - 1) + "}";
  }
  exp += std::string("\\q") + static_cast<char>('b' + 22) + " }";
  auto es = check(exp);
  REQUIRE(es.size() == 2);
  CHECK(es[0].rule == RuleId::MacroExpansionTooLong);
  CHECK(es[1].rule == RuleId::UnmatchedCloseBrace);
}

TEST_CASE("a prelude's macros: structure through them, arguments, names, redefinitions") {
  auto prelude = lexer::expand::make_prelude(
      "% macros.tex\n\\newcommand{\\beq}{\\begin{equation}}\\newcommand\\two[2]{#1#2}\n"
      "\\newenvironment{wrap}{\\begin{center}}{}\\newcommand\\foo{F}\\def\\p#1.{$#1$}\n");
  // The example: without the prelude, \end{equation} has no \begin.
  std::string beq = "\\beq x = 1 \\end{equation}";
  CHECK(check(beq, prelude.get()).empty());
  only(beq, RuleId::UnmatchedEnd);
  check_twin(*prelude, beq, "beq");

  // An environment opened in the prelude's body and never closed: at the use, named from the
  // prelude's text, with the fix that closes it.
  std::string open = "\\beq x + y\n";
  Diagnostic os = only(open, RuleId::UnclosedEnvironment, prelude.get());
  CHECK(os.range == span_of(open, "\\beq"));
  CHECK(render_message(os, open, prelude->text) ==
        "environment `equation` is never closed; add `\\end{equation}` (in the expansion of "
        "`\\beq`)");
  auto fix = make_fix(os, open, prelude->text);
  REQUIRE(fix.has_value());
  REQUIRE(fix->edits.size() == 1);
  CHECK(fix->edits[0].new_text == "\\end{equation}\n");
  CHECK_FALSE(make_fix(os, open).has_value());  // the name is in a text not given
  check_twin(*prelude, open, "open");
  std::string env = "\\begin{wrap}x\\end{wrap}";
  Diagnostic es = only(env, RuleId::UnclosedEnvironment, prelude.get());
  CHECK(render_message(es, env, prelude->text)
            .ends_with("(in the expansion of environment `wrap`)"));
  check_twin(*prelude, env, "env");

  // A missing argument of the prelude's macro: at the use, naming it; a delimited one too.
  std::string two = "\\textbf{\\two{a}} \\two{a}{b} \\p x.";
  Diagnostic ts = only(two, RuleId::MacroMissingArgument, prelude.get());
  CHECK(ts.range == span_of(two, "\\two{a}"));
  CHECK(render_message(ts, two) ==
        "`\\two` is missing an argument here; give it every argument its definition asks for");
  check_twin(*prelude, two, "two");

  // \newcommand of the prelude's name: reported at the name, saying where the other one is;
  // \providecommand and \renewcommand are fine; a use is never before the definition.
  std::string again = "\\foo\\newcommand{\\foo}{G}\\providecommand\\beq{}\\renewcommand\\two{}";
  Diagnostic as = only(again, RuleId::MacroAlreadyDefined, prelude.get());
  CHECK(as.range == span_of(again, "\\foo", 1));
  CHECK_FALSE(as.has_related);
  CHECK(
      render_message(as, again)
          .starts_with(
              "`\\foo` is already defined in the project's preamble or macro files (LaTeX stops"));
  check_twin(*prelude, again, "again");

  // A brace written in the prelude's body is reported at the use, with no fix: it would edit
  // another file.
  auto left = lexer::expand::make_prelude("\\newcommand\\lb{\\left{x}}");
  std::string lb = "$\\lb\\right)$";
  auto ls = check(lb, left.get());
  auto brace = std::find_if(ls.begin(), ls.end(), [](const Diagnostic& d) {
    return d.rule == RuleId::LeftBraceDelimiter;
  });
  REQUIRE(brace != ls.end());
  CHECK(brace->range == span_of(lb, "\\lb"));
  CHECK_FALSE(make_fix(*brace, lb, left->text).has_value());
  check_twin(*left, lb, "left");
}

TEST_CASE("a warm run with a prelude allocates nothing") {
  REQUIRE(lexer::allocation_counting_enabled());
  auto prelude = lexer::expand::make_prelude(testing::read_corpus("napkin/tex/macros.tex"));
  std::string text = testing::read_corpus("napkin/tex/alg-NT/dedekind.tex");
  lexer::TokenBuffer tokens;
  lexer::lex_document(text, tokens);
  Workspace ws;
  run_rules(text, tokens, RuleConfig{}, ws, prelude.get());
  RunStats warm = run_rules(text, tokens, RuleConfig{}, ws, prelude.get());
  CHECK(warm.growths == 0);
  CHECK(warm.hot_allocations == 0);
}

TEST_CASE("Napkin's chapters, checked with its macro file, and the HoTT book get no error") {
  // As a prelude, each chapter gets the diagnostics it gets with the file pasted in front.
  auto prelude = lexer::expand::make_prelude(testing::read_corpus("napkin/tex/macros.tex"));
  std::size_t checked = 0;
  for (const auto& path : testing::corpus_files("napkin", ".tex")) {
    if (path.filename() == "macros.tex") continue;
    std::string text = testing::read_file(path);
    for (const Diagnostic& d : check(text, prelude.get())) {
      CHECK_MESSAGE(d.severity != Severity::Error, path.string() << ": " << rule_info(d.rule).name
                                                                 << " at byte " << d.range.begin);
    }
    check_twin(*prelude, text, path.string());
    ++checked;
  }
  CHECK(checked > 100);
  for (const Diagnostic& d : check(testing::read_corpus("perf/hott_big.tex"))) {
    CHECK_MESSAGE(d.severity != Severity::Error, rule_info(d.rule).name << " at " << d.range.begin);
  }
}
