// The Prometheus endpoint: a minimal HTTP/1.1 server (Boost.Asio) that answers GET /metrics with
// the text exposition format and closes each connection after one response.
// Threading: runs on T0 (the io_context); the render function is called there.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <functional>
#include <string>

namespace perfectex::server {

class MetricsEndpoint {
 public:
  MetricsEndpoint(boost::asio::io_context& io, const std::string& host, unsigned short port,
                  std::function<std::string()> render);
  /// Binds and starts accepting; throws boost::system::system_error when the address is unusable.
  void start();
  unsigned short port() const;
  void stop();

 private:
  void accept();

  boost::asio::ip::tcp::endpoint endpoint_;
  boost::asio::ip::tcp::acceptor acceptor_;
  std::function<std::string()> render_;
};

/// The response to one HTTP request head (everything up to the blank line).
std::string http_response(std::string_view request_head,
                          const std::function<std::string()>& render);

}  // namespace perfectex::server
