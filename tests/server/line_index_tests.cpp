// Position conversion and document edits: byte offsets <-> LSP positions in UTF-8, UTF-16 and
// UTF-32 on non-ASCII text, clamping, and random edit sequences applied incrementally compared
// with the same edits applied to a plain string through an independent, obviously correct
// converter; the edits a snapshot's history gives against the texts compared; keystrokes the store
// prepared for (typing at the cursor, clamped positions) against the same edits on a string, and
// the kind of each (prose, brace, other).
#include <doctest/doctest.h>

#include <algorithm>
#include <random>

#include "server/document_store.h"
#include "server/line_index.h"

using namespace perfectex;
using namespace perfectex::server;
using protocol::Position;
using protocol::PositionEncoding;

namespace {

// The twin: decodes code points one by one from the start of the text.
Position slow_position(std::string_view text, std::size_t offset, PositionEncoding enc) {
  Position p;
  for (std::size_t i = 0; i < offset;) {
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) {
      ++p.line;
      p.character = 0;
      ++i;
      continue;
    }
    if (text[i] == '\r') {  // \r\n: the \n ends the line
      ++i;
      ++p.character;
      continue;
    }
    auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    p.character += enc == PositionEncoding::Utf8    ? static_cast<std::uint32_t>(len)
                   : enc == PositionEncoding::Utf16 ? (len == 4 ? 2 : 1)
                                                    : 1;
    i += len;
  }
  return p;
}

// Byte offsets at which a code point starts.
std::vector<std::size_t> boundaries(std::string_view text) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || (static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) out.push_back(i);
  }
  return out;
}

constexpr PositionEncoding kEncodings[] = {PositionEncoding::Utf8, PositionEncoding::Utf16,
                                           PositionEncoding::Utf32};

}  // namespace

TEST_CASE("positions on non-ASCII text in each encoding") {
  std::string text =
      "a\xF0\x9F\x98\x80"
      "b\n\xC3\xA9t\xC3\xA9\r\nx\ry";  // a😀b / été / x / y
  LineIndex lines(text);
  CHECK(lines.line_count() == 4);
  std::size_t b = text.find('b');
  CHECK(lines.position(text, b, PositionEncoding::Utf16) == Position{0, 3});
  CHECK(lines.position(text, b, PositionEncoding::Utf8) == Position{0, 5});
  CHECK(lines.position(text, b, PositionEncoding::Utf32) == Position{0, 2});
  CHECK(lines.offset(text, {0, 3}, PositionEncoding::Utf16).offset == b);
  CHECK(lines.offset(text, {1, 2}, PositionEncoding::Utf16).offset == text.find("t\xC3\xA9") + 1);
  CHECK(lines.position(text, text.find('y'), PositionEncoding::Utf16) == Position{3, 0});
  for (auto enc : kEncodings) {
    for (std::size_t off : boundaries(text)) {
      Position p = lines.position(text, static_cast<std::uint32_t>(off), enc);
      CHECK(p == slow_position(text, off, enc));
      if (text[off] != '\n' || off == 0 || text[off - 1] != '\r') {
        CHECK(lines.offset(text, p, enc).offset == off);
      }
    }
  }
}

TEST_CASE("out-of-range positions are clamped as the specification says") {
  std::string text = "ab\n\xF0\x9F\x98\x80z\n";
  LineIndex lines(text);
  auto past_line = lines.offset(text, {0, 99}, PositionEncoding::Utf16);
  CHECK(past_line.offset == 2);
  CHECK(past_line.clamped);
  auto past_end = lines.offset(text, {7, 0}, PositionEncoding::Utf16);
  CHECK(past_end.offset == text.size());
  CHECK(past_end.clamped);
  auto inside_pair = lines.offset(text, {1, 1}, PositionEncoding::Utf16);
  CHECK(inside_pair.offset == 3);
  CHECK(inside_pair.clamped);
  CHECK_FALSE(lines.offset(text, {1, 2}, PositionEncoding::Utf16).clamped);
  CHECK(lines.position(text, 999, PositionEncoding::Utf16) == Position{2, 0});
}

TEST_CASE("invalid UTF-8 counts one unit per bad byte and never crashes") {
  std::string text = "a\xFF\xC3(b\xED\xA0\x80z";
  LineIndex lines(text);
  for (auto enc : kEncodings) {
    for (std::uint32_t off = 0; off <= text.size(); ++off) {
      Position p = lines.position(text, off, enc);
      CHECK(lines.offset(text, p, enc).offset <= text.size());
    }
  }
  CHECK(lines.position(text, text.find('z'), PositionEncoding::Utf16) == Position{0, 8});
}

// Whether edit turns before into after.
bool does(lexer::TextEdit edit, std::string_view before, std::string_view after) {
  return edit.begin <= edit.old_end && edit.begin <= edit.new_end &&
         edit.old_end <= before.size() && edit.new_end <= after.size() &&
         before.size() - edit.old_end == after.size() - edit.new_end &&
         before.substr(0, edit.begin) == after.substr(0, edit.begin) &&
         before.substr(edit.old_end) == after.substr(edit.new_end);
}

TEST_CASE("random edit sequences applied incrementally equal the same edits on a plain string") {
  const std::vector<std::string> pieces = {
      "a", "\\",    "{",    "}", "\n", "\r\n", " ", "\xC3\xA9", "\xE2\x88\x80", "\xF0\x9F\x98\x80",
      "$", "word ", "\n\n", "\r"};
  std::mt19937 rng(2026);
  for (auto enc : kEncodings) {
    for (int trial = 0; trial < 40; ++trial) {
      std::string oracle = "\\documentclass{article}\n\xC3\xA9t\xC3\xA9 \xF0\x9F\x98\x80 $x$\n";
      DocumentStore store;
      std::vector<SnapshotPtr> snapshots = {store.open("file:///t.tex", 1, "latex", oracle)};
      for (int step = 0; step < 60; ++step) {
        // One to three changes in a notification, each in the positions of the text before it.
        std::vector<protocol::TextDocumentContentChangeEvent> changes(1 + rng() % 3);
        for (auto& change : changes) {
          auto cuts = boundaries(oracle);
          std::size_t a = cuts[rng() % cuts.size()], b = cuts[rng() % cuts.size()];
          if (a > b) std::swap(a, b);
          if (a < oracle.size() && oracle[a] == '\n' && a > 0 && oracle[a - 1] == '\r') --a;
          if (b < oracle.size() && oracle[b] == '\n' && b > 0 && oracle[b - 1] == '\r') --b;
          std::string insert;
          for (int k = static_cast<int>(rng() % 4); k > 0; --k)
            insert += pieces[rng() % pieces.size()];
          change.range =
              protocol::Range{slow_position(oracle, a, enc), slow_position(oracle, b, enc)};
          change.text = insert;
          oracle.replace(a, b - a, insert);
        }
        auto result = store.change("file:///t.tex", step + 2, changes, enc);
        REQUIRE(result.snapshot != nullptr);
        REQUIRE(result.notes.empty());
        REQUIRE(result.snapshot->text == oracle);
        REQUIRE(result.snapshot->lines == LineIndex(oracle));
        // The edit from each earlier snapshot, from the history or compared, does what it says.
        snapshots.push_back(result.snapshot);
        for (std::size_t k = snapshots.size() > 12 ? snapshots.size() - 12 : 0;
             k < snapshots.size(); ++k) {
          REQUIRE(does(edit_between(*snapshots[k], *result.snapshot), snapshots[k]->text, oracle));
        }
      }
    }
  }
}

TEST_CASE("a full replacement, several changes in one notification, and unknown documents") {
  DocumentStore store;
  store.open("u", 1, "latex", "hello\nworld\n");
  protocol::TextDocumentContentChangeEvent first{protocol::Range{{0, 0}, {0, 5}}, "HELLO"};
  protocol::TextDocumentContentChangeEvent second{protocol::Range{{1, 0}, {1, 5}}, "there"};
  auto r = store.change("u", 2, {first, second}, PositionEncoding::Utf16);
  CHECK(r.snapshot->text == "HELLO\nthere\n");
  CHECK(r.snapshot->version == 2);
  protocol::TextDocumentContentChangeEvent whole{std::nullopt, "new"};
  CHECK(store.change("u", 3, {whole}, PositionEncoding::Utf16).snapshot->text == "new");
  protocol::TextDocumentContentChangeEvent outside{protocol::Range{{5, 0}, {9, 9}}, "!"};
  auto clamped = store.change("u", 4, {outside}, PositionEncoding::Utf16);
  CHECK(clamped.snapshot->text == "new!");
  CHECK(clamped.notes.size() == 1);
  CHECK(store.change("nope", 1, {whole}, PositionEncoding::Utf16).snapshot == nullptr);
}

TEST_CASE("a keystroke prepared for gives the text and index of the same edit on a plain string") {
  // Typing at the cursor, which prepare() foresees, mixed with what it does not: a line break, a
  // character of two bytes, a jump elsewhere, a deletion, a keystroke typed before T0 prepared,
  // CRLF line ends around the cursor; in every encoding.
  const std::vector<std::string> typed = {"a", "a",  "a",        "\\", "{",
                                          " ", "\n", "\xC3\xA9", "\r", "x"};
  std::mt19937 rng(7);
  for (auto enc : kEncodings) {
    std::string oracle = "\\documentclass{article}\r\n\xC3\xA9t\xC3\xA9 $x$\r\nend\n";
    DocumentStore store;
    store.open("file:///t.tex", 1, "latex", oracle);
    std::size_t cursor = 5;
    for (int step = 0; step < 400; ++step) {
      CAPTURE(step);
      if (rng() % 4 != 0) store.prepare("file:///t.tex");
      if (rng() % 10 == 0) {
        auto cuts = boundaries(oracle);
        cursor = cuts[rng() % cuts.size()];
      }
      // No position falls between the two bytes of a CRLF.
      if (cursor > 0 && cursor < oracle.size() && oracle[cursor - 1] == '\r' &&
          oracle[cursor] == '\n') {
        ++cursor;
      }
      protocol::TextDocumentContentChangeEvent change;
      const std::size_t erase =
          rng() % 12 == 0 && cursor < oracle.size() && oracle[cursor] == 'a' ? 1 : 0;
      change.text = erase == 1 ? "" : typed[rng() % typed.size()];
      change.range = protocol::Range{slow_position(oracle, cursor, enc),
                                     slow_position(oracle, cursor + erase, enc)};
      const std::string before = oracle, removed = oracle.substr(cursor, erase);
      oracle.replace(cursor, erase, change.text);
      cursor += change.text.size();
      auto result = store.change("file:///t.tex", step + 2, {change}, enc);
      REQUIRE(result.snapshot->text == oracle);
      REQUIRE(result.snapshot->lines == LineIndex(oracle));
      REQUIRE(does(result.snapshot->history[0].edit, before, oracle));
      auto any = [](const std::string& bytes, std::string_view of) {
        return std::any_of(bytes.begin(), bytes.end(),
                           [&](char c) { return of.find(c) != std::string_view::npos; });
      };
      auto prose = [&](const std::string& bytes) {
        return bytes.size() <= 4 && !any(bytes, "\\$%&#^_~[]\n\r");
      };
      const Snapshot::EditKind kind =
          any(change.text, "{}") || any(removed, "{}") ? Snapshot::EditKind::Brace
          : prose(change.text) && prose(removed)       ? Snapshot::EditKind::Prose
                                                       : Snapshot::EditKind::Other;
      REQUIRE(result.snapshot->edit_kind == kind);
    }
    // Most keystrokes were foreseen; the others took the copy.
    CHECK(store.foreseen() > 150);
    CHECK(store.foreseen() < 400);
  }
}

TEST_CASE("a prepared keystroke at a position out of range is clamped as any other") {
  // The last edit ends at the end of the first line; the next one names a column past that line's
  // end, which clamps to the prepared offset: it is applied as any clamped change, with its note.
  DocumentStore store;
  store.open("u", 1, "latex", "ab\ncd\n");
  protocol::TextDocumentContentChangeEvent typed{protocol::Range{{0, 2}, {0, 2}}, "x"};
  REQUIRE(store.change("u", 2, {typed}, PositionEncoding::Utf16).snapshot->text == "abx\ncd\n");
  store.prepare("u");
  protocol::TextDocumentContentChangeEvent past{protocol::Range{{0, 9}, {0, 9}}, "y"};
  auto clamped = store.change("u", 3, {past}, PositionEncoding::Utf16);
  CHECK(clamped.snapshot->text == "abxy\ncd\n");
  CHECK(clamped.snapshot->lines == LineIndex("abxy\ncd\n"));
  CHECK(clamped.notes.size() == 1);
  CHECK(store.foreseen() == 0);
  // Past the last line, too; then the foreseen keystroke, typed where that one ended.
  store.prepare("u");
  protocol::TextDocumentContentChangeEvent below{protocol::Range{{7, 0}, {7, 0}}, "z"};
  auto end = store.change("u", 4, {below}, PositionEncoding::Utf16);
  CHECK(end.snapshot->text == "abxy\ncd\nz");
  CHECK(end.notes.size() == 1);
  store.prepare("u");
  protocol::TextDocumentContentChangeEvent next{protocol::Range{{2, 1}, {2, 1}}, "!"};
  auto foreseen = store.change("u", 5, {next}, PositionEncoding::Utf16);
  CHECK(foreseen.snapshot->text == "abxy\ncd\nz!");
  CHECK(foreseen.snapshot->lines == LineIndex("abxy\ncd\nz!"));
  CHECK(foreseen.notes.empty());
  CHECK(store.foreseen() == 1);
}
