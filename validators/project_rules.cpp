#include "validators/project_rules.h"

#include <algorithm>
#include <cctype>
#include <string_view>
#include <unordered_map>

namespace perfectex::validators {
namespace {

struct Where {
  std::size_t file;
  Span span;
};

RuleId missing_rule(IncludeKind kind) {
  switch (kind) {
    case IncludeKind::Include:
      return RuleId::MissingIncludeFile;
    case IncludeKind::Graphics:
      return RuleId::MissingGraphicsFile;
    case IncludeKind::Bibliography:
    case IncludeKind::BibResource:
      return RuleId::MissingBibliographyFile;
    case IncludeKind::External:
      return RuleId::MissingIncludeFile;
    default:
      return RuleId::MissingInputFile;
  }
}

class ProjectChecker {
 public:
  ProjectChecker(const ProjectInput& input, const RuleConfig& config,
                 std::vector<ProjectDiagnostic>& out)
      : in_(input), config_(config), out_(out) {}

  void run() {
    labels();
    references();
    citations();
    includes();
    packages();
  }

 private:
  void emit(RuleId rule, std::size_t file, Span range, Span arg, const Where* related = nullptr) {
    if (!config_.enabled(rule)) return;
    ProjectDiagnostic p;
    p.file = file;
    p.diagnostic.rule = rule;
    p.diagnostic.severity = config_.severity(rule);
    p.diagnostic.range = range;
    p.diagnostic.args[0] = arg;
    if (related != nullptr) {
      p.diagnostic.has_related = true;
      p.diagnostic.related = related->span;
      p.related_file = related->file;
    }
    out_.push_back(p);
  }

  // The first definition, as LaTeX reads the files, is the one references go to.
  void labels() {
    read_in_order(in_, [&](std::size_t f, std::uint32_t from, std::uint32_t until) {
      const std::vector<Name>& labels = in_.files[f].facts->labels;
      auto first = std::partition_point(labels.begin(), labels.end(),
                                        [&](const Name& n) { return n.span.begin < from; });
      for (auto label = first; label != labels.end() && label->span.begin < until; ++label) {
        auto [it, added] = labels_.try_emplace(label->text, Where{f, label->span});
        // Twice in one file is the per-file rule's (reference_rules.h) to report.
        if (!added && it->second.file != f) {
          emit(RuleId::DuplicateLabel, f, label->span, label->span, &it->second);
        }
      }
    });
  }

  // In a document of one file the per-file rule, which also knows label macros and labels
  // given in environment options, decides; across files this one does.
  void references() {
    if (in_.files.size() < 2) return;
    // A file \includeonly leaves out is not read, yet LaTeX knows its labels from its .aux: which
    // they are cannot be told here, so no reference is called undefined, no label unused.
    for (const ProjectInput::File& file : in_.files) {
      if (std::find(file.includes.begin(), file.includes.end(), IncludeStatus::Excluded) !=
          file.includes.end()) {
        return;
      }
    }
    std::unordered_map<std::string_view, bool> used;
    for (std::size_t f = 0; f < in_.files.size(); ++f) {
      for (const Name& ref : in_.files[f].facts->references) {
        if (labels_.count(ref.text) == 0 && !external(ref.text)) {
          emit(RuleId::UndefinedReference, f, ref.span, ref.span);
        } else {
          used[ref.text] = true;
        }
      }
    }
    if (!config_.enabled(RuleId::UnusedLabel)) return;
    for (std::size_t f = 0; f < in_.files.size(); ++f) {
      for (const Name& label : in_.files[f].facts->labels) {
        if (used.count(label.text) == 0) emit(RuleId::UnusedLabel, f, label.span, label.span);
      }
    }
  }

  bool external(const std::string& label) const {
    return in_.external_labels != nullptr &&
           std::binary_search(in_.external_labels->begin(), in_.external_labels->end(), label);
  }

  void citations() {
    if (in_.bib_keys == nullptr) return;
    const std::vector<std::string>& keys = *in_.bib_keys;
    for (std::size_t f = 0; f < in_.files.size(); ++f) {
      for (const Name& cite : in_.files[f].facts->citations) {
        if (cite.text == "*") continue;  // \nocite{*}
        if (std::binary_search(keys.begin(), keys.end(), cite.text)) continue;
        // BibTeX finds a key whatever its capitals, LaTeX's \cite only the exact one.
        bool other_case = std::any_of(keys.begin(), keys.end(), [&](const std::string& key) {
          return std::equal(key.begin(), key.end(), cite.text.begin(), cite.text.end(),
                            [](char a, char b) { return std::tolower(a) == std::tolower(b); });
        });
        emit(other_case ? RuleId::CitationKeyCase : RuleId::UndefinedCitation, f, cite.span,
             cite.span);
      }
    }
    unused_entries();
  }

  // Entries no file cites, unless one cites them all (\nocite{*}).
  void unused_entries() {
    if (!config_.enabled(RuleId::UnusedBibEntry)) return;
    std::unordered_map<std::string_view, bool> cited;
    for (const ProjectInput::File& file : in_.files) {
      for (const Name& cite : file.facts->citations) {
        if (cite.text == "*") return;
        cited[cite.text] = true;
      }
    }
    for (std::size_t b = 0; b < in_.bibliographies.size(); ++b) {
      if (in_.bibliographies[b] == nullptr) continue;
      for (const BibSymbol& key : in_.bibliographies[b]->keys) {
        if (cited.count(key.name) == 0) {
          emit(RuleId::UnusedBibEntry, in_.files.size() + b, key.span, key.span);
        }
      }
    }
  }

  void includes() {
    for (std::size_t f = 0; f < in_.files.size(); ++f) {
      const ProjectInput::File& file = in_.files[f];
      for (std::size_t k = 0; k < file.includes.size() && k < file.facts->includes.size(); ++k) {
        const Include& inc = file.facts->includes[k];
        if (file.includes[k] == IncludeStatus::Missing) {
          emit(missing_rule(inc.kind), f, inc.range, inc.arg);
        } else if (file.includes[k] == IncludeStatus::Cycle) {
          emit(RuleId::IncludeCycle, f, inc.range, inc.arg);
        }
      }
    }
  }

  void packages() {
    std::unordered_map<std::string_view, Where> loaded;
    for (std::size_t f = 0; f < in_.files.size(); ++f) {
      const ProjectInput::File& file = in_.files[f];
      for (const Name& package : file.facts->packages) {
        bool late = file.in_body || (file.facts->begin_document &&
                                     package.span.begin > *file.facts->begin_document);
        if (late) {
          emit(RuleId::PackageAfterBeginDocument, f, package.span, package.span);
          continue;
        }
        auto [it, first] = loaded.try_emplace(package.text, Where{f, package.span});
        if (!first) emit(RuleId::DuplicatePackage, f, package.span, package.span, &it->second);
      }
    }
  }

  const ProjectInput& in_;
  const RuleConfig& config_;
  std::vector<ProjectDiagnostic>& out_;
  std::unordered_map<std::string_view, Where> labels_;
};

}  // namespace

void read_in_order(const ProjectInput& input,
                   const std::function<void(std::size_t, std::uint32_t, std::uint32_t)>& stretch) {
  std::vector<bool> read(input.files.size(), false);
  std::function<void(std::size_t)> file = [&](std::size_t f) {
    read[f] = true;
    const ProjectInput::File& in = input.files[f];
    std::uint32_t from = 0;
    for (std::size_t k = 0; k < in.reads.size() && k < in.facts->includes.size(); ++k) {
      if (in.reads[k] == kNotRead || read[in.reads[k]]) continue;
      const std::uint32_t at = in.facts->includes[k].range.begin;
      stretch(f, from, at);
      from = at;
      file(in.reads[k]);
    }
    stretch(f, from, UINT32_MAX);
  };
  for (std::size_t f = 0; f < input.files.size(); ++f) {
    if (!read[f]) file(f);
  }
}

void check_project(const ProjectInput& input, const RuleConfig& config,
                   std::vector<ProjectDiagnostic>& out) {
  std::size_t from = out.size();
  ProjectChecker(input, config, out).run();
  std::sort(out.begin() + static_cast<std::ptrdiff_t>(from), out.end(),
            [](const ProjectDiagnostic& a, const ProjectDiagnostic& b) {
              if (a.file != b.file) return a.file < b.file;
              return a.diagnostic.range.begin < b.diagnostic.range.begin;
            });
}

}  // namespace perfectex::validators
