// The L0 lexer's entry points: lex a whole document into a TokenBuffer, with the capacity sentinel
// (a lex that runs out of room says so; the driver grows the buffer and lexes again, counting
// growths). The state that crosses lines (verbatim bodies, '@' as a letter) is explicit in
// LexState. Threading: pure functions of their inputs; the TokenBuffer passed in must not be
// shared.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "lexer/token.h"

namespace perfectex::lexer {

/// Environments whose body is not TeX: the lexer emits it as one Verbatim token.
struct VerbatimEnvironment {
  std::string_view name;
  bool body_starts_next_line;  ///< lstlisting, minted, ...: the rest of the \begin line holds
                               ///< options
};
inline constexpr VerbatimEnvironment kVerbatimEnvironments[] = {
    {"verbatim", false}, {"verbatim*", false},   {"comment", false},      {"lstlisting", true},
    {"minted", true},    {"Verbatim", true},     {"Verbatim*", true},     {"BVerbatim", true},
    {"LVerbatim", true}, {"filecontents", true}, {"filecontents*", true}, {"asy", true},
    {"asydef", true},
};

struct LexState {
  bool at_letter = false;  ///< between \makeatletter and \makeatother
  /// 1 + index into kVerbatimEnvironments of the environment whose body starts at verbatim_from.
  std::uint8_t verbatim_env = 0;
  std::uint32_t verbatim_from = 0;
  friend bool operator==(const LexState&, const LexState&) = default;
};

enum class LexStatus { Ok, CapacityExceeded };

struct LexResult {
  LexStatus status = LexStatus::Ok;
  std::size_t token_count = 0;
  LexState end_state;
  std::size_t end = 0;  ///< byte where lexing stopped (the text's size unless stopped early)
};

/// The scalar reference lexer: clears out and fills it; stops with CapacityExceeded when full.
LexResult lex_scalar(std::string_view text, TokenBuffer& out);

/// Asked after every step of a resumed lex whether it may stop (the incremental relex stops
/// where the new tokens meet the old ones again).
class StopCondition {
 public:
  virtual bool stop(std::size_t at, const LexState& state) = 0;

 protected:
  ~StopCondition() = default;
};

/// The scalar lexer resumed at byte from, a token boundary where the lexer was in state: clears
/// out and fills it with the tokens from there until stop says so or the text ends.
LexResult lex_scalar_from(std::string_view text, std::size_t from, LexState state, TokenBuffer& out,
                          StopCondition& stop);

struct LexStats {
  std::size_t token_count = 0;
  unsigned growths = 0;  ///< how often the buffer had to grow and the lex run again
  /// Allocations inside the lex runs (QuietAllocationGuard): 0 on a correct hot path.
  std::uint64_t hot_allocations = 0;
};

using LexFunction = LexResult (*)(std::string_view text, TokenBuffer& out);

/// Lexes text into buffer with the active kernel (lexer/kernel.h), growing it until every token
/// fits. Never drops a token.
LexStats lex_document(std::string_view text, TokenBuffer& buffer);
/// The same with a given kernel's lex function.
LexStats lex_document(std::string_view text, TokenBuffer& buffer, LexFunction lex);

/// Largest document the 32-bit token offsets can address.
inline constexpr std::size_t kMaxDocumentBytes = 0xFFFFFFF0u;

}  // namespace perfectex::lexer
