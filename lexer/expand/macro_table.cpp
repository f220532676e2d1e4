// L1's table (see macro_table.h): the builtins, the slots names are found by, lookups, building
// the table from the document's tokens and moving it with an edit. Reading one definition is
// definition_reader.cpp.
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

std::uint32_t hash_name(Namespace space, std::string_view name) {
  std::uint32_t h = 2166136261u ^ static_cast<std::uint32_t>(space);
  for (char c : name) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  return h;
}

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
