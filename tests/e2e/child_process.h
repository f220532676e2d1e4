// A child process with pipes to its stdin, stdout and stderr, for driving the real binary.
// Reads have a deadline so a hung server fails the test instead of hanging it.
// Threading: one thread uses a ChildProcess.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace perfectex::testing {

class ChildProcess {
 public:
  explicit ChildProcess(const std::vector<std::string>& argv);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  void write(std::string_view bytes);
  void close_stdin();
  /// Bytes available on stdout within the timeout; empty when the child closed it or time ran out.
  std::string read_some(std::chrono::milliseconds timeout);
  /// Waits for the exit status; nullopt when it did not exit in time (the child is then killed).
  std::optional<int> wait(std::chrono::milliseconds timeout);
  /// Everything the child wrote to stderr so far.
  std::string drain_stderr();
  /// Waits until stderr contains needle; returns all of stderr read so far ("" on timeout).
  std::string wait_for_stderr(std::string_view needle, std::chrono::milliseconds timeout);
  void signal(int signo);

 private:
  pid_t pid_ = -1;
  int in_ = -1, out_ = -1, err_ = -1;
  std::optional<int> status_;
  std::string stderr_;
};

/// Runs a command to completion; returns {exit code, stdout}.
std::pair<int, std::string> run_command(const std::vector<std::string>& argv);

}  // namespace perfectex::testing
