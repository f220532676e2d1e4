#include "server/metrics_endpoint.h"

#include <spdlog/spdlog.h>

#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/write.hpp>
#include <memory>

namespace perfectex::server {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

std::string reply(std::string_view status, std::string_view type, const std::string& body) {
  return "HTTP/1.1 " + std::string(status) + "\r\nContent-Type: " + std::string(type) +
         "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n" +
         body;
}

struct Connection : std::enable_shared_from_this<Connection> {
  explicit Connection(tcp::socket s) : socket(std::move(s)), request(8192) {}
  tcp::socket socket;
  asio::streambuf request;
  std::string response;
};

}  // namespace

std::string http_response(std::string_view head, const std::function<std::string()>& render) {
  std::string_view line = head.substr(0, head.find("\r\n"));
  std::size_t sp1 = line.find(' ');
  std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || !line.substr(sp2 + 1).starts_with("HTTP/1.")) {
    return reply("400 Bad Request", "text/plain", "bad request\n");
  }
  std::string_view method = line.substr(0, sp1);
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  if (target != "/metrics" && !target.starts_with("/metrics?")) {
    return reply("404 Not Found", "text/plain", "perfectex serves /metrics\n");
  }
  if (method != "GET" && method != "HEAD")
    return reply("405 Method Not Allowed", "text/plain", "use GET\n");
  std::string response = reply("200 OK", "text/plain; version=0.0.4; charset=utf-8", render());
  if (method == "HEAD") response.resize(response.find("\r\n\r\n") + 4);
  return response;
}

MetricsEndpoint::MetricsEndpoint(asio::io_context& io, const std::string& host, unsigned short port,
                                 std::function<std::string()> render)
    : endpoint_(asio::ip::make_address(host == "localhost" ? "127.0.0.1" : host), port),
      acceptor_(io),
      render_(std::move(render)) {}

void MetricsEndpoint::start() {
  acceptor_.open(endpoint_.protocol());
  acceptor_.set_option(tcp::acceptor::reuse_address(true));
  acceptor_.bind(endpoint_);
  acceptor_.listen();
  accept();
}

unsigned short MetricsEndpoint::port() const {
  return acceptor_.local_endpoint().port();
}

void MetricsEndpoint::stop() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
}

void MetricsEndpoint::accept() {
  acceptor_.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
    if (ec) return;  // closed
    auto c = std::make_shared<Connection>(std::move(socket));
    asio::async_read_until(
        c->socket, c->request, "\r\n\r\n",
        [this, c](boost::system::error_code read_ec, std::size_t n) {
          if (read_ec) {
            c->response =
                reply("400 Bad Request", "text/plain", "request head too long or incomplete\n");
          } else {
            std::string head(asio::buffers_begin(c->request.data()),
                             asio::buffers_begin(c->request.data()) + n);
            c->response = http_response(head, render_);
          }
          asio::async_write(c->socket, asio::buffer(c->response),
                            [c](boost::system::error_code, std::size_t) {
                              boost::system::error_code ignored;
                              c->socket.shutdown(tcp::socket::shutdown_both, ignored);
                            });
        });
    accept();
  });
}

}  // namespace perfectex::server
