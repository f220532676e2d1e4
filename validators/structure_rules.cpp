#include "validators/structure_rules.h"

#include <algorithm>
#include <array>
#include <optional>

#include "validators/checkpoints.h"
#include "validators/macro_rules.h"
#include "validators/structure_checkpoints.h"

namespace perfectex::validators {
namespace {

using lexer::TokenKind;
constexpr std::size_t kNone = static_cast<std::size_t>(-1);

constexpr std::string_view kMathEnvironments[] = {
    "equation", "equation*", "align",  "align*",      "alignat",  "alignat*",
    "flalign",  "flalign*",  "gather", "gather*",     "multline", "multline*",
    "eqnarray", "eqnarray*", "math",   "displaymath", "dmath",    "dmath*",
};

template <std::size_t N>
bool contains(const std::string_view (&list)[N], std::string_view name) {
  return std::find(std::begin(list), std::end(list), name) != std::end(list);
}

using lexer::expand::Item;
using lexer::expand::Spelling;

class StructureChecker {
 public:
  StructureChecker(const RuleContext& ctx, lexer::expand::ExpansionView& view,
                   StructureScratch& scratch, const ModeScratch& modes)
      : ctx_(ctx),
        view_(view),
        scratch_(scratch),
        stack_(scratch.frames),
        regions_(modes.regions),
        cuts_(modes.cuts) {}

  // A pass over the whole document.
  void start() {
    stack_.clear();
    scratch_.found.clear();
    scratch_.checkpoints.clear();
    next_checkpoint_ = scratch_.checkpoint_spacing;
    run();
  }

  // A pass from the last checkpoint before the edit (or the start) until the state is the
  // previous pass's again at one of its checkpoints at or after token until.
  std::size_t resume(const lexer::TokenEdit& edit, std::size_t until) {
    auto& cps = scratch_.checkpoints;
    auto kept = first_changed(cps, edit);
    // Whether an argument's `{` is closed depends on every brace and blank line after it: after
    // an edit that is not only words, resume before the first argument left unread for that.
    if (!edit.plain) {
      kept =
          std::partition_point(cps.begin(), kept, [](const Checkpoint& c) { return !c.ran_away; });
    }
    const bool at_start = kept == cps.begin();
    from_ = at_start ? Checkpoint{} : *(kept - 1);
    StructureScratch::Saved& saved = scratch_.saved;
    saved.checkpoints.assign(kept, cps.end());
    auto& found = scratch_.found.items();
    saved.diagnostics.assign(found.begin() + from_.diagnostics, found.end());
    found.resize(from_.diagnostics);
    cps.erase(kept, cps.end());
    old_steps_ = scratch_.steps;
    old_budget_reported_ = scratch_.budget_reported;
    stack_.assign(from_.frames.begin(), from_.frames.begin() + from_.frame_count);
    has_documentclass_ = from_.has_documentclass;
    documentclass_ = from_.documentclass;
    begin_document_seen_ = from_.begin_document_seen;
    first_begin_document_ = from_.first_begin_document;
    view_.resume(at_start ? 0 : from_.token + 1, from_.steps, from_.budget_reported,
                 from_.ran_away);
    for (std::size_t k = 0; k < from_.events && k < saved.events.size(); ++k)
      view_.adopt(saved.events[k]);
    edit_ = &edit;
    until_ = until;
    next_checkpoint_ = from_.token + scratch_.checkpoint_spacing;
    cut_ = static_cast<std::size_t>(std::partition_point(cuts_.begin(), cuts_.end(),
                                                         [&](const TrackerOutputs::Cut& c) {
                                                           return c.paragraph <= from_.token;
                                                         }) -
                                    cuts_.begin());
    run();
    return stopped_;
  }

  // One pass over the expanded stream: what a macro opens and another closes is balanced, and a
  // problem inside an expansion is reported at the use.
  void run() {
    Item it;
    while (view_.next(it, kStructureKinds)) {
      if (it.spelled == Spelling::Synthetic || verbatim(it.site.begin)) continue;
      switch (it.kind) {
        case TokenKind::BeginGroup:
          push(frame(FrameKind::Brace, Opener::Brace, it.site, it));
          break;
        case TokenKind::EndGroup:
          close_brace(it);
          break;
        case TokenKind::MathShift:
          dollar(it);
          break;
        case TokenKind::ControlWord:
          control_word(it);
          break;
        case TokenKind::ControlSymbol:
          control_symbol(it);
          break;
        case TokenKind::Alignment:
          alignment(it);
          break;
        case TokenKind::ParagraphBreak:
          paragraph(it);
          break;
        default:
          break;
      }
      if (document_ended_) {
        text_after_end();
        break;
      }
      if (it.kind == TokenKind::ParagraphBreak && paragraph_end(it)) return;
    }
    stopped_ = ctx_.tokens.size();
    auto end = static_cast<std::uint32_t>(ctx_.text.size());
    while (!stack_.empty()) {
      report_unclosed(stack_.back(), Span{end, end}, false);
      stack_.pop_back();
    }
    // Definitions are checked for their own braces only.
    for (const lexer::expand::Region& r : view_.table().regions()) {
      if (r.unclosed == lexer::expand::kNone) continue;
      Span open{ctx_.tokens.begin(r.unclosed), ctx_.tokens.end(r.unclosed)};
      report_unclosed({FrameKind::Brace, Opener::Brace, false, open, {}}, Span{end, end}, false);
    }
    if (has_documentclass_ && !begin_document_seen_) {
      emit(make(RuleId::MissingBeginDocument, documentclass_));
    }
    scratch_.steps = view_.steps();
    scratch_.budget_reported = view_.budget_reported();
  }

 private:
  static Span span(lexer::expand::ByteRange r) { return {r.begin, r.end}; }

  // Whether byte at is in a verbatim region of the mode tracker: whether the first verbatim
  // region (in order) that ends after at starts at or before it. A function of at alone, so the
  // items run() never sees do not change it. Items come mostly in order of site; the arguments
  // of a use come before the rest of its body, whose site is the use, so at may step back.
  bool verbatim(std::uint32_t at) {
    if (at < verbatim_begin_ && at >= previous_end_) [[likely]]
      return false;
    return verbatim_slow(at);
  }
  [[gnu::noinline]] bool verbatim_slow(std::uint32_t at) {
    if (at < previous_end_) {  // back before the current region: start over
      region_ = 0;
      previous_end_ = verbatim_begin_ = verbatim_end_ = 0;
    }
    while (at >= verbatim_end_) next_verbatim();
    return at >= verbatim_begin_;
  }
  // Moves to the next verbatim region's bytes (past the end: none).
  void next_verbatim() {
    previous_end_ = std::max(previous_end_, verbatim_end_);
    while (region_ < regions_.size() && (regions_[region_].kind & mode::kVerbatim) == 0) ++region_;
    if (region_ == regions_.size()) {
      verbatim_begin_ = verbatim_end_ = UINT32_MAX;
      return;
    }
    verbatim_begin_ = ctx_.tokens.begin(regions_[region_].first);
    verbatim_end_ = ctx_.tokens.end(regions_[region_].last);
    ++region_;
  }

  Frame frame(FrameKind kind, Opener opener, lexer::expand::ByteRange open, const Item& it) const {
    Frame f{kind, opener, false, span(open), {}};
    f.macro = it.macro;
    return f;
  }

  Diagnostic make(RuleId rule, Span range, std::uint32_t macro = lexer::expand::kNone) const {
    Diagnostic d;
    d.rule = rule;
    d.range = range;
    set_expansion(d, view_.table(), macro);
    return d;
  }
  Diagnostic make(RuleId rule, const Item& it) const { return make(rule, span(it.site), it.macro); }
  void emit(const Diagnostic& d) { ctx_.out.emit(d); }

  // The k-th item ahead that is not a space, line end or comment (k counts from 0), or kNone.
  std::size_t significant(std::size_t k) {
    for (; k < lexer::expand::ExpansionView::kLookahead; ++k) {
      const Item* p = view_.peek(k);
      if (p == nullptr) return kNone;
      if (!lexer::expand::blank(p->kind)) return k;
    }
    return kNone;
  }
  void skip(std::size_t count) {
    Item it;
    while (count-- > 0) view_.next(it);
  }

  void push(const Frame& f) {
    if (stack_.size() == StructureScratch::kMaxDepth) {
      if (overflow_ == 0) emit(make(RuleId::NestingTooDeep, f.open, f.macro));
      ++overflow_;
      return;
    }
    stack_.push_back(f);
  }

  // Reports a construct that is still open when something outside it closes (at cut).
  void report_unclosed(const Frame& f, Span cut, bool has_cut) {
    RuleId rule = RuleId::UnclosedBrace;
    switch (f.kind) {
      case FrameKind::Brace:
        rule = RuleId::UnclosedBrace;
        break;
      case FrameKind::Environment:
        rule = RuleId::UnclosedEnvironment;
        break;
      case FrameKind::Math:
        rule = RuleId::UnclosedMath;
        break;
      case FrameKind::Left:
        rule = RuleId::UnclosedLeft;
        break;
    }
    Diagnostic d = make(rule, f.open, f.macro);
    d.args[0] = f.kind == FrameKind::Environment ? f.name : f.open;
    if (f.kind == FrameKind::Environment && f.name_in_prelude) d.in_prelude |= kArg0InPrelude;
    d.variant = static_cast<std::uint8_t>(f.opener);
    d.fix_at = cut.begin;
    d.related = cut;
    d.has_related = has_cut;
    emit(d);
  }

  // Pops and reports every frame above index keep (exclusive), cut off at cut.
  void unwind_to(std::size_t keep, Span cut) {
    while (stack_.size() > keep + 1) {
      report_unclosed(stack_.back(), cut, true);
      stack_.pop_back();
    }
  }

  template <typename Pred>
  std::size_t find_frame(Pred pred) const {
    for (std::size_t k = stack_.size(); k-- > 0;) {
      if (pred(stack_[k])) return k;
    }
    return kNone;
  }

  bool consume_overflow() {
    if (overflow_ == 0) return false;
    --overflow_;
    return true;
  }

  void close_brace(const Item& it) {
    if (consume_overflow()) return;
    std::size_t k = find_frame([](const Frame& f) { return f.kind == FrameKind::Brace; });
    if (k == kNone) {
      emit(make(RuleId::UnmatchedCloseBrace, it));
      return;
    }
    unwind_to(k, span(it.site));
    stack_.pop_back();
  }

  // The span of two adjacent items: written text spans both, an expansion reports its use.
  static Span joined(const Item& a, const Item& b) {
    return a.expanded() ? span(a.site) : Span{a.site.begin, b.site.end};
  }

  void dollar(const Item& it) {
    const Item* after = view_.peek(0);
    bool dbl = after != nullptr && after->kind == TokenKind::MathShift && after->begin == it.end &&
               after->macro == it.macro && after->spelled == it.spelled;
    Item second = dbl ? *after : it;
    if (dbl) skip(1);
    Span at = span(it.site);
    // \left frames left open inside $...$ are cut off by the closing $ (TeX: "Missing \right.").
    std::size_t k = find_frame([](const Frame& f) { return f.kind != FrameKind::Left; });
    if (k != kNone && k + 1 < stack_.size() && stack_[k].kind == FrameKind::Math &&
        (stack_[k].opener == Opener::Dollar || stack_[k].opener == Opener::DoubleDollar)) {
      unwind_to(k, at);
    }
    const Frame* top = stack_.empty() ? nullptr : &stack_.back();
    // Inside \[ \] or \( \), a $ starts text-mode math in an argument such as
    // \inferrule*[right=$x$]; it nests rather than closes.
    if (top == nullptr || top->kind != FrameKind::Math || top->opener == Opener::Paren ||
        top->opener == Opener::Bracket) {
      Frame f = frame(FrameKind::Math, dbl ? Opener::DoubleDollar : Opener::Dollar, it.site, it);
      f.open = dbl ? joined(it, second) : at;
      push(f);
      return;
    }
    if (top->opener == Opener::Dollar) {
      if (dbl) {
        // $$ after $: the first closes, the second opens again.
        stack_.pop_back();
        push(frame(FrameKind::Math, Opener::Dollar, second.site, second));
        return;
      }
      stack_.pop_back();
      return;
    }
    if (dbl) {
      stack_.pop_back();
      return;
    }
    // A single $ inside $$ display math: TeX ends the math here, with an error.
    mismatched_math(it, *top);
    stack_.pop_back();
  }

  void mismatched_math(const Item& closer, const Frame& open) {
    Diagnostic d = make(RuleId::MismatchedMathDelimiter, closer);
    d.args[0] = span(closer.site);
    d.variant = static_cast<std::uint8_t>(open.opener);
    d.related = open.open;
    d.has_related = true;
    emit(d);
  }

  void close_math(const Item& it, Opener expected) {
    std::size_t k = find_frame(
        [&](const Frame& f) { return f.kind == FrameKind::Math && f.opener == expected; });
    if (k == kNone) k = find_frame([](const Frame& f) { return f.kind == FrameKind::Math; });
    if (k == kNone) {
      Diagnostic d = make(RuleId::UnmatchedMathClose, it);
      d.args[0] = span(it.site);
      emit(d);
      return;
    }
    unwind_to(k, span(it.site));
    if (stack_.back().opener != expected) mismatched_math(it, stack_.back());
    stack_.pop_back();
  }

  void control_symbol(const Item& it) {
    std::string_view text = view_.text(it);
    if (text.size() < 2) return;
    switch (text[1]) {
      case '(':
        push(frame(FrameKind::Math, Opener::Paren, it.site, it));
        break;
      case '[':
        push(frame(FrameKind::Math, Opener::Bracket, it.site, it));
        break;
      case ')':
        close_math(it, Opener::Paren);
        break;
      case ']':
        close_math(it, Opener::Bracket);
        break;
      case '\\':
        alignment(it);
        break;
      default:
        break;
    }
  }

  void alignment(const Item& it) {
    if (stack_.empty() || stack_.back().kind != FrameKind::Left || stack_.back().inner_reported)
      return;
    stack_.back().inner_reported = true;
    Diagnostic d = make(RuleId::LeftRightAcrossAlignment, it);
    d.args[0] = span(it.site);
    d.related = stack_.back().open;
    d.has_related = true;
    emit(d);
  }

  // The opening byte of what the mode tracker cut off at this paragraph break (a blank line written
  // in the document), if it cut anything.
  std::optional<std::uint32_t> cut_at(const Item& it) {
    if (it.expanded() || it.spelled != Spelling::Document) return std::nullopt;
    const lexer::TokenBuffer& toks = ctx_.tokens;
    while (cut_ < cuts_.size() && toks.begin(cuts_[cut_].paragraph) < it.site.begin) ++cut_;
    if (cut_ == cuts_.size() || toks.begin(cuts_[cut_].paragraph) != it.site.begin)
      return std::nullopt;
    return toks.begin(cuts_[cut_].opener);
  }

  void paragraph(const Item& it) {
    // What cannot span a paragraph (an argument that cannot, math) ends here, with all it
    // holds, as the mode tracker found.
    if (std::optional<std::uint32_t> opener = cut_at(it)) {
      std::size_t k = find_frame([&](const Frame& f) {
        return f.macro == lexer::expand::kNone && f.open.begin == *opener;
      });
      while (k != kNone && stack_.size() > k) {
        report_unclosed(stack_.back(), span(it.site), true);
        stack_.pop_back();
      }
    }
    if (stack_.empty()) return;
    const Frame& top = stack_.back();
    if (top.kind == FrameKind::Math) {
      report_unclosed(top, span(it.site), true);
      stack_.pop_back();
    } else if (top.kind == FrameKind::Environment && top.math_env && !top.inner_reported) {
      stack_.back().inner_reported = true;
      Diagnostic d = make(RuleId::ParagraphInMath, it);
      d.args[0] = top.name;
      d.related = top.open;
      d.has_related = true;
      emit(d);
    }
  }

  // An environment's name: its bytes, in the document or (written in a prelude's body) in the
  // prelude's text.
  struct Name {
    Span span;
    bool in_prelude = false;
  };

  // Reads {name} after \begin or \end. Returns false (consuming nothing) when the name is
  // computed (a macro or parameter) and cannot be checked, or is missing (reported); else
  // consumes it and sets name and close (the closing brace).
  bool environment_name(const Item& cmd, Name& name, Item& close) {
    std::size_t j = significant(0);
    const Item* open = j == kNone ? nullptr : view_.peek(j);
    if (open == nullptr || open->kind != TokenKind::BeginGroup) {
      if (open == nullptr || open->kind != TokenKind::ControlWord) missing_name(cmd);
      return false;
    }
    for (std::size_t k = j + 1; k < j + 16; ++k) {
      const Item* p = view_.peek(k);
      if (p == nullptr) return false;
      if (p->kind == TokenKind::EndGroup) {
        open = view_.peek(j);
        if (p->macro != open->macro || p->spelled != open->spelled || p->begin < open->end)
          return false;
        name = {{open->end, p->begin}, open->spelled == Spelling::Prelude};
        if (name.span.empty()) {
          missing_name(cmd);
          return false;
        }
        close = *p;
        skip(k + 1);
        return true;
      }
      if (p->spelled == Spelling::Synthetic ||
          (p->kind != TokenKind::Text && p->kind != TokenKind::Space))
        return false;
    }
    return false;
  }

  void begin_environment(const Item& it) {
    Name name;
    Item close;
    if (!environment_name(it, name, close)) return;
    std::string_view text = name_text(name.span, name.in_prelude);
    Span open = joined(it, close);
    if (text == "document") {
      if (begin_document_seen_) {
        Diagnostic d = make(RuleId::DuplicateBeginDocument, open, it.macro);
        d.related = first_begin_document_;
        d.has_related = true;
        emit(d);
      } else {
        begin_document_seen_ = true;
        first_begin_document_ = open;
      }
    }
    Frame f = frame(FrameKind::Environment, Opener::Brace, {open.begin, open.end}, it);
    f.math_env = contains(kMathEnvironments, text);
    f.name = name.span;
    f.name_in_prelude = name.in_prelude;
    push(f);
  }

  void missing_name(const Item& it) {
    Diagnostic d = make(RuleId::MissingEnvironmentName, it);
    d.args[0] = span(it.site);
    emit(d);
  }

  std::string_view name_text(Span s, bool in_prelude) const {
    std::string_view text = in_prelude ? view_.text(Spelling::Prelude) : ctx_.text;
    return text.substr(s.begin, s.end - s.begin);
  }
  std::string_view name_text(const Frame& f) const { return name_text(f.name, f.name_in_prelude); }

  void end_environment(const Item& it) {
    Name name;
    Item close;
    if (!environment_name(it, name, close)) return;
    if (consume_overflow()) return;
    Span closer = joined(it, close);
    std::string_view text = name_text(name.span, name.in_prelude);
    std::size_t k = find_frame(
        [&](const Frame& f) { return f.kind == FrameKind::Environment && name_text(f) == text; });
    if (k == kNone) k = find_frame([](const Frame& f) { return f.kind == FrameKind::Environment; });
    if (k == kNone) {
      Diagnostic d = make(RuleId::UnmatchedEnd, closer, it.macro);
      d.args[0] = name.span;
      if (name.in_prelude) d.in_prelude |= kArg0InPrelude;
      emit(d);
      return;
    }
    unwind_to(k, closer);
    const Frame& open = stack_.back();
    if (name_text(open) != text) {
      Diagnostic d = make(RuleId::MismatchedEnvironment, closer, it.macro);
      d.args[0] = name.span;
      d.args[1] = open.name;
      if (name.in_prelude) d.in_prelude |= kArg0InPrelude;
      if (open.name_in_prelude) d.in_prelude |= kArg1InPrelude;
      d.related = open.open;
      d.has_related = true;
      emit(d);
    } else if (text == "document" && stack_.size() == 1) {
      document_ended_ = true;
    }
    stack_.pop_back();
  }

  // \left and \right with their delimiter; a brace after them is an error, not a group.
  void left_right(const Item& it, bool left) {
    std::size_t j = significant(0);
    const Item* p = j == kNone ? nullptr : view_.peek(j);
    Span range = span(it.site);
    bool brace = false;
    std::uint32_t fix_at = 0;
    bool in_prelude = false;  // the brace is written in a prelude's body: no fix here
    if (p != nullptr && p->kind != TokenKind::ParagraphBreak && p->kind != TokenKind::Verbatim) {
      if (!it.expanded()) range = {it.site.begin, p->site.begin + 1};
      brace = p->kind == (left ? TokenKind::BeginGroup : TokenKind::EndGroup);
      fix_at = p->begin;
      in_prelude = p->spelled == Spelling::Prelude;
    }
    if (brace) {
      Diagnostic d = make(RuleId::LeftBraceDelimiter, range, it.macro);
      d.args[0] = range;
      d.fix_at = fix_at;
      if (in_prelude) d.in_prelude |= kFixInPrelude;
      emit(d);
      skip(j + 1);
    }
    if (left) {
      Frame f = frame(FrameKind::Left, Opener::Left, it.site, it);
      f.open = range;
      push(f);
      return;
    }
    if (consume_overflow()) return;
    std::size_t k = find_frame(
        [](const Frame& f) { return f.kind == FrameKind::Left || f.kind == FrameKind::Math; });
    if (k == kNone || stack_[k].kind != FrameKind::Left) {
      Diagnostic d = make(RuleId::UnmatchedRight, range, it.macro);
      d.args[0] = range;
      emit(d);
      return;
    }
    unwind_to(k, range);
    stack_.pop_back();
  }

  void control_word(const Item& it) {
    std::string_view name = view_.text(it).substr(1);
    if (name == "begin") return begin_environment(it);
    if (name == "end") return end_environment(it);
    if (name == "left") return left_right(it, true);
    if (name == "right") return left_right(it, false);
    if (name == "documentclass" && stack_.empty() && !has_documentclass_) {
      has_documentclass_ = true;
      documentclass_ = span(it.site);
    }
  }

  void text_after_end() {
    Item it;
    Span range;
    bool any = false;
    while (view_.next(it)) {
      if (lexer::expand::blank(it.kind) || it.kind == TokenKind::ParagraphBreak) continue;
      if (!any) range.begin = it.site.begin;
      range.end = std::max(range.end, it.site.end);
      any = true;
    }
    if (any) emit(make(RuleId::TextAfterEndDocument, range));
  }

  using Checkpoint = StructureScratch::Checkpoint;

  // After a paragraph break written in the document: stops (true) where a resumed pass meets
  // the previous one; records a checkpoint every so often where the view is at rest.
  bool paragraph_end(const Item& it) {
    if (it.expanded() || it.spelled != Spelling::Document || !view_.at_rest()) return false;
    const std::uint32_t t = view_.next_token() - 1;
    // The previous pass's checkpoint here, if any: the state is taken only where it is compared
    // or kept.
    const Checkpoint* old = edit_ != nullptr && t >= edit_->new_end && t + 1 >= until_
                                ? previous_at(scratch_.saved.checkpoints, cursor_, t, *edit_)
                                : nullptr;
    const bool due =
        t >= next_checkpoint_ && scratch_.checkpoints.size() < scratch_.checkpoints.capacity();
    std::optional<Checkpoint> here;
    if (old != nullptr || due) here = snapshot(t);
    if (old != nullptr && here && met_previous(*old, *here)) {
      stopped_ = t + 1;
      return true;
    }
    if (due && here) {
      scratch_.checkpoints.push_back(*here);
      next_checkpoint_ = t + scratch_.checkpoint_spacing;
    }
    return false;
  }

  // The state after paragraph break t, when it can be a checkpoint: few frames open.
  std::optional<Checkpoint> snapshot(std::uint32_t t) const {
    if (overflow_ > 0 || stack_.size() > Checkpoint::kMaxFrames) return std::nullopt;
    Checkpoint c{};
    c.token = t;
    c.diagnostics = static_cast<std::uint32_t>(scratch_.found.items().size());
    c.events = static_cast<std::uint32_t>(view_.scratch_events().size());
    c.steps = view_.steps();
    c.budget_reported = view_.budget_reported();
    c.ran_away = view_.ran_away();
    c.has_documentclass = has_documentclass_;
    c.begin_document_seen = begin_document_seen_;
    c.documentclass = documentclass_;
    c.first_begin_document = first_begin_document_;
    c.frame_count = static_cast<std::uint8_t>(stack_.size());
    std::copy(stack_.begin(), stack_.end(), c.frames.begin());
    return c;
  }

  // Whether the state here is the previous pass's at the same break; if so, moves the rest of
  // that pass's findings over, mapped through the edit.
  bool met_previous(const Checkpoint& old, const Checkpoint& here) {
    // The rest of the previous pass read old_steps_ - old.steps tokens of expansions: the budget
    // it never reached is not reached from here either.
    const std::uint64_t rest = old_steps_ - old.steps;
    if (old.budget_reported || old_budget_reported_ || here.budget_reported ||
        old.ran_away != here.ran_away || here.steps + rest >= view_.limits().max_steps_total ||
        !same_state(old, here, *edit_))
      return false;
    adopt_rest(scratch_, view_, from_, old, cursor_, *edit_);
    scratch_.steps = here.steps + rest;
    scratch_.budget_reported = false;
    return true;
  }

  const RuleContext& ctx_;
  lexer::expand::ExpansionView& view_;
  StructureScratch& scratch_;
  std::vector<Frame>& stack_;
  const lexer::LargeVector<ModeScratch::Region>& regions_;
  const lexer::LargeVector<TrackerOutputs::Cut>& cuts_;
  std::size_t cut_ = 0;     ///< the first cut at or after the current paragraph break
  std::size_t region_ = 0;  ///< the region after the current verbatim one
  std::uint32_t verbatim_begin_ = 0, verbatim_end_ = 0;  ///< the current verbatim region's bytes
  std::uint32_t previous_end_ = 0;  ///< the latest end of the verbatim regions before it
  std::size_t overflow_ = 0;
  bool has_documentclass_ = false;
  Span documentclass_;
  bool begin_document_seen_ = false;
  bool document_ended_ = false;
  Span first_begin_document_;
  // Resumed passes: the edit, the checkpoint resumed from, the previous pass's next checkpoint
  // to compare with, and how far that pass's expansions went.
  const lexer::TokenEdit* edit_ = nullptr;
  std::size_t until_ = 0;
  Checkpoint from_{};
  std::size_t cursor_ = 0;
  std::size_t next_checkpoint_ = 0;
  std::size_t stopped_ = 0;
  std::uint64_t old_steps_ = 0;
  bool old_budget_reported_ = false;
};

}  // namespace

StructureScratch::StructureScratch() : found(256) {
  frames.reserve(kMaxDepth);
}

void StructureScratch::prepare(std::size_t n) {
  const std::size_t points = 2 * (n / checkpoint_spacing) + 8;
  if (checkpoints.capacity() < points) checkpoints.reserve(points);
  if (saved.checkpoints.capacity() < points) saved.checkpoints.reserve(points);
  if (saved.diagnostics.capacity() < found.capacity()) saved.diagnostics.reserve(found.capacity());
}

void check_structure(const RuleContext& ctx, lexer::expand::ExpansionView& view,
                     StructureScratch& scratch, const ModeScratch& modes) {
  Emitter out(ctx.out.config(), scratch.found);
  RuleContext found{ctx.text, ctx.tokens, out};
  StructureChecker(found, view, scratch, modes).start();
}

std::size_t check_structure(const RuleContext& ctx, lexer::expand::ExpansionView& view,
                            StructureScratch& scratch, const ModeScratch& modes,
                            const lexer::TokenEdit& edit, std::size_t until) {
  Emitter out(ctx.out.config(), scratch.found);
  RuleContext found{ctx.text, ctx.tokens, out};
  return StructureChecker(found, view, scratch, modes).resume(edit, until);
}

}  // namespace perfectex::validators
