#include "server/project_service.h"

#include <algorithm>
#include <optional>
#include <set>
#include <utility>

#include "server/document_kind.h"
#include "server/file_uri.h"
#include "server/lsp_convert.h"
#include "server/project_check.h"
#include "server/text_shift.h"

namespace perfectex::server {
namespace {

fs::path normal(const fs::path& p) {
  return fs::absolute(p).lexically_normal();
}

}  // namespace

void ProjectService::set_folders(std::vector<fs::path> folders) {
  checked_.reset();
  folders_.clear();
  for (const fs::path& f : folders) folders_.push_back(normal(f));
  // The innermost folder owns a file.
  std::sort(folders_.begin(), folders_.end(), [](const fs::path& a, const fs::path& b) {
    return a.string().size() > b.string().size();
  });
}

const fs::path* ProjectService::folder_of(const fs::path& file) const {
  for (const fs::path& folder : folders_) {
    fs::path rel = file.lexically_relative(folder);
    if (!rel.empty() && *rel.begin() != "..") return &folder;
  }
  return nullptr;
}

ProjectWorkspace& ProjectService::workspace_for(const fs::path& file) {
  // A file outside every workspace folder stands alone in its directory, which is not searched
  // for the files that include it.
  const fs::path* folder = folder_of(file);
  fs::path key = folder != nullptr ? *folder : file.parent_path();
  auto& ws = workspaces_[key];
  if (!ws) ws = std::make_unique<ProjectWorkspace>(key, folder != nullptr);
  return *ws;
}

std::string ProjectService::uri_of(const fs::path& path) const {
  auto it = open_.find(path);
  return it != open_.end() ? it->second : uri_from_path(path);
}

bool ProjectService::is_open(const std::string& uri) const {
  auto path = path_from_uri(uri);
  return path && open_.count(normal(*path)) != 0;
}

const std::vector<std::string>& ProjectService::pieces(const std::string& uri) const {
  static const std::vector<std::string> kNone;
  auto it = pieces_.find(uri);
  return it == pieces_.end() ? kNone : it->second;
}

std::span<const validators::Waiver> ProjectService::waivers(const std::string& uri) const {
  auto it = waivers_.find(uri);
  if (it == waivers_.end()) return {};
  return it->second;
}

std::vector<std::string> ProjectService::on_analysis(const AnalysisResult& result) {
  const Snapshot& doc = *result.snapshot;
  auto path = path_from_uri(doc.uri);
  if (!path) return {};
  fs::path p = normal(*path);
  if (document_kind(doc.language_id, doc.uri) == DocumentKind::Bibtex) {
    open_[p] = doc.uri;
    return on_bib_buffer(p, doc.text);
  }
  if (result.facts == nullptr) return {};
  open_[p] = doc.uri;
  ProjectWorkspace& ws = workspace_for(p);
  const ProjectFile* old = ws.file(p);
  bool graph_changed = old == nullptr || !old->facts->same_graph(*result.facts);
  ws.set_buffer(p, std::shared_ptr<const std::string>(result.snapshot, &doc.text), result.facts,
                std::shared_ptr<const LineIndex>(result.snapshot, &doc.lines));
  if (graph_changed) {
    // Which file is whose root, and which files a project has, may all have changed.
    roots_.clear();
    projects_.clear();
  }
  if (still_checked(result)) return {};
  auto root = roots_.find(p);
  if (root == roots_.end()) root = roots_.emplace(p, ws.root_of(p)).first;
  return recheck(ws, root->second, projects_.count(root->second) == 0, &result);
}

bool ProjectService::still_checked(const AnalysisResult& result) {
  if (!checked_ || result.facts_moved_from == nullptr ||
      result.facts_moved_from != checked_->facts ||
      checked_->snapshot->uri != result.snapshot->uri) {
    return false;
  }
  const Snapshot& before = *checked_->snapshot;
  const Snapshot& after = *result.snapshot;
  const lexer::TextEdit edit = edit_between(before, after);
  const TextShift shift(before, after, edit);
  auto moved = [&](std::uint32_t& at) {
    std::optional<TextShift::Moved> m = shift.forward(at);
    if (!m || m->moved) return false;
    at = m->offset;
    return true;
  };
  std::vector<validators::Span> shown = checked_->shown;
  for (validators::Span& s : shown) {
    if (!moved(s.begin) || !moved(s.end)) return false;
  }
  // A waiver names its diagnostic by the offset where it starts.
  std::vector<validators::Waiver> waivers = waivers_[after.uri];
  for (validators::Waiver& w : waivers) {
    if (w.at >= edit.begin && w.at < edit.old_end) return false;
    if (w.at >= edit.old_end) w.at = w.at - edit.old_end + edit.new_end;
  }
  waivers_[after.uri] = std::move(waivers);
  checked_ = Checked{result.snapshot, result.facts, std::move(shown)};
  return true;
}

std::vector<std::string> ProjectService::on_bib_buffer(const fs::path& bib, std::string text) {
  workspace_for(bib).set_buffer(bib, std::move(text));
  return recheck_citing(bib);
}

std::vector<std::string> ProjectService::recheck_citing(const fs::path& bib) {
  std::set<std::string> changed;
  std::set<fs::path> rechecked;
  for (const auto& [path, uri] : std::map<fs::path, std::string>(open_)) {
    if (path.extension() == ".bib") continue;
    ProjectWorkspace& ws = workspace_for(path);
    auto root = roots_.find(path);
    if (root == roots_.end()) root = roots_.emplace(path, ws.root_of(path)).first;
    if (!rechecked.insert(root->second).second) continue;
    bool rebuild = projects_.count(root->second) == 0;
    if (rebuild) projects_[root->second] = ws.build(root->second);
    const std::vector<fs::path>& bibs = projects_[root->second].bibliographies;
    if (std::find(bibs.begin(), bibs.end(), bib) == bibs.end()) continue;
    for (std::string& u : recheck(ws, root->second, false)) changed.insert(std::move(u));
  }
  return {changed.begin(), changed.end()};
}

std::vector<std::string> ProjectService::on_close(const std::string& uri) {
  auto path = path_from_uri(uri);
  if (!path) return {};
  fs::path p = normal(*path);
  open_.erase(p);
  contexts_.erase(uri);
  checked_.reset();
  ProjectWorkspace& ws = workspace_for(p);
  ws.drop_buffer(p);
  if (p.extension() == ".bib") return recheck_citing(p);  // the file on disk stands again
  roots_.clear();
  projects_.clear();
  if (folder_of(p) == nullptr || ws.file(p) == nullptr) {
    // Opened on its own, or never saved: nothing of it is left to report.
    bool had = !pieces(uri).empty();
    pieces_.erase(uri);
    waivers_.erase(uri);
    return had ? std::vector<std::string>{uri} : std::vector<std::string>{};
  }
  return recheck(ws, ws.root_of(p), true);
}

std::vector<std::string> ProjectService::on_files_changed(const std::vector<std::string>& uris) {
  std::set<std::string> changed;
  std::vector<fs::path> touched;
  for (const std::string& uri : uris) {
    auto path = path_from_uri(uri);
    if (!path) continue;
    fs::path p = normal(*path);
    if (open_.count(p) != 0) continue;  // the editor's buffer wins
    workspace_for(p).forget(p);
    touched.push_back(p);
  }
  if (touched.empty()) return {};
  checked_.reset();
  roots_.clear();
  projects_.clear();
  // Recheck the projects of the open documents: theirs are the diagnostics users look at.
  std::set<fs::path> rechecked;
  for (const auto& [path, uri] : std::map<fs::path, std::string>(open_)) {
    ProjectWorkspace& ws = workspace_for(path);
    fs::path root = ws.root_of(path);
    roots_[path] = root;
    if (!rechecked.insert(root).second) continue;
    for (std::string& u : recheck(ws, root, true)) changed.insert(std::move(u));
  }
  return {changed.begin(), changed.end()};
}

std::vector<std::pair<std::string, ContextPtr>> ProjectService::take_contexts() {
  return std::exchange(context_changes_, {});
}

void ProjectService::update_contexts(ProjectWorkspace& ws, const fs::path& root,
                                     const Project& project) {
  std::uint64_t hash = 0;
  for (const ProjectNode& node : project.nodes) {
    const ProjectFile* f = ws.file(node.file);
    hash = (hash ^ std::hash<std::string>{}(node.file.string()) ^
            (f != nullptr ? f->facts->definitions_hash : 0)) *
           0x100000001B3ull;
  }
  for (const fs::path& bib : project.bibliographies) {
    hash = (hash ^ std::hash<std::string>{}(bib.string())) * 0x100000001B3ull;
  }
  auto [known, fresh] = definitions_.try_emplace(root, hash);
  bool changed = fresh || known->second != hash;
  known->second = hash;
  // The URI of path when it is open and its context may have to change.
  auto stale = [&](const fs::path& path) -> const std::string* {
    auto open = open_.find(path);
    if (open == open_.end() || (!changed && contexts_.count(open->second) != 0)) return nullptr;
    return &open->second;
  };
  auto set = [&](const std::string& uri, AnalysisContext context) {
    ContextPtr next;
    if (context.prelude || !context.bib_strings.empty())
      next = std::make_shared<const AnalysisContext>(std::move(context));
    auto [it, added] = contexts_.try_emplace(uri);
    if (it->second && next ? *it->second == *next : it->second == next) return;
    it->second = next;
    context_changes_.emplace_back(uri, std::move(next));
  };
  for (std::size_t n = 0; n < project.nodes.size(); ++n) {
    const std::string* uri = stale(project.nodes[n].file);
    if (uri == nullptr) continue;
    AnalysisContext context;
    std::string definitions = ws.definitions_before(project, n);
    if (!definitions.empty()) context.prelude = lexer::expand::make_prelude(std::move(definitions));
    set(*uri, std::move(context));
  }
  // A .bib file may use the @strings of the databases read before it.
  std::vector<std::string> strings;
  for (const fs::path& bib : project.bibliographies) {
    if (const std::string* uri = stale(bib)) {
      AnalysisContext context;
      context.bib_strings = strings;
      set(*uri, std::move(context));
    }
    if (const BibDocument* doc = ws.bib(bib)) {
      for (const validators::BibSymbol& s : doc->summary.strings) strings.push_back(s.name);
    }
  }
}

std::vector<std::string> ProjectService::recheck(ProjectWorkspace& ws, const fs::path& root,
                                                 bool rebuild, const AnalysisResult* reader) {
  checked_.reset();
  ++rechecks_;
  if (rebuild) projects_[root] = ws.build(root);
  const Project& project = projects_[root];
  update_contexts(ws, root, project);
  ProjectFindings found = check_project(ws, project, config_ ? *config_ : validators::RuleConfig{});

  // Serialise per file; every file of the project gets a list, empty ones included, so that a
  // problem fixed elsewhere clears.
  std::map<std::string, std::vector<std::string>> fresh;
  // Diagnostics' files: the project's nodes, then its bibliographies; each looked up once.
  struct FileRef {
    bool resolved = false;
    const std::string* text = nullptr;  ///< null when the file cannot be read
    const LineIndex* lines = nullptr;
    std::optional<LineIndex> own;  ///< the index of a file that is not an editor buffer
    std::string uri;
  };
  std::vector<FileRef> refs(project.nodes.size() + project.bibliographies.size());
  auto ref_of = [&](std::size_t file) -> const FileRef& {
    FileRef& r = refs[file];
    if (r.resolved) return r;
    r.resolved = true;
    const bool node = file < project.nodes.size();
    const fs::path& path =
        node ? project.nodes[file].file : project.bibliographies[file - project.nodes.size()];
    r.uri = uri_of(path);
    if (node) {
      const ProjectFile* f = ws.file(path);
      if (f == nullptr) return r;
      r.text = f->text.get();
      r.lines = f->lines.get();  // an editor buffer's
    } else {
      const BibDocument* bib = ws.inside(path) ? ws.bib(path) : nullptr;
      if (bib == nullptr) return r;
      r.text = &bib->text;
    }
    if (r.lines == nullptr) r.lines = &r.own.emplace(*r.text);
    return r;
  };
  std::map<std::string, std::vector<validators::Waiver>> waivers;
  std::vector<validators::Span> shown;  // what the reader's text shows
  for (std::size_t n = 0; n < project.nodes.size(); ++n) {
    std::string uri = uri_of(project.nodes[n].file);
    fresh[uri];
    waivers[uri] = std::move(found.waivers[n]);
  }
  for (const fs::path& bib : project.bibliographies) {
    if (ws.inside(bib)) fresh[uri_of(bib)];
  }
  for (const validators::ProjectDiagnostic& p : found.diagnostics) {
    const FileRef& file = ref_of(p.file);
    if (file.text == nullptr) continue;
    const FileSite at{file.uri, *file.text, *file.lines};
    const FileRef* related = p.diagnostic.has_related ? &ref_of(p.related_file) : nullptr;
    std::string out;
    if (related != nullptr && related->text != nullptr) {
      const FileSite site{related->uri, *related->text, *related->lines};
      append_lsp_diagnostic(out, p.diagnostic, at, &site, encoding_);
    } else {
      append_lsp_diagnostic(out, p.diagnostic, at, nullptr, encoding_);
    }
    fresh[file.uri].push_back(std::move(out));
    if (reader != nullptr && file.uri == reader->snapshot->uri) shown.push_back(p.diagnostic.range);
    if (reader != nullptr && related != nullptr && related->uri == reader->snapshot->uri) {
      shown.push_back(p.diagnostic.related);
    }
  }
  if (reader != nullptr) checked_ = Checked{reader->snapshot, reader->facts, std::move(shown)};
  std::vector<std::string>& reported = reported_[root];
  for (const std::string& uri : reported) fresh[uri];  // files that left the project
  reported.clear();
  std::vector<std::string> changed;
  for (auto& [uri, list] : fresh) {
    reported.push_back(uri);
    auto& kept = pieces_[uri];
    auto& kept_waivers = waivers_[uri];
    std::vector<validators::Waiver>& now = waivers[uri];
    if (kept != list || kept_waivers != now) {
      kept = std::move(list);
      kept_waivers = std::move(now);
      changed.push_back(uri);
    }
  }
  return changed;
}

}  // namespace perfectex::server
