// The project configuration file `.perfectex.json`, found by walking up from a file or folder,
// and the "rules" object it shares with the LSP settings: {"rules": {"rule-id": "off" | "on" |
// "error" | "warning" | "information" | "hint"}}. Unknown ids and bad values are returned as
// problems for the caller to report. Threading: pure functions apart from reading the file.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "protocol/jsonrpc.h"
#include "validators/rule_config.h"

namespace perfectex::server {

inline constexpr const char* kProjectConfigName = ".perfectex.json";

/// The nearest `.perfectex.json` in start's folder (or start itself when it is a folder) or above.
std::optional<std::filesystem::path> find_project_config(const std::filesystem::path& start);

/// Applies a "rules" object onto config; each problem is appended as one line.
void apply_rule_settings(const protocol::json& rules, validators::RuleConfig& config,
                         std::vector<std::string>& problems);

struct ProjectConfig {
  std::filesystem::path path;
  validators::RuleConfig rules;
  std::vector<std::string> problems;  ///< "path: what is wrong"
};

/// The local path of a file:// URI (percent escapes decoded); nullopt for other schemes.
std::optional<std::filesystem::path> path_of_uri(std::string_view uri);

/// Reads and applies a project file onto the default configuration.
ProjectConfig load_project_config(const std::filesystem::path& file);

}  // namespace perfectex::server
