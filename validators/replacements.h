// Tables behind the fixes and messages that depend on a diagnostic's variant: font commands and
// their modern forms, obsolete packages and their successors, and the replacement texts of the
// other rules (variant_text in rule.h reads them). Threading: immutable static data.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace perfectex::validators {

struct FontEntry {
  std::string_view name;     ///< the switch, without backslash: "bf", "bfseries", "large"
  std::string_view command;  ///< the text command taking an argument ("\\textbf"), or empty
  std::string_view modern;   ///< for LaTeX 2.09 switches: what to write instead
};
std::span<const FontEntry> font_table();
std::optional<std::uint8_t> font_index(std::string_view name);

struct PackageEntry {
  std::string_view name;
  std::string_view replacement;
};
std::span<const PackageEntry> obsolete_packages();
std::optional<std::uint8_t> obsolete_package_index(std::string_view name);

/// Variants of the ellipsis rules.
enum class Dots : std::uint8_t { Dots, Ldots, Cdots };

}  // namespace perfectex::validators
