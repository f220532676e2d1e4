// The byte stream to the server under test: a child process spawned with pipes (stdio), or a TCP
// connection to a server already running (--connect host:port, resolved and connected with Asio).
// Threading: one thread may read while another writes; open/close_write/finish belong to the owner.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tools/replay/child_process.h"

namespace perfectex::replay {

struct ServerEndpoint {
  std::vector<std::string> command;  ///< spawn this (stdio) ...
  std::string connect;               ///< ... or connect to "host:port"
  std::string stderr_path;           ///< a spawned server's stderr; empty: inherited
};

class ServerConnection {
 public:
  /// Spawns or connects; throws std::runtime_error / std::system_error with a clear message.
  static std::unique_ptr<ServerConnection> open(const ServerEndpoint& endpoint);
  ~ServerConnection();
  ServerConnection(const ServerConnection&) = delete;
  ServerConnection& operator=(const ServerConnection&) = delete;

  int read_fd() const { return child_ ? child_->stdout_fd() : socket_fd_; }
  int write_fd() const { return child_ ? child_->stdin_fd() : socket_fd_; }
  /// The server's process id when we spawned it.
  std::optional<pid_t> pid() const;
  std::string describe() const;

  /// Ends the session: closes our sending side and waits up to grace for a spawned server to exit
  /// (then SIGTERM, then SIGKILL). Returns the exit status of a spawned server.
  std::optional<int> finish(std::chrono::milliseconds grace);

 private:
  ServerConnection() = default;

  std::optional<ChildProcess> child_;
  int socket_fd_ = -1;
  std::string address_;
};

}  // namespace perfectex::replay
