#include "server/project_check.h"

namespace perfectex::server {

ProjectReport check_project(ProjectWorkspace& workspace, const fs::path& root,
                            const validators::RuleConfig& config) {
  ProjectReport report;
  report.project = workspace.build(root);
  report.findings = check_project(workspace, report.project, config);
  return report;
}

ProjectFindings check_project(ProjectWorkspace& workspace, const Project& project,
                              const validators::RuleConfig& config) {
  validators::ProjectInput input;
  for (const ProjectNode& node : project.nodes) {
    validators::ProjectInput::File file;
    const ProjectFile* f = workspace.file(node.file);
    static const validators::FileFacts kNone;
    file.facts = f != nullptr ? f->facts.get() : &kNone;  // the file vanished since the build
    file.in_body = node.in_body;
    for (const ResolvedInclude& r : node.includes) {
      file.includes.push_back(r.cycle            ? validators::IncludeStatus::Cycle
                              : r.excluded       ? validators::IncludeStatus::Excluded
                              : r.generated      ? validators::IncludeStatus::Generated
                              : r.target.empty() ? validators::IncludeStatus::Missing
                                                 : validators::IncludeStatus::Found);
    }
    file.reads.assign(file.facts->includes.size(), validators::kNotRead);
    for (const ResolvedInclude& r : node.includes) {
      if (r.index < file.reads.size()) file.reads[r.index] = r.node;
    }
    input.files.push_back(std::move(file));
  }
  input.external_labels = &workspace.external_labels(project);
  input.bib_keys = workspace.bib_keys(project);
  for (const fs::path& path : project.bibliographies) {
    const BibDocument* bib = workspace.bib(path);
    input.bibliographies.push_back(bib != nullptr ? &bib->summary : nullptr);
  }
  ProjectFindings out;
  validators::check_project(input, config, out.diagnostics);
  out.waivers = validators::project_waivers(input);
  return out;
}

}  // namespace perfectex::server
