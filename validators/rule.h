// The rule catalogue: every rule's stable id, family, default severity, message template and fix
// kind (../shared/RULES.md). Ids are kebab-case and never change once released.
// Threading: immutable static data; safe from any thread.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace perfectex::validators {

/// Values match the LSP DiagnosticSeverity.
enum class Severity : std::uint8_t { Error = 1, Warning = 2, Information = 3, Hint = 4 };

enum class Family : std::uint8_t {
  Structure = 1,   // F1 grouping & structure
  References = 6,  // F6 references & labels (across the project)
  Citations = 7,   // F7 citations & bibliography
  Preamble = 11,   // F11 preamble & packages
  Files = 12,      // F12 files & includes
};

enum class RuleId : std::uint16_t {
  UnmatchedCloseBrace,
  UnclosedBrace,
  UnclosedEnvironment,
  MismatchedEnvironment,
  UnmatchedEnd,
  MissingEnvironmentName,
  UnclosedMath,
  MismatchedMathDelimiter,
  UnmatchedMathClose,
  ParagraphInMath,
  UnclosedLeft,
  UnmatchedRight,
  LeftRightAcrossAlignment,
  LeftBraceDelimiter,
  MissingBeginDocument,
  DuplicateBeginDocument,
  TextAfterEndDocument,
  NestingTooDeep,
  // Across the files of a project (project_rules.h)
  UndefinedReference,
  DuplicateLabel,
  UnusedLabel,
  UndefinedCitation,
  MissingInputFile,
  MissingIncludeFile,
  MissingGraphicsFile,
  MissingBibliographyFile,
  IncludeCycle,
  PackageAfterBeginDocument,
  DuplicatePackage,
  // F7, .bib files (bib_parser.h, bib_rules.h)
  BibUnclosedEntry,
  BibUnclosedBrace,
  BibUnclosedQuote,
  BibMissingKey,
  BibMissingEquals,
  BibMissingComma,
  BibMissingValue,
  BibUnexpectedText,
  BibBareValue,
  BibStrayAtSign,
  BibUndefinedString,
  BibDuplicateKey,
  BibDuplicateKeyCase,
  BibDuplicateField,
  kCount,
};

inline constexpr std::size_t kRuleCount = static_cast<std::size_t>(RuleId::kCount);

/// What a quick fix does; the edit itself is built on demand from the diagnostic (render.h).
enum class FixKind : std::uint8_t {
  None,
  DeleteRange,            ///< delete the diagnostic's range
  InsertEndEnvironment,   ///< insert \end{arg0} at fix_at
  ReplaceEndEnvironment,  ///< replace the range with \end{arg1}
  InsertCloser,           ///< insert the closer of the variant's opener at fix_at
  ReplaceWithCloser,      ///< replace the range with the closer of the variant's opener
  JoinLines,              ///< replace the range (a blank line) with one line end
  EscapeBrace,            ///< put a backslash before the brace at fix_at
};

/// The openers a variant names, with their closers ({v} and {c} in templates).
enum class Opener : std::uint8_t { Dollar, DoubleDollar, Paren, Bracket, Left, Brace };
std::string_view opener_text(Opener opener);
std::string_view closer_text(Opener opener);

struct RuleInfo {
  RuleId id;
  std::string_view name;  ///< the stable kebab-case id users see and configure
  Family family;
  Severity severity;
  bool enabled_by_default;
  /// Message template: {0} and {1} become the text of the diagnostic's argument spans, {v} and {c}
  /// the opener and closer its variant names (e.g. the math delimiters).
  std::string_view message;
  std::string_view related_message;  ///< what the related location is ("opened here")
  FixKind fix;
  std::string_view fix_title;  ///< template like message
};

const RuleInfo& rule_info(RuleId id);
std::span<const RuleInfo> all_rules();
std::optional<RuleId> find_rule(std::string_view name);
std::string_view family_name(Family family);

}  // namespace perfectex::validators
