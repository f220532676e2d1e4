#include "server/engine.h"

namespace perfectex::server {

Engine::Engine(Executor& executor, PublishFn publish)
    : executor_(executor),
      publish_(std::move(publish)),
      config_(std::make_shared<validators::RuleConfig>()) {}

void Engine::set_config(ConfigPtr config) {
  config_ = std::move(config);
  // Re-analyse every open document under the new configuration.
  for (SnapshotPtr& snapshot : store_.all()) schedule(std::move(snapshot));
}

SnapshotPtr Engine::open(std::string uri, std::int64_t version, std::string language_id,
                         std::string text) {
  SnapshotPtr snapshot =
      store_.open(std::move(uri), version, std::move(language_id), std::move(text));
  schedule(snapshot);
  return snapshot;
}

DocumentStore::ChangeResult Engine::change(
    const std::string& uri, std::int64_t version,
    const std::vector<protocol::TextDocumentContentChangeEvent>& changes,
    protocol::PositionEncoding encoding) {
  DocumentStore::ChangeResult result = store_.change(uri, version, changes, encoding);
  if (result.snapshot) {
    release_waiters(uri, Gone::Changed);
    schedule(result.snapshot);
  }
  return result;
}

void Engine::set_context(const std::string& uri, ContextPtr context) {
  if (context) {
    contexts_[uri] = std::move(context);
  } else {
    contexts_.erase(uri);
  }
  if (SnapshotPtr snapshot = store_.get(uri)) schedule(std::move(snapshot));
}

bool Engine::current_context(const AnalysisResult& result) const {
  auto it = contexts_.find(result.snapshot->uri);
  return result.context == (it == contexts_.end() ? nullptr : it->second);
}

bool Engine::close(const std::string& uri) {
  latest_.erase(uri);
  contexts_.erase(uri);
  release_waiters(uri, Gone::Closed);
  return store_.close(uri);
}

void Engine::release_waiters(const std::string& uri, Gone why) {
  auto it = waiters_.find(uri);
  if (it == waiters_.end()) return;
  std::vector<Waiter> waiting = std::move(it->second);
  waiters_.erase(it);
  for (Waiter& w : waiting) w(nullptr, why);
}

void Engine::schedule(SnapshotPtr snapshot) {
  // Languages other than LaTeX and BibTeX get an empty publish (and so no LaTeX noise).
  if (document_kind(snapshot->language_id, snapshot->uri) == DocumentKind::Other) {
    AnalysisResult empty;
    empty.snapshot = std::move(snapshot);
    on_result(std::move(empty));
    return;
  }
  // The completion may arrive after this engine's session has ended (a TCP client gone).
  auto context = contexts_.find(snapshot->uri);
  ContextPtr ctx = context == contexts_.end() ? nullptr : context->second;
  executor_.submit({std::move(snapshot), config_, this, std::move(ctx)},
                   [this, alive = std::weak_ptr<int>(alive_)](AnalysisResult result) {
                     if (!alive.expired()) on_result(std::move(result));
                   });
}

void Engine::on_result(AnalysisResult result) {
  last_tokens_ = result.token_count;
  if (on_analysis) on_analysis(result);
  const std::string& uri = result.snapshot->uri;
  SnapshotPtr current = store_.get(uri);
  if (current != result.snapshot) {
    ++stale_;  // closed, or a newer version is on its way
    return;
  }
  std::string key = uri;
  AnalysisResult& stored = latest_[key] = std::move(result);
  publish_(stored);
  if (auto it = waiters_.find(key); it != waiters_.end()) {
    std::vector<Waiter> waiting = std::move(it->second);
    waiters_.erase(it);
    for (Waiter& w : waiting) w(&stored, Gone::Closed);
  }
}

void Engine::when_current(const std::string& uri, Waiter fn) {
  SnapshotPtr current = store_.get(uri);
  if (!current) {
    fn(nullptr, Gone::Closed);
    return;
  }
  auto it = latest_.find(uri);
  if (it != latest_.end() && it->second.snapshot == current) {
    fn(&it->second, Gone::Closed);
    return;
  }
  waiters_[uri].push_back(std::move(fn));
}

}  // namespace perfectex::server
