// The LSP-free core: opens, changes and closes documents, schedules their analysis on the
// executor, keeps the latest published result of each document, and runs waiters (such as code
// action requests) once the current version has been analysed. Stale results are dropped.
// Threading: every method runs on T0; results arrive on T0 through the executor's post.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "server/analyzer.h"
#include "server/document_store.h"
#include "server/executor.h"

namespace perfectex::server {

class Engine {
 public:
  using PublishFn = std::function<void(const AnalysisResult&)>;
  /// Why a waiter gets no result.
  enum class Gone { Closed, Changed };
  /// Called with the current result, or with nullptr (and why) when the document was closed or
  /// changed again meanwhile: the request was about a version that no longer exists.
  using Waiter = std::function<void(const AnalysisResult*, Gone)>;

  Engine(Executor& executor, PublishFn publish);

  void set_config(ConfigPtr config);
  const ConfigPtr& config() const { return config_; }

  SnapshotPtr open(std::string uri, std::int64_t version, std::string language_id,
                   std::string text);
  DocumentStore::ChangeResult change(
      const std::string& uri, std::int64_t version,
      const std::vector<protocol::TextDocumentContentChangeEvent>& changes,
      protocol::PositionEncoding encoding);
  bool close(const std::string& uri);
  /// What uri's project tells its analysis; an open document is analysed again with the new one.
  void set_context(const std::string& uri, ContextPtr context);
  /// Whether result was computed with uri's current context.
  bool current_context(const AnalysisResult& result) const;

  /// Runs fn once the document's current version has a published result (at once if it has).
  void when_current(const std::string& uri, Waiter fn);

  const DocumentStore& documents() const { return store_; }
  /// While T0 waits: makes uri's likeliest next keystroke cheap (DocumentStore::prepare).
  void prepare(const std::string& uri) { store_.prepare(uri); }
  /// The latest published result of an open document, or null.
  const AnalysisResult* latest(const std::string& uri) const {
    auto it = latest_.find(uri);
    return it == latest_.end() ? nullptr : &it->second;
  }
  std::size_t stale_results() const { return stale_; }
  std::size_t last_token_count() const { return last_tokens_; }

  /// Called with every analysis result, current or stale.
  std::function<void(const AnalysisResult&)> on_analysis;

 private:
  void schedule(SnapshotPtr snapshot);
  void release_waiters(const std::string& uri, Gone why);
  void on_result(AnalysisResult result);

  Executor& executor_;
  PublishFn publish_;
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
  ConfigPtr config_;
  DocumentStore store_;
  std::unordered_map<std::string, AnalysisResult> latest_;
  std::unordered_map<std::string, ContextPtr> contexts_;
  std::unordered_map<std::string, std::vector<Waiter>> waiters_;
  std::size_t stale_ = 0;
  std::size_t last_tokens_ = 0;
};

}  // namespace perfectex::server
