// The L1 expansion view: the document's tokens as a stream in which each use of a user macro or
// environment is replaced by its body with the arguments substituted. Items refer to bytes of the
// document (at the use or in the definition), of the prelude (a body from the table's base) or
// of synthetic text; the only copies are item references in the per-worker scratch ring. Each
// item knows its outermost use. Bounded in depth and steps.
// Threading: a view and its scratch belong to one worker; nothing allocates once reserved.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <vector>

#include "lexer/expand/macro_table.h"
#include "lexer/token.h"

namespace perfectex::lexer::expand {

/// The text an item's bytes are in.
enum class Spelling : std::uint8_t {
  Document,   ///< the document's
  Prelude,    ///< the text of the table's base (a body or default from a prelude's definition)
  Synthetic,  ///< synthetic_text() (xparse's \BooleanTrue, -NoValue-)
};

/// One token of the expanded stream.
struct Item {
  TokenKind kind = TokenKind::Text;
  Spelling spelled = Spelling::Document;
  /// The bytes that spell it, in the text spelled names: where the use or the definition is
  /// written. For a token of a definition body, this is its position in the body.
  std::uint32_t begin = 0, end = 0;
  /// Where it comes from in the document: the token itself when it is written there (also inside
  /// the argument of a macro), else the outermost macro use whose expansion produced it.
  ByteRange site;
  std::uint32_t macro = kNone;  ///< the macro of that outermost use; kNone for written text
  bool expanded() const { return macro != kNone; }
};

/// Text that synthetic items point into.
std::string_view synthetic_text();

struct ExpansionLimits {
  std::uint32_t max_depth = 32;  ///< macro bodies nested inside one another
  std::uint32_t max_steps_per_use = 1u << 16;  ///< tokens read while expanding one outermost use
  std::uint32_t max_steps_total = 1u << 23;    ///< tokens read while expanding the whole document
  /// Tokens after an argument's `{` that are looked at for its `}` before one pass over the
  /// document settles every brace (ExpansionView::runaway; tests set 0 to take that pass always).
  std::uint32_t runaway_probe = 4096;
};

enum class EventKind : std::uint8_t {
  TooDeep,          ///< the depth bound was hit: the use is left unexpanded from there on
  TooLong,          ///< the step bound of one use was hit
  BudgetExhausted,  ///< the step bound of the document was hit: later uses are not expanded
  MissingArgument,  ///< `}`, the end of input or a blank line where an argument was due
  UsedBeforeDefinition,  ///< used where the document had not yet defined it
};

/// Something the view noticed; validators turn events into diagnostics.
struct Event {
  EventKind kind = EventKind::TooDeep;
  std::uint8_t arg = 0;  ///< MissingArgument: which argument (0-based)
  std::uint32_t macro = kNone;  ///< the macro concerned (for TooLong: the outermost one)
  ByteRange site;               ///< the document bytes to report (the outermost use)
  std::uint32_t outer = kNone;  ///< the macro of the outermost use when site is an expansion
  ByteRange at;                 ///< MissingArgument: the token found instead (empty at the end)
  friend bool operator==(const Event&, const Event&) = default;
};

/// Reusable space of one worker: the input stack, the ring of item references and the events.
/// The ring starts at 16,384 items (384 KB, written once): a use that collects more grows it,
/// and the rules run again.
class ExpansionScratch {
 public:
  explicit ExpansionScratch(std::size_t ring_capacity = 1 << 14, std::size_t event_capacity = 256,
                            std::size_t unclosed_capacity = 256);
  /// Doubles whatever the last run ran out of (outside the hot path).
  void grow();
  bool overflowed() const { return ring_full_ || events_full_ || unclosed_needed_ > 0; }
  /// Keeps what a view found of the document's braces (ExpansionView::runaway) for the tokens
  /// after edit, when it changed only words, spaces and line ends (TokenEdit::plain): the same
  /// braces and blank lines, moved. Otherwise forgets it, as forget_braces() does.
  void keep_braces(const TokenEdit& edit);
  /// The next view that needs the braces looks at the document again (other tokens).
  void forget_braces() { braces_known_ = false; }
  const std::vector<Event>& events() const { return events_; }

 private:
  friend class ExpansionView;
  struct Level {
    enum class Kind : std::uint8_t { Body, Ring } kind = Kind::Body;
    bool has_pending = false;
    bool verbatim = false;   ///< Ring: nothing read from it is expanded (a definition in an argument)
    bool prelude = false;    ///< Body: spelled in the prelude's text and tokens
    std::uint32_t cur = 0;   ///< next token (Body) or ring slot (Ring)
    std::uint32_t end = 0;
    std::uint32_t def = kNone;
    std::uint32_t args = 0;       ///< Body: index of its first argument slice
    std::uint8_t arg_count = 0;   ///< Body: parameters #1.. that are substituted
    ByteRange site;          ///< Body: the origin of its items
    std::uint32_t macro = kNone;
    Item pending;  ///< the rest of a Text token split by an argument or a parameter
  };
  struct Slice {
    std::uint32_t begin = 0, end = 0;
  };
  std::vector<Level> levels_;
  std::vector<Slice> slices_;
  std::vector<Item> ring_;
  std::uint32_t ring_used_ = 0;
  std::vector<Event> events_;
  bool ring_full_ = false;
  bool events_full_ = false;
  /// The `{` written in the document (outside its regions) that nothing closes, by token index,
  /// and its last blank line, when braces_known_ (ExpansionView::runaway); how many such `{`
  /// there were when they did not fit.
  std::vector<std::uint32_t> unclosed_;
  std::uint32_t last_break_ = kNone;
  bool braces_known_ = false;
  std::size_t unclosed_needed_ = 0;
};

/// A set of token kinds (bit k: TokenKind k), for ExpansionView::next(Item&, KindMask).
using KindMask = std::uint32_t;
constexpr KindMask kind_bit(TokenKind k) { return KindMask{1} << static_cast<unsigned>(k); }
static_assert(kTokenKindCount <= 32);

class ExpansionView {
 public:
  ExpansionView(std::string_view text, const TokenBuffer& tokens, const MacroTable& table,
                ExpansionScratch& scratch, const ExpansionLimits& limits = {});

  /// The next item of the expanded stream; false at the end. Inline for the common case: a token
  /// that is not a control sequence (nor a parameter in a body) passes as it is.
  bool next(Item& out) {
    if (ahead_size_ == 0 && (s_.levels_.empty() ? plain_document(out) : plain_level(out)))
      return true;
    return next_slow(out);
  }
  /// The next item whose kind is in mask: exactly the items next() yields, in the same order,
  /// less those of other kinds, and the view is left as next() would leave it. Tokens of other
  /// kinds that are written in the document or a body are passed over in a scan of the kinds
  /// array, never made into items; control sequences and parameters are always read (they may
  /// expand). peek() still sees every item.
  bool next(Item& out, KindMask mask) {
    const KindMask stop = mask | kReadKinds;
    for (;;) {
      if (ahead_size_ == 0) {
        if (s_.levels_.empty()) {
          pass_document(stop);
        } else {
          pass_level(stop);
        }
      }
      if (!next(out)) return false;
      if ((mask >> static_cast<unsigned>(out.kind)) & 1u) return true;
    }
  }
  /// The item k places ahead (0: the one next() returns next), or nullptr past the end or
  /// beyond kLookahead.
  const Item* peek(std::size_t k);
  static constexpr std::size_t kLookahead = 32;

  const MacroTable& table() const { return table_; }
  /// The whole text that items spelled there point into.
  std::string_view text(Spelling spelled) const;
  /// The text of an item (a slice of the document, of the prelude, or synthetic).
  std::string_view text(const Item& item) const {
    return text(item.spelled).substr(item.begin, item.end - item.begin);
  }
  /// Tokens read while expanding, over the whole document so far.
  std::uint64_t steps() const { return steps_total_; }
  bool budget_reported() const { return budget_reported_; }
  /// Whether an argument was left unread so far because its `{` is never closed (runaway()):
  /// that depends on every brace after it, so an edit there that is not only words may change it.
  bool ran_away() const { return ran_away_; }

  /// Whether the view is between two document tokens with nothing pending (no expansion under
  /// way, nothing peeked, no control sequence held back from expansion): what it yields next
  /// depends only on the tokens from next_token() on.
  bool at_rest() const { return ahead_size_ == 0 && s_.levels_.empty() && suppress_ == 0; }
  std::uint32_t next_token() const { return doc_; }
  /// Goes on from document token `token` as a view that came to rest there would, with steps
  /// read so far, budget_reported and ran_away; adopt() gives it the events such a view noticed.
  void resume(std::uint32_t token, std::uint64_t steps, bool budget_reported, bool ran_away);
  /// Appends an event a previous pass noticed, when there is room.
  void adopt(const Event& e) { event(e); }
  const std::vector<Event>& scratch_events() const { return s_.events_; }
  const ExpansionLimits& limits() const { return limits_; }

 private:
  using Level = ExpansionScratch::Level;
  using Slice = ExpansionScratch::Slice;
  static bool plain(TokenKind k) {
    return k != TokenKind::ControlWord && k != TokenKind::ControlSymbol &&
           k != TokenKind::Parameter;
  }
  static constexpr KindMask kReadKinds = kind_bit(TokenKind::ControlWord) |
                                         kind_bit(TokenKind::ControlSymbol) |
                                         kind_bit(TokenKind::Parameter);
  // Moves the document cursor over plain tokens whose kind is not in stop, up to the next
  // region; they are items no one asked for, and passing them changes no other state.
  void pass_document(KindMask stop) {
    const TokenKind* kinds = tokens_.kinds_data();
    std::uint32_t i = doc_;
    while (i < plain_end_ && ((stop >> static_cast<unsigned>(kinds[i])) & 1u) == 0) ++i;
    doc_ = i;
  }
  // The same in the innermost level, counting the steps plain_level() would count and stopping
  // where it would hand over to read_raw() (a pending rest, the step bound).
  void pass_level(KindMask stop) {
    Level& level = s_.levels_.back();
    if (level.has_pending || steps_use_ >= limits_.max_steps_per_use) return;
    const auto end = static_cast<std::uint32_t>(std::min<std::uint64_t>(
        level.end, std::uint64_t{level.cur} + (limits_.max_steps_per_use - steps_use_)));
    std::uint32_t i = level.cur;
    if (level.kind == Level::Kind::Ring) {
      while (i < end && ((stop >> static_cast<unsigned>(s_.ring_[i].kind)) & 1u) == 0) ++i;
    } else {
      const TokenKind* kinds = body_tokens(level.prelude).kinds_data();
      while (i < end && ((stop >> static_cast<unsigned>(kinds[i])) & 1u) == 0) ++i;
    }
    if (i <= level.cur) return;
    steps_use_ += i - level.cur;
    steps_total_ += i - level.cur;
    level.cur = i;
  }
  bool plain_document(Item& out) {
    if (doc_ >= plain_end_ || !plain(tokens_.kind(doc_))) return false;
    out = document_item(doc_++);
    return true;
  }
  bool plain_level(Item& out) {
    Level& level = s_.levels_.back();
    if (level.has_pending || level.cur >= level.end || steps_use_ >= limits_.max_steps_per_use)
      return false;
    if (level.kind == Level::Kind::Ring) {
      if (!plain(s_.ring_[level.cur].kind)) return false;
      out = s_.ring_[level.cur++];
    } else {
      if (!plain(body_tokens(level.prelude).kind(level.cur))) return false;
      out = body_item(level, level.cur++);
    }
    ++steps_use_;
    ++steps_total_;
    return true;
  }
  bool next_slow(Item& out);
  bool produce(Item& out);
  bool read_raw(Item& out);
  void skip_region();
  Item document_item(std::uint32_t i) const {
    Item it;
    it.kind = tokens_.kind(i);
    it.begin = tokens_.begin(i);
    it.end = tokens_.end(i);
    it.site = {it.begin, it.end};
    return it;
  }
  /// The tokens and text a definition's body is spelled in.
  const TokenBuffer& body_tokens(bool prelude) const { return prelude ? *base_tokens_ : tokens_; }
  std::string_view body_text(bool prelude) const { return prelude ? base_text_ : text_; }
  /// Token i of a definition (body or default), produced by the use at site of macro.
  Item definition_item(bool prelude, std::uint32_t i, ByteRange site, std::uint32_t macro) const {
    const TokenBuffer& t = body_tokens(prelude);
    Item it;
    it.kind = t.kind(i);
    it.spelled = prelude ? Spelling::Prelude : Spelling::Document;
    it.begin = t.begin(i);
    it.end = t.end(i);
    it.site = site;
    it.macro = macro;
    return it;
  }
  Item body_item(const Level& level, std::uint32_t i) const {
    return definition_item(level.prelude, i, level.site, level.macro);
  }
  void unread(const Item& item);
  bool push_ring(std::uint32_t begin, std::uint32_t end, bool verbatim = false);
  bool push_body(std::uint32_t def, std::uint32_t first, std::uint32_t last, std::uint32_t args,
                 std::uint8_t arg_count, ByteRange site, std::uint32_t macro);
  bool ring_put(const Item& item);
  void event(const Event& e);
  void abandon();
  std::uint32_t slice_base() const;
  ByteRange use_site(const Item& use) const;

  bool expand(const Item& use, std::uint32_t def);
  bool begin_environment(const Item& begin);
  bool end_environment(const Item& end);
  bool environment_name(Item (&read)[3], std::size_t& count);
  void unread_all(const Item* items, std::size_t count);
  bool collect_args(const Item& use, std::uint32_t def, std::uint32_t base);
  bool skip_blanks(Item& out);
  bool arguments_follow(const Item& use, std::uint32_t def);
  void read_group_or_token(const Item& use, std::uint32_t def, int index, Slice& slice);
  bool runaway(const Item& open, bool long_args);
  void find_unclosed();
  void read_delimited(const Item& use, std::uint32_t def, int index, const Delimiter& close,
                      Slice& slice);
  std::uint32_t level_for(const Item& use, std::uint32_t def);
  bool budget_left(const Item& use, std::uint32_t def);
  std::string_view delimiter_text(std::uint32_t def, const Delimiter& d) const {
    return body_text(table_.body_from_base(def)).substr(d.bytes.begin, d.bytes.end - d.bytes.begin);
  }
  bool matches(const Item& item, std::uint32_t def, const Delimiter& d, bool star,
               Item& rest) const;
  std::string_view name_of(const Item& item) const;
  void missing_argument(const Item& use, std::uint32_t def, int index, const Item* found);
  void check_defined_later(const Item& use, std::uint32_t later);

  std::string_view text_;
  const TokenBuffer& tokens_;
  const MacroTable& table_;
  std::string_view base_text_;  ///< the table's base: its text and tokens
  const TokenBuffer* base_tokens_ = nullptr;
  ExpansionScratch& s_;
  ExpansionLimits limits_;
  std::uint32_t doc_ = 0;  ///< next document token
  std::uint32_t doc_end_;
  std::size_t next_region_ = 0;
  std::uint32_t region_first_ = kNone;  ///< first token of the next region
  std::uint32_t plain_end_ = 0;  ///< min(region_first_, end of the document)
  std::uint32_t body_depth_ = 0;
  std::uint32_t suppress_ = 0;  ///< control sequences still to pass unexpanded
  std::uint32_t steps_use_ = 0;
  std::uint64_t steps_total_ = 0;
  bool budget_reported_ = false;
  bool ran_away_ = false;
  std::uint32_t runaway_brace_ = kNone;  ///< byte of the last `{` runaway() found never closed
  bool abandoned_ = false;  ///< a bound was hit inside the current outermost use
  bool from_verbatim_ = false;         ///< the last raw item came from a verbatim ring level
  std::uint32_t from_body_ = kNone;    ///< the token index of the last raw item, if from a body
  std::uint32_t last_end_ = 0;  ///< end of the last written item consumed for the current use
  Item ahead_[kLookahead];
  std::size_t ahead_begin_ = 0, ahead_size_ = 0;
};

}  // namespace perfectex::lexer::expand
