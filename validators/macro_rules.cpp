#include "validators/macro_rules.h"

namespace perfectex::validators {
namespace {

using lexer::expand::Definition;
using lexer::expand::EventKind;
using lexer::expand::kNone;
using lexer::expand::MacroTable;
using lexer::expand::Namespace;

// The name as the definition spells it: `\name` for a command, `name` for an environment (in the
// prelude's text for a definition of the table's base).
Span definition_name(const Definition& def) {
  std::uint32_t backslash = def.space == Namespace::Command ? 1 : 0;
  return {def.name.begin - backslash, def.name.end};
}

// The name of macro for args[0] of d: as its definition spells it, or, for a command of the
// prelude used at the start of d.range (at_use), as the use spells it in the document.
void quote_name(Diagnostic& d, const MacroTable& table, std::uint32_t macro, bool at_use) {
  const Definition& def = table[macro];
  if (!MacroTable::from_base(macro)) {
    d.args[0] = definition_name(def);
  } else if (def.space == Namespace::Command && at_use) {
    d.args[0] = {d.range.begin,
                 d.range.begin + static_cast<std::uint32_t>(table.name(macro).size()) + 1};
  } else {
    d.args[0] = definition_name(def);
    d.in_prelude |= kArg0InPrelude;
  }
}

}  // namespace

void set_expansion(Diagnostic& d, const MacroTable& table, std::uint32_t macro) {
  if (macro == kNone) return;
  const Definition& def = table[macro];
  if (def.space == Namespace::Environment) {
    d.expansion = {def.name.begin, def.name.end};
    d.expansion_environment = true;
    if (MacroTable::from_base(macro)) d.in_prelude |= kExpansionInPrelude;
    return;
  }
  auto length = static_cast<std::uint32_t>(table.name(macro).size()) + 1;
  d.expansion = {d.range.begin, d.range.begin + length};
}

void check_macros(const RuleContext& ctx, const MacroTable& table,
                  std::span<const lexer::expand::Event> events) {
  for (const lexer::expand::Event& e : events) {
    Diagnostic d;
    d.range = {e.site.begin, e.site.end};
    const Definition& def = table[e.macro];
    switch (e.kind) {
      case EventKind::MissingArgument:
        d.rule = RuleId::MacroMissingArgument;
        if (e.at.end > e.at.begin) {
          d.related = {e.at.begin, e.at.end};
          d.has_related = true;
        }
        break;
      case EventKind::UsedBeforeDefinition:
        d.rule = RuleId::MacroUsedBeforeDefinition;
        d.range = {e.at.begin, e.at.end};
        if (e.outer != kNone) d.range = {e.site.begin, e.site.end};
        d.related = definition_name(def);
        d.has_related = true;
        break;
      case EventKind::TooDeep:
        d.rule = RuleId::MacroRecursion;
        break;
      case EventKind::TooLong:
      case EventKind::BudgetExhausted:
        d.rule = RuleId::MacroExpansionTooLong;
        break;
    }
    // Without an outer macro, the range starts with the use of e.macro.
    quote_name(d, table, e.macro, e.outer == kNone || e.outer == e.macro);
    if (e.outer != kNone && e.outer != e.macro) set_expansion(d, table, e.outer);
    ctx.out.emit(d);
  }
  // \newcommand (and kin) of a name the document (or its prelude) already defined: LaTeX stops.
  // Only definitions outside groups and conditionals count, where both certainly run.
  for (std::uint32_t i = table.first_user(); i < table.size(); ++i) {
    const Definition& def = table[i];
    if (def.novelty != lexer::expand::Novelty::New || !def.top_level) continue;
    std::uint32_t p = def.previous;
    if (p == kNone || p < table.first_user() || !table[p].top_level) continue;
    // \let\x\relax (or another primitive) leaves the name definable for LaTeX.
    if (table[p].form == lexer::expand::DefinerForm::Let && !table[p].expandable) continue;
    Diagnostic d;
    d.rule = RuleId::MacroAlreadyDefined;
    d.range = definition_name(def);
    d.args[0] = d.range;
    // The prelude's definition is in another file: the message says where instead.
    if (MacroTable::from_base(p)) {
      d.variant = 1;
    } else {
      d.related = definition_name(table[p]);
      d.has_related = true;
    }
    ctx.out.emit(d);
  }
}

}  // namespace perfectex::validators
