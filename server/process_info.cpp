#include "server/process_info.h"

#include <unistd.h>

#include <fstream>

namespace perfectex::server {

std::size_t resident_set_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::size_t size = 0, resident = 0;
  if (!(statm >> size >> resident)) return 0;
  return resident * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

}  // namespace perfectex::server
