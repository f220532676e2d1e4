// Reads what the replayer needs from a server message without building a JSON tree: its kind, id,
// method, error, and for textDocument/publishDiagnostics the uri, version and number of
// diagnostics. A SAX pass over the body, so a publish with thousands of diagnostics costs no
// allocations for them. Threading: pure function; safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace perfectex::replay {

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
};

/// Summarises one frame body; kind is Invalid when it is not a JSON-RPC message object.
MessageSummary scan_message(std::string_view body);

}  // namespace perfectex::replay
