// `perfectex check --fix` and `.perfectex.json` through the real binary: safe fixes are applied
// to a copy of perf_smoke_big.tex, a second run changes nothing, the F1 error stays, and the
// project file found above the file turns rules on and off and reports unknown ids.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "../corpus.h"
#include "child_process.h"
#include "protocol/jsonrpc.h"

using namespace perfectex;
using protocol::json;

namespace {

std::filesystem::path fresh_dir(const std::string& name) {
  auto dir = testing::scratch_folder(name);
  std::filesystem::create_directories(dir / "chapters");
  return dir;
}

std::map<std::string, int> rule_counts(const std::string& json_out) {
  std::map<std::string, int> counts;
  json report = json::parse(json_out);
  for (const json& d : report[0]["diagnostics"]) ++counts[d["rule"].get<std::string>()];
  return counts;
}

}  // namespace

TEST_CASE("check --fix applies the safe fixes once and for all") {
  auto dir = fresh_dir("perfectex-e2e-fix");
  auto file = dir / "chapters" / "smoke.tex";
  std::string original = testing::read_corpus("perf/perf_smoke_big.tex");
  std::ofstream(file, std::ios::binary) << original;

  auto [before_code, before_out] =
      testing::run_command({PERFECTEX_BINARY, "check", "--format", "json", file.string()});
  auto before = rule_counts(before_out);
  REQUIRE(before["display-dollars"] > 0);
  REQUIRE(before["ellipsis"] > 0);

  auto [fix_code, fix_out] = testing::run_command({PERFECTEX_BINARY, "check", "--fix", file.string()});
  CHECK(fix_code == 1);  // the missing \end{document} is not a mechanical fix
  std::string once = testing::read_file(file);
  CHECK(once != original);
  CHECK(once.find("$$") == std::string::npos);

  auto [after_code, after_out] =
      testing::run_command({PERFECTEX_BINARY, "check", "--format", "json", file.string()});
  auto after = rule_counts(after_out);
  CHECK(after["display-dollars"] == 0);
  CHECK(after["ellipsis"] == 0);
  CHECK(after["unclosed-environment"] == 1);

  testing::run_command({PERFECTEX_BINARY, "check", "--fix", file.string()});
  CHECK(testing::read_file(file) == once);  // idempotent
  std::filesystem::remove_all(dir);
}

TEST_CASE(".perfectex.json above the file configures check and reports unknown ids") {
  auto dir = fresh_dir("perfectex-e2e-config");
  auto file = dir / "chapters" / "a.tex";
  std::ofstream(file, std::ios::binary) << "Foo... bar  baz.\n";
  auto [code0, out0] = testing::run_command({PERFECTEX_BINARY, "check", file.string()});
  CHECK(out0.find("[ellipsis]") != std::string::npos);
  CHECK(out0.find("[multiple-spaces]") == std::string::npos);

  std::ofstream(dir / ".perfectex.json")
      << R"({"rules": {"ellipsis": "off", "multiple-spaces": "warning", "no-such-rule": "on"}})";
  auto [code1, out1] = testing::run_command({PERFECTEX_BINARY, "check", file.string()});
  CHECK(out1.find("[ellipsis]") == std::string::npos);
  CHECK(out1.find("warning: several spaces") != std::string::npos);
  auto [code2, out2] =
      testing::run_command({PERFECTEX_BINARY, "check", "--format", "json", file.string()});
  json report = json::parse(out2);
  json problems = report[0]["configuration"]["problems"];
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].get<std::string>().find("unknown rule id 'no-such-rule'") != std::string::npos);
  std::filesystem::remove_all(dir);
}
