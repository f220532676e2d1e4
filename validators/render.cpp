#include "validators/render.h"

#include "validators/replacements.h"

namespace perfectex::validators {
namespace {

std::string_view slice(std::string_view text, Span s) {
  if (s.begin > text.size() || s.end > text.size() || s.end < s.begin) return {};
  return text.substr(s.begin, s.end - s.begin);
}

// The texts a diagnostic's quoted spans are in.
struct Texts {
  std::string_view document, prelude;
  std::string_view quote(const Diagnostic& d, std::uint8_t bit, Span s) const {
    return slice((d.in_prelude & bit) != 0 ? prelude : document, s);
  }
  std::string_view arg(const Diagnostic& d, int k) const {
    return quote(d, k == 0 ? kArg0InPrelude : kArg1InPrelude, d.args[k]);
  }
};

// Fills {0} {1} {v} {c} in a template.
std::string fill(std::string_view tmpl, const Diagnostic& d, const Texts& texts) {
  std::string out;
  out.reserve(tmpl.size() + 32);
  auto opener = static_cast<Opener>(d.variant);
  for (std::size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl[i] == '{' && i + 2 < tmpl.size() && tmpl[i + 2] == '}') {
      char key = tmpl[i + 1];
      if (key == '0' || key == '1') {
        out += texts.arg(d, key - '0');
        i += 2;
        continue;
      }
      if (key == 'r') {
        out += variant_text(d.rule, d.variant);
        i += 2;
        continue;
      }
      if (key == 'v' || key == 'c') {
        out += key == 'v' ? opener_text(opener) : closer_text(opener);
        i += 2;
        continue;
      }
    }
    out += tmpl[i];
  }
  return out;
}

}  // namespace

std::string_view quoted(const Diagnostic& d, int k, std::string_view text,
                        std::string_view prelude) {
  Texts texts{text, prelude};
  return k < 2 ? texts.arg(d, k) : texts.quote(d, kExpansionInPrelude, d.expansion);
}

std::string render_message(const Diagnostic& d, std::string_view text, std::string_view prelude) {
  Texts texts{text, prelude};
  std::string message = fill(rule_info(d.rule).message, d, texts);
  if (!d.expansion.empty()) {
    message +=
        d.expansion_environment ? " (in the expansion of environment `" : " (in the expansion of `";
    message += texts.quote(d, kExpansionInPrelude, d.expansion);
    message += "`)";
  }
  return message;
}

std::string render_related_message(const Diagnostic& d, std::string_view text,
                                   std::string_view prelude) {
  return fill(rule_info(d.rule).related_message, d, Texts{text, prelude});
}

std::optional<Fix> make_fix(const Diagnostic& d, std::string_view text, std::string_view prelude) {
  const RuleInfo& info = rule_info(d.rule);
  if ((d.in_prelude & kFixInPrelude) != 0) return std::nullopt;
  Texts texts{text, prelude};
  Fix fix{fill(info.fix_title, d, texts), {}};
  auto opener = static_cast<Opener>(d.variant);
  switch (info.fix) {
    case FixKind::None:
      return std::nullopt;
    case FixKind::DeleteRange:
      fix.edits.push_back({d.range, ""});
      break;
    case FixKind::InsertEndEnvironment: {
      std::string_view name = texts.arg(d, 0);
      if (name.empty()) return std::nullopt;
      // At the end of the file the \end goes on a line of its own.
      bool at_end = d.fix_at >= text.size();
      std::string insert = at_end && !text.empty() && text.back() != '\n' ? "\n" : "";
      insert += "\\end{";
      insert += name;
      insert += at_end ? "}\n" : "}";
      fix.edits.push_back({{d.fix_at, d.fix_at}, std::move(insert)});
      break;
    }
    case FixKind::ReplaceEndEnvironment: {
      std::string_view name = texts.arg(d, 1);
      if (name.empty()) return std::nullopt;
      std::string replacement = "\\end{";
      replacement += name;
      replacement += "}";
      fix.edits.push_back({d.range, std::move(replacement)});
      break;
    }
    case FixKind::InsertCloser:
      fix.edits.push_back({{d.fix_at, d.fix_at}, std::string(closer_text(opener))});
      break;
    case FixKind::ReplaceWithCloser:
      fix.edits.push_back({d.range, std::string(closer_text(opener))});
      break;
    case FixKind::JoinLines: {
      std::string_view blank = slice(text, d.range);
      fix.edits.push_back({d.range, blank.starts_with("\r\n") ? "\r\n" : "\n"});
      break;
    }
    case FixKind::EscapeBrace:
      fix.edits.push_back({{d.fix_at, d.fix_at}, "\\"});
      break;
    case FixKind::ReplaceWithText:
      fix.edits.push_back({d.range, std::string(variant_text(d.rule, d.variant))});
      break;
    case FixKind::InsertText:
      fix.edits.push_back({{d.fix_at, d.fix_at}, std::string(variant_text(d.rule, d.variant))});
      break;
    case FixKind::ReplaceArgument:
      if (variant_text(d.rule, d.variant).empty()) return std::nullopt;
      fix.edits.push_back({d.args[0], std::string(variant_text(d.rule, d.variant))});
      break;
    case FixKind::WrapInBraces:
      fix.edits.push_back({{d.range.begin, d.range.begin}, "{"});
      fix.edits.push_back({{d.range.end, d.range.end}, "}"});
      break;
    case FixKind::WrapGroupFrom:
      fix.edits.push_back({{d.fix_at, d.fix_at}, "{"});
      fix.edits.push_back({{d.range.end, d.range.end}, "}"});
      break;
    case FixKind::DisplayDollarsToBrackets:
    case FixKind::InlineDollarsToParens: {
      bool display = info.fix == FixKind::DisplayDollarsToBrackets;
      std::uint32_t w = display ? 2 : 1;
      if (d.range.end - d.range.begin < 2 * w) return std::nullopt;
      fix.edits.push_back({{d.range.begin, d.range.begin + w}, display ? "\\[" : "\\("});
      fix.edits.push_back({{d.range.end - w, d.range.end}, display ? "\\]" : "\\)"});
      break;
    }
    case FixKind::MovePunctuation: {
      std::string punct(slice(text, d.args[0]));
      if (d.fix_at < d.args[0].begin) {
        fix.edits.push_back({{d.fix_at, d.fix_at}, punct});
        fix.edits.push_back({d.args[0], ""});
      } else {
        fix.edits.push_back({d.args[0], ""});
        fix.edits.push_back({{d.fix_at, d.fix_at}, punct});
      }
      break;
    }
    case FixKind::TimesBetweenNumbers:
      fix.edits.push_back({{d.range.begin, d.range.begin}, "$"});
      fix.edits.push_back({{d.fix_at, d.fix_at + 1}, "\\times "});
      fix.edits.push_back({{d.range.end, d.range.end}, "$"});
      break;
    case FixKind::CenterToCentering:
      if (!d.has_related) return std::nullopt;
      fix.edits.push_back({d.range, "\\centering"});
      fix.edits.push_back({d.related, ""});
      break;
    case FixKind::GroupSwitchToCommand: {
      // {\bf x} -> \textbf{x}; a bare \bf -> the modern switch.
      const FontEntry& font = font_table()[d.variant];
      if (!d.args[1].empty()) {
        fix.edits.push_back({{d.fix_at, d.fix_at}, std::string(font.command)});
        fix.edits.push_back({d.args[1], ""});
      } else {
        std::string_view modern = font.modern;
        std::size_t cut = modern.find(" or ");
        if (cut == std::string_view::npos) return std::nullopt;
        fix.edits.push_back({d.args[0], std::string(modern.substr(cut + 4))});
      }
      break;
    }
  }
  return fix;
}

}  // namespace perfectex::validators
