#include "server/hedged_executor.h"

#include <pthread.h>
#include <sched.h>

#include <spdlog/spdlog.h>
#include <algorithm>
#include <bit>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdlib>
#include <random>

namespace perfectex::server {

namespace {

using Clock = std::chrono::steady_clock;

// Auto mode hedges after a factor x the recent P95 of analysis time for jobs of the same class
// (job_class), never sooner than kFloorMs; before a class has kMinSamples, after that factor
// x its slowest analysis so far (kInitialMs when it has none). When the other worker last
// analysed a version the job's snapshot knows the edit from (it followed), the factor is
// kAutoFactor: such a hedge costs about one edit's analysis. Else it starts at kAutoFactor and
// grows by kBackOff after every such cold hedge that lost (the primary finished first: the hedge
// only took a core from it for a whole analysis, as on a two-core machine without stalls), up to
// kMaxFactor; a hedge that wins sets it back.
constexpr double kAutoFactor = 1.5;
constexpr double kBackOff = 1.25;
constexpr double kMaxFactor = 6.0;
constexpr double kFloorMs = 0.5;
constexpr double kInitialMs = 5.0;
constexpr std::size_t kMinSamples = 20;
// The other worker follows a result once this long has passed with no new job: in a pause of
// typing, so that it never takes a core the primary, T0 or the editor need.
constexpr auto kFollowAfterIdle = std::chrono::milliseconds(10);

double env_number(const char* name, double fallback) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return fallback;
  char* end = nullptr;
  double n = std::strtod(value, &end);
  if (end == value || *end != '\0' || n < 0) {
    throw std::invalid_argument(std::string(name) + " must be a non-negative number, got '" +
                                value + "'");
  }
  return n;
}

std::size_t size_class(std::size_t bytes) {
  return static_cast<std::size_t>(std::bit_width(bytes)) % 32;
}

// Jobs are timed in classes of similar cost: by document size and by the kind of the edit
// (Snapshot::EditKind), so that braces, which may make the rules run to the end of the document,
// do not set the hedge delay of a keystroke in prose or of a `$` typed.
constexpr std::size_t kEditKinds = 3;
std::size_t job_class(const Snapshot& s) {
  return kEditKinds * size_class(s.text.size()) + static_cast<std::size_t>(s.edit_kind);
}

}  // namespace

std::optional<HedgePolicy> HedgePolicy::parse(const std::string& text) {
  if (text == "off") return HedgePolicy{Mode::Off, 0};
  if (text == "auto") return HedgePolicy{Mode::Auto, 0};
  char* end = nullptr;
  double ms = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || ms <= 0) return std::nullopt;
  return HedgePolicy{Mode::Fixed, ms};
}

FaultInjection FaultInjection::from_environment() {
  FaultInjection f;
  f.stall_ms = env_number("PERFECTEX_FAULT_MS", 0);
  double ppm = env_number("PERFECTEX_FAULT_RATE_PPM", 0);
  if (ppm > 1'000'000)
    throw std::invalid_argument("PERFECTEX_FAULT_RATE_PPM must be at most 1000000");
  f.rate_ppm = static_cast<std::uint32_t>(ppm);
  if (const char* phase = std::getenv("PERFECTEX_FAULT_PHASE");
      phase != nullptr && *phase != '\0') {
    std::string p = phase;
    if (p != "pre" && p != "post")
      throw std::invalid_argument("PERFECTEX_FAULT_PHASE must be pre or post, got '" + p + "'");
    f.before_work = p == "pre";
  }
  if (const char* worker = std::getenv("PERFECTEX_FAULT_WORKER");
      worker != nullptr && *worker != '\0') {
    std::string w = worker;
    if (w != "0" && w != "1")
      throw std::invalid_argument("PERFECTEX_FAULT_WORKER must be 0 or 1, got '" + w + "'");
    f.worker = w == "0" ? 0 : 1;
  }
  return f;
}

struct HedgedExecutor::Task {
  Job job;
  Done done;
  std::size_t primary = 0;
  bool follow = false;  ///< run only to bring the worker's state up to date: nothing delivered
  std::atomic<bool> finished{false};  ///< won, or superseded: nobody else may deliver it
  bool hedged = false;                ///< a second attempt was started (T0 only)
  bool warm_hedge = false;  ///< the other worker analysed a version the edit is known from
  std::array<std::stop_source, 2> stops;
  std::unique_ptr<boost::asio::steady_timer> timer;  // T0 only
};

struct HedgedExecutor::Worker {
  std::mutex mutex;
  std::condition_variable_any ready;
  std::deque<std::shared_ptr<Task>> queue;
  std::atomic<int> load{0};
  Analyzer analyzer;
  std::mt19937_64 rng{std::random_device{}()};
  std::jthread thread;
};

HedgedExecutor::HedgedExecutor(boost::asio::io_context& io, Options options)
    : io_(io), options_(options), follow_timer_(io) {
  for (auto& window : analysis_ms_) window = LatencyWindow(256);
  for (std::size_t i = 0; i < workers_.size(); ++i) {
    workers_[i] = std::make_unique<Worker>();
    workers_[i]->thread = std::jthread([this, i](std::stop_token stop) { run_worker(i, stop); });
  }
}

HedgedExecutor::~HedgedExecutor() {
  for (auto& w : workers_) {
    {
      std::lock_guard lock(w->mutex);
      for (auto& task : w->queue) {
        task->stops[0].request_stop();
        task->stops[1].request_stop();
      }
    }
    w->thread.request_stop();
    w->ready.notify_all();
  }
}

bool HedgedExecutor::warm(std::size_t worker, const Job& job) const {
  const Analyzed& seen = analyzed_[worker];
  if (seen.owner != job.owner || !seen.snapshot || seen.snapshot->uri != job.snapshot->uri)
    return false;
  const Snapshot& s = *job.snapshot;
  return std::any_of(
      s.history.begin(), s.history.begin() + static_cast<std::ptrdiff_t>(s.history_size),
      [&](const Snapshot::Step& step) { return step.from == seen.snapshot->serial; });
}

double HedgedExecutor::hedge_delay_ms(std::size_t bytes) const {
  return delay_ms(
      kEditKinds * size_class(bytes) + static_cast<std::size_t>(Snapshot::EditKind::Other), false);
}

double HedgedExecutor::delay_ms(std::size_t cls, bool warm) const {
  switch (options_.policy.mode) {
    case HedgePolicy::Mode::Off:
      return 0;
    case HedgePolicy::Mode::Fixed:
      return options_.policy.fixed_ms;
    case HedgePolicy::Mode::Auto:
      break;
  }
  const LatencyWindow& window = analysis_ms_[cls];
  if (window.total() == 0) return kInitialMs;
  LatencySummary recent = window.summary();
  const double factor = warm ? kAutoFactor : hedge_factor_;
  if (window.total() < kMinSamples) return std::max(kInitialMs, factor * recent.max);
  return std::max(kFloorMs, factor * recent.p95);
}

HedgeCounters HedgedExecutor::counters() const {
  HedgeCounters c = counters_;
  c.faults_injected = faults_.load();
  return c;
}

void HedgedExecutor::enqueue(std::size_t worker, std::shared_ptr<Task> task, bool front) {
  Worker& w = *workers_[worker];
  ++w.load;
  {
    std::lock_guard lock(w.mutex);
    if (front) {
      w.queue.push_front(std::move(task));
    } else {
      w.queue.push_back(std::move(task));
    }
  }
  w.ready.notify_one();
}

void HedgedExecutor::submit(Job job, Done done) {
  ++counters_.jobs;
  follow_timer_.cancel();
  // The worker is chosen before a superseded job is stopped: a worker still winding one down
  // counts as busy, whether or not it has yet seen the stop.
  std::size_t primary = workers_[1]->load < workers_[0]->load ? 1 : 0;
  auto key = std::make_pair(job.owner, job.snapshot->uri);
  // A follow of the previous version not yet done is not worth the core any more.
  if (auto it = following_.find(key); it != following_.end()) {
    it->second->finished = true;
    it->second->stops[it->second->primary].request_stop();
    following_.erase(it);
  }
  if (auto it = latest_.find(key); it != latest_.end()) {
    const std::shared_ptr<Task>& old = it->second;
    if (!old->finished.exchange(true)) {  // superseded: stop it wherever it runs, never hedge it
      ++counters_.superseded;
      old->stops[0].request_stop();
      old->stops[1].request_stop();
      if (old->timer) old->timer->cancel();
    }
  }
  auto task = std::make_shared<Task>();
  task->job = std::move(job);
  task->done = std::move(done);
  task->primary = primary;
  task->warm_hedge = warm(1 - primary, task->job);
  latest_[key] = task;
  enqueue(task->primary, task, false);

  double delay = delay_ms(job_class(*task->job.snapshot), task->warm_hedge);
  if (delay <= 0) return;
  task->timer = std::make_unique<boost::asio::steady_timer>(io_);
  task->timer->expires_after(std::chrono::microseconds(static_cast<std::int64_t>(delay * 1000)));
  task->timer->async_wait([this, weak = std::weak_ptr<Task>(task)](boost::system::error_code ec) {
    if (auto t = weak.lock(); t && !ec) hedge(t);
  });
}

void HedgedExecutor::hedge(const std::shared_ptr<Task>& task) {
  if (task->finished || hedge_in_flight_) return;
  hedge_in_flight_ = true;
  task->hedged = true;
  ++counters_.hedges_fired;
  enqueue(1 - task->primary, task, true);
}

// The worker analyses the job's snapshot as well, unless it is busy or did already: a hedge of
// the next edits then relexes only them and the rules resume from their checkpoints, as quick as
// the primary's attempt.
void HedgedExecutor::follow(const Job& job, std::size_t worker) {
  const Analyzed& seen = analyzed_[worker];
  if (workers_[worker]->load > 0 || (seen.owner == job.owner && seen.snapshot == job.snapshot))
    return;
  auto task = std::make_shared<Task>();
  task->job = job;
  task->primary = worker;
  task->follow = true;
  following_[std::make_pair(job.owner, job.snapshot->uri)] = task;
  enqueue(worker, std::move(task), false);
}

bool HedgedExecutor::stall(std::size_t worker, std::stop_token stop) {
  const FaultInjection& f = options_.faults;
  if (!f.active() || (f.worker >= 0 && static_cast<std::size_t>(f.worker) != worker)) return true;
  if (workers_[worker]->rng() % 1'000'000 >= f.rate_ppm) return true;
  ++faults_;
  std::mutex m;
  std::condition_variable_any cv;
  std::unique_lock lock(m);
  cv.wait_for(lock, stop, std::chrono::microseconds(static_cast<std::int64_t>(f.stall_ms * 1000)),
              [] { return false; });
  return !stop.stop_requested();
}

void HedgedExecutor::run_worker(std::size_t index, std::stop_token stop) {
  Worker& w = *workers_[index];
  if (options_.pin_workers) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(static_cast<int>(index), &set);
    if (pthread_setaffinity_np(pthread_self(), sizeof set, &set) != 0) {
      spdlog::warn("could not pin worker {} to CPU {}", index, index);
    }
  }
  // Warm up: one analysis so code, arenas and caches are hot before the first real job.
  auto warm = std::make_shared<Snapshot>();
  warm->text = "\\documentclass{article}\n\\begin{document}\n$x$ {y} \\[z\\]\n\\end{document}\n";
  warm->lines = LineIndex(warm->text);
  w.analyzer.analyze(warm, validators::RuleConfig{});

  for (;;) {
    std::shared_ptr<Task> task;
    {
      std::unique_lock lock(w.mutex);
      if (!w.ready.wait(lock, stop, [&w] { return !w.queue.empty(); })) return;
      task = std::move(w.queue.front());
      w.queue.pop_front();
    }
    std::stop_token attempt = task->stops[index].get_token();
    bool stopped = task->finished || attempt.stop_requested();
    bool skipped = stopped, analyzed = false;
    AnalysisResult result;
    auto start = Clock::now();
    // Faults stall what the user waits for, not a follow.
    const bool faults = !task->follow;
    if (!stopped && faults && options_.faults.before_work) stopped = !stall(index, attempt);
    if (!stopped) {
      result = w.analyzer.analyze(task->job.snapshot, *task->job.config, task->job.context);
      analyzed = true;
      stopped = attempt.stop_requested();
    }
    if (!stopped && faults && !options_.faults.before_work) stopped = !stall(index, attempt);
    double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    --w.load;
    if (!task->follow && !stopped && !task->finished.exchange(true)) {
      auto shared = std::make_shared<AnalysisResult>(std::move(result));
      boost::asio::post(io_, [this, task, index, shared, ms] {
        on_finished(task, index, std::move(*shared), ms);
      });
    } else {
      bool by_token = !skipped && attempt.stop_requested();
      boost::asio::post(io_, [this, task, index, by_token, analyzed] {
        on_attempt_over(task, index, by_token, analyzed);
      });
    }
  }
}

void HedgedExecutor::on_attempt_over(const std::shared_ptr<Task>& task, std::size_t worker,
                                     bool stopped, bool analyzed) {
  if (analyzed) analyzed_[worker] = {task->job.owner, task->job.snapshot};
  if (stopped) ++counters_.stopped_attempts;
  if (task->follow) {
    if (analyzed) ++counters_.follows;
    auto key = std::make_pair(task->job.owner, task->job.snapshot->uri);
    if (auto it = following_.find(key); it != following_.end() && it->second == task)
      following_.erase(it);
    return;
  }
  if (worker != task->primary) hedge_in_flight_ = false;
}

void HedgedExecutor::on_finished(const std::shared_ptr<Task>& task, std::size_t worker,
                                 AnalysisResult result, double ms) {
  on_attempt_over(task, worker, false, true);
  if (task->timer) task->timer->cancel();
  task->stops[1 - worker].request_stop();  // the loser
  if (worker != task->primary) {
    ++counters_.hedges_won;
    hedge_factor_ = kAutoFactor;
  } else if (task->hedged && !task->warm_hedge) {
    hedge_factor_ = std::min(kMaxFactor, hedge_factor_ * kBackOff);
  }
  analysis_ms_[job_class(*task->job.snapshot)].add(ms);
  auto key = std::make_pair(task->job.owner, task->job.snapshot->uri);
  bool newest = false;
  if (auto it = latest_.find(key); it != latest_.end() && it->second == task) {
    latest_.erase(it);
    newest = true;
  }
  if (newest && options_.policy.mode != HedgePolicy::Mode::Off) {
    follow_timer_.expires_after(kFollowAfterIdle);
    follow_timer_.async_wait([this, job = task->job, other = 1 - worker,
                              jobs = counters_.jobs](boost::system::error_code ec) {
      if (!ec && counters_.jobs == jobs) follow(job, other);
    });
  }
  task->done(std::move(result));
}

}  // namespace perfectex::server
