#include "lexer/expand/macro_table.h"

#include <algorithm>
#include <cstring>

namespace perfectex::lexer::expand {
namespace {

struct Builtin {
  std::string_view name;
  Role role;
  DefinerForm form = DefinerForm::Opaque;
  Novelty novelty = Novelty::Redefines;
  Namespace defines = Namespace::Command;
  std::uint8_t count = 0;  ///< Definer: groups after the name; Suppressor: names left unexpanded
};

using enum DefinerForm;
constexpr Novelty kNew = Novelty::New, kRedefine = Novelty::Redefines, kProvide = Novelty::Provide;
constexpr Namespace kEnv = Namespace::Environment, kCmd = Namespace::Command;

constexpr Builtin kBuiltins[] = {
    {"newcommand", Role::Definer, NewCommand, kNew, kCmd, 1},
    {"renewcommand", Role::Definer, NewCommand, kRedefine, kCmd, 1},
    {"providecommand", Role::Definer, NewCommand, kProvide, kCmd, 1},
    {"DeclareRobustCommand", Role::Definer, NewCommand, kRedefine, kCmd, 1},
    {"newrobustcmd", Role::Definer, NewCommand, kNew, kCmd, 1},
    {"renewrobustcmd", Role::Definer, NewCommand, kRedefine, kCmd, 1},
    {"newcommandx", Role::Definer, Opaque, kNew, kCmd, 1},
    {"renewcommandx", Role::Definer, Opaque, kRedefine, kCmd, 1},
    {"DeclareMathOperator", Role::Definer, MathOperator, kNew, kCmd, 1},
    {"newenvironment", Role::Definer, NewEnvironment, kNew, kEnv, 2},
    {"renewenvironment", Role::Definer, NewEnvironment, kRedefine, kEnv, 2},
    {"lstnewenvironment", Role::Definer, Opaque, kNew, kEnv, 2},
    {"NewDocumentCommand", Role::Definer, DocumentCommand, kNew, kCmd, 2},
    {"RenewDocumentCommand", Role::Definer, DocumentCommand, kRedefine, kCmd, 2},
    {"ProvideDocumentCommand", Role::Definer, DocumentCommand, kProvide, kCmd, 2},
    {"DeclareDocumentCommand", Role::Definer, DocumentCommand, kRedefine, kCmd, 2},
    {"NewExpandableDocumentCommand", Role::Definer, DocumentCommand, kNew, kCmd, 2},
    {"NewDocumentEnvironment", Role::Definer, DocumentEnvironment, kNew, kEnv, 3},
    {"RenewDocumentEnvironment", Role::Definer, DocumentEnvironment, kRedefine, kEnv, 3},
    {"DeclareDocumentEnvironment", Role::Definer, DocumentEnvironment, kRedefine, kEnv, 3},
    {"patchcmd", Role::Definer, Opaque, kRedefine, kCmd, 4},
    {"xpatchcmd", Role::Definer, Opaque, kRedefine, kCmd, 4},
    {"pretocmd", Role::Definer, Opaque, kRedefine, kCmd, 3},
    {"apptocmd", Role::Definer, Opaque, kRedefine, kCmd, 3},
    {"def", Role::Definer, Def, kRedefine, kCmd, 1},
    {"gdef", Role::Definer, Def, kRedefine, kCmd, 1},
    {"edef", Role::Definer, Def, kRedefine, kCmd, 1},
    {"xdef", Role::Definer, Def, kRedefine, kCmd, 1},
    {"let", Role::Definer, Let, kRedefine, kCmd, 0},
    {"futurelet", Role::Definer, Let, kRedefine, kCmd, 0},
    {"iffalse", Role::IfFalse},
    {"begin", Role::Begin},
    {"end", Role::End},
    // Commands that take a control sequence as a name, not as something to run.
    {"ifx", Role::Suppressor, Opaque, kRedefine, kCmd, 2},
    {"ifdefined", Role::Suppressor, Opaque, kRedefine, kCmd, 1},
    {"noexpand", Role::Suppressor, Opaque, kRedefine, kCmd, 1},
    {"string", Role::Suppressor, Opaque, kRedefine, kCmd, 1},
    {"meaning", Role::Suppressor, Opaque, kRedefine, kCmd, 1},
    {"show", Role::Suppressor, Opaque, kRedefine, kCmd, 1},
    {"CheckCommand", Role::Suppressor, Opaque, kRedefine, kCmd, 1},
    {"robustify", Role::Suppressor, Opaque, kRedefine, kCmd, 1},
    {"MakeRobust", Role::Suppressor, Opaque, kRedefine, kCmd, 1},
    {"ifdef", Role::Suppressor, Opaque, kRedefine, kCmd, 1},
    {"ifndef", Role::Suppressor, Opaque, kRedefine, kCmd, 1},
    {"ifundef", Role::Suppressor, Opaque, kRedefine, kCmd, 1},
    {"ifdefmacro", Role::Suppressor, Opaque, kRedefine, kCmd, 1},
    {"ifdefparam", Role::Suppressor, Opaque, kRedefine, kCmd, 1},
    {"ifdefprotected", Role::Suppressor, Opaque, kRedefine, kCmd, 1},
    {"ifdefempty", Role::Suppressor, Opaque, kRedefine, kCmd, 1},
    {"ifdefvoid", Role::Suppressor, Opaque, kRedefine, kCmd, 1},
    {"ifdefstring", Role::Suppressor, Opaque, kRedefine, kCmd, 1},
    {"ifdefstrequal", Role::Suppressor, Opaque, kRedefine, kCmd, 2},
    {"ifdefequal", Role::Suppressor, Opaque, kRedefine, kCmd, 2},
    {"newif", Role::Suppressor, Opaque, kRedefine, kCmd, 1},
};
constexpr std::uint32_t kBuiltinCount = std::size(kBuiltins);

constexpr std::string_view kConditionals[] = {
    "if",      "ifx",     "ifnum",   "ifdim",     "ifcase",   "ifodd",      "iftrue",
    "iffalse", "ifmmode", "ifvmode", "ifhmode",   "ifinner",  "ifvoid",     "ifhbox",
    "ifvbox",  "ifeof",   "ifcat",   "ifdefined", "ifcsname", "ifincsname",
};

// Macros that look at the token after them: how many arguments they take depends on what
// follows, which L1 does not evaluate, so they are known by name only.
constexpr std::string_view kLookahead[] = {"@ifnextchar", "kernel@ifnextchar", "@ifstar",
                                           "futurelet", "@ifnextcharacter"};

std::uint32_t hash_name(Namespace space, std::string_view name) {
  std::uint32_t h = 2166136261u ^ static_cast<std::uint32_t>(space);
  for (char c : name) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  return h;
}

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

void MacroTable::reserve(std::size_t capacity) {
  capacity = std::max<std::size_t>(capacity, 16);
  defs_.reserve(capacity + kBuiltinCount);
  regions_.reserve(capacity);
  std::size_t slots = 64;
  while (slots < 2 * (capacity + kBuiltinCount + base_names_)) slots *= 2;
  if (slots > slots_.size()) slots_.assign(slots, kNone);
}

void MacroTable::add_builtins() {
  for (const Builtin& b : kBuiltins) {
    Definition d;
    d.role = b.role;
    d.form = b.form;
    d.novelty = b.novelty;
    d.space = b.defines;
    d.arg_count = b.role == Role::Definer ? b.count : 0;
    d.suppress = b.role == Role::Suppressor ? b.count : 0;
    std::uint32_t slot = find_slot(Namespace::Command, b.name);
    slots_[slot] = static_cast<std::uint32_t>(defs_.size());
    remember(b.name);
    defs_.push_back(d);
  }
  builtin_count_ = kBuiltinCount;
}

std::uint32_t MacroTable::find_slot(Namespace space, std::string_view name) const {
  std::uint32_t mask = static_cast<std::uint32_t>(slots_.size() - 1);
  for (std::uint32_t s = hash_name(space, name) & mask;; s = (s + 1) & mask) {
    std::uint32_t d = slots_[s];
    if (d == kNone) return s;
    // Builtins live in the command namespace; their names are static strings.
    Namespace ds = d < builtin_count_ ? Namespace::Command : (*this)[d].space;
    std::string_view dn = d < builtin_count_ ? kBuiltins[d].name : this->name(d);
    if (ds == space && dn == name) return s;
  }
}

std::uint32_t MacroTable::lookup(Namespace space, std::string_view name, std::uint32_t pos,
                                std::uint32_t* later) const {
  if (later != nullptr) *later = kNone;
  if (!might_hold(name)) return kNone;
  std::uint32_t d = slots_[find_slot(space, name)];
  std::uint32_t earliest = kNone;
  // The document's definitions made at or after pos, back to an earlier one, a builtin or the
  // base's (in force from before the first byte).
  while (d != kNone && d >= builtin_count_ && (d & kBaseBit) == 0 && defs_[d].at >= pos) {
    earliest = d;
    d = defs_[d].previous;
  }
  if (later != nullptr) {
    *later = d == kNone && earliest != kNone && defs_[earliest].novelty == Novelty::New &&
                     defs_[earliest].top_level
                 ? earliest
                 : kNone;
  }
  return d;
}

void MacroTable::insert(const Definition& def) {
  std::uint32_t slot = find_slot(def.space, spelled(def.name));
  std::uint32_t latest = slots_[slot];
  if (latest != kNone && latest < builtin_count_) return;  // \def\begin: not ours to follow
  if (def.novelty == Novelty::Provide && latest != kNone) return;
  Definition d = def;
  d.previous = latest;
  remember(spelled(def.name));
  slots_[slot] = static_cast<std::uint32_t>(defs_.size());
  defs_.push_back(d);
}

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

// The base's latest definition of each name, by index, in the slots: a lookup that finds no
// definition of the document's before its position lands on it, with one probe. Its names are
// in the filter already (build starts from the base's).
bool MacroTable::add_base() {
  base_names_ = base_ == nullptr ? 0 : base_->size() - base_->first_user();
  if (base_names_ == 0) return true;
  if (slots_.size() < 2 * (defs_.capacity() + base_names_)) return false;
  for (std::uint32_t i = base_->first_user(); i < base_->size(); ++i) {
    const Definition& d = base_->defs_[i];
    slots_[find_slot(d.space, base_->spelled(d.name))] = i | kBaseBit;
  }
  return true;
}

bool MacroTable::shift(std::string_view text, const TokenBuffer& tokens, const TokenEdit& edit) {
  if (tokens_ == nullptr) return false;
  // Nothing a definition reads may be next to the change either (a `*` after \newcommand).
  const std::uint32_t near_first = edit.first > 0 ? edit.first - 1 : 0, near_end = edit.old_end + 1;
  auto touches = [&](const Region& r) { return r.last >= near_first && r.first < near_end; };
  if (std::any_of(regions_.begin(), regions_.end(), touches)) return false;
  // Any other edit must come after every region (those of definitions and \iffalse blocks, in
  // order), and make no new one: braces and conditionals decide only the scope of the
  // definitions after them, and there are none. (A definer or \iffalse the edit took away made a
  // region, which it touched; an \iffalse without its \fi could find one in the edit.)
  if (!edit.plain) {
    if (unclosed_iffalse_ || (!regions_.empty() && regions_.back().last >= near_first))
      return false;
    // Every definition is before the edit, where the new text is the old: names are looked up
    // in it (the old one may be gone). A table left unmoved is built again anyway.
    text_ = text;
    tokens_ = &tokens;
    for (std::uint32_t t = edit.first; t < edit.new_end; ++t) {
      if (tokens.kind(t) != TokenKind::ControlWord) continue;
      std::string_view name = text.substr(tokens.begin(t) + 1, tokens.length(t) - 1);
      std::uint32_t b = might_hold(name) ? slots_[find_slot(Namespace::Command, name)] : kNone;
      if (b != kNone && b < builtin_count_ &&
          (defs_[b].role == Role::Definer || defs_[b].role == Role::IfFalse))
        return false;
    }
  }
  auto token = [&](std::uint32_t& t) { return t == kNone || edit.token(t); };
  auto tokens_of = [&](std::uint32_t& f, std::uint32_t& e) {
    return f == kNone || e == kNone || edit.tokens(f, e);
  };
  auto span = [&](ByteRange& r) { return edit.span(r); };
  auto point = [&](std::uint32_t& p) { return edit.point(p); };
  // Calls the movers on each position definition d holds; false when one cannot move.
  auto each = [](Definition& d, auto&& span_of, auto&& point_of, auto&& token_of,
                 auto&& tokens_in) {
    if (!span_of(d.name) || !point_of(d.at) || !token_of(d.definer)) return false;
    if (d.base_body) return true;
    if (!tokens_in(d.body_first, d.body_last) || !tokens_in(d.end_first, d.end_last)) return false;
    for (ArgSpec& a : d.args) {
      if (!span_of(a.open.bytes) || !span_of(a.close.bytes) ||
          !tokens_in(a.default_first, a.default_last))
        return false;
    }
    return true;
  };
  // Check first, on copies of the positions, then move: a table half moved would be neither.
  for (std::size_t k = builtin_count_; k < defs_.size(); ++k) {
    if (!each(
            defs_[k], [&](ByteRange r) { return span(r); },
            [&](std::uint32_t p) { return point(p); }, [&](std::uint32_t t) { return token(t); },
            [&](std::uint32_t f, std::uint32_t e) { return tokens_of(f, e); }))
      return false;
  }
  for (std::size_t k = builtin_count_; k < defs_.size(); ++k)
    each(defs_[k], span, point, token, tokens_of);
  for (Region& r : regions_) {
    edit.token(r.first);
    edit.token(r.last);
    token(r.unclosed);
  }
  text_ = text;
  tokens_ = &tokens;
  return true;
}

BuildStatus MacroTable::build(std::string_view text, const TokenBuffer& tokens,
                              const MacroTable* base) {
  text_ = text;
  tokens_ = &tokens;
  base_ = base;
  defs_.clear();
  regions_.clear();
  unclosed_iffalse_ = false;
  std::fill(slots_.begin(), slots_.end(), kNone);
  if (base != nullptr) {
    filter_ = base->filter_;
  } else {
    filter_.fill(0);
  }
  add_builtins();
  if (!add_base()) return BuildStatus::CapacityExceeded;
  const auto n = static_cast<std::uint32_t>(tokens.size());
  const TokenKind* kinds = tokens.kinds_data();
  int braces = 0, conditionals = 0;
  // Only control words matter, and braces for telling what is inside a group: find the next
  // control word with memchr (vectorised) and count the braces before it in a branch-free loop.
  static_assert(static_cast<int>(TokenKind::ControlWord) == 0);
  for (std::uint32_t from = 0; from < n;) {
    const void* hit = std::memchr(kinds + from, 0, n - from);
    const auto i = hit == nullptr ? n : static_cast<std::uint32_t>(static_cast<const TokenKind*>(hit) - kinds);
    int delta = 0;
    for (std::uint32_t k = from; k < i; ++k) {
      delta += (kinds[k] == TokenKind::BeginGroup) - (kinds[k] == TokenKind::EndGroup);
    }
    braces = std::max(braces + delta, 0);
    if (i == n) break;
    from = i + 1;
    std::string_view name = text.substr(tokens.begin(i) + 1, tokens.length(i) - 1);
    std::uint32_t b = might_hold(name) ? slots_[find_slot(Namespace::Command, name)] : kNone;
    if (b != kNone && b < builtin_count_ && defs_[b].role == Role::Definer) {
      if (regions_.size() == regions_.capacity() || defs_.size() == defs_.capacity())
        return BuildStatus::CapacityExceeded;
      Definition def;
      Region region = parse_definition(i, n, defs_[b], def);
      regions_.push_back(region);
      if (def.role == Role::Macro) {
        def.top_level = braces == 0 && conditionals == 0;
        // A \let copy was checked where the original was made (perhaps in the base's text).
        if (def.expandable && !def.base_body && looks_ahead(def)) def.expandable = false;
        insert(def);
      }
      from = region.last + 1;
      continue;
    }
    if (b != kNone && b < builtin_count_ && defs_[b].role == Role::IfFalse) {
      std::uint32_t fi = iffalse_end(i, n);
      if (fi != kNone) {
        if (regions_.size() == regions_.capacity()) return BuildStatus::CapacityExceeded;
        regions_.push_back({i, fi, kNone});
        from = fi + 1;
        continue;
      }
      unclosed_iffalse_ = true;
    }
    // A conditional (not \ifthenelse{...} and other commands with arguments) makes what
    // follows up to its \fi uncertain.
    if (name.starts_with("if")) {
      std::uint32_t j = i + 1;
      while (j < n && blank(tokens.kind(j))) ++j;
      if (j == n || tokens.kind(j) != TokenKind::BeginGroup) ++conditionals;
    } else if (name == "fi" && conditionals > 0) {
      --conditionals;
    }
  }
  return BuildStatus::Ok;
}

}  // namespace perfectex::lexer::expand
