// `perfectex check FILE...`: the same analysis as the server, for the command line (a .bib file
// gets the BibTeX checks, any other file the LaTeX rules: server/document_kind.h), configured by
// the nearest `.perfectex.json`. A LaTeX file is checked as part of its document, as in the
// editor: its root is found, the files it reads are checked too, and the cross-document checks
// run over the whole project. Prints compiler-style lines (with the source line and a caret on
// a terminal) or JSON, and returns the exit code: 0 clean, 1 when an error-severity diagnostic was
// found, 2 when a file cannot be read (or written with --fix). With --fix the safe fixes are
// applied to the file first, round after round until none is left (so a second run changes
// nothing), and the remaining diagnostics are printed.
// Threading: runs on the calling thread.
#pragma once

#include <string>
#include <vector>

namespace perfectex::server {

struct CheckOptions {
  std::vector<std::string> files;
  bool json = false;
  bool caret = false;  ///< show the source line and a caret under the column
  bool stats = false;  ///< print size, token count and timings per file
  bool fix = false;    ///< apply the safe fixes to the files
  /// The folder whose files make the projects (the editor's workspace folder); by default the
  /// current directory, for files inside it.
  std::string workspace;
};

int run_check(const CheckOptions& options);

}  // namespace perfectex::server
