#include "server/project.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "lexer/lexer.h"
#include "server/read_file.h"
#include "validators/bib_summary.h"

namespace perfectex::server {
namespace {

using validators::IncludeKind;

// What pdflatex tries for \includegraphics without an extension (graphicx's pdftex.def).
const std::vector<std::string> kDefaultGraphicsExtensions = {
    ".pdf", ".png", ".jpg", ".mps",  ".jpeg",  ".jbig2", ".jb2",
    ".PDF", ".PNG", ".JPG", ".JPEG", ".JBIG2", ".JB2",   ".eps"};

fs::path normal(const fs::path& p) {
  return fs::absolute(p).lexically_normal();
}

bool is_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

// Replaces \NAME (not followed by a letter) with the macro's text, for paths like \PATH/ch1.
std::string expand_macros(std::string s, const std::map<std::string, std::string>& macros) {
  for (std::size_t at = s.find('\\'); at != std::string::npos; at = s.find('\\', at)) {
    std::size_t end = at + 1;
    while (end < s.size() && std::isalpha(static_cast<unsigned char>(s[end]))) ++end;
    auto it = macros.find(s.substr(at + 1, end - at - 1));
    if (it == macros.end()) {
      at = end;
      continue;
    }
    std::size_t after = end;
    while (after < s.size() && s[after] == ' ') ++after;  // TeX skips blanks after a name
    std::string replaced = s.substr(0, at);
    replaced.append(it->second).append(s, after, std::string::npos);
    at += it->second.size();
    s = std::move(replaced);
  }
  return s;
}

// Extensions of files that LaTeX and its packages write during a run and read back.
bool generated_name(const fs::path& name) {
  static const std::set<std::string> kGenerated = {
      ".aux", ".out", ".toc", ".lof", ".lot", ".loa", ".bbl", ".ind", ".idx", ".gls",
      ".glo", ".nls", ".sol", ".ans", ".thm", ".vrb", ".tmp", ".cb",  ".cb2"};
  return kGenerated.count(name.extension().string()) != 0;
}

bool is_tex_include(IncludeKind kind) {
  return kind == IncludeKind::Input || kind == IncludeKind::Include ||
         kind == IncludeKind::Subfile || kind == IncludeKind::Import ||
         kind == IncludeKind::Subimport;
}

}  // namespace

ProjectWorkspace::ProjectWorkspace(fs::path folder, bool search)
    : folder_(normal(folder)), search_(search), tokens_(1 << 16) {}

bool ProjectWorkspace::inside(const fs::path& path) const {
  fs::path rel = normal(path).lexically_relative(folder_);
  return !rel.empty() && *rel.begin() != "..";
}

void ProjectWorkspace::set_buffer(const fs::path& path, std::shared_ptr<const std::string> text,
                                  std::shared_ptr<const validators::FileFacts> facts,
                                  std::shared_ptr<const LineIndex> lines) {
  fs::path p = normal(path);
  if (p.extension() == ".bib") {
    bibs_.erase(p);
    bib_keys_.clear();
    buffers_[p] = {std::move(text), std::move(lines)};
    return;
  }
  // Documents' labels stay known while no file's includes change; when only this file's labels
  // do, they change where this file's were.
  auto old = files_.find(p);
  auto same_labels = [&](const validators::FileFacts& a) {
    return std::equal(
        a.labels.begin(), a.labels.end(), facts->labels.begin(), facts->labels.end(),
        [](const validators::Name& x, const validators::Name& y) { return x.text == y.text; });
  };
  if (facts == nullptr || old == files_.end() || !old->second.facts->same_graph(*facts)) {
    document_labels_.clear();
    external_labels_.clear();
    includers_known_ = false;
  } else if (!same_labels(*old->second.facts)) {
    relabel(p, old->second.facts->labels, facts->labels);
  }
  files_.erase(p);
  if (facts != nullptr) files_[p] = ProjectFile{p, text, lines, std::move(facts)};
  buffers_[p] = {std::move(text), std::move(lines)};
}

void ProjectWorkspace::relabel(const fs::path& path, const std::vector<validators::Name>& before,
                               const std::vector<validators::Name>& after) {
  std::set<fs::path> stale;  // the documents that read path (each file once: build's nodes)
  for (auto& [root, labels] : document_labels_) {
    if (std::find(labels.files.begin(), labels.files.end(), path) == labels.files.end()) continue;
    labels.stale = true;
    stale.insert(root);
  }
  // The labels gone and the new ones, as multisets: most often one key retyped.
  auto sorted = [](const std::vector<validators::Name>& names) {
    std::vector<std::string_view> texts;
    texts.reserve(names.size());
    for (const validators::Name& n : names) texts.push_back(n.text);
    std::sort(texts.begin(), texts.end());
    return texts;
  };
  const std::vector<std::string_view> was = sorted(before), is = sorted(after);
  std::vector<std::string_view> gone, added;
  std::set_difference(was.begin(), was.end(), is.begin(), is.end(), std::back_inserter(gone));
  std::set_difference(is.begin(), is.end(), was.begin(), was.end(), std::back_inserter(added));
  for (auto& [externals, labels] : external_labels_) {
    for (const auto& [prefix, root] : externals) {
      if (stale.count(normal(root)) == 0) continue;
      for (std::string_view label : gone) {
        const std::string key = prefix + std::string(label);
        auto it = std::lower_bound(labels.begin(), labels.end(), key);
        if (it != labels.end() && *it == key) labels.erase(it);
      }
      for (std::string_view label : added) {
        std::string key = prefix + std::string(label);
        labels.insert(std::upper_bound(labels.begin(), labels.end(), key), std::move(key));
      }
    }
  }
}

void ProjectWorkspace::drop_buffer(const fs::path& path) {
  fs::path p = normal(path);
  if (p.extension() == ".bib") {
    bibs_.erase(p);
    bib_keys_.clear();
  }
  document_labels_.clear();
  external_labels_.clear();
  includers_known_ = false;
  buffers_.erase(p);
  files_.erase(p);
}

void ProjectWorkspace::forget(const fs::path& path) {
  if (path.extension() == ".bib") {
    bibs_.erase(normal(path));
    bib_keys_.clear();
  }
  document_labels_.clear();
  external_labels_.clear();
  includers_known_ = false;
  files_.erase(normal(path));
  scanned_ = false;
}

std::shared_ptr<const std::string> ProjectWorkspace::text_of(const fs::path& p) const {
  if (auto b = buffers_.find(p); b != buffers_.end()) return b->second.text;
  if (!is_file(p)) return nullptr;
  std::optional<std::string> text = read_file(p);
  if (!text) return nullptr;
  return std::make_shared<const std::string>(std::move(*text));
}

const ProjectFile* ProjectWorkspace::file(const fs::path& path) {
  fs::path p = normal(path);
  if (auto it = files_.find(p); it != files_.end()) return &it->second;
  if (buffers_.count(p) == 0 && !inside(p)) return nullptr;
  std::shared_ptr<const std::string> text = text_of(p);
  if (text == nullptr) return nullptr;
  ProjectFile f;
  f.path = p;
  if (auto b = buffers_.find(p); b != buffers_.end()) f.lines = b->second.lines;
  lexer::lex_document(*text, tokens_);
  f.facts = std::make_shared<const validators::FileFacts>(validators::extract_facts(*text, tokens_));
  f.text = std::move(text);
  return &files_.emplace(p, std::move(f)).first->second;
}

// A folder with more TeX files than this is not one document's workspace (a home directory).
constexpr std::size_t kMaxScannedFiles = 20000;

void ProjectWorkspace::scan_workspace() {
  tex_files_.clear();
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(
           folder_, fs::directory_options::skip_permission_denied, ec);
       it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (it->is_directory() && it->path().filename().string().starts_with(".")) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file() && it->path().extension() == ".tex") {
      tex_files_.push_back(normal(it->path()));
      if (tex_files_.size() == kMaxScannedFiles) break;
    }
  }
  for (const auto& [path, text] : buffers_) {
    if (path.extension() == ".tex") tex_files_.push_back(path);
  }
  std::sort(tex_files_.begin(), tex_files_.end());
  tex_files_.erase(std::unique(tex_files_.begin(), tex_files_.end()), tex_files_.end());
  scanned_ = true;
}

namespace {

// The root a marker file names: .perfectex.json's "root", or latexmkrc's first @default_files.
std::optional<std::string> named_root(const fs::path& marker) {
  std::string text = read_file(marker).value_or(std::string());
  if (marker.filename() == kProjectMarkers[0]) {
    nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
    if (doc.is_object() && doc.contains("root") && doc["root"].is_string())
      return doc["root"].get<std::string>();
    return std::nullopt;
  }
  std::size_t at = text.find("@default_files");
  if (at == std::string::npos) return std::nullopt;
  std::size_t open = text.find_first_of("'\"", at);
  if (open == std::string::npos) return std::nullopt;
  std::size_t close = text.find(text[open], open + 1);
  if (close == std::string::npos) return std::nullopt;
  return text.substr(open + 1, close - open - 1);
}

}  // namespace

std::optional<fs::path> ProjectWorkspace::marked_root(const fs::path& p) {
  auto holds = [&](const fs::path& root) {
    if (file(root) == nullptr) return false;
    Project project = build(root);
    return std::any_of(project.nodes.begin(), project.nodes.end(),
                       [&](const ProjectNode& n) { return n.file == p; });
  };
  for (fs::path dir = p.parent_path(); inside(dir / "x"); dir = dir.parent_path()) {
    for (const char* name : kProjectMarkers) {
      fs::path marker = dir / name;
      if (!is_file(marker)) continue;
      // The root it names, else the documents of its folder that read p.
      if (auto named = named_root(marker)) {
        fs::path root = normal(dir / *named);
        if (root.extension().empty()) root += ".tex";
        if (holds(root)) return root;
      }
      std::vector<fs::path> candidates;
      std::error_code ec;
      for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (entry.path().extension() == ".tex") candidates.push_back(normal(entry.path()));
      }
      std::sort(candidates.begin(), candidates.end());
      for (const fs::path& c : candidates) {
        const ProjectFile* cf = file(c);
        if (cf != nullptr && cf->facts->documentclass && holds(c)) return c;
      }
      return std::nullopt;
    }
    if (dir == folder_) break;
  }
  return std::nullopt;
}

fs::path ProjectWorkspace::root_of(const fs::path& path) {
  fs::path p = normal(path);
  const ProjectFile* f = file(p);
  if (f == nullptr) return p;
  if (!f->facts->magic_root.empty()) {
    fs::path magic = normal(p.parent_path() / f->facts->magic_root);
    if (file(magic) != nullptr) return magic;
  }
  if (!search_) return p;
  if (auto marked = marked_root(p)) return *marked;
  // Who includes whom, over the workspace's TeX files (each resolved from its own folder).
  if (!scanned_) {
    scan_workspace();
    includers_known_ = false;
  }
  if (!includers_known_) {
    includers_.clear();
    has_class_.clear();
    for (const fs::path& t : tex_files_) {
      const ProjectFile* tf = file(t);
      if (tf == nullptr) continue;
      std::map<std::string, std::string> macros(tf->facts->path_macros.begin(),
                                                tf->facts->path_macros.end());
      for (const validators::Include& inc : tf->facts->includes) {
        if (!is_tex_include(inc.kind)) continue;
        if (auto target = resolve(inc, t.parent_path(), t.parent_path(), {}, {}, macros)) {
          if (*target != t) includers_[*target].push_back(t);
        }
      }
    }
    includers_known_ = true;
  }
  const std::map<fs::path, std::vector<fs::path>>& includers = includers_;
  // The topmost files above p; the first (by name) whose document has a \documentclass wins.
  std::set<fs::path> seen{p};
  std::vector<fs::path> pending{p}, tops;
  while (!pending.empty()) {
    fs::path at = pending.back();
    pending.pop_back();
    auto it = includers.find(at);
    if (it == includers.end() || it->second.empty()) {
      tops.push_back(at);
      continue;
    }
    for (const fs::path& up : it->second) {
      if (seen.insert(up).second) pending.push_back(up);
    }
  }
  std::sort(tops.begin(), tops.end());
  for (const fs::path& top : tops) {
    auto [known, fresh] = has_class_.try_emplace(top, false);
    if (fresh) {
      for (const ProjectNode& node : build(top).nodes) {
        const ProjectFile* nf = file(node.file);
        known->second = known->second || (nf != nullptr && nf->facts->documentclass);
      }
    }
    if (known->second) return top;
  }
  return p;
}

std::optional<fs::path> ProjectWorkspace::resolve(
    const validators::Include& inc, const fs::path& root_dir, const fs::path& current_dir,
    const std::vector<fs::path>& graphics_paths, const std::vector<std::string>& extensions,
    const std::map<std::string, std::string>& macros) const {
  std::string path = expand_macros(inc.path, macros);
  std::vector<fs::path> bases{current_dir};
  if (current_dir != root_dir) bases.push_back(root_dir);
  std::vector<std::string> suffixes{""};
  switch (inc.kind) {
    case IncludeKind::Input:
    case IncludeKind::Subfile:
      suffixes = {"", ".tex"};
      break;
    case IncludeKind::Include:
      suffixes = {".tex"};
      break;
    case IncludeKind::Import:
    case IncludeKind::Subimport: {
      fs::path dir = expand_macros(inc.dir, macros);
      bases = {normal((inc.kind == IncludeKind::Import ? root_dir : current_dir) / dir)};
      suffixes = {"", ".tex"};
      break;
    }
    case IncludeKind::Bibliography:
      suffixes = {path.ends_with(".bib") ? "" : ".bib"};
      break;
    case IncludeKind::BibResource:
      break;
    case IncludeKind::External:
      bases = {root_dir};
      suffixes = {".tex"};
      break;
    case IncludeKind::Graphics:
      for (const fs::path& g : graphics_paths) bases.push_back(g);
      if (!fs::path(path).has_extension()) suffixes = extensions;
      break;
  }
  // LaTeX reads a relative path from the folder it runs in, which may be above the root's, as
  // when a figure's source in fig/src/ is made with `cd fig; pdflatex src/fig.tex`: a target
  // found only from such a folder (up to the workspace's) says the document is made there.
  const bool from_cwd = inc.kind != IncludeKind::Import && inc.kind != IncludeKind::Subimport &&
                        inc.kind != IncludeKind::External && !fs::path(path).is_absolute();
  if (from_cwd) {
    for (fs::path dir = root_dir; dir != folder_ && inside(dir);) {
      dir = dir.parent_path();
      bases.push_back(dir);
    }
  }
  for (const fs::path& base : bases) {
    for (const std::string& suffix : suffixes) {
      fs::path candidate =
          normal(fs::path(path).is_absolute() ? fs::path(path + suffix) : base / (path + suffix));
      if (buffers_.count(candidate) != 0 || is_file(candidate)) return candidate;
    }
  }
  return std::nullopt;
}

const std::vector<std::string>& ProjectWorkspace::document_labels(const fs::path& root) {
  fs::path r = normal(root);
  auto it = document_labels_.find(r);
  if (it == document_labels_.end()) {
    DocumentLabels found;
    for (const ProjectNode& node : build(r).nodes) found.files.push_back(normal(node.file));
    it = document_labels_.emplace(r, std::move(found)).first;
  }
  DocumentLabels& kept = it->second;
  if (kept.stale) {
    kept.labels.clear();
    for (const fs::path& f : kept.files) {
      if (const ProjectFile* pf = file(f)) {
        for (const validators::Name& label : pf->facts->labels) kept.labels.push_back(label.text);
      }
    }
    kept.stale = false;
  }
  return kept.labels;
}

const std::vector<std::string>& ProjectWorkspace::external_labels(const Project& project) {
  // Keyed by the list itself: documents that share a preamble share one copy.
  if (auto it = external_labels_.find(project.externals); it != external_labels_.end()) {
    return it->second;
  }
  std::vector<std::string> labels;
  for (const auto& [prefix, external] : project.externals) {
    for (const std::string& label : document_labels(external)) labels.push_back(prefix + label);
  }
  std::sort(labels.begin(), labels.end());
  return external_labels_.emplace(project.externals, std::move(labels)).first->second;
}

const std::vector<std::string>* ProjectWorkspace::bib_keys(const Project& project) {
  if (project.bibliographies.empty()) return nullptr;
  auto it = bib_keys_.find(project.bibliographies);
  if (it == bib_keys_.end()) {
    std::optional<std::vector<std::string>> keys(std::in_place);
    for (const fs::path& path : project.bibliographies) {
      const BibDocument* doc = bib(path);
      if (doc == nullptr) {
        keys.reset();
        break;
      }
      for (const validators::BibSymbol& key : doc->summary.keys) keys->push_back(key.name);
    }
    if (keys) std::sort(keys->begin(), keys->end());
    it = bib_keys_.emplace(project.bibliographies, std::move(keys)).first;
  }
  return it->second ? &*it->second : nullptr;
}

const BibDocument* ProjectWorkspace::bib(const fs::path& path) {
  fs::path p = normal(path);
  if (auto it = bibs_.find(p); it != bibs_.end()) return &it->second;
  std::shared_ptr<const std::string> text = text_of(p);
  if (text == nullptr) return nullptr;
  BibDocument doc;
  doc.path = p;
  doc.text = *text;
  validators::BibFile parsed;
  validators::parse_bib(doc.text, parsed);
  doc.summary = validators::summarize_bib(doc.text, parsed);
  return &bibs_.emplace(p, std::move(doc)).first->second;
}

std::string ProjectWorkspace::definitions_before(const Project& project, std::size_t node) {
  std::string out;
  bool at_letter = false, reached = false;
  auto read = [&](auto&& self, std::size_t n) -> void {
    const ProjectFile* f = file(project.nodes[n].file);
    if (f == nullptr) return;
    const std::vector<validators::DefinitionSpan>& defs = f->facts->definitions;
    std::size_t d = 0;
    auto define_until = [&](std::uint32_t until) {
      for (; d < defs.size() && defs[d].span.begin < until; ++d) {
        if (defs[d].at_letter != at_letter) {
          out += defs[d].at_letter ? "\\makeatletter\n" : "\\makeatother\n";
          at_letter = defs[d].at_letter;
        }
        out.append(*f->text, defs[d].span.begin, defs[d].span.end - defs[d].span.begin);
        out += '\n';
      }
    };
    for (const ResolvedInclude& r : project.nodes[n].includes) {
      if (r.node == validators::kNotRead) continue;
      define_until(f->facts->includes[r.index].range.begin);
      if (r.node == node) {
        reached = true;
        return;
      }
      self(self, r.node);
      if (reached) return;
    }
    define_until(UINT32_MAX);
  };
  if (node != 0 && node < project.nodes.size()) read(read, 0);
  if (at_letter) out += "\\makeatother\n";
  return out;
}

Project ProjectWorkspace::build(const fs::path& root) {
  Project project;
  project.root = normal(root);
  const fs::path root_dir = project.root.parent_path();
  std::map<std::string, std::string> macros;
  std::vector<fs::path> graphics_paths;
  std::vector<std::string> extensions = kDefaultGraphicsExtensions;
  std::optional<std::vector<std::string>> include_only;
  std::set<fs::path> visited, stack;

  // Depth first in reading order; a file included twice is read once.
  auto visit = [&](auto&& self, const fs::path& path, const fs::path& current_dir,
                   bool in_body) -> void {
    const ProjectFile* f = file(path);
    if (f == nullptr || !visited.insert(path).second) return;
    stack.insert(path);
    std::size_t index = project.nodes.size();
    project.nodes.push_back({path, in_body, {}});
    const validators::FileFacts& facts = *f->facts;
    for (const auto& [name, value] : facts.path_macros) macros[name] = value;
    if (!facts.graphics_paths.empty()) {
      graphics_paths.clear();
      for (const std::string& g : facts.graphics_paths) graphics_paths.push_back(root_dir / g);
    }
    if (!facts.graphics_extensions.empty()) extensions = facts.graphics_extensions;
    if (facts.include_only) include_only = facts.include_only;
    for (std::size_t k = 0; k < facts.includes.size(); ++k) {
      const validators::Include& inc = facts.includes[k];
      ResolvedInclude r;
      r.index = k;
      bool body = in_body || (facts.begin_document && inc.range.begin > *facts.begin_document);
      if (inc.kind == IncludeKind::Include && include_only &&
          std::find(include_only->begin(), include_only->end(), inc.path) == include_only->end()) {
        r.excluded = true;
      }
      auto target = resolve(inc, root_dir, current_dir, graphics_paths, extensions, macros);
      // xr reads the external document's .aux, which its own compilation writes.
      if (!target) {
        r.generated = inc.kind == IncludeKind::External ||
                      (is_tex_include(inc.kind) && generated_name(inc.path));
      }
      if (target) {
        r.target = *target;
        if (inc.kind == IncludeKind::External) project.externals.emplace_back(inc.dir, *target);
        if (inc.kind == IncludeKind::Bibliography || inc.kind == IncludeKind::BibResource) {
          auto& bibs = project.bibliographies;
          if (std::find(bibs.begin(), bibs.end(), *target) == bibs.end()) bibs.push_back(*target);
        }
        if (is_tex_include(inc.kind) && !r.excluded && inside(*target)) {
          if (stack.count(*target) != 0) {
            r.cycle = true;
          } else {
            r.followed = true;
            fs::path dir = current_dir;
            if (inc.kind == IncludeKind::Import || inc.kind == IncludeKind::Subimport) {
              dir = target->parent_path();
            }
            project.nodes[index].includes.push_back(r);
            std::size_t child = project.nodes.size();
            self(self, *target, dir, body);
            if (child < project.nodes.size()) project.nodes[index].includes.back().node = child;
            continue;
          }
        }
      }
      project.nodes[index].includes.push_back(r);
    }
    stack.erase(path);
  };
  visit(visit, project.root, root_dir, false);
  return project;
}

}  // namespace perfectex::server
