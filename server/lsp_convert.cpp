#include "server/lsp_convert.h"

#include "protocol/jsonrpc.h"
#include "validators/render.h"

namespace perfectex::server {
namespace {

// Keys in the order a JSON object keeps them (sorted), as in to_lsp_range.
void append_range(std::string& out, const FileSite& file, validators::Span span,
                  protocol::PositionEncoding encoding) {
  for (auto [key, offset] : {std::pair{R"({"end":{"character":)", span.end},
                             std::pair{R"(,"start":{"character":)", span.begin}}) {
    protocol::Position p = file.lines.position(file.text, offset, encoding);
    out += key;
    protocol::append_json_number(out, p.character);
    out += R"(,"line":)";
    protocol::append_json_number(out, p.line);
    out += '}';
  }
  out += '}';
}

}  // namespace

json to_lsp_range(const Snapshot& doc, validators::Span span, protocol::PositionEncoding encoding) {
  protocol::Range range{doc.lines.position(doc.text, span.begin, encoding),
                        doc.lines.position(doc.text, span.end, encoding)};
  return protocol::to_json(range);
}

json to_lsp_diagnostic(const Snapshot& doc, const validators::Diagnostic& d,
                       protocol::PositionEncoding encoding, std::string_view prelude) {
  const validators::RuleInfo& info = validators::rule_info(d.rule);
  json out{{"range", to_lsp_range(doc, d.range, encoding)},
           {"severity", static_cast<int>(d.severity)},
           {"code", info.name},
           {"source", "perfectex"},
           {"message", validators::render_message(d, doc.text, prelude)}};
  if (d.has_related) {
    out["relatedInformation"] = json::array(
        {{{"location", {{"uri", doc.uri}, {"range", to_lsp_range(doc, d.related, encoding)}}},
          {"message", validators::render_related_message(d, doc.text, prelude)}}});
  }
  return out;
}

void append_lsp_diagnostic(std::string& out, const Snapshot& doc, const validators::Diagnostic& d,
                           protocol::PositionEncoding encoding, std::string_view prelude) {
  const FileSite site{doc.uri, doc.text, doc.lines};
  append_lsp_diagnostic(out, d, site, &site, encoding, prelude);
}

void append_lsp_diagnostic(std::string& out, const validators::Diagnostic& d, const FileSite& at,
                           const FileSite* related, protocol::PositionEncoding encoding,
                           std::string_view prelude) {
  out += R"({"code":)";
  protocol::append_json_string(out, validators::rule_info(d.rule).name);
  out += R"(,"message":)";
  protocol::append_json_string(out, validators::render_message(d, at.text, prelude));
  out += R"(,"range":)";
  append_range(out, at, d.range, encoding);
  if (d.has_related && related != nullptr) {
    out += R"(,"relatedInformation":[{"location":{"range":)";
    append_range(out, *related, d.related, encoding);
    out += R"(,"uri":)";
    protocol::append_json_string(out, related->uri);
    out += R"(},"message":)";
    protocol::append_json_string(out, validators::render_related_message(d, at.text, prelude));
    out += "}]";
  }
  out += R"(,"severity":)";
  protocol::append_json_number(out, static_cast<std::uint32_t>(d.severity));
  out += R"(,"source":"perfectex"})";
}

json publish_params(const AnalysisResult& result, protocol::PositionEncoding encoding) {
  const Snapshot& doc = *result.snapshot;
  json diagnostics = json::array();
  for (const validators::Diagnostic& d : result.diagnostics) {
    diagnostics.push_back(to_lsp_diagnostic(doc, d, encoding, result.prelude_text()));
  }
  return {{"uri", doc.uri}, {"version", doc.version}, {"diagnostics", std::move(diagnostics)}};
}

json code_actions(const AnalysisResult& result, std::uint32_t begin, std::uint32_t end,
                  const CodeActionOptions& options) {
  const Snapshot& doc = *result.snapshot;
  json actions = json::array();
  for (const validators::Diagnostic& d : result.diagnostics) {
    if (d.range.end < begin || d.range.begin > end) continue;
    std::optional<validators::Fix> fix = validators::make_fix(d, doc.text, result.prelude_text());
    if (!fix) continue;
    json edits = json::array();
    for (const validators::TextEdit& e : fix->edits) {
      edits.push_back(
          {{"range", to_lsp_range(doc, e.range, options.encoding)}, {"newText", e.new_text}});
    }
    json edit{{"changes", {{doc.uri, edits}}}};
    if (options.document_changes) {
      edit["documentChanges"] = json::array(
          {{{"textDocument", {{"uri", doc.uri}, {"version", doc.version}}}, {"edits", edits}}});
    }
    actions.push_back({{"title", fix->title},
                       {"kind", "quickfix"},
                       {"isPreferred", true},
                       {"diagnostics", json::array({to_lsp_diagnostic(doc, d, options.encoding,
                                                                      result.prelude_text())})},
                       {"edit", std::move(edit)}});
  }
  return actions;
}

}  // namespace perfectex::server
