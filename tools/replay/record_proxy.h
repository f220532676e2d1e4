// The recorder: a transparent stdio proxy between an editor and a language server. Bytes are
// forwarded unchanged in both directions as soon as they are read; each complete message is also
// written to the session file with its sender and a steady-clock timestamp.
// Threading: run_record_proxy blocks; inside, one thread per direction plus one forwarding SIGINT,
// SIGTERM and SIGHUP to the server. It ignores SIGPIPE for the process (a vanished peer is an EOF).
#pragma once

#include <string>
#include <vector>

namespace perfectex::replay {

struct RecordOptions {
  std::vector<std::string> command;  ///< the server to start, e.g. {"perfectex", "serve"}
  std::string out_path;              ///< the session file to write
  int client_in = 0;                 ///< bytes from the editor (our stdin)
  int client_out = 1;                ///< bytes to the editor (our stdout)
};

/// Runs the proxy until the server's stdout closes and it exits; returns its exit status.
/// Throws SessionError or std::system_error when the file or the server cannot be opened.
int run_record_proxy(const RecordOptions& options);

}  // namespace perfectex::replay
