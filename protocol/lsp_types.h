// The LSP types perfectex speaks, with the specification's field names, and checked access to
// params: a missing or mistyped field throws InvalidParamsError naming the field
// ("textDocument.uri"). Threading: pure value types and functions; safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/jsonrpc.h"

namespace perfectex::protocol {

enum class PositionEncoding { Utf8, Utf16, Utf32 };

std::string_view to_string(PositionEncoding encoding);
/// Picks UTF-16 unless the client offers UTF-8 (preferred: no conversion) or UTF-32.
PositionEncoding negotiate_encoding(const json& initialize_params);

struct Position {
  std::uint32_t line = 0;
  std::uint32_t character = 0;
  friend bool operator==(const Position&, const Position&) = default;
};

struct Range {
  Position start;
  Position end;
  friend bool operator==(const Range&, const Range&) = default;
};

enum class DiagnosticSeverity { Error = 1, Warning = 2, Information = 3, Hint = 4 };

struct TextDocumentContentChangeEvent {
  std::optional<Range> range;  ///< absent: the text replaces the whole document
  std::string text;
};

struct LocationLink {
  std::string uri;
  Range range;
};

json to_json(const Position& p);
json to_json(const Range& r);

/// The value at a dotted path ("textDocument.uri"); throws InvalidParamsError when missing.
const json& require(const json& params, std::string_view path);
std::string require_string(const json& params, std::string_view path);
std::int64_t require_int(const json& params, std::string_view path);
Position require_position(const json& params, std::string_view path);
Range require_range(const json& params, std::string_view path);
std::vector<TextDocumentContentChangeEvent> require_changes(const json& params);

}  // namespace perfectex::protocol
