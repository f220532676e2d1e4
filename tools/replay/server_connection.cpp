#include "tools/replay/server_connection.h"

#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <stdexcept>

namespace perfectex::replay {

std::unique_ptr<ServerConnection> ServerConnection::open(const ServerEndpoint& endpoint) {
  std::unique_ptr<ServerConnection> connection(new ServerConnection());
  if (!endpoint.connect.empty()) {
    const auto colon = endpoint.connect.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == endpoint.connect.size()) {
      throw std::runtime_error("--connect needs host:port, got '" + endpoint.connect + "'");
    }
    std::string host = endpoint.connect.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']')
      host = host.substr(1, host.size() - 2);
    const std::string port = endpoint.connect.substr(colon + 1);
    boost::asio::io_context io;
    boost::asio::ip::tcp::resolver resolver(io);
    boost::asio::ip::tcp::socket socket(io);
    boost::system::error_code ec;
    auto endpoints = resolver.resolve(host, port, ec);
    if (!ec) boost::asio::connect(socket, endpoints, ec);
    if (!ec) socket.set_option(boost::asio::ip::tcp::no_delay(true), ec);
    if (ec) throw std::runtime_error("cannot connect to " + endpoint.connect + ": " + ec.message());
    connection->socket_fd_ = socket.release(ec);
    if (ec)
      throw std::runtime_error("cannot take the socket of " + endpoint.connect + ": " +
                               ec.message());
    connection->address_ = endpoint.connect;
    return connection;
  }
  if (endpoint.command.empty())
    throw std::runtime_error("no server: give a command after -- or --connect");
  connection->child_ = ChildProcess::spawn({endpoint.command, true, true, endpoint.stderr_path});
  return connection;
}

ServerConnection::~ServerConnection() {
  if (socket_fd_ >= 0) ::close(socket_fd_);
}

std::optional<pid_t> ServerConnection::pid() const {
  if (child_) return child_->pid();
  return std::nullopt;
}

std::string ServerConnection::describe() const {
  if (!child_) return "tcp " + address_;
  return "pid " + std::to_string(child_->pid());
}

std::optional<int> ServerConnection::finish(std::chrono::milliseconds grace) {
  if (child_) {
    child_->close_stdin();
    const int status = child_->stop(grace);
    return status;  // the child is gone, so its stdout reads end-of-file
  }
  if (socket_fd_ >= 0) ::shutdown(socket_fd_, SHUT_WR);  // the server sees end-of-stream
  return std::nullopt;
}

}  // namespace perfectex::replay
