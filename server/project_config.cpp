#include "server/project_config.h"

#include "server/read_file.h"

namespace perfectex::server {

std::optional<std::filesystem::path> find_project_config(const std::filesystem::path& start) {
  std::error_code ec;
  std::filesystem::path dir = std::filesystem::absolute(start, ec);
  if (ec) return std::nullopt;
  if (!std::filesystem::is_directory(dir, ec)) dir = dir.parent_path();
  for (;;) {
    std::filesystem::path candidate = dir / kProjectConfigName;
    if (std::filesystem::is_regular_file(candidate, ec)) return candidate;
    if (!dir.has_parent_path() || dir.parent_path() == dir) return std::nullopt;
    dir = dir.parent_path();
  }
}

void apply_rule_settings(const protocol::json& rules, validators::RuleConfig& config,
                         std::vector<std::string>& problems) {
  if (!rules.is_object()) {
    problems.push_back("\"rules\" must be an object of rule ids");
    return;
  }
  for (const auto& [rule, value] : rules.items()) {
    if (!value.is_string()) {
      problems.push_back("rules." + rule + " must be a string");
      continue;
    }
    if (auto problem = config.apply(rule, value.get<std::string>())) problems.push_back(*problem);
  }
}

std::optional<std::filesystem::path> path_of_uri(std::string_view uri) {
  constexpr std::string_view kScheme = "file://";
  if (!uri.starts_with(kScheme)) return std::nullopt;
  uri.remove_prefix(kScheme.size());
  std::string path;
  for (std::size_t k = 0; k < uri.size(); ++k) {
    auto hex = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    if (uri[k] == '%' && k + 2 < uri.size() && hex(uri[k + 1]) >= 0 && hex(uri[k + 2]) >= 0) {
      path += static_cast<char>(hex(uri[k + 1]) * 16 + hex(uri[k + 2]));
      k += 2;
    } else {
      path += uri[k];
    }
  }
  return std::filesystem::path(path);
}

ProjectConfig load_project_config(const std::filesystem::path& file) {
  ProjectConfig out;
  out.path = file;
  std::optional<std::string> text = read_file(file);
  protocol::json doc = protocol::json::parse(text.value_or(std::string()), nullptr, false);
  std::vector<std::string> problems;
  if (!text || doc.is_discarded() || !doc.is_object()) {
    problems.push_back("not a JSON object");
  } else if (auto rules = doc.find("rules"); rules != doc.end()) {
    apply_rule_settings(*rules, out.rules, problems);
  }
  for (const std::string& p : problems) out.problems.push_back(file.string() + ": " + p);
  return out;
}

}  // namespace perfectex::server
