// ChkTeX side by side: perfectex's rules over ChkTeX 1.7.8's own Test.tex, compared with ChkTeX's
// findings (Test.expected.jsonl), for every rule mapped to a ChkTeX warning number. A ChkTeX
// finding is matched when one of our diagnostics of a mapped rule starts on its line and overlaps
// its columns. Every ChkTeX finding we miss and every diagnostic ChkTeX does not have must be a
// listed, deliberate difference with its reason; the per-warning table is printed.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "../corpus.h"
#include "lexer/lexer.h"
#include "validators/runner.h"

using namespace perfectex;
using namespace perfectex::validators;

namespace {

struct Finding {
  int number;
  int line;
  int col;  // 1-based, bytes
  int len;
};

int json_int(const std::string& line, const std::string& key) {
  std::size_t at = line.find("\"" + key + "\": ");
  REQUIRE(at != std::string::npos);
  at += key.size() + 4;
  if (line[at] == '"') ++at;
  if (line.compare(at, 7, "chktex:") == 0) at += 7;
  return std::stoi(line.substr(at));
}

std::vector<Finding> chktex_findings() {
  std::istringstream in(testing::read_corpus("chktex/Test.expected.jsonl"));
  std::vector<Finding> out;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    out.push_back({json_int(line, "code"), json_int(line, "line"), json_int(line, "col"),
                   json_int(line, "len")});
  }
  return out;
}

struct Difference {
  int number;
  int line;
  bool missed;  // true: ChkTeX reports it and we do not; false: we report it and ChkTeX does not
  const char* reason;
};

// Each deliberate difference, with the reason we differ from ChkTeX.
const Difference kDifferences[] = {
    {1, 12, true, "\\foo is unknown: we only flag commands known to print text (L1 will add user macros)"},
    {1, 13, true, "a command at a line end loses no space worth reporting (ChkTeX noise)"},
    {1, 118, true, "\\hat at a line end: nothing is lost"},
    {1, 210, true, "\\above is a primitive, not a text-producing command"},
    {1, 84, false, "Foo\\dots bar prints Foo...bar: \\dots swallows the space; ChkTeX does not check \\dots"},
    {8, 53, true, "en dashes between capitalised names (Birch--Swinnerton) are right; ChkTeX needs an exception list"},
    {8, 54, true, "hyphens inside names are not checked"},
    {9, 60, true, "parentheses and brackets in text are not groups: LaTeX does not care"},
    {9, 65, true, "F1 reports the unclosed \\begin{baz} and the stray \\end{baz}, where LaTeX stops"},
    {10, 60, true, "a ) or ] in text is not an error; F1 reports only the braces LaTeX stops on"},
    {10, 65, true, "\\end{asoi} is reported, but as the first stray \\end after F1 closes quux"},
    {10, 60, false, "the same closing braces, counted once by F1"},
    {10, 65, false, "\\end{baz} after \\end{quux} closed it: the stray \\end LaTeX stops on"},
    {12, 88, true, "ChkTeX guesses abbreviations from any lowercase word; we check a list (e.g., i.e., Fig., ...)"},
    {12, 93, true, "same: ChkTeX's guess on the corrected line"},
    {14, 118, true, "\\hat without argument is left to F13 (argument counts, with L1)"},
    {16, 308, true, "we report unclosed math at its opener ($$ on line 303), not at the end of file"},
    {16, 303, false, "the same unclosed $$, reported where it opens"},
    {24, 148, true, "text at a line end and \\index alone on the next line is how people lay out index entries"},
    {30, 2, true, "indentation at a line start is not a double space"},
    {30, 3, true, "indentation at a line start is not a double space"},
    {30, 148, true, "indentation at a line start is not a double space"},
    {43, 219, false, "\\left\\{ ... \\right\\} is right; ChkTeX warns 21 there, not 43"},
};

const Difference* difference(int number, int line, bool missed) {
  for (const Difference& d : kDifferences) {
    if (d.number == number && d.line == line && d.missed == missed) return &d;
  }
  return nullptr;
}

struct Ours {
  int number;
  int line;
  int col;
  int len;
  std::string rule;
};

}  // namespace

TEST_CASE("ChkTeX side by side on Test.tex") {
  std::string text = testing::read_corpus("chktex/Test.tex");
  RuleConfig config;
  for (const RuleInfo& info : all_rules()) {
    if (info.chktex != 0) REQUIRE_FALSE(config.apply(info.name, "on").has_value());
  }
  lexer::TokenBuffer tokens;
  lexer::lex_document(text, tokens);
  Workspace ws;
  run_rules(text, tokens, config, ws);

  std::vector<std::uint32_t> line_starts{0};
  for (std::uint32_t k = 0; k < text.size(); ++k) {
    if (text[k] == '\n') line_starts.push_back(k + 1);
  }
  std::vector<Ours> ours;
  for (const Diagnostic& d : ws.sink.items()) {
    int number = rule_info(d.rule).chktex;
    if (number == 0) continue;
    auto it = std::upper_bound(line_starts.begin(), line_starts.end(), d.range.begin) - 1;
    int line = static_cast<int>(it - line_starts.begin()) + 1;
    ours.push_back({number, line, static_cast<int>(d.range.begin - *it) + 1,
                    static_cast<int>(d.range.end - d.range.begin),
                    std::string(rule_info(d.rule).name)});
  }
  std::set<int> mapped;
  for (const RuleInfo& info : all_rules()) {
    if (info.chktex != 0) mapped.insert(info.chktex);
  }

  auto overlaps = [](const Finding& f, const Ours& o) {
    int f_end = f.col + std::max(f.len, 1), o_end = o.col + std::max(o.len, 1);
    return f.number == o.number && f.line == o.line && o.col < f_end && f.col < o_end;
  };

  std::vector<Finding> theirs = chktex_findings();
  struct Row {
    int chktex = 0, matched = 0, extra = 0, missed_listed = 0, extra_listed = 0;
  };
  std::map<int, Row> rows;
  for (const Finding& f : theirs) {
    Row& row = rows[f.number];
    ++row.chktex;
    if (!mapped.count(f.number)) continue;
    bool hit = std::any_of(ours.begin(), ours.end(), [&](const Ours& o) { return overlaps(f, o); });
    if (hit) {
      ++row.matched;
    } else {
      CHECK_MESSAGE(difference(f.number, f.line, true) != nullptr,
                    "ChkTeX " << f.number << " at " << f.line << ":" << f.col
                              << " not matched and not a listed difference");
      ++row.missed_listed;
    }
  }
  for (const Ours& o : ours) {
    bool hit = std::any_of(theirs.begin(), theirs.end(), [&](const Finding& f) { return overlaps(f, o); });
    if (hit) continue;
    Row& row = rows[o.number];
    ++row.extra;
    CHECK_MESSAGE(difference(o.number, o.line, false) != nullptr,
                  o.rule << " (ChkTeX " << o.number << ") at " << o.line << ":" << o.col
                         << " is not a ChkTeX finding and not a listed difference");
  }

  int covered = 0;
  std::printf("\nChkTeX warning | ChkTeX findings | ours matched | ours extra | rules\n");
  for (int number = 1; number <= 49; ++number) {
    const Row& row = rows[number];
    std::string names;
    for (const RuleInfo& info : all_rules()) {
      if (info.chktex == number) names += (names.empty() ? "" : ", ") + std::string(info.name);
    }
    if (mapped.count(number) && row.matched > 0) ++covered;
    std::printf("%14d | %15d | %12d | %10d | %s\n", number, row.chktex, row.matched, row.extra,
                names.empty() ? "-" : names.c_str());
  }
  std::printf("warnings covered and matched: %d of 49\n", covered);
  for (const Difference& d : kDifferences) {
    std::printf("  difference %d line %d (%s): %s\n", d.number, d.line,
                d.missed ? "ChkTeX only" : "ours only", d.reason);
  }
  CHECK(covered >= 30);
}
