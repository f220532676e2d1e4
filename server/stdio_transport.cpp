#include "server/stdio_transport.h"

#include <fcntl.h>
#include <unistd.h>

#include <boost/asio/post.hpp>
#include <cerrno>
#include <memory>
#include <string>

namespace perfectex::server {

StdioTransport::StdioTransport(boost::asio::io_context& io, int in_fd, int out_fd)
    : io_(io), in_fd_(in_fd), out_fd_(out_fd) {
#ifdef F_SETPIPE_SZ
  // A publish of a big document is hundreds of kilobytes: with the default 64 KB pipe, T0 would
  // write it in pieces, each waiting for the client to read the last. Not a pipe: nothing to do.
  (void)::fcntl(out_fd_, F_SETPIPE_SZ, kPipeBytes);
#endif
}

StdioTransport::~StdioTransport() {
  // The reader blocks in read(); it ends with the input, or with the process.
  if (reader_.joinable()) reader_.detach();
}

void StdioTransport::start(BytesFn on_bytes, EndFn on_end) {
  reader_ = std::thread([this, on_bytes = std::move(on_bytes), on_end = std::move(on_end)] {
    constexpr std::size_t kChunk = 1 << 16;
    for (;;) {
      auto chunk = std::make_shared<std::string>(kChunk, '\0');
      ssize_t n = ::read(in_fd_, chunk->data(), kChunk);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        boost::asio::post(io_, on_end);
        return;
      }
      chunk->resize(static_cast<std::size_t>(n));
      boost::asio::post(io_, [on_bytes, chunk] { on_bytes(*chunk); });
    }
  });
}

bool StdioTransport::write(std::string_view bytes) {
  while (!bytes.empty()) {
    ssize_t n = ::write(out_fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace perfectex::server
