// lexer/expand tests: every definition form and argument kind read into the macro table and
// expanded by the view (compared as the text of the expanded stream), the origin of each item,
// runaway definitions ending in bounded time with an event naming the macro, a prelude's
// definitions in effect from the document's start, and a warm view that allocates nothing on a
// real document, with and without a prelude.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "../corpus.h"
#include "lexer/expand/expansion_view.h"
#include "lexer/expand/prelude.h"
#include "lexer/lexer.h"
#include "lexer/quiet_allocation_guard.h"

using namespace perfectex::lexer;
using namespace perfectex::lexer::expand;

namespace {

struct Expansion {
  std::string text;  ///< the expanded stream, spelled out
  std::vector<Item> items;
  std::vector<Event> events;
};

Expansion expand_all(std::string_view doc, const ExpansionLimits& limits = {},
                     const Prelude* prelude = nullptr) {
  TokenBuffer tokens;
  lex_document(doc, tokens);
  MacroTable table;
  REQUIRE(table.build(doc, tokens, prelude != nullptr ? &prelude->table : nullptr) ==
          BuildStatus::Ok);
  ExpansionScratch scratch;
  ExpansionView view(doc, tokens, table, scratch, limits);
  Expansion out;
  Item item;
  while (view.next(item)) {
    out.text += view.text(item);
    out.items.push_back(item);
  }
  out.events = scratch.events();
  return out;
}

std::string expanded(std::string_view doc) {
  return expand_all(doc).text;
}

// A prelude whose definitions sit past a comment, so that their offsets are not the document's.
std::shared_ptr<const Prelude> prelude_of(std::string_view definitions) {
  std::string text = "% the project's preamble and macro files\n";
  text += definitions;
  return make_prelude(std::move(text));
}

Expansion expand_with(std::string_view definitions, std::string_view doc) {
  auto prelude = prelude_of(definitions);
  return expand_all(doc, {}, prelude.get());
}

ByteRange range_of(std::string_view doc, std::string_view needle) {
  std::size_t at = doc.find(needle);
  REQUIRE(at != std::string_view::npos);
  return {static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(at + needle.size())};
}

}  // namespace

TEST_CASE("\\newcommand and kin: argument count, optional first argument, star, later wins") {
  CHECK(expanded("\\newcommand{\\R}{\\mathbb{R}}$\\R$") == "$\\mathbb{R}$");
  CHECK(expanded("\\newcommand\\pair[2]{(#1,#2)}\\pair{a}{b c} \\pair xy") == "(a,b c) (x,y)");
  CHECK(expanded("\\newcommand{\\opt}[2][d]{#1/#2}\\opt{x} \\opt[y]{x} \\opt [{[z]}]{x}") ==
        "d/x y/x [z]/x");
  CHECK(expanded("\\newcommand*{\\s}[1]{<#1>}\\s{a}") == "<a>");
  CHECK(expanded("\\newcommand{\\x}{a}\\x\\renewcommand{\\x}{b}\\x") == "ab");
  // \providecommand does nothing when the name is already defined.
  CHECK(expanded("\\newcommand{\\x}{a}\\providecommand{\\x}{b}\\x\\providecommand\\y{c}\\y") ==
        "ac");
  CHECK(expanded("\\DeclareRobustCommand{\\r}[1]{[#1]}\\r{q}") == "[q]");
  // ## stands for #; a parameter followed by more text keeps the text.
  CHECK(expanded("\\newcommand\\h[1]{#1x##}\\h{a}") == "ax#");
  CHECK(expanded("\\newcommand\\d[1]{#12}\\d{a}") == "a2");
}

TEST_CASE("a mandatory argument is one character of a text run, or a group") {
  CHECK(expanded("\\newcommand\\f[2]{#2#1}\\f12 3") == "21 3");
  CHECK(expanded("\\newcommand\\f[1]{[#1]}\\f é") == "[é]");
  CHECK(expanded("\\newcommand\\f[1]{[#1]}\\f\\alpha\\f{ {a} b}") == "[\\alpha][ {a} b]");
}

TEST_CASE("\\def with parameters, delimited parameters and \\let") {
  CHECK(expanded("\\def\\a{A}\\a \\gdef\\b#1#2{#2#1}\\b xy") == "A yx");
  CHECK(expanded("\\edef\\e{E}\\xdef\\f{F}\\e\\f") == "EF");
  CHECK(expanded("\\def\\p#1.{<#1>}\\p ab.c") == "<ab>c");
  CHECK(expanded("\\def\\q#1[#2]{#1|#2}\\q x[y]z") == "x|yz");
  CHECK(expanded("\\def\\q#1\\stop{(#1)}\\q a b\\stop!") == "(a b)!");
  CHECK(expanded("\\def\\g#1.{(#1)}\\g{a.b}.") == "(a.b)");
  // \let copies the meaning it has now; \let to a primitive is known but not expanded.
  CHECK(expanded("\\def\\a{A}\\let\\b\\a\\def\\a{Z}\\b\\a\\let\\c=\\relax\\c") == "AZ\\c");
  // A prefix before #1 is not a simple parameter text: the macro is left as it is.
  CHECK(expanded("\\def\\w(#1){#1}\\w(a)") == "\\w(a)");
}

TEST_CASE("\\DeclareMathOperator is known by name, not expanded") {
  std::string doc =
      "\\DeclareMathOperator{\\Hom}{Hom}\\DeclareMathOperator*{\\colim}{colim}$\\Hom$";
  CHECK(expanded(doc) == "$\\Hom$");
  TokenBuffer tokens;
  lex_document(doc, tokens);
  MacroTable table;
  REQUIRE(table.build(doc, tokens) == BuildStatus::Ok);
  std::uint32_t d =
      table.lookup(Namespace::Command, "colim", static_cast<std::uint32_t>(doc.size()));
  REQUIRE(d != kNone);
  CHECK(table[d].form == DefinerForm::MathOperator);
  CHECK(table.name(d) == "colim");
  CHECK_FALSE(table[d].expandable);
}

TEST_CASE("\\newenvironment: begin code after \\begin, end code before \\end, arguments") {
  CHECK(expanded("\\newenvironment{soln}{\\begin{proof}[S]}{\\end{proof}}"
                 "\\begin{soln}x\\end{soln}") ==
        "\\begin{soln}\\begin{proof}[S]x\\end{proof}\\end{soln}");
  CHECK(expanded("\\newenvironment{sp}[1][Proof]{<#1>}{</>}\\begin{sp}a\\end{sp}"
                 "\\begin{sp}[Q]b\\end{sp}") ==
        "\\begin{sp}<Proof>a</>\\end{sp}\\begin{sp}<Q>b</>\\end{sp}");
  CHECK(expanded("\\renewenvironment{quote}{[}{]}\\begin{quote}q\\end{quote}") ==
        "\\begin{quote}[q]\\end{quote}");
  // Environments that are not the user's pass through untouched.
  CHECK(expanded("\\begin{itemize} \\item x\\end {itemize}") ==
        "\\begin{itemize} \\item x\\end{itemize}");
}

TEST_CASE("\\NewDocumentCommand: m, o, O, s, t, d, D, r") {
  CHECK(expanded("\\NewDocumentCommand{\\x}{m o}{#1|#2}\\x{a}[b] \\x{a}") == "a|b a|-NoValue-");
  CHECK(expanded("\\NewDocumentCommand\\x{O{dflt} m}{#1|#2}\\x{a}\\x[b]{c}") == "dflt|ab|c");
  CHECK(expanded("\\NewDocumentCommand\\x{s m}{#1#2}\\x*{a}\\x{b}") ==
        "\\BooleanTruea\\BooleanFalseb");
  CHECK(expanded("\\DeclareDocumentCommand\\x{t+ m}{#1#2}\\x+a") == "\\BooleanTruea");
  CHECK(expanded("\\RenewDocumentCommand\\x{d() D<>{z} m}{#1,#2,#3}\\x(a)<b>c \\x c") ==
        "a,b,c -NoValue-,z,c");
  CHECK(expanded("\\NewDocumentCommand\\x{r() m}{#1#2}\\x(a)b") == "ab");
  CHECK(expanded("\\NewDocumentEnvironment{e}{m}{<#1>}{</>}\\begin{e}{t}x\\end{e}") ==
        "\\begin{e}<t>x</>\\end{e}");
  // Specifiers L1 does not model (v, u, e, ...) leave the command unexpanded.
  CHECK(expanded("\\NewDocumentCommand\\v{v}{#1}\\v|a|") == "\\v|a|");
}

TEST_CASE("definitions are skipped, macros in macros expand, \\iffalse blocks vanish") {
  CHECK(expanded("\\newcommand\\a{[\\b]}\\newcommand\\b{B}\\a") == "[B]");
  CHECK(expanded("\\newcommand\\twice[1]{#1#1}\\newcommand\\b[1]{(#1)}\\twice{\\b{x}}") ==
        "(x)(x)");
  CHECK(expanded("a\\iffalse \\begin{x} \\ifx a b \\fi \\fi b") == "a b");
  // A definition inside a body defines, it is not run: its body is not expanded here.
  CHECK(expanded("\\newcommand\\set{\\def\\y{\\z}}\\newcommand\\z{Z}\\set.") == ".");
  // Names after \ifx, \noexpand, \ifdef are names, not uses.
  CHECK(expanded("\\newcommand\\a[1]{A}\\ifx\\a\\relax\\fi\\noexpand\\a") ==
        "\\ifx\\a\\relax\\fi\\noexpand\\a");
}

TEST_CASE("each item knows its origin: the outermost use, and where its bytes are") {
  std::string doc = "\\newcommand{\\eq}[1]{\\begin{equation}#1\\end{equation}}\n\\eq{x+y}";
  Expansion e = expand_all(doc);
  CHECK(e.text == "\n\\begin{equation}x+y\\end{equation}");
  ByteRange use = range_of(doc, "\\eq{x+y}");
  ByteRange body_begin = range_of(doc, "\\begin{equation}");
  REQUIRE(e.items.size() == 10);
  const Item& begin = e.items[1];
  CHECK(begin.expanded());
  CHECK(begin.site == use);                // reported at the use
  CHECK(begin.begin == body_begin.begin);  // spelled in the definition body
  const Item& arg = e.items[5];
  CHECK(std::string_view(doc).substr(arg.begin, arg.end - arg.begin) == "x+y");
  CHECK_FALSE(arg.expanded());  // written at the use, in the argument
  CHECK(arg.site == range_of(doc, "x+y"));
  CHECK(e.items[0].site == ByteRange{use.begin - 1, use.begin});
  CHECK_FALSE(e.items[0].expanded());
  // A macro used inside a body reports at the outermost use, naming the outermost macro.
  std::string nested = "\\newcommand\\in{I}\\newcommand\\out{<\\in>}\\out";
  Expansion n = expand_all(nested);
  REQUIRE(n.items.size() == 3);
  ByteRange out_use{static_cast<std::uint32_t>(nested.rfind("\\out")),
                    static_cast<std::uint32_t>(nested.size())};
  CHECK(n.items[1].site == out_use);
  CHECK(n.items[0].macro == n.items[1].macro);
}

TEST_CASE("runaway definitions stop at a bound with an event naming the macro") {
  ExpansionLimits limits;
  std::string self = "\\def\\a{\\a}\\a after";
  Expansion e = expand_all(self, limits);
  CHECK(e.text == " after");
  REQUIRE(e.events.size() == 1);
  CHECK(e.events[0].kind == EventKind::TooDeep);
  ByteRange use{static_cast<std::uint32_t>(self.rfind("\\a")),
                static_cast<std::uint32_t>(self.rfind("\\a") + 2)};
  CHECK(e.events[0].site == use);

  // Mutual recursion through groups: the depth bound, then the rest of the document.
  std::string mutual = "\\def\\a{x\\b}\\def\\b{{\\a}}\\a rest";
  Expansion d = expand_all(mutual, limits);
  REQUIRE(d.events.size() == 1);
  CHECK(d.events[0].kind == EventKind::TooDeep);
  CHECK(d.text.ends_with(" rest"));

  // 2^24 tokens from 24 definitions: stopped by the per-use step bound, in bounded time.
  std::string exp = "\\def\\qa{xx}";
  for (char c = 'b'; c < 'b' + 23; ++c) {
    exp += std::string("\\def\\q") + c + "{\\q" + static_cast<char>(c - 1) + "\\q" +
           static_cast<char>(c - 1) + "}";
  }
  exp += std::string("\\q") + static_cast<char>('b' + 22) + " end";
  Expansion x = expand_all(exp, limits);
  REQUIRE(x.events.size() == 1);
  CHECK(x.events[0].kind == EventKind::TooLong);
  CHECK(x.text.ends_with(" end"));
  CHECK(x.text.size() <= limits.max_steps_per_use + 8);

  // The step bound hit while \end reads its environment's name: what it read is not given back
  // to the abandoned use (that left a level no read ever reached: the view never ended).
  ExpansionLimits tight;
  tight.max_steps_per_use = 9;
  Expansion t = expand_all("\\def\\c#1.{#1>}\\c\\f #1\\end{e", tight);
  REQUIRE(t.events.size() == 2);
  CHECK(t.events[0].kind == EventKind::MissingArgument);
  CHECK(t.events[1].kind == EventKind::TooLong);

  // A lower document budget: later uses are no longer expanded, reported once.
  limits.max_steps_total = 10;
  Expansion b = expand_all("\\def\\a{a a a a}\\a\\a\\a\\a", limits);
  CHECK(b.text == "a a a aa a a a\\a\\a");
  REQUIRE(b.events.size() == 1);
  CHECK(b.events[0].kind == EventKind::BudgetExhausted);
}

TEST_CASE("a missing argument is an event at the use") {
  std::string doc = "\\newcommand\\two[2]{#1#2}\\textbf{\\two{a}} x";
  Expansion e = expand_all(doc);
  REQUIRE(e.events.size() == 1);
  CHECK(e.events[0].kind == EventKind::MissingArgument);
  CHECK(e.events[0].arg == 1);
  CHECK(e.events[0].site == range_of(doc, "\\two{a}"));
  CHECK(e.text == "\\textbf{a} x");
  // A blank line ends the argument of a short macro (\newcommand*, \def), not of a long one.
  CHECK(expand_all("\\newcommand*\\s[1]{#1}\\s\n\nx").events.size() == 1);
  CHECK(expand_all("\\newcommand\\l[1]{#1}\\l\n\nx").events.empty());
  CHECK(expand_all("\\newcommand\\l[1]{#1}\\l").events.size() == 1);
}

TEST_CASE(
    "use before definition is an event when the document defines the name with \\newcommand") {
  std::string doc = "\\foo \\bar\\newcommand\\foo{F}\\def\\bar{B}\\foo";
  Expansion e = expand_all(doc);
  REQUIRE(e.events.size() == 1);
  CHECK(e.events[0].kind == EventKind::UsedBeforeDefinition);
  CHECK(e.events[0].site == range_of(doc, "\\foo"));
  CHECK(e.text == "\\foo \\barF");
}

TEST_CASE("a prelude's macros expand in the document: arguments, delimiters, environments") {
  std::string_view defs =
      "\\newcommand{\\R}{\\mathbb{R}}\\newcommand\\pair[2]{(#1,#2)}"
      "\\newcommand{\\opt}[2][dflt]{#1/#2}\\def\\p#1.{<#1>}\\def\\q#1\\stop{(#1)}"
      "\\def\\r#1[#2]{#1|#2}\\NewDocumentCommand\\x{O{xd} m s}{#1|#2|#3}"
      "\\newenvironment{sp}[1][Proof]{<#1>}{</>}";
  CHECK(expand_with(defs, "$\\R$ \\pair{a}{b c} \\pair xy").text == "$\\mathbb{R}$ (a,b c) (x,y)");
  CHECK(expand_with(defs, "\\opt{x} \\opt[y]{x}").text == "dflt/x y/x");
  CHECK(expand_with(defs, "\\p ab.c \\q a b\\stop! \\r x[y]z").text == "<ab>c (a b)! x|yz");
  CHECK(expand_with(defs, "\\x{a}* \\x[b]{c}").text == "xd|a|\\BooleanTrue b|c|\\BooleanFalse");
  CHECK(expand_with(defs, "\\begin{sp}a\\end{sp}\\begin{sp}[Q]b\\end{sp}").text ==
        "\\begin{sp}<Proof>a</>\\end{sp}\\begin{sp}<Q>b</>\\end{sp}");
  // A prelude's macro using another one, and a document's macro using a prelude's.
  CHECK(
      expand_with("\\newcommand\\in{I}\\newcommand\\out{<\\in>}", "\\newcommand\\doc{[\\out]}\\doc")
          .text == "[<I>]");
}

TEST_CASE("the document's definitions override a prelude's from where they are made") {
  CHECK(expand_with("\\newcommand\\x{a}", "\\x\\renewcommand\\x{b}\\x").text == "ab");
  // \providecommand of a name the prelude defines does nothing.
  CHECK(expand_with("\\newcommand\\x{a}", "\\providecommand\\x{b}\\x\\providecommand\\y{c}\\y")
            .text == "ac");
  // \let copies the prelude's meaning, body and delimiters included.
  CHECK(expand_with("\\def\\p#1.{<#1>}", "\\let\\q\\p\\def\\p#1.{[#1]}\\q a.\\p b.").text ==
        "<a>[b]");
  CHECK(expand_with("\\newenvironment{e}{<}{>}",
                    "\\begin{e}x\\end{e}\\renewenvironment{e}{(}{)}"
                    "\\begin{e}y\\end{e}")
            .text == "\\begin{e}<x>\\end{e}\\begin{e}(y)\\end{e}");
}

TEST_CASE("a name the prelude defines is never used before its definition") {
  Expansion e = expand_with("\\newcommand\\foo{F}",
                            "\\foo\\newcommand\\foo{G}\\foo \\bar\\newcommand\\bar{B}");
  CHECK(e.text == "FG \\bar");
  REQUIRE(e.events.size() == 1);
  CHECK(e.events[0].kind == EventKind::UsedBeforeDefinition);
}

TEST_CASE("items of a prelude's body: spelled in the prelude, reported at the use, naming it") {
  auto prelude = prelude_of("\\newcommand{\\eq}[1]{\\begin{equation}#1\\end{equation}}");
  std::string doc = "\n\\eq{x+y}";
  Expansion e = expand_all(doc, {}, prelude.get());
  CHECK(e.text == "\n\\begin{equation}x+y\\end{equation}");
  REQUIRE(e.items.size() == 10);
  ByteRange use = range_of(doc, "\\eq{x+y}");
  const Item& begin = e.items[1];
  CHECK(begin.spelled == Spelling::Prelude);
  CHECK(begin.site == use);
  CHECK(begin.begin == range_of(prelude->text, "\\begin{equation}").begin);
  CHECK(MacroTable::from_base(begin.macro));
  const Item& arg = e.items[5];
  CHECK(arg.spelled == Spelling::Document);
  CHECK(arg.site == range_of(doc, "x+y"));
  // The table names the macro from the prelude's text.
  TokenBuffer tokens;
  lex_document(doc, tokens);
  MacroTable table;
  REQUIRE(table.build(doc, tokens, &prelude->table) == BuildStatus::Ok);
  CHECK(table.lookup(Namespace::Command, "eq", 0) == begin.macro);
  CHECK(table.name(begin.macro) == "eq");
  CHECK(table[begin.macro].arg_count == 1);
  // A missing argument is an event at the use.
  std::string missing = "\\textbf{\\eq} x";
  Expansion m = expand_all(missing, {}, prelude.get());
  REQUIRE(m.events.size() == 1);
  CHECK(m.events[0].kind == EventKind::MissingArgument);
  CHECK(m.events[0].site == range_of(missing, "\\eq"));
  CHECK(MacroTable::from_base(m.events[0].macro));
}

namespace {

// Builds doc's table (on base) and walks its view twice in the same scratch: for each run, the
// items yielded (those spelled in the prelude, with a base) and the allocations inside the guard.
std::pair<std::pair<std::size_t, std::uint64_t>, std::pair<std::size_t, std::uint64_t>>
cold_and_warm(const std::string& doc, const MacroTable* base = nullptr) {
  TokenBuffer tokens;
  lex_document(doc, tokens);
  MacroTable table;
  ExpansionScratch scratch;
  auto run = [&] {
    std::size_t n = 0;
    QuietAllocationGuard guard;
    REQUIRE(table.build(doc, tokens, base) == BuildStatus::Ok);
    ExpansionView view(doc, tokens, table, scratch);
    Item item;
    while (view.next(item)) n += base == nullptr || item.spelled == Spelling::Prelude;
    CHECK_FALSE(scratch.overflowed());
    return std::pair{n, guard.allocations()};
  };
  auto cold = run();
  return {cold, run()};
}

}  // namespace

TEST_CASE("a warm view over the HoTT book allocates nothing") {
  REQUIRE(allocation_counting_enabled());
  std::string doc = perfectex::testing::read_corpus("perf/hott_big.tex");
  auto [cold, warm] = cold_and_warm(doc);
  CHECK(warm.first == cold.first);
  CHECK(warm.first > 400000);
  CHECK(warm.second == 0);
}

TEST_CASE("a warm view with a prelude allocates nothing: a Napkin chapter on its macro file") {
  REQUIRE(allocation_counting_enabled());
  auto prelude = make_prelude(perfectex::testing::read_corpus("napkin/tex/macros.tex"));
  CHECK(prelude->table.size() - prelude->table.first_user() > 100);
  auto [cold, warm] = cold_and_warm(
      perfectex::testing::read_corpus("napkin/tex/alg-NT/dedekind.tex"), &prelude->table);
  CHECK(warm.first == cold.first);
  CHECK(warm.first > 100);  // the chapter's uses of the macro file's macros
  CHECK(warm.second == 0);
}
