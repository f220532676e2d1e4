// The cross-document rules (F6 references and labels, F7 citations, F11 preamble, F12 files)
// over the facts of a project's files in reading order: labels against every reference in any
// file of a multi-file document (within one file, reference_rules.h decides), labels defined in
// two files, citation keys against the bibliography when one is known (and entries cited
// nowhere), includes that name
// nothing or close a cycle, packages loaded twice or after \begin{document}.
// Threading: pure function of its input.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "validators/bib_summary.h"
#include "validators/diagnostic.h"
#include "validators/project_facts.h"
#include "validators/rule_config.h"

namespace perfectex::validators {

enum class IncludeStatus : std::uint8_t { Found, Missing, Cycle, Excluded, Generated };

inline constexpr std::size_t kNotRead = static_cast<std::size_t>(-1);

struct ProjectInput {
  struct File {
    const FileFacts* facts = nullptr;
    bool in_body = false;                 ///< included after \begin{document}
    std::vector<IncludeStatus> includes;  ///< one per facts->includes entry
    /// One per facts->includes entry: the index of the file it reads here, or kNotRead (not
    /// found, not TeX, or a file already read).
    std::vector<std::size_t> reads;
  };
  std::vector<File> files;  ///< in reading order, the root first
  /// Every entry key of the project's bibliographies, sorted; null when none is known.
  const std::vector<std::string>* bib_keys = nullptr;
  /// The bibliography files, in order; a null entry could not be read. Diagnostics in the b-th
  /// have file index files.size() + b.
  std::vector<const BibSummary*> bibliographies;
  /// Labels other documents define for this one (\externaldocument, with their prefixes),
  /// sorted; null when there are none.
  const std::vector<std::string>* external_labels = nullptr;
};

struct ProjectDiagnostic {
  /// Index into ProjectInput::files, then bibliographies; the spans are in its text.
  std::size_t file = 0;
  Diagnostic diagnostic;
  std::size_t related_file = 0;  ///< whose text diagnostic.related is in
};

/// Calls stretch(f, from, until) for the stretches of bytes [from, until) of the files of input
/// as LaTeX reads them: the root up to its first include that reads a file, that file, the root
/// again up to its next one, and so on; a file no include reads comes after, whole.
void read_in_order(const ProjectInput& input,
                   const std::function<void(std::size_t, std::uint32_t, std::uint32_t)>& stretch);

/// Appends the project's diagnostics, configured by config, sorted by file and position.
void check_project(const ProjectInput& input, const RuleConfig& config,
                   std::vector<ProjectDiagnostic>& out);

}  // namespace perfectex::validators
