// The synthesizer's model of the document being edited: its text and line starts, kept in step with
// every edit, and the conversion between byte offsets and LSP positions (UTF-16 code units, the LSP
// default). Lines end at '\n' (a '\r' before it stays part of the line's text, as LSP counts it).
// Threading: a plain value type; not synchronised.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/lsp_types.h"

namespace perfectex::replay {

class TextDocument {
 public:
  explicit TextDocument(std::string text);

  const std::string& text() const { return text_; }
  std::size_t size() const { return text_.size(); }
  std::size_t line_count() const { return line_starts_.size(); }
  /// Byte offset of the first character of a line.
  std::size_t line_start(std::size_t line) const { return line_starts_.at(line); }
  /// Byte offset of the '\n' ending a line, or size() for the last line.
  std::size_t line_end(std::size_t line) const;
  /// The line holding a byte offset (offset == size() is on the last line).
  std::size_t line_of(std::size_t offset) const;

  /// The LSP position of a byte offset; the offset must be at a code point boundary.
  protocol::Position position_at(std::size_t offset) const;
  /// The byte offset of an LSP position; a character past the line's end clamps to the end.
  std::size_t offset_at(protocol::Position position) const;

  /// Replaces length bytes at offset with text and updates the line index.
  void replace(std::size_t offset, std::size_t length, std::string_view text);

 private:
  std::string text_;
  std::vector<std::size_t> line_starts_;
};

/// UTF-16 code units in UTF-8 text; each byte of an ill-formed sequence counts as one unit, as the
/// U+FFFD that replaces it does (the server's rule too: protocol/utf8.h decides well-formedness).
std::size_t utf16_length(std::string_view utf8);

/// Bytes of the code point at text[i]: its UTF-8 sequence, or 1 for a byte that starts none.
std::size_t code_point_length(std::string_view text, std::size_t i);

}  // namespace perfectex::replay
