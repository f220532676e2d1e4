#include "tools/replay/run_result.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace perfectex::replay {
namespace {

double to_ms(std::int64_t ns) {
  return static_cast<double>(ns) / 1e6;
}
std::int64_t from_ms(double ms) {
  return static_cast<std::int64_t>(ms * 1e6 + (ms >= 0 ? 0.5 : -0.5));
}

json series_json(const SeriesResult& s, bool with_samples) {
  const LatencySummary& sum = s.summary;
  const SeriesTally& t = s.tally;
  json j{{"count", sum.count}, {"min_ms", to_ms(sum.min)}, {"mean_ms", sum.mean / 1e6}};
  for (std::size_t i = 0; i < kReportedPercentiles.size(); ++i) {
    j[std::string(kReportedPercentiles[i].key) + "_ms"] = to_ms(sum.values[i]);
  }
  j.update(json{{"sent", t.sent},
                {"errors", t.errors},
                {"lost", t.lost},
                {"superseded", t.superseded},
                {"abandoned", t.abandoned},
                {"cancelled", t.cancelled},
                {"late", t.late}});
  json codes = json::object();
  for (const auto& [code, n] : t.error_codes) codes[std::to_string(code)] = n;
  j["error_codes"] = std::move(codes);
  j["error_messages"] = t.error_messages;
  if (with_samples) {
    json samples = json::array();
    for (const Sample& x : t.samples) samples.push_back({x.latency_ns, x.start_ns, x.ref, x.pass});
    j["samples"] = std::move(samples);
  }
  return j;
}

SeriesResult series_from_json(const json& j) {
  SeriesResult s;
  SeriesTally& t = s.tally;
  t.sent = j.value("sent", 0ull);
  t.errors = j.value("errors", 0ull);
  t.lost = j.value("lost", 0ull);
  t.superseded = j.value("superseded", 0ull);
  t.abandoned = j.value("abandoned", 0ull);
  t.cancelled = j.value("cancelled", 0ull);
  t.late = j.value("late", 0ull);
  const json codes = j.value("error_codes", json::object());
  for (const auto& [code, n] : codes.items()) {
    t.error_codes[std::stoi(code)] = n.get<std::uint64_t>();
  }
  t.error_messages = j.value("error_messages", std::vector<std::string>{});
  if (auto samples = j.find("samples"); samples != j.end()) {
    for (const auto& x : *samples) {
      t.samples.push_back({x.at(0).get<std::int64_t>(), x.at(1).get<std::int64_t>(),
                           x.at(2).get<std::int64_t>(), x.at(3).get<std::uint32_t>()});
    }
  }
  if (!t.samples.empty()) {
    std::vector<std::int64_t> latencies;
    for (const Sample& x : t.samples) latencies.push_back(x.latency_ns);
    s.summary = summarize(latencies);
  } else {
    s.summary.count = j.value("count", 0ull);
    s.summary.min = from_ms(j.value("min_ms", 0.0));
    s.summary.mean = j.value("mean_ms", 0.0) * 1e6;
    for (std::size_t i = 0; i < kReportedPercentiles.size(); ++i) {
      s.summary.values[i] = from_ms(j.value(std::string(kReportedPercentiles[i].key) + "_ms", 0.0));
    }
  }
  return s;
}

template <typename T>
json counts_json(const std::map<std::string, T>& m) {
  json j = json::object();
  for (const auto& [k, v] : m) j[k] = v;
  return j;
}

std::map<std::string, std::uint64_t> counts_from_json(const json& j, const char* key) {
  std::map<std::string, std::uint64_t> m;
  const json counts = j.value(key, json::object());
  for (const auto& [k, v] : counts.items()) m[k] = v.get<std::uint64_t>();
  return m;
}

}  // namespace

void RunResult::set_tally(Tally tally) {
  series.clear();
  for (auto& [name, t] : tally.series) {
    std::vector<std::int64_t> latencies;
    latencies.reserve(t.samples.size());
    for (const Sample& x : t.samples) latencies.push_back(x.latency_ns);
    series[name] = SeriesResult{summarize(latencies), std::move(t)};
  }
  stream = tally.stream;
}

std::uint64_t RunResult::total_lost() const {
  std::uint64_t lost = stream.future_publishes + stream.unmatched_replies + warmup_lost;
  for (const auto& [name, s] : series) lost += s.tally.lost;
  return lost;
}

std::uint64_t RunResult::total_errors() const {
  std::uint64_t errors = warmup_errors;
  for (const auto& [name, s] : series) errors += s.tally.errors;
  return errors;
}

std::optional<HedgeCounts> RunResult::hedges() const {
  if (!server_stats.is_object() || !server_stats.contains("hedges_fired")) return std::nullopt;
  HedgeCounts h;
  h.fired = server_stats.value("hedges_fired", 0ull);
  h.won = server_stats.value("hedges_won", 0ull);
  h.analyses = server_stats.value("analyses", server_stats.value("edits", 0ull));
  return h;
}

std::optional<std::int64_t> RunResult::rss_drift_bytes() const {
  if (rss.size() < 2) return std::nullopt;
  return static_cast<std::int64_t>(rss.back().rss_bytes) -
         static_cast<std::int64_t>(rss.front().rss_bytes);
}

std::string series_label(const std::string& name) {
  if (name == kEditSeries) return "edit -> diagnostics";
  if (name == kOpenSeries) return "open -> diagnostics";
  return name;
}

std::vector<std::string> series_order(const RunResult& run) {
  std::vector<std::string> order;
  for (const char* first : {kEditSeries, kOpenSeries}) {
    if (run.series.count(first) != 0) order.emplace_back(first);
  }
  for (const auto& [name, s] : run.series) {
    if (name != kEditSeries && name != kOpenSeries) order.push_back(name);
  }
  return order;
}

json to_json(const RunResult& run, bool with_samples) {
  json j{{"format", kRunFormat},   {"version", 1},
         {"time", run.time},       {"commit", run.commit},
         {"session", run.session}, {"corpus", run.corpus},
         {"bytes", run.bytes},     {"tokens", run.tokens ? json(*run.tokens) : json(nullptr)},
         {"server", run.server},   {"pace", run.pace},
         {"speed", run.speed},     {"warmup", run.warmup},
         {"passes", run.passes},   {"wall_s", run.wall_s}};
  json series = json::object();
  for (const auto& [name, s] : run.series) series[name] = series_json(s, with_samples);
  j["series"] = std::move(series);
  j["lost"] = run.total_lost();
  j["errors"] = run.total_errors();
  const StreamTally& st = run.stream;
  j["stream"] = json{{"publishes", st.publishes},
                     {"future_publishes", st.future_publishes},
                     {"unmatched_replies", st.unmatched_replies},
                     {"republishes", st.republishes},
                     {"unversioned_matched", st.unversioned_matched},
                     {"unversioned_ignored", st.unversioned_ignored},
                     {"unknown_documents", st.unknown_documents},
                     {"frame_errors", run.frame_errors},
                     {"unsent", run.unsent},
                     {"warmup_lost", run.warmup_lost},
                     {"warmup_errors", run.warmup_errors}};
  j["skipped_requests"] = counts_json(run.skipped_requests);
  j["server_requests"] = counts_json(run.server_requests);
  j["server_notifications"] = counts_json(run.server_notifications);
  if (run.memory) {
    j["rss_bytes"] = run.memory->rss_bytes;
    j["peak_rss_bytes"] = run.memory->peak_rss_bytes;
  } else {
    j["rss_bytes"] = nullptr;
    j["peak_rss_bytes"] = nullptr;
  }
  json rss = json::array();
  for (const RssSample& r : run.rss)
    rss.push_back({{"t_s", r.t_s}, {"rss_bytes", r.rss_bytes}, {"pass", r.pass}});
  j["rss_samples"] = std::move(rss);
  auto drift = run.rss_drift_bytes();
  j["rss_drift_bytes"] = drift ? json(*drift) : json(nullptr);
  if (auto h = run.hedges()) {
    j["hedges"] = json{{"fired", h->fired}, {"won", h->won}, {"analyses", h->analyses}};
  } else {
    j["hedges"] = nullptr;
  }
  j["server_stats"] = run.server_stats;
  j["server_exit"] = run.server_exit ? json(*run.server_exit) : json(nullptr);
  return j;
}

RunResult run_from_json(const json& j) {
  if (!j.is_object() || j.value("format", "") != kRunFormat) {
    throw std::runtime_error("not a perfectex-replay run (\"format\" is not \"" +
                             std::string(kRunFormat) + "\")");
  }
  RunResult run;
  run.time = j.value("time", "");
  run.commit = j.value("commit", "");
  run.session = j.value("session", "");
  run.corpus = j.value("corpus", "");
  run.bytes = j.value("bytes", 0ull);
  if (j.contains("tokens") && j["tokens"].is_number())
    run.tokens = j["tokens"].get<std::uint64_t>();
  run.server = j.value("server", json::object());
  run.pace = j.value("pace", "");
  run.speed = j.value("speed", 1.0);
  run.warmup = j.value("warmup", 0u);
  run.passes = j.value("passes", 0u);
  run.wall_s = j.value("wall_s", 0.0);
  const json series = j.value("series", json::object());
  for (const auto& [name, s] : series.items()) {
    run.series[name] = series_from_json(s);
  }
  const json stream = j.value("stream", json::object());
  run.stream.publishes = stream.value("publishes", 0ull);
  run.stream.future_publishes = stream.value("future_publishes", 0ull);
  run.stream.unmatched_replies = stream.value("unmatched_replies", 0ull);
  run.stream.republishes = stream.value("republishes", 0ull);
  run.stream.unversioned_matched = stream.value("unversioned_matched", 0ull);
  run.stream.unversioned_ignored = stream.value("unversioned_ignored", 0ull);
  run.stream.unknown_documents = stream.value("unknown_documents", 0ull);
  run.frame_errors = stream.value("frame_errors", 0ull);
  run.unsent = stream.value("unsent", 0ull);
  run.warmup_lost = stream.value("warmup_lost", 0ull);
  run.warmup_errors = stream.value("warmup_errors", 0ull);
  run.skipped_requests = counts_from_json(j, "skipped_requests");
  run.server_requests = counts_from_json(j, "server_requests");
  run.server_notifications = counts_from_json(j, "server_notifications");
  if (j.contains("rss_bytes") && j["rss_bytes"].is_number()) {
    run.memory = ProcMemory{j["rss_bytes"].get<std::uint64_t>(), j.value("peak_rss_bytes", 0ull)};
  }
  for (const auto& r : j.value("rss_samples", json::array())) {
    run.rss.push_back({r.value("t_s", 0.0), r.value("rss_bytes", 0ull), r.value("pass", 0u)});
  }
  run.server_stats = j.value("server_stats", json(nullptr));
  if (j.contains("server_exit") && j["server_exit"].is_number())
    run.server_exit = j["server_exit"].get<int>();
  return run;
}

RunResult read_run(const std::string& path) {
  std::filesystem::path file(path);
  if (std::filesystem::is_directory(file)) file /= "run.json";
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read run '" + file.string() + "'");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    // A metrics file holds one JSON line per run: the last one is used.
    std::size_t end = text.find_last_not_of(" \t\r\n");
    std::size_t begin = end == std::string::npos ? 0 : text.rfind('\n', end);
    begin = begin == std::string::npos ? 0 : begin + 1;
    j = json::parse(text.substr(begin, end == std::string::npos ? 0 : end + 1 - begin), nullptr,
                    /*allow_exceptions=*/false);
  }
  if (j.is_discarded()) throw std::runtime_error("'" + file.string() + "' is not JSON");
  try {
    return run_from_json(j);
  } catch (const json::exception& e) {
    throw std::runtime_error("'" + file.string() + "': " + e.what());
  } catch (const std::runtime_error& e) {
    throw std::runtime_error("'" + file.string() + "': " + e.what());
  }
}

}  // namespace perfectex::replay
