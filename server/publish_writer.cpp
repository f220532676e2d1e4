#include "server/publish_writer.h"

#include <limits>
#include <optional>

#include "lexer/incremental_lexer.h"
#include "protocol/jsonrpc.h"
#include "server/lsp_convert.h"
#include "server/text_shift.h"

namespace perfectex::server {
namespace {

using validators::Diagnostic;
using validators::Span;

// What of d its JSON shows: not where a fix would go, nor a related span it does not report.
Diagnostic shown(Diagnostic d) {
  d.fix_at = 0;
  if (!d.has_related) d.related = {};
  return d;
}

constexpr std::uint32_t kNever = std::numeric_limits<std::uint32_t>::max();

// A position of d in the last publish's offsets; the bit-th bit of moved tells that its line
// number changed.
bool old_position(const TextShift& shift, std::uint32_t at, std::uint32_t& old, unsigned& moved,
                  int bit) {
  std::optional<TextShift::Moved> m = shift.back(at);
  if (!m) return false;
  old = m->offset;
  if (m->moved) moved |= 1u << bit;
  return true;
}

// d in the last publish's offsets, when everything its JSON shows but line numbers is unchanged;
// the bits of moved name its positions whose line numbers changed by shift.lines(), in the order
// of their JSON (range end, range start, related end, related start).
bool old_form(const TextShift& shift, const Diagnostic& d, Diagnostic& old, unsigned& moved) {
  old = d;
  moved = 0;
  if (!old_position(shift, d.range.end, old.range.end, moved, 0) ||
      !old_position(shift, d.range.begin, old.range.begin, moved, 1)) {
    return false;
  }
  if (d.has_related && (!old_position(shift, d.related.end, old.related.end, moved, 2) ||
                        !old_position(shift, d.related.begin, old.related.begin, moved, 3))) {
    return false;
  }
  for (int k = 0; k < 2; ++k) {
    std::uint8_t bit = k == 0 ? validators::kArg0InPrelude : validators::kArg1InPrelude;
    if ((d.in_prelude & bit) != 0) continue;
    std::optional<Span> text = shift.back_text(d.args[k]);
    if (!text) return false;
    old.args[k] = *text;
  }
  if ((d.in_prelude & validators::kExpansionInPrelude) == 0) {
    std::optional<Span> text = shift.back_text(d.expansion);
    if (!text) return false;
    old.expansion = *text;
  }
  old = shown(old);
  return true;
}

void open_body(std::string& body, const std::string& uri) {
  body.clear();
  body += R"({"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":)";
  body += protocol::dump_json(uri);
}

}  // namespace

PublishWriter::Piece PublishWriter::piece_at(std::string_view body, std::uint32_t begin,
                                             std::uint32_t end) {
  // A quote inside a JSON string is escaped, so "line": is always a key.
  constexpr std::string_view kKey = R"("line":)";
  Piece piece{begin, end, {kNever, kNever, kNever, kNever}};
  std::size_t at = begin;
  for (std::uint32_t& line : piece.lines) {
    at = body.find(kKey, at);
    if (at == std::string_view::npos || at >= end) break;
    at += kKey.size();
    line = static_cast<std::uint32_t>(at - begin);
  }
  return piece;
}

PublishWriter::Piece PublishWriter::append_moved(std::string& body, std::string_view kept,
                                                 const Piece& piece, unsigned moved,
                                                 std::int64_t delta) {
  Piece out{static_cast<std::uint32_t>(body.size()), 0, {kNever, kNever, kNever, kNever}};
  std::uint32_t from = piece.begin;
  for (std::size_t k = 0; k < piece.lines.size() && piece.lines[k] != kNever; ++k) {
    const std::uint32_t digits = piece.begin + piece.lines[k];
    body.append(kept, from, digits - from);
    out.lines[k] = static_cast<std::uint32_t>(body.size() - out.begin);
    from = digits;
    std::int64_t line = 0;
    while (kept[from] >= '0' && kept[from] <= '9') line = line * 10 + (kept[from++] - '0');
    if ((moved >> k) & 1u) line += delta;
    body += std::to_string(line);
  }
  body.append(kept, from, piece.end - from);
  out.end = static_cast<std::uint32_t>(body.size());
  return out;
}

std::string_view PublishWriter::write_pieces(const std::string& uri,
                                             std::span<const std::string> pieces) {
  open_body(body_, uri);
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
  Published& kept = docs_[doc.uri];
  // Pieces are reused only between publishes of one encoding and one prelude.
  std::string_view prelude = result.prelude_text();
  bool reuse = kept.snapshot != nullptr && kept.encoding == encoding &&
               prelude.size() == kept.prelude.size() &&
               (prelude.empty() || prelude.data() == kept.prelude.data());
  const auto size = static_cast<std::uint32_t>(doc.text.size());
  TextShift shift(reuse ? *kept.snapshot : doc, doc,
                  reuse ? edit_between(*kept.snapshot, doc) : lexer::TextEdit{size, size, size});
  next_.snapshot = result.snapshot;
  next_.context = result.context;
  next_.prelude = prelude;
  next_.encoding = encoding;
  next_.diagnostics.clear();
  next_.pieces.clear();
  std::string& body = next_.body;  // a buffer from an earlier publish
  open_body(body, doc.uri);
  body += R"(,"version":)";
  body += std::to_string(doc.version);
  body += R"(,"diagnostics":[)";
  last_ = {};
  std::size_t j = 0;  // kept diagnostics before j sort before the current one's old form
  Diagnostic old;
  unsigned moved = 0;
  for (const Diagnostic& d : result.diagnostics) {
    if (!waivers.empty() && validators::waived(waivers, d)) continue;
    if (!next_.diagnostics.empty()) body += ',';
    auto begin = static_cast<std::uint32_t>(body.size());
    const Piece* found = nullptr;
    if (reuse && old_form(shift, d, old, moved)) {
      const auto before = validators::DiagnosticSink::published_before;
      while (j < kept.diagnostics.size() && before(kept.diagnostics[j], old)) ++j;
      for (std::size_t k = j; k < kept.diagnostics.size() && !before(old, kept.diagnostics[k]);
           ++k) {
        if (shown(kept.diagnostics[k]) == old) {
          found = &kept.pieces[k];
          break;
        }
      }
    }
    if (found != nullptr && moved == 0) {
      body.append(kept.body, found->begin, found->end - found->begin);
      Piece& piece = next_.pieces.emplace_back(*found);
      piece.begin = begin;
      piece.end = static_cast<std::uint32_t>(body.size());
      ++last_.reused;
    } else if (found != nullptr) {
      next_.pieces.push_back(append_moved(body, kept.body, *found, moved, shift.lines()));
      ++last_.reused;
      ++last_.moved;
    } else {
      append_lsp_diagnostic(body, doc, d, encoding, prelude);
      next_.pieces.push_back(piece_at(body, begin, static_cast<std::uint32_t>(body.size())));
      ++last_.built;
    }
    next_.diagnostics.push_back(d);
  }
  bool first = next_.diagnostics.empty();
  for (const std::string& piece : extra) {
    if (!first) body += ',';
    first = false;
    body += piece;
  }
  body += "]}}";
  std::swap(kept, next_);
  next_.snapshot.reset();
  next_.context.reset();
  return kept.body;
}

}  // namespace perfectex::server
