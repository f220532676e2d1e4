// The recorder: a transparent proxy between an editor and a language server on stdio. Bytes are
// forwarded unchanged in both directions as soon as they are read; each complete message is also
// written to the session file with its sender and a steady-clock timestamp. The editor side may
// instead be one TCP connection accepted on a local port (--listen), for clients that connect.
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
  std::string listen;                ///< "[host:]port": accept one TCP client instead (port 0: any)
  std::string port_file;             ///< with listen: write the bound port here once listening
};

/// Runs the proxy until the server's stdout closes and it exits; returns its exit status.
/// Throws SessionError or std::system_error when the file or the server cannot be opened.
int run_record_proxy(const RecordOptions& options);

}  // namespace perfectex::replay
