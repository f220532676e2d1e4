// The cross-document checks of one document: builds the project rooted at a file, gives the
// validators its files' facts with the status of every include and the bibliography's keys, and
// returns the diagnostics with the files they belong to. Threading: the workspace's thread.
#pragma once

#include <vector>

#include "server/project.h"
#include "validators/project_rules.h"
#include "validators/rule_config.h"

namespace perfectex::server {

struct ProjectReport {
  Project project;
  /// file and related_file index project.nodes.
  std::vector<validators::ProjectDiagnostic> diagnostics;
};

ProjectReport check_project(ProjectWorkspace& workspace, const fs::path& root,
                            const validators::RuleConfig& config);
/// The same for a project already built (its files' facts may have changed since, not their
/// includes).
std::vector<validators::ProjectDiagnostic> check_project(ProjectWorkspace& workspace,
                                                         const Project& project,
                                                         const validators::RuleConfig& config);

}  // namespace perfectex::server
