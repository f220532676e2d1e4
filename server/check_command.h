// `perfectex check FILE...`: the same analysis as the server, for the command line (a .bib file
// gets the BibTeX checks, any other file the LaTeX rules: server/document_kind.h). Prints
// compiler-style lines (with the source line and a caret on a terminal) or JSON, and returns the
// exit code: 0 clean, 1 when an error-severity diagnostic was found, 2 when a file cannot be read.
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
};

int run_check(const CheckOptions& options);

}  // namespace perfectex::server
