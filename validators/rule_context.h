// What a rule family sees: the text, its tokens, and an emitter that applies the configuration
// (disabled rules are dropped, severities resolved) and the document's suppression comments
// before a diagnostic reaches the sink.
// Threading: one per analysis, on the worker thread running it.
#pragma once

#include <string_view>

#include "lexer/token.h"
#include "validators/diagnostic.h"
#include "validators/rule_config.h"
#include "validators/suppression.h"

namespace perfectex::validators {

class Emitter {
 public:
  Emitter(const RuleConfig& config, DiagnosticSink& sink) : config_(config), sink_(sink) {}
  bool wants(RuleId id) const { return config_.enabled(id); }
  const RuleConfig& config() const { return config_; }
  /// From now on, diagnostics the document's comments suppress are dropped.
  void set_suppressions(const Suppressions* s) { suppressions_ = s; }
  void emit(Diagnostic d) {
    if (!config_.enabled(d.rule)) return;
    if (suppressions_ != nullptr && suppressions_->suppressed(d.rule, d.range.begin)) return;
    d.severity = config_.severity(d.rule);
    sink_.add(d);
  }

 private:
  const RuleConfig& config_;
  DiagnosticSink& sink_;
  const Suppressions* suppressions_ = nullptr;
};

struct RuleContext {
  std::string_view text;
  const lexer::TokenBuffer& tokens;
  Emitter& out;

  std::string_view token_text(std::size_t i) const {
    return text.substr(tokens.begin(i), tokens.length(i));
  }
  /// The name of a control word without its backslash.
  std::string_view control_name(std::size_t i) const {
    return text.substr(tokens.begin(i) + 1, tokens.length(i) - 1);
  }
};

}  // namespace perfectex::validators
