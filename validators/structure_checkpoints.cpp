#include "validators/structure_checkpoints.h"

#include "validators/checkpoints.h"

namespace perfectex::validators {
namespace {

using Checkpoint = StructureScratch::Checkpoint;

bool same_frame(Frame old, const Frame& f, const lexer::TokenEdit& edit) {
  return edit.span(old.open) && (old.name_in_prelude || edit.span(old.name)) &&
         old.kind == f.kind && old.opener == f.opener && old.math_env == f.math_env &&
         old.open == f.open && old.name == f.name && old.name_in_prelude == f.name_in_prelude &&
         old.inner_reported == f.inner_reported && old.macro == f.macro;
}

}  // namespace

bool same_state(const Checkpoint& old, const Checkpoint& now, const lexer::TokenEdit& edit) {
  Span documentclass = old.documentclass, first_begin_document = old.first_begin_document;
  if (old.has_documentclass != now.has_documentclass ||
      old.begin_document_seen != now.begin_document_seen || !edit.span(documentclass) ||
      !edit.span(first_begin_document) || documentclass != now.documentclass ||
      first_begin_document != now.first_begin_document || old.frame_count != now.frame_count)
    return false;
  for (std::size_t k = 0; k < old.frame_count; ++k) {
    if (!same_frame(old.frames[k], now.frames[k], edit)) return false;
  }
  return true;
}

void adopt_rest(StructureScratch& scratch, lexer::expand::ExpansionView& view,
                const Checkpoint& from, const Checkpoint& c, std::size_t next,
                const lexer::TokenEdit& edit) {
  const StructureScratch::Saved& saved = scratch.saved;
  const auto d_found = static_cast<std::uint32_t>(scratch.found.items().size() - c.diagnostics);
  const auto d_events = static_cast<std::uint32_t>(view.scratch_events().size() - c.events);
  const std::uint64_t steps = view.steps();
  for (std::size_t k = c.diagnostics - from.diagnostics; k < saved.diagnostics.size(); ++k) {
    Diagnostic d = saved.diagnostics[k];
    map_diagnostic(d, edit);
    scratch.found.add(d);
  }
  for (std::size_t k = c.events; k < saved.events.size(); ++k) {
    lexer::expand::Event e = saved.events[k];
    edit.span(e.site);
    edit.span(e.at);
    view.adopt(e);
  }
  for (std::size_t k = next; k < saved.checkpoints.size(); ++k) {
    if (scratch.checkpoints.size() == scratch.checkpoints.capacity()) break;
    Checkpoint cp = saved.checkpoints[k];
    edit.token(cp.token);
    cp.diagnostics += d_found;
    cp.events += d_events;
    cp.steps = cp.steps - c.steps + steps;
    edit.span(cp.documentclass);
    edit.span(cp.first_begin_document);
    for (std::size_t f = 0; f < cp.frame_count; ++f) {
      edit.span(cp.frames[f].open);
      if (!cp.frames[f].name_in_prelude) edit.span(cp.frames[f].name);
    }
    scratch.checkpoints.push_back(cp);
  }
}

}  // namespace perfectex::validators
