#include "validators/reference_rules.h"

#include <algorithm>
#include <optional>

#include "validators/checkpoints.h"

namespace perfectex::validators {
namespace {

using lexer::TokenKind;
using Key = ReferenceScratch::Key;

constexpr std::string_view kNeedle = "label=";

// `label=` in the options of an environment (listings, thmtools) defines labels this family
// does not read; then undefined references are not reported. Picture code (tikz node labels)
// does not count. Looked for among the `=` of bytes [from, to): the first such `label=` and
// its value (the bytes up to the next `,` or `]`), or nothing.
std::optional<Span> labels_in_options(const RuleContext& ctx, const ModeScratch& modes,
                                      std::size_t from = 0,
                                      std::size_t to = std::string_view::npos) {
  // Found by its `=`, which prose rarely holds: searching for "label=" stops at every `l`.
  const std::size_t n = ctx.tokens.size();
  for (std::size_t eq = ctx.text.find('=', std::max(from + kNeedle.size() - 1, kNeedle.size() - 1));
       eq != std::string_view::npos && eq < to; eq = ctx.text.find('=', eq + 1)) {
    std::size_t at = eq + 1 - kNeedle.size();
    if (ctx.text.substr(at, kNeedle.size()) != kNeedle) continue;
    std::size_t lo = 0, hi = n;  // the last token beginning at or before at
    while (hi - lo > 1) {
      std::size_t mid = (lo + hi) / 2;
      (ctx.tokens.begin(mid) <= at ? lo : hi) = mid;
    }
    std::size_t token = lo;
    auto in_region = [&](const ModeScratch::Region& r) {
      return r.first <= token && token <= r.last;
    };
    if (std::any_of(modes.regions.begin(), modes.regions.end(), in_region)) continue;
    // enumitem's label=(\alph*) formats; a key has no backslash or star.
    std::size_t end = std::min(ctx.text.find_first_of(",]", at), ctx.text.size());
    std::string_view value = ctx.text.substr(at + kNeedle.size(), end - at - kNeedle.size());
    if (value.find_first_of("\\*") == std::string_view::npos) {
      return Span{static_cast<std::uint32_t>(at), static_cast<std::uint32_t>(end)};
    }
  }
  return std::nullopt;
}

// The same after edit, from what it was before it (found: the `label=` it gave, moved here),
// when the mode tracker resumed over window (its regions elsewhere are the previous ones,
// moved): a `label=` and value the edit did not touch, outside the window, still count; and a
// new one must be in the window or reach the edit with its value. A `label=` whose value
// reaches bytes at or after the window's start begins after the `,` or `]` before it.
std::optional<Span> labels_in_options(const RuleContext& ctx, const ModeScratch& modes,
                                      std::optional<Span> found, const lexer::TokenEdit& edit,
                                      TokenWindow window) {
  const std::size_t begin =
      window.begin < ctx.tokens.size() ? ctx.tokens.begin(window.begin) : ctx.text.size();
  const std::size_t end = ctx.tokens.begin(std::min(window.end, ctx.tokens.size()));
  const std::size_t first = std::min<std::size_t>(begin, edit.bytes.begin);
  if (found) {
    Span moved = *found;
    if (moved.end < first || (edit.span(moved) && moved.begin >= end)) return moved;
    return labels_in_options(ctx, modes);
  }
  const std::size_t cut = ctx.text.substr(0, first).find_last_of(",]");
  const std::size_t from = cut == std::string_view::npos ? 0 : cut;
  return labels_in_options(ctx, modes, from, std::max<std::size_t>(end, edit.bytes.new_end) + kNeedle.size());
}

// The events whose findings and keys this family keeps: its anchors.
bool is_anchor(Cmd cmd) {
  return cmd == Cmd::Ref || cmd == Cmd::OtherRef || cmd == Cmd::Label || cmd == Cmd::Index;
}

class ReferenceChecker {
 public:
  ReferenceChecker(const RuleContext& ctx, const ModeScratch& m, ReferenceScratch& s)
      : ctx_(ctx), toks_(ctx.tokens), n_(ctx.tokens.size()), m_(m), s_(s) {}

  void run() {
    s_.labels.clear();
    s_.refs.clear();
    s_.anchors.clear();
    s_.overflowed = false;
    for (const Event& e : m_.events) {
      if (!is_anchor(e.cmd)) continue;
      if (s_.anchors.size() == s_.anchors.capacity()) {
        s_.overflowed = true;
        return;
      }
      bool prose = !(e.mode & (mode::kNotProse | mode::kPreamble));
      // Its key, read once, and how far that read went (an \index has none).
      std::size_t reach = e.token;
      Span key = e.cmd == Cmd::Index ? Span{} : key_after(e.token, &reach);
      s_.anchors.push_back({e.token, static_cast<std::uint32_t>(reach), e.cmd, prose});
      switch (e.cmd) {
        case Cmd::Ref:
          if (prose) space_before_ref(e.token);
          [[fallthrough]];
        case Cmd::OtherRef:
          if (!(e.mode & mode::kPreamble) && is_label_reference(ctx_.control_name(e.token)))
            collect_refs(e.token, key);
          break;
        case Cmd::Label:
          label(e, key);
          break;
        case Cmd::Index:
          if (prose) space_before_anchor(e.token);
          break;
        default:
          break;
      }
    }
    if (s_.overflowed) return;
    finish();
  }

 private:
  // \ref, \cref, ... name labels; \cite and kin name bibliography keys; \hyperref puts its
  // key in brackets.
  static bool is_label_reference(std::string_view name) {
    return !name.starts_with("cite") && !name.ends_with("cite") && name != "hyperref";
  }

  std::string_view text_of(Span s) const { return ctx_.text.substr(s.begin, s.end - s.begin); }

  void push(std::vector<Key>& list, Key key) {
    if (list.size() == list.capacity()) {
      s_.overflowed = true;
      return;
    }
    list.push_back(key);
  }

  // The key inside {...} after the command at i (skipping a star and [options]); empty when it
  // is computed (a macro or a parameter). *reach: the last token it looked at.
  Span key_after(std::size_t i, std::size_t* reach = nullptr) const {
    std::size_t last = i;
    auto done = [&](Span key) {
      if (reach != nullptr) *reach = std::min(last, n_ - 1);
      return key;
    };
    std::size_t j = i + 1;
    while (j < n_ && (toks_.kind(j) == TokenKind::Space ||
                      (toks_.kind(j) == TokenKind::Text && ctx_.token_text(j) == "*")))
      ++j;
    if (j < n_ && toks_.kind(j) == TokenKind::OpenBracket) {
      while (j < n_ && toks_.kind(j) != TokenKind::CloseBracket) ++j;
      ++j;
    }
    last = j;
    if (j >= n_ || toks_.kind(j) != TokenKind::BeginGroup) return done({});
    for (std::size_t k = j + 1; k < n_ && k < j + 32; ++k) {
      last = k;
      switch (toks_.kind(k)) {
        case TokenKind::EndGroup:
          return done({toks_.end(j), toks_.begin(k)});
        case TokenKind::Text:
        case TokenKind::Space:
        case TokenKind::Active:
        case TokenKind::Subscript:
        case TokenKind::Superscript:
        case TokenKind::Alignment:
        case TokenKind::MathShift:
          break;
        default:
          return done({});
      }
    }
    return done({});
  }

 public:
  /// Whether the findings about the anchor at token `anchor` read one of the tokens [first, end):
  /// they read the two before it and every token to the last its key reads.
  bool reads(std::size_t anchor, std::size_t first, std::size_t end) const {
    std::size_t reach = anchor;
    key_after(anchor, &reach);
    return (anchor >= 2 ? anchor - 2 : 0) < end && reach >= first;
  }

 private:
  void space_before_ref(std::size_t i) {
    if (i < 2 || !space_after_word(ctx_, i - 1) || toks_.kind(i - 2) != TokenKind::Text) return;
    char before = ctx_.text[toks_.end(i - 2) - 1];
    if (!is_letter(before) && !is_digit(before)) return;
    Diagnostic d = make_diagnostic(RuleId::SpaceBeforeRef, token_span(ctx_, i - 1));
    d.args[0] = token_span(ctx_, i);
    ctx_.out.emit(d);
  }

  // "text \label" on one line. (Not "text" at a line end and "\index" on the next line, which
  // ChkTeX reports: that layout is how people write index entries.)
  void space_before_anchor(std::size_t i) {
    if (i < 2) return;
    if (toks_.kind(i - 1) == TokenKind::Space && toks_.kind(i - 2) == TokenKind::Text) {
      Diagnostic d = make_diagnostic(RuleId::SpaceBeforeLabel, token_span(ctx_, i - 1));
      d.args[0] = token_span(ctx_, i);
      ctx_.out.emit(d);
    }
  }

  void collect_refs(std::size_t i, Span keys) {
    if (keys.empty()) return;
    // \cref{a,b}: several keys.
    std::uint32_t start = keys.begin;
    for (std::uint32_t k = keys.begin; k <= keys.end; ++k) {
      if (k < keys.end && ctx_.text[k] != ',') continue;
      Span key = trim({start, k});
      if (!key.empty()) push(s_.refs, {key, token_span(ctx_, i)});
      start = k + 1;
    }
  }

  Span trim(Span s) const {
    while (s.begin < s.end && ctx_.text[s.begin] == ' ') ++s.begin;
    while (s.end > s.begin && ctx_.text[s.end - 1] == ' ') --s.end;
    return s;
  }

  void label(const Event& e, Span key) {
    std::size_t i = e.token;
    if (!(e.mode & (mode::kNotProse | mode::kPreamble))) space_before_anchor(i);
    if (key.empty()) return;
    push(s_.labels, {key, token_span(ctx_, i)});
    for (std::uint32_t k = key.begin; k < key.end; ++k) {
      unsigned char c = static_cast<unsigned char>(ctx_.text[k]);
      if (c == ',' || c == '~' || c == '$' || c == '&' || c == '^' || c >= 0x80) {
        Diagnostic d = make_diagnostic(RuleId::BadLabelKey, key);
        d.args[0] = key;
        ctx_.out.emit(d);
        break;
      }
    }
  }

  void sort(std::vector<Key>& list) const {
    std::sort(list.begin(), list.end(), [this](const Key& a, const Key& b) {
      std::string_view ta = text_of(a.key), tb = text_of(b.key);
      if (ta != tb) return ta < tb;
      return a.key.begin < b.key.begin;
    });
  }

  bool contains(const std::vector<Key>& sorted, std::string_view key) const {
    auto it = std::lower_bound(sorted.begin(), sorted.end(), key,
                               [this](const Key& a, std::string_view k) { return text_of(a.key) < k; });
    return it != sorted.end() && text_of(it->key) == key;
  }

  void finish() {
    sort(s_.labels);
    for (std::size_t k = 1; k < s_.labels.size(); ++k) {
      if (text_of(s_.labels[k].key) != text_of(s_.labels[k - 1].key)) continue;
      std::size_t first = k - 1;
      while (first > 0 && text_of(s_.labels[first - 1].key) == text_of(s_.labels[k].key)) --first;
      Diagnostic d = make_diagnostic(RuleId::DuplicateLabel, s_.labels[k].key);
      d.args[0] = s_.labels[k].key;
      d.related = s_.labels[first].command;
      d.related.end = s_.labels[first].key.end + 1;
      d.has_related = true;
      ctx_.out.emit(d);
    }
    // Undefined references only where every label must be in this file. labels_in_options()
    // reads the whole text: it is asked last, when there is a reference or a label to report.
    ReferenceScratch::Scope& scope = s_.scope;
    scope = {m_.self_contained,
             m_.has_documentclass,
             m_.has_begin_document,
             m_.label_macros_overflowed,
             false,
             false};
    bool complete = m_.self_contained && m_.has_documentclass && m_.has_begin_document &&
                    !m_.label_macros_overflowed;
    s_.options.reset();
    bool want_undefined = complete && ctx_.out.wants(RuleId::UndefinedReference);
    bool want_unused = complete && ctx_.out.wants(RuleId::UnusedLabel) && !s_.labels.empty();
    auto undefined = [&](const Key& r) { return !contains(s_.labels, text_of(r.key)); };
    // The first reference to report; each is looked up once.
    auto first =
        want_undefined ? std::find_if(s_.refs.begin(), s_.refs.end(), undefined) : s_.refs.end();
    if (want_undefined || want_unused) {
      scope.asked_options = want_unused || first != s_.refs.end();
      s_.options = scope.asked_options ? labels_in_options(ctx_, m_) : std::nullopt;
      scope.options = s_.options.has_value();
      complete = scope.asked_options && !scope.options;
    }
    if (want_undefined && complete) {
      for (auto r = first; r != s_.refs.end(); ++r) {
        if (r != first && !undefined(*r)) continue;
        Diagnostic d = make_diagnostic(RuleId::UndefinedReference, r->key);
        d.args[0] = r->key;
        ctx_.out.emit(d);
      }
    }
    if (want_unused && complete) {
      sort(s_.refs);
      for (const Key& l : s_.labels) {
        if (contains(s_.refs, text_of(l.key))) continue;
        Diagnostic d = make_diagnostic(RuleId::UnusedLabel, l.key);
        d.args[0] = l.key;
        ctx_.out.emit(d);
      }
    }
  }

  const RuleContext& ctx_;
  const lexer::TokenBuffer& toks_;
  std::size_t n_;
  const ModeScratch& m_;
  ReferenceScratch& s_;
};

}  // namespace

void check_references(const RuleContext& ctx, const ModeScratch& modes,
                      const Suppressions& suppressions, ReferenceScratch& scratch) {
  scratch.found.clear();
  Emitter out(ctx.out.config(), scratch.found);
  out.set_suppressions(&suppressions);
  ReferenceChecker({ctx.text, ctx.tokens, out}, modes, scratch).run();
  scratch.overflowed = scratch.overflowed || scratch.found.overflowed();
  scratch.suppressions = suppressions;
  scratch.valid = !scratch.overflowed;
}

bool check_references(const RuleContext& ctx, const ModeScratch& modes,
                      const Suppressions& suppressions, ReferenceScratch& scratch,
                      const lexer::TokenEdit& edit, TokenWindow window) {
  if (!scratch.valid || !edit.plain || window.end > ctx.tokens.size() ||
      window.begin > edit.first || window.end < edit.new_end ||
      !suppressions.same_as(scratch.suppressions, [&](std::uint32_t& p) { return edit.point(p); }))
    return false;
  // The window's anchors then and now: the same, moved, none reading a changed token. Those
  // outside it are the same events (the tracker's outputs there are the previous ones, moved);
  // those before it read the same tokens unless their key's reach (after [options], it may run
  // far) got to the edit.
  using Anchor = ReferenceScratch::Anchor;
  const ReferenceChecker checker(ctx, modes, scratch);
  const std::size_t old_end = window.end - edit.new_end + edit.old_end;
  auto old_anchor = std::partition_point(scratch.anchors.begin(), scratch.anchors.end(),
                                         [&](const Anchor& a) { return a.token < window.begin; });
  for (auto a = scratch.anchors.begin(); a != old_anchor; ++a) {
    if (a->reach >= edit.first) return false;
  }
  for (const Event& e : in_window(modes.events, window)) {
    if (!is_anchor(e.cmd)) continue;
    if (old_anchor == scratch.anchors.end() || old_anchor->token >= old_end) return false;
    std::uint32_t token = old_anchor->token;
    const bool prose = !(e.mode & (mode::kNotProse | mode::kPreamble));
    if (!edit.token(token) || token != e.token || old_anchor->cmd != e.cmd ||
        old_anchor->prose != prose || checker.reads(e.token, edit.first, edit.new_end))
      return false;
    ++old_anchor;
  }
  if (old_anchor != scratch.anchors.end() && old_anchor->token < old_end) return false;
  // Each key, from its command to its `}`, untouched.
  for (const std::vector<ReferenceScratch::Key>* keys : {&scratch.labels, &scratch.refs}) {
    for (const ReferenceScratch::Key& k : *keys) {
      Span whole{k.command.begin, k.key.end + 1};
      if (!edit.span(whole)) return false;
    }
  }
  ReferenceScratch::Scope scope = {modes.self_contained,        modes.has_documentclass,
                                   modes.has_begin_document,    modes.label_macros_overflowed,
                                   scratch.scope.asked_options, false};
  std::optional<Span> options = scope.asked_options
                                    ? labels_in_options(ctx, modes, scratch.options, edit, window)
                                    : std::nullopt;
  scope.options = options.has_value();
  if (!(scope == scratch.scope)) return false;
  // The same keys and commands, the same scope: the same findings, moved.
  for (Diagnostic& d : scratch.found.items()) map_diagnostic(d, edit);
  for (std::vector<ReferenceScratch::Key>* keys : {&scratch.labels, &scratch.refs}) {
    for (ReferenceScratch::Key& k : *keys) {
      edit.span(k.key);
      edit.span(k.command);
    }
  }
  // A reach that read no changed token is before the edit or after it: it moves.
  for (Anchor& a : scratch.anchors) {
    edit.token(a.token);
    edit.token(a.reach);
  }
  scratch.suppressions = suppressions;
  scratch.options = options;
  return true;
}

}  // namespace perfectex::validators
