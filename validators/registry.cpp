// The rule table. Messages name the fix; severities follow ../shared/RULES.md: error means LaTeX
// stops on it.
#include <array>

#include "validators/rule.h"

namespace perfectex::validators {
namespace {

using enum RuleId;
constexpr Family F1 = Family::Structure;
constexpr Family F2 = Family::Verbatim;
constexpr Family F3 = Family::Math;
constexpr Family F4 = Family::Typography;
constexpr Family F5 = Family::QuotesDashes;
constexpr Family F6 = Family::References;
constexpr Family F7 = Family::Citations;
constexpr Family F8 = Family::Deprecated;
constexpr Family F9 = Family::Floats;
constexpr Family F10 = Family::Sectioning;
constexpr Family F11 = Family::Preamble;
constexpr Family F12 = Family::Files;
constexpr Family F13 = Family::Macros;
constexpr Family F14 = Family::Mechanics;
constexpr Severity E = Severity::Error;
constexpr Severity W = Severity::Warning;
constexpr Severity I = Severity::Information;
constexpr Severity H = Severity::Hint;

constexpr std::array<RuleInfo, kRuleCount> kRules = {{
    {UnmatchedCloseBrace, "unmatched-close-brace", F1, E, true,
     "unmatched `}`: no group is open here; delete it or add the missing `{`", "",
     FixKind::DeleteRange, "Delete the unmatched }", 10},
    {UnclosedBrace, "unclosed-brace", F1, E, true, "`{` is never closed; add the missing `}`",
     "the enclosing construct ends here", FixKind::InsertCloser, "Insert }"},
    {UnclosedEnvironment, "unclosed-environment", F1, E, true,
     "environment `{0}` is never closed; add `\\end{{0}}`", "the enclosing construct ends here",
     FixKind::InsertEndEnvironment, "Insert \\end{{0}}"},
    {MismatchedEnvironment, "mismatched-environment", F1, E, true,
     "`\\end{{0}}` does not match `\\begin{{1}}`; change it to `\\end{{1}}`",
     "`\\begin{{1}}` is here", FixKind::ReplaceEndEnvironment, "Replace with \\end{{1}}", 9},
    {UnmatchedEnd, "unmatched-end", F1, E, true,
     "`\\end{{0}}` has no matching `\\begin{{0}}`; delete it or add the `\\begin`", "",
     FixKind::DeleteRange, "Delete \\end{{0}}", 10},
    {MissingEnvironmentName, "missing-environment-name", F1, E, true,
     "`{0}` needs an environment name in braces, as in `\\begin{itemize}`", "", FixKind::None, ""},
    {UnclosedMath, "unclosed-math", F1, E, true,
     "math opened with `{v}` is not closed; add the matching `{c}`", "math is cut off here",
     FixKind::InsertCloser, "Insert {c}", 16},
    {MismatchedMathDelimiter, "mismatched-math-delimiter", F1, E, true,
     "`{0}` closes math opened with `{v}`; use `{c}`", "math opened here",
     FixKind::ReplaceWithCloser, "Replace with {c}"},
    {UnmatchedMathClose, "unmatched-math-close", F1, E, true,
     "`{0}` closes math that is not open; delete it or add the opening delimiter", "",
     FixKind::DeleteRange, "Delete {0}", 49},
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
     FixKind::EscapeBrace, "Escape the brace", 43},
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
    // A `}`, the end of the file or (for \newcommand* and \def) a blank line where an argument
    // is due: LaTeX stops ("Argument of \x has an extra }", "Paragraph ended before \x was
    // complete", "File ended while scanning use of \x").
    {MacroMissingArgument, "macro-missing-argument", F13, E, true,
     "`{0}` is missing an argument here; give it every argument its definition asks for",
     "found this instead", FixKind::None, ""},
    // A warning: the use may sit where it is not run yet (\title{\x} before \maketitle).
    {MacroUsedBeforeDefinition, "macro-used-before-definition", F13, W, true,
     "`{0}` is used before the document defines it; move its definition before this use",
     "`{0}` is defined here", FixKind::None, ""},
    {MacroAlreadyDefined, "macro-already-defined", F13, E, true,
     "`{0}` is already defined{r} (LaTeX stops: \"already defined\"); use `\\renewcommand` or "
     "another name",
     "the earlier definition", FixKind::None, ""},
    {MacroRecursion, "macro-recursion", F13, W, true,
     "`{0}` expands into itself too deeply to check (a recursive definition?); the rest of "
     "this use is not checked",
     "", FixKind::None, ""},
    {MacroExpansionTooLong, "macro-expansion-too-long", F13, W, true,
     "the expansion of `{0}` is too long to check; the rest of it is not checked", "",
     FixKind::None, ""},
    {UndefinedCitation, "undefined-citation", F7, W, true,
     "citation key `{0}` is in no bibliography of the project: LaTeX prints ? here; fix the key "
     "or add the entry",
     "", FixKind::None, ""},
    {CitationKeyCase, "citation-key-case", F7, W, true,
     "citation key `{0}` is in the bibliography only with other capitals: LaTeX compares keys "
     "exactly and prints ? here; write the key as the .bib file does",
     "", FixKind::None, ""},
    {UnusedBibEntry, "unused-bib-entry", F7, H, false,
     "entry `{0}` is cited nowhere in the document: BibTeX leaves it out; cite it, add "
     "`\\nocite{{0}}`, or delete it",
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
    // F2 verbatim & environments
    {TextAfterEndVerbatim, "text-after-end-verbatim", F2, I, true,
     "text after `\\end{verbatim}` on the same line may be dropped; move it to the next line", "",
     FixKind::None, "", 31},
    {UnterminatedVerb, "unterminated-verb", F2, E, true,
     "`\\verb` needs its argument between two equal characters on one line, as in `\\verb|x|`; "
     "LaTeX stops with \"\\verb ended by end of line\"",
     "", FixKind::None, "", 14},
    {SwitchAsEnvironment, "switch-as-environment", F2, H, true,
     "`{0}` is a switch, not an environment; write `{\\{0} ...}` or use the text command", "",
     FixKind::None, ""},
    {EnvironmentAsSwitch, "environment-as-switch", F2, I, true,
     "`{0}` is an environment; write `\\begin{...}` ... `\\end{...}` instead of the bare command",
     "", FixKind::None, ""},
    {CenterInFloat, "center-in-float", F2, I, true,
     "`center` inside a float adds vertical space; use `\\centering` instead",
     "`\\end{center}` is here", FixKind::CenterToCentering, "Use \\centering"},
    // F3 math mode
    {DisplayDollars, "display-dollars", F3, I, true,
     "`$$...$$` is plain TeX and spaces badly in LaTeX; use `\\[...\\]`", "",
     FixKind::DisplayDollarsToBrackets, "Replace $$...$$ with \\[...\\]", 45, true},
    {InlineDollars, "inline-dollars", F3, H, false, "use `\\(...\\)` instead of `$...$`", "",
     FixKind::InlineDollarsToParens, "Replace $...$ with \\(...\\)", 46, true},
    {BareMathFunction, "bare-math-function", F3, I, true,
     "`{0}` in math is set as a product of italic letters; use `\\{0}`", "", FixKind::InsertText,
     "Use \\{0}", 35, true},
    {ScriptNeedsBraces, "script-needs-braces", F3, W, true,
     "only the first character of `{0}` is raised or lowered; put it in braces: `{{0}}`", "",
     FixKind::WrapInBraces, "Put {0} in braces", 25, true},
    {ParenthesisBeforeScript, "parenthesis-before-script", F3, H, false,
     "the script attaches to the closing parenthesis only; put the parenthesised group in braces",
     "", FixKind::WrapGroupFrom, "Put the group in braces", 3},
    {Eqnarray, "eqnarray", F3, I, true,
     "`eqnarray` spaces badly around `=`; use `align` from amsmath", "", FixKind::None, ""},
    {OverPrimitive, "over-primitive", F3, I, true,
     "`{0}` is plain TeX; use `\\frac`, `\\binom` or `\\genfrac`", "", FixKind::None, "", 41},
    {MathCommandInText, "math-command-in-text", F3, E, true,
     "`{0}` works only in math: LaTeX stops with \"Missing $ inserted\"; put it in `\\(...\\)`", "",
     FixKind::None, ""},
    {TimesBetweenNumbers, "times-between-numbers", F3, H, true,
     "`{0}` reads better as a multiplication: `$a\\times b$`", "", FixKind::TimesBetweenNumbers,
     "Use \\times", 29},
    {PunctuationInInlineMath, "punctuation-in-inline-math", F3, H, true,
     "punctuation at the end of inline math belongs outside it", "", FixKind::MovePunctuation,
     "Move {0} outside the math", 40, true},
    {PunctuationAfterDisplayMath, "punctuation-after-display-math", F3, H, true,
     "punctuation after display math belongs inside it, before the closing delimiter", "",
     FixKind::MovePunctuation, "Move {0} inside the math", 40, true},
    // F4 spacing & typography
    {SpaceAfterCommand, "space-after-command", F4, I, true,
     "`{0}` swallows the space after it; write `{0}\\ ` or `{0}{}`", "", FixKind::ReplaceWithText,
     "Write \\ after {0}", 1, true},
    {AbbreviationSpace, "abbreviation-space", F4, H, true,
     "the period of `{0}` is not the end of a sentence; use `{r}` after it for a normal space", "",
     FixKind::ReplaceWithText, "Write {r} after {0}", 12, true},
    {SentenceEndAfterCapital, "sentence-end-after-capital", F4, H, true,
     "a sentence ending after a capital gets a short space; write `\\@` before `{0}`", "",
     FixKind::InsertText, "Insert \\@", 13, true},
    {SpaceBeforePunctuation, "space-before-punctuation", F4, H, true,
     "space before `{0}`; delete it", "", FixKind::DeleteRange, "Delete the space", 26, true},
    {SpaceBeforeFootnote, "space-before-footnote", F4, I, true,
     "the space before `\\footnote` shows before the footnote mark; delete it", "",
     FixKind::DeleteRange, "Delete the space", 42, true},
    {SpaceAroundTilde, "space-around-tilde", F4, I, true,
     "a space next to `~` makes a double space; delete it", "", FixKind::DeleteRange,
     "Delete the space", 39, true},
    {MissingItalicCorrection, "missing-italic-correction", F4, H, true,
     "italic text followed by upright text needs an italic correction; insert `\\/` before `}`", "",
     FixKind::InsertText, "Insert \\/", 6, true},
    {RedundantItalicCorrection, "redundant-italic-correction", F4, H, true,
     "`\\/` does nothing useful here (upright text, or `\\emph`/`\\textit` adds it); delete it", "",
     FixKind::DeleteRange, "Delete \\/", 4, true},
    {DuplicateItalicCorrection, "duplicate-italic-correction", F4, H, true,
     "second `\\/` in the same italic group; keep only the one at the end", "",
     FixKind::DeleteRange, "Delete \\/", 5, true},
    {ItalicCorrectionBeforePunctuation, "italic-correction-before-punctuation", F4, H, true,
     "no italic correction before a period or comma; delete `\\/`", "", FixKind::DeleteRange,
     "Delete \\/", 28, true},
    {SpaceBeforeItalicCorrection, "space-before-italic-correction", F4, H, true,
     "space before `\\/`; delete it", "", FixKind::DeleteRange, "Delete the space", 42, true},
    {AccentOnDottedLetter, "accent-on-dotted-letter", F4, I, true,
     "an accent on `{0}` keeps its dot; use the dotless `{r}`", "", FixKind::ReplaceArgument,
     "Use {r}", 7},
    {MultipleSpaces, "multiple-spaces", F4, H, false,
     "several spaces in a row count as one; use one space (or `\\quad` for a wide space)", "",
     FixKind::ReplaceWithText, "Use one space", 30, true},
    // F5 quotes, dashes, ellipsis
    {StraightDoubleQuote, "straight-double-quote", F5, I, true,
     "a straight `\"` prints as a closing quote; use {r} instead", "", FixKind::ReplaceWithText,
     "Use {r}", 18, true},
    {WrongOpeningQuote, "wrong-opening-quote", F5, I, true,
     "`{0}` opens a quotation but prints as a closing quote; use `{r}`", "",
     FixKind::ReplaceWithText, "Use {r}", 32, true},
    {WrongClosingQuote, "wrong-closing-quote", F5, I, true,
     "`{0}` closes a quotation but prints as an opening quote; use `{r}`", "",
     FixKind::ReplaceWithText, "Use {r}", 33, true},
    {MixedQuotes, "mixed-quotes", F5, I, true,
     "`{0}` mixes quote characters; write the quotes separately, as in ``\\,`", "", FixKind::None,
     "", 34},
    {TripleQuote, "triple-quote", F5, H, true,
     "three quotes in a row are ambiguous; separate them with a thin space: `{r}`", "",
     FixKind::ReplaceWithText, "Use {r}", 23},
    {AcuteAccentAsQuote, "acute-accent-as-quote", F5, I, true,
     "`{0}` is an acute accent, not an apostrophe; use `'`", "", FixKind::ReplaceWithText, "Use '",
     19, true},
    {Ellipsis, "ellipsis", F5, I, true, "use `{r}` for an ellipsis; `...` spaces the dots badly",
     "", FixKind::ReplaceWithText, "Use {r}", 11, true},
    {WrongEllipsis, "wrong-ellipsis", F5, H, true,
     "`{0}` here should be `{r}`: dots sit on the baseline between commas and centred between "
     "operators",
     "", FixKind::ReplaceWithText, "Use {r}", 11, true},
    {HyphenAsDash, "hyphen-as-dash", F5, I, true,
     "a hyphen between words with spaces is a dash; use `--` (or `---` without spaces)", "",
     FixKind::ReplaceWithText, "Use --", 8},
    {EnDashBetweenWords, "en-dash-between-words", F5, I, false,
     "`--` joins two lowercase words; use a hyphen `-`", "", FixKind::ReplaceWithText, "Use -", 8},
    {EmDashBetweenNumbers, "em-dash-between-numbers", F5, I, true,
     "a range of numbers takes an en dash `--`, not `---`", "", FixKind::ReplaceWithText, "Use --",
     8, true},
    // F6 references & labels
    {SpaceBeforeRef, "space-before-ref", F6, I, true,
     "a line may break before `{0}`; use `~` instead of the space", "", FixKind::ReplaceWithText,
     "Use ~", 2, true},
    {UndefinedReference, "undefined-reference", F6, W, true,
     "no `\\label{{0}}` in this document or the files it includes; the reference prints as "
     "\"??\"",
     "", FixKind::None, ""},
    {DuplicateLabel, "duplicate-label", F6, W, true,
     "label `{0}` is defined twice; references go to one of them; rename one", "first defined here",
     FixKind::None, ""},
    {UnusedLabel, "unused-label", F6, H, false, "label `{0}` is never referenced", "",
     FixKind::None, ""},
    {BadLabelKey, "bad-label-key", F6, H, true,
     "label key `{0}` has characters that break `\\ref`, hyperref or cleveref; use letters, "
     "digits and `:-_.`",
     "", FixKind::None, ""},
    {SpaceBeforeLabel, "space-before-label", F6, I, true,
     "the space before `{0}` can separate the anchor from its text; delete it", "",
     FixKind::DeleteRange, "Delete the space", 24, true},
    // F8 deprecated & obsolete
    {DeprecatedFontCommand, "deprecated-font-command", F8, I, true,
     "`{0}` is obsolete (LaTeX 2.09) and does not combine with other font changes; use `{r}`", "",
     FixKind::GroupSwitchToCommand, "Use {r}"},
    {FontSwitchWithArgument, "font-switch-with-argument", F8, W, true,
     "`{0}` is a switch and takes no argument: it applies to everything after it; use `{r}{...}`",
     "", FixKind::ReplaceArgument, "Use {r}"},
    {Centerline, "centerline", F8, I, true,
     "`\\centerline` is plain TeX; use `{\\centering ...\\par}` or a `center` environment", "",
     FixKind::None, ""},
    {TexPrimitive, "tex-primitive", F8, H, false,
     "`{0}` is a TeX primitive; prefer the LaTeX command that does this", "", FixKind::None, "",
     41},
    {DefInDocument, "def-in-document", F8, H, true,
     "`\\def` silently overwrites existing commands; use `\\newcommand` (in the preamble)", "",
     FixKind::None, ""},
    {ObsoletePackage, "obsolete-package", F8, I, true,
     "package `{0}` is obsolete; use `{r}` instead", "", FixKind::None, ""},
    // F9 floats
    {FloatWithoutCaption, "float-without-caption", F9, I, true,
     "this float has no `\\caption`; add one (a `\\label` in it refers to the section otherwise)",
     "", FixKind::None, ""},
    {LabelBeforeCaption, "label-before-caption", F9, W, true,
     "`\\label` before `\\caption` refers to the section, not the float; move it after the caption",
     "the caption is here", FixKind::None, ""},
    {AbsoluteImagePath, "absolute-image-path", F9, W, true,
     "absolute path `{0}` breaks on other machines; use a path relative to the document", "",
     FixKind::None, ""},
    {HerePlacementAlone, "here-placement-alone", F9, I, true,
     "placement `[h]` alone is too strict: LaTeX changes it to `[ht]`; use `[htbp]`", "",
     FixKind::ReplaceWithText, "Use htbp"},
    // F10 sectioning
    {SectionLevelSkip, "section-level-skip", F10, I, true,
     "`{0}` skips a level after `{1}`; use the next level down", "the previous heading",
     FixKind::None, ""},
    {EmptySectionTitle, "empty-section-title", F10, W, true,
     "`{0}` has an empty title; write one, or use `\\section*{}` for an unnumbered heading", "",
     FixKind::None, ""},
    {LineBreakAtParagraphEnd, "linebreak-at-paragraph-end", F10, W, true,
     "`\\\\` at the end of a paragraph makes an underfull line; delete it (use `\\par` or a blank "
     "line)",
     "", FixKind::DeleteRange, "Delete \\\\", 0, true},
    // F14 mechanics
    {UnknownRuleInComment, "unknown-rule-in-comment", F14, W, true,
     "unknown rule id `{0}` in a suppression comment; the ids are listed in the README", "",
     FixKind::None, ""},
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
    case Family::Verbatim:
      return "F2 verbatim & environments";
    case Family::Math:
      return "F3 math mode";
    case Family::Typography:
      return "F4 spacing & typography";
    case Family::QuotesDashes:
      return "F5 quotes, dashes, ellipsis";
    case Family::References:
      return "F6 references & labels";
    case Family::Citations:
      return "F7 citations & bibliography";
    case Family::Deprecated:
      return "F8 deprecated & obsolete";
    case Family::Floats:
      return "F9 floats, figures, tables";
    case Family::Sectioning:
      return "F10 sectioning";
    case Family::Preamble:
      return "F11 preamble & packages";
    case Family::Files:
      return "F12 files & includes";
    case Family::Macros:
      return "F13 user macros";
    case Family::Mechanics:
      return "F14 suppression & configuration";
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
