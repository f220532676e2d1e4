// Suppression comments: `% perfectex-disable-next-line ids`, `% perfectex-disable-line ids`,
// `% perfectex-disable ids` ... `% perfectex-enable ids`, `% perfectex-disable-file ids` (no ids:
// every rule), and ChkTeX's `% chktex N` (this line) and `% chktex-file N` for the rules mapped
// to N. Read once per analysis into a small fixed table the Emitter consults; nothing allocates.
// Threading: a Suppressions belongs to one worker.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "validators/diagnostic.h"

namespace perfectex::validators {

struct RuleContext;
struct ModeScratch;

class Suppressions {
 public:
  static constexpr std::size_t kMax = 256;
  static constexpr std::uint32_t kOpen = 0xFFFFFFFFu;

  void clear() { count_ = 0; }
  bool empty() const { return count_ == 0; }
  /// Whether a diagnostic of rule starting at byte at is suppressed.
  bool suppressed(RuleId rule, std::uint32_t at) const {
    for (std::size_t k = 0; k < count_; ++k) {
      const Entry& e = items_[k];
      if ((e.rule == rule || e.rule == RuleId::kCount) && at >= e.begin && at < e.end) return true;
    }
    return false;
  }
  /// Suppresses rule (kCount: every rule) on [begin, end); false when the table is full.
  bool add(RuleId rule, std::uint32_t begin, std::uint32_t end);
  /// Ends the open regions of rule (kCount: all open regions) at byte at.
  void close(RuleId rule, std::uint32_t at);
  /// Whether these are old's, with old's positions moved by map(std::uint32_t&), which returns
  /// false for a position that has no image.
  template <typename Map>
  bool same_as(const Suppressions& old, Map map) const {
    if (count_ != old.count_) return false;
    for (std::size_t k = 0; k < count_; ++k) {
      Entry e = old.items_[k];
      if (!map(e.begin) || (e.end != kOpen && !map(e.end)) || e.begin != items_[k].begin ||
          e.end != items_[k].end || e.rule != items_[k].rule)
        return false;
    }
    return true;
  }

 private:
  struct Entry {
    std::uint32_t begin;
    std::uint32_t end;
    RuleId rule;
  };
  std::array<Entry, kMax> items_{};
  std::size_t count_ = 0;
};

/// Reads the suppression comments of the document (their token indices are in modes.comments);
/// unknown rule ids are reported through ctx.out as unknown-rule-in-comment.
void read_suppressions(const RuleContext& ctx, const ModeScratch& modes, Suppressions& out);

}  // namespace perfectex::validators
