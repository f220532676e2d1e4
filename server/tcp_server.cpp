#include "server/tcp_server.h"

#include <spdlog/spdlog.h>

#include <array>
#include <boost/asio/write.hpp>
#include <deque>

namespace perfectex::server {

namespace asio = boost::asio;
using asio::ip::tcp;

bool is_loopback(const std::string& host) {
  if (host == "localhost") return true;
  boost::system::error_code ec;
  auto address = asio::ip::make_address(host, ec);
  return !ec && address.is_loopback();
}

/// One client: its socket, its LSP session and its write queue.
class TcpSession : public std::enable_shared_from_this<TcpSession> {
 public:
  TcpSession(TcpServer& owner, tcp::socket socket)
      : owner_(owner), socket_(std::move(socket)), peer_(describe(socket_)) {}

  void start() {
    server_ = std::make_unique<LspServer>(
        owner_.server_options_, owner_.executor_,
        [this](std::string_view framed) { queue(framed); },
        [this](int code) {
          spdlog::info("{}: client sent exit (code {}); closing its session", peer_, code);
          close_after_flush();
        },
        owner_.metrics_);
    spdlog::info("{}: connected", peer_);
    read();
  }

  void close_after_flush() {
    closing_ = true;
    if (writes_.empty()) close();
  }

 private:
  static std::string describe(const tcp::socket& s) {
    boost::system::error_code ec;
    auto endpoint = s.remote_endpoint(ec);
    return ec ? std::string("client")
              : endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
  }

  void read() {
    socket_.async_read_some(
        asio::buffer(buffer_),
        [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
          if (ec) {
            if (!self->closed_) {
              spdlog::info("{}: disconnected ({})", self->peer_,
                           ec == asio::error::eof ? "end of stream" : ec.message());
              self->server_->on_end_of_input();
              self->close();
            }
            return;
          }
          if (self->closing_) return;
          self->server_->on_bytes(std::string_view(self->buffer_.data(), n));
          if (!self->closed_ && !self->closing_) self->read();
        });
  }

  void queue(std::string_view framed) {
    if (closed_) return;
    queued_bytes_ += framed.size();
    // One large message (a big document's publish) is always written; a queue of several that
    // outgrows the limit means the client has stopped reading.
    if (!writes_.empty() && queued_bytes_ > owner_.options_.max_queued_bytes) {
      spdlog::warn(
          "{}: {} bytes waiting to be written (limit {}); the client is not reading, disconnecting",
          peer_, queued_bytes_, owner_.options_.max_queued_bytes);
      close();
      return;
    }
    writes_.emplace_back(framed);
    if (writes_.size() == 1) write_next();
  }

  void write_next() {
    asio::async_write(socket_, asio::buffer(writes_.front()),
                      [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
                        if (self->closed_) return;
                        if (ec) {
                          spdlog::info("{}: write failed ({}); closing", self->peer_, ec.message());
                          self->close();
                          return;
                        }
                        self->queued_bytes_ -= n;
                        self->writes_.pop_front();
                        if (!self->writes_.empty()) {
                          self->write_next();
                        } else if (self->closing_) {
                          self->close();
                        }
                      });
  }

  void close() {
    if (closed_) return;
    closed_ = true;
    boost::system::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
    writes_.clear();
    // Drop the session from T0's next turn, after the handler that called close() returns.
    asio::post(owner_.io_, [self = shared_from_this()] { self->owner_.forget(self.get()); });
  }

  TcpServer& owner_;
  tcp::socket socket_;
  std::string peer_;
  std::unique_ptr<LspServer> server_;
  std::array<char, 1 << 16> buffer_{};
  std::deque<std::string> writes_;
  std::size_t queued_bytes_ = 0;
  bool closing_ = false;
  bool closed_ = false;
};

TcpServer::TcpServer(asio::io_context& io, TcpOptions options, ServerOptions server_options,
                     Executor& executor, std::shared_ptr<Metrics> metrics)
    : io_(io),
      options_(std::move(options)),
      server_options_(server_options),
      executor_(executor),
      metrics_(std::move(metrics)),
      acceptor_(io) {}

TcpServer::~TcpServer() = default;

void TcpServer::start() {
  tcp::endpoint endpoint(
      asio::ip::make_address(options_.host == "localhost" ? "127.0.0.1" : options_.host),
      options_.port);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(tcp::acceptor::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen();
  accept();
}

unsigned short TcpServer::port() const {
  return acceptor_.local_endpoint().port();
}

void TcpServer::accept() {
  acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
    if (ec) {
      if (!stopping_) spdlog::error("accept failed: {}", ec.message());
      return;
    }
    // A publish goes out as several writes: with Nagle's algorithm the last one waits for the
    // client's delayed ACK (40 ms on Linux) whenever the one before it is unacknowledged.
    boost::system::error_code option;
    socket.set_option(tcp::no_delay(true), option);
    if (option) spdlog::warn("cannot set TCP_NODELAY: {}", option.message());
    auto session = std::make_shared<TcpSession>(*this, std::move(socket));
    sessions_.insert(session);
    session->start();
    if (!stopping_) accept();
  });
}

void TcpServer::forget(TcpSession* session) {
  for (auto it = sessions_.begin(); it != sessions_.end(); ++it) {
    if (it->get() == session) {
      sessions_.erase(it);
      break;
    }
  }
  if (stopping_ && sessions_.empty() && on_drained_) std::exchange(on_drained_, nullptr)();
}

void TcpServer::shutdown(std::function<void()> done) {
  stopping_ = true;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  on_drained_ = std::move(done);
  if (sessions_.empty()) {
    std::exchange(on_drained_, nullptr)();
    return;
  }
  for (const auto& session : std::set<std::shared_ptr<TcpSession>>(sessions_))
    session->close_after_flush();
}

}  // namespace perfectex::server
