#include "server/check_command.h"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "lexer/lexer.h"
#include "protocol/jsonrpc.h"
#include "server/analyzer.h"
#include "server/project_config.h"
#include "validators/fixer.h"
#include "validators/render.h"

namespace perfectex::server {
namespace {

using nlohmann::json;

std::string_view severity_name(validators::Severity s) {
  switch (s) {
    case validators::Severity::Error:
      return "error";
    case validators::Severity::Warning:
      return "warning";
    case validators::Severity::Information:
      return "info";
    case validators::Severity::Hint:
      return "hint";
  }
  return "error";
}

struct LineCol {
  std::size_t line;    // 1-based
  std::size_t column;  // 1-based, in bytes
};

LineCol line_col(const Snapshot& doc, std::uint32_t offset) {
  std::size_t line = doc.lines.line_of(offset);
  return {line + 1, offset - doc.lines.line_start(line) + 1};
}

void print_caret(const Snapshot& doc, validators::Span span) {
  std::size_t line = doc.lines.line_of(span.begin);
  std::uint32_t start = doc.lines.line_start(line);
  std::uint32_t end = doc.lines.line_end(doc.text, line);
  std::string_view source = std::string_view(doc.text).substr(start, end - start);
  std::string marker;
  for (std::uint32_t i = start; i < span.begin; ++i) {
    char ch = doc.text[i];
    if (ch == '\t') {
      marker += '\t';
    } else if ((static_cast<unsigned char>(ch) & 0xC0) != 0x80) {
      marker += ' ';  // one column per UTF-8 character
    }
  }
  marker += '^';
  for (std::uint32_t i = span.begin + 1; i < span.end && i < end; ++i) {
    if ((static_cast<unsigned char>(doc.text[i]) & 0xC0) != 0x80) marker += '~';
  }
  std::cout << "  " << source << "\n  " << marker << "\n";
}

json diagnostic_json(const Snapshot& doc, const validators::Diagnostic& d) {
  LineCol begin = line_col(doc, d.range.begin), end = line_col(doc, d.range.end);
  json out{{"line", begin.line},
           {"column", begin.column},
           {"endLine", end.line},
           {"endColumn", end.column},
           {"offset", d.range.begin},
           {"length", d.range.end - d.range.begin},
           {"severity", severity_name(d.severity)},
           {"rule", validators::rule_info(d.rule).name},
           {"message", validators::render_message(d, doc.text)}};
  if (d.has_related) {
    LineCol r = line_col(doc, d.related.begin);
    out["related"] = {{"line", r.line},
                      {"column", r.column},
                      {"message", validators::render_related_message(d, doc.text)}};
  }
  if (auto fix = validators::make_fix(d, doc.text)) {
    json edits = json::array();
    for (const auto& e : fix->edits) {
      edits.push_back({{"offset", e.range.begin},
                       {"length", e.range.end - e.range.begin},
                       {"newText", e.new_text}});
    }
    out["fix"] = {{"title", fix->title}, {"edits", edits}};
  }
  return out;
}

// The configuration for a file: its project file's, each project file read (and its problems
// reported) once.
class Configs {
 public:
  const ProjectConfig& for_file(const std::string& path) {
    std::optional<std::filesystem::path> file = find_project_config(path);
    if (!file) return defaults_;
    auto it = loaded_.find(file->string());
    if (it == loaded_.end()) {
      it = loaded_.emplace(file->string(), load_project_config(*file)).first;
      for (const std::string& problem : it->second.problems)
        std::cerr << "perfectex: " << problem << "\n";
    }
    return it->second;
  }

 private:
  ProjectConfig defaults_;
  std::map<std::string, ProjectConfig> loaded_;
};

// Applies safe fixes round after round (a fix can make another one possible); returns how many.
std::size_t fix_text(Analyzer& analyzer, std::string& text, const validators::RuleConfig& config) {
  std::size_t total = 0;
  for (int round = 0; round < 16; ++round) {
    auto doc = std::make_shared<Snapshot>();
    doc->text = text;
    AnalysisResult result = analyzer.analyze(doc, config);
    std::size_t applied = validators::apply_safe_fixes(text, result.diagnostics, config);
    if (applied == 0) break;
    total += applied;
  }
  return total;
}

}  // namespace

int run_check(const CheckOptions& options) {
  Analyzer analyzer;
  Configs configs;
  json report = json::array();
  bool any_error = false, unreadable = false;
  std::size_t counts[5] = {};
  for (const std::string& path : options.files) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::cerr << "perfectex: cannot read " << path << "\n";
      unreadable = true;
      continue;
    }
    std::ostringstream buffer;
    buffer << in.rdbuf();
    auto doc = std::make_shared<Snapshot>();
    doc->uri = path;
    doc->text = std::move(buffer).str();
    if (doc->text.size() > lexer::kMaxDocumentBytes) {
      std::cerr << "perfectex: " << path << " is larger than 4 GiB; skipped\n";
      unreadable = true;
      continue;
    }
    const ProjectConfig& project = configs.for_file(path);
    const validators::RuleConfig& config = project.rules;
    if (options.fix) {
      std::size_t fixed = fix_text(analyzer, doc->text, config);
      if (fixed > 0) {
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out << doc->text;
        if (!out) {
          std::cerr << "perfectex: cannot write " << path << "\n";
          unreadable = true;
          continue;
        }
        std::cerr << "perfectex: " << path << ": applied " << fixed << " fix(es)\n";
      }
    }
    doc->lines = LineIndex(doc->text);
    analyzer.reserve_for(doc->text.size());
    auto t0 = std::chrono::steady_clock::now();
    AnalysisResult result = analyzer.analyze(doc, config);
    double total_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();

    json file{{"file", path}, {"diagnostics", json::array()}};
    if (!project.path.empty()) {
      file["configuration"] = {{"file", project.path.string()}, {"problems", project.problems}};
    }
    for (const validators::Diagnostic& d : result.diagnostics) {
      any_error |= d.severity == validators::Severity::Error;
      ++counts[static_cast<int>(d.severity)];
      if (options.json) {
        file["diagnostics"].push_back(diagnostic_json(*doc, d));
        continue;
      }
      LineCol at = line_col(*doc, d.range.begin);
      std::cout << path << ":" << at.line << ":" << at.column << ": " << severity_name(d.severity)
                << ": " << validators::render_message(d, doc->text) << " ["
                << validators::rule_info(d.rule).name << "]\n";
      if (options.caret) print_caret(*doc, d.range);
      if (d.has_related) {
        LineCol r = line_col(*doc, d.related.begin);
        std::cout << path << ":" << r.line << ":" << r.column
                  << ": note: " << validators::render_related_message(d, doc->text) << "\n";
        if (options.caret) print_caret(*doc, d.related);
      }
    }
    if (options.stats) {
      json stats{{"bytes", doc->text.size()},
                 {"tokens", result.token_count},
                 {"lex_ms", result.lex_ms},
                 {"rules_ms", result.rules_ms},
                 {"total_ms", total_ms}};
      if (options.json) {
        file["stats"] = stats;
      } else {
        std::fprintf(stderr,
                     "%s: %zu bytes, %zu tokens, lex %.3f ms, rules %.3f ms, total %.3f ms\n",
                     path.c_str(), doc->text.size(), result.token_count, result.lex_ms,
                     result.rules_ms, total_ms);
      }
    }
    report.push_back(std::move(file));
  }
  if (options.json) {
    std::cout << protocol::dump_json(report) << "\n";
  } else if (counts[1] + counts[2] + counts[3] + counts[4] > 0) {
    std::cout << counts[1] << " error(s), " << counts[2] << " warning(s), " << counts[3] + counts[4]
              << " information in " << options.files.size() << " file(s)\n";
  }
  if (unreadable) return 2;
  return any_error ? 1 : 0;
}

}  // namespace perfectex::server
