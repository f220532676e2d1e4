// Per-rule configuration: each rule on or off and its severity, from defaults, a project file or
// the editor's settings. Values are parsed from strings so this layer needs no JSON library.
// Threading: a value type; build it on one thread, then share it read-only.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "validators/rule.h"

namespace perfectex::validators {

class RuleConfig {
 public:
  RuleConfig();

  bool enabled(RuleId id) const { return enabled_[index(id)]; }
  Severity severity(RuleId id) const { return severity_[index(id)]; }

  void disable(RuleId id) { enabled_[index(id)] = false; }
  void set_severity(RuleId id, Severity severity);

  /// Applies one setting: value is "off", "on", "error", "warning", "information" or "hint".
  /// Returns a message saying what is wrong (unknown rule id, bad value) or nullopt on success.
  std::optional<std::string> apply(std::string_view rule, std::string_view value);

  friend bool operator==(const RuleConfig&, const RuleConfig&) = default;

 private:
  static std::size_t index(RuleId id) { return static_cast<std::size_t>(id); }
  std::array<bool, kRuleCount> enabled_{};
  std::array<Severity, kRuleCount> severity_{};
};

}  // namespace perfectex::validators
