// `perfectex check` reads a document as LaTeX does, through the real binary: the corpus projects
// checked from their roots (every file each reads, the per-file rules and the cross-document
// ones) report only the one real error, and an environment split across files is no error.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "../corpus.h"
#include "child_process.h"
#include "protocol/jsonrpc.h"

using namespace perfectex;
using protocol::json;
namespace fs = std::filesystem;

namespace {

struct Checked {
  int code = 0;
  std::set<std::string> files;
  std::vector<std::string> errors;  ///< "file:line: rule"
};

Checked check(const fs::path& workspace, const std::vector<std::string>& files) {
  std::vector<std::string> args{PERFECTEX_BINARY, "check",       "--format",
                                "json",           "--workspace", workspace.string()};
  for (const std::string& f : files) args.push_back((workspace / f).string());
  auto [code, out] = testing::run_command(args);
  Checked c;
  c.code = code;
  for (const json& file : json::parse(out)) {
    std::string name = fs::path(file["file"].get<std::string>()).filename().string();
    c.files.insert(name);
    for (const json& d : file["diagnostics"]) {
      if (d["severity"] != "error") continue;
      c.errors.push_back(name + ":" + std::to_string(d["line"].get<int>()) + ": " +
                         d["rule"].get<std::string>());
    }
  }
  return c;
}

fs::path scratch(const std::string& name,
                 const std::vector<std::pair<std::string, std::string>>& files) {
  return testing::scratch_folder("perfectex-e2e-" + name, files);
}

}  // namespace

TEST_CASE("check: the corpus projects from their roots, every file read, only the real error") {
  fs::path corpus = PERFECTEX_CORPUS_DIR;
  Checked napkin = check(corpus / "napkin", {"Napkin.tex"});
  CHECK(napkin.files.size() > 100);
  CHECK(napkin.files.count("macros.tex") == 1);
  CHECK(napkin.errors.empty());

  Checked hott = check(corpus / "hott-book", {"hott-online.tex"});
  CHECK(hott.files.count("basics.tex") == 1);
  CHECK(hott.errors.empty());

  Checked stacks = check(corpus / "stacks", {"algebra.tex", "sets.tex", "schemes.tex"});
  CHECK(stacks.files.count("preamble.tex") == 1);
  CHECK(stacks.errors.empty());

  Checked thesis = check(corpus / "thesis-wierstorf",
                         {"wierstorf2014-perceptual_assessment_of_sound_field_synthesis.tex"});
  CHECK(thesis.files.size() > 5);
  CHECK(thesis.code == 1);
  CHECK(thesis.errors == std::vector<std::string>{"04_binaural_synthesis.tex:641: "
                                                  "missing-graphics-file"});
}

TEST_CASE("check: an environment opened in one file and closed in another is no error") {
  fs::path dir = scratch(
      "split",
      {{"main.tex", "\\input{preamble}\n\\input{chapter}\n\\input{close}\n\\end{document}\n"},
       {"preamble.tex", "\\documentclass{article}\n\\begin{document}\n"},
       {"chapter.tex", "\\section{One}\n\\begin{itemize}\n\\item x\n"},
       {"close.tex", "\\end{itemize}\n"}});
  Checked whole = check(dir, {"main.tex"});
  CHECK(whole.files ==
        std::set<std::string>{"main.tex", "preamble.tex", "chapter.tex", "close.tex"});
  CHECK(whole.errors.empty());
  CHECK(whole.code == 0);
  // A chapter named alone is checked in its document: its root is found.
  Checked chapter = check(dir, {"chapter.tex"});
  CHECK(chapter.files == std::set<std::string>{"chapter.tex"});
  CHECK(chapter.errors.empty());

  // Without the file that closes it, the itemize is the one error left, where it opens.
  std::ofstream(dir / "main.tex") << "\\input{preamble}\n\\input{chapter}\n\\end{document}\n";
  Checked broken = check(dir, {"main.tex"});
  CHECK(broken.errors == std::vector<std::string>{"chapter.tex:2: unclosed-environment"});
}
