#include "server/publish_writer.h"

#include "protocol/jsonrpc.h"
#include "server/lsp_convert.h"
#include "validators/render.h"

namespace perfectex::server {
namespace {

void append_u32(std::string& out, std::uint32_t v) {
  out.append(reinterpret_cast<const char*>(&v), sizeof v);
}

void append_position(std::string& out, const Snapshot& doc, std::uint32_t offset,
                     protocol::PositionEncoding encoding) {
  protocol::Position p = doc.lines.position(doc.text, offset, encoding);
  append_u32(out, static_cast<std::uint32_t>(p.line));
  append_u32(out, static_cast<std::uint32_t>(p.character));
}

}  // namespace

void PublishWriter::make_key(const Snapshot& doc, const validators::Diagnostic& d,
                             protocol::PositionEncoding encoding, std::string_view prelude) {
  key_.clear();
  key_.push_back(static_cast<char>(encoding));
  append_u32(key_, static_cast<std::uint32_t>(d.rule));
  key_.push_back(static_cast<char>(d.severity));
  key_.push_back(static_cast<char>(d.variant));
  append_position(key_, doc, d.range.begin, encoding);
  append_position(key_, doc, d.range.end, encoding);
  key_.push_back(d.has_related ? 1 : 0);
  if (d.has_related) {
    append_position(key_, doc, d.related.begin, encoding);
    append_position(key_, doc, d.related.end, encoding);
  }
  // The message quotes names: the argument spans' text and the macro it was expanded from.
  for (int k = 0; k < 3; ++k) {
    std::string_view text = validators::quoted(d, k, doc.text, prelude);
    append_u32(key_, static_cast<std::uint32_t>(text.size()));
    key_.append(text);
  }
}

std::string_view PublishWriter::write_pieces(const std::string& uri,
                                             std::span<const std::string> pieces) {
  body_.clear();
  body_ += R"({"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":)";
  body_ += protocol::dump_json(uri);
  body_ += R"(,"diagnostics":[)";
  for (std::size_t i = 0; i < pieces.size(); ++i) {
    if (i != 0) body_ += ',';
    body_ += pieces[i];
  }
  body_ += "]}}";
  return body_;
}

std::string_view PublishWriter::write(const AnalysisResult& result,
                                      protocol::PositionEncoding encoding,
                                      std::span<const std::string> extra,
                                      std::span<const validators::Waiver> waivers) {
  const Snapshot& doc = *result.snapshot;
  Pieces& kept = docs_[doc.uri];
  next_.clear();
  last_ = {};
  body_.clear();
  body_ += R"({"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":)";
  body_ += protocol::dump_json(doc.uri);
  body_ += R"(,"version":)";
  body_ += std::to_string(doc.version);
  body_ += R"(,"diagnostics":[)";
  bool first = true;
  for (const validators::Diagnostic& d : result.diagnostics) {
    if (!waivers.empty() && validators::waived(waivers, d)) continue;
    make_key(doc, d, encoding, result.prelude_text());
    auto done = next_.find(key_);
    if (done == next_.end()) {
      auto old = kept.find(key_);
      if (old != kept.end()) {
        done = next_.emplace(key_, std::move(old->second)).first;
        ++last_.reused;
      } else {
        done = next_
                   .emplace(key_, protocol::dump_json(
                                      to_lsp_diagnostic(doc, d, encoding, result.prelude_text())))
                   .first;
        ++last_.built;
      }
    } else {
      ++last_.reused;
    }
    if (!first) body_ += ',';
    first = false;
    body_ += done->second;
  }
  for (const std::string& piece : extra) {
    if (!first) body_ += ',';
    first = false;
    body_ += piece;
  }
  body_ += "]}}";
  kept.swap(next_);
  return body_;
}

}  // namespace perfectex::server
