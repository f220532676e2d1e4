// Test helpers for reading the shared corpus (../shared/corpus) by relative path, and for
// writing scratch folders of small documents. Threading: plain functions, no state.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace perfectex::testing {

inline std::filesystem::path corpus_dir() {
  return PERFECTEX_CORPUS_DIR;
}

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  std::ostringstream s;
  s << in.rdbuf();
  return std::move(s).str();
}

inline std::string read_corpus(const std::string& relative) {
  return read_file(corpus_dir() / relative);
}

/// Every file under the corpus folder (or one of its subfolders) with the given extension, sorted.
inline std::vector<std::filesystem::path> corpus_files(const std::string& sub,
                                                       const std::string& ext) {
  std::vector<std::filesystem::path> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(corpus_dir() / sub)) {
    if (e.is_regular_file() && e.path().extension() == ext) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// A fresh folder under the system's temporary directory (what was there is removed) holding
/// files, each a path relative to it and its text, written byte for byte.
inline std::filesystem::path scratch_folder(
    const std::string& name, const std::vector<std::pair<std::string, std::string>>& files = {}) {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  for (const auto& [file, text] : files) {
    std::filesystem::create_directories((dir / file).parent_path());
    std::ofstream(dir / file, std::ios::binary) << text;
  }
  return dir;
}

}  // namespace perfectex::testing
