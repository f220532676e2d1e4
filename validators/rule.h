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
  Structure = 1,     // F1 grouping & structure
  Verbatim = 2,      // F2 verbatim & environments
  Math = 3,          // F3 math mode
  Typography = 4,    // F4 spacing & typography
  QuotesDashes = 5,  // F5 quotes, dashes, ellipsis
  References = 6,    // F6 references & labels (across the files of a document)
  Citations = 7,     // F7 citations & bibliography
  Deprecated = 8,    // F8 deprecated & obsolete
  Floats = 9,        // F9 floats, figures, tables
  Sectioning = 10,   // F10 sectioning
  Preamble = 11,     // F11 preamble & packages
  Files = 12,        // F12 files & includes
  Macros = 13,       // F13 user macros
  Mechanics = 14,    // F14 suppression comments and configuration
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
  MacroMissingArgument,
  MacroUsedBeforeDefinition,
  MacroAlreadyDefined,
  MacroRecursion,
  MacroExpansionTooLong,
  // Across the files of a project (project_rules.h)
  UndefinedCitation,
  CitationKeyCase,
  UnusedBibEntry,
  MissingInputFile,
  MissingIncludeFile,
  MissingGraphicsFile,
  MissingBibliographyFile,
  IncludeCycle,
  PackageAfterBeginDocument,
  DuplicatePackage,
  // F2
  TextAfterEndVerbatim,
  UnterminatedVerb,
  SwitchAsEnvironment,
  EnvironmentAsSwitch,
  CenterInFloat,
  // F3
  DisplayDollars,
  InlineDollars,
  BareMathFunction,
  ScriptNeedsBraces,
  ParenthesisBeforeScript,
  Eqnarray,
  OverPrimitive,
  MathCommandInText,
  TimesBetweenNumbers,
  PunctuationInInlineMath,
  PunctuationAfterDisplayMath,
  // F4
  SpaceAfterCommand,
  AbbreviationSpace,
  SentenceEndAfterCapital,
  SpaceBeforePunctuation,
  SpaceBeforeFootnote,
  SpaceAroundTilde,
  MissingItalicCorrection,
  RedundantItalicCorrection,
  DuplicateItalicCorrection,
  ItalicCorrectionBeforePunctuation,
  SpaceBeforeItalicCorrection,
  AccentOnDottedLetter,
  MultipleSpaces,
  // F5
  StraightDoubleQuote,
  WrongOpeningQuote,
  WrongClosingQuote,
  MixedQuotes,
  TripleQuote,
  AcuteAccentAsQuote,
  Ellipsis,
  WrongEllipsis,
  HyphenAsDash,
  EnDashBetweenWords,
  EmDashBetweenNumbers,
  // F6
  SpaceBeforeRef,
  UndefinedReference,
  DuplicateLabel,
  UnusedLabel,
  BadLabelKey,
  SpaceBeforeLabel,
  // F8
  DeprecatedFontCommand,
  FontSwitchWithArgument,
  Centerline,
  TexPrimitive,
  DefInDocument,
  ObsoletePackage,
  // F9
  FloatWithoutCaption,
  LabelBeforeCaption,
  AbsoluteImagePath,
  HerePlacementAlone,
  // F10
  SectionLevelSkip,
  EmptySectionTitle,
  LineBreakAtParagraphEnd,
  // F14
  UnknownRuleInComment,
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
  DeleteRange,               ///< delete the diagnostic's range
  InsertEndEnvironment,      ///< insert \end{arg0} at fix_at
  ReplaceEndEnvironment,     ///< replace the range with \end{arg1}
  InsertCloser,              ///< insert the closer of the variant's opener at fix_at
  ReplaceWithCloser,         ///< replace the range with the closer of the variant's opener
  JoinLines,                 ///< replace the range (a blank line) with one line end
  EscapeBrace,               ///< put a backslash before the brace at fix_at
  ReplaceWithText,           ///< replace the range with the variant's text (variant_text)
  InsertText,                ///< insert the variant's text at fix_at
  ReplaceArgument,           ///< replace args[0] with the variant's text
  WrapInBraces,              ///< put the range in braces
  WrapGroupFrom,             ///< put fix_at .. range.begin in braces
  DisplayDollarsToBrackets,  ///< $$..$$ (the range) becomes \[..\]
  InlineDollarsToParens,     ///< $..$ (the range) becomes \(..\)
  MovePunctuation,           ///< move args[0] (punctuation) to fix_at
  TimesBetweenNumbers,       ///< 640x200 (the range; x at fix_at) becomes $640\times 200$
  CenterToCentering,         ///< \begin{center} (range) -> \centering, delete related (\end)
  GroupSwitchToCommand,      ///< {\bf x} -> \textbf{x}: group at fix_at, switch in args[0]
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
  std::uint8_t chktex = 0;     ///< the ChkTeX warning number this rule answers to (0: none)
  /// `perfectex check --fix` applies this rule's fix: it is mechanical and keeps the meaning.
  bool safe_fix = false;
};

const RuleInfo& rule_info(RuleId id);
std::span<const RuleInfo> all_rules();
std::optional<RuleId> find_rule(std::string_view name);
std::string_view family_name(Family family);
/// Text that depends on a diagnostic's variant ({r} in templates, and the replacement of
/// ReplaceWithText, InsertText and ReplaceArgument fixes); empty when the rule has none.
std::string_view variant_text(RuleId id, std::uint8_t variant);

}  // namespace perfectex::validators
