// Two warm workers that hedge each other ("The Tail at Scale"): a job goes to the primary; if it
// is not done when the hedge timer fires, the same job starts on the other worker; the first to
// finish wins (atomically) and the other is stopped through its std::stop_token, its result
// dropped. At most one hedge is in flight; a superseded job is cancelled and never hedged. In a
// pause after a result, the other worker analyses its snapshot too (a follow, result dropped), so
// that a hedge starts from the state before the next edit and relexes only that edit.
// Threading: submit(), timers and bookkeeping run on T0 (the io_context); analyses on the workers.
#pragma once

#include <array>
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <thread>

#include "server/executor.h"
#include "server/latency_window.h"

namespace perfectex::server {

struct HedgePolicy {
  enum class Mode { Off, Fixed, Auto };
  Mode mode = Mode::Auto;
  double fixed_ms = 0;
  /// Parses "off", "auto" or a number of milliseconds; nullopt when it is none of these.
  static std::optional<HedgePolicy> parse(const std::string& text);
};

/// Stalls injected into workers to prove the hedge: off unless PERFECTEX_FAULT_MS and
/// PERFECTEX_FAULT_RATE_PPM are set; PERFECTEX_FAULT_PHASE=pre|post puts the stall before or after
/// the real work, PERFECTEX_FAULT_WORKER=0|1 limits it to one worker (default: both).
struct FaultInjection {
  double stall_ms = 0;
  std::uint32_t rate_ppm = 0;
  bool before_work = true;
  int worker = -1;
  bool active() const { return stall_ms > 0 && rate_ppm > 0; }
  /// Reads the environment; throws std::invalid_argument naming a malformed variable.
  static FaultInjection from_environment();
};

struct HedgeCounters {
  std::size_t jobs = 0;
  std::size_t hedges_fired = 0;
  std::size_t hedges_won = 0;
  std::size_t superseded = 0;  ///< jobs cancelled because a newer version arrived
  std::size_t faults_injected = 0;
  /// Losers, superseded attempts and follows stopped through their token.
  std::size_t stopped_attempts = 0;
  std::size_t follows = 0;  ///< analyses that brought the idle worker to the latest version
};

class HedgedExecutor final : public Executor {
 public:
  struct Options {
    HedgePolicy policy;
    FaultInjection faults;
    bool pin_workers = false;  ///< pin worker i to CPU i
  };

  HedgedExecutor(boost::asio::io_context& io, Options options);
  ~HedgedExecutor() override;
  void submit(Job job, Done done) override;

  HedgeCounters counters() const;
  /// The delay after which a job for a document of this size (an edit of kind Other) is hedged,
  /// in ms (0 when off).
  double hedge_delay_ms(std::size_t bytes) const;

 private:
  struct Task;
  struct Worker;
  void run_worker(std::size_t index, std::stop_token stop);
  void on_finished(const std::shared_ptr<Task>& task, std::size_t worker, AnalysisResult result,
                   double ms);
  void on_attempt_over(const std::shared_ptr<Task>& task, std::size_t worker, bool stopped,
                       bool analyzed);
  void hedge(const std::shared_ptr<Task>& task);
  void follow(const Job& job, std::size_t worker);
  bool warm(std::size_t worker, const Job& job) const;
  /// The hedge delay of a job of class cls (job_class); warm: the other worker would relex the
  /// job's edit only (hedged_executor.cpp).
  double delay_ms(std::size_t cls, bool warm) const;
  void enqueue(std::size_t worker, std::shared_ptr<Task> task, bool front);
  bool stall(std::size_t worker, std::stop_token stop);

  boost::asio::io_context& io_;
  Options options_;
  std::array<std::unique_ptr<Worker>, 2> workers_;
  // T0 only:
  std::map<std::pair<const void*, std::string>, std::shared_ptr<Task>> latest_;
  std::map<std::pair<const void*, std::string>, std::shared_ptr<Task>> following_;
  struct Analyzed {
    const void* owner = nullptr;
    SnapshotPtr snapshot;
  };
  std::array<Analyzed, 2> analyzed_;  ///< what each worker's analyzer analyzed last
  boost::asio::steady_timer follow_timer_;
  std::array<LatencyWindow, 96> analysis_ms_;  ///< by job_class (hedged_executor.cpp)
  bool hedge_in_flight_ = false;
  double hedge_factor_ = 1.5;  ///< auto mode: times the recent P95 (see hedged_executor.cpp)
  HedgeCounters counters_;
  std::atomic<std::size_t> faults_{0};
};

}  // namespace perfectex::server
