// The cross-document checks of one document: builds the project rooted at a file, gives the
// validators its files' facts with the status of every include and the bibliography's keys, and
// returns the diagnostics with the files they belong to, and the diagnostics of each file's own
// checks that the project shows wrong. Threading: the workspace's thread.
#pragma once

#include <vector>

#include "server/project.h"
#include "validators/project_rules.h"
#include "validators/project_waivers.h"
#include "validators/rule_config.h"

namespace perfectex::server {

struct ProjectFindings {
  /// file and related_file index the project's nodes.
  std::vector<validators::ProjectDiagnostic> diagnostics;
  /// Per node: what its file's own checks report that the project shows wrong.
  std::vector<std::vector<validators::Waiver>> waivers;
};

struct ProjectReport {
  Project project;
  ProjectFindings findings;
};

ProjectReport check_project(ProjectWorkspace& workspace, const fs::path& root,
                            const validators::RuleConfig& config);
/// The same for a project already built (its files' facts may have changed since, not their
/// includes).
ProjectFindings check_project(ProjectWorkspace& workspace, const Project& project,
                              const validators::RuleConfig& config);

}  // namespace perfectex::server
