#include "validators/sequential_rules.h"

#include <algorithm>
#include <span>

#include "validators/checkpoints.h"

namespace perfectex::validators {
namespace {

struct Run {
  std::span<const Event> events;
  std::size_t from = 0;   ///< the event to start at
  std::size_t stop = 0;   ///< where it stopped (events.size() at the end)
  SequentialState state;  ///< the state before events[from]
};

// Runs the families from run.from, into sink (and made) and marks. With a previous run to meet
// (edit given), past window.end it compares its state at each previous mark and stops where
// they agree; *met is then that mark.
void run_families(const RuleContext& ctx, Run& run, std::uint32_t spacing, DiagnosticSink& sink,
                  std::vector<std::uint32_t>& made, std::vector<SequentialScratch::Mark>& marks,
                  const lexer::TokenEdit* edit = nullptr, TokenWindow window = {},
                  const std::vector<SequentialScratch::Mark>* previous = nullptr,
                  std::size_t cursor = 0, const SequentialScratch::Mark** met = nullptr) {
  SequentialState& state = run.state;
  for (std::size_t j = run.from; j < run.events.size(); ++j) {
    const Event& e = run.events[j];
    if (edit != nullptr && e.token >= window.end) {
      const SequentialScratch::Mark* old = previous_at(*previous, cursor, e.token, *edit);
      if (old != nullptr) {
        SequentialState moved = old->state;
        if (moved.map(*edit) && moved == state) {
          run.stop = j;
          *met = old;
          return;
        }
        if (marks.size() < marks.capacity()) marks.push_back({e.token, state});
      }
    } else if ((j - run.from) % spacing == 0 && marks.size() < marks.capacity()) {
      marks.push_back({e.token, state});
    }
    const std::size_t before = sink.items().size();
    verbatim_event(ctx, e, state.verbatim);
    float_event(ctx, e, state.floats);
    sectioning_event(ctx, e, state.sectioning);
    for (std::size_t k = before; k < sink.items().size() && made.size() < made.capacity(); ++k)
      made.push_back(e.token);
  }
  run.stop = run.events.size();
}

void remember(SequentialScratch& s, const Suppressions& suppressions) {
  s.suppressions = suppressions;
  s.overflowed = s.found.overflowed() || s.made.size() != s.found.items().size();
  s.valid = !s.overflowed;
}

}  // namespace

void SequentialScratch::reserve(std::size_t capacity) {
  found.reserve(capacity);
  fresh.reserve(capacity);
  made.reserve(capacity);
  fresh_made.reserve(capacity);
}

void SequentialScratch::prepare(std::size_t token_count) {
  const std::size_t want = 2 * (token_count / mark_spacing) + 16;
  if (marks.capacity() < want) marks.reserve(want + want / 8);
  if (fresh_marks.capacity() < want) fresh_marks.reserve(want + want / 8);
  if (made.capacity() < found.capacity()) made.reserve(found.capacity());
  if (fresh_made.capacity() < fresh.capacity()) fresh_made.reserve(fresh.capacity());
}

void check_sequential(const RuleContext& ctx, const ModeScratch& modes,
                      const Suppressions& suppressions, SequentialScratch& scratch) {
  scratch.found.clear();
  scratch.made.clear();
  scratch.marks.clear();
  Emitter out(ctx.out.config(), scratch.found);
  out.set_suppressions(&suppressions);
  Run run;
  run.events = modes.events;
  run_families({ctx.text, ctx.tokens, out}, run, scratch.mark_spacing, scratch.found, scratch.made,
               scratch.marks);
  remember(scratch, suppressions);
}

bool check_sequential(const RuleContext& ctx, const ModeScratch& modes,
                      const Suppressions& suppressions, SequentialScratch& scratch,
                      const lexer::TokenEdit& edit, TokenWindow window) {
  if (!scratch.valid ||
      !suppressions.same_as(scratch.suppressions, [&](std::uint32_t& p) { return edit.point(p); }))
    return false;
  // Start at the last mark before the window: the events before it, and the state there, are
  // the previous run's.
  std::vector<SequentialScratch::Mark>& marks = scratch.marks;
  const auto after =
      static_cast<std::size_t>(std::partition_point(marks.begin(), marks.end(),
                                                    [&](const SequentialScratch::Mark& m) {
                                                      return m.token < window.begin;
                                                    }) -
                               marks.begin());
  const std::size_t start = after > 0 ? after - 1 : 0;
  const std::uint32_t start_token = after > 0 ? marks[start].token : 0;
  // A finding made before the start is kept as it is: not one whose range reaches the edit (an
  // image path cut off at the end of its paragraph, say).
  const auto kept = static_cast<std::size_t>(
      std::lower_bound(scratch.made.begin(), scratch.made.end(), start_token) -
      scratch.made.begin());
  for (std::size_t k = 0; k < kept; ++k) {
    if (scratch.found.items()[k].range.end >= edit.bytes.begin) return false;
  }
  Run run;
  run.events = modes.events;
  run.from = static_cast<std::size_t>(
      std::partition_point(run.events.begin(), run.events.end(),
                           [&](const Event& e) { return e.token < start_token; }) -
      run.events.begin());
  if (after > 0) run.state = marks[start].state;

  scratch.fresh.clear();
  scratch.fresh_made.clear();
  scratch.fresh_marks.clear();
  Emitter out(ctx.out.config(), scratch.fresh);
  out.set_suppressions(&suppressions);
  const SequentialScratch::Mark* met = nullptr;
  run_families({ctx.text, ctx.tokens, out}, run, scratch.mark_spacing, scratch.fresh,
               scratch.fresh_made, scratch.fresh_marks, &edit, window, &marks, after, &met);

  // The previous findings made before start_token stay; those made from the mark met on move;
  // the run's take the place of those between. The same for the marks.
  std::vector<Diagnostic>& found = scratch.found.items();
  std::vector<std::uint32_t>& made = scratch.made;
  const auto first = static_cast<std::size_t>(
      std::lower_bound(made.begin(), made.end(), start_token) - made.begin());
  std::size_t last = found.size(), marks_last = marks.size();
  if (met != nullptr) {
    last = static_cast<std::size_t>(std::lower_bound(made.begin(), made.end(), met->token) -
                                    made.begin());
    marks_last = static_cast<std::size_t>(met - marks.data());
  }
  if (scratch.fresh.overflowed() || scratch.fresh_made.size() != scratch.fresh.items().size() ||
      first + scratch.fresh.items().size() + (found.size() - last) > found.capacity() ||
      start + scratch.fresh_marks.size() + (marks.size() - marks_last) > marks.capacity()) {
    scratch.valid = false;
    scratch.overflowed = true;
    return true;
  }
  place(found, scratch.fresh.items(), first, last);
  place(made, scratch.fresh_made, first, last);
  for (std::size_t k = first + scratch.fresh.items().size(); k < found.size(); ++k) {
    map_diagnostic(found[k], edit);
    edit.token(made[k]);
  }
  place(marks, scratch.fresh_marks, start, marks_last);
  for (std::size_t k = start + scratch.fresh_marks.size(); k < marks.size(); ++k) {
    edit.token(marks[k].token);
    marks[k].state.map(edit);
  }
  remember(scratch, suppressions);
  return true;
}

}  // namespace perfectex::validators
