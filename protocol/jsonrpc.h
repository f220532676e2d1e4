// JSON-RPC 2.0 envelopes as LSP uses them: decoding a frame body into a request, notification or
// response, and encoding replies, errors and notifications, with the LSP error codes.
// Threading: pure functions and value types; safe from any thread.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>

namespace perfectex::protocol {

using json = nlohmann::json;

enum class ErrorCode : int {
  ParseError = -32700,
  InvalidRequest = -32600,
  MethodNotFound = -32601,
  InvalidParams = -32602,
  InternalError = -32603,
  ServerNotInitialized = -32002,
  UnknownErrorCode = -32001,
  RequestFailed = -32803,
  ServerCancelled = -32802,
  ContentModified = -32801,
  RequestCancelled = -32800,
};

struct Request {
  json id;  ///< integer or string, as the client sent it
  std::string method;
  json params;  ///< null when absent
};

struct Notification {
  std::string method;
  json params;
};

struct ResponseError {
  int code = 0;
  std::string message;
  json data;
};

struct Response {
  json id;
  json result;
  std::optional<ResponseError> error;
};

using Message = std::variant<Request, Notification, Response>;

/// Why a body is not a message; id is the request id when one could be read, null otherwise.
struct DecodeError {
  ErrorCode code;
  std::string message;
  json id;
};

/// Thrown by handlers when params do not have the shape a method needs; becomes InvalidParams.
class InvalidParamsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Parses a JSON text as nlohmann's parser does (same values, same texts refused: discarded),
/// through simdjson, which reads a document's text at gigabytes a second where nlohmann reads
/// tens of megabytes; a text simdjson refuses goes to nlohmann, whose answer stands.
json parse_json(std::string_view text);

/// Decodes one frame body. Never throws. Invalid UTF-8 inside strings is replaced by U+FFFD (and
/// *repaired_utf8 set) rather than losing the whole message.
std::variant<Message, DecodeError> decode_message(std::string_view body,
                                                  bool* repaired_utf8 = nullptr);

/// Serialises JSON for the wire; invalid UTF-8 in strings is replaced, never thrown on.
std::string dump_json(const json& value);
/// Appends s as a JSON string, as dump_json writes it: printable ASCII without quotes or
/// backslashes is copied between quotes; anything else (escapes, UTF-8, invalid bytes) is left to
/// the library. For writers that build JSON text without a json value.
void append_json_string(std::string& out, std::string_view s);
/// Appends n as a JSON number.
void append_json_number(std::string& out, std::uint64_t n);

std::string encode_result(const json& id, const json& result);
std::string encode_error(const json& id, ErrorCode code, std::string_view message,
                         const json& data = nullptr);
std::string encode_notification(std::string_view method, const json& params);
std::string encode_request(const json& id, std::string_view method, const json& params);

}  // namespace perfectex::protocol
