#include <doctest/doctest.h>

#include "tools/replay/text_document.h"

namespace perfectex::replay {

TEST_CASE("positions count UTF-16 code units; offsets convert back") {
  // "é" is 2 bytes / 1 unit, "€" 3 bytes / 1 unit, "😀" 4 bytes / 2 units.
  TextDocument doc("ab\nxé€😀y\n\nlast");
  CHECK(doc.line_count() == 4);
  CHECK(doc.position_at(0) == protocol::Position{0, 0});
  CHECK(doc.position_at(2) == protocol::Position{0, 2});
  CHECK(doc.position_at(3) == protocol::Position{1, 0});
  CHECK(doc.position_at(4) == protocol::Position{1, 1});   // after x
  CHECK(doc.position_at(6) == protocol::Position{1, 2});   // after é
  CHECK(doc.position_at(9) == protocol::Position{1, 3});   // after €
  CHECK(doc.position_at(13) == protocol::Position{1, 5});  // after 😀
  CHECK(doc.position_at(doc.size()) == protocol::Position{3, 4});
  for (std::size_t offset : {0u, 2u, 3u, 4u, 6u, 9u, 13u, 14u, 15u, 16u}) {
    CHECK(doc.offset_at(doc.position_at(offset)) == offset);
  }
  CHECK(doc.offset_at({0, 99}) == 2);  // clamps to the line end
  CHECK(doc.offset_at({99, 0}) == doc.size());
  CHECK_THROWS(doc.position_at(doc.size() + 1));
}

TEST_CASE("replace keeps the line index in step with the text") {
  TextDocument doc("one\ntwo\nthree\n");
  doc.replace(4, 4, "");  // delete "two\n"
  CHECK(doc.text() == "one\nthree\n");
  CHECK(doc.line_count() == 3);
  CHECK(doc.line_start(1) == 4);
  doc.replace(3, 0, "\nA\nB");  // insert two lines after "one"
  CHECK(doc.text() == "one\nA\nB\nthree\n");
  CHECK(doc.line_count() == 5);
  CHECK(doc.line_start(3) == 8);
  CHECK(doc.position_at(8) == protocol::Position{3, 0});
  doc.replace(0, doc.size(), "x");
  CHECK(doc.line_count() == 1);
  CHECK(doc.line_end(0) == 1);
  CHECK_THROWS(doc.replace(1, 1, ""));
  // A rebuilt index agrees with the incrementally kept one.
  TextDocument a("p\nq\nr\ns");
  a.replace(2, 3, "1\n2\n3\n");
  TextDocument b(a.text());
  REQUIRE(a.line_count() == b.line_count());
  for (std::size_t i = 0; i < a.line_count(); ++i) CHECK(a.line_start(i) == b.line_start(i));
}

TEST_CASE("utf16_length and code_point_length") {
  CHECK(utf16_length("") == 0);
  CHECK(utf16_length("abc") == 3);
  CHECK(utf16_length("é€😀") == 4);
  // Ill-formed bytes count one unit each, like the U+FFFD that replaces each of them.
  CHECK(utf16_length("a\x80"
                     "b") == 3);
  CHECK(utf16_length("\xE2\x82") == 2);  // a truncated sequence
  CHECK(utf16_length("\xC0\xAF") == 2);  // an overlong form
  CHECK(code_point_length("a", 0) == 1);
  CHECK(code_point_length("é", 0) == 2);
  CHECK(code_point_length("€", 0) == 3);
  CHECK(code_point_length("😀", 0) == 4);
  CHECK(code_point_length("\x80", 0) == 1);
  CHECK(code_point_length("\xF0\x9F", 0) == 1);
}

}  // namespace perfectex::replay
