#include "server/publish_writer.h"

#include <limits>

#include "lexer/incremental_lexer.h"
#include "protocol/jsonrpc.h"
#include "server/lsp_convert.h"

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

bool line_break(char c) {
  return c == '\n' || c == '\r';
}

// How one edit (which may be larger than needed) moved the document from the last publish. A
// position depends on the bytes before it (and, inside a UTF-8 sequence, a few after): one well
// before the edit is where it was; one after it moved by delta bytes and keeps its line and column
// when the edit added or removed no line break and a line break lies between them. Quoted text is
// the same when it is not edited.
class Shift {
 public:
  Shift(std::string_view before, std::string_view after, lexer::TextEdit e) {
    begin_ = e.begin;
    old_end_ = e.old_end;
    new_end_ = e.new_end;
    if (begin_ == old_end_ && begin_ == new_end_) {  // the same text
      stable_before_ = kNever;
      return;
    }
    // A \r just before the edit may pair with a \n the edit moved: nothing is known then.
    if (begin_ > 0 && after[begin_ - 1] == '\r') {
      stable_before_ = 0;
      return;
    }
    stable_before_ = begin_ >= 3 ? begin_ - 3 : 0;
    for (std::uint32_t k = begin_; k < old_end_; ++k) {
      if (line_break(before[k])) return;
    }
    for (std::uint32_t k = begin_; k < new_end_; ++k) {
      if (line_break(after[k])) return;
    }
    for (std::uint32_t k = new_end_; k < after.size(); ++k) {
      if (!line_break(after[k])) continue;
      stable_after_ = k + 1 + (after[k] == '\r' && k + 1 < after.size() && after[k + 1] == '\n');
      return;
    }
  }

  /// d in the last publish's offsets, when everything its JSON shows is unchanged.
  bool old_form(const Diagnostic& d, Diagnostic& old) const {
    old = d;
    if (!position(d.range, old.range)) return false;
    if (d.has_related && !position(d.related, old.related)) return false;
    for (int k = 0; k < 2; ++k) {
      std::uint8_t bit = k == 0 ? validators::kArg0InPrelude : validators::kArg1InPrelude;
      if ((d.in_prelude & bit) == 0 && !text(d.args[k], old.args[k])) return false;
    }
    if ((d.in_prelude & validators::kExpansionInPrelude) == 0 && !text(d.expansion, old.expansion))
      return false;
    old = shown(old);
    return true;
  }

 private:
  std::uint32_t back(std::uint32_t o) const { return o - new_end_ + old_end_; }
  bool position(Span s, Span& old) const {
    for (auto [from, to] : {std::pair{s.begin, &old.begin}, std::pair{s.end, &old.end}}) {
      if (from <= stable_before_) {
        *to = from;
      } else if (from >= stable_after_) {
        *to = back(from);
      } else {
        return false;
      }
    }
    return true;
  }
  bool text(Span s, Span& old) const {
    if (s.end <= begin_) {
      old = s;
    } else if (s.begin >= new_end_) {
      old = {back(s.begin), back(s.end)};
    } else {
      return false;
    }
    return true;
  }

  std::uint32_t begin_ = 0, old_end_ = 0, new_end_ = 0;
  std::uint32_t stable_before_ = 0;
  std::uint32_t stable_after_ = kNever;
};

void open_body(std::string& body, const std::string& uri) {
  body.clear();
  body += R"({"jsonrpc":"2.0","method":"textDocument/publishDiagnostics","params":{"uri":)";
  body += protocol::dump_json(uri);
}

}  // namespace

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
  Shift shift(reuse ? std::string_view(kept.snapshot->text) : std::string_view(doc.text), doc.text,
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
  for (const Diagnostic& d : result.diagnostics) {
    if (!waivers.empty() && validators::waived(waivers, d)) continue;
    if (!next_.diagnostics.empty()) body += ',';
    auto begin = static_cast<std::uint32_t>(body.size());
    const Piece* found = nullptr;
    if (reuse && shift.old_form(d, old)) {
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
    if (found != nullptr) {
      body.append(kept.body, found->begin, found->end - found->begin);
      ++last_.reused;
    } else {
      append_lsp_diagnostic(body, doc, d, encoding, prelude);
      ++last_.built;
    }
    next_.diagnostics.push_back(d);
    next_.pieces.push_back({begin, static_cast<std::uint32_t>(body.size())});
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
