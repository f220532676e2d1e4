// The project model: which files make one LaTeX document. It finds a file's root (`% !TeX root`,
// a marker file (.perfectex.json, latexmkrc) and the document it names or its folder holds, or the
// topmost file with a \documentclass that includes it), follows \input, \include,
// \subfile, \import/\subimport and bibliography and graphics references with paths resolved as
// LaTeX resolves them (simple path macros, \graphicspath, \DeclareGraphicsExtensions), and keeps
// each file's facts. Open editor buffers win over disk; files outside the workspace folder are
// never read nor reported. A Project names files by path and includes by index, so it stays
// valid while files change. Threading: one thread (T0 in the server).
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "lexer/token.h"
#include "server/line_index.h"
#include "validators/bib_summary.h"
#include "validators/project_facts.h"
#include "validators/project_rules.h"

namespace perfectex::server {

namespace fs = std::filesystem;

/// Files that mark a folder as a project's: its root is the document they name, else a document
/// of that folder that reads the file.
inline constexpr const char* kProjectMarkers[] = {".perfectex.json", ".latexmkrc", "latexmkrc"};

struct ProjectFile {
  fs::path path;  ///< absolute, normalised
  /// Shared with the editor's snapshot for a buffer: an edit copies no text here.
  std::shared_ptr<const std::string> text;
  std::shared_ptr<const LineIndex> lines;  ///< the buffer's; null for a file read from disk
  std::shared_ptr<const validators::FileFacts> facts;
};

/// A .bib file of a project, parsed down to what the other files need of it.
struct BibDocument {
  fs::path path;
  std::string text;
  validators::BibSummary summary;
};

struct ResolvedInclude {
  std::size_t index = 0;  ///< into the including file's facts.includes
  fs::path target;        ///< the file it names; empty when none of the candidates exists
  bool followed = false;  ///< a TeX file of the workspace, read as part of the project
  /// The node reading it, when followed there (a file included twice is read at its first).
  std::size_t node = validators::kNotRead;
  bool cycle = false;     ///< it would include a file that is already being included
  bool excluded = false;  ///< an \include left out by \includeonly
  /// Missing, but named like a file LaTeX writes while it runs (.aux, .out, .bbl, ...): it
  /// exists by the time it is read.
  bool generated = false;
};

struct ProjectNode {
  fs::path file;
  bool in_body = false;  ///< included after \begin{document}
  std::vector<ResolvedInclude> includes;
};

struct Project {
  fs::path root;
  std::vector<ProjectNode> nodes;        ///< in the order LaTeX reads them, the root first
  std::vector<fs::path> bibliographies;  ///< the .bib files found, in order, each once
  /// \externaldocument files (xr) and the prefixes their labels get here.
  std::vector<std::pair<std::string, fs::path>> externals;
};

class ProjectWorkspace {
 public:
  /// search: whether root_of may look through the folder's TeX files for the files that include
  /// a file (not for an ad hoc folder, such as the directory of a file opened on its own).
  explicit ProjectWorkspace(fs::path folder, bool search = true);

  /// An open editor buffer for path (it wins over the file on disk), or its removal. With
  /// facts (from the buffer's analysis) the text is not lexed again here. A .bib buffer
  /// replaces the file's keys in every project citing it.
  void set_buffer(const fs::path& path, std::shared_ptr<const std::string> text,
                  std::shared_ptr<const validators::FileFacts> facts = nullptr,
                  std::shared_ptr<const LineIndex> lines = nullptr);
  void set_buffer(const fs::path& path, std::string text) {
    set_buffer(path, std::make_shared<const std::string>(std::move(text)));
  }
  void drop_buffer(const fs::path& path);
  /// The file changed on disk: read it again when next needed.
  void forget(const fs::path& path);

  /// The file as the project sees it (buffer, else disk); null when missing or outside.
  const ProjectFile* file(const fs::path& path);
  /// The root of the document that path belongs to (path itself when it stands alone).
  fs::path root_of(const fs::path& path);
  /// The document rooted at root, its files in reading order with their includes resolved.
  Project build(const fs::path& root);

  /// The labels of the document rooted at root (its files' labels, in reading order), kept
  /// until any file's includes change (and read again from the same files when one of theirs
  /// changes labels).
  const std::vector<std::string>& document_labels(const fs::path& root);
  /// The labels project's \externaldocument files give it, prefixed and sorted; kept until a
  /// file's includes change (a file's labels changing changes them in place).
  const std::vector<std::string>& external_labels(const Project& project);
  /// Every entry key of project's bibliographies, sorted; null when it has none or one cannot
  /// be read (then no citation can be called undefined). Kept until a .bib file changes.
  const std::vector<std::string>* bib_keys(const Project& project);
  /// A .bib file (its buffer, else the disk), parsed; null when it cannot be read.
  const BibDocument* bib(const fs::path& path);
  /// The definitions that project's files make before LaTeX reads node (earlier files whole,
  /// the files that include it up to the include), as source text in reading order: what L1
  /// knows at node's first byte. Empty for the root.
  std::string definitions_before(const Project& project, std::size_t node);

  bool inside(const fs::path& path) const;
  const fs::path& folder() const { return folder_; }

 private:
  void scan_workspace();
  /// The root a marker file above p (up to the folder) gives it, if any.
  std::optional<fs::path> marked_root(const fs::path& p);
  /// A file's text: its buffer, else the disk; null when it cannot be read.
  std::shared_ptr<const std::string> text_of(const fs::path& p) const;
  std::optional<fs::path> resolve(const validators::Include& inc, const fs::path& root_dir,
                                  const fs::path& current_dir,
                                  const std::vector<fs::path>& graphics_paths,
                                  const std::vector<std::string>& extensions,
                                  const std::map<std::string, std::string>& macros) const;

  fs::path folder_;
  std::map<fs::path, ProjectFile> files_;
  struct Buffer {
    std::shared_ptr<const std::string> text;
    std::shared_ptr<const LineIndex> lines;
  };
  std::map<fs::path, Buffer> buffers_;
  std::vector<fs::path> tex_files_;  ///< every .tex file of the workspace, once scanned
  /// Who includes whom among tex_files_ (for root_of), kept until a file's includes change or a
  /// file changes on disk: a check of a project of n files asks n times.
  std::map<fs::path, std::vector<fs::path>> includers_;
  std::map<fs::path, bool> has_class_;  ///< whether a top file's document has a \documentclass
  bool includers_known_ = false;
  bool scanned_ = false;
  bool search_ = true;
  lexer::TokenBuffer tokens_;
  /// A document's labels, and the files they are read from (stale: not read yet, or one of the
  /// files has other labels now; the files are the same).
  struct DocumentLabels {
    std::vector<fs::path> files;
    std::vector<std::string> labels;
    bool stale = true;
  };
  /// path's labels were before and are after: the documents that read it are stale, and the
  /// external lists that hold their labels lose the labels gone and gain the new ones.
  void relabel(const fs::path& path, const std::vector<validators::Name>& before,
               const std::vector<validators::Name>& after);
  std::map<fs::path, DocumentLabels> document_labels_;
  std::map<std::vector<std::pair<std::string, fs::path>>, std::vector<std::string>>
      external_labels_;
  std::map<std::vector<fs::path>, std::optional<std::vector<std::string>>> bib_keys_;
  std::map<fs::path, BibDocument> bibs_;
};

}  // namespace perfectex::server
