// What a harness needs from a server message, without a JSON tree: its kind, id, method, error,
// and for textDocument/publishDiagnostics the uri, version and number of diagnostics. simdjson
// reads the body (a publish with thousands of diagnostics at a GB/s, so that the harness does not
// take the server's core on a two-core machine); nlohmann's SAX parser is the obviously correct
// twin, and what it falls back to when simdjson refuses a body. Threading: pure functions; safe
// from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace perfectex::protocol {

enum class MessageKind { Request, Notification, Response, Invalid };

struct MessageSummary {
  MessageKind kind = MessageKind::Invalid;
  std::optional<std::int64_t> id;  ///< integer ids only (the replayer sends integers)
  std::string string_id;           ///< a string id, when the sender used one
  std::string method;
  bool has_error = false;
  int error_code = 0;
  std::string error_message;
  std::string uri;                      ///< params.uri
  std::optional<std::int64_t> version;  ///< params.version (publishDiagnostics)
  std::size_t diagnostics = 0;          ///< elements of params.diagnostics
  friend bool operator==(const MessageSummary&, const MessageSummary&) = default;
};

/// Summarises one frame body; kind is Invalid when it is not a JSON-RPC message object.
MessageSummary scan_message(std::string_view body);
/// The same, with a SAX pass of nlohmann's parser.
MessageSummary scan_message_sax(std::string_view body);

}  // namespace perfectex::protocol
