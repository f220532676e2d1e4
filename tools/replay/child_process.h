// A child process started with posix_spawnp, with pipes to its stdin and stdout (stderr inherited
// or sent to a file), and the ways to end it: wait, signal, stop with a grace period.
// Threading: one owner; the fds may be read and written from different threads, but wait/stop and
// the destructor belong to the owner.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace perfectex::replay {

struct SpawnOptions {
  std::vector<std::string> argv;  ///< argv[0] is looked up in PATH
  bool pipe_stdin = true;         ///< false: the child inherits our stdin
  bool pipe_stdout = true;        ///< false: the child inherits our stdout
  std::string stderr_path;        ///< empty: the child inherits our stderr
};

class ChildProcess {
 public:
  /// Starts the child; throws std::system_error naming the program when it cannot.
  static ChildProcess spawn(const SpawnOptions& options);

  ChildProcess(ChildProcess&& other) noexcept;
  ChildProcess& operator=(ChildProcess&& other) noexcept;
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;
  /// Kills (SIGKILL) and reaps a child still running, and closes the pipes.
  ~ChildProcess();

  pid_t pid() const { return pid_; }
  int stdin_fd() const { return stdin_fd_; }
  int stdout_fd() const { return stdout_fd_; }
  /// Closes our end of the child's stdin, so it reads end-of-file.
  void close_stdin();
  void close_stdout();

  void send_signal(int signal) const;
  /// The exit status if the child has exited (reaping it), without blocking.
  std::optional<int> try_wait();
  /// Waits up to timeout for the child to exit.
  std::optional<int> wait_for(std::chrono::milliseconds timeout);
  int wait();
  /// Waits up to grace; then SIGTERM and up to grace again; then SIGKILL. Returns the status.
  int stop(std::chrono::milliseconds grace);
  bool exited() const { return status_.has_value(); }

 private:
  ChildProcess() = default;
  void release();

  pid_t pid_ = -1;
  int stdin_fd_ = -1;
  int stdout_fd_ = -1;
  std::optional<int> status_;
};

/// A wait status as a shell reports it: the exit code, or 128 + the signal number.
int decode_wait_status(int raw);

/// Writes all of data to fd, retrying on EINTR and short writes; false on error (errno set).
bool write_all(int fd, const char* data, std::size_t size);

}  // namespace perfectex::replay
