#include "server/read_file.h"

#include <cstdio>
#include <memory>

namespace perfectex::server {

std::optional<std::string> read_file(const std::filesystem::path& path) {
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) return std::nullopt;
  std::string text;
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (!ec) text.resize(size);
  std::size_t got = std::fread(text.data(), 1, text.size(), f.get());
  text.resize(got);
  // The size may have changed since it was asked (or be unknown, as for a pipe): read the rest.
  char chunk[65536];
  while (std::size_t n = std::fread(chunk, 1, sizeof chunk, f.get())) text.append(chunk, n);
  if (std::ferror(f.get())) return std::nullopt;
  return text;
}

}  // namespace perfectex::server
