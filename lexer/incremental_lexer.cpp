#include "lexer/incremental_lexer.h"

#include <algorithm>
#include <cstring>

#include "lexer/kernel.h"
#include "lexer/quiet_allocation_guard.h"

namespace perfectex::lexer {

// Stops the resumed lex at the first line start after the edit where the old lex was at the
// same byte (shifted by the edit) in the same state, outside verbatim. From there on both lexes
// see the same bytes in the same state, so the old tokens are the new ones, shifted.
class IncrementalLexer::Resync final : public StopCondition {
 public:
  Resync(const IncrementalLexer& owner, std::size_t first, TextEdit edit)
      : owner_(owner),
        old_(owner.tokens_),
        first_(first),
        new_end_(edit.new_end),
        delta_(static_cast<std::int64_t>(edit.new_end) - edit.old_end) {}

  void reset() {
    old_index_ = first_;
    matched_ = false;
  }

  bool stop(std::size_t at, const LexState& state) override {
    if (at < new_end_ || state.verbatim_env != 0) return false;
    auto old_at = static_cast<std::uint32_t>(static_cast<std::int64_t>(at) - delta_);
    while (old_index_ < old_.size() && old_.begin(old_index_) < old_at) ++old_index_;
    if (old_index_ == 0 || old_index_ >= old_.size() || old_.begin(old_index_) != old_at) {
      return false;
    }
    if (old_.kind(old_index_) == TokenKind::Verbatim) return false;
    TokenKind before = old_.kind(old_index_ - 1);
    if (before != TokenKind::Newline && before != TokenKind::ParagraphBreak) return false;
    matched_ = owner_.at_letter_before(old_at) == state.at_letter;
    return matched_;
  }

  /// The old token where the new tokens rejoin the old ones; the old size when they never do.
  std::size_t rejoin() const { return matched_ ? old_index_ : old_.size(); }

 private:
  const IncrementalLexer& owner_;
  const TokenBuffer& old_;
  std::size_t first_;
  std::size_t old_index_ = 0;
  std::uint32_t new_end_;
  std::int64_t delta_;
  bool matched_ = false;
};

TextEdit diff_texts(std::string_view before, std::string_view after) {
  // Whole chunks by memcmp (vectorised in the C library), then the last bytes one at a time.
  constexpr std::size_t kChunk = 4096;
  const char* a = before.data();
  const char* b = after.data();
  std::size_t n = std::min(before.size(), after.size());
  std::size_t prefix = 0;
  while (prefix + kChunk <= n && std::memcmp(a + prefix, b + prefix, kChunk) == 0) prefix += kChunk;
  while (prefix < n && a[prefix] == b[prefix]) ++prefix;
  const char* a_end = a + before.size();
  const char* b_end = b + after.size();
  std::size_t suffix = 0, most = n - prefix;
  while (suffix + kChunk <= most &&
         std::memcmp(a_end - suffix - kChunk, b_end - suffix - kChunk, kChunk) == 0) {
    suffix += kChunk;
  }
  while (suffix < most && a_end[-1 - static_cast<std::ptrdiff_t>(suffix)] ==
                              b_end[-1 - static_cast<std::ptrdiff_t>(suffix)]) {
    ++suffix;
  }
  return {static_cast<std::uint32_t>(prefix), static_cast<std::uint32_t>(before.size() - suffix),
          static_cast<std::uint32_t>(after.size() - suffix)};
}

TextEdit then(TextEdit first, std::uint32_t middle_size, TextEdit second) {
  // An empty edit changed nothing; otherwise each edit keeps a prefix and a suffix of its text,
  // and both keep the shorter of each.
  auto empty = [](TextEdit e) { return e.begin == e.old_end && e.begin == e.new_end; };
  if (empty(first)) return second;
  if (empty(second)) return first;
  const std::uint32_t suffix = std::min(middle_size - first.new_end, middle_size - second.old_end);
  const std::uint32_t before_size = first.old_end + (middle_size - first.new_end);
  const std::uint32_t after_size = second.new_end + (middle_size - second.old_end);
  return {std::min(first.begin, second.begin), before_size - suffix, after_size - suffix};
}

IncrementalLexer::IncrementalLexer(std::size_t capacity) : tokens_(capacity), scratch_(4096) {
  toggles_.reserve(256);
  new_toggles_.reserve(64);
}

LexStats IncrementalLexer::lex(std::string_view text) {
  return lex(text, active_kernel().lex);
}

LexStats IncrementalLexer::lex(std::string_view text, LexFunction kernel) {
  LexStats stats = lex_document(text, tokens_, kernel);
  toggles_.clear();
  collect_toggles(text, tokens_, toggles_);
  return stats;
}

bool IncrementalLexer::at_letter_before(std::uint32_t at) const {
  auto it = std::lower_bound(toggles_.begin(), toggles_.end(), at,
                             [](const Toggle& t, std::uint32_t pos) { return t.at < pos; });
  return it != toggles_.begin() && std::prev(it)->letter;
}

void IncrementalLexer::collect_toggles(std::string_view text, const TokenBuffer& tokens,
                                       std::vector<Toggle>& toggles) {
  if (tokens.empty()) return;
  // \makeatletter is rare: find the bytes with memmem, then check a control word starts there.
  constexpr std::string_view kStem = "\\makeat";
  const std::uint32_t from = tokens.begin(0), to = tokens.end(tokens.size() - 1);
  const char* base = text.data();
  std::size_t index = 0;
  for (std::uint32_t at = from; at < to;) {
    const void* hit = ::memmem(base + at, to - at, kStem.data(), kStem.size());
    if (hit == nullptr) break;
    at = static_cast<std::uint32_t>(static_cast<const char*>(hit) - base);
    while (index < tokens.size() && tokens.begin(index) < at) ++index;
    if (index < tokens.size() && tokens.begin(index) == at &&
        tokens.kind(index) == TokenKind::ControlWord) {
      std::string_view name = text.substr(at, tokens.length(index));
      if (name == "\\makeatletter") toggles.push_back({at, true});
      if (name == "\\makeatother") toggles.push_back({at, false});
    }
    at += static_cast<std::uint32_t>(kStem.size());
  }
}

// The relexed stretch replaces the tokens [restart, rejoin); the tokens it begins and ends with
// are often the same as before (the paragraph break it restarts at, the words around the edit).
TokenEdit IncrementalLexer::changed_tokens(std::size_t restart, std::size_t rejoin,
                                           TextEdit edit) const {
  const std::size_t fresh = scratch_.size();
  std::size_t same_front = 0;
  while (same_front < fresh && restart + same_front < rejoin &&
         tokens_.end(restart + same_front) <= edit.begin &&
         tokens_.kind(restart + same_front) == scratch_.kind(same_front) &&
         tokens_.begin(restart + same_front) == scratch_.begin(same_front) &&
         tokens_.end(restart + same_front) == scratch_.end(same_front))
    ++same_front;
  std::size_t same_back = 0;
  while (same_back < fresh - same_front && same_back < rejoin - restart - same_front) {
    std::size_t o = rejoin - 1 - same_back, k = fresh - 1 - same_back;
    if (tokens_.begin(o) < edit.old_end || tokens_.kind(o) != scratch_.kind(k) ||
        tokens_.begin(o) - edit.old_end + edit.new_end != scratch_.begin(k) ||
        tokens_.end(o) - edit.old_end + edit.new_end != scratch_.end(k))
      break;
    ++same_back;
  }
  auto prose = [](TokenKind k) {
    return k == TokenKind::Text || k == TokenKind::Space || k == TokenKind::Newline;
  };
  // Whether the braces of a stretch pair among themselves (each `}` closes a `{` of it, each `{`
  // is closed in it); and whether it is words alone.
  bool plain = true, groups = false;
  auto look = [&](const TokenBuffer& tokens, std::size_t first, std::size_t end) {
    int depth = 0;
    for (std::size_t t = first; t < end; ++t) {
      const TokenKind kind = tokens.kind(t);
      plain = plain && prose(kind);
      depth += kind == TokenKind::BeginGroup ? 1 : kind == TokenKind::EndGroup ? -1 : 0;
      groups = groups || depth < 0;
    }
    groups = groups || depth != 0;
  };
  look(tokens_, restart + same_front, rejoin - same_back);
  look(scratch_, same_front, fresh - same_back);
  return {static_cast<std::uint32_t>(restart + same_front),
          static_cast<std::uint32_t>(rejoin - same_back),
          static_cast<std::uint32_t>(restart + fresh - same_back),
          edit,
          plain,
          groups};
}

RelexStats IncrementalLexer::relex(std::string_view text, TextEdit edit) {
  RelexStats stats;
  const std::size_t n = tokens_.size();
  const std::uint32_t old_size = tokens_.begin(n);  // the end sentinel: the old text's size
  if (edit.begin > edit.old_end || edit.begin > edit.new_end || edit.old_end > old_size ||
      text.size() != std::size_t{old_size} - edit.old_end + edit.new_end ||
      text.size() > kMaxDocumentBytes) {
    // Not an edit of the text these tokens describe: start over.
    LexStats full = lex(text);
    stats.token_count = full.token_count;
    stats.resync = static_cast<std::uint32_t>(text.size());
    stats.changed = {0,
                     static_cast<std::uint32_t>(n),
                     static_cast<std::uint32_t>(full.token_count),
                     {0, old_size, static_cast<std::uint32_t>(text.size())}};
    stats.tokens_lexed = full.token_count;
    stats.growths = full.growths;
    stats.hot_allocations = full.hot_allocations;
    return stats;
  }

  // Restart at the last paragraph break that ends at or before the edit (memrchr: kinds are
  // bytes), else at the start of the text.
  std::size_t restart_token = 0;
  LexState state;
  {
    QuietAllocationGuard guard;
    const auto* kinds = reinterpret_cast<const unsigned char*>(tokens_.kinds_data());
    const std::uint32_t* begins = tokens_.begins_data();
    std::size_t limit = std::upper_bound(begins, begins + n, edit.begin) - begins;
    while (limit > 0) {
      const void* hit = ::memrchr(kinds, static_cast<int>(TokenKind::ParagraphBreak), limit);
      if (hit == nullptr) break;
      std::size_t p = static_cast<std::size_t>(static_cast<const unsigned char*>(hit) - kinds);
      if (tokens_.end(p) <= edit.begin) {
        restart_token = p;
        state.at_letter = at_letter_before(tokens_.begin(p));
        break;
      }
      limit = p;
    }
    stats.restart = tokens_.begin(restart_token);
    stats.hot_allocations += guard.allocations();
  }

  Resync resync(*this, restart_token, edit);
  LexResult lexed;
  for (;;) {
    {
      QuietAllocationGuard guard;
      resync.reset();
      lexed = lex_scalar_from(text, stats.restart, state, scratch_, resync);
      if (lexed.status == LexStatus::Ok) {
        new_toggles_.clear();
        collect_toggles(text, scratch_, new_toggles_);
      }
      stats.hot_allocations += guard.allocations();
    }
    if (lexed.status == LexStatus::Ok) break;
    scratch_.reserve(std::min(scratch_.capacity() * 2, text.size() + 1));
    ++stats.growths;
  }
  const std::size_t rejoin = resync.rejoin();

  // Room for the result, grown (and counted) outside the guarded sections.
  const std::size_t size = n - (rejoin - restart_token) + scratch_.size();
  if (size > tokens_.capacity()) {
    tokens_.reserve(std::max(size, tokens_.capacity() * 2));
    ++stats.growths;
  }
  toggles_.reserve(toggles_.size() + new_toggles_.size());

  {
    QuietAllocationGuard guard;
    const std::int64_t delta = static_cast<std::int64_t>(edit.new_end) - edit.old_end;
    const std::uint32_t old_rejoin_at = rejoin < n ? tokens_.begin(rejoin) : old_size + 1;
    auto by_at = [](const Toggle& t, std::uint32_t pos) { return t.at < pos; };
    auto lo = std::lower_bound(toggles_.begin(), toggles_.end(), stats.restart, by_at);
    auto hi = std::lower_bound(lo, toggles_.end(), old_rejoin_at, by_at);
    for (auto it = hi; it != toggles_.end(); ++it) {
      it->at = static_cast<std::uint32_t>(it->at + delta);
    }
    lo = toggles_.erase(lo, hi);
    toggles_.insert(lo, new_toggles_.begin(), new_toggles_.end());
    stats.changed = changed_tokens(restart_token, rejoin, edit);
    tokens_.splice(restart_token, rejoin, scratch_, delta);
    stats.hot_allocations += guard.allocations();
  }

  stats.token_count = tokens_.size();
  stats.resync = static_cast<std::uint32_t>(lexed.end);
  stats.tokens_lexed = scratch_.size();
  return stats;
}

}  // namespace perfectex::lexer
