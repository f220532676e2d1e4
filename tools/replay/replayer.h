// Replays a session against any language server and measures it from the outside: a request from
// the first byte written to its reply read, an edit (didOpen/didChange) from its first byte written
// to the publishDiagnostics of its version read (see matcher.h). Threading: replay_session blocks;
// a writer, a reader and the calling (pacing) thread share one lock inside. It ignores SIGPIPE for
// the process (a vanished server is an end of stream).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>

#include "tools/replay/run_result.h"
#include "tools/replay/server_connection.h"
#include "tools/replay/session.h"

namespace perfectex::replay {

enum class Pace {
  Recorded,  ///< keep the recorded gaps between client messages (divided by speed)
  Fast,      ///< closed loop: send the next message as soon as nothing is left unanswered
};

struct ReplayOptions {
  Pace pace = Pace::Recorded;
  double speed = 1.0;                ///< recorded gaps are divided by this
  std::int64_t max_gap_ms = 0;       ///< cap on a recorded gap; 0: no cap
  std::uint32_t iterations = 1;      ///< measured passes over the session body
  std::uint32_t warmup = 0;          ///< passes run first and not measured
  double duration_s = 0;             ///< > 0: measured passes repeat until this long (soak)
  std::int64_t timeout_ms = 10'000;  ///< an event unanswered this long is lost
  bool skip_unsupported = true;      ///< skip requests whose capability the server lacks
  bool query_stats = true;           ///< ask perfectex/stats at the end
  bool progress = false;             ///< draw a progress bar on stderr
  std::optional<pid_t> server_pid;   ///< for memory of a server reached with --connect
};

/// Runs the session; fills the measured parts of a RunResult (series, counters, memory, server
/// counters and info). The caller sets time, commit, session and corpus names.
RunResult replay_session(const Session& session, const ServerEndpoint& endpoint,
                         const ReplayOptions& options);

}  // namespace perfectex::replay
