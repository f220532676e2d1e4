// The document store: every open document as an immutable Snapshot (uri, version, text, line
// index). An edit builds a new snapshot, so workers can analyse an old one while T0 moves on.
// Threading: the store is owned and mutated by T0 only; snapshots are shared read-only.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "protocol/lsp_types.h"
#include "server/line_index.h"

namespace perfectex::server {

struct Snapshot {
  std::string uri;
  std::int64_t version = 0;
  std::string language_id;
  std::string text;
  LineIndex lines;
};

using SnapshotPtr = std::shared_ptr<const Snapshot>;

class DocumentStore {
 public:
  /// Opens (or reopens) a document.
  SnapshotPtr open(std::string uri, std::int64_t version, std::string language_id,
                   std::string text);

  struct ChangeResult {
    SnapshotPtr snapshot;            ///< null when the document is not open
    std::vector<std::string> notes;  ///< clamped ranges and other things worth a log line
  };
  /// Applies incremental or full changes in order and sets the new version.
  ChangeResult change(const std::string& uri, std::int64_t version,
                      const std::vector<protocol::TextDocumentContentChangeEvent>& changes,
                      protocol::PositionEncoding encoding);

  bool close(const std::string& uri);
  SnapshotPtr get(const std::string& uri) const;
  std::vector<SnapshotPtr> all() const;
  std::size_t size() const { return docs_.size(); }
  std::size_t resident_bytes() const;

 private:
  std::unordered_map<std::string, SnapshotPtr> docs_;
};

struct AppliedChange {
  std::string text;
  LineIndex lines;
  bool clamped = false;  ///< the range was outside the text and had to be clamped
};
/// Applies one change event to text (whose index is lines): the new text and its index.
AppliedChange apply_change(std::string_view text, const LineIndex& lines,
                           const protocol::TextDocumentContentChangeEvent& change,
                           protocol::PositionEncoding encoding);

}  // namespace perfectex::server
