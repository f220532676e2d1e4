#include "validators/rule_config.h"

namespace perfectex::validators {

RuleConfig::RuleConfig() {
  for (const RuleInfo& info : all_rules()) {
    enabled_[index(info.id)] = info.enabled_by_default;
    severity_[index(info.id)] = info.severity;
  }
}

void RuleConfig::set_severity(RuleId id, Severity severity) {
  enabled_[index(id)] = true;
  severity_[index(id)] = severity;
}

std::optional<std::string> RuleConfig::apply(std::string_view rule, std::string_view value) {
  std::optional<RuleId> id = find_rule(rule);
  if (!id) return "unknown rule id '" + std::string(rule) + "'";
  if (value == "off") {
    disable(*id);
  } else if (value == "on") {
    enabled_[index(*id)] = true;
  } else if (value == "error") {
    set_severity(*id, Severity::Error);
  } else if (value == "warning") {
    set_severity(*id, Severity::Warning);
  } else if (value == "information" || value == "info") {
    set_severity(*id, Severity::Information);
  } else if (value == "hint") {
    set_severity(*id, Severity::Hint);
  } else {
    return "rule '" + std::string(rule) + "': unknown setting '" + std::string(value) +
           "' (use off, on, error, warning, information or hint)";
  }
  return std::nullopt;
}

}  // namespace perfectex::validators
