// Writes textDocument/publishDiagnostics bodies into a reused buffer, keeping each document's
// serialised diagnostics from its previous publish: a diagnostic whose rule, severity, positions
// and quoted text did not change is copied, not rebuilt as JSON, so a keystroke costs what it
// changed (DESIGN §4). publish_params (lsp_convert.h) is the obviously correct twin it must equal.
// Threading: T0 only.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

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
    std::size_t built = 0;   ///< diagnostics serialised anew
  };
  /// What the last write did.
  Counts last() const { return last_; }

 private:
  /// Identity of a serialised diagnostic: everything its JSON is made from.
  void make_key(const Snapshot& doc, const validators::Diagnostic& d,
                protocol::PositionEncoding encoding, std::string_view prelude);

  using Pieces = std::unordered_map<std::string, std::string>;
  std::unordered_map<std::string, Pieces> docs_;
  Pieces next_;
  std::string body_;
  std::string key_;
  Counts last_;
};

}  // namespace perfectex::server
