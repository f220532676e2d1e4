#include "validators/mode_tracker.h"

#include <algorithm>
#include <optional>

#include "validators/checkpoints.h"
#include "validators/mode_checkpoints.h"

namespace perfectex::validators {
namespace {

using lexer::TokenKind;
using Frame = ModeScratch::Frame;

constexpr std::string_view kDisplayMathEnvs[] = {
    "equation", "equation*", "align",     "align*",    "alignat",        "alignat*",
    "flalign",  "flalign*",  "gather",    "gather*",   "multline",       "multline*",
    "eqnarray", "eqnarray*", "displaymath", "dmath",   "dmath*",         "dgroup",
    "dgroup*",  "darray",    "darray*",   "dseries",   "IEEEeqnarray",   "IEEEeqnarray*",
};
constexpr std::string_view kCodeEnvs[] = {
    "tikzpicture", "pgfpicture", "tikzcd", "pspicture", "circuitikz", "xy", "forest", "axis",
};
constexpr std::string_view kFloatEnvs[] = {
    "figure",     "figure*",     "table",         "table*",
    "wrapfigure", "wraptable",   "sidewaysfigure", "sidewaystable",
};
constexpr std::string_view kTabularEnvs[] = {
    "tabular", "tabular*", "tabularx", "tabulary", "longtable", "longtable*", "array",
    "supertabular", "xtabular", "tblr", "longtblr", "NiceTabular", "tabu",
};
constexpr std::string_view kProseEnvs[] = {
    "itemize", "enumerate", "description", "quote", "quotation", "abstract", "minipage", "proof",
};

template <std::size_t N>
bool in(const std::string_view (&list)[N], std::string_view name) {
  return std::find(std::begin(list), std::end(list), name) != std::end(list);
}

// How a definition's arguments are laid out.
struct DefShape {
  enum Kind : std::uint8_t { NameThenGroups, ParamTextThenBody, Let, Groups } kind;
  std::uint8_t groups;
};

DefShape definition_shape(std::string_view name) {
  if (name == "def" || name == "gdef" || name == "edef" || name == "xdef")
    return {DefShape::ParamTextThenBody, 1};
  if (name == "let" || name == "futurelet") return {DefShape::Let, 0};
  if (name == "AtBeginDocument" || name == "AtEndDocument") return {DefShape::Groups, 1};
  if (name == "newenvironment" || name == "renewenvironment" || name == "lstnewenvironment" ||
      name == "DefineVerbatimEnvironment" || name == "CustomVerbatimEnvironment" ||
      name.ends_with("DocumentCommand"))
    return {DefShape::NameThenGroups, 2};
  if (name == "NewDocumentEnvironment" || name == "pretocmd" || name == "apptocmd")
    return {DefShape::NameThenGroups, 3};
  if (name == "patchcmd") return {DefShape::NameThenGroups, 4};
  return {DefShape::NameThenGroups, 1};
}

class Tracker {
 public:
  Tracker(const RuleContext& ctx, ModeScratch& s)
      : ctx_(ctx), toks_(ctx.tokens), s_(s), n_(ctx.tokens.size()) {}

  // A pass over the whole document.
  void start() {
    out_ = &s_;
    s_.events.clear();
    s_.texts.clear();
    s_.regions.clear();
    s_.math.clear();
    s_.comments.clear();
    s_.cuts.clear();
    s_.frames.clear();
    s_.checkpoints.clear();
    static_cast<Declarations&>(s_) = Declarations{};
    next_checkpoint_ = s_.checkpoint_spacing;
    run(0);
  }

  // A pass from the last checkpoint before the edit (or the start) until the state is the
  // previous pass's again at one of its checkpoints; returns the tokens it went over.
  TokenWindow resume(const lexer::TokenEdit& edit) {
    auto& cps = s_.checkpoints;
    auto kept = first_changed(cps, edit);
    const bool at_start = kept == cps.begin();
    from_ = at_start ? Checkpoint{} : *(kept - 1);
    // The outputs from the checkpoint on go to the window, then replace what the previous
    // pass found there: the previous outputs after the stop are moved only when they must be.
    ModeScratch::Saved& saved = s_.saved;
    TrackerOutputs& window = s_.window;
    window.regions.clear();
    window.events.clear();
    window.texts.clear();
    window.math.clear();
    window.comments.clear();
    window.cuts.clear();
    out_ = &window;
    saved.checkpoints.assign(kept, cps.end());
    saved.declared = static_cast<const Declarations&>(s_);
    cps.erase(kept, cps.end());
    s_.frames.clear();
    if (at_start) {
      from_.declared = DeclarationState{};
      static_cast<Declarations&>(s_) = Declarations{};
    } else {
      restore(from_);
    }
    edit_ = &edit;
    next_checkpoint_ = from_.token + s_.checkpoint_spacing;
    stopped_ = n_;
    run(at_start ? 0 : from_.token + 1);
    if (stopped_ == n_ && out_ != &s_) spill();  // ran to the end: the window is the rest
    return {at_start ? 0 : from_.token + 1, stopped_};
  }

  void set_wants_spaces(bool on) { wants_spaces_ = on; }

 private:
  using Checkpoint = ModeScratch::Checkpoint;

  void run(std::size_t from) {
    for (std::size_t i = from; i < n_; ++i) {
      TokenKind kind = toks_.kind(i);
      // Words and the spaces between them are two tokens in three: tested before the switch,
      // their alternation is a pattern the branch predictor learns, where a jump table is not.
      if (kind == TokenKind::Space && !wants_spaces_) continue;
      if (kind == TokenKind::Text && !chain_) {
        i = text(i);
        continue;
      }
      bool keeps_chain = kind == TokenKind::Space;
      switch (kind) {
        case TokenKind::Verbatim:
          break;
        case TokenKind::Comment:
          out_->comments.push_back(static_cast<std::uint32_t>(i));
          keeps_chain = true;
          break;
        case TokenKind::BeginGroup:
          open_group(i);
          break;
        case TokenKind::EndGroup:
          close_group(i);
          keeps_chain = chain_;  // close_group re-arms the chain for a following argument
          break;
        case TokenKind::MathShift:
          i = dollar(i);
          break;
        case TokenKind::ControlWord:
          i = control_word(i);
          keeps_chain = chain_;
          break;
        case TokenKind::ControlSymbol:
          control_symbol(i);
          break;
        case TokenKind::Text:
          if (chain_ && toks_.length(i) == 1 && ctx_.text[toks_.begin(i)] == '*') {
            keeps_chain = true;
          } else {
            i = text(i);
          }
          break;
        case TokenKind::OpenBracket:
          if (chain_ && brackets_ && pending_ != ArgClass::Text) {
            std::size_t close = bracket_end(i);
            if (close != kNoIndex) {
              i = close;
              keeps_chain = true;
            }
          }
          break;
        case TokenKind::Active:
          add(i, Cmd::Tilde);
          break;
        case TokenKind::Superscript:
        case TokenKind::Subscript:
          add(i, Cmd::Script);
          break;
        case TokenKind::ParagraphBreak:
          paragraph_cut(i);
          break;
        case TokenKind::Space:
          if (toks_.length(i) > 1 && wants_spaces_ && i > 0 &&
              toks_.kind(i - 1) != TokenKind::Newline && i + 1 < n_ &&
              toks_.kind(i + 1) != TokenKind::Newline && toks_.kind(i + 1) != TokenKind::Comment)
            add(i, Cmd::Space);
          break;
        default:
          break;
      }
      if (!keeps_chain) chain_ = false;
      if (kind == TokenKind::ParagraphBreak && paragraph_end(i)) {
        stopped_ = i + 1;
        return;
      }
    }
  }

  // After a paragraph break: stops (true) where an incremental pass meets the previous one;
  // records a checkpoint every so often where no math is open (only environments and groups).
  bool paragraph_end(std::size_t i) {
    // The previous pass's checkpoint here, if any: the state is taken only where it is compared
    // or kept.
    const Checkpoint* old = edit_ != nullptr && i >= edit_->new_end
                                ? previous_at(s_.saved.checkpoints, cursor_, i, *edit_)
                                : nullptr;
    const bool due = i >= next_checkpoint_ && s_.checkpoints.size() < s_.checkpoints.capacity();
    std::optional<Checkpoint> here;
    if (old != nullptr || due) here = snapshot(i);
    if (old != nullptr && here && same_state(s_, *old, *here, from_, *edit_)) {
      adopt_rest(s_, from_, *old, cursor_, *edit_);
      return true;
    }
    if (out_ != &s_ && window_full()) spill();
    if (due && here) {
      s_.checkpoints.push_back(*here);
      next_checkpoint_ = i + s_.checkpoint_spacing;
    }
    return false;
  }

  // The state after paragraph break i, when it can be a checkpoint: no math open, few frames.
  std::optional<Checkpoint> snapshot(std::size_t i) const {
    if (overflow_ > 0 || s_.frames.size() > Checkpoint::kMaxFrames) return std::nullopt;
    Checkpoint c{};
    for (const Frame& f : s_.frames) {
      if (f.kind == Frame::Kind::Math) return std::nullopt;
      c.frames[c.frame_count++] = f;
    }
    c.token = static_cast<std::uint32_t>(i);
    c.regions = from_.regions + static_cast<std::uint32_t>(out_->regions.size());
    c.events = from_.events + static_cast<std::uint32_t>(out_->events.size());
    c.texts = from_.texts + static_cast<std::uint32_t>(out_->texts.size());
    c.math = from_.math + static_cast<std::uint32_t>(out_->math.size());
    c.comments = from_.comments + static_cast<std::uint32_t>(out_->comments.size());
    c.cuts = from_.cuts + static_cast<std::uint32_t>(out_->cuts.size());
    c.mode = mode_;
    c.env = env_;
    c.pending = pending_;
    c.pending_short = pending_short_;
    c.brackets = brackets_;
    c.italic_command = italic_command_;
    c.declared = s_.mark();
    return c;
  }

  void restore(const Checkpoint& c) {
    s_.frames.assign(c.frames.begin(), c.frames.begin() + c.frame_count);
    mode_ = c.mode;
    env_ = c.env;
    pending_ = c.pending;
    pending_short_ = c.pending_short;
    brackets_ = c.brackets;
    italic_command_ = c.italic_command;
    chain_ = false;
    s_.restore(c.declared);
  }

  bool window_full() const {
    const TrackerOutputs& w = s_.window;
    auto half = [](const auto& v) { return v.size() > v.capacity() / 2; };
    return half(w.regions) || half(w.events) || half(w.texts) || half(w.math) || half(w.comments) ||
           half(w.cuts);
  }

  // The window has grown past the room kept for it: the edit's effect reaches far, so the pass
  // goes on as a whole pass, in the outputs themselves (math open across the break included).
  void spill() {
    TrackerOutputs& w = s_.window;
    place(s_.regions, w.regions, from_.regions, s_.regions.size());
    place(s_.events, w.events, from_.events, s_.events.size());
    place(s_.texts, w.texts, from_.texts, s_.texts.size());
    place(s_.math, w.math, from_.math, s_.math.size());
    place(s_.comments, w.comments, from_.comments, s_.comments.size());
    place(s_.cuts, w.cuts, from_.cuts, s_.cuts.size());
    for (Frame& f : s_.frames) {
      if (f.kind == Frame::Kind::Math) f.math_index += from_.math;
    }
    from_.regions = from_.events = from_.texts = from_.math = from_.comments = from_.cuts = 0;
    out_ = &s_;
    edit_ = nullptr;
  }

  void add(std::size_t i, Cmd cmd, std::uint32_t aux = 0) {
    if (mode_ & (mode::kVerbatim | mode::kCode | mode::kDefinition)) return;
    if (cmd == Cmd::ItalicCorrection) aux = innermost_group();
    out_->events.push_back({static_cast<std::uint32_t>(i), aux, cmd, env_, 0, mode_});
  }

  std::uint32_t innermost_group() const {
    for (std::size_t k = s_.frames.size(); k-- > 0;) {
      if (s_.frames[k].kind == Frame::Kind::Group) return s_.frames[k].token;
    }
    return 0;
  }

  // Tokens from .. to are verbatim, code or a definition (what kind is in kind).
  void region(std::size_t from, std::size_t to, std::uint16_t kind) {
    // The outputs have room for every region; a window that fills up grows (and spills).
    if (out_ != &s_ || out_->regions.size() < out_->regions.capacity())
      out_->regions.push_back(
          {static_cast<std::uint32_t>(from), static_cast<std::uint32_t>(to), kind});
  }

  bool push(const Frame& f) {
    if (s_.frames.size() == ModeScratch::kMaxDepth) {
      ++overflow_;
      return false;
    }
    s_.frames.push_back(f);
    return true;
  }

  // Pops frames down to and including index k, restoring the mode from before frame k opened.
  void pop_to(std::size_t k) {
    mode_ = s_.frames[k].saved_mode;
    env_ = s_.frames[k].saved_env;
    s_.frames.resize(k);
  }

  template <typename Pred>
  std::size_t find_frame(Pred pred) const {
    for (std::size_t k = s_.frames.size(); k-- > 0;) {
      if (pred(s_.frames[k])) return k;
    }
    return kNoIndex;
  }

  void open_group(std::size_t i) {
    Frame f{Frame::Kind::Group, mode_, env_, static_cast<std::uint32_t>(i), 0, {},
            MathOpener::Dollar, false};
    f.args = chain_ ? pending_ : ArgClass::None;
    f.short_arg = chain_ && pending_short_;
    if (!push(f)) return;
    switch (f.args) {
      case ArgClass::Text:
        mode_ &= static_cast<std::uint16_t>(~(mode::kMath | mode::kDisplay | mode::kOpaque |
                                               mode::kUnknownArg));
        if (italic_command_) mode_ |= mode::kItalicCommand;
        break;
      case ArgClass::Math:
        mode_ |= mode::kMath;
        break;
      case ArgClass::Opaque:
        mode_ |= mode::kOpaque;
        break;
      case ArgClass::Unknown:
        mode_ |= mode::kUnknownArg;
        break;
      default:
        break;
    }
  }

  void close_group(std::size_t i) {
    if (overflow_ > 0) {
      --overflow_;
      return;
    }
    std::size_t k = find_frame([](const Frame& f) { return f.kind == Frame::Kind::Group; });
    if (k == kNoIndex) return;
    bool italic = s_.frames[k].italic_switched;
    ArgClass args = s_.frames[k].args;
    bool short_arg = s_.frames[k].short_arg;
    std::uint16_t inside = mode_;
    pop_to(k);
    if (italic) {
      std::uint16_t outer = mode_;
      mode_ = inside;
      add(i, Cmd::ItalicGroupEnd);
      mode_ = outer;
    }
    // A second argument group of the same command (\setlength{\x}{1pt}); not after prose
    // arguments, which come one at a time, and no [options] after a group.
    chain_ = args != ArgClass::None && args != ArgClass::Text;
    pending_ = args;
    pending_short_ = short_arg;
    brackets_ = false;
  }

  // A blank line ends what cannot span a paragraph, as TeX does ("Paragraph ended before ... was
  // complete", "Missing $ inserted"): an argument that cannot (CommandInfo::paragraphs), and math
  // opened with $, $$, \( or \[ unless the blank line is in a text box inside it. The outermost
  // such construct is cut off there with all it holds; the cut is recorded for F1, which reports
  // it.
  void paragraph_cut(std::size_t i) {
    std::size_t cut = kNoIndex;
    for (std::size_t k = 0; k < s_.frames.size() && cut == kNoIndex; ++k) {
      if (s_.frames[k].kind == Frame::Kind::Group && s_.frames[k].short_arg) cut = k;
    }
    if (mode_ & mode::kMath) {
      auto math = [](const Frame& f) { return f.kind == Frame::Kind::Math; };
      // The innermost math, with only groups opened in it above, and the math it is in.
      std::size_t k = s_.frames.size();
      while (k > 0 && s_.frames[k - 1].kind == Frame::Kind::Group &&
             (s_.frames[k - 1].saved_mode & mode::kMath))
        --k;
      if (k > 0 && math(s_.frames[k - 1])) {
        while (k > 1 && math(s_.frames[k - 2])) --k;
        cut = std::min(cut, k - 1);
      }
    }
    if (cut == kNoIndex) return;
    out_->cuts.push_back({static_cast<std::uint32_t>(i), s_.frames[cut].token});
    pop_to(cut);
  }

  std::size_t bracket_end(std::size_t i) const {
    int depth = 0;
    for (std::size_t j = i + 1; j < n_ && j < i + 512; ++j) {
      TokenKind k = toks_.kind(j);
      if (k == TokenKind::BeginGroup) ++depth;
      if (k == TokenKind::EndGroup && --depth < 0) return kNoIndex;
      if (k == TokenKind::ParagraphBreak || k == TokenKind::MathShift) return kNoIndex;
      if (k == TokenKind::CloseBracket && depth == 0) return j;
    }
    return kNoIndex;
  }

  void open_math(std::size_t i, std::size_t last, MathOpener opener) {
    std::uint16_t outer = mode_;
    Frame f{Frame::Kind::Math, mode_, env_, static_cast<std::uint32_t>(i), 0, {}, opener, false};
    f.math_index = static_cast<std::uint32_t>(out_->math.size());  // while open, in out_
    if (!push(f)) return;
    out_->math.push_back({static_cast<std::uint32_t>(i),
                          MathSpan::kNoToken,
                          {toks_.begin(i), toks_.end(last)},
                          {},
                          opener,
                          outer});
    mode_ |= mode::kMath;
    if (opener == MathOpener::DoubleDollar || opener == MathOpener::Bracket)
      mode_ |= mode::kDisplay;
    mode_ &= static_cast<std::uint16_t>(~(mode::kItalic | mode::kItalicCommand));
  }

  void close_math(std::size_t k, std::size_t i, std::size_t last) {
    MathSpan& span = out_->math[s_.frames[k].math_index];
    span.close_token = static_cast<std::uint32_t>(i);
    span.close = {toks_.begin(i), toks_.end(last)};
    pop_to(k);
  }

  std::size_t dollar(std::size_t i) {
    bool dbl = i + 1 < n_ && toks_.kind(i + 1) == TokenKind::MathShift &&
               toks_.begin(i + 1) == toks_.end(i);
    if (mode_ & (mode::kVerbatim | mode::kCode | mode::kDefinition)) return dbl ? i + 1 : i;
    const Frame* top = s_.frames.empty() ? nullptr : &s_.frames.back();
    if (top != nullptr && top->kind == Frame::Kind::Math) {
      if (top->opener == MathOpener::Dollar) {
        close_math(s_.frames.size() - 1, i, i);
        return i;
      }
      if (top->opener == MathOpener::DoubleDollar) {
        close_math(s_.frames.size() - 1, i, dbl ? i + 1 : i);
        return dbl ? i + 1 : i;
      }
    }
    open_math(i, dbl ? i + 1 : i, dbl ? MathOpener::DoubleDollar : MathOpener::Dollar);
    return dbl ? i + 1 : i;
  }

  void control_symbol(std::size_t i) {
    if (toks_.length(i) < 2) return;
    char c = ctx_.text[toks_.begin(i) + 1];
    switch (c) {
      case '(':
        open_math(i, i, MathOpener::Paren);
        break;
      case '[':
        open_math(i, i, MathOpener::Bracket);
        break;
      case ')':
      case ']': {
        MathOpener want = c == ')' ? MathOpener::Paren : MathOpener::Bracket;
        std::size_t k = find_frame([](const Frame& f) { return f.kind != Frame::Kind::Group; });
        if (k != kNoIndex && s_.frames[k].kind == Frame::Kind::Math &&
            s_.frames[k].opener == want)
          close_math(k, i, i);
        break;
      }
      case '/':
        add(i, Cmd::ItalicCorrection);
        break;
      case '\\':
        add(i, Cmd::LineBreak);
        break;
      case '\'':
      case '`':
      case '^':
      case '"':
      case '~':
      case '=':
      case '.':
        add(i, Cmd::Accent);
        break;
      default:
        break;
    }
  }

  // Classifies the bytes of a Text token and lists it when a rule may care.
  std::size_t text(std::size_t i) {
    if (mode_ & (mode::kOpaque | mode::kVerbatim | mode::kCode | mode::kDefinition)) {
      std::size_t end = s_.short_verb_count > 0 ? short_verb_scan(i) : kNoIndex;
      return end != kNoIndex ? end : i;
    }
    std::uint8_t out = word_chars(ctx_.text, toks_.begin(i), toks_.end(i));
    if (s_.short_verb_count > 0) {
      std::size_t end = short_verb_scan(i);
      if (end != kNoIndex) return end;
    }
    std::uint8_t wanted = (mode_ & mode::kMath) ? (chars::kLetters | chars::kDot)
                                                : static_cast<std::uint8_t>(~chars::kLetters);
    if (out & wanted)
      out_->texts.push_back(
          {static_cast<std::uint32_t>(i), innermost_group(), Cmd::Text, env_, out, mode_});
    return i;
  }

  // A \MakeShortVerb delimiter in token i starts verbatim text: returns the last token of it,
  // or kNoIndex when the token holds no delimiter.
  std::size_t short_verb_scan(std::size_t i) {
    if (mode_ & mode::kVerbatim) return kNoIndex;
    std::string_view t = ctx_.token_text(i);
    for (std::size_t k = 0; k < t.size(); ++k) {
      if (is_short_verb(t[k])) return short_verb(i, toks_.begin(i) + static_cast<std::uint32_t>(k), t[k]);
    }
    return kNoIndex;
  }

  bool is_short_verb(char c) const {
    for (std::size_t k = 0; k < s_.short_verb_count; ++k) {
      if (s_.short_verb[k] == c) return true;
    }
    return false;
  }

  // A \MakeShortVerb delimiter at byte at of token i: verbatim up to its next occurrence on the
  // same line.
  std::size_t short_verb(std::size_t i, std::uint32_t at, char delim) {
    std::size_t j = i;
    std::uint32_t from = at + 1;
    for (; j < n_; ++j) {
      TokenKind k = toks_.kind(j);
      if (k == TokenKind::Newline || k == TokenKind::ParagraphBreak) break;
      std::uint32_t end = toks_.end(j);
      std::uint32_t start = std::max(toks_.begin(j), from);
      if (ctx_.text.substr(start, end > start ? end - start : 0).find(delim) !=
          std::string_view::npos)
        break;
    }
    if (j == n_) --j;
    region(i, j, mode::kVerbatim);
    return j;
  }

  std::size_t control_word(std::size_t i) {
    chain_ = false;
    std::string_view name = ctx_.control_name(i);
    CommandInfo info = classify_command(name);
    if (info.cmd == Cmd::None && info.args == ArgClass::Unknown && s_.label_macro_count > 0 &&
        is_label_macro(name))
      info = {Cmd::Label, ArgClass::Opaque};
    switch (info.args) {
      case ArgClass::Definition:
        if (info.cmd == Cmd::Def) add(i, Cmd::Def);
        return definition(i, name);
      case ArgClass::VerbatimEnv:
        record_name(i, s_.verbatim_envs, s_.verbatim_env_count);
        return definition(i, name);
      case ArgClass::ShortVerb:
      case ArgClass::DeleteShortVerb:
        return short_verb_declaration(i, info.args == ArgClass::ShortVerb);
      case ArgClass::Code:
        return code(i, name);
      case ArgClass::TheoremDecl:
        record_name(i, s_.prose_envs, s_.prose_env_count);
        break;
      default:
        break;
    }
    italic_command_ = info.cmd == Cmd::ItalicCommand;
    switch (info.cmd) {
      case Cmd::Begin:
        return begin_environment(i);
      case Cmd::End:
        return end_environment(i);
      case Cmd::DocumentClass:
        if (s_.frames.empty() && !s_.has_documentclass) {
          s_.has_documentclass = true;
          mode_ |= mode::kPreamble;
        }
        break;
      case Cmd::Input:
        s_.self_contained = false;
        break;
      case Cmd::Usepackage:
        package_options(i);
        break;
      case Cmd::OldFont:
        if (name == "it" || name == "sl") {
          italic_switch();
        } else {
          mode_ &= static_cast<std::uint16_t>(~mode::kItalic);
        }
        break;
      case Cmd::ItalicSwitch:
        italic_switch();
        break;
      case Cmd::FontSwitch:
        if (name == "upshape" || name == "normalfont")
          mode_ &= static_cast<std::uint16_t>(~mode::kItalic);
        break;
      case Cmd::FrenchSpacing:
        mode_ |= mode::kFrenchSpacing;
        break;
      case Cmd::NonFrenchSpacing:
        mode_ &= static_cast<std::uint16_t>(~mode::kFrenchSpacing);
        break;
      default:
        break;
    }
    if (info.cmd != Cmd::None) add(i, info.cmd);
    pending_ = info.args;
    pending_short_ = info.paragraphs == Paragraphs::Never ||
                     (info.paragraphs == Paragraphs::NotInMath && (mode_ & mode::kMath));
    chain_ = info.args != ArgClass::None;
    brackets_ = true;
    return i;
  }

  void italic_switch() {
    mode_ |= mode::kItalic;
    if (!s_.frames.empty() && s_.frames.back().kind == Frame::Kind::Group)
      s_.frames.back().italic_switched = true;
  }

  // Looks through \usepackage[options]{names} for languages whose typography changes the rules.
  void package_options(std::size_t i) {
    for (std::size_t j = i + 1; j < n_ && j < i + 64; ++j) {
      TokenKind k = toks_.kind(j);
      if (k == TokenKind::ParagraphBreak || k == TokenKind::ControlWord) break;
      if (k == TokenKind::EndGroup) break;
      if (k != TokenKind::Text) continue;
      std::string_view t = ctx_.token_text(j);
      if (t.find("german") != std::string_view::npos ||
          t.find("austrian") != std::string_view::npos || t.find("swiss") != std::string_view::npos)
        s_.german_quotes = true;
      if (t.find("french") != std::string_view::npos) s_.french = true;
      if (t == "underscore") s_.underscore_package = true;
    }
  }

  // The name in the group after the command at i (\DefineVerbatimEnvironment{Name}...).
  void record_name(std::size_t i, std::array<Span, ModeScratch::kMaxNames>& names,
                   std::size_t& count) {
    std::size_t j = next_significant(ctx_, i + 1);
    if (j < n_ && toks_.kind(j) == TokenKind::Text && ctx_.token_text(j) == "*")
      j = next_significant(ctx_, j + 1);
    if (j + 2 >= n_ || toks_.kind(j) != TokenKind::BeginGroup || toks_.kind(j + 1) != TokenKind::Text ||
        toks_.kind(j + 2) != TokenKind::EndGroup || count == names.size())
      return;
    names[count++] = {toks_.begin(j + 1), toks_.end(j + 1)};
  }

  bool declared(const std::array<Span, ModeScratch::kMaxNames>& names, std::size_t count,
                std::string_view name) const {
    for (std::size_t k = 0; k < count; ++k) {
      if (ctx_.text.substr(names[k].begin, names[k].end - names[k].begin) == name) return true;
    }
    return false;
  }

  // Marks a definition's arguments; returns the index of its last token.
  std::size_t definition(std::size_t i, std::string_view name) {
    DefShape shape = definition_shape(name);
    std::size_t j = next_significant(ctx_, i + 1);
    std::size_t last = i;
    if (shape.kind == DefShape::Let) {
      j = next_significant(ctx_, j + 1);
      if (j < n_ && toks_.kind(j) == TokenKind::Text && ctx_.text[toks_.begin(j)] == '=' &&
          toks_.length(j) == 1)
        j = next_significant(ctx_, j + 1);
      last = std::min(j, n_ - 1);
    } else if (shape.kind == DefShape::ParamTextThenBody) {
      ++j;
      while (j < n_ && toks_.kind(j) != TokenKind::BeginGroup &&
             toks_.kind(j) != TokenKind::ParagraphBreak)
        ++j;
      last = j < n_ && toks_.kind(j) == TokenKind::BeginGroup ? group_end(ctx_, j) : j;
    } else {
      if (j < n_ && toks_.kind(j) == TokenKind::Text && ctx_.token_text(j) == "*")
        j = next_significant(ctx_, j + 1);
      if (shape.kind == DefShape::NameThenGroups && j < n_) {
        last = toks_.kind(j) == TokenKind::BeginGroup ? group_end(ctx_, j) : j;
        j = last + 1;
      }
      for (int remaining = shape.groups; remaining > 0 && j < n_;) {
        j = next_significant(ctx_, j);
        if (j >= n_) break;
        TokenKind k = toks_.kind(j);
        if (k == TokenKind::OpenBracket) {
          std::size_t close = bracket_end(j);
          if (close == kNoIndex) break;
          last = close;
          j = close + 1;
          continue;
        }
        if (k != TokenKind::BeginGroup) break;
        last = group_end(ctx_, j);
        j = last + 1;
        --remaining;
      }
    }
    last = std::min(last, n_ - 1);
    region(i, last, mode::kDefinition);
    for (std::size_t k = i + 1; k <= last; ++k) {
      if (toks_.kind(k) == TokenKind::ControlWord && ctx_.control_name(k) == "label") {
        record_label_macro(i);
        break;
      }
    }
    return last;
  }

  // The name a definition at i defines (\newcommand{\name} or \def\name), as a label macro.
  void record_label_macro(std::size_t i) {
    std::size_t j = next_significant(ctx_, i + 1);
    if (j < n_ && toks_.kind(j) == TokenKind::Text && ctx_.token_text(j) == "*")
      j = next_significant(ctx_, j + 1);
    if (j < n_ && toks_.kind(j) == TokenKind::BeginGroup) ++j;
    if (j >= n_ || toks_.kind(j) != TokenKind::ControlWord) return;
    if (s_.label_macro_count == s_.label_macros.size()) {
      s_.label_macros_overflowed = true;
      return;
    }
    s_.label_macros[s_.label_macro_count++] = {toks_.begin(j) + 1, toks_.end(j)};
  }

  bool is_label_macro(std::string_view name) const {
    for (std::size_t k = 0; k < s_.label_macro_count; ++k) {
      const Span& m = s_.label_macros[k];
      if (ctx_.text.substr(m.begin, m.end - m.begin) == name) return true;
    }
    return false;
  }

  std::size_t short_verb_declaration(std::size_t i, bool make) {
    std::size_t j = i + 1;
    while (j < n_ && j < i + 8) {
      TokenKind k = toks_.kind(j);
      if (k == TokenKind::ControlSymbol && toks_.length(j) == 2) break;
      if (k == TokenKind::Text && ctx_.token_text(j) != "*") break;
      if (k == TokenKind::OpenBracket) {
        std::size_t close = bracket_end(j);
        if (close == kNoIndex) return i;
        j = close;
      }
      ++j;
    }
    if (j >= n_ || j >= i + 8) return i;
    char c = toks_.kind(j) == TokenKind::ControlSymbol ? ctx_.text[toks_.begin(j) + 1]
                                                       : ctx_.text[toks_.begin(j)];
    std::size_t last = j;
    if (last + 1 < n_ && toks_.kind(last + 1) == TokenKind::EndGroup) ++last;
    if (make && s_.short_verb_count < s_.short_verb.size() && !is_short_verb(c)) {
      s_.short_verb[s_.short_verb_count++] = c;
    } else if (!make) {
      for (std::size_t k = 0; k < s_.short_verb_count; ++k) {
        if (s_.short_verb[k] == c) s_.short_verb[k] = s_.short_verb[--s_.short_verb_count];
      }
    }
    region(i, last, mode::kVerbatim);
    return last;
  }

  // Picture code after \tikz, \xymatrix, \xy: the group (or up to `;` or \endxy) is code.
  std::size_t code(std::size_t i, std::string_view name) {
    std::size_t last = i;
    if (name == "xy") {
      for (std::size_t j = i + 1; j < n_; ++j) {
        if (toks_.kind(j) == TokenKind::ControlWord && ctx_.control_name(j) == "endxy") {
          last = j;
          break;
        }
      }
    } else {
      for (std::size_t j = i + 1; j < n_ && j < i + 32; ++j) {
        TokenKind k = toks_.kind(j);
        if (k == TokenKind::OpenBracket) {
          std::size_t close = bracket_end(j);
          if (close == kNoIndex) break;
          j = close;
          last = j;
          continue;
        }
        if (k == TokenKind::BeginGroup) {
          last = group_end(ctx_, j);
          break;
        }
        if (k == TokenKind::ParagraphBreak) break;
        if (name == "tikz" && k == TokenKind::Text &&
            ctx_.token_text(j).find(';') != std::string_view::npos) {
          last = j;
          break;
        }
        last = j;
      }
    }
    last = std::min(last, n_ - 1);
    region(i, last, mode::kCode);
    return last;
  }

  EnvKind kind_of(std::string_view name) const {
    if (name == "document") return EnvKind::Document;
    if (in(kDisplayMathEnvs, name) || name == "math") return EnvKind::Math;
    // User variants of the math environments (narrowmultline*, subequations stay prose).
    for (std::string_view base : {"equation", "align", "gather", "multline", "eqnarray"}) {
      if (name.find(base) != std::string_view::npos && name != "subequations") return EnvKind::Math;
    }
    if (in(kCodeEnvs, name)) return EnvKind::Code;
    if (in(kFloatEnvs, name)) return EnvKind::Float;
    if (in(kTabularEnvs, name)) return EnvKind::Tabular;
    if (name == "center" || name == "flushleft" || name == "flushright") return EnvKind::Centered;
    if (in(kProseEnvs, name) || declared(s_.prose_envs, s_.prose_env_count, name))
      return EnvKind::Prose;
    return EnvKind::Other;
  }

  // \begin or \end at i without a plain {name}: a group after it is the name (computed, or still
  // being typed), which cannot span a paragraph.
  std::size_t unnamed(std::size_t i) {
    pending_ = ArgClass::Opaque;
    pending_short_ = true;
    chain_ = true;
    brackets_ = false;
    return i;
  }

  std::size_t begin_environment(std::size_t i) {
    std::size_t close = i;
    Span name_span = environment_name(ctx_, i, &close);
    if (name_span.empty()) return unnamed(i);
    std::string_view name = ctx_.text.substr(name_span.begin, name_span.end - name_span.begin);
    if (declared(s_.verbatim_envs, s_.verbatim_env_count, name)) return declared_verbatim(i, name);
    add(i, Cmd::Begin, static_cast<std::uint32_t>(close));
    EnvKind kind = kind_of(name);
    Frame f{Frame::Kind::Env, mode_, env_, static_cast<std::uint32_t>(i), 0, name_span,
            MathOpener::Dollar, false};
    if (push(f)) {
      switch (kind) {
        case EnvKind::Document:
          mode_ &= static_cast<std::uint16_t>(~mode::kPreamble);
          s_.has_begin_document = true;
          break;
        case EnvKind::Math:
          mode_ |= mode::kMath;
          if (name != "math") mode_ |= mode::kDisplay;
          break;
        case EnvKind::Code:
          mode_ |= mode::kCode;
          break;
        default:
          if (name == "dsuspend")
            mode_ &= static_cast<std::uint16_t>(~(mode::kMath | mode::kDisplay));
          break;
      }
      env_ = kind;
    }
    pending_ = ArgClass::Opaque;
    pending_short_ = false;  // \begin{center} {\large ...}: a group after it may be prose
    chain_ = true;
    brackets_ = true;
    return close;
  }

  std::size_t declared_verbatim(std::size_t i, std::string_view name) {
    std::size_t j = i + 1;
    for (; j < n_; ++j) {
      if (toks_.kind(j) != TokenKind::ControlWord || ctx_.control_name(j) != "end") continue;
      std::size_t close = j;
      Span s = environment_name(ctx_, j, &close);
      if (ctx_.text.substr(s.begin, s.end - s.begin) == name) {
        j = close;
        break;
      }
    }
    j = std::min(j, n_ - 1);
    region(i, j, mode::kVerbatim);
    return j;
  }

  std::size_t end_environment(std::size_t i) {
    std::size_t close = i;
    Span name_span = environment_name(ctx_, i, &close);
    if (name_span.empty()) return unnamed(i);
    std::string_view name = ctx_.text.substr(name_span.begin, name_span.end - name_span.begin);
    std::size_t k = find_frame([&](const Frame& f) {
      return f.kind == Frame::Kind::Env &&
             ctx_.text.substr(f.name.begin, f.name.end - f.name.begin) == name;
    });
    add(i, Cmd::End, static_cast<std::uint32_t>(close));
    if (k == kNoIndex) return close;
    if ((mode_ & mode::kCode) && !(s_.frames[k].saved_mode & mode::kCode))
      region(s_.frames[k].token, close, mode::kCode);  // a tikzpicture and its like
    pop_to(k);
    return close;
  }

  const RuleContext& ctx_;
  const lexer::TokenBuffer& toks_;
  ModeScratch& s_;
  std::size_t n_;
  std::uint16_t mode_ = 0;
  EnvKind env_ = EnvKind::None;
  ArgClass pending_ = ArgClass::None;
  bool pending_short_ = false;  ///< pending_ is an argument that cannot span a paragraph
  bool chain_ = false;
  bool brackets_ = false;  ///< an [option] may follow (right after the command, not after a group)
  bool italic_command_ = false;
  bool wants_spaces_ = false;
  std::size_t overflow_ = 0;
  // Incremental passes: the edit, the checkpoint resumed from, and the previous pass's next
  // checkpoint to compare with.
  const lexer::TokenEdit* edit_ = nullptr;
  TrackerOutputs* out_ = nullptr;  ///< where the outputs go: the scratch's, or the window
  Checkpoint from_{};
  std::size_t cursor_ = 0;
  std::size_t next_checkpoint_ = 0;
  std::size_t stopped_ = 0;
};

}  // namespace

ModeScratch::ModeScratch() {
  frames.reserve(kMaxDepth);
}

// Makes room for want items, with an eighth more: the outputs grow by a token or two as the user
// types, and reserving the exact need would move them all on every such keystroke.
template <typename V>
void reserve_for(V& v, std::size_t want) {
  if (v.capacity() < want) v.reserve(want + want / 8);
}

void ModeScratch::prepare(std::size_t n) {
  reserve_for(regions, n / 2 + 16);
  reserve_for(events, n + 16);
  reserve_for(texts, n + 16);
  reserve_for(math, n / 2 + 16);
  reserve_for(comments, n + 1);
  reserve_for(cuts, n / 2 + 16);
  // A window spills into the outputs when it is half full (a pass that resumed and goes far).
  auto room = [&](auto& v, const auto& outputs) {
    const std::size_t want = std::min<std::size_t>(outputs.capacity(), window_items);
    if (v.capacity() < want) v.reserve(want);
  };
  room(window.regions, regions);
  room(window.events, events);
  room(window.texts, texts);
  room(window.math, math);
  room(window.comments, comments);
  room(window.cuts, cuts);
  const std::size_t points = 2 * (n / checkpoint_spacing) + 8;
  reserve_for(checkpoints, points);
  reserve_for(saved.checkpoints, points);
}

void track_modes(const RuleContext& ctx, ModeScratch& scratch) {
  scratch.prepare(ctx.tokens.size());
  Tracker tracker(ctx, scratch);
  tracker.set_wants_spaces(ctx.out.wants(RuleId::MultipleSpaces));
  tracker.start();
}

TokenWindow track_modes(const RuleContext& ctx, ModeScratch& scratch,
                        const lexer::TokenEdit& edit) {
  scratch.prepare(ctx.tokens.size());
  Tracker tracker(ctx, scratch);
  tracker.set_wants_spaces(ctx.out.wants(RuleId::MultipleSpaces));
  return tracker.resume(edit);
}

}  // namespace perfectex::validators
