#include "validators/structure_rules.h"

#include <algorithm>
#include <array>

namespace perfectex::validators {
namespace {

using lexer::TokenKind;
constexpr std::size_t kNone = static_cast<std::size_t>(-1);

constexpr std::string_view kMathEnvironments[] = {
    "equation", "equation*", "align",  "align*",      "alignat",  "alignat*",
    "flalign",  "flalign*",  "gather", "gather*",     "multline", "multline*",
    "eqnarray", "eqnarray*", "math",   "displaymath", "dmath",    "dmath*",
};

// Commands whose arguments are definitions: only their braces are checked, since a body may
// open what another closes. name_then_groups: mandatory groups after the defined name.
enum class DefShape : std::uint8_t { NameThenGroups, ParamTextThenBody, Let };
struct Definer {
  std::string_view name;
  DefShape shape;
  std::uint8_t groups;
};
constexpr Definer kDefiners[] = {
    {"newcommand", DefShape::NameThenGroups, 1},
    {"renewcommand", DefShape::NameThenGroups, 1},
    {"providecommand", DefShape::NameThenGroups, 1},
    {"DeclareRobustCommand", DefShape::NameThenGroups, 1},
    {"newrobustcmd", DefShape::NameThenGroups, 1},
    {"renewrobustcmd", DefShape::NameThenGroups, 1},
    {"newcommandx", DefShape::NameThenGroups, 1},
    {"renewcommandx", DefShape::NameThenGroups, 1},
    {"DeclareMathOperator", DefShape::NameThenGroups, 1},
    {"newenvironment", DefShape::NameThenGroups, 2},
    {"renewenvironment", DefShape::NameThenGroups, 2},
    {"lstnewenvironment", DefShape::NameThenGroups, 2},
    {"NewDocumentCommand", DefShape::NameThenGroups, 2},
    {"RenewDocumentCommand", DefShape::NameThenGroups, 2},
    {"ProvideDocumentCommand", DefShape::NameThenGroups, 2},
    {"DeclareDocumentCommand", DefShape::NameThenGroups, 2},
    {"NewExpandableDocumentCommand", DefShape::NameThenGroups, 2},
    {"NewDocumentEnvironment", DefShape::NameThenGroups, 3},
    {"RenewDocumentEnvironment", DefShape::NameThenGroups, 3},
    {"DeclareDocumentEnvironment", DefShape::NameThenGroups, 3},
    {"patchcmd", DefShape::NameThenGroups, 4},
    {"xpatchcmd", DefShape::NameThenGroups, 4},
    {"pretocmd", DefShape::NameThenGroups, 3},
    {"apptocmd", DefShape::NameThenGroups, 3},
    {"def", DefShape::ParamTextThenBody, 1},
    {"gdef", DefShape::ParamTextThenBody, 1},
    {"edef", DefShape::ParamTextThenBody, 1},
    {"xdef", DefShape::ParamTextThenBody, 1},
    {"let", DefShape::Let, 0},
    {"futurelet", DefShape::Let, 0},
};

constexpr std::string_view kConditionals[] = {
    "if",      "ifx",     "ifnum",   "ifdim",     "ifcase",   "ifodd",      "iftrue",
    "iffalse", "ifmmode", "ifvmode", "ifhmode",   "ifinner",  "ifvoid",     "ifhbox",
    "ifvbox",  "ifeof",   "ifcat",   "ifdefined", "ifcsname", "ifincsname",
};

template <std::size_t N>
bool contains(const std::string_view (&list)[N], std::string_view name) {
  return std::find(std::begin(list), std::end(list), name) != std::end(list);
}

class StructureChecker {
 public:
  StructureChecker(const RuleContext& ctx, StructureScratch& scratch)
      : ctx_(ctx), toks_(ctx.tokens), stack_(scratch.frames), n_(ctx.tokens.size()) {
    stack_.clear();
  }

  void run() {
    for (std::size_t i = 0; i < n_; ++i) {
      switch (toks_.kind(i)) {
        case TokenKind::BeginGroup:
          push({FrameKind::Brace, Opener::Brace, false, span(i), {}});
          break;
        case TokenKind::EndGroup:
          close_brace(i);
          break;
        case TokenKind::MathShift:
          i = dollar(i);
          break;
        case TokenKind::ControlWord:
          i = control_word(i);
          break;
        case TokenKind::ControlSymbol:
          control_symbol(i);
          break;
        case TokenKind::Alignment:
          alignment(i);
          break;
        case TokenKind::ParagraphBreak:
          paragraph(i);
          break;
        default:
          break;
      }
      if (document_ended_) {
        text_after_end(i + 1);
        return;
      }
    }
    auto end = static_cast<std::uint32_t>(ctx_.text.size());
    while (!stack_.empty()) {
      report_unclosed(stack_.back(), Span{end, end}, false);
      stack_.pop_back();
    }
    if (documentclass_ != kNone && !begin_document_seen_) {
      emit(RuleId::MissingBeginDocument, span(documentclass_));
    }
  }

 private:
  Span span(std::size_t i) const { return {toks_.begin(i), toks_.end(i)}; }

  Diagnostic make(RuleId rule, Span range) const {
    Diagnostic d;
    d.rule = rule;
    d.range = range;
    return d;
  }
  void emit(RuleId rule, Span range) { ctx_.out.emit(make(rule, range)); }

  // The next token that is not a space, line end or comment; n_ when there is none.
  std::size_t next_significant(std::size_t i) const {
    while (i < n_) {
      TokenKind k = toks_.kind(i);
      if (k != TokenKind::Space && k != TokenKind::Newline && k != TokenKind::Comment) return i;
      ++i;
    }
    return n_;
  }

  // The EndGroup matching the BeginGroup at i; kNone when it is never closed.
  std::size_t matching_group_end(std::size_t i) const {
    int depth = 0;
    for (std::size_t j = i; j < n_; ++j) {
      TokenKind k = toks_.kind(j);
      if (k == TokenKind::BeginGroup) {
        ++depth;
      } else if (k == TokenKind::EndGroup && --depth == 0) {
        return j;
      }
    }
    return kNone;
  }

  // The CloseBracket ending an optional argument at i, outside braces, before a paragraph ends.
  std::size_t matching_bracket_end(std::size_t i) const {
    int depth = 0;
    for (std::size_t j = i + 1; j < n_; ++j) {
      TokenKind k = toks_.kind(j);
      if (k == TokenKind::BeginGroup) ++depth;
      if (k == TokenKind::EndGroup && --depth < 0) return kNone;
      if (k == TokenKind::ParagraphBreak) return kNone;
      if (k == TokenKind::CloseBracket && depth == 0) return j;
    }
    return kNone;
  }

  void push(const Frame& frame) {
    if (stack_.size() == StructureScratch::kMaxDepth) {
      if (overflow_ == 0) {
        emit(RuleId::NestingTooDeep, frame.open);
      }
      ++overflow_;
      return;
    }
    stack_.push_back(frame);
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
    Diagnostic d = make(rule, f.open);
    d.args[0] = f.kind == FrameKind::Environment ? f.name : f.open;
    d.variant = static_cast<std::uint8_t>(f.opener);
    d.fix_at = cut.begin;
    d.related = cut;
    d.has_related = has_cut;
    ctx_.out.emit(d);
  }

  // Pops and reports every frame above index keep (exclusive), cut off by the token at cut.
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

  void close_brace(std::size_t i) {
    if (consume_overflow()) return;
    std::size_t k = find_frame([](const Frame& f) { return f.kind == FrameKind::Brace; });
    if (k == kNone) {
      emit(RuleId::UnmatchedCloseBrace, span(i));
      return;
    }
    unwind_to(k, span(i));
    stack_.pop_back();
  }

  std::size_t dollar(std::size_t i) {
    bool dbl = i + 1 < n_ && toks_.kind(i + 1) == TokenKind::MathShift &&
               toks_.begin(i + 1) == toks_.end(i);
    // \left frames left open inside $...$ are cut off by the closing $ (TeX: "Missing \right.").
    std::size_t k = find_frame([](const Frame& f) { return f.kind != FrameKind::Left; });
    if (k != kNone && k + 1 < stack_.size() && stack_[k].kind == FrameKind::Math &&
        (stack_[k].opener == Opener::Dollar || stack_[k].opener == Opener::DoubleDollar)) {
      unwind_to(k, span(i));
    }
    const Frame* top = stack_.empty() ? nullptr : &stack_.back();
    // Inside \[ \] or \( \), a $ starts text-mode math in an argument such as
    // \inferrule*[right=$x$]; it nests rather than closes.
    if (top == nullptr || top->kind != FrameKind::Math || top->opener == Opener::Paren ||
        top->opener == Opener::Bracket) {
      push({FrameKind::Math,
            dbl ? Opener::DoubleDollar : Opener::Dollar,
            false,
            dbl ? Span{toks_.begin(i), toks_.end(i + 1)} : span(i),
            {}});
      return dbl ? i + 1 : i;
    }
    if (top->opener == Opener::Dollar) {
      stack_.pop_back();
      return i;
    }
    if (dbl) {
      stack_.pop_back();
      return i + 1;
    }
    // A single $ inside $$ display math: TeX ends the math here, with an error.
    mismatched_math(span(i), *top);
    stack_.pop_back();
    return i;
  }

  void mismatched_math(Span closer, const Frame& open) {
    Diagnostic d = make(RuleId::MismatchedMathDelimiter, closer);
    d.args[0] = closer;
    d.variant = static_cast<std::uint8_t>(open.opener);
    d.related = open.open;
    d.has_related = true;
    ctx_.out.emit(d);
  }

  void close_math(std::size_t i, Opener expected) {
    std::size_t k = find_frame(
        [&](const Frame& f) { return f.kind == FrameKind::Math && f.opener == expected; });
    if (k == kNone) k = find_frame([](const Frame& f) { return f.kind == FrameKind::Math; });
    if (k == kNone) {
      Diagnostic d = make(RuleId::UnmatchedMathClose, span(i));
      d.args[0] = span(i);
      ctx_.out.emit(d);
      return;
    }
    unwind_to(k, span(i));
    if (stack_.back().opener != expected) mismatched_math(span(i), stack_.back());
    stack_.pop_back();
  }

  void control_symbol(std::size_t i) {
    if (toks_.length(i) < 2) return;
    switch (ctx_.text[toks_.begin(i) + 1]) {
      case '(':
        push({FrameKind::Math, Opener::Paren, false, span(i), {}});
        break;
      case '[':
        push({FrameKind::Math, Opener::Bracket, false, span(i), {}});
        break;
      case ')':
        close_math(i, Opener::Paren);
        break;
      case ']':
        close_math(i, Opener::Bracket);
        break;
      case '\\':
        alignment(i);
        break;
      default:
        break;
    }
  }

  void alignment(std::size_t i) {
    if (stack_.empty() || stack_.back().kind != FrameKind::Left || stack_.back().inner_reported)
      return;
    stack_.back().inner_reported = true;
    Diagnostic d = make(RuleId::LeftRightAcrossAlignment, span(i));
    d.args[0] = span(i);
    d.related = stack_.back().open;
    d.has_related = true;
    ctx_.out.emit(d);
  }

  void paragraph(std::size_t i) {
    if (stack_.empty()) return;
    const Frame& top = stack_.back();
    if (top.kind == FrameKind::Math) {
      report_unclosed(top, span(i), true);
      stack_.pop_back();
    } else if (top.kind == FrameKind::Environment && top.math_env && !top.inner_reported) {
      stack_.back().inner_reported = true;
      Diagnostic d = make(RuleId::ParagraphInMath, span(i));
      d.args[0] = top.name;
      d.related = top.open;
      d.has_related = true;
      ctx_.out.emit(d);
    }
  }

  // Reads {name} after \begin or \end at i. Returns the index of the closing brace, or kNone
  // when the name is computed (a macro or parameter) and cannot be checked, or is missing
  // (reported).
  std::size_t environment_name(std::size_t i, Span& name) {
    std::size_t j = next_significant(i + 1);
    if (j == n_ || toks_.kind(j) != TokenKind::BeginGroup) {
      if (j == n_ || toks_.kind(j) != TokenKind::ControlWord) missing_name(i);
      return kNone;
    }
    for (std::size_t k = j + 1; k < n_ && k < j + 16; ++k) {
      TokenKind kind = toks_.kind(k);
      if (kind == TokenKind::EndGroup) {
        name = {toks_.end(j), toks_.begin(k)};
        if (!name.empty()) return k;
        missing_name(i);
        return kNone;
      }
      if (kind != TokenKind::Text && kind != TokenKind::Space) return kNone;
    }
    return kNone;
  }

  std::size_t begin_environment(std::size_t i) {
    Span name;
    std::size_t close = environment_name(i, name);
    if (close == kNone) return i;
    std::string_view text = ctx_.text.substr(name.begin, name.end - name.begin);
    Span open = {toks_.begin(i), toks_.end(close)};
    if (text == "document") {
      if (begin_document_seen_) {
        Diagnostic d = make(RuleId::DuplicateBeginDocument, open);
        d.related = first_begin_document_;
        d.has_related = true;
        ctx_.out.emit(d);
      } else {
        begin_document_seen_ = true;
        first_begin_document_ = open;
      }
    }
    push({FrameKind::Environment, Opener::Brace, contains(kMathEnvironments, text), open, name});
    return close;
  }

  void missing_name(std::size_t i) {
    Diagnostic d = make(RuleId::MissingEnvironmentName, span(i));
    d.args[0] = span(i);
    ctx_.out.emit(d);
  }

  std::string_view name_text(Span s) const { return ctx_.text.substr(s.begin, s.end - s.begin); }

  std::size_t end_environment(std::size_t i) {
    Span name;
    std::size_t close = environment_name(i, name);
    if (close == kNone) return i;
    if (consume_overflow()) return close;
    Span closer = {toks_.begin(i), toks_.end(close)};
    std::string_view text = name_text(name);
    std::size_t k = find_frame([&](const Frame& f) {
      return f.kind == FrameKind::Environment && name_text(f.name) == text;
    });
    if (k == kNone) k = find_frame([](const Frame& f) { return f.kind == FrameKind::Environment; });
    if (k == kNone) {
      Diagnostic d = make(RuleId::UnmatchedEnd, closer);
      d.args[0] = name;
      ctx_.out.emit(d);
      return close;
    }
    unwind_to(k, closer);
    const Frame& open = stack_.back();
    if (name_text(open.name) != text) {
      Diagnostic d = make(RuleId::MismatchedEnvironment, closer);
      d.args[0] = name;
      d.args[1] = open.name;
      d.related = open.open;
      d.has_related = true;
      ctx_.out.emit(d);
    } else if (text == "document" && stack_.size() == 1) {
      document_ended_ = true;
    }
    stack_.pop_back();
    return close;
  }

  // \left and \right with their delimiter; a brace after them is an error, not a group.
  std::size_t left_right(std::size_t i, bool left) {
    std::size_t j = next_significant(i + 1);
    Span range = span(i);
    bool brace = false;
    if (j < n_) {
      TokenKind k = toks_.kind(j);
      if (k != TokenKind::ParagraphBreak && k != TokenKind::Verbatim) {
        range = {toks_.begin(i), toks_.begin(j) + 1};
        brace = k == (left ? TokenKind::BeginGroup : TokenKind::EndGroup);
      }
    }
    if (brace) {
      Diagnostic d = make(RuleId::LeftBraceDelimiter, range);
      d.args[0] = range;
      d.fix_at = toks_.begin(j);
      ctx_.out.emit(d);
    }
    std::size_t last = brace ? j : i;
    if (left) {
      push({FrameKind::Left, Opener::Left, false, range, {}});
      return last;
    }
    if (consume_overflow()) return last;
    std::size_t k = find_frame(
        [](const Frame& f) { return f.kind == FrameKind::Left || f.kind == FrameKind::Math; });
    if (k == kNone || stack_[k].kind != FrameKind::Left) {
      Diagnostic d = make(RuleId::UnmatchedRight, range);
      d.args[0] = range;
      ctx_.out.emit(d);
      return last;
    }
    unwind_to(k, range);
    stack_.pop_back();
    return last;
  }

  // Skips the arguments of a definition, checking only that its groups close.
  std::size_t skip_definition(std::size_t i, const Definer& def) {
    std::size_t j = next_significant(i + 1);
    if (def.shape == DefShape::Let) {
      // \let\name=<token>: the token may be a brace or a $, and is not a group or math.
      j = next_significant(j + 1);
      if (j < n_ && toks_.kind(j) == TokenKind::Text && ctx_.text[toks_.begin(j)] == '=') {
        if (toks_.length(j) > 1) return j;
        j = j + 1 < n_ && toks_.kind(j + 1) == TokenKind::Space ? j + 2 : j + 1;
      }
      return j < n_ ? j : n_ - 1;
    }
    if (def.shape == DefShape::ParamTextThenBody) {
      ++j;  // the defined name
      while (j < n_ && toks_.kind(j) != TokenKind::BeginGroup) {
        if (toks_.kind(j) == TokenKind::ParagraphBreak) return j;
        ++j;
      }
      return skip_group(j);
    }
    if (j < n_ && toks_.kind(j) == TokenKind::Text && ctx_.token_text(j) == "*")
      j = next_significant(j + 1);
    if (j >= n_) return n_ - 1;
    if (toks_.kind(j) == TokenKind::BeginGroup) {
      j = skip_group(j);
      if (j + 1 >= n_) return j;
    }
    ++j;
    for (int remaining = def.groups; remaining > 0;) {
      j = next_significant(j);
      if (j >= n_) return n_ - 1;
      TokenKind k = toks_.kind(j);
      if (k == TokenKind::OpenBracket) {
        std::size_t close = matching_bracket_end(j);
        if (close != kNone) {
          j = close + 1;
          continue;
        }
      }
      if (k == TokenKind::ParagraphBreak) return j;
      if (k == TokenKind::BeginGroup) {
        j = skip_group(j);
        if (j + 1 >= n_) return j;
      }
      ++j;
      --remaining;
    }
    return j - 1;
  }

  // Returns the index of the group's closing brace, reporting the group when it never closes.
  std::size_t skip_group(std::size_t j) {
    if (j >= n_) return n_ - 1;
    std::size_t close = matching_group_end(j);
    if (close != kNone) return close;
    auto end = static_cast<std::uint32_t>(ctx_.text.size());
    report_unclosed({FrameKind::Brace, Opener::Brace, false, span(j), {}}, Span{end, end}, false);
    return n_ - 1;
  }

  // \iffalse ... \fi: commented-out material, skipped up to the matching \fi.
  std::size_t skip_iffalse(std::size_t i) {
    int depth = 1;
    for (std::size_t j = i + 1; j < n_; ++j) {
      if (toks_.kind(j) != TokenKind::ControlWord) continue;
      std::string_view name = ctx_.control_name(j);
      if (contains(kConditionals, name)) ++depth;
      if (name == "fi" && --depth == 0) return j;
    }
    return i;
  }

  std::size_t control_word(std::size_t i) {
    std::string_view name = ctx_.control_name(i);
    if (name == "begin") return begin_environment(i);
    if (name == "end") return end_environment(i);
    if (name == "left") return left_right(i, true);
    if (name == "right") return left_right(i, false);
    if (name == "iffalse") return skip_iffalse(i);
    if (name == "documentclass" && stack_.empty() && documentclass_ == kNone) documentclass_ = i;
    for (const Definer& def : kDefiners) {
      if (def.name == name) return skip_definition(i, def);
    }
    return i;
  }

  void text_after_end(std::size_t i) {
    std::size_t first = kNone, last = kNone;
    for (std::size_t j = i; j < n_; ++j) {
      TokenKind k = toks_.kind(j);
      if (k == TokenKind::Space || k == TokenKind::Newline || k == TokenKind::ParagraphBreak ||
          k == TokenKind::Comment) {
        continue;
      }
      if (first == kNone) first = j;
      last = j;
    }
    if (first != kNone) emit(RuleId::TextAfterEndDocument, {toks_.begin(first), toks_.end(last)});
  }

  const RuleContext& ctx_;
  const lexer::TokenBuffer& toks_;
  std::vector<Frame>& stack_;
  std::size_t n_;
  std::size_t overflow_ = 0;
  std::size_t documentclass_ = kNone;
  bool begin_document_seen_ = false;
  bool document_ended_ = false;
  Span first_begin_document_;
};

}  // namespace

void check_structure(const RuleContext& ctx, StructureScratch& scratch) {
  StructureChecker(ctx, scratch).run();
}

}  // namespace perfectex::validators
