// The recorder: a transparent proxy between an editor (stdio, or one TCP client with --listen) and
// a language server. Bytes are forwarded unchanged both ways as soon as read; each complete message
// is also logged to the session file with its sender and a steady-clock timestamp.
// Threading: blocks; one thread per direction and one forwarding SIGINT/SIGTERM/SIGHUP to the
// server inside. It ignores SIGPIPE for the process (a vanished peer is an end of stream).
#pragma once

#include <string>
#include <vector>

namespace perfectex::replay {

struct RecordOptions {
  std::vector<std::string> command;  ///< the server to start, e.g. {"perfectex", "serve"}
  std::string out_path;              ///< the session file to write
  int client_in = 0;                 ///< bytes from the editor (our stdin)
  int client_out = 1;                ///< bytes to the editor (our stdout)
  std::string listen;                ///< "[host:]port": accept one TCP client instead (port 0: any)
  std::string port_file;             ///< with listen: write the bound port here once listening
};

/// Runs the proxy until the server's stdout closes and it exits; returns its exit status.
/// Throws SessionError or std::system_error when the file or the server cannot be opened.
int run_record_proxy(const RecordOptions& options);

}  // namespace perfectex::replay
