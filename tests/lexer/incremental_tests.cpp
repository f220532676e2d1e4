// Incremental relex against its oracle: after every single edit of random edit sequences on
// corpus documents (typing, deleting, pasting, and the edits that change everything after them:
// \begin{verbatim}, %, \makeatletter, blank lines), the spliced tokens equal a full lex of the
// same text, and what the edit reports it changed (which tokens, whether only words, whether a
// brace) is what the two lexes show. Also: a one-character edit relexes a small stretch, without
// allocating.
#include <doctest/doctest.h>

#include <random>
#include <string>

#include "../corpus.h"
#include "../edits.h"
#include "lexer/incremental_lexer.h"
#include "lexer/lexer.h"

using namespace perfectex::lexer;

namespace {

// The snippets that change the lexer's state after them.
constexpr std::string_view kLexerSnippets[] = {
    "\\begin{verbatim}",
    "\\end{verbatim}",
    "%",
    "\\makeatletter",
    "\\makeatother",
    "\n\n",
    "\n",
    "\r\n",
    "\r",
    "\\verb|",
    "|",
    "\\url{",
    "{",
    "}",
    "\\begin{lstlisting}[language=C]\n",
    "\\end{lstlisting}",
    "\\lstinline[",
    "]",
    "\\",
    " ",
    "$",
    "\\begin{comment}",
    "@",
    "\\end{comment}\n",
    "\\\\",
    "\\a@b",
};

// The groups of the tokens outside [first, end): for each `}` there, the `{` it closes, then
// each `{` left open, as indices of the tokens before the edit (those after it numbered from
// end_before on; -1: a `{` inside, which closes none of these; -2: no `{` at all).
std::vector<std::int64_t> group_pairs(const TokenBuffer& tokens, std::uint32_t first,
                                      std::uint32_t end, std::uint32_t end_before) {
  auto index = [&](std::uint32_t t) -> std::int64_t {
    return t < first ? t : t < end ? -1 : std::int64_t{t} - end + end_before;
  };
  std::vector<std::int64_t> open, pairs;
  for (std::uint32_t t = 0; t < tokens.size(); ++t) {
    const TokenKind kind = tokens.kind(t);
    if (kind == TokenKind::BeginGroup) open.push_back(index(t));
    if (kind != TokenKind::EndGroup) continue;
    const std::int64_t opener = open.empty() ? -2 : open.back();
    if (!open.empty()) open.pop_back();
    if (t < first || t >= end) pairs.push_back(opener);
  }
  pairs.insert(pairs.end(), open.begin(), open.end());
  return pairs;
}

// Runs edits random edits on text, checking the incremental tokens after each one.
void check_edit_sequence(std::string text, unsigned seed, int edits) {
  std::mt19937 rng(seed);
  IncrementalLexer incremental(16);
  incremental.lex(text);
  TokenBuffer expected;
  for (int k = 0; k < edits; ++k) {
    TextEdit edit = perfectex::testing::random_edit(text, rng, kLexerSnippets);
    TokenBuffer before = incremental.tokens();
    RelexStats stats = incremental.relex(text, edit);
    lex_document(text, expected);
    REQUIRE_MESSAGE(incremental.tokens() == expected,
                    "seed " << seed << " edit " << k << " at " << edit.begin);
    CHECK(stats.token_count == expected.size());
    // The tokens it reports unchanged are the previous ones, moved by the edit.
    const TokenEdit& changed = stats.changed;
    REQUIRE(changed.new_end - changed.first + before.size() ==
            expected.size() + changed.old_end - changed.first);
    std::uint32_t moved_wrong = 0;  // the first token that is not where the edit moved it, + 1
    for (std::uint32_t t = 0; t < before.size() && moved_wrong == 0; ++t) {
      std::uint32_t mapped = t, begin = before.begin(t), end = before.end(t);
      if (!changed.token(mapped)) continue;
      if (!changed.span(begin, end) || expected.kind(mapped) != before.kind(t) ||
          expected.begin(mapped) != begin || expected.end(mapped) != end)
        moved_wrong = t + 1;
    }
    REQUIRE_MESSAGE(moved_wrong == 0, "token " << moved_wrong - 1);
    // What the changed tokens were and are: only words, spaces and line ends (plain).
    bool plain = true;
    auto look = [&](const TokenBuffer& tokens, std::uint32_t first, std::uint32_t end) {
      for (std::uint32_t t = first; t < end; ++t) {
        const TokenKind kind = tokens.kind(t);
        plain = plain &&
                (kind == TokenKind::Text || kind == TokenKind::Space || kind == TokenKind::Newline);
      }
    };
    look(before, changed.first, changed.old_end);
    look(expected, changed.first, changed.new_end);
    CHECK(changed.plain == plain);
    // When the edit says the groups around the unchanged tokens are the same (!groups), each
    // unchanged `}` closes the same `{` as before, and the same ones are left open.
    if (!changed.groups) {
      CHECK(group_pairs(before, changed.first, changed.old_end, changed.old_end) ==
            group_pairs(expected, changed.first, changed.new_end, changed.old_end));
    }
  }
}

}  // namespace

TEST_CASE("incremental relex equals a full lex after every edit of corpus documents") {
  const char* files[] = {
      "perf/edit_window_4kb.tex", "perf/perf_math_light.tex",           "perf/perf_unicode.tex",
      "napkin/tex/macros.tex",    "napkin/tex/linalg/vector-space.tex", "hott-book/basics.tex"};
  unsigned seed = 1;
  for (const char* file : files) {
    CAPTURE(file);
    check_edit_sequence(perfectex::testing::read_corpus(file), seed++, 300);
  }
  check_edit_sequence(perfectex::testing::read_corpus("perf/hott_big.tex"), seed, 60);
}

TEST_CASE("incremental relex equals a full lex on small documents made of what matters") {
  std::mt19937 rng(7);
  for (unsigned round = 0; round < 300; ++round) {
    std::string text;
    for (int k = 0; k < 30; ++k) text += kLexerSnippets[rng() % std::size(kLexerSnippets)];
    check_edit_sequence(text, 100 + round, 40);
  }
}

TEST_CASE("a one-character edit relexes a small stretch and allocates nothing when warm") {
  std::string text = perfectex::testing::read_corpus("perf/perf_smoke_big.tex");
  IncrementalLexer incremental;
  incremental.lex(text);
  std::size_t at = text.find("\n\n", text.size() / 2) + 10;
  TextEdit typed = perfectex::testing::apply_edit(text, at, 0, "x");
  incremental.relex(text, typed);  // warm-up: scratch and toggles reach their size
  TextEdit undo = perfectex::testing::apply_edit(text, at, 1, "");
  RelexStats stats = incremental.relex(text, undo);
  CHECK(stats.hot_allocations == 0);
  CHECK(stats.tokens_lexed < 2000);
  CHECK(stats.restart < at);
  CHECK(stats.resync > at);
  TokenBuffer expected;
  lex_document(text, expected);
  CHECK(incremental.tokens() == expected);
}

TEST_CASE("the relex runs as far as the edit changes the tokens, and no further") {
  std::string text = perfectex::testing::read_corpus("hott-book/basics.tex");
  IncrementalLexer incremental;
  incremental.lex(text);
  TokenBuffer expected;
  auto check_tokens = [&] {
    lex_document(text, expected);
    CHECK(incremental.tokens() == expected);
  };
  std::size_t at = text.find("\n\n", text.size() / 3) + 2;
  std::size_t line_end = text.find('\n', at);

  // A % comments out the rest of its line: the relex meets the old tokens at the next line.
  RelexStats comment = incremental.relex(text, perfectex::testing::apply_edit(text, at, 0, "%"));
  CHECK(comment.resync == line_end + 2);
  check_tokens();
  incremental.relex(text, perfectex::testing::apply_edit(text, at, 1, ""));
  check_tokens();

  // An unclosed verbatim environment swallows everything after it; closing it gives the rest
  // back, and typing inside a closed body stops at the line after its \end.
  RelexStats opened =
      incremental.relex(text, perfectex::testing::apply_edit(text, at, 0, "\\begin{verbatim}"));
  CHECK(opened.resync == text.size());
  check_tokens();
  std::size_t body = at + 16;
  RelexStats closed = incremental.relex(
      text, perfectex::testing::apply_edit(text, body, 0, "x\n\\end{verbatim}\n"));
  CHECK(closed.resync == text.size());
  check_tokens();
  RelexStats typed = incremental.relex(text, perfectex::testing::apply_edit(text, body, 0, "y"));
  CHECK(typed.resync == body + 18);
  check_tokens();
}

TEST_CASE("diff_texts finds the one edit between two texts") {
  auto same = [](TextEdit a, TextEdit b) {
    return a.begin == b.begin && a.old_end == b.old_end && a.new_end == b.new_end;
  };
  CHECK(same(diff_texts("abcdef", "abXYef"), {2, 4, 4}));
  CHECK(same(diff_texts("abc", "abc"), {3, 3, 3}));
  CHECK(same(diff_texts("", "abc"), {0, 0, 3}));
  CHECK(same(diff_texts("aaaa", "aaaaa"), {4, 4, 5}));  // the prefix wins where both could
  std::string big(10000, 'a'), edited = big;
  edited.insert(5000, "xyz");
  CHECK(same(diff_texts(big, edited), {5000, 5000, 5003}));
  edited = big;
  edited[9999] = 'b';
  CHECK(same(diff_texts(big, edited), {9999, 10000, 10000}));
}

TEST_CASE("then() makes one edit of two, which turns the first text into the last") {
  std::mt19937 rng(11);
  const std::string_view snippets[] = {"x", "{", "\\", "\n"};
  for (int trial = 0; trial < 2000; ++trial) {
    std::string text = "ab{cd}\n\nef gh $x$ ij";
    for (int k = static_cast<int>(rng() % 4); k > 0; --k)
      perfectex::testing::random_edit(text, rng, snippets);
    const std::string first_text = text;
    TextEdit first = perfectex::testing::random_edit(text, rng, snippets);
    const auto middle = static_cast<std::uint32_t>(text.size());
    TextEdit second = perfectex::testing::random_edit(text, rng, snippets);
    TextEdit both = then(first, middle, second);
    std::string_view a = first_text, b = text;
    REQUIRE(both.old_end <= a.size());
    REQUIRE(both.new_end <= b.size());
    REQUIRE(a.size() - both.old_end == b.size() - both.new_end);
    REQUIRE(a.substr(0, both.begin) == b.substr(0, both.begin));
    REQUIRE(a.substr(both.old_end) == b.substr(both.new_end));
  }
  // Typed and taken back: nothing changed.
  TextEdit none = then({2, 2, 3}, 6, {2, 3, 2});
  CHECK((none.begin == none.old_end && none.old_end == none.new_end));
  CHECK(then(none, 5, {1, 4, 2}).old_end == 4);
}

TEST_CASE("an edit that does not fit the previous text falls back to a full lex") {
  IncrementalLexer incremental;
  incremental.lex("abc");
  std::string text = "a totally different text\n";
  incremental.relex(text, {0, 99, 5});
  TokenBuffer expected;
  lex_document(text, expected);
  CHECK(incremental.tokens() == expected);
}
