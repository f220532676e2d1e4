#include "validators/reference_rules.h"

#include <algorithm>

namespace perfectex::validators {
namespace {

using lexer::TokenKind;
using Key = ReferenceScratch::Key;

class ReferenceChecker {
 public:
  ReferenceChecker(const RuleContext& ctx, const ModeScratch& m, ReferenceScratch& s)
      : ctx_(ctx), toks_(ctx.tokens), n_(ctx.tokens.size()), m_(m), s_(s) {
    s_.labels.clear();
    s_.refs.clear();
    s_.overflowed = false;
  }

  void run() {
    for (const Event& e : m_.events) {
      bool prose = !(e.mode & (mode::kNotProse | mode::kPreamble));
      switch (e.cmd) {
        case Cmd::Ref:
          if (prose) space_before_ref(e.token);
          [[fallthrough]];
        case Cmd::OtherRef:
          if (!(e.mode & mode::kPreamble) && is_label_reference(ctx_.control_name(e.token)))
            collect_refs(e.token);
          break;
        case Cmd::Label:
          label(e);
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
  // is computed (a macro or a parameter).
  Span key_after(std::size_t i, std::size_t* close = nullptr) const {
    std::size_t j = i + 1;
    while (j < n_ && (toks_.kind(j) == TokenKind::Space ||
                      (toks_.kind(j) == TokenKind::Text && ctx_.token_text(j) == "*")))
      ++j;
    if (j < n_ && toks_.kind(j) == TokenKind::OpenBracket) {
      while (j < n_ && toks_.kind(j) != TokenKind::CloseBracket) ++j;
      ++j;
    }
    if (j >= n_ || toks_.kind(j) != TokenKind::BeginGroup) return {};
    for (std::size_t k = j + 1; k < n_ && k < j + 32; ++k) {
      switch (toks_.kind(k)) {
        case TokenKind::EndGroup:
          if (close != nullptr) *close = k;
          return {toks_.end(j), toks_.begin(k)};
        case TokenKind::Text:
        case TokenKind::Space:
        case TokenKind::Active:
        case TokenKind::Subscript:
        case TokenKind::Superscript:
        case TokenKind::Alignment:
        case TokenKind::MathShift:
          break;
        default:
          return {};
      }
    }
    return {};
  }

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

  void collect_refs(std::size_t i) {
    Span keys = key_after(i);
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

  void label(const Event& e) {
    std::size_t i = e.token;
    if (!(e.mode & (mode::kNotProse | mode::kPreamble))) space_before_anchor(i);
    Span key = key_after(i);
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

  // `label=` in the options of an environment (listings, thmtools) defines labels this rule
  // does not read; then it stays silent. Picture code (tikz node labels) does not count.
  bool labels_in_options() const {
    // Found by its `=`, which prose rarely holds: searching for "label=" stops at every `l`.
    constexpr std::string_view kNeedle = "label=";
    for (std::size_t eq = ctx_.text.find('=', kNeedle.size() - 1); eq != std::string_view::npos;
         eq = ctx_.text.find('=', eq + 1)) {
      std::size_t at = eq + 1 - kNeedle.size();
      if (ctx_.text.substr(at, kNeedle.size()) != kNeedle) continue;
      std::size_t lo = 0, hi = n_;  // the last token beginning at or before at
      while (hi - lo > 1) {
        std::size_t mid = (lo + hi) / 2;
        (toks_.begin(mid) <= at ? lo : hi) = mid;
      }
      std::size_t token = lo;
      auto in_region = [&](const ModeScratch::Region& r) {
        return r.first <= token && token <= r.last;
      };
      if (std::any_of(m_.regions.begin(), m_.regions.end(), in_region)) continue;
      // enumitem's label=(\alph*) formats; a key has no backslash or star.
      std::size_t end = ctx_.text.find_first_of(",]", at);
      std::string_view value = ctx_.text.substr(at + kNeedle.size(), end - at - kNeedle.size());
      if (value.find_first_of("\\*") == std::string_view::npos) return true;
    }
    return false;
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
    bool complete = m_.self_contained && m_.has_documentclass && m_.has_begin_document &&
                    !m_.label_macros_overflowed;
    bool want_undefined = complete && ctx_.out.wants(RuleId::UndefinedReference);
    bool want_unused = complete && ctx_.out.wants(RuleId::UnusedLabel) && !s_.labels.empty();
    auto undefined = [&](const Key& r) { return !contains(s_.labels, text_of(r.key)); };
    // The first reference to report; each is looked up once.
    auto first =
        want_undefined ? std::find_if(s_.refs.begin(), s_.refs.end(), undefined) : s_.refs.end();
    if (want_undefined || want_unused) {
      complete = (want_unused || first != s_.refs.end()) && !labels_in_options();
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

void check_references(const RuleContext& ctx, const ModeScratch& modes, ReferenceScratch& scratch) {
  ReferenceChecker(ctx, modes, scratch).run();
}

}  // namespace perfectex::validators
