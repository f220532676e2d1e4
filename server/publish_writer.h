// Writes textDocument/publishDiagnostics bodies, keeping each document's last publish: after an
// edit, a diagnostic that only moved with the text around it (same rule, severity and quoted
// text) is copied from the last body, not rebuilt as JSON, with its line numbers changed when the
// edit added or removed lines before it; so a keystroke costs what it changed (DESIGN §4).
// publish_params (lsp_convert.h) is the obviously correct twin it must equal. Threading: T0 only.
#pragma once

#include <array>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "protocol/lsp_types.h"
#include "server/analyzer.h"
#include "validators/project_waivers.h"

namespace perfectex::server {

class PublishWriter {
 public:
  /// The whole notification body for result without its waived diagnostics, followed by extra
  /// (diagnostics already serialised, such as the project's); valid until the next call.
  std::string_view write(const AnalysisResult& result, protocol::PositionEncoding encoding,
                         std::span<const std::string> extra = {},
                         std::span<const validators::Waiver> waivers = {});
  /// The body for a file that is not open: serialised diagnostics only, no version.
  std::string_view write_pieces(const std::string& uri, std::span<const std::string> pieces);
  /// Drops what is kept for a document (it was closed).
  void forget(const std::string& uri) { docs_.erase(uri); }

  struct Counts {
    std::size_t reused = 0;  ///< diagnostics copied from the previous publish
    std::size_t moved = 0;   ///< of those, copied with other line numbers
    std::size_t built = 0;   ///< diagnostics serialised anew
  };
  /// What the last write did.
  Counts last() const { return last_; }

 private:
  struct Piece {
    std::uint32_t begin = 0, end = 0;  ///< a diagnostic's JSON in the body
    /// Where its line numbers start, from begin, in the order of the JSON: the range's end and
    /// start, then the related location's end and start.
    std::array<std::uint32_t, 4> lines{};
  };
  /// The piece body[begin, end) just written, its line numbers found.
  static Piece piece_at(std::string_view body, std::uint32_t begin, std::uint32_t end);
  /// Appends a kept piece to body with the line numbers that the bits of moved name (in the order
  /// of Piece::lines) changed by delta.
  static Piece append_moved(std::string& body, std::string_view kept, const Piece& piece,
                            unsigned moved, std::int64_t delta);
  /// A document's last publish: what it was computed from, its diagnostics and their JSON.
  struct Published {
    SnapshotPtr snapshot;
    ContextPtr context;        ///< keeps the prelude the messages quote alive
    std::string_view prelude;  ///< its text
    protocol::PositionEncoding encoding = protocol::PositionEncoding::Utf16;
    std::vector<validators::Diagnostic> diagnostics;
    std::vector<Piece> pieces;
    std::string body;
  };

  std::unordered_map<std::string, Published> docs_;
  Published next_;  ///< the publish being written, swapped into docs_ when done
  std::string body_;
  Counts last_;
};

}  // namespace perfectex::server
