#include "server/document_store.h"

namespace perfectex::server {

AppliedChange apply_change(std::string_view text, const LineIndex& lines,
                           const protocol::TextDocumentContentChangeEvent& change,
                           protocol::PositionEncoding encoding) {
  AppliedChange out;
  if (!change.range) {
    out.text = change.text;
    out.lines = LineIndex(out.text);
    out.edit = {0, static_cast<std::uint32_t>(text.size()),
                static_cast<std::uint32_t>(out.text.size())};
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
  const auto inserted_end = static_cast<std::uint32_t>(start.offset + change.text.size());
  out.lines = lines.edited(out.text, start.offset, end.offset, inserted_end);
  out.edit = {start.offset, end.offset, inserted_end};
  return out;
}

namespace {

Snapshot::EditKind edit_kind(std::string_view before, std::string_view after,
                             const lexer::TextEdit& e) {
  const std::string_view removed = before.substr(e.begin, e.old_end - e.begin);
  const std::string_view typed = after.substr(e.begin, e.new_end - e.begin);
  auto has = [&](std::string_view bytes) {
    return removed.find_first_of(bytes) != std::string_view::npos ||
           typed.find_first_of(bytes) != std::string_view::npos;
  };
  if (has("{}")) return Snapshot::EditKind::Brace;
  constexpr std::size_t kMaxBytes = 4;
  if (removed.size() <= kMaxBytes && typed.size() <= kMaxBytes && !has("\\$%&#^_~[]\n\r"))
    return Snapshot::EditKind::Prose;
  return Snapshot::EditKind::Other;
}

}  // namespace

lexer::TextEdit edit_between(const Snapshot& older, const Snapshot& newer) {
  if (older.serial != 0) {
    for (std::size_t k = 0; k < newer.history_size; ++k) {
      if (newer.history[k].from == older.serial) return newer.history[k].edit;
    }
  }
  return lexer::diff_texts(older.text, newer.text);
}

SnapshotPtr DocumentStore::open(std::string uri, std::int64_t version, std::string language_id,
                                std::string text) {
  auto snapshot = std::make_shared<Snapshot>();
  snapshot->uri = uri;
  snapshot->version = version;
  snapshot->language_id = std::move(language_id);
  snapshot->lines = LineIndex(text);
  snapshot->text = std::move(text);
  snapshot->serial = ++serial_;
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
  const auto old_size = static_cast<std::uint32_t>(old.text.size());
  lexer::TextEdit edit{old_size, old_size, old_size};
  const bool foreseen =
      changes.size() == 1 && take_prepared(uri, old, changes[0], encoding, text, lines, edit);
  for (std::size_t i = 0; i < changes.size() && !foreseen; ++i) {
    AppliedChange applied = i == 0 ? apply_change(old.text, old.lines, changes[i], encoding)
                                   : apply_change(text, lines, changes[i], encoding);
    if (applied.clamped) {
      result.notes.push_back("change " + std::to_string(i) +
                             " has a range outside the document; clamped");
    }
    edit = i == 0 ? applied.edit
                  : lexer::then(edit, static_cast<std::uint32_t>(text.size()), applied.edit);
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
  snapshot->serial = ++serial_;
  snapshot->edit_kind = edit_kind(old.text, snapshot->text, edit);
  snapshot->history[0] = {old.serial, edit};
  snapshot->history_size = std::min(old.history_size + 1, Snapshot::kHistory);
  for (std::size_t k = 1; k < snapshot->history_size; ++k) {
    snapshot->history[k] = {old.history[k - 1].from,
                            lexer::then(old.history[k - 1].edit, old_size, edit)};
  }
  it->second = snapshot;
  result.snapshot = std::move(snapshot);
  return result;
}

void DocumentStore::prepare(const std::string& uri) {
  auto it = docs_.find(uri);
  if (it == docs_.end() || it->second->history_size == 0) return;
  const Snapshot& s = *it->second;
  if (prepared_.uri == uri && prepared_.from == s.serial) return;
  const std::uint32_t at = s.history[0].edit.new_end;
  // Any byte but a line break gives the same line index, so a placeholder stands for it.
  prepared_.text.clear();
  prepared_.text.reserve(s.text.size() + 1);
  prepared_.text.append(s.text, 0, at).append(1, ' ').append(s.text, at);
  prepared_.lines = s.lines.edited(prepared_.text, at, at, at + 1);
  prepared_.uri = uri;
  prepared_.from = s.serial;
  prepared_.at = at;
}

bool DocumentStore::take_prepared(const std::string& uri, const Snapshot& old,
                                  const protocol::TextDocumentContentChangeEvent& change,
                                  protocol::PositionEncoding encoding, std::string& text,
                                  LineIndex& lines, lexer::TextEdit& edit) {
  if (prepared_.uri != uri || prepared_.from != old.serial || !change.range ||
      change.text.size() != 1 || change.text[0] == '\n' || change.text[0] == '\r' ||
      change.range->start != change.range->end) {
    return false;
  }
  LineIndex::Offset at = old.lines.offset(old.text, change.range->start, encoding);
  if (at.clamped || at.offset != prepared_.at) return false;
  text = std::move(prepared_.text);
  text[at.offset] = change.text[0];
  lines = std::move(prepared_.lines);
  edit = {at.offset, at.offset, at.offset + 1};
  prepared_.uri.clear();
  ++foreseen_;
  return true;
}

bool DocumentStore::close(const std::string& uri) {
  if (prepared_.uri == uri) prepared_ = {};
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
  return total + prepared_.text.size();
}

}  // namespace perfectex::server
