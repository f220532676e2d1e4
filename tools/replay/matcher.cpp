#include "tools/replay/matcher.h"

#include <algorithm>

namespace perfectex::replay {
namespace {

constexpr int kRequestCancelled = -32800;
constexpr int kContentModified = -32801;  // LSP 3.17: the result is void, the document changed
constexpr int kServerCancelled = -32802;  // LSP 3.17: the server cancelled the request
constexpr std::size_t kMaxErrorMessages = 5;

}  // namespace

std::uint64_t Tally::total_lost() const {
  std::uint64_t lost = stream.future_publishes + stream.unmatched_replies;
  for (const auto& [name, s] : series) lost += s.lost;
  return lost;
}

std::uint64_t Tally::total_errors() const {
  std::uint64_t errors = 0;
  for (const auto& [name, s] : series) errors += s.errors;
  return errors;
}

void Matcher::on_request_sent(std::int64_t id, const std::string& method, std::int64_t t_ns,
                              std::uint32_t pass) {
  ++tally_.series[method].sent;
  requests_[id] = PendingRequest{method, t_ns, pass};
}

void Matcher::on_cancel_sent(std::int64_t id) {
  if (auto it = requests_.find(id); it != requests_.end()) it->second.cancelled = true;
}

void Matcher::on_edit_sent(const std::string& uri, std::int64_t version, EditKind kind,
                           std::int64_t t_ns, std::uint32_t pass) {
  ++tally_.series[series_of(kind)].sent;
  Document& doc = documents_[uri];
  doc.max_sent = std::max(doc.max_sent, version);
  doc.pending[version] = PendingEdit{kind, t_ns, pass};
}

void Matcher::on_close_sent(const std::string& uri) {
  auto it = documents_.find(uri);
  if (it == documents_.end()) return;
  for (const auto& [version, edit] : it->second.pending)
    ++tally_.series[series_of(edit.kind)].abandoned;
  it->second.pending.clear();
}

void Matcher::on_reply(std::optional<std::int64_t> id, std::optional<int> error_code,
                       const std::string& error_message, std::int64_t t_ns) {
  auto it = id ? requests_.find(*id) : requests_.end();
  if (it == requests_.end()) {
    auto lost = id ? lost_requests_.find(*id) : lost_requests_.end();
    if (lost != lost_requests_.end()) {
      ++tally_.series[lost->second].late;
      lost_requests_.erase(lost);
    } else {
      ++tally_.stream.unmatched_replies;
    }
    return;
  }
  const PendingRequest request = std::move(it->second);
  requests_.erase(it);
  SeriesTally& series = tally_.series[request.method];
  if (!error_code) {
    series.samples.push_back({t_ns - request.start_ns, request.start_ns, *id, request.pass});
  } else if ((request.cancelled && *error_code == kRequestCancelled) ||
             *error_code == kContentModified || *error_code == kServerCancelled) {
    ++series.cancelled;
  } else {
    ++series.errors;
    ++series.error_codes[*error_code];
    const std::string text = std::to_string(*error_code) + " " + error_message;
    if (series.error_messages.size() < kMaxErrorMessages &&
        std::find(series.error_messages.begin(), series.error_messages.end(), text) ==
            series.error_messages.end()) {
      series.error_messages.push_back(text);
    }
  }
}

void Matcher::on_publish(const std::string& uri, std::optional<std::int64_t> version,
                         std::int64_t t_ns) {
  ++tally_.stream.publishes;
  auto it = documents_.find(uri);
  if (it == documents_.end()) {
    ++tally_.stream.unknown_documents;
    return;
  }
  Document& doc = it->second;
  std::int64_t answered = 0;
  if (version) {
    server_sends_versions_ = true;
    answered = *version;
  } else if (server_sends_versions_) {
    ++tally_.stream.unversioned_ignored;
    return;
  } else {
    ++tally_.stream.unversioned_matched;
    answered = doc.max_sent;
  }
  if (answered > doc.max_sent) {
    ++tally_.stream.future_publishes;
    return;
  }
  auto end = doc.pending.upper_bound(answered);
  if (end == doc.pending.begin()) {
    auto lost = doc.lost.find(answered);
    if (lost != doc.lost.end()) {
      ++tally_.series[series_of(lost->second)].late;
      doc.lost.erase(lost);
    } else {
      ++tally_.stream.republishes;
    }
    return;
  }
  for (auto e = doc.pending.begin(); e != end; ++e) {
    SeriesTally& series = tally_.series[series_of(e->second.kind)];
    if (e->first == answered) {
      series.samples.push_back(
          {t_ns - e->second.start_ns, e->second.start_ns, e->first, e->second.pass});
    } else {
      ++series.superseded;
    }
  }
  doc.pending.erase(doc.pending.begin(), end);
}

void Matcher::expire(std::int64_t now_ns, std::int64_t timeout_ns) {
  for (auto it = requests_.begin(); it != requests_.end();) {
    if (now_ns - it->second.start_ns >= timeout_ns) {
      ++tally_.series[it->second.method].lost;
      lost_requests_[it->first] = it->second.method;
      it = requests_.erase(it);
    } else {
      ++it;
    }
  }
  for (auto& [uri, doc] : documents_) {
    for (auto it = doc.pending.begin(); it != doc.pending.end();) {
      if (now_ns - it->second.start_ns >= timeout_ns) {
        ++tally_.series[series_of(it->second.kind)].lost;
        doc.lost[it->first] = it->second.kind;
        it = doc.pending.erase(it);
      } else {
        ++it;
      }
    }
  }
}

void Matcher::finish() {
  expire(INT64_MAX, 0);
}

std::size_t Matcher::pending() const {
  std::size_t n = requests_.size();
  for (const auto& [uri, doc] : documents_) n += doc.pending.size();
  return n;
}

std::optional<std::int64_t> Matcher::oldest_pending() const {
  std::optional<std::int64_t> oldest;
  auto consider = [&](std::int64_t t) { oldest = oldest ? std::min(*oldest, t) : t; };
  for (const auto& [id, r] : requests_) consider(r.start_ns);
  for (const auto& [uri, doc] : documents_) {
    for (const auto& [version, e] : doc.pending) consider(e.start_ns);
  }
  return oldest;
}

Tally Matcher::take_tally() {
  Tally taken = std::move(tally_);
  tally_ = Tally{};
  return taken;
}

}  // namespace perfectex::replay
