#include "server/lsp_server.h"

#include <spdlog/spdlog.h>

#include "lexer/lexer.h"
#include "server/file_uri.h"
#include "server/lsp_convert.h"
#include "server/process_info.h"
#include "server/project_config.h"
#include "server/version.h"

namespace perfectex::server {

using protocol::ErrorCode;
using protocol::json;

LspServer::LspServer(ServerOptions options, Executor& executor, WriteFn write, ExitFn exit,
                     std::shared_ptr<Metrics> metrics)
    : options_(options),
      default_p99_budget_ms_(options.p99_budget_ms),
      write_(std::move(write)),
      exit_(std::move(exit)),
      outbox_(std::make_shared<Outbox>()),
      decoder_(options.max_message_bytes),
      engine_(executor, [this](const AnalysisResult& result) { publish(result); }),
      metrics_(std::move(metrics)) {
  outbox_->send = [this](std::string_view body) { send(body); };
  outbox_->count_error = [m = metrics_](const std::string& method) { m->error(method); };
  engine_.on_analysis = [this](const AnalysisResult& r) {
    metrics_->analysis(r.lex_ms + r.rules_ms + r.facts_ms, r.arena_growths, r.hot_path_allocations,
                       r.rules_resumed);
  };
  metrics_->add_store(&engine_.documents());
  requests_ = {
      {"initialize", &LspServer::initialize},
      {"shutdown", &LspServer::shutdown},
      {"textDocument/codeAction", &LspServer::code_action},
      {"perfectex/stats", &LspServer::stats},
  };
  notifications_ = {
      {"initialized", &LspServer::initialized_notification},
      {"exit", &LspServer::exit_notification},
      {"textDocument/didOpen", &LspServer::did_open},
      {"textDocument/didChange", &LspServer::did_change},
      {"textDocument/didSave", &LspServer::did_save},
      {"textDocument/didClose", &LspServer::did_close},
      {"$/cancelRequest", &LspServer::cancel_request},
      {"$/setTrace", &LspServer::set_trace},
      {"workspace/didChangeConfiguration", &LspServer::did_change_configuration},
      {"workspace/didChangeWatchedFiles", &LspServer::did_change_watched_files},
  };
}

LspServer::~LspServer() {
  metrics_->remove_store(&engine_.documents());
  outbox_->closed = true;
  pending_.clear();
}

void LspServer::on_bytes(std::string_view bytes) {
  decoder_.feed(bytes);
  while (!exited_) {
    protocol::FrameEvent event = decoder_.next();
    if (event.status == protocol::FrameStatus::NeedMore) break;
    if (event.status == protocol::FrameStatus::Error) {
      spdlog::error("malformed frame: {}", event.error);
      metrics_->error("(malformed frame)");
      continue;
    }
    handle_frame(event.body);
  }
}

void LspServer::on_end_of_input() {
  if (exited_) return;
  spdlog::info("input closed by the client");
  exited_ = true;
  exit_(shutdown_requested_ ? 0 : 1);
}

void LspServer::send(std::string_view body) {
  framed_.clear();
  protocol::append_frame(framed_, body);
  write_(framed_);
}

void LspServer::notify(std::string_view method, const json& params) {
  send(protocol::encode_notification(method, params));
}

void LspServer::request(std::string_view method, const json& params,
                        std::function<void(const protocol::Response&)> on_reply) {
  std::string id = "perfectex-" + std::to_string(next_outgoing_id_++);
  outgoing_[id] = std::move(on_reply);
  send(protocol::encode_request(id, method, params));
}

void LspServer::log_message(int type, const std::string& message) {
  notify("window/showMessage", {{"type", type}, {"message", "perfectex: " + message}});
}

void LspServer::handle_frame(std::string_view body) {
  bool repaired = false;
  auto decoded = protocol::decode_message(body, &repaired);
  if (repaired)
    spdlog::warn("message contained invalid UTF-8; each bad byte was replaced by U+FFFD");
  if (auto* error = std::get_if<protocol::DecodeError>(&decoded)) {
    spdlog::error("bad message: {}", error->message);
    metrics_->error("(invalid message)");
    send(protocol::encode_error(error->id, error->code, error->message));
    return;
  }
  auto& message = std::get<protocol::Message>(decoded);
  if (auto* req = std::get_if<protocol::Request>(&message)) {
    handle_request(std::move(*req));
  } else if (auto* note = std::get_if<protocol::Notification>(&message)) {
    handle_notification(*note);
  } else {
    handle_response(std::get<protocol::Response>(message));
  }
}

void LspServer::handle_request(protocol::Request req) {
  metrics_->request(req.method);
  spdlog::debug("<-- {}({})", req.method, protocol::dump_json(req.id));
  ReplyOnce reply(req.id, req.method, outbox_);
  if (shutdown_requested_) {
    reply.error(ErrorCode::InvalidRequest, "the server is shutting down; only exit is accepted");
    return;
  }
  if (!initialized_ && req.method != "initialize") {
    reply.error(ErrorCode::ServerNotInitialized, "the server has not been initialized");
    return;
  }
  auto it = requests_.find(req.method);
  if (it == requests_.end()) {
    reply.error(ErrorCode::MethodNotFound, "unknown method " + req.method);
    return;
  }
  try {
    (this->*(it->second))(req.params, reply);
  } catch (const protocol::InvalidParamsError& e) {
    reply.error(ErrorCode::InvalidParams, e.what());
  } catch (const std::exception& e) {
    spdlog::error("{} failed: {}", req.method, e.what());
    reply.error(ErrorCode::InternalError, e.what());
  }
  if (trace_ != "off") {
    notify("$/logTrace",
           {{"message", "handled " + req.method + "(" + protocol::dump_json(req.id) + ")"}});
  }
}

void LspServer::handle_notification(const protocol::Notification& note) {
  spdlog::debug("<-- {}", note.method);
  if (!initialized_ && note.method != "exit") {
    spdlog::warn("dropping notification {} before initialize", note.method);
    return;
  }
  auto it = notifications_.find(note.method);
  if (it == notifications_.end()) {
    spdlog::debug("ignoring unknown notification {}", note.method);
    return;
  }
  try {
    (this->*(it->second))(note.params);
  } catch (const protocol::InvalidParamsError& e) {
    spdlog::error("{}: invalid params: {}", note.method, e.what());
    metrics_->error(note.method);
  } catch (const std::exception& e) {
    spdlog::error("{} failed: {}", note.method, e.what());
    metrics_->error(note.method);
  }
}

void LspServer::handle_response(const protocol::Response& response) {
  std::string key =
      response.id.is_string() ? response.id.get<std::string>() : protocol::dump_json(response.id);
  auto it = outgoing_.find(key);
  if (it == outgoing_.end()) {
    spdlog::warn("response to unknown request {}", key);
    return;
  }
  auto on_reply = std::move(it->second);
  outgoing_.erase(it);
  on_reply(response);
}

void LspServer::initialize(const json& params, ReplyOnce& reply) {
  if (initialized_) {
    reply.error(ErrorCode::InvalidRequest, "initialize was already called");
    return;
  }
  if (!params.is_object())
    throw protocol::InvalidParamsError("params must be an InitializeParams object");
  encoding_ = protocol::negotiate_encoding(params);
  const json caps = params.value("capabilities", json::object());
  if (caps.is_object()) {
    json workspace = caps.value("workspace", json::object());
    if (workspace.is_object()) {
      client_pulls_configuration_ = workspace.value("configuration", false) == true;
      json watched = workspace.value("didChangeWatchedFiles", json::object());
      client_registers_watchers_ =
          watched.is_object() && watched.value("dynamicRegistration", false) == true;
      json edit = workspace.value("workspaceEdit", json::object());
      client_document_changes_ = edit.is_object() && edit.value("documentChanges", false) == true;
    }
  }
  // The project file sits at the workspace root or above it.
  for (const char* key : {"rootUri", "rootPath"}) {
    auto root = params.find(key);
    if (root == params.end() || !root->is_string()) continue;
    std::string value = root->get<std::string>();
    std::optional<std::filesystem::path> path =
        std::string_view(key) == "rootUri" ? path_of_uri(value) : std::filesystem::path(value);
    if (path) find_project_config(*path);
  }
  if (params.contains("trace") && params["trace"].is_string())
    trace_ = params["trace"].get<std::string>();
  if (auto opts = params.find("initializationOptions"); opts != params.end() && opts->is_object()) {
    apply_settings(*opts);
  }
  // The workspace folders bound projects: files are read and roots searched inside them.
  std::vector<fs::path> folders;
  if (auto f = params.find("workspaceFolders"); f != params.end() && f->is_array()) {
    for (const json& folder : *f) {
      if (!folder.is_object() || !folder.contains("uri") || !folder["uri"].is_string()) continue;
      if (auto path = path_from_uri(folder["uri"].get<std::string>())) folders.push_back(*path);
    }
  } else if (auto r = params.find("rootUri"); r != params.end() && r->is_string()) {
    if (auto path = path_from_uri(r->get<std::string>())) folders.push_back(*path);
  }
  projects_.set_folders(std::move(folders));
  projects_.set_encoding(encoding_);
  initialized_ = true;
  reply.result({
      {"capabilities",
       {{"positionEncoding", protocol::to_string(encoding_)},
        {"textDocumentSync",
         {{"openClose", true}, {"change", 2}, {"save", {{"includeText", false}}}}},
        {"codeActionProvider", {{"codeActionKinds", json::array({"quickfix"})}}},
        {"experimental",
         {{"statsRequest", "perfectex/stats"}, {"lexerKernel", lexer_kernel_name()}}}}},
      {"serverInfo", {{"name", "perfectex"}, {"version", kVersion}}},
  });
  spdlog::info("initialized: position encoding {}, lexer kernel {}", protocol::to_string(encoding_),
               lexer_kernel_name());
}

void LspServer::shutdown(const json&, ReplyOnce& reply) {
  shutdown_requested_ = true;
  reply.result(nullptr);
}

void LspServer::initialized_notification(const json&) {
  pull_configuration();
  if (!client_registers_watchers_) return;
  // Files that are not open still make the project: hear when they change on disk.
  json watchers = json::array({{{"globPattern", "**/*.{tex,bib,sty,cls}"}},
                               {{"globPattern", "**/*.{pdf,png,jpg,jpeg,eps,PDF,PNG,JPG}"}}});
  request("client/registerCapability",
          {{"registrations", json::array({{{"id", "perfectex-watch-files"},
                                           {"method", "workspace/didChangeWatchedFiles"},
                                           {"registerOptions", {{"watchers", watchers}}}}})}},
          [](const protocol::Response& response) {
            if (response.error) {
              spdlog::warn("file watchers not registered: {}", response.error->message);
            }
          });
}

void LspServer::exit_notification(const json&) {
  if (exited_) return;
  exited_ = true;
  exit_(shutdown_requested_ ? 0 : 1);
}

void LspServer::did_open(const json& params) {
  std::string uri = protocol::require_string(params, "textDocument.uri");
  std::int64_t version = protocol::require_int(params, "textDocument.version");
  std::string language = protocol::require_string(params, "textDocument.languageId");
  std::string text = protocol::require_string(params, "textDocument.text");
  if (text.size() > lexer::kMaxDocumentBytes) {
    log_message(1, uri + " is larger than 4 GiB and is not analysed");
    return;
  }
  edit_arrival_[uri] = {version, clock::now()};
  if (std::optional<std::filesystem::path> path = path_of_uri(uri)) find_project_config(*path);
  engine_.open(std::move(uri), version, std::move(language), std::move(text));
}

void LspServer::did_change(const json& params) {
  std::string uri = protocol::require_string(params, "textDocument.uri");
  std::int64_t version = protocol::require_int(params, "textDocument.version");
  auto changes = protocol::require_changes(params);
  metrics_->edit();
  edit_arrival_[uri] = {version, clock::now()};
  DocumentStore::ChangeResult result = engine_.change(uri, version, changes, encoding_);
  if (!result.snapshot) {
    spdlog::error("didChange for {}, which is not open; ignored", uri);
    edit_arrival_.erase(uri);
    return;
  }
  typed_in_ = uri;
  for (const std::string& note : result.notes) spdlog::warn("didChange {}: {}", uri, note);
}

void LspServer::did_save(const json& params) {
  spdlog::debug("saved {}", protocol::require_string(params, "textDocument.uri"));
}

void LspServer::did_close(const json& params) {
  std::string uri = protocol::require_string(params, "textDocument.uri");
  edit_arrival_.erase(uri);
  publish_writer_.forget(uri);
  if (!engine_.close(uri)) {
    spdlog::error("didClose for {}, which is not open", uri);
    return;
  }
  // What remains is the file on disk: its project diagnostics (often none).
  std::vector<std::string> changed = projects_.on_close(uri);
  apply_contexts();
  send(publish_writer_.write_pieces(uri, projects_.pieces(uri)));
  metrics_->publish();
  for (const std::string& other : changed) {
    if (other != uri) republish(other);
  }
}

void LspServer::did_change_watched_files(const json& params) {
  std::vector<std::string> uris;
  if (auto changes = params.find("changes"); changes != params.end() && changes->is_array()) {
    for (const json& change : *changes) {
      if (change.is_object() && change.contains("uri") && change["uri"].is_string()) {
        uris.push_back(change["uri"].get<std::string>());
      }
    }
  }
  std::vector<std::string> changed = projects_.on_files_changed(uris);
  apply_contexts();
  for (const std::string& uri : changed) republish(uri);
}

void LspServer::apply_contexts() {
  for (auto& [uri, context] : projects_.take_contexts()) engine_.set_context(uri, context);
}

void LspServer::republish(const std::string& uri) {
  if (const AnalysisResult* latest = engine_.latest(uri)) {
    send(publish_writer_.write(*latest, encoding_, projects_.pieces(uri), projects_.waivers(uri)));
  } else {
    send(publish_writer_.write_pieces(uri, projects_.pieces(uri)));
  }
  metrics_->publish();
}

void LspServer::cancel_request(const json& params) {
  const json& id = protocol::require(params, "id");
  auto it = pending_.find(protocol::dump_json(id));
  if (it == pending_.end()) return;  // already answered
  std::shared_ptr<ReplyOnce> reply = std::move(it->second);
  pending_.erase(it);
  reply->error(ErrorCode::RequestCancelled, "cancelled by the client");
  metrics_->cancellation();
}

void LspServer::set_trace(const json& params) {
  std::string value = protocol::require_string(params, "value");
  if (value != "off" && value != "messages" && value != "verbose") {
    throw protocol::InvalidParamsError("params.value must be off, messages or verbose");
  }
  trace_ = value;
}

void LspServer::did_change_configuration(const json& params) {
  if (params.is_object()) {
    auto settings = params.find("settings");
    if (settings != params.end() && settings->is_object()) {
      auto ours = settings->find("perfectex");
      if (ours != settings->end()) {
        apply_settings(*ours);
        return;
      }
    }
  }
  pull_configuration();
}

void LspServer::pull_configuration() {
  if (!client_pulls_configuration_) return;
  request("workspace/configuration", {{"items", json::array({{{"section", "perfectex"}}})}},
          [this](const protocol::Response& response) {
            if (response.error) {
              spdlog::warn("workspace/configuration failed: {}", response.error->message);
              return;
            }
            if (response.result.is_array() && !response.result.empty() &&
                response.result[0].is_object()) {
              apply_settings(response.result[0]);
            }
          });
}

void LspServer::apply_settings(const json& settings) {
  if (!settings.is_object()) return;
  if (auto budget = settings.find("p99BudgetMs"); budget != settings.end()) {
    if (budget->is_null()) {
      options_.p99_budget_ms = default_p99_budget_ms_;  // back to the command line's value
    } else if (budget->is_number() && budget->get<double>() > 0) {
      options_.p99_budget_ms = budget->get<double>();
    } else {
      log_message(
          2, "setting perfectex.p99BudgetMs must be a positive number of milliseconds or null");
    }
  }
  auto rules = settings.find("rules");
  if (rules == settings.end() || !rules->is_object()) return;
  editor_rules_ = *rules;
  update_rule_config();
}

void LspServer::find_project_config(const std::filesystem::path& path) {
  if (project_config_found_) return;
  std::optional<std::filesystem::path> file = server::find_project_config(path);
  if (!file) return;
  project_config_found_ = true;
  ProjectConfig project = load_project_config(*file);
  for (const std::string& problem : project.problems) {
    spdlog::warn("configuration: {}", problem);
    log_message(2, "configuration: " + problem);
  }
  project_rules_ = project.rules;
  spdlog::info("project configuration {}", file->string());
  update_rule_config();
}

void LspServer::update_rule_config() {
  auto config = std::make_shared<validators::RuleConfig>(project_rules_);
  std::vector<std::string> problems;
  apply_rule_settings(editor_rules_, *config, problems);
  for (const std::string& problem : problems) {
    spdlog::warn("configuration: {}", problem);
    log_message(2, "configuration: setting perfectex." + problem);
  }
  if (*config == *engine_.config()) return;
  engine_.set_config(std::move(config));
  projects_.set_config(engine_.config());
}

void LspServer::code_action(const json& params, ReplyOnce& reply) {
  std::string uri = protocol::require_string(params, "textDocument.uri");
  protocol::Range range = protocol::require_range(params, "range");
  if (!engine_.documents().get(uri)) {
    reply.error(ErrorCode::InvalidParams, "params.textDocument.uri: document is not open: " + uri);
    return;
  }
  // Answer once the current version is analysed; $/cancelRequest may answer it first.
  std::string key = protocol::dump_json(reply.id());
  auto shared = std::make_shared<ReplyOnce>(std::move(reply));
  pending_[key] = shared;
  CodeActionOptions options{encoding_, client_document_changes_};
  engine_.when_current(
      uri, [this, key, shared, range, options](const AnalysisResult* result, Engine::Gone gone) {
        pending_.erase(key);
        if (shared->answered()) return;
        if (result == nullptr) {
          shared->error(ErrorCode::ContentModified,
                        gone == Engine::Gone::Changed
                            ? "the document changed; ask again for the new version"
                            : "the document was closed");
          return;
        }
        const Snapshot& doc = *result->snapshot;
        std::uint32_t begin = doc.lines.offset(doc.text, range.start, options.encoding).offset;
        std::uint32_t end = doc.lines.offset(doc.text, range.end, options.encoding).offset;
        if (end < begin) std::swap(begin, end);
        shared->result(code_actions(*result, begin, end, options));
      });
}

void LspServer::stats(const json&, ReplyOnce& reply) {
  reply.result(stats_json());
}

json LspServer::stats_json() const {
  json stats = metrics_->stats_json();
  stats["p99_budget_ms"] = options_.p99_budget_ms;
  stats["stale_results_dropped"] = engine_.stale_results();
  stats["last_token_count"] = engine_.last_token_count();
  stats["project_rechecks"] = projects_.rechecks();
  stats["keystrokes_foreseen"] = engine_.documents().foreseen();
  return stats;
}

void LspServer::publish(const AnalysisResult& result) {
  const Snapshot& doc = *result.snapshot;
  std::vector<std::string> changed = projects_.on_analysis(result);
  apply_contexts();
  // Analysed without the definitions its project makes before it, it would show errors that are
  // not there: the analysis with them is on its way.
  bool current = engine_.current_context(result);
  // Edit -> publish ends when the publish is handed to the transport: a client woken by a
  // blocking write may take the core from T0 before the write returns, for a time slice or more.
  clock::time_point handed{};
  if (current) {
    std::string_view body = publish_writer_.write(result, encoding_, projects_.pieces(doc.uri),
                                                  projects_.waivers(doc.uri));
    handed = clock::now();
    send(body);
    metrics_->publish();
  }
  for (const std::string& other : changed) {
    if (other != doc.uri) republish(other);
  }
  if (!current) return;
  auto it = edit_arrival_.find(doc.uri);
  if (it == edit_arrival_.end() || it->second.first > doc.version) return;
  double ms = std::chrono::duration<double, std::milli>(handed - it->second.second).count();
  edit_arrival_.erase(it);
  spdlog::debug(
      "published {} v{}: {} diagnostics, {:.3f} ms after the edit; analysis: lex {:.3f} "
      "ms{}, rules {:.3f} ms{}, facts {:.3f} ms{}; {} arena growths",
      doc.uri, doc.version, result.diagnostics.size(), ms, result.lex_ms,
      result.incremental ? " (relexed)" : "", result.rules_ms,
      result.rules_resumed ? " (resumed)" : "", result.facts_ms,
      result.facts_moved ? " (moved)" : "", result.arena_growths);
  LatencyHistogram& latency = metrics_->edit_to_publish;
  latency.add(ms);
  if (latency.count() >= 100 && latency.count() % 64 == 0 &&
      clock::now() - last_budget_warning_ > std::chrono::seconds(10)) {
    LatencySummary s = latency.summary();
    if (s.p99 > options_.p99_budget_ms) {
      last_budget_warning_ = clock::now();
      spdlog::warn("edit -> publish P99 {:.2f} ms exceeds the budget of {:.2f} ms", s.p99,
                   options_.p99_budget_ms);
    }
  }
  // The user sees the diagnostics of what they typed: until the next keystroke, T0 is free.
  if (doc.uri == typed_in_ && engine_.documents().get(doc.uri) == result.snapshot) {
    engine_.prepare(doc.uri);
    typed_in_.clear();
  }
}

}  // namespace perfectex::server
