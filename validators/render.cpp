#include "validators/render.h"

namespace perfectex::validators {
namespace {

std::string_view slice(std::string_view text, Span s) {
  if (s.begin > text.size() || s.end > text.size() || s.end < s.begin) return {};
  return text.substr(s.begin, s.end - s.begin);
}

// Fills {0} {1} {v} {c} in a template.
std::string fill(std::string_view tmpl, const Diagnostic& d, std::string_view text) {
  std::string out;
  out.reserve(tmpl.size() + 32);
  auto opener = static_cast<Opener>(d.variant);
  for (std::size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl[i] == '{' && i + 2 < tmpl.size() && tmpl[i + 2] == '}') {
      char key = tmpl[i + 1];
      if (key == '0' || key == '1') {
        out += slice(text, d.args[key - '0']);
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

std::string render_message(const Diagnostic& d, std::string_view text) {
  std::string message = fill(rule_info(d.rule).message, d, text);
  if (!d.expansion.empty()) {
    message += d.expansion_environment ? " (in the expansion of environment `"
                                       : " (in the expansion of `";
    message += slice(text, d.expansion);
    message += "`)";
  }
  return message;
}

std::string render_related_message(const Diagnostic& d, std::string_view text) {
  return fill(rule_info(d.rule).related_message, d, text);
}

std::optional<Fix> make_fix(const Diagnostic& d, std::string_view text) {
  const RuleInfo& info = rule_info(d.rule);
  Fix fix{fill(info.fix_title, d, text), {}};
  auto opener = static_cast<Opener>(d.variant);
  switch (info.fix) {
    case FixKind::None:
      return std::nullopt;
    case FixKind::DeleteRange:
      fix.edits.push_back({d.range, ""});
      break;
    case FixKind::InsertEndEnvironment: {
      // At the end of the file the \end goes on a line of its own.
      bool at_end = d.fix_at >= text.size();
      std::string insert = at_end && !text.empty() && text.back() != '\n' ? "\n" : "";
      insert += "\\end{";
      insert += slice(text, d.args[0]);
      insert += at_end ? "}\n" : "}";
      fix.edits.push_back({{d.fix_at, d.fix_at}, std::move(insert)});
      break;
    }
    case FixKind::ReplaceEndEnvironment:
      fix.edits.push_back({d.range, "\\end{" + std::string(slice(text, d.args[1])) + "}"});
      break;
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
  }
  return fix;
}

}  // namespace perfectex::validators
