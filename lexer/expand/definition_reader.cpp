// L1's definitions read from their tokens (see macro_table.h): one definition from its definer
// on (\newcommand and kin, \def, \let, \newenvironment, the xparse argument specifications),
// the end of an \iffalse block, and whether a body looks at the token after it. The table that
// keeps them, and finds and moves them, is macro_table.cpp.
// Threading: as the table's: these read its tokens and text, and write nothing of it.
#include <algorithm>

#include "lexer/expand/macro_table.h"

namespace perfectex::lexer::expand {
namespace {

using enum DefinerForm;

constexpr std::string_view kConditionals[] = {
    "if",      "ifx",     "ifnum",   "ifdim",     "ifcase",   "ifodd",      "iftrue",
    "iffalse", "ifmmode", "ifvmode", "ifhmode",   "ifinner",  "ifvoid",     "ifhbox",
    "ifvbox",  "ifeof",   "ifcat",   "ifdefined", "ifcsname", "ifincsname",
};

// Macros that look at the token after them: how many arguments they take depends on what
// follows, which L1 does not evaluate, so they are known by name only.
constexpr std::string_view kLookahead[] = {"@ifnextchar", "kernel@ifnextchar", "@ifstar",
                                           "futurelet", "@ifnextcharacter"};

// Reads the tokens of an xparse argument specification one unit at a time: a character of a
// Text run, or a whole other token (a group counts as one unit spanning to its closing brace).
class SpecReader {
 public:
  SpecReader(std::string_view text, const TokenBuffer& toks, std::uint32_t first,
             std::uint32_t last)
      : text_(text), toks_(toks), i_(first), last_(last) {}

  struct Unit {
    TokenKind kind;
    ByteRange bytes;
    std::uint32_t token;
  };

  bool next(Unit& u) {
    while (i_ < last_) {
      TokenKind k = toks_.kind(i_);
      if (blank(k)) {
        ++i_;
        offset_ = 0;
        continue;
      }
      std::uint32_t b = toks_.begin(i_);
      if (k == TokenKind::Text) {
        u = {k, {b + offset_, b + offset_ + 1}, i_};
        if (++offset_ == toks_.length(i_)) {
          offset_ = 0;
          ++i_;
        }
        return true;
      }
      u = {k, {b, toks_.end(i_)}, i_};
      ++i_;
      return true;
    }
    return false;
  }
  char ch(const Unit& u) const { return u.kind == TokenKind::Text ? text_[u.bytes.begin] : 0; }
  /// Skips a group whose `{` was the last unit read; returns its closing brace, or kNone.
  std::uint32_t skip_group(std::uint32_t open) {
    int depth = 0;
    for (std::uint32_t j = open; j < last_; ++j) {
      if (toks_.kind(j) == TokenKind::BeginGroup) ++depth;
      if (toks_.kind(j) == TokenKind::EndGroup && --depth == 0) {
        i_ = j + 1;
        offset_ = 0;
        return j;
      }
    }
    return kNone;
  }

 private:
  std::string_view text_;
  const TokenBuffer& toks_;
  std::uint32_t i_, last_;
  std::uint32_t offset_ = 0;
};

}  // namespace

std::uint32_t MacroTable::iffalse_end(std::uint32_t i, std::uint32_t limit) const {
  int depth = 1;
  for (std::uint32_t j = i + 1; j < limit; ++j) {
    if (tokens_->kind(j) != TokenKind::ControlWord) continue;
    std::string_view name = text_.substr(tokens_->begin(j) + 1, tokens_->length(j) - 1);
    if (std::find(std::begin(kConditionals), std::end(kConditionals), name) !=
        std::end(kConditionals))
      ++depth;
    if (name == "fi" && --depth == 0) return j;
  }
  return kNone;
}

Region MacroTable::parse_definition(std::uint32_t i, std::uint32_t limit,
                                    const Definition& definer, Definition& def) const {
  const TokenBuffer& t = *tokens_;
  const std::uint32_t n = limit;
  auto sig = [&](std::uint32_t j) {
    while (j < n && blank(t.kind(j))) ++j;
    return j;
  };
  auto token_text = [&](std::uint32_t j) { return text_.substr(t.begin(j), t.length(j)); };
  // The `}` matching the `{` at j, or kNone when it never closes before limit.
  auto group_end = [&](std::uint32_t j) {
    int depth = 0;
    for (std::uint32_t k = j; k < n; ++k) {
      if (t.kind(k) == TokenKind::BeginGroup) ++depth;
      if (t.kind(k) == TokenKind::EndGroup && --depth == 0) return k;
    }
    return kNone;
  };
  // The `]` closing an optional argument at j, outside braces, before a paragraph ends.
  auto bracket_end = [&](std::uint32_t j) {
    int depth = 0;
    for (std::uint32_t k = j + 1; k < n; ++k) {
      TokenKind kind = t.kind(k);
      if (kind == TokenKind::BeginGroup) ++depth;
      if (kind == TokenKind::EndGroup && --depth < 0) return kNone;
      if (kind == TokenKind::ParagraphBreak) return kNone;
      if (kind == TokenKind::CloseBracket && depth == 0) return k;
    }
    return kNone;
  };
  auto is_name = [&](std::uint32_t j) {
    return j < n && (t.kind(j) == TokenKind::ControlWord || t.kind(j) == TokenKind::ControlSymbol);
  };

  def = Definition{};
  def.role = Role::Definer;
  def.at = t.begin(i);
  def.definer = i;
  def.form = definer.form;
  def.novelty = definer.novelty;
  def.space = definer.space;
  Region region{i, n - 1, kNone};
  auto unclosed = [&](std::uint32_t open) {
    region.unclosed = open;
    region.last = n - 1;
    return region;
  };
  auto command_name = [&](std::uint32_t j) {
    def.name = {t.begin(j) + 1, t.end(j)};
  };
  std::uint32_t j = sig(i + 1);

  if (definer.form == Let) {
    std::uint32_t name = j;
    j = sig(j + 1);
    // \let\name=<token>: the token may be a brace or a $, and is not a group or math.
    if (j < n && t.kind(j) == TokenKind::Text && text_[t.begin(j)] == '=') {
      if (t.length(j) > 1) {
        region.last = j;
        return region;
      }
      j = j + 1 < n && t.kind(j + 1) == TokenKind::Space ? j + 2 : j + 1;
    }
    region.last = j < n ? j : n - 1;
    if (!is_name(name) || j >= n || token_text(i) != "\\let")
      return region;
    std::uint32_t target = kNone;
    if (is_name(j)) {
      std::string_view target_name = text_.substr(t.begin(j) + 1, t.length(j) - 1);
      target = lookup(Namespace::Command, target_name, def.at);
    }
    if (target != kNone && target >= builtin_count_) {
      bool base_body = body_from_base(target);
      def = (*this)[target];  // a copy of the meaning it has now
      def.base_body = base_body;
      def.at = t.begin(i);
      def.definer = i;
    } else {
      def.expandable = false;
      def.arg_count = 0;
    }
    def.form = Let;
    def.novelty = Novelty::Redefines;
    def.space = Namespace::Command;
    def.role = Role::Macro;
    command_name(name);
    return region;
  }

  if (definer.form == Def) {
    std::uint32_t name = j;
    j = name + 1;
    while (j < n && t.kind(j) != TokenKind::BeginGroup) {
      if (t.kind(j) == TokenKind::ParagraphBreak) {
        region.last = j;
        return region;
      }
      ++j;
    }
    if (j >= n) return region;
    std::uint32_t close = group_end(j);
    if (close == kNone) return unclosed(j);
    region.last = close;
    if (!is_name(name)) return region;
    command_name(name);
    def.body_first = j + 1;
    def.body_last = close;
    def.long_args = false;
    for (std::uint32_t k = i; k-- > 0;) {
      if (blank(t.kind(k))) continue;
      def.long_args = token_text(k) == "\\long";
      break;
    }
    // Parameter text: #1#2 or #1<delimiter>#2<delimiter>, one token (or the rest of the digit's
    // Text run) per delimiter; anything else (a prefix before #1, #{, longer delimiters) is left
    // unexpanded.
    bool simple = true;
    int count = 0;
    for (std::uint32_t k = name + 1; k < j && simple;) {
      TokenKind kind = t.kind(k);
      if (kind == TokenKind::Comment) {
        k += k + 1 < j && t.kind(k + 1) == TokenKind::Newline ? 2 : 1;
        continue;
      }
      if (kind != TokenKind::Parameter || k + 1 >= j || t.kind(k + 1) != TokenKind::Text ||
          text_[t.begin(k + 1)] != '1' + count) {
        simple = false;
        break;
      }
      ArgSpec& a = def.args[count++];
      a.kind = ArgKind::Mandatory;
      if (t.length(k + 1) > 1) {
        a.kind = ArgKind::Until;
        a.close = {TokenKind::Text, {t.begin(k + 1) + 1, t.end(k + 1)}};
      }
      k += 2;
      if (k < j && t.kind(k) != TokenKind::Parameter) {
        if (a.kind == ArgKind::Until || (k + 1 < j && t.kind(k + 1) != TokenKind::Parameter)) {
          simple = false;
          break;
        }
        a.kind = ArgKind::Until;
        a.close = {t.kind(k), {t.begin(k), t.end(k)}};
        ++k;
      }
    }
    def.arg_count = static_cast<std::uint8_t>(count);
    def.expandable = simple;
    def.role = Role::Macro;
    return region;
  }

  // The \newcommand shapes: an optional star, the name, then optional [..] and groups.
  if (j < n && t.kind(j) == TokenKind::Text && token_text(j) == "*") {
    def.long_args = false;
    j = sig(j + 1);
  }
  if (j >= n) return region;
  std::uint32_t name_first = j, name_last = j;
  if (t.kind(j) == TokenKind::BeginGroup) {
    std::uint32_t close = group_end(j);
    if (close == kNone) return unclosed(j);
    name_first = sig(j + 1);
    name_last = close;
    j = close;
    if (j + 1 >= n) {
      region.last = j;
      return region;
    }
  } else {
    name_last = j + 1;
  }
  ++j;
  std::uint32_t brackets[2][2] = {{kNone, kNone}, {kNone, kNone}};
  std::uint32_t groups[3][2] = {};
  int bracket_count = 0;
  for (int g = 0; g < definer.arg_count;) {
    j = sig(j);
    if (j >= n) return region;
    TokenKind k = t.kind(j);
    if (k == TokenKind::OpenBracket) {
      std::uint32_t close = bracket_end(j);
      if (close != kNone) {
        if (bracket_count < 2) {
          brackets[bracket_count][0] = j;
          brackets[bracket_count][1] = close;
        }
        ++bracket_count;
        j = close + 1;
        continue;
      }
    }
    if (k == TokenKind::ParagraphBreak) {
      region.last = j;
      return region;
    }
    std::uint32_t first = j + 1, last = j + 1;  // a single token as the argument
    if (k == TokenKind::BeginGroup) {
      std::uint32_t close = group_end(j);
      if (close == kNone) return unclosed(j);
      last = close;
      j = close;
    } else {
      first = j;
    }
    if (g < 3) {
      groups[g][0] = first;
      groups[g][1] = last;
    }
    ++g;
    if (j + 1 >= n && g < definer.arg_count) {
      region.last = j;
      return region;
    }
    ++j;
  }
  region.last = j - 1;

  // What the shape means for this form.
  DefinerForm form = definer.form;
  if (form == Opaque) return region;
  if (def.space == Namespace::Command) {
    if (!is_name(name_first) || sig(name_first + 1) < name_last) return region;
    command_name(name_first);
  } else {
    std::uint32_t last = name_last;
    while (last > name_first && blank(t.kind(last - 1))) --last;
    if (last == name_first) return region;
    for (std::uint32_t k = name_first; k < last; ++k) {
      if (t.kind(k) != TokenKind::Text) return region;
    }
    def.name = {t.begin(name_first), t.begin(last)};
  }
  def.role = Role::Macro;
  def.expandable = true;
  int body = 0;
  if (form == NewCommand || form == NewEnvironment || form == MathOperator) {
    if (bracket_count > 2 || (form == MathOperator && bracket_count > 0)) {
      def.expandable = false;
      return region;
    }
    if (bracket_count > 0) {
      int count = 0;
      for (std::uint32_t k = brackets[0][0] + 1; k < brackets[0][1]; ++k) {
        std::string_view digits = token_text(k);
        if (t.kind(k) != TokenKind::Text || digits.size() != 1 || digits[0] < '0' ||
            digits[0] > '9') {
          def.expandable = false;
          return region;
        }
        count = digits[0] - '0';
      }
      def.arg_count = static_cast<std::uint8_t>(count);
    }
    if (bracket_count == 2 && def.arg_count > 0) {
      ArgSpec& a = def.args[0];
      a.kind = ArgKind::Optional;
      a.open = {TokenKind::OpenBracket, {t.begin(brackets[1][0]), t.end(brackets[1][0])}};
      a.close = {TokenKind::CloseBracket, {t.begin(brackets[1][1]), t.end(brackets[1][1])}};
      a.default_first = brackets[1][0] + 1;
      a.default_last = brackets[1][1];
    }
    // An operator is a math-mode \operatorname: known by name, not expanded.
    if (form == MathOperator) def.expandable = false;
  } else {
    // xparse: the specification is the first group.
    body = 1;
    if (bracket_count > 0) {
      def.expandable = false;
      return region;
    }
    SpecReader spec(text_, t, groups[0][0], groups[0][1]);
    SpecReader::Unit u;
    int count = 0;
    def.long_args = false;
    auto delimiter = [&](Delimiter& d) {
      if (!spec.next(u)) return false;
      d = {u.kind, u.bytes};
      return true;
    };
    auto default_group = [&](ArgSpec& a) {
      if (!spec.next(u) || u.kind != TokenKind::BeginGroup) return false;
      std::uint32_t close = spec.skip_group(u.token);
      if (close == kNone) return false;
      a.default_first = u.token + 1;
      a.default_last = close;
      return true;
    };
    while (def.expandable && spec.next(u)) {
      char c = spec.ch(u);
      if (c == '+') {
        def.long_args = true;
        continue;
      }
      if (c == '!') continue;
      if (count == 9) {
        def.expandable = false;
        break;
      }
      ArgSpec& a = def.args[count++];
      bool ok = true;
      switch (c) {
        case 'm':
          a.kind = ArgKind::Mandatory;
          break;
        case 'o':
        case 'O':
          a.kind = ArgKind::Optional;
          a.open = {TokenKind::OpenBracket, {}};
          a.close = {TokenKind::CloseBracket, {}};
          ok = c == 'o' || default_group(a);
          break;
        case 's':
          a.kind = ArgKind::Boolean;
          a.star = true;
          break;
        case 't':
          a.kind = ArgKind::Boolean;
          ok = delimiter(a.open);
          break;
        case 'd':
        case 'D':
        case 'r':
        case 'R':
          a.kind = ArgKind::Optional;
          a.required = c == 'r' || c == 'R';
          ok = delimiter(a.open) && delimiter(a.close) &&
               ((c != 'D' && c != 'R') || default_group(a));
          break;
        default:
          ok = false;
          break;
      }
      if (!ok) def.expandable = false;
    }
    def.arg_count = static_cast<std::uint8_t>(count);
  }
  def.body_first = groups[body][0];
  def.body_last = groups[body][1];
  if (def.space == Namespace::Environment) {
    def.end_first = groups[body + 1][0];
    def.end_last = groups[body + 1][1];
  }
  return region;
}

bool MacroTable::looks_ahead(const Definition& def) const {
  auto scan = [&](std::uint32_t first, std::uint32_t last) {
    for (std::uint32_t k = first; k < last && k != kNone; ++k) {
      if (tokens_->kind(k) != TokenKind::ControlWord) continue;
      std::string_view name = text_.substr(tokens_->begin(k) + 1, tokens_->length(k) - 1);
      if (std::find(std::begin(kLookahead), std::end(kLookahead), name) != std::end(kLookahead))
        return true;
    }
    return false;
  };
  return scan(def.body_first, def.body_last) || scan(def.end_first, def.end_last);
}

}  // namespace perfectex::lexer::expand
