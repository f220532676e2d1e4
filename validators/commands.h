// The commands the rule families look at, classified once per control word by a small hash table,
// so the families switch on an id instead of comparing strings (DESIGN.md §3: one cheap lookup
// per token). Threading: immutable static table; safe from any thread.
#pragma once

#include <cstdint>
#include <string_view>

namespace perfectex::validators {

enum class Cmd : std::uint8_t {
  None,
  // Pseudo-commands for tokens that are not control words (set by the mode tracker).
  Text,        ///< a Text token outside verbatim, code and definitions
  Space,       ///< a run of two or more spaces between words (only when multiple-spaces is on)
  Tilde,       ///< ~
  Script,      ///< ^ or _
  ItalicCorrection,  ///< \/
  Accent,            ///< \' \` \^ \" \~ \= \.
  LineBreak,         ///< "\\"
  ItalicGroupEnd,    ///< the } closing a group that switched to italic ({\it ...})
  Comment,           ///< a % comment (suppression comments are read from these)
  // Control words.
  Begin,
  End,
  DocumentClass,
  Input,  ///< \input \include \import \subfile: labels may live in other files
  Usepackage,
  Label,
  Ref,        ///< \ref \eqref \pageref \cite and kin that want a tie before them
  OtherRef,   ///< \autoref \cref ... (print their own name: no tie wanted)
  Index,
  Footnote,
  Caption,
  Includegraphics,
  Section,  ///< \part ... \subparagraph
  OldFont,       ///< \bf \it \rm \sc \sf \tt \sl \cal
  FontSwitch,    ///< \bfseries \large ...: switches that take no argument
  ItalicSwitch,  ///< \itshape \em \slshape (italic modern switches)
  ItalicCommand,  ///< \textit \emph \textsl: add their own italic correction
  Centerline,
  OverPrimitive,  ///< \over \atop \choose \above
  Primitive,      ///< other TeX primitives (C41)
  Def,            ///< \def \gdef \edef \xdef
  TextProducing,  ///< \LaTeX \TeX \today \dots ...: print text and swallow the following space
  Ellipsis,       ///< \ldots \cdots \dots
  MathAccent,     ///< \hat \tilde \bar ...
  FrenchSpacing,
  NonFrenchSpacing,
  Verb,
  EnvironmentSwitch,  ///< \center \flushleft \itemize ... used as switches
  MathOnly,           ///< \alpha \frac \sum ...: LaTeX stops on them outside math
  kCount,
};

/// What the arguments (brace groups and [options]) right after a command hold.
enum class ArgClass : std::uint8_t {
  Unknown,      ///< a command the table does not know: its groups are checked as prose, carefully
  None,         ///< a known command without arguments: a group after it is an ordinary group
  Text,         ///< prose (\emph, \section, \footnote, \text inside math)
  Math,         ///< math (\ensuremath)
  Opaque,       ///< keys, names, paths, lengths (\label, \cite, \includegraphics, \mathrm)
  Definition,   ///< \newcommand and kin: the body is not checked
  VerbatimEnv,  ///< \DefineVerbatimEnvironment, \lstnewenvironment: declares a verbatim environment
  ShortVerb,    ///< \MakeShortVerb, \lstMakeShortInline: declares a verbatim delimiter
  DeleteShortVerb,
  Code,        ///< \tikz, \xymatrix: picture code
  TheoremDecl,  ///< \newtheorem: declares a prose environment
};

/// Whether the arguments right after a command can hold a blank line.
enum class Paragraphs : std::uint8_t {
  Allowed,    ///< \long arguments, or a command the table cannot vouch for
  Never,      ///< read without \long (a heading, a math alphabet), or keys, names, paths, lengths
  NotInMath,  ///< \text: \mbox in text, an argument read without \long in math
};

struct CommandInfo {
  Cmd cmd = Cmd::None;
  ArgClass args = ArgClass::Unknown;
  Paragraphs paragraphs = Paragraphs::Allowed;
};

/// The class of a control word given its name without the backslash.
CommandInfo classify_command(std::string_view name);

}  // namespace perfectex::validators
