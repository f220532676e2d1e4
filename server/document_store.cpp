#include "server/document_store.h"

namespace perfectex::server {

bool apply_change(std::string& text, const LineIndex& lines,
                  const protocol::TextDocumentContentChangeEvent& change,
                  protocol::PositionEncoding encoding) {
  if (!change.range) {
    text = change.text;
    return false;
  }
  LineIndex::Offset start = lines.offset(text, change.range->start, encoding);
  LineIndex::Offset end = lines.offset(text, change.range->end, encoding);
  bool clamped = start.clamped || end.clamped;
  if (end.offset < start.offset) {
    std::swap(start, end);
    clamped = true;
  }
  text.replace(start.offset, end.offset - start.offset, change.text);
  return clamped;
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
  std::string text = old.text;
  for (std::size_t i = 0; i < changes.size(); ++i) {
    // The old snapshot's index serves the first change; later ones see the text as changed so far.
    LineIndex fresh;
    const LineIndex& lines = i == 0 ? old.lines : (fresh = LineIndex(text));
    if (apply_change(text, lines, changes[i], encoding)) {
      result.notes.push_back("change " + std::to_string(i) +
                             " has a range outside the document; clamped");
    }
  }
  auto snapshot = std::make_shared<Snapshot>();
  snapshot->uri = uri;
  snapshot->version = version;
  snapshot->language_id = old.language_id;
  snapshot->lines = LineIndex(text);
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
