#include "protocol/lsp_types.h"

namespace perfectex::protocol {
namespace {

[[noreturn]] void bad(std::string_view path, std::string_view what) {
  throw InvalidParamsError("params." + std::string(path) + " " + std::string(what));
}

std::uint32_t require_u32(const json& params, std::string_view path) {
  const json& v = require(params, path);
  if (!v.is_number_integer()) bad(path, "must be an integer");
  auto n = v.get<std::int64_t>();
  if (n < 0 || n > UINT32_MAX) bad(path, "must be a non-negative 32-bit integer");
  return static_cast<std::uint32_t>(n);
}

}  // namespace

std::string_view to_string(PositionEncoding encoding) {
  switch (encoding) {
    case PositionEncoding::Utf8:
      return "utf-8";
    case PositionEncoding::Utf16:
      return "utf-16";
    case PositionEncoding::Utf32:
      return "utf-32";
  }
  return "utf-16";
}

PositionEncoding negotiate_encoding(const json& initialize_params) {
  const json* offered = nullptr;
  if (initialize_params.is_object()) {
    auto caps = initialize_params.find("capabilities");
    if (caps != initialize_params.end() && caps->is_object()) {
      auto general = caps->find("general");
      if (general != caps->end() && general->is_object()) {
        auto encodings = general->find("positionEncodings");
        if (encodings != general->end() && encodings->is_array()) offered = &*encodings;
      }
    }
  }
  if (offered == nullptr) return PositionEncoding::Utf16;
  bool utf32 = false;
  for (const json& e : *offered) {
    if (e == "utf-8") return PositionEncoding::Utf8;
    if (e == "utf-32") utf32 = true;
  }
  return utf32 ? PositionEncoding::Utf32 : PositionEncoding::Utf16;
}

json to_json(const Position& p) {
  return {{"line", p.line}, {"character", p.character}};
}
json to_json(const Range& r) {
  return {{"start", to_json(r.start)}, {"end", to_json(r.end)}};
}

const json& require(const json& params, std::string_view path) {
  const json* node = &params;
  std::string_view rest = path;
  while (!rest.empty()) {
    std::size_t dot = rest.find('.');
    std::string key(rest.substr(0, dot));
    rest = dot == std::string_view::npos ? std::string_view{} : rest.substr(dot + 1);
    if (node->is_array() && !key.empty() &&
        key.find_first_not_of("0123456789") == std::string::npos) {
      std::size_t index = std::stoul(key);
      if (index >= node->size()) bad(path, "is missing");
      node = &(*node)[index];
      continue;
    }
    if (!node->is_object()) bad(path, "is missing (parent is not an object)");
    auto it = node->find(key);
    if (it == node->end()) bad(path, "is missing");
    node = &*it;
  }
  return *node;
}

std::string require_string(const json& params, std::string_view path) {
  const json& v = require(params, path);
  if (!v.is_string()) bad(path, "must be a string");
  return v.get<std::string>();
}

std::int64_t require_int(const json& params, std::string_view path) {
  const json& v = require(params, path);
  if (!v.is_number_integer()) bad(path, "must be an integer");
  return v.get<std::int64_t>();
}

Position require_position(const json& params, std::string_view path) {
  std::string base(path);
  return {require_u32(params, base + ".line"), require_u32(params, base + ".character")};
}

Range require_range(const json& params, std::string_view path) {
  std::string base(path);
  return {require_position(params, base + ".start"), require_position(params, base + ".end")};
}

std::vector<TextDocumentContentChangeEvent> require_changes(const json& params) {
  const json& changes = require(params, "contentChanges");
  if (!changes.is_array()) bad("contentChanges", "must be an array");
  std::vector<TextDocumentContentChangeEvent> out;
  out.reserve(changes.size());
  for (std::size_t i = 0; i < changes.size(); ++i) {
    std::string path = "contentChanges." + std::to_string(i);
    TextDocumentContentChangeEvent event;
    event.text = require_string(params, path + ".text");
    if (changes[i].contains("range")) event.range = require_range(params, path + ".range");
    out.push_back(std::move(event));
  }
  return out;
}

}  // namespace perfectex::protocol
