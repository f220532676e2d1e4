#include "validators/replacements.h"

#include <array>

#include "validators/rule.h"

namespace perfectex::validators {
namespace {

constexpr FontEntry kFonts[] = {
    {"bf", "\\textbf", "\\textbf{...} or \\bfseries"},
    {"it", "\\textit", "\\textit{...} or \\itshape"},
    {"rm", "\\textrm", "\\textrm{...} or \\rmfamily"},
    {"sc", "\\textsc", "\\textsc{...} or \\scshape"},
    {"sf", "\\textsf", "\\textsf{...} or \\sffamily"},
    {"tt", "\\texttt", "\\texttt{...} or \\ttfamily"},
    {"sl", "\\textsl", "\\textsl{...} or \\slshape"},
    {"cal", "\\mathcal", "\\mathcal{...}"},
    {"em", "\\emph", ""},
    {"bfseries", "\\textbf", ""},
    {"itshape", "\\textit", ""},
    {"slshape", "\\textsl", ""},
    {"scshape", "\\textsc", ""},
    {"upshape", "\\textup", ""},
    {"mdseries", "\\textmd", ""},
    {"rmfamily", "\\textrm", ""},
    {"sffamily", "\\textsf", ""},
    {"ttfamily", "\\texttt", ""},
    {"normalfont", "\\textnormal", ""},
};

constexpr PackageEntry kPackages[] = {
    {"a4", "geometry"},           {"a4wide", "geometry"},
    {"anysize", "geometry"},      {"epsfig", "graphicx"},
    {"psfig", "graphicx"},        {"times", "newtxtext and newtxmath (or mathptmx)"},
    {"pslatex", "newtxtext and newtxmath"},
    {"palatino", "mathpazo (or newpxtext and newpxmath)"},
    {"mathpple", "mathpazo"},     {"utopia", "fourier"},
    {"doublespace", "setspace"},  {"scrpage2", "scrlayer-scrpage"},
    {"subfigure", "subcaption"},  {"fancyheadings", "fancyhdr"},
    {"isolatin1", "inputenc"},    {"isolatin", "inputenc"},
    {"umlaut", "inputenc"},       {"t1enc", "fontenc with option T1"},
    {"caption2", "caption"},      {"glossary", "glossaries"},
    {"ae", "lmodern"},            {"zefonts", "lmodern"},
    {"nthm", "ntheorem (or amsthm)"}, {"floatfig", "floatflt"},
    {"dinat", "natdin"},          {"euler", "eulervm"},
};

}  // namespace

std::span<const FontEntry> font_table() {
  return kFonts;
}

std::optional<std::uint8_t> font_index(std::string_view name) {
  for (std::size_t k = 0; k < std::size(kFonts); ++k) {
    if (kFonts[k].name == name) return static_cast<std::uint8_t>(k);
  }
  return std::nullopt;
}

std::span<const PackageEntry> obsolete_packages() {
  return kPackages;
}

std::optional<std::uint8_t> obsolete_package_index(std::string_view name) {
  for (std::size_t k = 0; k < std::size(kPackages); ++k) {
    if (kPackages[k].name == name) return static_cast<std::uint8_t>(k);
  }
  return std::nullopt;
}

std::string_view variant_text(RuleId id, std::uint8_t v) {
  auto pick = [v](std::initializer_list<std::string_view> list) -> std::string_view {
    return v < list.size() ? list.begin()[v] : std::string_view{};
  };
  switch (id) {
    case RuleId::BareMathFunction:
      return "\\";
    case RuleId::SpaceAfterCommand:
      return "\\ ";
    case RuleId::AbbreviationSpace:
      return pick({"\\ ", "~"});
    case RuleId::SentenceEndAfterCapital:
      return "\\@";
    case RuleId::MissingItalicCorrection:
      return "\\/";
    case RuleId::AccentOnDottedLetter:
      return pick({"{\\i}", "{\\j}", "\\imath", "\\jmath"});
    case RuleId::MultipleSpaces:
      return " ";
    case RuleId::StraightDoubleQuote:
      return pick({"``", "''"});
    case RuleId::WrongOpeningQuote:
      return pick({"`", "``"});
    case RuleId::WrongClosingQuote:
      return pick({"'", "''"});
    case RuleId::TripleQuote:
      return pick({"``\\,`", "''\\,'"});
    case RuleId::AcuteAccentAsQuote:
      return "'";
    case RuleId::Ellipsis:
    case RuleId::WrongEllipsis:
      return pick({"\\dots", "\\ldots", "\\cdots"});
    case RuleId::HyphenAsDash:
    case RuleId::EmDashBetweenNumbers:
      return "--";
    case RuleId::EnDashBetweenWords:
      return "-";
    case RuleId::SpaceBeforeRef:
      return "~";
    case RuleId::DeprecatedFontCommand:
      return v < std::size(kFonts) ? kFonts[v].modern : std::string_view{};
    case RuleId::FontSwitchWithArgument:
      return v < std::size(kFonts) ? kFonts[v].command : std::string_view{};
    case RuleId::ObsoletePackage:
      return v < std::size(kPackages) ? kPackages[v].replacement : std::string_view{};
    case RuleId::HerePlacementAlone:
      return "htbp";
    case RuleId::MacroAlreadyDefined:  // 1: by the prelude (the preamble or a file it reads)
      return pick({"", " in the project's preamble or macro files"});
    default:
      return {};
  }
}

}  // namespace perfectex::validators
