// Projects at workspace scale, on the Stacks project (27 MB, 117 chapter roots sharing one
// preamble): a cold start that opens every chapter (read, analyse, find its root, check its
// project) until every diagnostic is ready, with the RSS it leaves; and a keystroke in one
// chapter while all are open, from the edited text to its publishable diagnostics (analysis and
// project recheck), against the same keystroke with only that chapter open.
#include <benchmark/benchmark.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "server/analyzer.h"
#include "server/file_uri.h"
#include "server/process_info.h"
#include "server/project_service.h"

namespace {

using namespace perfectex;
namespace fs = std::filesystem;

const fs::path kStacks = fs::path(PERFECTEX_CORPUS_DIR) / "stacks";

std::vector<fs::path> chapters() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(kStacks)) {
    if (e.path().extension() == ".tex" && e.path().filename() != "preamble.tex") {
      out.push_back(fs::absolute(e.path()).lexically_normal());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return std::move(s).str();
}

server::SnapshotPtr snapshot(const fs::path& path, std::string text, std::int64_t version) {
  auto snap = std::make_shared<server::Snapshot>();
  snap->uri = server::uri_from_path(path);
  snap->version = version;
  snap->language_id = "latex";
  snap->lines = server::LineIndex(text);
  snap->text = std::move(text);
  return snap;
}

// Opens every chapter into service; returns the number of diagnostics ready to publish.
std::size_t open_all(server::ProjectService& service, server::Analyzer& analyzer,
                     const std::vector<fs::path>& files) {
  validators::RuleConfig config;
  std::size_t diagnostics = 0;
  for (const fs::path& file : files) {
    server::AnalysisResult result = analyzer.analyze(snapshot(file, read(file), 1), config);
    service.on_analysis(result);
    diagnostics += result.diagnostics.size() + service.pieces(result.snapshot->uri).size();
  }
  return diagnostics;
}

void project_cold(benchmark::State& state) {
  std::vector<fs::path> files = chapters();
  std::size_t diagnostics = 0;
  for (auto _ : state) {
    server::ProjectService service;
    service.set_folders({kStacks});
    server::Analyzer analyzer;
    diagnostics = open_all(service, analyzer, files);
  }
  state.counters["chapters"] = static_cast<double>(files.size());
  state.counters["diagnostics"] = static_cast<double>(diagnostics);
  state.counters["rss_mb"] = static_cast<double>(server::resident_set_bytes()) / (1 << 20);
}

// A character typed into sets.tex and deleted again, alternately; all_open: every chapter is
// open in the same service (else only sets.tex).
void project_keystroke(benchmark::State& state, bool all_open) {
  std::vector<fs::path> files = chapters();
  fs::path edited = fs::absolute(kStacks / "sets.tex").lexically_normal();
  server::ProjectService service;
  service.set_folders({kStacks});
  server::Analyzer analyzer;
  if (all_open) {
    open_all(service, analyzer, files);
  }
  std::string before = read(edited);
  std::size_t at = before.find(" the ", before.size() / 2) + 1;
  std::string after;
  after.append(before, 0, at).append("x").append(before, at);
  const server::SnapshotPtr texts[2] = {snapshot(edited, before, 2), snapshot(edited, after, 3)};
  validators::RuleConfig config;
  service.on_analysis(analyzer.analyze(texts[0], config));
  std::size_t i = 1;
  for (auto _ : state) {
    server::AnalysisResult result = analyzer.analyze(texts[i++ % 2], config);
    benchmark::DoNotOptimize(service.on_analysis(result).size());
  }
  state.counters["open_files"] = all_open ? static_cast<double>(files.size()) : 1;
}

BENCHMARK(project_cold)->Name("project_cold/stacks")->Unit(benchmark::kMillisecond)->Iterations(3);
BENCHMARK_CAPTURE(project_keystroke, all_open, true)
    ->Name("project_keystroke/stacks/sets/117_open")
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(project_keystroke, one_open, false)
    ->Name("project_keystroke/stacks/sets/1_open")
    ->Unit(benchmark::kMicrosecond);

}  // namespace
