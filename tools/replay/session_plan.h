// What a replay sends, cut from a session: the client's messages in three phases (prologue up to
// `initialized`, the body that passes repeat, the epilogue from `shutdown`), the client's own
// replies to server requests left out (the replayer answers live). Also which server capability
// each request method needs, so requests a server does not advertise can be skipped. Threading:
// pure functions and value types.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tools/replay/session.h"

namespace perfectex::replay {

struct PlannedMessage {
  std::int64_t t_us = 0;  ///< when the client sent it, relative to the session start
  json msg;
};

struct SessionPlan {
  std::vector<PlannedMessage> prologue;  ///< through the first `initialized`
  std::vector<PlannedMessage> body;      ///< what each pass replays
  std::vector<PlannedMessage> epilogue;  ///< from the first `shutdown`
  std::size_t client_replies = 0;        ///< left out: the replayer answers server requests itself
  std::size_t unusable = 0;              ///< client entries that were not JSON-RPC messages
  std::string document_uri;              ///< the first document opened
  std::uint64_t document_bytes = 0;      ///< its size in bytes
};

SessionPlan plan_session(const Session& session);

/// The ServerCapabilities member a request method needs ("hoverProvider"), or nullopt when the
/// method needs none (lifecycle, custom methods).
std::optional<std::string_view> capability_for(std::string_view method);

/// Whether initialize-result capabilities advertise what method needs.
bool server_supports(const json& capabilities, std::string_view method);

}  // namespace perfectex::replay
