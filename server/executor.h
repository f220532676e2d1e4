// Where analysis jobs run. The Executor interface is what the LSP side sees; InlineExecutor runs a
// job at once on the caller's thread (tests, deterministic), HedgedExecutor (hedged_executor.h) on
// two warm workers. Completions are delivered on T0. Threading: submit() is called on T0 only.
#pragma once

#include <functional>

#include "server/analyzer.h"

namespace perfectex::server {

struct Job {
  SnapshotPtr snapshot;
  ConfigPtr config;
  const void* owner = nullptr;  ///< the session that asked; jobs coalesce per owner and document
  ContextPtr context;           ///< what the document's project tells its analysis (may be null)
};

class Executor {
 public:
  using Done = std::function<void(AnalysisResult)>;
  virtual ~Executor() = default;
  /// Runs job; done(result) is later called on T0. A queued job for the same document may be
  /// replaced by a newer one, in which case only the newer one's done is called.
  virtual void submit(Job job, Done done) = 0;
};

class InlineExecutor final : public Executor {
 public:
  void submit(Job job, Done done) override;

 private:
  Analyzer analyzer_;
};

}  // namespace perfectex::server
