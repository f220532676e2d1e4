// file:// URIs and paths, as LSP clients write them (RFC 8089, percent-encoding of UTF-8 bytes).
// Threading: pure functions.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace perfectex::server {

/// The local path of a file:// URI; nothing for other schemes or a malformed escape.
std::optional<std::filesystem::path> path_from_uri(std::string_view uri);
/// The file:// URI of an absolute path, with the bytes outside RFC 3986's unreserved set and '/'
/// percent-encoded (as VS Code writes them).
std::string uri_from_path(const std::filesystem::path& path);

}  // namespace perfectex::server
