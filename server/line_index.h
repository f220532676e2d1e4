// The one place where byte offsets and LSP positions meet: line starts of a text, and conversion
// between byte offsets and positions in UTF-8, UTF-16 or UTF-32 code units. Out-of-range positions
// are clamped as the LSP specification says (past the line end: the line end; past the last line:
// the end of the text); invalid UTF-8 bytes count as one unit each. Threading: immutable after
// build.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "protocol/lsp_types.h"

namespace perfectex::server {

class LineIndex {
 public:
  LineIndex() : starts_{0} {}
  explicit LineIndex(std::string_view text);
  /// The index of new_text, which is this index's text with the bytes [begin, old_end) replaced
  /// by new_text's [begin, new_end): only the edited stretch is scanned again.
  LineIndex edited(std::string_view new_text, std::uint32_t begin, std::uint32_t old_end,
                   std::uint32_t new_end) const;
  friend bool operator==(const LineIndex&, const LineIndex&) = default;

  std::size_t line_count() const { return starts_.size(); }
  std::uint32_t line_start(std::size_t line) const { return starts_[line]; }
  /// Offset of the end of the line's content, before its line break.
  std::uint32_t line_end(std::string_view text, std::size_t line) const;
  /// 0-based line containing offset.
  std::size_t line_of(std::uint32_t offset) const;

  protocol::Position position(std::string_view text, std::uint32_t offset,
                              protocol::PositionEncoding encoding) const;

  struct Offset {
    std::uint32_t offset = 0;
    bool clamped =
        false;  ///< the position was outside the text and was moved to the nearest valid one
  };
  Offset offset(std::string_view text, protocol::Position position,
                protocol::PositionEncoding encoding) const;

 private:
  std::vector<std::uint32_t> starts_;
};

}  // namespace perfectex::server
