// F7 checks of one .bib file: its syntax diagnostics (bib_parser.h), duplicate keys, duplicate
// fields and references to @strings not defined before them, filtered and given severities by the
// rule configuration. A BibWorkspace keeps one worker's parse and scratch space between runs.
// Threading: a BibWorkspace belongs to one thread; run_bib is otherwise pure.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "validators/bib_parser.h"
#include "validators/diagnostic.h"
#include "validators/rule_config.h"
#include "validators/rule_context.h"
#include "validators/runner.h"

namespace perfectex::validators {

/// Scratch space reused across runs.
struct BibScratch {
  std::vector<std::uint32_t> order;  ///< entries with keys, sorted by key
  struct Name {
    std::string_view name;
    std::uint32_t defined_at;  ///< end of the @string, 0 for names defined elsewhere
  };
  std::vector<Name> strings;  ///< @string names, sorted
};

struct BibWorkspace {
  BibFile file;
  DiagnosticSink sink;
  BibScratch scratch;
};

/// The checks over a parsed file. external_strings are the @string names that .bib files read
/// before this one define (BibTeX and biber share them across a bibliography's files): a
/// reference to one of them is not undefined.
void check_bib(std::string_view text, const BibFile& file, Emitter& out, BibScratch& scratch,
               std::span<const std::string_view> external_strings = {});

/// Parses text into ws.file and runs check_bib; results are in ws.sink.items(), sorted by position.
RunStats run_bib(std::string_view text, const RuleConfig& config, BibWorkspace& ws,
                 std::span<const std::string_view> external_strings = {});

}  // namespace perfectex::validators
