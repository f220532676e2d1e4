// The rule families beyond F1 (F2-F6, F8-F10) and the suppression comments: each rule fires on a
// bad snippet at the exact range and stays silent on the corrected one; nothing fires on code
// (verbatim, declared verbatim environments, \MakeShortVerb, tikz, definitions); fixes repair
// what they promise.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "../corpus.h"

#include "lexer/lexer.h"
#include "validators/render.h"
#include "validators/runner.h"
#include "validators/word_chars.h"

using namespace perfectex;
using namespace perfectex::validators;

namespace {

struct Hit {
  std::string rule;
  std::string text;  // the bytes of the range
  friend bool operator==(const Hit&, const Hit&) = default;
  friend std::ostream& operator<<(std::ostream& os, const Hit& h) {
    return os << h.rule << "'" << h.text << "'";
  }
};
using Hits = std::vector<Hit>;

}  // namespace

namespace doctest {
template <>
struct StringMaker<Hits> {
  static String convert(const Hits& hits) {
    std::ostringstream os;
    for (const Hit& h : hits) os << h << " ";
    return os.str().c_str();
  }
};
}  // namespace doctest

namespace {

// Every rule on, except inline-dollars (it would report every $...$ of the snippets).
RuleConfig all_on() {
  RuleConfig config;
  for (const RuleInfo& info : all_rules()) config.apply(info.name, "on");
  config.disable(RuleId::InlineDollars);
  return config;
}

std::vector<Diagnostic> run(std::string_view text, const RuleConfig& config) {
  lexer::TokenBuffer tokens;
  lexer::lex_document(text, tokens);
  Workspace ws;
  run_rules(text, tokens, config, ws);
  return ws.sink.items();
}

// Diagnostics of the families under test (F1 has its own tests), every rule on.
Hits hits(std::string_view text, const RuleConfig& config = all_on()) {
  Hits out;
  for (const Diagnostic& d : run(text, config)) {
    if (rule_info(d.rule).family == Family::Structure) continue;
    out.push_back({std::string(rule_info(d.rule).name),
                   std::string(text.substr(d.range.begin, d.range.end - d.range.begin))});
  }
  return out;
}

std::string apply_fix(std::string text, const Fix& fix) {
  for (auto it = fix.edits.rbegin(); it != fix.edits.rend(); ++it)
    text.replace(it->range.begin, it->range.end - it->range.begin, it->new_text);
  return text;
}

// The text after applying the fix of the only diagnostic of rule in text.
std::string fixed(const std::string& text, std::string_view rule) {
  for (const Diagnostic& d : run(text, all_on())) {
    if (rule_info(d.rule).name != rule) continue;
    auto fix = make_fix(d, text);
    REQUIRE(fix.has_value());
    return apply_fix(text, *fix);
  }
  FAIL("no diagnostic of " << rule);
  return {};
}

}  // namespace

TEST_CASE("F2: verbatim and environments") {
  CHECK(hits("\\begin{verbatim}\nx\n\\end{verbatim} foo bar\n") ==
        Hits{{"text-after-end-verbatim", "foo bar"}});
  CHECK(hits("\\verb|x| and \\verb+a+ \\verb |y|").empty());
  CHECK(hits("a \\verb#abc\nb") == Hits{{"unterminated-verb", "\\verb#abc"}});
  CHECK(hits("\\begin{bfseries}x\\end{bfseries}") ==
        Hits{{"switch-as-environment", "\\begin{bfseries}"}});
  CHECK(hits("{\\center x}") == Hits{{"environment-as-switch", "\\center"}});
  std::string flt = "\\begin{figure}\\begin{center}x\\end{center}\\caption{c}\\end{figure}";
  CHECK(hits(flt) == Hits{{"center-in-float", "\\begin{center}"}});
  CHECK(fixed(flt, "center-in-float") == "\\begin{figure}\\centeringx\\caption{c}\\end{figure}");
  CHECK(hits("\\begin{center}x\\end{center}").empty());
}

TEST_CASE("F3: math mode") {
  CHECK(hits("a $$x$$ b") == Hits{{"display-dollars", "$$x$$"}});
  CHECK(fixed("a $$x$$ b", "display-dollars") == "a \\[x\\] b");
  CHECK(hits("$sin^2 + \\cos x + \\mathrm{max}$") == Hits{{"bare-math-function", "sin"}});
  CHECK(fixed("$sin x$", "bare-math-function") == "$\\sin x$");
  CHECK(hits("$x_{max} + x_min + \\label{eq:sin}$").empty());
  CHECK(hits("$5\\cdot10^10 + 10^{10} + x^2y + a_{j_01}$") == Hits{{"script-needs-braces", "10"}});
  CHECK(fixed("$10^10$", "script-needs-braces") == "$10^{10}$");
  CHECK(hits("\\begin{eqnarray}a\\end{eqnarray}") == Hits{{"eqnarray", "\\begin{eqnarray}"}});
  CHECK(hits("${a \\over b}$") == Hits{{"over-primitive", "\\over"}});
  CHECK(hits("\\begin{document}Let \\alpha be x_1.\\end{document}") ==
        Hits{{"math-command-in-text", "\\alpha"}, {"math-command-in-text", "_"}});
  CHECK(hits("\\begin{document}$\\alpha$ \\text{$x_1$} \\label{a_b} \\foo{x_1}\\end{document}")
            .empty());
  CHECK(hits("screen of 640x200 pixels, 0x1F") == Hits{{"times-between-numbers", "640x200"}});
  CHECK(hits("$x,$ and \\(y.\\) but $\\left(x\\right.$") ==
        Hits{{"punctuation-in-inline-math", ","}, {"punctuation-in-inline-math", "."}});
  CHECK(fixed("$x,$ y", "punctuation-in-inline-math") == "$x$, y");
  CHECK(hits("\\[x\\]. \\begin{equation}y\\end{equation},") ==
        Hits{{"punctuation-after-display-math", "."}, {"punctuation-after-display-math", ","}});
  CHECK(hits("${(ab)}^2$ $(ab)^2$") == Hits{{"parenthesis-before-script", ")"}});
}

TEST_CASE("F3: math mode is exact: \\text inside math is text, $ inside \\text is math") {
  CHECK(hits("\\ensuremath{sin x\\text{not sin x, but $sin x$}}") ==
        Hits{{"bare-math-function", "sin"}, {"bare-math-function", "sin"}});
  CHECK(hits("\\begin{align} sin \\intertext{sin is text} x \\end{align}") ==
        Hits{{"bare-math-function", "sin"}});
}

TEST_CASE("F4: spacing and typography") {
  CHECK(hits("\\LaTeX is nice. \\LaTeX\\ is. \\LaTeX{} is. \\LaTeX, and \\LaTeX\nx") ==
        Hits{{"space-after-command", " "}});
  CHECK(fixed("\\TeX is", "space-after-command") == "\\TeX\\ is");
  CHECK(hits("see e.g. the book, i.e.\\ this, etc. The end. Fig. 3") ==
        Hits{{"abbreviation-space", " "}, {"abbreviation-space", " "}});
  CHECK(fixed("see Fig. 3", "abbreviation-space") == "see Fig.~3");
  CHECK(hits("Look at THIS! It is. Look at THIS\\@! It is. D. E. Knuth. Then") ==
        Hits{{"sentence-end-after-capital", "!"}});
  CHECK(hits("\\frenchspacing Look at THIS! It is.").empty());
  CHECK(hits("Do you understand ? Yes , sure. Or .5 not.") ==
        Hits{{"space-before-punctuation", " "}, {"space-before-punctuation", " "}});
  CHECK(hits("A note \\footnote{x}. A note\\footnote{y}.") ==
        Hits{{"space-before-footnote", " "}});
  CHECK(hits("table ~\\ref{t}") == Hits{{"space-around-tilde", " "}});
  CHECK(hits("This \\'is $\\hat{j}$, \\'{\\i}s $\\hat{\\jmath}$") ==
        Hits{{"accent-on-dotted-letter", "\\'"}, {"accent-on-dotted-letter", "\\hat"}});
  CHECK(fixed("na\\\"{i}ve", "accent-on-dotted-letter") == "na\\\"{{\\i}}ve");
  CHECK(hits("White    is nice.") == Hits{{"multiple-spaces", "    "}});
  CHECK(hits("White    is nice.", RuleConfig{}).empty());  // off by default
}

TEST_CASE("F4: italic corrections") {
  CHECK(hits("{\\itshape italic} in") == Hits{{"missing-italic-correction", "}"}});
  CHECK(fixed("{\\em italic} in", "missing-italic-correction") == "{\\em italic\\/} in");
  CHECK(hits("{\\itshape italic\\/} in {\\em word}. \\emph{x} shelf\\/ful").empty());
  CHECK(hits("\\textit{word\\/} in") == Hits{{"redundant-italic-correction", "\\/"}});
  CHECK(hits("{\\em a \\/ b\\/}.") == Hits{{"space-before-italic-correction", " "},
                                          {"duplicate-italic-correction", "\\/"}});
  CHECK(hits("{\\em word\\/}, x") == Hits{{"italic-correction-before-punctuation", "\\/"}});
}

TEST_CASE("F5: quotes, dashes, ellipsis") {
  CHECK(hits("an \"example\", or") ==
        Hits{{"straight-double-quote", "\""}, {"straight-double-quote", "\""}});
  CHECK(fixed("an \"example\" x", "straight-double-quote") == "an ``example\" x");
  CHECK(hits("\\usepackage[ngerman]{babel}\\begin{document} \"a \"example\"\\end{document}").empty());
  CHECK(hits("either 'example`, ''example`` or `\"`x'`'.") ==
        Hits{{"wrong-opening-quote", "'"}, {"wrong-closing-quote", "`"},
             {"wrong-opening-quote", "''"}, {"wrong-closing-quote", "``"},
             {"mixed-quotes", "`\"`"}, {"mixed-quotes", "'`'"}});
  CHECK(hits("It's the students' `work' and ``this''.").empty());
  CHECK(hits("```Hello', he said''") == Hits{{"triple-quote", "```"}});
  CHECK(hits("Foo...bar $1,...,3$ $1+...+3$ $1,\\cdots,3$ $1\\cdot\\ldots\\cdot3$") ==
        Hits{{"ellipsis", "..."}, {"ellipsis", "..."}, {"ellipsis", "..."},
             {"wrong-ellipsis", "\\cdots"}, {"wrong-ellipsis", "\\ldots"}});
  CHECK(fixed("Foo... bar", "ellipsis") == "Foo\\dots bar");
  CHECK(fixed("$1,...,3$", "ellipsis") == "$1,\\ldots,3$");
  CHECK(hits("anything - just a 2---3 star--shots") ==
        Hits{{"hyphen-as-dash", "-"}, {"em-dash-between-numbers", "---"},
             {"en-dash-between-words", "--"}});
  CHECK(hits("anything --- just 2--3 star-shots, Birch--Swinnerton, $a - b$").empty());
}

TEST_CASE("F5: no quote or dash rule in math, verbatim, tikz or keys") {
  CHECK(hits("$f'(x) - a$ \\verb|\"a\" - b...| \\url{a--b\"} \\texttt{a--b}").empty());
  CHECK(hits("\\begin{tikzpicture}\\draw (0,0) -- (1,1) node {\"a\"};\\end{tikzpicture}")
            .empty());
  CHECK(hits("\\tikz \\draw (0,0) -- (1,1);\\label{a--b} \\includegraphics{a--b.pdf}").empty());
  CHECK(hits("\\newcommand{\\x}{\"a\" - b...}").empty());
}

TEST_CASE("declared verbatim environments and \\MakeShortVerb are not checked") {
  std::string doc =
      "\\DefineVerbatimEnvironment{code}{Verbatim}{}\n"
      "\\lstnewenvironment{py}{}{}\n"
      "\\MakeShortVerb{\\|}\n"
      "\\begin{code}\n\"a\" - b...\n\\end{code}\n"
      "\\begin{py}\nx = \"s\" - 1...\n\\end{py}\n"
      "see |\"a\" - b...| here\n";
  CHECK(hits(doc).empty());
  CHECK(hits("\\MakeShortVerb{\\|}\\DeleteShortVerb{\\|} |x \"a\" y|") ==
        Hits{{"straight-double-quote", "\""}, {"straight-double-quote", "\""}});
}

TEST_CASE("F6: references and labels") {
  CHECK(hits("see \\ref{a} and~\\ref{b} or \\cite{c}, (\\ref{d})") ==
        Hits{{"space-before-ref", " "}, {"space-before-ref", " "}});
  CHECK(fixed("see \\ref{a}", "space-before-ref") == "see~\\ref{a}");
  std::string doc =
      "\\documentclass{article}\\begin{document}\n"
      "\\section{A}\\label{a}\\section{B}\\label{a}\n"
      "\\ref{a} \\ref{b} \\cref{a,c}\\label{x,y}\n\\end{document}\n";
  CHECK(hits(doc) == Hits{{"duplicate-label", "a"},
                          {"undefined-reference", "b"},
                          {"undefined-reference", "c"},
                          {"unused-label", "x,y"},
                          {"bad-label-key", "x,y"}});
  // label= in tikz code is a node label; label= in the options of an environment defines one.
  CHECK(hits("\\documentclass{a}\\begin{document}\\begin{tikzpicture}\\node[label=left:{a}] {};"
             "\\end{tikzpicture}\\ref{b}\\end{document}") == Hits{{"undefined-reference", "b"}});
  CHECK(hits("\\documentclass{a}\\begin{document}\\begin{lstlisting}[label=b]\nx\n"
             "\\end{lstlisting}\\ref{b}\\end{document}")
            .empty());
  // A fragment (no \documentclass) or a document with \input may define labels elsewhere.
  CHECK(hits("\\ref{b}").empty());
  CHECK(hits("\\documentclass{a}\\begin{document}\\input{x}\\ref{b}\\end{document}").empty());
  // Labels made by a user macro count.
  CHECK(hits("\\documentclass{a}\\newcommand{\\lab}[1]{\\label{#1}}\\begin{document}"
             "\\lab{k}~\\ref{k}\\end{document}")
            .empty());
  CHECK(hits("Indexing text \\index{text} is fun, text\\index{t}") ==
        Hits{{"space-before-label", " "}});
}

TEST_CASE("F8: deprecated and obsolete") {
  CHECK(hits("{\\bf bold} and \\it x") ==
        Hits{{"deprecated-font-command", "\\bf"}, {"deprecated-font-command", "\\it"}});
  CHECK(fixed("a {\\bf bold} b", "deprecated-font-command") == "a \\textbf{bold} b");
  CHECK(fixed("a \\bf bold", "deprecated-font-command") == "a \\bfseries bold");
  CHECK(hits("\\bf{x} \\bfseries{y}") == Hits{{"font-switch-with-argument", "\\bf"},
                                               {"font-switch-with-argument", "\\bfseries"}});
  CHECK(fixed("\\bf{x}", "font-switch-with-argument") == "\\textbf{x}");
  CHECK(hits("$\\cal A$ \\textbf{x} {\\bfseries y}") ==
        Hits{{"deprecated-font-command", "\\cal"}});
  CHECK(hits("\\centerline{x}") == Hits{{"centerline", "\\centerline"}});
  CHECK(hits("\\documentclass{a}\\begin{document}\\def\\x{y}\\end{document}") ==
        Hits{{"def-in-document", "\\def"}});
  CHECK(hits("\\usepackage{amsmath,epsfig}\\usepackage[a]{times}") ==
        Hits{{"obsolete-package", "epsfig"}, {"obsolete-package", "times"}});
  CHECK(hits("\\hskip 1em") == Hits{{"tex-primitive", "\\hskip"}});
  CHECK(hits("\\hskip 1em", RuleConfig{}).empty());
}

TEST_CASE("F9: floats") {
  CHECK(hits("\\begin{figure}x\\end{figure}") ==
        Hits{{"float-without-caption", "\\begin{figure}"}});
  CHECK(hits("\\begin{table}\\label{t}\\caption{c}\\end{table}") ==
        Hits{{"label-before-caption", "\\label"}});
  CHECK(hits("\\begin{table}\\caption{c}\\label{t}\\end{table}").empty());
  CHECK(hits("\\includegraphics[width=1cm]{/home/me/a.png} \\includegraphics{img/a}") ==
        Hits{{"absolute-image-path", "/home/me/a.png"}});
  CHECK(hits("\\begin{figure}[h]\\caption{c}\\end{figure}") ==
        Hits{{"here-placement-alone", "h"}});
  CHECK(fixed("\\begin{figure}[h]\\caption{c}\\end{figure}", "here-placement-alone") ==
        "\\begin{figure}[htbp]\\caption{c}\\end{figure}");
}

TEST_CASE("F10: sectioning") {
  CHECK(hits("\\section{A}\\subsubsection{B}") == Hits{{"section-level-skip", "\\subsubsection"}});
  CHECK(hits("\\section{A}\\subsection{B}\\subsubsection{C}\\section{D}\\chapter*{E}"
             "\\subsection*{F}\\paragraph{G}")
            .empty());
  CHECK(hits("\\section{}") == Hits{{"empty-section-title", "\\section{}"}});
  CHECK(hits("a line\\\\\n\nnext\\\\ line\\\\\n\\end{x}") ==
        Hits{{"linebreak-at-paragraph-end", "\\\\"}});
  CHECK(hits("\\begin{tabular}{l}a\\\\\n\n\\end{tabular}").empty());
}

TEST_CASE("suppression comments") {
  CHECK(hits("% perfectex-disable-next-line ellipsis\nFoo...\nBar...") ==
        Hits{{"ellipsis", "..."}});
  CHECK(hits("Foo... % perfectex-disable-line\nBar...") == Hits{{"ellipsis", "..."}});
  CHECK(hits("% perfectex-disable ellipsis straight-double-quote\nA... \"b\"\n"
             "% perfectex-enable ellipsis\nC... \"d\"") ==
        Hits{{"ellipsis", "..."}});
  CHECK(hits("% perfectex-disable-file\nA... \"b\"\n").empty());
  CHECK(hits("$sin x$ % chktex 35\n$sin x$ % CHKTEX 36 35\n$sin x$") ==
        Hits{{"bare-math-function", "sin"}});
  CHECK(hits("% chktex-file 11\nA... B...").empty());
  CHECK(hits("% perfectex-disable-next-line no-such-rule -- because\nA...") ==
        Hits{{"unknown-rule-in-comment", "no-such-rule"}, {"ellipsis", "..."}});
}

TEST_CASE("every rule beyond F1 has a family, and a fix title when it has a fix") {
  for (const RuleInfo& info : all_rules()) {
    CHECK(!family_name(info.family).empty());
    if (info.fix != FixKind::None) CHECK(!info.fix_title.empty());
    if (info.safe_fix) CHECK(info.fix != FixKind::None);
  }
}

TEST_CASE("hott_big.tex: exactly its 14 undefined reference targets, no duplicate label") {
  std::string text = testing::read_corpus("perf/hott_big.tex");
  std::set<std::string> undefined;
  for (const Diagnostic& d : run(text, RuleConfig{})) {
    CHECK(d.rule != RuleId::DuplicateLabel);
    if (d.rule == RuleId::UndefinedReference)
      undefined.insert(text.substr(d.range.begin, d.range.end - d.range.begin));
  }
  CHECK(undefined == std::set<std::string>{
                         "RD-inverse-apart-0", "cha:real-numbers", "cha:rules", "cha:set-math",
                         "sec:compactness-interval", "sec:field-rati-numb", "sec:more-formal-pi",
                         "sec:ordinals", "sec:piw-pretopos", "sec:syntax-more-formally",
                         "sec:wellorderings", "subsec:emacinsets", "subsec:piw", "subsec:quotients"});
}

TEST_CASE("word_chars: the eight-byte path agrees with the byte loop") {
  // Every Text token of the corpus's LaTeX files, then random words over an alphabet of letters
  // and the characters at the edges of the letter ranges, at every length and alignment.
  std::size_t words = 0;
  for (const auto& path : testing::corpus_files("", ".tex")) {
    std::string text = testing::read_file(path);
    lexer::TokenBuffer tokens;
    lexer::lex_document(text, tokens);
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      if (tokens.kind(i) != lexer::TokenKind::Text) continue;
      ++words;
      REQUIRE(word_chars(text, tokens.begin(i), tokens.end(i)) ==
              word_chars_bytewise(text, tokens.begin(i), tokens.end(i)));
    }
  }
  CHECK(words > 100000);
  const std::string alphabet = "azAZxy@[`{.-'\",?!0912\x80\xB4\xC3\xFF ";
  std::mt19937 rng(11);
  std::string text(64, ' ');
  for (int round = 0; round < 200000; ++round) {
    for (char& c : text) c = alphabet[rng() % alphabet.size()];
    auto begin = static_cast<std::uint32_t>(rng() % 60);
    auto end = begin + 1 + static_cast<std::uint32_t>(rng() % std::min<std::uint32_t>(10, 64 - begin));
    INFO(text.substr(begin, end - begin));
    REQUIRE(word_chars(text, begin, end) == word_chars_bytewise(text, begin, end));
  }
  // Words of letters (up to 30) and perhaps one other byte after them: the paths that take
  // eight bytes at a time, ending at every offset of their last eight.
  const std::string letters = "abcxyzABCXYZ";
  for (int round = 0; round < 200000; ++round) {
    for (char& c : text) c = alphabet[rng() % alphabet.size()];
    auto length = 1 + static_cast<std::uint32_t>(rng() % 30);
    auto begin = static_cast<std::uint32_t>(rng() % (64 - length));
    for (std::uint32_t k = begin; k < begin + length; ++k) text[k] = letters[rng() % letters.size()];
    if (rng() % 2 == 0) text[begin + length - 1] = alphabet[rng() % alphabet.size()];
    INFO(text.substr(begin, length));
    REQUIRE(word_chars(text, begin, begin + length) ==
            word_chars_bytewise(text, begin, begin + length));
  }
}
