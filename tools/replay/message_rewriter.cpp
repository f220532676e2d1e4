#include "tools/replay/message_rewriter.h"

#include <unistd.h>

#include "protocol/framing.h"
#include "protocol/jsonrpc.h"
#include "tools/replay/session_plan.h"

namespace perfectex::replay {

json client_reply(const std::string& method, const json& params, const json& id) {
  if (method == "workspace/configuration") {
    std::size_t n = 0;
    if (params.is_object() && params.contains("items") && params["items"].is_array()) {
      n = params["items"].size();
    }
    return json{{"jsonrpc", "2.0"}, {"id", id}, {"result", json(std::vector<json>(n, nullptr))}};
  }
  if (method == "window/workDoneProgress/create" || method == "client/registerCapability" ||
      method == "client/unregisterCapability" || method == "window/showMessageRequest" ||
      method == "workspace/codeLens/refresh" || method == "workspace/semanticTokens/refresh" ||
      method == "workspace/inlayHint/refresh" || method == "workspace/diagnostic/refresh") {
    return json{{"jsonrpc", "2.0"}, {"id", id}, {"result", nullptr}};
  }
  if (method == "workspace/applyEdit") {
    return json{{"jsonrpc", "2.0"}, {"id", id}, {"result", {{"applied", false}}}};
  }
  return json{
      {"jsonrpc", "2.0"},
      {"id", id},
      {"error", {{"code", -32601}, {"message", "perfectex-replay does not handle " + method}}}};
}

std::optional<Outgoing> MessageRewriter::rewrite(const json& original, std::uint32_t pass) {
  json msg = original;
  Outgoing out;
  out.pass = pass;
  try {
    const std::string method = msg.at("method").get<std::string>();
    if (msg.contains("id")) {
      if (capabilities_ && !server_supports(*capabilities_, method)) {
        ++skipped_[method];
        return std::nullopt;
      }
      const std::int64_t id = next_id_++;
      id_map_[msg["id"].dump()] = id;
      msg["id"] = id;
      if (method == "initialize" && msg.contains("params") && msg["params"].is_object() &&
          msg["params"].contains("processId") && !msg["params"]["processId"].is_null()) {
        msg["params"]["processId"] = ::getpid();
      }
      out.kind = OutKind::Request;
      out.id = id;
      out.method = method;
    } else if (method == "textDocument/didOpen" || method == "textDocument/didChange") {
      json& doc = msg.at("params").at("textDocument");
      const std::string uri = doc.at("uri").get<std::string>();
      std::int64_t version = doc.at("version").get<std::int64_t>();
      if (method == "textDocument/didOpen") {
        auto last = last_version_.find(uri);
        version_offset_[uri] =
            last != last_version_.end() && version <= last->second ? last->second + 1 - version : 0;
        open_documents_.insert(uri);
        out.edit = EditKind::Open;
      }
      version += version_offset_[uri];
      doc["version"] = version;
      last_version_[uri] = version;
      out.kind = OutKind::Edit;
      out.uri = uri;
      out.version = version;
    } else if (method == "textDocument/didClose") {
      out.uri = msg.at("params").at("textDocument").at("uri").get<std::string>();
      out.kind = OutKind::Close;
      open_documents_.erase(out.uri);
    } else if (method == "$/cancelRequest") {
      auto it = id_map_.find(msg.at("params").at("id").dump());
      if (it == id_map_.end()) return std::nullopt;  // the request was dropped
      msg["params"]["id"] = it->second;
      out.kind = OutKind::Cancel;
      out.id = it->second;
    }
  } catch (const json::exception&) {
    msg = original;
    out = Outgoing{};
    out.pass = pass;
  }
  out.frame = protocol::encode_frame(protocol::dump_json(msg));
  return out;
}

Outgoing MessageRewriter::close(const std::string& uri, std::uint32_t pass) {
  open_documents_.erase(uri);
  Outgoing out;
  out.kind = OutKind::Close;
  out.uri = uri;
  out.pass = pass;
  out.frame = protocol::encode_frame(protocol::encode_notification(
      "textDocument/didClose", json{{"textDocument", {{"uri", uri}}}}));
  return out;
}

Outgoing MessageRewriter::probe(const std::string& method) {
  Outgoing out;
  out.kind = OutKind::Probe;
  out.id = next_id_++;
  out.method = method;
  out.frame = protocol::encode_frame(
      protocol::dump_json(json{{"jsonrpc", "2.0"}, {"id", out.id}, {"method", method}}));
  return out;
}

void MessageRewriter::set_capabilities(const json& capabilities) {
  capabilities_ = capabilities;
}

std::set<std::string> MessageRewriter::take_open_documents() {
  return std::exchange(open_documents_, {});
}

}  // namespace perfectex::replay
