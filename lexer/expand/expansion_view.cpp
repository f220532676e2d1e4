#include "lexer/expand/expansion_view.h"

#include <algorithm>

namespace perfectex::lexer::expand {
namespace {

constexpr std::string_view kSynthetic = "\\BooleanTrue\\BooleanFalse-NoValue-";
constexpr std::uint32_t kTrueEnd = 12, kFalseEnd = 25;
static_assert(kSynthetic.substr(0, kTrueEnd) == "\\BooleanTrue");
static_assert(kSynthetic.substr(kTrueEnd, kFalseEnd - kTrueEnd) == "\\BooleanFalse");

constexpr std::size_t kMaxLevels = 256;
constexpr std::uint32_t kMaxDepth = 64;  ///< ceiling for ExpansionLimits::max_depth

// Bytes in the UTF-8 sequence that starts with lead (1 for a stray continuation byte).
std::uint32_t utf8_length(unsigned char lead) {
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

}  // namespace

std::string_view synthetic_text() {
  return kSynthetic;
}

ExpansionScratch::ExpansionScratch(std::size_t ring_capacity, std::size_t event_capacity,
                                   std::size_t unclosed_capacity) {
  levels_.reserve(kMaxLevels);
  slices_.resize(9 * (kMaxLevels + 1));
  ring_.resize(ring_capacity);
  events_.reserve(event_capacity);
  unclosed_.reserve(unclosed_capacity);
}

void ExpansionScratch::grow() {
  if (ring_full_) ring_.resize(ring_.size() * 2);
  if (events_full_) events_.reserve(events_.capacity() * 2);
  if (unclosed_needed_ > 0) unclosed_.reserve(std::max(unclosed_needed_, 2 * unclosed_.capacity()));
  ring_full_ = events_full_ = false;
  unclosed_needed_ = 0;
}

void ExpansionScratch::keep_braces(const TokenEdit& edit) {
  if (!braces_known_) return;
  braces_known_ = edit.plain && (last_break_ == kNone || edit.token(last_break_));
  for (std::uint32_t& t : unclosed_) braces_known_ = braces_known_ && edit.token(t);
}

ExpansionView::ExpansionView(std::string_view text, const TokenBuffer& tokens,
                             const MacroTable& table, ExpansionScratch& scratch,
                             const ExpansionLimits& limits)
    : text_(text),
      tokens_(tokens),
      table_(table),
      s_(scratch),
      limits_(limits),
      doc_end_(static_cast<std::uint32_t>(tokens.size())) {
  if (table.base() != nullptr) {
    base_text_ = table.base()->text();
    base_tokens_ = &table.base()->tokens();
  }
  limits_.max_depth = std::min(limits_.max_depth, kMaxDepth);
  region_first_ = table.regions().empty() ? kNone : table.regions().front().first;
  plain_end_ = std::min(region_first_, doc_end_);
  s_.levels_.clear();
  s_.events_.clear();
  s_.ring_used_ = 0;
  s_.ring_full_ = s_.events_full_ = false;
}

std::string_view ExpansionView::text(Spelling spelled) const {
  switch (spelled) {
    case Spelling::Document:
      return text_;
    case Spelling::Prelude:
      return base_text_;
    case Spelling::Synthetic:
      return kSynthetic;
  }
  return {};
}

std::string_view ExpansionView::name_of(const Item& item) const {
  return text(item).substr(1);
}

void ExpansionView::event(const Event& e) {
  if (s_.events_.size() == s_.events_.capacity()) {
    s_.events_full_ = true;
    return;
  }
  s_.events_.push_back(e);
}

void ExpansionView::abandon() {
  s_.levels_.clear();
  body_depth_ = 0;
  suppress_ = 0;
  abandoned_ = true;
}

bool ExpansionView::ring_put(const Item& item) {
  if (s_.ring_used_ == s_.ring_.size()) {
    s_.ring_full_ = true;  // the runner grows the ring and runs again
    abandon();
    return false;
  }
  s_.ring_[s_.ring_used_++] = item;
  return true;
}

// Once a use is abandoned nothing is pushed (an unread of what an abandoned read consumed would
// leave a level that read_raw() never reads, and produce() would wait for it forever).
bool ExpansionView::push_ring(std::uint32_t begin, std::uint32_t end, bool verbatim) {
  if (abandoned_) return false;
  if (s_.levels_.size() == kMaxLevels) {
    abandon();
    return false;
  }
  Level level;
  level.kind = Level::Kind::Ring;
  level.cur = begin;
  level.end = end;
  level.verbatim = verbatim;
  s_.levels_.push_back(level);
  return true;
}

bool ExpansionView::push_body(std::uint32_t def, std::uint32_t first, std::uint32_t last,
                              std::uint32_t args, std::uint8_t arg_count, ByteRange site,
                              std::uint32_t macro) {
  if (abandoned_) return false;
  if (s_.levels_.size() == kMaxLevels) {
    abandon();
    return false;
  }
  Level level;
  level.kind = Level::Kind::Body;
  level.cur = first;
  level.end = last;
  level.def = def;
  level.args = args;
  level.arg_count = arg_count;
  level.site = site;
  level.macro = macro;
  level.prelude = table_.body_from_base(def);
  s_.levels_.push_back(level);
  ++body_depth_;
  return true;
}

void ExpansionView::unread(const Item& item) {
  if (!item.expanded() && item.begin < last_end_) last_end_ = item.begin;
  std::uint32_t slot = s_.ring_used_;
  if (ring_put(item)) push_ring(slot, slot + 1);
}

void ExpansionView::unread_all(const Item* items, std::size_t count) {
  while (count-- > 0) unread(items[count]);
}

// Reads the next token of the input stack without expanding it. Body levels substitute their
// parameters here; exhausted levels are popped; the document skips its definitions.
bool ExpansionView::read_raw(Item& out) {
  if (abandoned_) return false;
  from_verbatim_ = false;
  from_body_ = kNone;
  while (!s_.levels_.empty()) {
    Level& level = s_.levels_.back();
    bool available = level.has_pending || level.cur < level.end;
    if (available && ++steps_use_ > limits_.max_steps_per_use) {
      Event e;
      e.kind = EventKind::TooLong;
      for (const Level& l : s_.levels_) {
        if (l.kind != Level::Kind::Body) continue;
        e.macro = e.outer = l.macro;
        e.site = l.site;
        break;
      }
      event(e);
      abandon();
      return false;
    }
    if (available) ++steps_total_;
    if (level.has_pending) {
      level.has_pending = false;
      out = level.pending;
      return true;
    }
    if (level.cur < level.end) {
      if (level.kind == Level::Kind::Ring) {
        from_verbatim_ = level.verbatim;
        out = s_.ring_[level.cur++];
        if (!out.expanded()) last_end_ = std::max(last_end_, out.end);
        return true;
      }
      const TokenBuffer& tokens = body_tokens(level.prelude);
      std::uint32_t i = level.cur++;
      if (tokens.kind(i) == TokenKind::Parameter && level.cur < level.end) {
        TokenKind next = tokens.kind(level.cur);
        if (next == TokenKind::Parameter) {  // ## stands for #
          i = level.cur++;
        } else if (next == TokenKind::Text) {
          std::uint32_t digit = tokens.begin(level.cur);
          auto n = static_cast<unsigned>(body_text(level.prelude)[digit] - '1');
          if (n < level.arg_count) {
            std::uint32_t rest = level.cur++;
            if (tokens.length(rest) > 1) {
              level.pending = body_item(level, rest);
              level.pending.begin = digit + 1;
              level.has_pending = true;
            }
            ExpansionScratch::Slice slice = s_.slices_[level.args + n];
            if (slice.end > slice.begin && !push_ring(slice.begin, slice.end)) return false;
            continue;
          }
        }
      }
      from_body_ = i;
      out = body_item(level, i);
      return true;
    }
    if (level.kind == Level::Kind::Body) --body_depth_;
    s_.levels_.pop_back();
  }
  for (;;) {
    if (doc_ >= doc_end_) return false;
    if (doc_ == region_first_) {
      skip_region();
      continue;
    }
    out = document_item(doc_++);
    last_end_ = std::max(last_end_, out.end);
    return true;
  }
}

void ExpansionView::resume(std::uint32_t token, std::uint64_t steps, bool budget_reported,
                           bool ran_away) {
  const std::vector<Region>& regions = table_.regions();
  doc_ = token;
  next_region_ = static_cast<std::size_t>(
      std::partition_point(regions.begin(), regions.end(),
                           [&](const Region& r) { return r.first < token; }) -
      regions.begin());
  region_first_ = next_region_ < regions.size() ? regions[next_region_].first : kNone;
  plain_end_ = std::min(region_first_, doc_end_);
  steps_total_ = steps;
  budget_reported_ = budget_reported;
  ran_away_ = ran_away;
}

// Regions tile nothing and never overlap, and the document cursor moves one token at a time or
// to the end of a region, so it meets every region's first token.
void ExpansionView::skip_region() {
  const std::vector<Region>& regions = table_.regions();
  doc_ = regions[next_region_].last + 1;
  ++next_region_;
  region_first_ = next_region_ < regions.size() ? regions[next_region_].first : kNone;
  plain_end_ = std::min(region_first_, doc_end_);
}

bool ExpansionView::next_slow(Item& out) {
  if (ahead_size_ > 0) {
    out = ahead_[ahead_begin_];
    ahead_begin_ = (ahead_begin_ + 1) % kLookahead;
    --ahead_size_;
    return true;
  }
  return produce(out);
}

const Item* ExpansionView::peek(std::size_t k) {
  if (k >= kLookahead) return nullptr;
  while (ahead_size_ <= k) {
    Item& slot = ahead_[(ahead_begin_ + ahead_size_) % kLookahead];
    if (!produce(slot)) return nullptr;
    ++ahead_size_;
  }
  return &ahead_[(ahead_begin_ + k) % kLookahead];
}

// The expanded stream. Most tokens are not control sequences, or are not the user's: they pass
// through after one hash probe, so this loop is shaped for that path.
bool ExpansionView::produce(Item& out) {
  for (;;) {
    if (s_.levels_.empty()) {
      s_.ring_used_ = 0;
      steps_use_ = 0;
      abandoned_ = false;
    }
    if (!read_raw(out)) {
      if (abandoned_) continue;
      return false;
    }
    if ((out.kind != TokenKind::ControlWord && out.kind != TokenKind::ControlSymbol) ||
        out.spelled == Spelling::Synthetic || from_verbatim_) {
      return true;
    }
    if (suppress_ > 0) {
      --suppress_;
      return true;
    }
    std::uint32_t later = kNone;
    std::uint32_t d = table_.lookup(Namespace::Command, name_of(out), out.site.begin, &later);
    if (d == kNone) {
      check_defined_later(out, later);
      return true;
    }
    const Definition& def = table_[d];
    switch (def.role) {
      case Role::Macro:
        if (def.expandable && expand(out, d)) continue;
        return true;
      case Role::Suppressor:
        suppress_ = def.suppress;
        return true;
      case Role::Definer:
      case Role::IfFalse:
        // Met inside an expansion (the document's own are regions): a definition in a body is
        // skipped like one in the document; one in an argument passes through unexpanded.
        if (from_body_ != kNone) {
          Level& level = s_.levels_.back();
          // The table whose text the body is written in (the builtins are the same in both).
          const MacroTable& written = level.prelude ? *table_.base() : table_;
          std::uint32_t last = kNone;
          if (def.role == Role::IfFalse) {
            last = written.iffalse_end(from_body_, level.end);
          } else {
            Definition parsed;
            last = written.parse_definition(from_body_, level.end, def, parsed).last;
          }
          if (last != kNone) {
            level.cur = last + 1;
            level.has_pending = false;
            continue;
          }
        } else if (!s_.levels_.empty() && s_.levels_.back().kind == Level::Kind::Ring) {
          s_.levels_.back().verbatim = true;
        }
        return true;
      case Role::Begin:
        if (begin_environment(out)) continue;
        return true;
      case Role::End:
        if (end_environment(out)) continue;
        return true;
    }
    return true;
  }
}

void ExpansionView::check_defined_later(const Item& use, std::uint32_t later) {
  if (later == kNone) return;
  Event e;
  e.kind = EventKind::UsedBeforeDefinition;
  e.macro = later;
  e.site = use.site;
  e.outer = use.macro;
  e.at = use.spelled == Spelling::Document ? ByteRange{use.begin, use.end} : use.site;
  event(e);
}

std::uint32_t ExpansionView::slice_base() const {
  for (std::size_t k = s_.levels_.size(); k-- > 0;) {
    if (s_.levels_[k].kind == Level::Kind::Body) return s_.levels_[k].args + 9;
  }
  return 0;
}

ByteRange ExpansionView::use_site(const Item& use) const {
  if (use.expanded()) return use.site;
  return {use.begin, std::max(use.end, last_end_)};
}

// Room for one more macro body: the index of its argument slices, or kNone when a bound is hit
// (reported; the current outermost use is abandoned).
std::uint32_t ExpansionView::level_for(const Item& use, std::uint32_t d) {
  std::uint32_t base = slice_base();
  if (body_depth_ < limits_.max_depth && base + 9 <= s_.slices_.size()) return base;
  Event e;
  e.kind = EventKind::TooDeep;
  e.macro = d;
  e.site = use.site;
  e.outer = use.expanded() ? use.macro : d;
  event(e);
  abandon();
  return kNone;
}

bool ExpansionView::budget_left(const Item& use, std::uint32_t d) {
  if (steps_total_ < limits_.max_steps_total) return true;
  if (!budget_reported_) {
    budget_reported_ = true;
    Event e;
    e.kind = EventKind::BudgetExhausted;
    e.macro = d;
    e.site = use.site;
    e.outer = use.macro;
    event(e);
  }
  return false;
}

bool ExpansionView::expand(const Item& use, std::uint32_t d) {
  const Definition& def = table_[d];
  if (!budget_left(use, d)) return false;
  if (def.arg_count > 0 && !arguments_follow(use, d)) return false;
  std::uint32_t base = level_for(use, d);
  if (base == kNone) return true;
  if (!collect_args(use, d, base)) return true;
  ByteRange site = use_site(use);
  std::uint32_t macro = use.expanded() ? use.macro : d;
  push_body(d, def.body_first, def.body_last, base, def.arg_count, site, macro);
  return true;
}

// TeX drops the blanks after a control word, so they never reach a delimited argument. When
// what follows cannot be a first mandatory argument (`}`, `]`, a blank line, the end), the use
// is left unexpanded: written in the document, that is a missing argument (or, before `]`, a
// macro passed by name as in `text=\x]`); inside a body it is most often a branch that
// \@ifnextchar and kin would not take (\def\x#1{... \@ifnextchar\bgroup{\x}{}}), not reported.
bool ExpansionView::arguments_follow(const Item& use, std::uint32_t d) {
  const Definition& def = table_[d];
  Item t;
  bool found = use.kind == TokenKind::ControlWord ? skip_blanks(t) : read_raw(t);
  if (found) unread(t);
  if (def.args[0].kind != ArgKind::Mandatory) return true;
  bool usable = found && t.kind != TokenKind::EndGroup && t.kind != TokenKind::CloseBracket &&
                t.kind != TokenKind::ParagraphBreak;
  if (!usable && (!found || t.kind == TokenKind::EndGroup ||
                  (t.kind == TokenKind::ParagraphBreak && !def.long_args))) {
    missing_argument(use, d, 0, found ? &t : nullptr);
  }
  return usable;
}

bool ExpansionView::skip_blanks(Item& out) {
  while (read_raw(out)) {
    if (!blank(out.kind)) return true;
  }
  return false;
}

// Whether item is the delimiter d of definition def (spelled where def's body is).
bool ExpansionView::matches(const Item& item, std::uint32_t def, const Delimiter& d, bool star,
                            Item& rest) const {
  rest = item;
  rest.begin = rest.end;
  std::string_view have = text(item);
  std::string_view want = star ? std::string_view("*") : delimiter_text(def, d);
  if (star || d.kind == TokenKind::Text) {
    if (item.kind != TokenKind::Text || item.spelled == Spelling::Synthetic || want.empty() ||
        !have.starts_with(want))
      return false;
    rest.begin = item.begin + static_cast<std::uint32_t>(want.size());
    return true;
  }
  if (d.kind == TokenKind::Space) {
    return item.kind == TokenKind::Space || item.kind == TokenKind::Newline;
  }
  return item.kind == d.kind && (!d.present() || have == want);
}

void ExpansionView::missing_argument(const Item& use, std::uint32_t def, int index,
                                     const Item* found) {
  // Inside a body, a missing argument is most often a branch TeX would not take.
  if (abandoned_ || use.expanded()) return;
  Event e;
  e.kind = EventKind::MissingArgument;
  e.arg = static_cast<std::uint8_t>(index);
  e.macro = def;
  e.site = use_site(use);
  e.outer = use.macro;
  if (found != nullptr) e.at = found->site;
  event(e);
}

// Whether open, a `{` written in the document that an argument begins with, is closed nowhere
// before the end. TeX then reads the rest of the file into the argument ("File ended while
// scanning use of \x"); here the argument is left unread instead, so that the `{` stays where it
// is written, F1 reports it there, and what follows is checked as written. A blank line ends the
// argument of a macro that is not \long first: that is reported where it is met. Regions are
// skipped, as read_raw() skips them. An argument is short: the kinds after the brace are probed
// up to limits_.runaway_probe tokens; past that, one pass over the document settles every brace
// (find_unclosed), so that many such uses cost one pass, not one each, and the scratch keeps
// what it found while the edits are only words (keep_braces).
bool ExpansionView::runaway(const Item& open, bool long_args) {
  if (open.expanded() || open.spelled != Spelling::Document) return false;
  if (open.begin == runaway_brace_) return true;  // the next argument meets it again
  // Read from the document (perhaps read ahead and put back): the token before the cursor.
  for (const Level& level : s_.levels_) {
    if (level.has_pending || level.cur < level.end) return false;
  }
  const std::vector<Region>& regions = table_.regions();
  const std::uint32_t k = doc_ - 1;
  if (doc_ == 0 || tokens_.begin(k) != open.begin) return false;
  const std::uint32_t probe = s_.braces_known_ ? 0 : limits_.runaway_probe;
  const std::uint32_t probe_end = doc_end_ - k - 1 > probe ? k + 1 + probe : doc_end_;
  const TokenKind* kinds = tokens_.kinds_data();
  std::size_t region = next_region_;
  int depth = 1;
  for (std::uint32_t i = k + 1; i < probe_end; ++i) {
    if (region < regions.size() && i == regions[region].first) {
      i = regions[region++].last;
      continue;
    }
    if (kinds[i] == TokenKind::BeginGroup) {
      ++depth;
    } else if (kinds[i] == TokenKind::EndGroup) {
      if (--depth == 0) return false;
    } else if (kinds[i] == TokenKind::ParagraphBreak && !long_args) {
      return false;
    }
  }
  bool never_closed = probe_end == doc_end_ && probe > 0;
  if (!never_closed) {
    // When they did not fit, the scratch grows and the rules run again.
    if (!s_.braces_known_ && s_.unclosed_needed_ == 0) find_unclosed();
    if (!s_.braces_known_) return false;
    never_closed = std::binary_search(s_.unclosed_.begin(), s_.unclosed_.end(), k) &&
                   (long_args || s_.last_break_ == kNone || s_.last_break_ < k);
  }
  if (never_closed) {
    ran_away_ = true;
    runaway_brace_ = open.begin;
  }
  return never_closed;
}

// One pass from the end of the document to its start, outside the regions: a `{` is closed when
// a `}` after it is still unmatched when the pass meets it (one kind of bracket: a count is the
// stack). Fills s_.unclosed_ in increasing order, or counts what did not fit.
void ExpansionView::find_unclosed() {
  std::uint32_t& last_break = s_.last_break_;
  last_break = kNone;
  s_.unclosed_.clear();
  const std::vector<Region>& regions = table_.regions();
  const TokenKind* kinds = tokens_.kinds_data();
  std::size_t region = regions.size(), count = 0;
  std::uint32_t closers = 0;
  for (std::uint32_t i = doc_end_; i-- > 0;) {
    if (region > 0 && i == regions[region - 1].last) {
      i = regions[--region].first;
      continue;
    }
    if (kinds[i] == TokenKind::EndGroup) {
      ++closers;
    } else if (kinds[i] == TokenKind::BeginGroup) {
      if (closers > 0) {
        --closers;
      } else {
        if (s_.unclosed_.size() < s_.unclosed_.capacity()) s_.unclosed_.push_back(i);
        ++count;
      }
    } else if (kinds[i] == TokenKind::ParagraphBreak && last_break == kNone) {
      last_break = i;
    }
  }
  s_.braces_known_ = count == s_.unclosed_.size();
  if (!s_.braces_known_) s_.unclosed_needed_ = count;
  std::reverse(s_.unclosed_.begin(), s_.unclosed_.end());
}

// A mandatory argument: one token (one character of a Text run) or a group without its braces.
void ExpansionView::read_group_or_token(const Item& use, std::uint32_t d, int index,
                                        Slice& slice) {
  const Definition& def = table_[d];
  Item t;
  bool found = skip_blanks(t);
  slice = {s_.ring_used_, s_.ring_used_};
  if (!found) {
    missing_argument(use, d, index, nullptr);
    return;
  }
  if (t.kind == TokenKind::EndGroup ||
      (t.kind == TokenKind::ParagraphBreak && !def.long_args)) {
    unread(t);
    missing_argument(use, d, index, &t);
    return;
  }
  if (t.kind == TokenKind::BeginGroup) {
    if (runaway(t, def.long_args)) {
      unread(t);
      return;
    }
    int depth = 1;
    Item u;
    for (;;) {
      if (!read_raw(u)) {
        missing_argument(use, d, index, nullptr);
        break;
      }
      if (u.kind == TokenKind::BeginGroup) ++depth;
      if (u.kind == TokenKind::EndGroup && --depth == 0) break;
      if (u.kind == TokenKind::ParagraphBreak && !def.long_args) {
        slice.end = s_.ring_used_;
        unread(u);
        missing_argument(use, d, index, &u);
        return;
      }
      if (!ring_put(u)) return;
    }
    slice.end = s_.ring_used_;
    return;
  }
  Item rest = t;
  rest.begin = rest.end;
  if (t.kind == TokenKind::Text && t.spelled != Spelling::Synthetic) {
    std::uint32_t len = utf8_length(static_cast<unsigned char>(text(t).front()));
    if (t.end - t.begin > len) {
      rest.begin = t.begin + len;
      t.end = rest.begin;
    }
  }
  if (!ring_put(t)) return;
  slice.end = s_.ring_used_;
  if (rest.end > rest.begin) unread(rest);
}

// An argument that runs up to a delimiter at brace depth 0 (a \def parameter, the inside of
// [..]); one pair of braces around the whole argument is removed, as TeX does.
void ExpansionView::read_delimited(const Item& use, std::uint32_t d, int index,
                                   const Delimiter& close, Slice& slice) {
  const Definition& def = table_[d];
  slice = {s_.ring_used_, s_.ring_used_};
  int depth = 0;
  Item u, rest;
  for (;;) {
    if (!read_raw(u)) {
      missing_argument(use, d, index, nullptr);
      slice.end = s_.ring_used_;
      return;
    }
    if (depth == 0) {
      if (u.kind == TokenKind::EndGroup ||
          (u.kind == TokenKind::ParagraphBreak && !def.long_args)) {
        slice.end = s_.ring_used_;
        unread(u);
        missing_argument(use, d, index, &u);
        return;
      }
      if (close.kind == TokenKind::Text && u.kind == TokenKind::Text &&
          u.spelled != Spelling::Synthetic) {
        std::string_view want = delimiter_text(d, close);
        std::size_t at = text(u).find(want);
        if (at != std::string_view::npos) {
          Item after = u;
          u.end = u.begin + static_cast<std::uint32_t>(at);
          after.begin = u.end + static_cast<std::uint32_t>(want.size());
          if (u.end > u.begin && !ring_put(u)) return;
          slice.end = s_.ring_used_;
          if (after.end > after.begin) unread(after);
          break;
        }
      } else if (close.kind != TokenKind::Text && matches(u, d, close, false, rest)) {
        slice.end = s_.ring_used_;
        break;
      }
    }
    if (u.kind == TokenKind::BeginGroup) ++depth;
    if (u.kind == TokenKind::EndGroup) --depth;
    if (!ring_put(u)) return;
  }
  // {..} as the whole argument: drop the braces.
  if (slice.end - slice.begin >= 2 && s_.ring_[slice.begin].kind == TokenKind::BeginGroup &&
      s_.ring_[slice.end - 1].kind == TokenKind::EndGroup) {
    int level = 0;
    std::uint32_t k = slice.begin;
    for (; k < slice.end; ++k) {
      if (s_.ring_[k].kind == TokenKind::BeginGroup) ++level;
      if (s_.ring_[k].kind == TokenKind::EndGroup && --level == 0) break;
    }
    if (k == slice.end - 1) {
      ++slice.begin;
      --slice.end;
    }
  }
}

bool ExpansionView::collect_args(const Item& use, std::uint32_t d, std::uint32_t base) {
  const Definition& def = table_[d];
  last_end_ = use.end;
  ByteRange origin = use.expanded() ? use.site : ByteRange{use.begin, use.end};
  std::uint32_t origin_macro = use.expanded() ? use.macro : d;
  auto put_synthetic = [&](TokenKind kind, std::uint32_t begin, std::uint32_t end) {
    Item it;
    it.kind = kind;
    it.spelled = Spelling::Synthetic;
    it.begin = begin;
    it.end = end;
    it.site = origin;
    it.macro = origin_macro;
    ring_put(it);
  };
  for (int a = 0; a < def.arg_count && !abandoned_; ++a) {
    const ArgSpec& spec = def.args[a];
    Slice& slice = s_.slices_[base + static_cast<std::uint32_t>(a)];
    if (spec.kind == ArgKind::Mandatory) {
      read_group_or_token(use, d, a, slice);
      continue;
    }
    if (spec.kind == ArgKind::Until) {
      read_delimited(use, d, a, spec.close, slice);
      continue;
    }
    Item t, rest;
    bool found = skip_blanks(t);
    bool present = found && matches(t, d, spec.open, spec.star, rest);
    if (found && !present) unread(t);
    if (present && rest.end > rest.begin) unread(rest);
    if (present && spec.kind == ArgKind::Optional) {
      read_delimited(use, d, a, spec.close, slice);
      continue;
    }
    if (!present && spec.required) missing_argument(use, d, a, found ? &t : nullptr);
    slice.begin = s_.ring_used_;
    if (spec.kind == ArgKind::Boolean) {
      put_synthetic(TokenKind::ControlWord, present ? 0 : kTrueEnd, present ? kTrueEnd : kFalseEnd);
    } else if (spec.default_first == kNone) {
      put_synthetic(TokenKind::Text, kFalseEnd, static_cast<std::uint32_t>(kSynthetic.size()));
    } else {
      bool prelude = table_.body_from_base(d);
      for (std::uint32_t k = spec.default_first; k < spec.default_last && !abandoned_; ++k) {
        ring_put(definition_item(prelude, k, origin, origin_macro));
      }
    }
    slice.end = s_.ring_used_;
  }
  return !abandoned_;
}

// Reads {name} after \begin or \end; read[] holds what was consumed, to give back if the
// environment is not the user's.
bool ExpansionView::environment_name(Item (&read)[3], std::size_t& count) {
  count = 0;
  Item t;
  if (!skip_blanks(t)) return false;
  read[count++] = t;
  if (t.kind != TokenKind::BeginGroup || !read_raw(t)) return false;
  read[count++] = t;
  if (t.kind != TokenKind::Text || t.spelled == Spelling::Synthetic || !read_raw(t)) return false;
  read[count++] = t;
  return t.kind == TokenKind::EndGroup;
}

bool ExpansionView::begin_environment(const Item& begin) {
  Item read[3];
  std::size_t count = 0;
  last_end_ = begin.end;
  bool named = environment_name(read, count);
  std::uint32_t later = kNone;
  std::uint32_t d = named ? table_.lookup(Namespace::Environment, text(read[1]), begin.site.begin,
                                          &later)
                          : kNone;
  if (named && d == kNone) check_defined_later(begin, later);
  if (d == kNone || !table_[d].expandable || !budget_left(begin, d)) {
    unread_all(read, count);
    return false;
  }
  const Definition& def = table_[d];
  std::uint32_t base = level_for(begin, d);
  if (base == kNone) return true;
  if (!collect_args(begin, d, base)) return true;
  ByteRange site = use_site(begin);
  std::uint32_t macro = begin.expanded() ? begin.macro : d;
  // The begin code, then \begin{name} itself on top of it, so that the structure checks see
  // the environment open before its code runs.
  if (!push_body(d, def.body_first, def.body_last, base, def.arg_count, site, macro)) return true;
  std::uint32_t slot = s_.ring_used_;
  if (!ring_put(begin)) return true;
  for (const Item& it : read) {
    if (!ring_put(it)) return true;
  }
  push_ring(slot, s_.ring_used_, true);
  return true;
}

bool ExpansionView::end_environment(const Item& end) {
  Item read[3];
  std::size_t count = 0;
  last_end_ = end.end;
  bool named = environment_name(read, count);
  std::uint32_t d = named ? table_.lookup(Namespace::Environment, text(read[1]), end.site.begin)
                          : kNone;
  if (d == kNone || !table_[d].expandable || !budget_left(end, d)) {
    unread_all(read, count);
    return false;
  }
  const Definition& def = table_[d];
  std::uint32_t base = level_for(end, d);
  if (base == kNone) return true;
  ByteRange site = use_site(end);
  std::uint32_t macro = end.expanded() ? end.macro : d;
  // \end{name} itself under the end code: the code runs first.
  std::uint32_t slot = s_.ring_used_;
  if (!ring_put(end)) return true;
  for (const Item& it : read) {
    if (!ring_put(it)) return true;
  }
  if (!push_ring(slot, s_.ring_used_, true)) return true;
  push_body(d, def.end_first, def.end_last, base, 0, site, macro);
  return true;
}

}  // namespace perfectex::lexer::expand
