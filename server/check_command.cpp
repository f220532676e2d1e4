#include "server/check_command.h"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "lexer/lexer.h"
#include "protocol/jsonrpc.h"
#include "server/analyzer.h"
#include "server/check_json.h"
#include "server/document_kind.h"
#include "server/project.h"
#include "server/project_check.h"
#include "server/project_config.h"
#include "server/read_file.h"
#include "validators/fixer.h"
#include "validators/render.h"

namespace perfectex::server {
namespace {

using nlohmann::json;

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
std::size_t fix_text(Analyzer& analyzer, const std::string& name, std::string& text,
                     const validators::RuleConfig& config) {
  std::size_t total = 0;
  for (int round = 0; round < 16; ++round) {
    auto doc = std::make_shared<Snapshot>();
    doc->uri = name;
    doc->text = text;
    AnalysisResult result = analyzer.analyze(doc, config);
    std::size_t applied = validators::apply_safe_fixes(text, result.diagnostics, config);
    if (applied == 0) break;
    total += applied;
  }
  return total;
}

// The path to print for a file the user did not name: relative to the current directory.
std::string display_name(const fs::path& path) {
  std::error_code ec;
  fs::path cwd = fs::current_path(ec);
  return ec ? path.string() : path.lexically_proximate(cwd).string();
}

class Check {
 public:
  explicit Check(const CheckOptions& options) : options_(options) {}

  int run() {
    for (const std::string& name : options_.files) preload(name);
    for (const std::string& name : options_.files) plan(name);
    if (options_.fix) fix_all();
    for (Entry& entry : entries_) report(entry);
    if (options_.json) {
      std::cout << (out_.empty() ? "[" : out_) << "]\n";
    } else if (counts_[1] + counts_[2] + counts_[3] + counts_[4] > 0) {
      std::cout << counts_[1] << " error(s), " << counts_[2] << " warning(s), "
                << counts_[3] + counts_[4] << " information in " << entries_.size() << " file(s)\n";
    }
    if (unreadable_) return 2;
    return any_error_ ? 1 : 0;
  }

 private:
  // One file to check: a file named on the command line or one that a named file reads.
  struct Entry {
    std::string name;  ///< as printed
    fs::path path;     ///< normalised
    fs::path root;     ///< the root of its document; empty for a .bib file
  };

  static fs::path normal(const fs::path& p) { return fs::absolute(p).lexically_normal(); }

  // The workspace of a file: the folder given with --workspace when the file is inside it, else
  // the current directory when it is inside that, else the file's own folder.
  ProjectWorkspace& workspace_for(const fs::path& file) {
    fs::path folder = file.parent_path();
    for (const std::string& candidate : {options_.workspace, std::string(".")}) {
      if (candidate.empty()) continue;
      fs::path dir = normal(candidate);
      fs::path rel = file.lexically_relative(dir);
      if (!rel.empty() && *rel.begin() != "..") {
        folder = dir;
        break;
      }
    }
    auto& ws = workspaces_[folder];
    if (!ws) ws = std::make_unique<ProjectWorkspace>(folder);
    return *ws;
  }

  const Project& project(ProjectWorkspace& ws, const fs::path& root) {
    auto it = projects_.find(root);
    if (it == projects_.end()) it = projects_.emplace(root, ws.build(root)).first;
    return it->second;
  }

  void add(std::string name, const fs::path& path, const fs::path& root) {
    if (!planned_.insert(path).second) return;
    entries_.push_back({std::move(name), path, root});
  }

  // The named file and, for a LaTeX file, every file it reads, in reading order.
  // Every named file is analysed before any root is looked for, and its facts are the
  // project's: looking for roots reads the workspace's files, and the named ones are not lexed
  // again for it.
  void preload(const std::string& name) {
    if (document_kind("", name) == DocumentKind::Bibtex) return;
    fs::path p = normal(name);
    if (const Analysis* a = analyse({name, p, {}}, nullptr)) {
      workspace_for(p).set_buffer(
          p, std::shared_ptr<const std::string>(a->result.snapshot, &a->result.snapshot->text),
          a->result.facts,
          std::shared_ptr<const LineIndex>(a->result.snapshot, &a->result.snapshot->lines));
    }
  }

  void plan(const std::string& name) {
    fs::path p = normal(name);
    if (document_kind("", name) == DocumentKind::Bibtex) return add(name, p, {});
    ProjectWorkspace& ws = workspace_for(p);
    const ProjectFile* f = ws.file(p);
    if (f == nullptr) return add(name, p, p);  // reported as unreadable
    // A file with its own \documentclass compiles alone: no need to look for its includers.
    fs::path root = f->facts->documentclass && f->facts->magic_root.empty() ? p : ws.root_of(p);
    const Project* doc = &project(ws, root);
    auto node = std::find_if(doc->nodes.begin(), doc->nodes.end(),
                             [&](const ProjectNode& n) { return n.file == p; });
    if (node == doc->nodes.end()) {
      root = p;
      doc = &project(ws, root);
      node = doc->nodes.begin();
    }
    std::size_t first = static_cast<std::size_t>(node - doc->nodes.begin());
    std::vector<std::size_t> pending{first};
    while (!pending.empty()) {
      std::size_t n = pending.back();
      pending.pop_back();
      const ProjectNode& at = doc->nodes[n];
      add(at.file == p ? name : display_name(at.file), at.file, root);
      for (auto it = at.includes.rbegin(); it != at.includes.rend(); ++it) {
        if (it->node != validators::kNotRead) pending.push_back(it->node);
      }
    }
    // The whole document is read from its root, BibTeX's databases too.
    if (first != 0) return;
    for (const fs::path& bib : doc->bibliographies) {
      if (ws.inside(bib)) add(display_name(bib), bib, root);
    }
  }

  std::optional<std::string> read(const Entry& entry) {
    auto too_large = [&] {
      std::cerr << "perfectex: " << entry.name << " is larger than 4 GiB; skipped\n";
      unreadable_ = true;
      return std::nullopt;
    };
    std::error_code ec;  // too large is known from the size, before anything is read
    if (std::filesystem::file_size(entry.path, ec) > lexer::kMaxDocumentBytes && !ec)
      return too_large();
    std::optional<std::string> text = read_file(entry.path);
    if (!text) {
      std::cerr << "perfectex: cannot read " << entry.name << "\n";
      unreadable_ = true;
      return std::nullopt;
    }
    if (text->size() > lexer::kMaxDocumentBytes) return too_large();  // it grew, or is a pipe
    return text;
  }

  // Fixes every file first: the project's positions are read afterwards.
  void fix_all() {
    for (Entry& entry : entries_) {
      std::optional<std::string> text = read(entry);
      if (!text) continue;
      std::size_t fixed =
          fix_text(analyzer_, entry.name, *text, configs_.for_file(entry.path).rules);
      if (fixed == 0) continue;
      std::ofstream out(entry.path, std::ios::binary | std::ios::trunc);
      out << *text;
      if (!out) {
        std::cerr << "perfectex: cannot write " << entry.name << "\n";
        unreadable_ = true;
        continue;
      }
      std::cerr << "perfectex: " << entry.name << ": applied " << fixed << " fix(es)\n";
      analysed_.erase(entry.path);
      if (!entry.root.empty()) workspace_for(entry.root).drop_buffer(entry.path);
    }
    projects_.clear();
    findings_.clear();
  }

  // The project's findings for the document rooted at root, under the root's configuration.
  const ProjectFindings& findings(const fs::path& root) {
    auto it = findings_.find(root);
    if (it == findings_.end()) {
      ProjectWorkspace& ws = workspace_for(root);
      it = findings_
               .emplace(root, check_project(ws, project(ws, root), configs_.for_file(root).rules))
               .first;
    }
    return it->second;
  }

  // A file of a project, with its lines, to print a related location in.
  const Snapshot& snapshot_of(const fs::path& path, ProjectWorkspace& ws) {
    auto& doc = related_[path];
    if (!doc) {
      doc = std::make_unique<Snapshot>();
      const ProjectFile* f = ws.file(path);
      doc->text = f != nullptr ? *f->text : std::string();
      doc->lines = LineIndex(doc->text);
    }
    return *doc;
  }

  // What the project tells a file's analysis: the definitions made before LaTeX reads it, or
  // for a .bib file the @strings of the databases read before it.
  ContextPtr context_of(const Entry& entry) {
    ProjectWorkspace& ws = workspace_for(entry.root);
    const Project& proj = project(ws, entry.root);
    auto context = std::make_shared<AnalysisContext>();
    for (std::size_t n = 0; n < proj.nodes.size(); ++n) {
      if (proj.nodes[n].file != entry.path) continue;
      std::string definitions = ws.definitions_before(proj, n);
      if (definitions.empty()) return nullptr;
      context->prelude = lexer::expand::make_prelude(std::move(definitions));
      return context;
    }
    for (const fs::path& bib : proj.bibliographies) {
      if (bib == entry.path) break;
      if (const BibDocument* doc = ws.bib(bib)) {
        for (const validators::BibSymbol& s : doc->summary.strings) {
          context->bib_strings.push_back(s.name);
        }
      }
    }
    return context->bib_strings.empty() ? nullptr : context;
  }

  // A file's analysis, kept: a named file is analysed while its project is planned, and that
  // analysis is the one reported when the project gives it no context.
  struct Analysis {
    AnalysisResult result;
    double total_ms = 0;
  };

  const Analysis* analyse(const Entry& entry, ContextPtr context) {
    auto kept = analysed_.find(entry.path);
    if (kept != analysed_.end() && kept->second.result.context == context) return &kept->second;
    std::optional<std::string> text = read(entry);
    if (!text) return nullptr;
    auto doc = std::make_shared<Snapshot>();
    doc->uri = entry.name;
    doc->text = std::move(*text);
    doc->lines = LineIndex(doc->text);
    auto t0 = std::chrono::steady_clock::now();
    Analysis a;
    a.result = analyzer_.analyze(doc, configs_.for_file(entry.path).rules, std::move(context));
    a.total_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return &(analysed_[entry.path] = std::move(a));
  }

  void report(const Entry& entry) {
    const ProjectConfig& config = configs_.for_file(entry.path);
    const Analysis* analysis = analyse(entry, entry.root.empty() ? nullptr : context_of(entry));
    if (analysis == nullptr) return;
    const AnalysisResult& result = analysis->result;
    const Snapshot* doc = result.snapshot.get();
    double total_ms = analysis->total_ms;

    // The file's own diagnostics less what its project shows wrong, and the project's about it.
    CheckSource self{entry.name, doc, result.prelude_text()};
    std::vector<std::pair<validators::Diagnostic, CheckSource>> found;
    if (!entry.root.empty()) {
      ProjectWorkspace& ws = workspace_for(entry.root);
      const Project& proj = project(ws, entry.root);
      const ProjectFindings& project_findings = findings(entry.root);
      // The file's index among the project's files: its nodes, then its bibliographies.
      std::size_t node = 0;
      while (node < proj.nodes.size() && proj.nodes[node].file != entry.path) ++node;
      if (node == proj.nodes.size()) {
        auto bib = std::find(proj.bibliographies.begin(), proj.bibliographies.end(), entry.path);
        node += static_cast<std::size_t>(bib - proj.bibliographies.begin());
      }
      std::span<const validators::Waiver> waivers;
      if (node < project_findings.waivers.size()) waivers = project_findings.waivers[node];
      for (const validators::Diagnostic& d : result.diagnostics) {
        if (!validators::waived(waivers, d)) found.emplace_back(d, self);
      }
      for (const validators::ProjectDiagnostic& p : project_findings.diagnostics) {
        if (p.file != node) continue;
        CheckSource related = self;
        if (p.diagnostic.has_related && p.related_file != node) {
          const fs::path& other = proj.nodes[p.related_file].file;
          related = {display_name(other), &snapshot_of(other, ws), {}};
        }
        found.emplace_back(p.diagnostic, related);
      }
      std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
        return a.first.range.begin < b.first.range.begin;
      });
    } else {
      for (const validators::Diagnostic& d : result.diagnostics) found.emplace_back(d, self);
    }

    // A file's object, its keys in nlohmann's order: configuration, diagnostics, file, stats.
    if (options_.json) {
      out_ += out_.empty() ? "[{" : ",{";
      if (!config.path.empty()) {
        out_ += "\"configuration\":";
        out_ += protocol::dump_json(
            json{{"file", config.path.string()}, {"problems", config.problems}});
        out_ += ',';
      }
      out_ += "\"diagnostics\":[";
    }
    for (std::size_t k = 0; k < found.size(); ++k) {
      if (options_.json && k > 0) out_ += ',';
      print(self, found[k].first, found[k].second);
    }
    if (options_.json) {
      out_ += "],\"file\":";
      out_ += protocol::dump_json(entry.name);
    }
    if (options_.stats) {
      if (options_.json) {
        out_ += ",\"stats\":";
        out_ += protocol::dump_json(json{{"bytes", doc->text.size()},
                                         {"tokens", result.token_count},
                                         {"lex_ms", result.lex_ms},
                                         {"rules_ms", result.rules_ms},
                                         {"total_ms", total_ms},
                                         {"arena_growths", result.arena_growths}});
      } else {
        std::fprintf(stderr,
                     "%s: %zu bytes, %zu tokens, lex %.3f ms, rules %.3f ms, total %.3f ms, "
                     "%u arena growths\n",
                     entry.name.c_str(), doc->text.size(), result.token_count, result.lex_ms,
                     result.rules_ms, total_ms, result.arena_growths);
      }
    }
    if (options_.json) out_ += '}';
    analysed_.erase(entry.path);
  }

  void print(const CheckSource& at, const validators::Diagnostic& d, const CheckSource& related) {
    any_error_ |= d.severity == validators::Severity::Error;
    ++counts_[static_cast<int>(d.severity)];
    if (options_.json) {
      append_diagnostic_json(out_, at, d, related);
      return;
    }
    const Snapshot& doc = *at.doc;
    LineCol where = line_col(doc, d.range.begin);
    std::cout << at.name << ":" << where.line << ":" << where.column << ": "
              << severity_name(d.severity) << ": "
              << validators::render_message(d, doc.text, at.prelude) << " ["
              << validators::rule_info(d.rule).name << "]\n";
    if (options_.caret) print_caret(doc, d.range);
    if (d.has_related) {
      LineCol r = line_col(*related.doc, d.related.begin);
      std::cout << related.name << ":" << r.line << ":" << r.column
                << ": note: " << validators::render_related_message(d, doc.text, at.prelude)
                << "\n";
      if (options_.caret) print_caret(*related.doc, d.related);
    }
  }

  const CheckOptions& options_;
  Analyzer analyzer_;
  Configs configs_;
  std::map<fs::path, std::unique_ptr<ProjectWorkspace>> workspaces_;
  std::map<fs::path, Project> projects_;
  std::map<fs::path, ProjectFindings> findings_;
  std::map<fs::path, std::unique_ptr<Snapshot>> related_;
  std::map<fs::path, Analysis> analysed_;
  std::set<fs::path> planned_;
  std::vector<Entry> entries_;
  std::string out_;  ///< what --format json prints at the end
  std::size_t counts_[5] = {};
  bool any_error_ = false, unreadable_ = false;
};

}  // namespace

int run_check(const CheckOptions& options) {
  return Check(options).run();
}

}  // namespace perfectex::server
