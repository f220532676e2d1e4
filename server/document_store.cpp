#include "server/document_store.h"

namespace perfectex::server {

AppliedChange apply_change(std::string_view text, const LineIndex& lines,
                           const protocol::TextDocumentContentChangeEvent& change,
                           protocol::PositionEncoding encoding) {
  AppliedChange out;
  if (!change.range) {
    out.text = change.text;
    out.lines = LineIndex(out.text);
    return out;
  }
  LineIndex::Offset start = lines.offset(text, change.range->start, encoding);
  LineIndex::Offset end = lines.offset(text, change.range->end, encoding);
  out.clamped = start.clamped || end.clamped;
  if (end.offset < start.offset) {
    std::swap(start, end);
    out.clamped = true;
  }
  // One copy of the text (prefix, insertion, suffix), and only the edited lines scanned again.
  out.text.reserve(text.size() - (end.offset - start.offset) + change.text.size());
  out.text.append(text.substr(0, start.offset)).append(change.text).append(text.substr(end.offset));
  out.lines = lines.edited(out.text, start.offset, end.offset,
                           static_cast<std::uint32_t>(start.offset + change.text.size()));
  return out;
}

SnapshotPtr DocumentStore::open(std::string uri, std::int64_t version, std::string language_id,
                                std::string text) {
  auto snapshot = std::make_shared<Snapshot>();
  snapshot->uri = uri;
  snapshot->version = version;
  snapshot->language_id = std::move(language_id);
  snapshot->lines = LineIndex(text);
  snapshot->text = std::move(text);
  docs_[std::move(uri)] = snapshot;
  return snapshot;
}

DocumentStore::ChangeResult DocumentStore::change(
    const std::string& uri, std::int64_t version,
    const std::vector<protocol::TextDocumentContentChangeEvent>& changes,
    protocol::PositionEncoding encoding) {
  ChangeResult result;
  auto it = docs_.find(uri);
  if (it == docs_.end()) return result;
  const Snapshot& old = *it->second;
  if (version <= old.version) {
    result.notes.push_back("version " + std::to_string(version) + " is not newer than " +
                           std::to_string(old.version) + "; applied anyway");
  }
  std::string text;
  LineIndex lines;
  for (std::size_t i = 0; i < changes.size(); ++i) {
    AppliedChange applied = i == 0 ? apply_change(old.text, old.lines, changes[i], encoding)
                                   : apply_change(text, lines, changes[i], encoding);
    if (applied.clamped) {
      result.notes.push_back("change " + std::to_string(i) +
                             " has a range outside the document; clamped");
    }
    text = std::move(applied.text);
    lines = std::move(applied.lines);
  }
  if (changes.empty()) {
    text = old.text;
    lines = old.lines;
  }
  auto snapshot = std::make_shared<Snapshot>();
  snapshot->uri = uri;
  snapshot->version = version;
  snapshot->language_id = old.language_id;
  snapshot->lines = std::move(lines);
  snapshot->text = std::move(text);
  it->second = snapshot;
  result.snapshot = std::move(snapshot);
  return result;
}

bool DocumentStore::close(const std::string& uri) {
  return docs_.erase(uri) > 0;
}

SnapshotPtr DocumentStore::get(const std::string& uri) const {
  auto it = docs_.find(uri);
  return it == docs_.end() ? nullptr : it->second;
}

std::vector<SnapshotPtr> DocumentStore::all() const {
  std::vector<SnapshotPtr> out;
  out.reserve(docs_.size());
  for (const auto& [uri, snapshot] : docs_) out.push_back(snapshot);
  return out;
}

std::size_t DocumentStore::resident_bytes() const {
  std::size_t total = 0;
  for (const auto& [uri, snapshot] : docs_) total += snapshot->text.size();
  return total;
}

}  // namespace perfectex::server
