// Conversion of analysis results to LSP JSON at the edge: byte spans become positions in the
// negotiated encoding, diagnostics get their rendered messages, fixes become code actions.
// Threading: pure functions; called on T0.
#pragma once

#include <nlohmann/json.hpp>

#include "protocol/lsp_types.h"
#include "server/analyzer.h"

namespace perfectex::server {

using nlohmann::json;

json to_lsp_range(const Snapshot& doc, validators::Span span, protocol::PositionEncoding encoding);
/// prelude: the text of the prelude the document was analysed with (AnalysisResult::prelude_text).
json to_lsp_diagnostic(const Snapshot& doc, const validators::Diagnostic& d,
                       protocol::PositionEncoding encoding, std::string_view prelude = {});
/// The text dump_json(to_lsp_diagnostic(...)) gives, written straight into out without building
/// a JSON value (the publish path: a few appends in place of a tree of allocations).
void append_lsp_diagnostic(std::string& out, const Snapshot& doc, const validators::Diagnostic& d,
                           protocol::PositionEncoding encoding, std::string_view prelude = {});
/// A file a diagnostic's positions are in: its uri, text and line index.
struct FileSite {
  std::string_view uri;
  std::string_view text;
  const LineIndex& lines;
};
/// The same for a diagnostic of one file (at) whose related location is in another (a project's
/// diagnostics); without related, no related information.
void append_lsp_diagnostic(std::string& out, const validators::Diagnostic& d, const FileSite& at,
                           const FileSite* related, protocol::PositionEncoding encoding,
                           std::string_view prelude = {});
/// The params of textDocument/publishDiagnostics for a result.
json publish_params(const AnalysisResult& result, protocol::PositionEncoding encoding);

struct CodeActionOptions {
  protocol::PositionEncoding encoding = protocol::PositionEncoding::Utf16;
  bool document_changes = false;  ///< the client understands versioned documentChanges
};
/// Quick fixes for the diagnostics of result whose range touches [begin, end].
json code_actions(const AnalysisResult& result, std::uint32_t begin, std::uint32_t end,
                  const CodeActionOptions& options);

}  // namespace perfectex::server
