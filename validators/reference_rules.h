// F6, references and labels in one document: a plain space before \ref or \cite, references to
// labels the document does not define (only in a self-contained document), duplicate and
// unused labels, label keys that break packages, and a space before \label or \index. After an
// edit of words that leaves every such command, its key and the two tokens before it as they
// were, the previous findings are kept, moved.
// Threading: the scratch belongs to one worker; check_references runs on that worker.
#pragma once

#include <optional>
#include <vector>

#include "lexer/incremental_lexer.h"
#include "validators/mode_tracker.h"
#include "validators/suppression.h"

namespace perfectex::validators {

struct ReferenceScratch {
  struct Key {
    Span key;
    Span command;
  };
  /// What decided whether undefined references and unused labels were reported.
  struct Scope {
    bool self_contained = false, has_documentclass = false, has_begin_document = false;
    bool label_macros_overflowed = false;
    bool asked_options = false;  ///< whether labels given as options were looked for
    bool options = false;        ///< and found
    friend bool operator==(const Scope&, const Scope&) = default;
  };
  ReferenceScratch() { reserve(4096); }
  void reserve(std::size_t n) {
    labels.reserve(n);
    refs.reserve(n);
    anchors.reserve(n);
    found.reserve(n);
  }
  std::vector<Key> labels;  ///< sorted by key after a run
  std::vector<Key> refs;
  /// A \ref, \label or \index event, which the findings and keys come from.
  struct Anchor {
    std::uint32_t token = 0;
    std::uint32_t reach = 0;  ///< the last token its findings read (the end of its key)
    Cmd cmd = Cmd::None;
    bool prose = false;
  };
  std::vector<Anchor> anchors;  ///< in order of tokens
  DiagnosticSink found;         ///< the findings, after the suppressions
  Suppressions suppressions;    ///< they were filtered with
  Scope scope;
  /// When scope.options: a `label=` in options, and its value, that made it so.
  std::optional<Span> options;
  bool valid = false;       ///< found is a whole run's, or one kept from it
  bool overflowed = false;  ///< more keys than reserved: the runner grows the scratch and reruns
};

/// Runs the family over the whole document into scratch.found.
void check_references(const RuleContext& ctx, const ModeScratch& modes,
                      const Suppressions& suppressions, ReferenceScratch& scratch);
/// After edit, when the mode tracker resumed over window: keeps the previous findings, moved, when
/// the edit changed only words (TokenEdit::plain), the window has the same \ref, \label and
/// \index events as before (in the same modes), none of them has a changed token among the two
/// before it nor between it and the end of its key, and the suppressions and what decides the
/// scope of the global checks are the same. Returns false, having done nothing, otherwise.
bool check_references(const RuleContext& ctx, const ModeScratch& modes,
                      const Suppressions& suppressions, ReferenceScratch& scratch,
                      const lexer::TokenEdit& edit, TokenWindow window);

}  // namespace perfectex::validators
