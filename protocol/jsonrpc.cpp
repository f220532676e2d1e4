#include "protocol/jsonrpc.h"

#include <charconv>
#include <cstdint>

#include "protocol/dom_parser.h"
#include "protocol/utf8.h"

namespace perfectex::protocol {
namespace {

bool valid_id(const json& id) {
  return id.is_number_integer() || id.is_string();
}

// The nlohmann value of a simdjson one. nlohmann keeps a non-negative integer as unsigned, and
// the last of two equal keys.
json to_json(simdjson::dom::element e) {
  using Type = simdjson::dom::element_type;
  switch (e.type()) {
    case Type::ARRAY: {
      json a = json::array();
      const simdjson::dom::array items = e.get_array().value_unsafe();
      for (simdjson::dom::element x : items) a.push_back(to_json(x));
      return a;
    }
    case Type::OBJECT: {
      json o = json::object();
      const simdjson::dom::object fields = e.get_object().value_unsafe();
      for (simdjson::dom::key_value_pair kv : fields) o[std::string(kv.key)] = to_json(kv.value);
      return o;
    }
    case Type::INT64: {
      const std::int64_t v = e.get_int64().value_unsafe();
      return v >= 0 ? json(static_cast<std::uint64_t>(v)) : json(v);
    }
    case Type::UINT64:
      return e.get_uint64().value_unsafe();
    case Type::DOUBLE:
      return e.get_double().value_unsafe();
    case Type::STRING:
      return std::string(e.get_string().value_unsafe());
    case Type::BOOL:
      return e.get_bool().value_unsafe();
    case Type::NULL_VALUE:
      break;
  }
  return nullptr;
}

}  // namespace

json parse_json(std::string_view text) {
  json doc = with_dom_parser(text, [&](simdjson::dom::parser& parser) {
    simdjson::dom::element root;
    if (parser.parse(text.data(), text.size()).get(root) != simdjson::SUCCESS)
      return json(json::value_t::discarded);
    return to_json(root);
  });
  if (!doc.is_discarded()) return doc;
  return json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
}

std::variant<Message, DecodeError> decode_message(std::string_view body, bool* repaired_utf8) {
  if (repaired_utf8 != nullptr) *repaired_utf8 = false;
  json doc = parse_json(body);
  if (doc.is_discarded() && valid_utf8_prefix(body) != body.size()) {
    // Invalid UTF-8 inside strings: keep the message, with U+FFFD in place of each bad byte.
    std::string repaired = sanitize_utf8(body);
    doc = parse_json(repaired);
    if (!doc.is_discarded() && repaired_utf8 != nullptr) *repaired_utf8 = true;
  }
  if (doc.is_discarded())
    return DecodeError{ErrorCode::ParseError, "body is not valid JSON", nullptr};
  if (doc.is_array()) {
    return DecodeError{ErrorCode::InvalidRequest, "JSON-RPC batches are not used by LSP", nullptr};
  }
  if (!doc.is_object()) {
    return DecodeError{ErrorCode::InvalidRequest, "message is not a JSON object", nullptr};
  }
  json id = doc.contains("id") ? doc["id"] : json(nullptr);
  if (!id.is_null() && !valid_id(id)) {
    return DecodeError{ErrorCode::InvalidRequest, "id must be an integer or a string", nullptr};
  }
  auto version = doc.find("jsonrpc");
  if (version == doc.end() || *version != "2.0") {
    return DecodeError{ErrorCode::InvalidRequest, "jsonrpc must be \"2.0\"", id};
  }
  json params = doc.contains("params") ? doc["params"] : json(nullptr);
  if (!params.is_null() && !params.is_object() && !params.is_array()) {
    return DecodeError{ErrorCode::InvalidRequest, "params must be an object or an array", id};
  }

  auto method = doc.find("method");
  if (method != doc.end()) {
    if (!method->is_string()) {
      return DecodeError{ErrorCode::InvalidRequest, "method must be a string", id};
    }
    if (doc.contains("id"))
      return Request{std::move(id), method->get<std::string>(), std::move(params)};
    return Notification{method->get<std::string>(), std::move(params)};
  }

  if (doc.contains("result") || doc.contains("error")) {
    Response response{std::move(id), doc.value("result", json(nullptr)), std::nullopt};
    if (auto err = doc.find("error"); err != doc.end() && err->is_object()) {
      ResponseError e;
      e.code = err->value("code", 0);
      e.message = err->value("message", "");
      e.data = err->value("data", json(nullptr));
      response.error = std::move(e);
    }
    return response;
  }
  return DecodeError{ErrorCode::InvalidRequest, "message has neither method nor result", id};
}

std::string dump_json(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

void append_json_string(std::string& out, std::string_view s) {
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') {
      out += dump_json(json(std::string(s)));
      return;
    }
  }
  out += '"';
  out += s;
  out += '"';
}

void append_json_number(std::string& out, std::uint64_t n) {
  char digits[20];
  out.append(digits, std::to_chars(digits, digits + sizeof digits, n).ptr);
}

std::string encode_result(const json& id, const json& result) {
  return dump_json(json{{"jsonrpc", "2.0"}, {"id", id}, {"result", result}});
}

std::string encode_error(const json& id, ErrorCode code, std::string_view message,
                         const json& data) {
  json error{{"code", static_cast<int>(code)}, {"message", message}};
  if (!data.is_null()) error["data"] = data;
  return dump_json(json{{"jsonrpc", "2.0"}, {"id", id}, {"error", std::move(error)}});
}

std::string encode_notification(std::string_view method, const json& params) {
  return dump_json(json{{"jsonrpc", "2.0"}, {"method", method}, {"params", params}});
}

std::string encode_request(const json& id, std::string_view method, const json& params) {
  return dump_json(json{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", params}});
}

}  // namespace perfectex::protocol
