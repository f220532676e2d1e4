// The masked view (ExpansionView::next(Item&, KindMask)) against the plain one: on every corpus
// document and on random token soups, with and without a prelude and under tight bounds, it
// yields exactly the items of next() whose kind is in the mask, with peek() answering the same
// in between, and ends with the same events and step count.
#include <doctest/doctest.h>

#include <random>
#include <string>

#include "../corpus.h"
#include "lexer/expand/expansion_view.h"
#include "lexer/expand/prelude.h"
#include "lexer/lexer.h"

using namespace perfectex::lexer;
using namespace perfectex::lexer::expand;

namespace {

bool same(const Item& a, const Item& b) {
  return a.kind == b.kind && a.spelled == b.spelled && a.begin == b.begin && a.end == b.end &&
         a.site == b.site && a.macro == b.macro;
}

bool same(const Event& a, const Event& b) {
  return a.kind == b.kind && a.arg == b.arg && a.macro == b.macro && a.site == b.site &&
         a.outer == b.outer && a.at == b.at;
}

constexpr KindMask kAll = (KindMask{1} << kTokenKindCount) - 1;

// A mask like the one F1 asks with (validators/structure_rules.h), which this library cannot see.
constexpr KindMask kStructure =
    kind_bit(TokenKind::BeginGroup) | kind_bit(TokenKind::EndGroup) |
    kind_bit(TokenKind::MathShift) | kind_bit(TokenKind::ControlWord) |
    kind_bit(TokenKind::ControlSymbol) | kind_bit(TokenKind::Alignment) |
    kind_bit(TokenKind::ParagraphBreak);

// Walks doc's view twice, masked and by filtering next(), peeking now and then in both; returns
// the number of items compared.
std::size_t compare_twins(std::string_view doc, KindMask mask, std::uint32_t seed,
                          const ExpansionLimits& limits = {}, const MacroTable* base = nullptr) {
  TokenBuffer tokens;
  lex_document(doc, tokens);
  MacroTable table;
  REQUIRE(table.build(doc, tokens, base) == BuildStatus::Ok);
  ExpansionScratch fast_scratch, slow_scratch;
  ExpansionView fast(doc, tokens, table, fast_scratch, limits);
  ExpansionView slow(doc, tokens, table, slow_scratch, limits);
  std::mt19937 rng(seed);
  std::size_t n = 0;
  // Plain comparisons, one assertion at the first difference: documents have 10^5 items.
  for (;;) {
    if (rng() % 4 == 0) {
      std::size_t k = rng() % 6;
      const Item* a = fast.peek(k);
      const Item* b = slow.peek(k);
      if ((a == nullptr) != (b == nullptr) || (a != nullptr && !same(*a, *b))) {
        FAIL_CHECK("peek(" << k << ") differs after " << n << " items");
        return n;
      }
    }
    Item a, b;
    bool got = fast.next(a, mask);
    bool want = false;
    while ((want = slow.next(b)) && ((mask >> static_cast<unsigned>(b.kind)) & 1u) == 0) {
    }
    if (got != want || (got && !same(a, b))) {
      FAIL_CHECK("item " << n << " differs: masked " << got << " at " << a.begin << ", filtered "
                         << want << " at " << b.begin);
      return n;
    }
    if (!got) break;
    ++n;
  }
  CHECK(fast.steps() == slow.steps());
  CHECK(fast_scratch.overflowed() == slow_scratch.overflowed());
  REQUIRE(fast_scratch.events().size() == slow_scratch.events().size());
  for (std::size_t i = 0; i < fast_scratch.events().size(); ++i) {
    CHECK(same(fast_scratch.events()[i], slow_scratch.events()[i]));
  }
  return n;
}

// Pieces of LaTeX that exercise definitions, arguments, environments, bounds and every kind.
constexpr std::string_view kPieces[] = {
    "\\newcommand{\\a}[1]{x#1y}", "\\newcommand\\b[2][d]{{#1}$#2$&}", "\\def\\c#1.{<#1>}",
    "\\def\\d#1#2{#2#1\\a{#1}}", "\\newenvironment{e}{[\\b{1}}{]\\\\}", "\\let\\f\\c",
    "\\NewDocumentCommand\\g{s o m}{#1#2#3}", "\\def\\r{\\r x}", "\\iffalse", "\\fi", "\\ifx",
    "\\a", "\\b", "\\c", "\\d", "\\f", "\\g", "\\r", "\\begin{e}", "\\end{e}", "\\begin",
    "\\end", "{", "}", "{", "}", "$", "$$", "&", "#", "#1", "[", "]", "*", "x", "word", ".",
    " ", "  ", "\n", "\n\n", "%c\n", "~", "^", "_", "\\\\", "\\(", "\\)", "\\verb|x|",
    "\\begin{verbatim}v\\end{verbatim}", "é", "\\newcommand{\\h}{\\h}", "\\h",
};

std::string soup(std::mt19937& rng, std::size_t pieces) {
  std::string s;
  for (std::size_t i = 0; i < pieces; ++i) s += kPieces[rng() % std::size(kPieces)];
  return s;
}

}  // namespace

TEST_CASE("masked view = filtered view: every corpus document") {
  std::size_t files = 0;
  for (const auto& path : perfectex::testing::corpus_files("", ".tex")) {
    CAPTURE(path.string());
    std::string doc = perfectex::testing::read_file(path);
    auto seed = static_cast<std::uint32_t>(files);
    compare_twins(doc, kStructure, seed);
    compare_twins(doc, kind_bit(TokenKind::Text) | kind_bit(TokenKind::Space), seed + 1);
    if (files % 8 == 0) {
      compare_twins(doc, 0, seed + 2);
      compare_twins(doc, kAll, seed + 3);
    }
    ++files;
  }
  CHECK(files > 100);
}

TEST_CASE("masked view = filtered view: a prelude's bodies") {
  auto prelude = make_prelude(perfectex::testing::read_corpus("napkin/tex/macros.tex"));
  std::string doc = perfectex::testing::read_corpus("napkin/tex/alg-NT/dedekind.tex");
  CHECK(compare_twins(doc, kStructure, 1, {}, &prelude->table) > 100);
  compare_twins(doc, kind_bit(TokenKind::Text), 2, {}, &prelude->table);
}

TEST_CASE("masked view = filtered view: random token soups, tight bounds") {
  std::mt19937 rng(20261123);
  ExpansionLimits tight;
  tight.max_depth = 3;
  tight.max_steps_per_use = 9;
  tight.max_steps_total = 400;
  for (int round = 0; round < 3000; ++round) {
    std::string doc = soup(rng, 1 + rng() % 60);
    CAPTURE(doc);
    auto mask = static_cast<KindMask>(rng()) & kAll;
    compare_twins(doc, kStructure, static_cast<std::uint32_t>(round));
    compare_twins(doc, mask, static_cast<std::uint32_t>(round), tight);
    compare_twins(doc, mask, static_cast<std::uint32_t>(round) + 1);
  }
}
