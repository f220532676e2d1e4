// Reads a whole file into a string in one allocation of its size (a stream copied through a
// growing buffer copies a large document several times and touches twice its memory).
// Threading: a plain function; safe from any thread.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace perfectex::server {

/// The file's bytes; nullopt when it cannot be opened or read.
std::optional<std::string> read_file(const std::filesystem::path& path);

}  // namespace perfectex::server
