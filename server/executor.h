// Where analysis jobs run. The Executor interface is what the LSP side sees; InlineExecutor runs a
// job at once on the caller's thread (tests, `check`), WorkerExecutor on a warm worker thread that
// coalesces queued jobs per document. Completions are delivered through the `post` function given
// at construction, which hands them to T0. Threading: submit() is called on T0 only.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

#include "server/analyzer.h"

namespace perfectex::server {

struct Job {
  SnapshotPtr snapshot;
  ConfigPtr config;
  const void* owner = nullptr;  ///< the session that asked; jobs coalesce per owner and document
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

class WorkerExecutor final : public Executor {
 public:
  using Post = std::function<void(std::function<void()>)>;
  explicit WorkerExecutor(Post post);
  ~WorkerExecutor() override;
  void submit(Job job, Done done) override;

 private:
  void run(std::stop_token stop);

  Post post_;
  std::mutex mutex_;
  std::condition_variable_any ready_;
  std::deque<std::pair<Job, Done>> queue_;
  Analyzer analyzer_;
  std::jthread thread_;
};

}  // namespace perfectex::server
