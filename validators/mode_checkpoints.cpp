#include "validators/mode_checkpoints.h"

#include <array>

#include "validators/checkpoints.h"

namespace perfectex::validators {
namespace {

using Checkpoint = ModeScratch::Checkpoint;
using Frame = ModeScratch::Frame;
using Names = std::array<Span, Declarations::kMaxNames>;

bool same_frame(Frame old, const Frame& f, const lexer::TokenEdit& edit) {
  return edit.token(old.token) && edit.span(old.name) && old.kind == f.kind &&
         old.saved_mode == f.saved_mode && old.saved_env == f.saved_env && old.token == f.token &&
         old.name == f.name && old.opener == f.opener && old.italic_switched == f.italic_switched &&
         old.args == f.args && old.short_arg == f.short_arg;
}

// The names declared between two checkpoints (indices [from, to)) are the same, moved.
bool same_names(const Names& now, const Names& old, std::size_t from, std::size_t to,
                const lexer::TokenEdit& edit) {
  for (std::size_t k = from; k < to; ++k) {
    Span o = old[k];
    if (!edit.span(o) || !(o == now[k])) return false;
  }
  return true;
}

}  // namespace

bool same_state(const ModeScratch& s, const Checkpoint& old, const Checkpoint& now,
                const Checkpoint& from, const lexer::TokenEdit& edit) {
  if (old.mode != now.mode || old.env != now.env || old.pending != now.pending ||
      old.pending_short != now.pending_short || old.brackets != now.brackets ||
      old.italic_command != now.italic_command || old.frame_count != now.frame_count ||
      !(old.declared == now.declared))
    return false;
  for (std::size_t k = 0; k < old.frame_count; ++k) {
    if (!same_frame(old.frames[k], now.frames[k], edit)) return false;
  }
  const Declarations& before = s.saved.declared;
  return same_names(s.verbatim_envs, before.verbatim_envs, from.declared.verbatim_env_count,
                    old.declared.verbatim_env_count, edit) &&
         same_names(s.prose_envs, before.prose_envs, from.declared.prose_env_count,
                    old.declared.prose_env_count, edit) &&
         same_names(s.label_macros, before.label_macros, from.declared.label_macro_count,
                    old.declared.label_macro_count, edit);
}

// Token indices change only when the edit changed the number of tokens, and math spans (which
// hold bytes too) when it changed the size.
void adopt_rest(ModeScratch& s, const Checkpoint& from, const Checkpoint& c, std::size_t next,
                const lexer::TokenEdit& edit) {
  auto token = [&](std::uint32_t& t) { edit.token(t); };
  auto span = [&](Span& sp) { edit.span(sp); };
  const bool retokened = edit.new_end != edit.old_end;
  const bool resized = retokened || edit.bytes.new_end != edit.bytes.old_end;
  // Puts the window in place and moves what follows; returns how much the count at c grew.
  auto rest = [&](auto& all, const auto& window, std::uint32_t begin, std::uint32_t old_at_c,
                  bool moved, auto map) {
    place(all, window, begin, old_at_c);
    if (moved) {
      for (std::size_t k = begin + window.size(); k < all.size(); ++k) map(all[k]);
    }
    return static_cast<std::uint32_t>(window.size()) + begin - old_at_c;
  };
  const TrackerOutputs& w = s.window;
  const std::uint32_t d_regions = rest(s.regions, w.regions, from.regions, c.regions, retokened,
                                       [&](ModeScratch::Region& r) {
                                         token(r.first);
                                         token(r.last);
                                       });
  auto event = [&](Event& ev) {
    token(ev.token);
    if (ev.group != 0) token(ev.group);
  };
  const std::uint32_t d_events = rest(s.events, w.events, from.events, c.events, retokened, event);
  const std::uint32_t d_texts = rest(s.texts, w.texts, from.texts, c.texts, retokened, event);
  const std::uint32_t d_math = rest(s.math, w.math, from.math, c.math, resized, [&](MathSpan& m) {
    token(m.open_token);
    if (m.close_token != MathSpan::kNoToken) token(m.close_token);
    span(m.open);
    span(m.close);
  });
  const std::uint32_t d_comments =
      rest(s.comments, w.comments, from.comments, c.comments, retokened, token);
  const std::uint32_t d_cuts =
      rest(s.cuts, w.cuts, from.cuts, c.cuts, retokened, [&](TrackerOutputs::Cut& cut) {
        token(cut.paragraph);
        token(cut.opener);
      });
  const std::vector<Checkpoint>& previous = s.saved.checkpoints;
  for (std::size_t k = next; k < previous.size(); ++k) {
    if (s.checkpoints.size() == s.checkpoints.capacity()) break;
    Checkpoint cp = previous[k];
    token(cp.token);
    cp.regions += d_regions;
    cp.events += d_events;
    cp.texts += d_texts;
    cp.math += d_math;
    cp.comments += d_comments;
    cp.cuts += d_cuts;
    for (std::size_t f = 0; f < cp.frame_count; ++f) {
      token(cp.frames[f].token);
      span(cp.frames[f].name);
    }
    s.checkpoints.push_back(cp);
  }
  // What the document declares after c, as the previous pass found it.
  Declarations declared = s.saved.declared;
  auto names = [&](const Names& now, Names& found, std::size_t count_at_c) {
    for (std::size_t k = 0; k < count_at_c; ++k) found[k] = now[k];
    for (std::size_t k = count_at_c; k < found.size(); ++k) span(found[k]);
  };
  names(s.verbatim_envs, declared.verbatim_envs, c.declared.verbatim_env_count);
  names(s.prose_envs, declared.prose_envs, c.declared.prose_env_count);
  names(s.label_macros, declared.label_macros, c.declared.label_macro_count);
  static_cast<Declarations&>(s) = declared;
}

}  // namespace perfectex::validators
