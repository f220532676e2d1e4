// Projects inside the server: one ProjectWorkspace per workspace folder (or per folder of a
// document outside them), fed each open document's text and facts as its analyses arrive. After
// each change it rechecks the document's project and keeps, per file, the cross-document
// diagnostics serialised as LSP JSON and the waivers of the file's own diagnostics; it reports
// which files' lists changed, so only those are republished. The project graph is rebuilt only
// when a file's includes or keys changed, and nothing is rechecked after an edit that only moved
// the document's facts and none of the positions its project diagnostics show.
// Threading: T0 only.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "protocol/lsp_types.h"
#include "server/analyzer.h"
#include "server/project.h"
#include "validators/project_waivers.h"

namespace perfectex::server {

class ProjectService {
 public:
  void set_folders(std::vector<fs::path> folders);
  void set_config(ConfigPtr config) {
    config_ = std::move(config);
    checked_.reset();
  }
  void set_encoding(protocol::PositionEncoding encoding) {
    encoding_ = encoding;
    checked_.reset();
  }

  /// An open LaTeX document was analysed: returns the URIs whose project diagnostics changed.
  std::vector<std::string> on_analysis(const AnalysisResult& result);
  /// An open .bib document changed: the projects citing from it are rechecked with its keys.
  std::vector<std::string> on_bib_buffer(const fs::path& bib, std::string text);
  /// A document was closed: inside a workspace folder the file on disk stands for it again;
  /// a file opened on its own is forgotten.
  std::vector<std::string> on_close(const std::string& uri);
  /// Files changed on disk (workspace/didChangeWatchedFiles).
  std::vector<std::string> on_files_changed(const std::vector<std::string>& uris);

  /// The serialised LSP diagnostics of uri's cross-document problems.
  const std::vector<std::string>& pieces(const std::string& uri) const;
  /// The diagnostics of uri's own analysis that its project shows wrong, sorted.
  std::span<const validators::Waiver> waivers(const std::string& uri) const;
  /// The contexts of open documents that changed since the last call: the engine analyses them
  /// again with theirs (a chapter, with the definitions its project makes before it).
  std::vector<std::pair<std::string, ContextPtr>> take_contexts();
  /// Whether uri is an open document (its publishes carry a version).
  bool is_open(const std::string& uri) const;
  /// How many times a project was checked.
  std::uint64_t rechecks() const { return rechecks_; }

 private:
  /// The innermost workspace folder holding file, or null.
  const fs::path* folder_of(const fs::path& file) const;
  ProjectWorkspace& workspace_for(const fs::path& file);
  std::string uri_of(const fs::path& path) const;
  /// Rechecks the projects of the open documents that cite from bib.
  std::vector<std::string> recheck_citing(const fs::path& bib);
  /// Sets the context of each open document of project, when what it depends on changed.
  void update_contexts(ProjectWorkspace& ws, const fs::path& root, const Project& project);
  /// Rechecks the project rooted at root; returns the URIs whose diagnostics changed. reader: the
  /// analysis that asked for it, if one did (checked_ is then what it read).
  std::vector<std::string> recheck(ProjectWorkspace& ws, const fs::path& root, bool rebuild,
                                   const AnalysisResult* reader = nullptr);
  /// Whether the last recheck stands for result, which the edit from the document it read made:
  /// the facts only moved, and every position its diagnostics show keeps its line and column.
  /// Then the waivers and positions kept are moved with the edit.
  bool still_checked(const AnalysisResult& result);

  std::vector<fs::path> folders_;
  ConfigPtr config_ = std::make_shared<validators::RuleConfig>();
  protocol::PositionEncoding encoding_ = protocol::PositionEncoding::Utf16;
  std::map<fs::path, std::unique_ptr<ProjectWorkspace>> workspaces_;
  std::map<fs::path, fs::path> roots_;    ///< file -> its root, while its keys stay the same
  std::map<fs::path, Project> projects_;  ///< root -> its files, while their keys stay
  std::map<fs::path, std::string> open_;  ///< open documents: path -> the client's URI
  std::unordered_map<std::string, std::vector<std::string>> pieces_;
  std::unordered_map<std::string, std::vector<validators::Waiver>> waivers_;
  std::map<fs::path, std::vector<std::string>> reported_;  ///< root -> URIs it last reported
  std::unordered_map<std::string, ContextPtr> contexts_;   ///< open documents' contexts
  std::map<fs::path, std::uint64_t> definitions_;  ///< root -> its files' definitions, hashed
  std::vector<std::pair<std::string, ContextPtr>> context_changes_;
  /// What the last recheck read of the document whose analysis asked for it.
  struct Checked {
    SnapshotPtr snapshot;
    std::shared_ptr<const validators::FileFacts> facts;
    std::vector<validators::Span> shown;  ///< the ranges in it the project's diagnostics show
  };
  std::optional<Checked> checked_;
  std::uint64_t rechecks_ = 0;
};

}  // namespace perfectex::server
