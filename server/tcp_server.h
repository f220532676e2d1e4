// The TCP transport (Boost.Asio): accepts clients on one address, gives each its own LSP session
// (its own documents and lifecycle) over a shared executor, and writes through a bounded queue: a
// client that stops reading is disconnected rather than growing memory without end. A client that
// disconnects or misbehaves never affects another. Threading: everything runs on T0 (the
// io_context).
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <cstddef>
#include <functional>
#include <memory>
#include <set>

#include "server/executor.h"
#include "server/lsp_server.h"

namespace perfectex::server {

struct TcpOptions {
  std::string host = "127.0.0.1";
  unsigned short port = 0;  ///< 0 picks a free port (reported by port())
  std::size_t max_queued_bytes = 64u << 20;
};

class TcpSession;

class TcpServer {
 public:
  TcpServer(boost::asio::io_context& io, TcpOptions options, ServerOptions server_options,
            Executor& executor, std::shared_ptr<Metrics> metrics);
  ~TcpServer();

  /// Binds and starts accepting; throws boost::system::system_error when the address is unusable.
  void start();
  unsigned short port() const;
  /// Stops accepting and lets every session finish the replies already queued, then closes it.
  void shutdown(std::function<void()> done);
  std::size_t sessions() const { return sessions_.size(); }

 private:
  void accept();
  void forget(TcpSession* session);

  boost::asio::io_context& io_;
  TcpOptions options_;
  ServerOptions server_options_;
  Executor& executor_;
  std::shared_ptr<Metrics> metrics_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::set<std::shared_ptr<TcpSession>> sessions_;
  std::function<void()> on_drained_;
  bool stopping_ = false;
  friend class TcpSession;
};

/// Is host a loopback address (127.0.0.0/8, ::1, or "localhost")?
bool is_loopback(const std::string& host);

}  // namespace perfectex::server
