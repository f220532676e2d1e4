#include "server/project_check.h"

namespace perfectex::server {

ProjectReport check_project(ProjectWorkspace& workspace, const fs::path& root,
                            const validators::RuleConfig& config) {
  ProjectReport report;
  report.project = workspace.build(root);
  validators::ProjectInput input;
  for (const ProjectNode& node : report.project.nodes) {
    validators::ProjectInput::File file;
    file.facts = &workspace.file(node.file)->facts;
    file.in_body = node.in_body;
    for (const ResolvedInclude& r : node.includes) {
      file.includes.push_back(r.cycle            ? validators::IncludeStatus::Cycle
                              : r.excluded       ? validators::IncludeStatus::Excluded
                              : r.generated      ? validators::IncludeStatus::Generated
                              : r.target.empty() ? validators::IncludeStatus::Missing
                                                 : validators::IncludeStatus::Found);
    }
    input.files.push_back(std::move(file));
  }
  validators::check_project(input, config, report.diagnostics);
  return report;
}

}  // namespace perfectex::server
