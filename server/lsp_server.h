// The LSP face of perfectex: decodes frames, dispatches methods through a table, enforces the
// lifecycle (initialize, shutdown, exit), negotiates the position encoding, converts results to
// LSP at the edge and publishes diagnostics. It owns no threads and no sockets: bytes come in
// through on_bytes() and go out through the write function. Threading: every call on T0.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include "protocol/framing.h"
#include "protocol/jsonrpc.h"
#include "protocol/lsp_types.h"
#include "server/engine.h"
#include "server/metrics.h"
#include "server/project_service.h"
#include "server/publish_writer.h"
#include "server/reply_once.h"
#include "validators/rule_config.h"

namespace perfectex::server {

struct ServerOptions {
  std::size_t max_message_bytes = protocol::kDefaultMaxBody;
  double p99_budget_ms = 20.0;
};

class LspServer {
 public:
  using WriteFn = std::function<void(std::string_view framed)>;
  using ExitFn = std::function<void(int code)>;

  LspServer(ServerOptions options, Executor& executor, WriteFn write, ExitFn exit,
            std::shared_ptr<Metrics> metrics = std::make_shared<Metrics>());
  ~LspServer();

  /// Feeds bytes read from the client.
  void on_bytes(std::string_view bytes);
  /// The client closed its end: exit code 0 after shutdown, 1 otherwise.
  void on_end_of_input();

  bool initialized() const { return initialized_; }
  protocol::PositionEncoding encoding() const { return encoding_; }

 private:
  using clock = std::chrono::steady_clock;
  using RequestHandler = void (LspServer::*)(const protocol::json& params, ReplyOnce& reply);
  using NotificationHandler = void (LspServer::*)(const protocol::json& params);

  void handle_frame(std::string_view body);
  void handle_request(protocol::Request request);
  void handle_notification(const protocol::Notification& note);
  void handle_response(const protocol::Response& response);
  void send(std::string_view body);
  void notify(std::string_view method, const protocol::json& params);
  void request(std::string_view method, const protocol::json& params,
               std::function<void(const protocol::Response&)> on_reply);
  void log_message(int type, const std::string& message);

  // Requests.
  void initialize(const protocol::json& params, ReplyOnce& reply);
  void shutdown(const protocol::json& params, ReplyOnce& reply);
  void code_action(const protocol::json& params, ReplyOnce& reply);
  void stats(const protocol::json& params, ReplyOnce& reply);
  // Notifications.
  void initialized_notification(const protocol::json& params);
  void exit_notification(const protocol::json& params);
  void did_open(const protocol::json& params);
  void did_change(const protocol::json& params);
  void did_save(const protocol::json& params);
  void did_close(const protocol::json& params);
  void cancel_request(const protocol::json& params);
  void set_trace(const protocol::json& params);
  void did_change_configuration(const protocol::json& params);

  void apply_settings(const protocol::json& settings);
  /// Loads the nearest .perfectex.json above path once (the first root or file that has one).
  void find_project_config(const std::filesystem::path& path);
  /// The engine's rules: the project file, then the editor's "rules" settings on top.
  void update_rule_config();
  void pull_configuration();
  void publish(const AnalysisResult& result);
  /// Publishes uri again: its latest analysis (when open) with its project diagnostics.
  /// Hands the engine the contexts the projects changed (it analyses those documents again).
  void apply_contexts();
  void republish(const std::string& uri);
  void did_change_watched_files(const protocol::json& params);
  protocol::json stats_json() const;

  ServerOptions options_;
  validators::RuleConfig project_rules_;
  bool project_config_found_ = false;
  protocol::json editor_rules_ = protocol::json::object();
  double default_p99_budget_ms_;
  WriteFn write_;
  ExitFn exit_;
  std::shared_ptr<Outbox> outbox_;
  protocol::FrameDecoder decoder_;
  Engine engine_;
  PublishWriter publish_writer_;
  ProjectService projects_;

  bool initialized_ = false;
  bool shutdown_requested_ = false;
  bool exited_ = false;
  bool client_pulls_configuration_ = false;
  bool client_registers_watchers_ = false;  ///< dynamic registration of file watchers
  bool client_document_changes_ = false;
  std::string trace_ = "off";
  /// The last message sent with its header: a buffer kept so that a publish of hundreds of
  /// kilobytes is not a fresh allocation each keystroke.
  std::string framed_;
  /// The document last changed, until its next keystroke is prepared (empty: none).
  std::string typed_in_;
  protocol::PositionEncoding encoding_ = protocol::PositionEncoding::Utf16;

  std::unordered_map<std::string, RequestHandler> requests_;
  std::unordered_map<std::string, NotificationHandler> notifications_;
  /// Requests waiting for an analysis, by id, so $/cancelRequest can answer them.
  std::unordered_map<std::string, std::shared_ptr<ReplyOnce>> pending_;
  std::unordered_map<std::string, std::function<void(const protocol::Response&)>> outgoing_;
  std::int64_t next_outgoing_id_ = 1;

  /// When each document's newest edit arrived, to measure edit -> publish.
  std::unordered_map<std::string, std::pair<std::int64_t, clock::time_point>> edit_arrival_;
  std::shared_ptr<Metrics> metrics_;
  clock::time_point last_budget_warning_{};
};

}  // namespace perfectex::server
