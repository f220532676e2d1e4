#include "server/line_index.h"

#include <algorithm>
#include <cstring>

#include "protocol/utf8.h"

namespace perfectex::server {
namespace {

std::uint32_t units(std::size_t sequence_length, protocol::PositionEncoding encoding) {
  switch (encoding) {
    case protocol::PositionEncoding::Utf8:
      return static_cast<std::uint32_t>(sequence_length);
    case protocol::PositionEncoding::Utf16:
      return sequence_length == 4 ? 2 : 1;
    case protocol::PositionEncoding::Utf32:
      return 1;
  }
  return 1;
}

// The length of the sequence at text[i]; an invalid byte counts as one unit on its own.
std::size_t sequence_length(std::string_view text, std::size_t i) {
  std::size_t len = protocol::utf8_sequence_length(text, i);
  return len == 0 ? 1 : len;
}

}  // namespace

LineIndex::LineIndex(std::string_view text) {
  starts_.reserve(text.size() / 40 + 1);
  starts_.push_back(0);
  const char* data = text.data();
  std::size_t n = text.size();
  for (std::size_t i = 0; i < n;) {
    // memchr for '\n' keeps the common case fast; a lone '\r' also ends a line.
    const void* nl = std::memchr(data + i, '\n', n - i);
    std::size_t stop = nl ? static_cast<std::size_t>(static_cast<const char*>(nl) - data) : n;
    const void* cr = std::memchr(data + i, '\r', stop - i);
    while (cr != nullptr) {
      std::size_t at = static_cast<std::size_t>(static_cast<const char*>(cr) - data);
      if (at + 1 != stop || nl == nullptr) starts_.push_back(static_cast<std::uint32_t>(at + 1));
      cr = std::memchr(data + at + 1, '\r', stop - at - 1);
    }
    if (stop == n) break;
    starts_.push_back(static_cast<std::uint32_t>(stop + 1));
    i = stop + 1;
  }
}

LineIndex LineIndex::edited(std::string_view new_text, std::uint32_t begin, std::uint32_t old_end,
                            std::uint32_t new_end) const {
  // A line starts at p when byte p-1 ends a line: '\n', or '\r' not followed by '\n'. So starts
  // before begin depend on unchanged bytes, and so do those after old_end + 1 (shifted); the
  // ones in between are found again.
  LineIndex out;
  auto kept = std::lower_bound(starts_.begin(), starts_.end(), begin);
  auto moved = std::upper_bound(kept, starts_.end(), old_end);
  out.starts_.reserve(starts_.size() + (new_end - begin) / 16 + 1);
  out.starts_.assign(starts_.begin(), kept);
  if (out.starts_.empty()) out.starts_.push_back(0);
  const std::size_t n = new_text.size();
  for (std::size_t p = std::max<std::size_t>(begin, 1); p <= new_end; ++p) {
    char before = new_text[p - 1];
    if (before == '\n' || (before == '\r' && (p == n || new_text[p] != '\n'))) {
      out.starts_.push_back(static_cast<std::uint32_t>(p));
    }
  }
  auto shift = static_cast<std::uint32_t>(new_end - old_end);  // modular: also shrinks
  for (auto it = moved; it != starts_.end(); ++it) out.starts_.push_back(*it + shift);
  return out;
}

std::uint32_t LineIndex::line_end(std::string_view text, std::size_t line) const {
  std::uint32_t end =
      line + 1 < starts_.size() ? starts_[line + 1] : static_cast<std::uint32_t>(text.size());
  std::uint32_t start = starts_[line];
  if (end > start && text[end - 1] == '\n') --end;
  if (end > start && text[end - 1] == '\r') --end;
  return end;
}

std::size_t LineIndex::line_of(std::uint32_t offset) const {
  auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  return static_cast<std::size_t>(it - starts_.begin()) - 1;
}

protocol::Position LineIndex::position(std::string_view text, std::uint32_t offset,
                                       protocol::PositionEncoding encoding) const {
  if (offset > text.size()) offset = static_cast<std::uint32_t>(text.size());
  std::size_t line = line_of(offset);
  std::uint32_t start = starts_[line];
  if (encoding == protocol::PositionEncoding::Utf8) {
    return {static_cast<std::uint32_t>(line), offset - start};
  }
  std::uint32_t character = 0;
  for (std::size_t i = start; i < offset;) {
    std::size_t len = sequence_length(text, i);
    if (i + len > offset) break;  // an offset inside a sequence maps to its start
    character += units(len, encoding);
    i += len;
  }
  return {static_cast<std::uint32_t>(line), character};
}

LineIndex::Offset LineIndex::offset(std::string_view text, protocol::Position position,
                                    protocol::PositionEncoding encoding) const {
  if (position.line >= starts_.size()) return {static_cast<std::uint32_t>(text.size()), true};
  std::uint32_t start = starts_[position.line];
  std::uint32_t end = line_end(text, position.line);
  if (encoding == protocol::PositionEncoding::Utf8) {
    if (position.character > end - start) return {end, true};
    return {start + position.character, false};
  }
  std::uint32_t remaining = position.character;
  std::size_t i = start;
  while (remaining > 0 && i < end) {
    std::size_t len = sequence_length(text, i);
    std::uint32_t u = units(len, encoding);
    if (u > remaining) return {static_cast<std::uint32_t>(i), true};  // inside a surrogate pair
    remaining -= u;
    i += len;
  }
  return {static_cast<std::uint32_t>(i), remaining > 0};
}

}  // namespace perfectex::server
