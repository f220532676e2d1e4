#include "lexer/expand/prelude.h"

#include "lexer/lexer.h"

namespace perfectex::lexer::expand {

std::shared_ptr<const Prelude> make_prelude(std::string text) {
  auto prelude = std::make_shared<Prelude>();
  prelude->text = std::move(text);
  lex_document(prelude->text, prelude->tokens);
  while (prelude->table.build(prelude->text, prelude->tokens) == BuildStatus::CapacityExceeded) {
    prelude->table.reserve(prelude->table.capacity() * 2);
  }
  return prelude;
}

}  // namespace perfectex::lexer::expand
