#include "tools/replay/proc_status.h"

#include <charconv>
#include <fstream>
#include <iterator>
#include <string>

namespace perfectex::replay {
namespace {

// The value of a "Name:   1234 kB" line, in bytes.
std::optional<std::uint64_t> field_kb(std::string_view text, std::string_view name) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    if (line.size() <= name.size() || line.substr(0, name.size()) != name ||
        line[name.size()] != ':') {
      continue;
    }
    line.remove_prefix(name.size() + 1);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    std::uint64_t kb = 0;
    auto [end, ec] = std::from_chars(line.data(), line.data() + line.size(), kb);
    if (ec != std::errc{}) return std::nullopt;
    return kb * 1024;
  }
  return std::nullopt;
}

}  // namespace

std::optional<ProcMemory> parse_proc_status(std::string_view text) {
  auto rss = field_kb(text, "VmRSS");
  if (!rss) return std::nullopt;
  ProcMemory memory;
  memory.rss_bytes = *rss;
  memory.peak_rss_bytes = field_kb(text, "VmHWM").value_or(*rss);
  return memory;
}

std::optional<ProcMemory> read_proc_memory(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  if (!in) return std::nullopt;
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return parse_proc_status(text);
}

}  // namespace perfectex::replay
