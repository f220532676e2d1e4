#include "server/executor.h"

namespace perfectex::server {

void InlineExecutor::submit(Job job, Done done) {
  done(analyzer_.analyze(std::move(job.snapshot), *job.config));
}

WorkerExecutor::WorkerExecutor(Post post)
    : post_(std::move(post)), thread_([this](std::stop_token stop) { run(stop); }) {}

WorkerExecutor::~WorkerExecutor() {
  thread_.request_stop();
  ready_.notify_all();
}

void WorkerExecutor::submit(Job job, Done done) {
  {
    std::lock_guard lock(mutex_);
    // Coalesce: a queued job for the same document is superseded by this one.
    for (auto& queued : queue_) {
      if (queued.first.owner == job.owner && queued.first.snapshot->uri == job.snapshot->uri) {
        queued = {std::move(job), std::move(done)};
        ready_.notify_one();
        return;
      }
    }
    queue_.emplace_back(std::move(job), std::move(done));
  }
  ready_.notify_one();
}

void WorkerExecutor::run(std::stop_token stop) {
  for (;;) {
    std::pair<Job, Done> item;
    {
      std::unique_lock lock(mutex_);
      if (!ready_.wait(lock, stop, [this] { return !queue_.empty(); })) return;
      item = std::move(queue_.front());
      queue_.pop_front();
    }
    auto result = std::make_shared<AnalysisResult>(
        analyzer_.analyze(item.first.snapshot, *item.first.config));
    post_([done = std::move(item.second), result] { done(std::move(*result)); });
  }
}

}  // namespace perfectex::server
