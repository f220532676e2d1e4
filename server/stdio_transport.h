// The stdio transport: one blocking reader thread reads stdin and posts the bytes to T0 (the Asio
// io_context); writes happen on T0 straight to stdout. Nothing else may write to stdout.
// Threading: start() spawns the reader; write() is called on T0 only.
#pragma once

#include <boost/asio/io_context.hpp>
#include <functional>
#include <string_view>
#include <thread>

namespace perfectex::server {

class StdioTransport {
 public:
  using BytesFn = std::function<void(std::string_view)>;
  using EndFn = std::function<void()>;

  StdioTransport(boost::asio::io_context& io, int in_fd = 0, int out_fd = 1);
  ~StdioTransport();

  /// Starts reading; on_bytes and on_end run on T0.
  void start(BytesFn on_bytes, EndFn on_end);
  /// Writes all bytes to the output (blocking); returns false when the client has gone.
  bool write(std::string_view bytes);
  /// The output pipe's capacity asked for (Linux; the default limit of an unprivileged process).
  static constexpr int kPipeBytes = 1 << 20;

 private:
  boost::asio::io_context& io_;
  int in_fd_;
  int out_fd_;
  std::thread reader_;
};

}  // namespace perfectex::server
