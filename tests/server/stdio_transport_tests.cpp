// The stdio transport on a real pipe: it asks for a pipe as big as a large publish, so that T0
// writes one whole without waiting for the client to read; and what it writes arrives intact.
#include <doctest/doctest.h>
#include <fcntl.h>
#include <unistd.h>

#include <boost/asio/io_context.hpp>
#include <fstream>
#include <string>

#include "server/stdio_transport.h"

using namespace perfectex::server;

TEST_CASE("a 300 KB publish is written whole into the pipe before the client reads any of it") {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  std::size_t limit = 0;
  std::ifstream("/proc/sys/fs/pipe-max-size") >> limit;
  boost::asio::io_context io;
  StdioTransport transport(io, fds[0], fds[1]);
  if (limit >= static_cast<std::size_t>(StdioTransport::kPipeBytes)) {
    CHECK(::fcntl(fds[1], F_GETPIPE_SZ) >= StdioTransport::kPipeBytes);
    // Non-blocking: were the pipe still 64 KB, the write would fail instead of hanging the test.
    REQUIRE(::fcntl(fds[1], F_SETFL, ::fcntl(fds[1], F_GETFL) | O_NONBLOCK) == 0);
    std::string body(300 * 1024, 'x');
    body.back() = '}';
    CHECK(transport.write(body));
    std::string got(body.size(), '\0');
    std::size_t read = 0;
    while (read < got.size()) {
      ssize_t n = ::read(fds[0], got.data() + read, got.size() - read);
      REQUIRE(n > 0);
      read += static_cast<std::size_t>(n);
    }
    CHECK(got == body);
  } else {
    MESSAGE("pipe-max-size is " << limit << " bytes: the pipe keeps its size");
  }
  ::close(fds[0]);
  ::close(fds[1]);
}
