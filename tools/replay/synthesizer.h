// Makes a realistic editing session from a document, reproducibly from a seed: initialize, open,
// then type it as a person would (characters, words, newlines, typos and backspaces with human
// gaps), paste a paragraph, delete a line, break and repair a brace, jump elsewhere, and send
// requests at the cursor (code actions, hover, completion, document symbols), optionally as an
// editor that closes braces. Every edit is an incremental didChange with UTF-16 positions.
// Threading: pure functions of their inputs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "tools/replay/session.h"

namespace perfectex::replay {

struct SynthesisOptions {
  std::string path;         ///< the document's file name, recorded in the header and the uri
  std::string uri;          ///< defaults to the file:// URI of the absolute path
  std::string language_id;  ///< defaults from the extension (latex, bibtex, c, cpp, plaintext)
  std::uint64_t seed = 1;
  std::size_t keystrokes = 1000;  ///< didChange notifications to produce
  double typing_median_ms = 120;  ///< median gap between two keys inside a word
  /// Type as an editor that closes braces does (VS Code's default): a `{` puts in `{}`, and a
  /// `}` typed before the one it put in only steps over it.
  bool close_braces = false;
  /// Requests to send at the cursor; the replayer skips those the server does not advertise.
  std::vector<std::string> requests{"textDocument/codeAction", "textDocument/hover",
                                    "textDocument/completion", "textDocument/documentSymbol"};
};

/// What the session contains, by kind of action.
struct SynthesisStats {
  std::size_t characters = 0;  ///< single code points typed (newlines included)
  std::size_t newlines = 0;
  std::size_t backspaces = 0;  ///< single-character deletions (typo repairs)
  std::size_t word_deletions = 0;
  std::size_t pastes = 0;
  std::size_t line_deletions = 0;
  std::size_t brace_breaks = 0;  ///< each is followed by its repair (two edits)
  std::size_t braces_stepped_over = 0;  ///< with close_braces: `}` keys that made no edit
  std::size_t jumps = 0;
  std::size_t edits = 0;  ///< didChange notifications in total
  std::map<std::string, std::size_t> requests;
};

struct SynthesisResult {
  Session session;
  std::string final_text;  ///< the document after every edit, for checking the edits
  SynthesisStats stats;
};

/// Builds a session editing text (the contents of options.path).
SynthesisResult synthesize(const SynthesisOptions& options, std::string text);

/// Reads options.path and builds its session; throws std::runtime_error when it cannot read it.
SynthesisResult synthesize_file(const SynthesisOptions& options);

/// The file:// URI of a path (made absolute), percent-encoding bytes outside [A-Za-z0-9-._~/].
std::string file_uri(const std::string& path);

/// The LSP language id for a file name by its extension.
std::string language_id_for(const std::string& path);

}  // namespace perfectex::replay
