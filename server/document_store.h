// The document store: every open document as an immutable Snapshot (uri, version, text, line
// index). An edit builds a new snapshot, so workers can analyse an old one while T0 moves on;
// between edits, T0 prepares the text of the likeliest next one (a byte typed at the cursor), so
// that a keystroke writes one byte instead of copying the document.
// Threading: the store is owned and mutated by T0 only; snapshots are shared read-only.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "lexer/incremental_lexer.h"
#include "protocol/lsp_types.h"
#include "server/line_index.h"

namespace perfectex::server {

struct Snapshot {
  std::string uri;
  std::int64_t version = 0;
  std::string language_id;
  std::string text;
  LineIndex lines;
  /// A number no other snapshot of the store has (0 outside a store).
  std::uint64_t serial = 0;
  /// How the text came from the last few snapshots of the same document, newest first: the
  /// edit from snapshot `from` to this one.
  struct Step {
    std::uint64_t from = 0;
    lexer::TextEdit edit;
  };
  static constexpr std::size_t kHistory = 8;
  std::array<Step, kHistory> history{};
  std::size_t history_size = 0;
  /// What the last edit typed or took away, for timing it with edits like it.
  enum class EditKind : std::uint8_t {
    Prose,  ///< at most 4 bytes, no TeX special character or line break: no structure changed
    Brace,  ///< a `{` or `}`: a group opened or closed may reach to the end of the document
    Other,  ///< line breaks, `$`, `\`, pastes, ...
  };
  EditKind edit_kind = EditKind::Other;
};

/// The edit that turns older's text into newer's: from newer's history when older is in it (the
/// edits the client sent, which may be larger than needed), else by comparing the texts.
lexer::TextEdit edit_between(const Snapshot& older, const Snapshot& newer);

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

  /// While T0 waits: makes ready the text and line index that one byte typed where uri's last
  /// edit ended makes, placeholder included; a change() that types it there only writes the byte.
  void prepare(const std::string& uri);
  /// How many changes were the byte prepare() foresaw.
  std::uint64_t foreseen() const { return foreseen_; }

  bool close(const std::string& uri);
  SnapshotPtr get(const std::string& uri) const;
  std::vector<SnapshotPtr> all() const;
  std::size_t size() const { return docs_.size(); }
  std::size_t resident_bytes() const;

 private:
  /// The prepared text and index, moved into the new snapshot when the edit is the one foreseen.
  bool take_prepared(const std::string& uri, const Snapshot& old,
                     const protocol::TextDocumentContentChangeEvent& change,
                     protocol::PositionEncoding encoding, std::string& text, LineIndex& lines,
                     lexer::TextEdit& edit);

  std::unordered_map<std::string, SnapshotPtr> docs_;
  std::uint64_t serial_ = 0;
  struct Prepared {
    std::string uri;         ///< empty: nothing prepared
    std::uint64_t from = 0;  ///< the serial of the snapshot it was prepared from
    std::uint32_t at = 0;    ///< where the byte goes
    std::string text;
    LineIndex lines;
  };
  Prepared prepared_;
  std::uint64_t foreseen_ = 0;
};

struct AppliedChange {
  std::string text;
  LineIndex lines;
  lexer::TextEdit edit;  ///< the bytes replaced, the whole text for a change without a range
  bool clamped = false;  ///< the range was outside the text and had to be clamped
};
/// Applies one change event to text (whose index is lines): the new text and its index.
AppliedChange apply_change(std::string_view text, const LineIndex& lines,
                           const protocol::TextDocumentContentChangeEvent& change,
                           protocol::PositionEncoding encoding);

}  // namespace perfectex::server
