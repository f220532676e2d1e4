#include "validators/project_waivers.h"

#include <algorithm>
#include <string_view>

namespace perfectex::validators {
namespace {

class Walk {
 public:
  explicit Walk(const ProjectInput& input) : in_(input), out_(input.files.size()) {}

  std::vector<std::vector<Waiver>> run() {
    if (in_.files.size() < 2) return std::move(out_);
    // The files' edges, each at its place in the reading.
    read_in_order(in_, [&](std::size_t f, std::uint32_t from, std::uint32_t until) {
      const std::vector<EnvironmentEdge>& edges = in_.files[f].facts->environment_edges;
      auto e = std::partition_point(edges.begin(), edges.end(), [&](const EnvironmentEdge& x) {
        return x.environment.span.begin < from;
      });
      for (; e != edges.end() && e->environment.span.begin < until; ++e) edge(f, *e);
    });
    begin_document();
    for (auto& list : out_) std::sort(list.begin(), list.end());
    return std::move(out_);
  }

 private:
  struct Open {
    std::string_view name;
    std::size_t file;
    std::uint32_t at;
  };

  void edge(std::size_t f, const EnvironmentEdge& e) {
    std::uint32_t at = e.environment.span.begin;
    if (e.opens) {
      open_.push_back({e.environment.text, f, at});
      return;
    }
    // As F1 within a file: the \end closes the latest environment of its name; those opened
    // after it stay unclosed (their files report them).
    auto it = std::find_if(open_.rbegin(), open_.rend(),
                           [&](const Open& o) { return o.name == e.environment.text; });
    if (it == open_.rend()) return;
    out_[it->file].push_back({it->at, RuleId::UnclosedEnvironment});
    out_[f].push_back({at, RuleId::UnmatchedEnd});
    open_.erase(std::prev(it.base()), open_.end());
  }

  void begin_document() {
    auto has_begin = [](const ProjectInput::File& file) {
      return file.facts->begin_document.has_value();
    };
    if (std::none_of(in_.files.begin(), in_.files.end(), has_begin)) return;
    for (std::size_t f = 0; f < in_.files.size(); ++f) {
      const FileFacts& facts = *in_.files[f].facts;
      if (facts.documentclass && !facts.begin_document) {
        out_[f].push_back({*facts.documentclass, RuleId::MissingBeginDocument});
      }
    }
  }

  const ProjectInput& in_;
  std::vector<std::vector<Waiver>> out_;
  std::vector<Open> open_;
};

}  // namespace

std::vector<std::vector<Waiver>> project_waivers(const ProjectInput& input) {
  return Walk(input).run();
}

bool waived(std::span<const Waiver> waivers, const Diagnostic& d) {
  return std::binary_search(waivers.begin(), waivers.end(), Waiver{d.range.begin, d.rule});
}

}  // namespace perfectex::validators
