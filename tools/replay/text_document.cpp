#include "tools/replay/text_document.h"

#include <algorithm>
#include <stdexcept>

#include "protocol/utf8.h"

namespace perfectex::replay {

std::size_t code_point_length(std::string_view text, std::size_t i) {
  return std::max<std::size_t>(1, protocol::utf8_sequence_length(text, i));
}

std::size_t utf16_length(std::string_view utf8) {
  std::size_t units = 0;
  for (std::size_t i = 0; i < utf8.size();) {
    const std::size_t length = code_point_length(utf8, i);
    units += length == 4 ? 2 : 1;
    i += length;
  }
  return units;
}

TextDocument::TextDocument(std::string text) : text_(std::move(text)) {
  line_starts_.push_back(0);
  for (std::size_t i = text_.find('\n'); i != std::string::npos; i = text_.find('\n', i + 1)) {
    line_starts_.push_back(i + 1);
  }
}

std::size_t TextDocument::line_end(std::size_t line) const {
  return line + 1 < line_starts_.size() ? line_starts_[line + 1] - 1 : text_.size();
}

std::size_t TextDocument::line_of(std::size_t offset) const {
  if (offset > text_.size()) throw std::out_of_range("offset past the end of the document");
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  return static_cast<std::size_t>(it - line_starts_.begin()) - 1;
}

protocol::Position TextDocument::position_at(std::size_t offset) const {
  const std::size_t line = line_of(offset);
  const std::size_t start = line_starts_[line];
  const std::size_t column = utf16_length(std::string_view(text_).substr(start, offset - start));
  return {static_cast<std::uint32_t>(line), static_cast<std::uint32_t>(column)};
}

std::size_t TextDocument::offset_at(protocol::Position position) const {
  if (position.line >= line_starts_.size()) return text_.size();
  std::size_t offset = line_starts_[position.line];
  const std::size_t end = line_end(position.line);
  std::size_t units = 0;
  while (offset < end && units < position.character) {
    const std::size_t length = code_point_length(std::string_view(text_.data(), end), offset);
    units += length == 4 ? 2 : 1;
    offset += length;
  }
  return offset;
}

void TextDocument::replace(std::size_t offset, std::size_t length, std::string_view text) {
  if (offset > text_.size() || length > text_.size() - offset) {
    throw std::out_of_range("edit range past the end of the document");
  }
  // Line starts inside (offset, offset + length] disappear, later ones shift, the new text adds its
  // own.
  auto first = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  auto last = std::upper_bound(first, line_starts_.end(), offset + length);
  const auto delta = static_cast<std::ptrdiff_t>(text.size()) - static_cast<std::ptrdiff_t>(length);
  for (auto it = last; it != line_starts_.end(); ++it) {
    *it = static_cast<std::size_t>(static_cast<std::ptrdiff_t>(*it) + delta);
  }
  std::vector<std::size_t> added;
  for (std::size_t i = text.find('\n'); i != std::string_view::npos; i = text.find('\n', i + 1)) {
    added.push_back(offset + i + 1);
  }
  auto at = line_starts_.erase(first, last);
  line_starts_.insert(at, added.begin(), added.end());
  text_.replace(offset, length, text);
}

}  // namespace perfectex::replay
