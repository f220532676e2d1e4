// Pairs what the client sent with what the server answered, and turns the pairs into latencies.
// A request is answered by the reply with its id; an edit of version V by the first publish for its
// uri with version >= V: a sample if that version is V, else superseded (the server coalesced),
// neither a sample nor lost. README.md "Timing and matching" has every other case.
// Threading: not synchronised; the replayer calls it under its own lock. Times are ns since start.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace perfectex::replay {

/// Series names for the two kinds of edit; requests use their method name.
inline constexpr const char* kEditSeries = "edit";
inline constexpr const char* kOpenSeries = "open";

enum class EditKind { Open, Change };

/// One answered event.
struct Sample {
  std::int64_t latency_ns = 0;
  std::int64_t start_ns = 0;  ///< when the first byte of the event was written
  std::int64_t ref = 0;       ///< the request id, or the document version
  std::uint32_t pass = 0;     ///< which pass of the session
};

/// Everything counted for one series (an edit kind or a request method).
struct SeriesTally {
  std::uint64_t sent = 0;
  std::uint64_t errors = 0;      ///< error replies other than those counted as cancelled
  std::uint64_t lost = 0;        ///< no reply / no publish before the timeout or the end
  std::uint64_t superseded = 0;  ///< edits answered by a publish of a newer version
  std::uint64_t abandoned = 0;   ///< edits whose document was closed before its publish
  /// RequestCancelled after our $/cancelRequest, ContentModified and ServerCancelled: answers the
  /// protocol allows when the document changed or the request was given up; not samples, not errors
  std::uint64_t cancelled = 0;
  std::uint64_t late = 0;  ///< answers that came after the event was declared lost
  std::map<int, std::uint64_t> error_codes;
  std::vector<std::string> error_messages;  ///< the first few distinct ones
  std::vector<Sample> samples;
};

/// Counts that belong to no single series.
struct StreamTally {
  std::uint64_t publishes = 0;
  std::uint64_t future_publishes = 0;     ///< for a version not sent yet: counted as lost
  std::uint64_t unmatched_replies = 0;    ///< replies to ids never sent: counted as lost
  std::uint64_t republishes = 0;          ///< for a version already answered or superseded
  std::uint64_t unversioned_matched = 0;  ///< no version, server never sends one: taken as latest
  std::uint64_t unversioned_ignored = 0;  ///< no version from a server that sends versions
  std::uint64_t unknown_documents = 0;    ///< for a uri the client never opened
};

struct Tally {
  std::map<std::string, SeriesTally> series;
  StreamTally stream;

  /// Lost events of every kind: unanswered requests and edits, publishes of unsent versions,
  /// replies to ids never sent.
  std::uint64_t total_lost() const;
  std::uint64_t total_errors() const;
};

class Matcher {
 public:
  void on_request_sent(std::int64_t id, const std::string& method, std::int64_t t_ns,
                       std::uint32_t pass);
  void on_cancel_sent(std::int64_t id);
  void on_edit_sent(const std::string& uri, std::int64_t version, EditKind kind, std::int64_t t_ns,
                    std::uint32_t pass);
  void on_close_sent(const std::string& uri);

  /// A reply; error_code is set for an error reply. A string or missing id is passed as nullopt.
  void on_reply(std::optional<std::int64_t> id, std::optional<int> error_code,
                const std::string& error_message, std::int64_t t_ns);
  void on_publish(const std::string& uri, std::optional<std::int64_t> version, std::int64_t t_ns);

  /// Declares lost every event still unanswered timeout_ns after it was sent.
  void expire(std::int64_t now_ns, std::int64_t timeout_ns);
  /// Declares lost every event still unanswered.
  void finish();

  std::size_t pending() const;
  /// The oldest unanswered event's send time, if any.
  std::optional<std::int64_t> oldest_pending() const;

  const Tally& tally() const { return tally_; }
  /// Moves the tally out and starts a new one; what is pending stays pending.
  Tally take_tally();

 private:
  struct PendingRequest {
    std::string method;
    std::int64_t start_ns;
    std::uint32_t pass;
    bool cancelled = false;
  };
  struct PendingEdit {
    EditKind kind;
    std::int64_t start_ns;
    std::uint32_t pass;
  };
  struct Document {
    std::int64_t max_sent = 0;
    std::map<std::int64_t, PendingEdit> pending;  ///< by version
    std::map<std::int64_t, EditKind> lost;        ///< versions declared lost, for late publishes
  };

  static const char* series_of(EditKind kind) {
    return kind == EditKind::Open ? kOpenSeries : kEditSeries;
  }

  std::map<std::int64_t, PendingRequest> requests_;
  std::map<std::int64_t, std::string> lost_requests_;  ///< id -> method
  std::map<std::string, Document> documents_;
  bool server_sends_versions_ = false;
  Tally tally_;
};

}  // namespace perfectex::replay
