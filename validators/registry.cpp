// The rule table. Messages name the fix; severities follow ../shared/RULES.md: error means LaTeX
// stops on it.
#include <array>

#include "validators/rule.h"

namespace perfectex::validators {
namespace {

using enum RuleId;
constexpr Family F1 = Family::Structure;
constexpr Family F6 = Family::References;
constexpr Family F7 = Family::Citations;
constexpr Family F11 = Family::Preamble;
constexpr Family F12 = Family::Files;
constexpr Severity E = Severity::Error;
constexpr Severity W = Severity::Warning;
constexpr Severity I = Severity::Information;
constexpr Severity H = Severity::Hint;

constexpr std::array<RuleInfo, kRuleCount> kRules = {{
    {UnmatchedCloseBrace, "unmatched-close-brace", F1, E, true,
     "unmatched `}`: no group is open here; delete it or add the missing `{`", "",
     FixKind::DeleteRange, "Delete the unmatched }"},
    {UnclosedBrace, "unclosed-brace", F1, E, true, "`{` is never closed; add the missing `}`",
     "the enclosing construct ends here", FixKind::InsertCloser, "Insert }"},
    {UnclosedEnvironment, "unclosed-environment", F1, E, true,
     "environment `{0}` is never closed; add `\\end{{0}}`", "the enclosing construct ends here",
     FixKind::InsertEndEnvironment, "Insert \\end{{0}}"},
    {MismatchedEnvironment, "mismatched-environment", F1, E, true,
     "`\\end{{0}}` does not match `\\begin{{1}}`; change it to `\\end{{1}}`",
     "`\\begin{{1}}` is here", FixKind::ReplaceEndEnvironment, "Replace with \\end{{1}}"},
    {UnmatchedEnd, "unmatched-end", F1, E, true,
     "`\\end{{0}}` has no matching `\\begin{{0}}`; delete it or add the `\\begin`", "",
     FixKind::DeleteRange, "Delete \\end{{0}}"},
    {MissingEnvironmentName, "missing-environment-name", F1, E, true,
     "`{0}` needs an environment name in braces, as in `\\begin{itemize}`", "", FixKind::None, ""},
    {UnclosedMath, "unclosed-math", F1, E, true,
     "math opened with `{v}` is not closed; add the matching `{c}`", "math is cut off here",
     FixKind::InsertCloser, "Insert {c}"},
    {MismatchedMathDelimiter, "mismatched-math-delimiter", F1, E, true,
     "`{0}` closes math opened with `{v}`; use `{c}`", "math opened here",
     FixKind::ReplaceWithCloser, "Replace with {c}"},
    {UnmatchedMathClose, "unmatched-math-close", F1, E, true,
     "`{0}` closes math that is not open; delete it or add the opening delimiter", "",
     FixKind::DeleteRange, "Delete {0}"},
    {ParagraphInMath, "paragraph-in-math", F1, E, true,
     "blank line inside math (`{0}`): TeX stops with \"Missing $ inserted\"; remove the blank line "
     "or "
     "comment it out with `%`",
     "math opened here", FixKind::JoinLines, "Remove the blank line"},
    {UnclosedLeft, "unclosed-left", F1, E, true,
     "`{0}` has no matching `\\right`; add `\\right.` or the closing delimiter",
     "the enclosing construct ends here", FixKind::InsertCloser, "Insert \\right."},
    {UnmatchedRight, "unmatched-right", F1, E, true,
     "`{0}` has no matching `\\left`; add `\\left.` before it or use `\\bigr`", "", FixKind::None,
     ""},
    {LeftRightAcrossAlignment, "left-right-across-alignment", F1, E, true,
     "`\\left`...`\\right` cannot span `{0}`; close with `\\right.` before it and reopen with "
     "`\\left.` after, or use `\\bigl`/`\\bigr`",
     "`\\left` is here", FixKind::None, ""},
    {LeftBraceDelimiter, "left-brace-delimiter", F1, E, true,
     "`{0}` uses a brace, which is not a delimiter; escape it as `\\{` or `\\}`", "",
     FixKind::EscapeBrace, "Escape the brace"},
    {MissingBeginDocument, "missing-begin-document", F1, E, true,
     "the file has `\\documentclass` but no `\\begin{document}`; add it after the preamble", "",
     FixKind::None, ""},
    {DuplicateBeginDocument, "duplicate-begin-document", F1, E, true,
     "`\\begin{document}` appears a second time; delete this one", "the first `\\begin{document}`",
     FixKind::DeleteRange, "Delete the second \\begin{document}"},
    {TextAfterEndDocument, "text-after-end-document", F1, Severity::Information, true,
     "text after `\\end{document}` is ignored by LaTeX; delete it or move it before "
     "`\\end{document}`",
     "", FixKind::None, ""},
    {NestingTooDeep, "nesting-too-deep", F1, Severity::Warning, true,
     "groups are nested more than 4096 levels deep here; the structure inside is not checked", "",
     FixKind::None, ""},
    {UndefinedReference, "undefined-reference", F6, W, true,
     "no `\\label{{0}}` in the project: LaTeX prints ?? here; fix the key or add the label", "",
     FixKind::None, ""},
    {DuplicateLabel, "duplicate-label", F6, W, true,
     "label `{0}` is defined twice: references go to one of them; rename one", "first defined here",
     FixKind::None, ""},
    {UnusedLabel, "unused-label", F6, H, false, "label `{0}` is never referenced", "",
     FixKind::None, ""},
    {UndefinedCitation, "undefined-citation", F7, W, true,
     "citation key `{0}` is in no bibliography of the project: LaTeX prints ? here; fix the key "
     "or add the entry",
     "", FixKind::None, ""},
    {MissingInputFile, "missing-input-file", F12, E, true,
     "file `{0}` is not found: LaTeX stops here; fix the path or add the file", "", FixKind::None,
     ""},
    {MissingIncludeFile, "missing-include-file", F12, W, true,
     "file `{0}.tex` is not found: LaTeX skips it with a warning; fix the path or add the file", "",
     FixKind::None, ""},
    {MissingGraphicsFile, "missing-graphics-file", F12, E, true,
     "image `{0}` is not found (with the allowed extensions, in the graphics paths): LaTeX stops "
     "here; fix the path or add the image",
     "", FixKind::None, ""},
    {MissingBibliographyFile, "missing-bibliography-file", F12, W, true,
     "bibliography `{0}` is not found: citations stay undefined; fix the path or add the file", "",
     FixKind::None, ""},
    {IncludeCycle, "include-cycle", F12, E, true,
     "including `{0}` here closes a cycle: LaTeX would read it forever; remove one of the "
     "includes",
     "", FixKind::None, ""},
    {PackageAfterBeginDocument, "package-after-begin-document", F11, E, true,
     "package `{0}` is loaded after `\\begin{document}`: move it to the preamble", "",
     FixKind::None, ""},
    {DuplicatePackage, "duplicate-package", F11, I, true,
     "package `{0}` is loaded twice; the second load is ignored, or clashes if its options "
     "differ: remove it",
     "first loaded here", FixKind::DeleteRange, "Remove this \\usepackage"},
    // F7, .bib files. Errors: BibTeX and biber report them and skip (part of) the entry, so its
    // citations print as "??". Warnings: they report it and go on, and the output may be wrong.
    {BibUnclosedEntry, "bib-unclosed-entry", F7, E, true,
     "entry `{0}` is never closed; close its `{1}` after the last field",
     "the next entry starts here", FixKind::None, ""},
    {BibUnclosedBrace, "bib-unclosed-brace", F7, E, true,
     "this `{` is never closed; add the missing `}` at the end of the value",
     "the next entry starts here", FixKind::None, ""},
    {BibUnclosedQuote, "bib-unclosed-quote", F7, E, true,
     "this `\"` is never closed; add the closing `\"` (a `\"` inside a value must be in braces, "
     "as in `{\"}`)",
     "the next entry starts here", FixKind::None, ""},
    {BibMissingKey, "bib-missing-key", F7, E, true,
     "the `@{0}` entry has no citation key; add one right after `{1}`, followed by a comma", "",
     FixKind::None, ""},
    {BibMissingEquals, "bib-missing-equals", F7, E, true,
     "field `{0}` has no `=`; write it as `{0} = {...}`", "", FixKind::None, ""},
    {BibMissingComma, "bib-missing-comma", F7, E, true,
     "missing `,` before `{0}`; separate the key and the fields with commas", "", FixKind::None,
     ""},
    {BibMissingValue, "bib-missing-value", F7, E, true,
     "field `{0}` has no value here; give one in braces, as in `{0} = {...}`", "", FixKind::None,
     ""},
    {BibUnexpectedText, "bib-unexpected-text", F7, E, true,
     "unexpected `{0}`: a field (`name = {...}`), a `,` or the end of the entry belongs here; "
     "delete it or complete the field",
     "", FixKind::None, ""},
    {BibBareValue, "bib-bare-value", F7, E, true,
     "`{0}` must be in braces, as in `{{0}}`: only numbers and `@string` names stand without them",
     "", FixKind::None, ""},
    {BibStrayAtSign, "bib-stray-at-sign", F7, W, true,
     "`{0}` is not followed by `{` or `(`, but BibTeX reads every `@` as the start of an entry and "
     "reports an error; remove the `@` or complete the entry",
     "", FixKind::None, ""},
    {BibUndefinedString, "bib-undefined-string", F7, W, true,
     "`{0}` is not an `@string` defined before this point, so BibTeX uses an empty text; define it "
     "above with `@string{{0} = {...}}` or put the text in braces",
     "", FixKind::None, ""},
    {BibDuplicateKey, "bib-duplicate-key", F7, W, true,
     "duplicate key `{0}`: BibTeX and biber use only the first entry with this key; rename or "
     "delete this one",
     "the first entry with this key", FixKind::None, ""},
    {BibDuplicateKeyCase, "bib-duplicate-key-case", F7, W, true,
     "key `{0}` differs from `{1}` only in case: BibTeX treats them as one key and uses the first "
     "entry, biber as two; rename one of them",
     "`{1}` is here", FixKind::None, ""},
    {BibDuplicateField, "bib-duplicate-field", F7, W, true,
     "field `{0}` appears twice in this entry; BibTeX uses the first and ignores this one: delete "
     "one of them",
     "the first `{0}`", FixKind::None, ""},
}};

constexpr bool table_in_order() {
  for (std::size_t i = 0; i < kRules.size(); ++i) {
    if (static_cast<std::size_t>(kRules[i].id) != i) return false;
  }
  return true;
}
static_assert(table_in_order(), "kRules must list rules in RuleId order");

}  // namespace

const RuleInfo& rule_info(RuleId id) {
  return kRules[static_cast<std::size_t>(id)];
}

std::span<const RuleInfo> all_rules() {
  return kRules;
}

std::optional<RuleId> find_rule(std::string_view name) {
  for (const RuleInfo& info : kRules) {
    if (info.name == name) return info.id;
  }
  return std::nullopt;
}

std::string_view family_name(Family family) {
  switch (family) {
    case Family::Structure:
      return "F1 grouping & structure";
    case Family::References:
      return "F6 references & labels";
    case Family::Citations:
      return "F7 citations & bibliography";
    case Family::Preamble:
      return "F11 preamble & packages";
    case Family::Files:
      return "F12 files & includes";
  }
  return "";
}

std::string_view opener_text(Opener opener) {
  static constexpr std::string_view kText[] = {"$", "$$", "\\(", "\\[", "\\left", "{"};
  return kText[static_cast<std::size_t>(opener)];
}

std::string_view closer_text(Opener opener) {
  static constexpr std::string_view kText[] = {"$", "$$", "\\)", "\\]", "\\right.", "}"};
  return kText[static_cast<std::size_t>(opener)];
}

}  // namespace perfectex::validators
