#include "tools/replay/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <system_error>
#include <thread>
#include <utility>

extern char** environ;

namespace perfectex::replay {
namespace {

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

// RAII for the posix_spawn attribute objects.
struct SpawnSetup {
  posix_spawn_file_actions_t actions{};
  posix_spawnattr_t attr{};
  SpawnSetup() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
  }
  ~SpawnSetup() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
  SpawnSetup(const SpawnSetup&) = delete;
  SpawnSetup& operator=(const SpawnSetup&) = delete;
};

}  // namespace

int decode_wait_status(int raw) {
  if (WIFEXITED(raw)) return WEXITSTATUS(raw);
  if (WIFSIGNALED(raw)) return 128 + WTERMSIG(raw);
  return -1;
}

bool write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    const ssize_t n = ::write(fd, data, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

ChildProcess ChildProcess::spawn(const SpawnOptions& options) {
  if (options.argv.empty()) throw std::invalid_argument("no command to start");
  int in_pipe[2] = {-1, -1};
  int out_pipe[2] = {-1, -1};
  auto cleanup = [&] {
    for (int* fd : {&in_pipe[0], &in_pipe[1], &out_pipe[0], &out_pipe[1]}) close_fd(*fd);
  };
  if ((options.pipe_stdin && ::pipe2(in_pipe, O_CLOEXEC) != 0) ||
      (options.pipe_stdout && ::pipe2(out_pipe, O_CLOEXEC) != 0)) {
    const int error = errno;
    cleanup();
    throw std::system_error(error, std::generic_category(), "pipe");
  }

  SpawnSetup setup;
  if (options.pipe_stdin) posix_spawn_file_actions_adddup2(&setup.actions, in_pipe[0], 0);
  if (options.pipe_stdout) posix_spawn_file_actions_adddup2(&setup.actions, out_pipe[1], 1);
  if (!options.stderr_path.empty()) {
    posix_spawn_file_actions_addopen(&setup.actions, 2, options.stderr_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
  }
  // The child starts with no blocked signals and default handlers for those we ignore or catch.
  sigset_t empty;
  sigemptyset(&empty);
  sigset_t defaults;
  sigemptyset(&defaults);
  for (int s : {SIGPIPE, SIGINT, SIGTERM, SIGHUP}) sigaddset(&defaults, s);
  posix_spawnattr_setsigmask(&setup.attr, &empty);
  posix_spawnattr_setsigdefault(&setup.attr, &defaults);
  posix_spawnattr_setflags(&setup.attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  std::vector<char*> argv;
  for (const auto& arg : options.argv) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);

  pid_t pid = -1;
  const int error = posix_spawnp(&pid, argv[0], &setup.actions, &setup.attr, argv.data(), environ);
  if (error != 0) {
    cleanup();
    throw std::system_error(error, std::generic_category(),
                            "cannot start '" + options.argv[0] + "'");
  }
  ChildProcess child;
  child.pid_ = pid;
  close_fd(in_pipe[0]);
  close_fd(out_pipe[1]);
  child.stdin_fd_ = in_pipe[1];
  child.stdout_fd_ = out_pipe[0];
  return child;
}

ChildProcess::ChildProcess(ChildProcess&& other) noexcept {
  *this = std::move(other);
}

ChildProcess& ChildProcess::operator=(ChildProcess&& other) noexcept {
  if (this != &other) {
    release();
    pid_ = std::exchange(other.pid_, -1);
    stdin_fd_ = std::exchange(other.stdin_fd_, -1);
    stdout_fd_ = std::exchange(other.stdout_fd_, -1);
    status_ = std::exchange(other.status_, std::nullopt);
  }
  return *this;
}

ChildProcess::~ChildProcess() {
  release();
}

void ChildProcess::release() {
  close_fd(stdin_fd_);
  close_fd(stdout_fd_);
  if (pid_ > 0 && !status_) {
    ::kill(pid_, SIGKILL);
    wait();
  }
  pid_ = -1;
}

void ChildProcess::close_stdin() {
  close_fd(stdin_fd_);
}
void ChildProcess::close_stdout() {
  close_fd(stdout_fd_);
}

void ChildProcess::send_signal(int signal) const {
  if (pid_ > 0 && !status_) ::kill(pid_, signal);
}

std::optional<int> ChildProcess::try_wait() {
  if (status_ || pid_ <= 0) return status_;
  int raw = 0;
  pid_t r = ::waitpid(pid_, &raw, WNOHANG);
  while (r < 0 && errno == EINTR) r = ::waitpid(pid_, &raw, WNOHANG);
  if (r == pid_) status_ = decode_wait_status(raw);
  return status_;
}

std::optional<int> ChildProcess::wait_for(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!try_wait()) {
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return status_;
}

int ChildProcess::wait() {
  if (status_ || pid_ <= 0) return status_.value_or(-1);
  int raw = 0;
  pid_t r = ::waitpid(pid_, &raw, 0);
  while (r < 0 && errno == EINTR) r = ::waitpid(pid_, &raw, 0);
  status_ = r == pid_ ? decode_wait_status(raw) : -1;
  return *status_;
}

int ChildProcess::stop(std::chrono::milliseconds grace) {
  if (auto status = wait_for(grace)) return *status;
  send_signal(SIGTERM);
  if (auto status = wait_for(grace)) return *status;
  send_signal(SIGKILL);
  return wait();
}

}  // namespace perfectex::replay
