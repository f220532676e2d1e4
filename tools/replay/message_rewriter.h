// Turns the session's client messages into what the replayer writes: every request gets a fresh
// integer id (and $/cancelRequest the id it now refers to); document versions keep rising across
// reopenings and passes, so a publish is never ambiguous; initialize carries our process id;
// requests the server did not advertise are dropped. Each result says what the matcher must learn
// of it. Threading: not synchronised; the replayer's calling thread owns it.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>

#include "tools/replay/matcher.h"

namespace perfectex::replay {

using json = nlohmann::json;

enum class OutKind { Plain, Request, Probe, Edit, Cancel, Close };

/// One framed message for the writer, with what the matcher must learn when it is written.
struct Outgoing {
  OutKind kind = OutKind::Plain;
  std::string frame;  ///< Content-Length header and body
  std::int64_t id = 0;
  std::string method;
  std::string uri;
  std::int64_t version = 0;
  EditKind edit = EditKind::Change;
  std::uint32_t pass = 0;
};

/// The client's answer to a request from the server, enough for servers to carry on:
/// workspace/configuration gets a null per item, registration, progress and refresh requests get
/// null, workspace/applyEdit is declined, anything else is MethodNotFound.
json client_reply(const std::string& method, const json& params, const json& id);

class MessageRewriter {
 public:
  /// The message as it is to be sent, or nullopt when it is dropped (a request the server does not
  /// advertise, a cancel of such a request). A message whose shape is not understood goes out as
  /// it was recorded, unmeasured (kind Plain).
  std::optional<Outgoing> rewrite(const json& msg, std::uint32_t pass);
  /// A didClose for a document the session left open.
  Outgoing close(const std::string& uri, std::uint32_t pass);
  /// A request of our own (kind Probe), outside the session: perfectex/stats.
  Outgoing probe(const std::string& method);

  /// From now on, drop requests whose capability is not in capabilities (initialize result).
  void set_capabilities(const json& capabilities);
  /// The documents opened and not closed yet, forgotten by this call.
  std::set<std::string> take_open_documents();
  /// Requests dropped because the server does not advertise them, by method.
  const std::map<std::string, std::uint64_t>& skipped() const { return skipped_; }

 private:
  std::optional<json> capabilities_;
  std::int64_t next_id_ = 1;
  std::map<std::string, std::int64_t> id_map_;  ///< session id (dumped) -> id sent
  std::map<std::string, std::int64_t> version_offset_;
  std::map<std::string, std::int64_t> last_version_;
  std::set<std::string> open_documents_;
  std::map<std::string, std::uint64_t> skipped_;
};

}  // namespace perfectex::replay
