// The session file: JSON lines. Line 1 is a header ({"format":"perfectex-replay-session",
// "version":1,"source":...}); each other line is one message: {"t_us":<µs since the start,
// monotonic>,"from":"client"|"server","msg":{...}} ("raw" for a body that was not JSON,
// "frame_error" for bad framing). See README.md.
// Threading: value types and free functions; a SessionWriter belongs to one thread at a time.
#pragma once

#include <cstdint>
#include <fstream>
#include <istream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace perfectex::replay {

using json = nlohmann::json;

inline constexpr std::string_view kSessionFormat = "perfectex-replay-session";
inline constexpr int kSessionVersion = 1;

enum class Sender { Client, Server };

std::string_view to_string(Sender sender);

struct SessionEntry {
  std::int64_t t_us = 0;
  Sender from = Sender::Client;
  json msg;                 ///< the JSON-RPC message; null when the body was not JSON
  std::string raw;          ///< the body as (sanitised) text when it was not JSON
  std::string frame_error;  ///< what was wrong with the framing, for an entry with no body
};

struct Session {
  json header = json::object();
  std::vector<SessionEntry> entries;  ///< in time order (stable for equal times)
};

/// A session file that cannot be read; the message names the file and line.
class SessionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A header with the format, version and source fields set.
json make_session_header(std::string_view source);

/// Parses a session; name is used in error messages. Entries are sorted stably by t_us.
Session parse_session(std::istream& in, std::string_view name);
/// Reads a session file; throws SessionError.
Session read_session(const std::string& path);

/// The JSON line (without the newline) for one entry.
std::string encode_entry(const SessionEntry& entry);

/// Writes a session file line by line.
class SessionWriter {
 public:
  /// Opens path for writing and writes the header; throws SessionError when it cannot.
  SessionWriter(const std::string& path, const json& header);

  void write(const SessionEntry& entry);
  /// Pushes buffered lines to the file.
  void flush();

 private:
  std::string path_;
  std::ofstream out_;
};

/// Writes a whole session (header and entries) to path.
void write_session(const std::string& path, const Session& session);

}  // namespace perfectex::replay
