#include <doctest/doctest.h>

#include <unistd.h>

#include "tools/replay/proc_status.h"

namespace perfectex::replay {

TEST_CASE("VmRSS and VmHWM are read from /proc/<pid>/status text, in bytes") {
  const auto m = parse_proc_status(
      "Name:\tperfectex\nVmPeak:\t  99999 kB\nVmHWM:\t   8192 kB\nVmRSS:\t   4096 kB\n");
  REQUIRE(m.has_value());
  CHECK(m->rss_bytes == 4096u * 1024);
  CHECK(m->peak_rss_bytes == 8192u * 1024);
  CHECK_FALSE(parse_proc_status("Name:\tzombie\nState:\tZ (zombie)\n").has_value());
  CHECK_FALSE(parse_proc_status("VmRSS:\tlots kB\n").has_value());
  // VmRSSx is not VmRSS
  CHECK_FALSE(parse_proc_status("VmRSSx:\t1 kB\n").has_value());
}

TEST_CASE("our own memory can be read; a process that does not exist cannot") {
  const auto self = read_proc_memory(::getpid());
  REQUIRE(self.has_value());
  CHECK(self->rss_bytes > 0);
  CHECK(self->peak_rss_bytes >= self->rss_bytes);
  CHECK_FALSE(read_proc_memory(0x7ffffff0).has_value());
}

}  // namespace perfectex::replay
