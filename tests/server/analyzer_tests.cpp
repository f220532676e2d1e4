// server::Analyzer: the kernel it names is the dispatcher's, and a warm worker's hot path makes no
// allocation (the quiet-allocation guard's count is exported per analysis), with or without a
// prelude, and a prelude that changes between two analyses is taken up; after an edit the rules
// resume from the previous analysis (same prelude) and agree with a fresh analyzer; facts moved
// after words or braces typed away from their sources (the environment edges read again), or
// typed inside a label, reference or citation key, equal the facts extracted anew.
#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "../corpus.h"
#include "../edits.h"
#include "lexer/kernel.h"
#include "lexer/quiet_allocation_guard.h"
#include "server/analyzer.h"

using namespace perfectex;

namespace {

server::SnapshotPtr snapshot_of(std::string text) {
  auto snapshot = std::make_shared<server::Snapshot>();
  snapshot->text = std::move(text);
  return snapshot;
}

// For each file: `count` edits made by edit(text, rng, facts before, k: 0 for the first of the
// file), each analysed by one
// analyzer whose facts must equal those extracted anew. Returns how many of the edits edit
// counted (it returned true) moved the facts, and how many it counted.
template <typename Edit>
std::pair<int, int> edit_and_compare_facts(std::initializer_list<const char*> files, unsigned seed,
                                           int count, Edit edit) {
  validators::RuleConfig config;
  int moved = 0, counted = 0;
  for (const char* file : files) {
    CAPTURE(file);
    std::string text = testing::read_corpus(file);
    std::mt19937 rng(seed++);
    server::Analyzer analyzer;
    std::shared_ptr<const validators::FileFacts> facts =
        analyzer.analyze(snapshot_of(text), config).facts;
    for (int k = 0; k < count; ++k) {
      CAPTURE(k);
      const bool counts = edit(text, rng, *facts, k);
      server::AnalysisResult r = analyzer.analyze(snapshot_of(text), config);
      REQUIRE(*r.facts == validators::extract_facts(text, analyzer.tokens()));
      moved += counts && r.facts_moved ? 1 : 0;
      counted += counts ? 1 : 0;
      facts = r.facts;
    }
  }
  return {moved, counted};
}

}  // namespace

TEST_CASE("a warm analyzer's guarded section allocates nothing, and reports it") {
  REQUIRE(lexer::allocation_counting_enabled());
  std::ifstream in(std::string(PERFECTEX_CORPUS_DIR) + "/perf/hott_big.tex", std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  auto snapshot = std::make_shared<server::Snapshot>();
  snapshot->text = std::move(s).str();
  REQUIRE(snapshot->text.size() > 1'000'000);
  server::Analyzer analyzer;
  validators::RuleConfig config;
  server::AnalysisResult cold = analyzer.analyze(snapshot, config);
  CHECK(cold.arena_growths > 0);
  server::AnalysisResult warm = analyzer.analyze(snapshot, config);
  CHECK(warm.token_count == cold.token_count);
  CHECK(warm.hot_path_allocations == 0);
  CHECK(server::lexer_kernel_name() == lexer::active_kernel().name);
}

TEST_CASE("an analyzer fed edited snapshots relexes them and agrees with a fresh one") {
  std::ifstream in(std::string(PERFECTEX_CORPUS_DIR) + "/hott-book/basics.tex", std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  std::string text = std::move(s).str();
  validators::RuleConfig config;
  server::Analyzer editing;
  CHECK_FALSE(editing.analyze(snapshot_of(text), config).incremental);
  // Typing that unbalances and rebalances a brace, a verbatim opened and removed, a paste of a
  // paragraph, and a replacement bigger than the relex limit (lexed whole).
  const std::pair<std::size_t, std::string> edits[] = {
      {text.size() / 2, "{"},
      {text.size() / 2 + 40, "}"},
      {text.size() / 3, "\\begin{verbatim}"},
      {text.size() / 4, text.substr(1000, 2000)},
      {text.size() / 5, std::string(server::Analyzer::kMaxRelexBytes + 1, 'x')},
  };
  for (const auto& [at, insert] : edits) {
    text.insert(at, insert);
    server::AnalysisResult got = editing.analyze(snapshot_of(text), config);
    server::Analyzer fresh;
    server::AnalysisResult expected = fresh.analyze(snapshot_of(text), config);
    CHECK(got.incremental == (insert.size() <= server::Analyzer::kMaxRelexBytes));
    CHECK(got.rules_resumed == got.incremental);
    CHECK(editing.tokens() == fresh.tokens());
    CHECK(got.diagnostics == expected.diagnostics);
  }
}

TEST_CASE("a letter typed in a warm analyzer: the rules resume, allocate nothing, and agree") {
  REQUIRE(lexer::allocation_counting_enabled());
  std::ifstream in(std::string(PERFECTEX_CORPUS_DIR) + "/perf/perf_smoke_big.tex",
                   std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  std::string text = std::move(s).str();
  validators::RuleConfig config;
  server::Analyzer analyzer;
  analyzer.analyze(snapshot_of(text), config);
  const std::size_t at = text.find(" the ", text.size() / 2) + 2;
  for (int round = 0; round < 3; ++round) {  // warm, then measured: typed and taken back
    text.insert(at, 1, 'x');
    server::AnalysisResult typed = analyzer.analyze(snapshot_of(text), config);
    text.erase(at, 1);
    server::AnalysisResult back = analyzer.analyze(snapshot_of(text), config);
    CHECK(typed.rules_resumed);
    CHECK(back.rules_resumed);
    if (round > 0) CHECK(typed.hot_path_allocations + back.hot_path_allocations == 0);
  }
  server::Analyzer fresh;
  CHECK(analyzer.analyze(snapshot_of(text + "x"), config).diagnostics ==
        fresh.analyze(snapshot_of(text + "x"), config).diagnostics);
}

TEST_CASE("with every rule on, a warm analysis of perf_smoke_big.tex allocates nothing") {
  std::ifstream in(std::string(PERFECTEX_CORPUS_DIR) + "/perf/perf_smoke_big.tex",
                   std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  auto snapshot = std::make_shared<server::Snapshot>();
  snapshot->text = std::move(s).str();
  validators::RuleConfig config;
  for (const validators::RuleInfo& info : validators::all_rules()) config.apply(info.name, "on");
  server::Analyzer analyzer;
  server::AnalysisResult cold = analyzer.analyze(snapshot, config);
  CHECK(cold.diagnostics.size() > 1000);
  server::AnalysisResult warm = analyzer.analyze(snapshot, config);
  CHECK(warm.diagnostics == cold.diagnostics);
  CHECK(warm.hot_path_allocations == 0);
}

TEST_CASE("an analysis with a prelude: warm without allocation, and a new prelude is taken up") {
  REQUIRE(lexer::allocation_counting_enabled());
  auto read = [](const std::string& relative) {
    std::ifstream in(std::string(PERFECTEX_CORPUS_DIR) + "/" + relative, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return std::move(s).str();
  };
  auto context_of = [](std::string definitions) {
    auto context = std::make_shared<server::AnalysisContext>();
    context->prelude = lexer::expand::make_prelude(std::move(definitions));
    return server::ContextPtr(std::move(context));
  };
  auto macros = context_of(read("napkin/tex/macros.tex"));
  std::string chapter = read("napkin/tex/alg-NT/dedekind.tex");
  validators::RuleConfig config;
  server::Analyzer analyzer;
  server::AnalysisResult cold = analyzer.analyze(snapshot_of(chapter), config, macros);
  server::AnalysisResult warm = analyzer.analyze(snapshot_of(chapter), config, macros);
  CHECK(warm.context == macros);
  CHECK(warm.diagnostics == cold.diagnostics);
  CHECK(warm.hot_path_allocations == 0);
  // The preamble changes (\beq defined) and the chapter is edited: relexed, checked on the new one.
  auto beq = context_of("\\newcommand{\\beq}{\\begin{equation}}");
  chapter.insert(chapter.size() / 2, "\n\n\\beq x = 1 \\end{equation}\n\n");
  server::AnalysisResult edited = analyzer.analyze(snapshot_of(chapter), config, beq);
  CHECK(edited.incremental);
  CHECK_FALSE(edited.rules_resumed);  // another prelude: the rules run whole
  CHECK(edited.context == beq);
  server::Analyzer fresh;
  CHECK(edited.diagnostics == fresh.analyze(snapshot_of(chapter), config, beq).diagnostics);
  server::AnalysisResult without = fresh.analyze(snapshot_of(chapter), config);
  CHECK(without.context == nullptr);
  CHECK(std::any_of(
      without.diagnostics.begin(), without.diagnostics.end(),
      [](const validators::Diagnostic& d) { return d.rule == validators::RuleId::UnmatchedEnd; }));
  CHECK(std::none_of(
      edited.diagnostics.begin(), edited.diagnostics.end(),
      [](const validators::Diagnostic& d) { return d.rule == validators::RuleId::UnmatchedEnd; }));
}

TEST_CASE("facts moved after an edit equal the facts extracted from the new text") {
  // What the facts are read from, and words typed around it.
  constexpr std::string_view kSnippets[] = {"\\label{a}",
                                            "\\ref{b}",
                                            "\\input{c}",
                                            "\\input d ",
                                            "\\cite{e,f}",
                                            "\\usepackage{g}",
                                            "% !TeX root = r.tex\n",
                                            "\\begin{itemize}",
                                            "\\end{itemize}",
                                            "\\graphicspath{{h/}}",
                                            "\\newcommand{\\P}{i}",
                                            "\\def\\Q{j}",
                                            "\\includegraphics{k}",
                                            "\\makeatletter",
                                            "\\includeonly{l}",
                                            "\\end{document}",
                                            "word ",
                                            "{",
                                            "}",
                                            "$",
                                            "\\emph",
                                            "\\",
                                            "\\iffalse ",
                                            "\\fi ",
                                            "\\verb|}|",
                                            "%",
                                            "x",
                                            "\n",
                                            " "};
  auto edit = [&](std::string& text, std::mt19937& rng, const validators::FileFacts&, int) {
    testing::random_edit(text, rng, kSnippets);
    return true;
  };
  auto [moved, edits] = edit_and_compare_facts(
      {"napkin/tex/linalg/vector-space.tex", "hott-book/basics.tex", "perf/perf_smoke_big.tex"}, 1,
      120, edit);
  MESSAGE(moved << " of " << edits << " edits moved the facts");
  CHECK(moved * 4 > edits);  // the letters, spaces and line ends typed away from commands
}

TEST_CASE("facts after typing inside a label, reference or citation key equal the facts anew") {
  // A key of the document, and a character typed into it or taken out of it: mostly one of a
  // key, at times a comma, a blank or a brace, which cut or end keys. Counted: the former.
  auto edit = [](std::string& text, std::mt19937& rng, const validators::FileFacts& facts, int) {
    std::vector<validators::Name> keys = facts.labels;
    keys.insert(keys.end(), facts.references.begin(), facts.references.end());
    keys.insert(keys.end(), facts.citations.begin(), facts.citations.end());
    REQUIRE_FALSE(keys.empty());
    const validators::Span key = keys[rng() % keys.size()].span;
    const std::size_t at = key.begin + rng() % (key.end - key.begin + 1);
    static constexpr std::string_view kTyped = "abc-:9xyz,  {";
    const bool typing = rng() % 3 != 0 || key.end - key.begin < 2;
    const std::string_view typed = kTyped.substr(rng() % kTyped.size(), 1);
    const std::size_t erased = std::min<std::size_t>(at, key.end - 1);
    const char changed = typing ? typed[0] : text[erased];
    if (typing) {
      testing::apply_edit(text, at, 0, typed);
    } else {
      testing::apply_edit(text, erased, 1, "");
    }
    return std::string_view(", {").find(changed) == std::string_view::npos;
  };
  auto [retyped, in_keys] = edit_and_compare_facts(
      {"hott-book/basics.tex", "stacks/categories.tex", "napkin/tex/linalg/vector-space.tex"}, 7,
      150, edit);
  MESSAGE(retyped << " of " << in_keys << " edits of a key's characters moved the facts");
  CHECK(retyped * 10 > in_keys * 9);  // keys with `_` or `^` in them are not plain words
}

TEST_CASE("words typed where they change what a command reads make the facts be read anew") {
  // Each text, and where a character goes in (or, for a deletion, which one goes out): each
  // changes the facts. A key in a definition changes the definition (whose text is hashed); a
  // word after a comma makes a key; a word between a command and its argument (in a group left
  // open, where words typed in an argument change nothing) takes the argument away, and one
  // between two commands parts what they read. A `%` that hides a `{` leaves its `}` stray, and
  // the environment left open at the end is no longer an edge.
  struct Case {
    std::string_view text, before;
    std::string_view typed;  ///< empty: the character after `before` is deleted
  };
  constexpr Case kCases[] = {
      {"\\newenvironment{thm}{\\label{key}}{}\n\\ref{key}\n", "\\label{k", "x"},
      {"\\newcommand{\\mylabel}{\\label{key}}\n\\ref{key}\n", "\\label{k", "x"},
      {"\\input{\\ref{key}}\n", "\\ref{k", "x"},
      {"See \\cite{a, b}.\n", "{a,", "x"},
      {"{\\itshape \\label {key} and words\n\nMore.\n", "\\label ", "y"},
      {"{\\itshape \\label y{key} and words\n\nMore.\n", "\\label ", ""},
      {"{\\itshape \\cite[p. 2] {key} and words\n\nMore.\n", "] ", "z"},
      {"{\\itshape \\cref{a}\\ref{b} and words\n\nMore.\n", "\\cref{a}", "\n"},
      {"\\begin{document}\nA \\textbf{bold\nstill bold} and more.\n", "A ", "%"},
  };
  validators::RuleConfig config;
  for (const Case& c : kCases) {
    // Past the first 20 lines, which are read for a root comment.
    std::string text = "\\documentclass{article}\n";
    for (int line = 0; line < 20; ++line) text += "Some words.\n";
    text += c.text;
    CAPTURE(text);
    server::Analyzer analyzer;
    const validators::FileFacts before = *analyzer.analyze(snapshot_of(text), config).facts;
    const std::size_t at = text.find(c.before) + c.before.size();
    testing::apply_edit(text, at, c.typed.empty() ? 1 : 0, c.typed);
    server::AnalysisResult r = analyzer.analyze(snapshot_of(text), config);
    CHECK(*r.facts == validators::extract_facts(text, analyzer.tokens()));
    CHECK_FALSE(*r.facts == before);
  }
}

TEST_CASE("facts while a key or an environment name is typed, its brace closed, and words after") {
  // As in an editor that does not close braces: a command and its `{` typed on a line of its own
  // at a paragraph's start, then a name character by character, at times a comma or a blank, then
  // the `}`, then words or a line end. Counted: the characters typed but the braces and commands.
  constexpr std::string_view kCommands[] = {"\\label{", "\\ref{", "\\cite{", "\\begin{",
                                            "\\eqref{"};
  constexpr std::string_view kTyped = "abcdefghij-:9,  ";
  constexpr std::string_view kAfter = "ab \n";
  std::size_t at = 0;
  int name = 0, after = 0;
  auto edit = [&](std::string& text, std::mt19937& rng, const validators::FileFacts&, int k) {
    if (k == 0) name = after = 0;  // another file
    if (name == 0 && after == 0) {
      const std::string_view command = kCommands[rng() % std::size(kCommands)];
      at = text.find("\n\n", rng() % text.size());
      if (at == std::string::npos) at = text.find("\n\n");
      at += 2;
      testing::apply_edit(text, at, 0, std::string(command) + "\n");
      at += command.size();
      name = 1 + static_cast<int>(rng() % 12);
      after = static_cast<int>(rng() % 4);
      return false;
    }
    if (name > 0 && --name == 0) {
      testing::apply_edit(text, at++, 0, "}");
      return false;
    }
    if (name == 0) --after;
    const std::string_view typed = name > 0 ? kTyped : kAfter;
    testing::apply_edit(text, at++, 0, typed.substr(rng() % typed.size(), 1));
    return true;
  };
  auto [moved, typed] = edit_and_compare_facts(
      {"hott-book/basics.tex", "stacks/categories.tex", "napkin/tex/linalg/vector-space.tex"}, 11,
      200, edit);
  MESSAGE(moved << " of " << typed << " characters typed in and after a name moved the facts");
  // Not the rest: in the first 20 lines (read for a root comment), in a paragraph that also
  // reads a figure or an input, or right between two commands.
  CHECK(moved * 4 > typed * 3);
}

TEST_CASE("facts after an edit of any kind right before or after a source") {
  // An edit that ends where a source starts or starts where one ends: anything typed (a line
  // end, a backslash, a bracket, a brace, a command) or a few bytes taken out. Counted: the
  // edits that put in or took out no brace and no command the facts are read from.
  constexpr std::string_view kTyped[] = {
      "\n", "\n\n",   "\\", "\\\\", "[",          "]", "$",     "%",       "~",         "x",
      " ",  "\\emph", "{",  "}",    "\\label{z}", "*", "\\fi ", "\\verb|", "\\iffalse "};
  auto edit = [&](std::string& text, std::mt19937& rng, const validators::FileFacts& facts, int) {
    REQUIRE(facts.sources.size() > 1);
    const std::size_t m = facts.sources.size() - 1,
                      k = rng() % (m + facts.environment_sources.size());
    const validators::Span source = k < m ? facts.sources[1 + k] : facts.environment_sources[k - m];
    const bool after = rng() % 2 == 0;
    const std::size_t at = after ? source.end : source.begin;
    if (rng() % 4 == 0) {
      const std::size_t n = std::min<std::size_t>(1 + rng() % 3, after ? text.size() - at : at);
      const bool counts =
          text.substr(after ? at : at - n, n).find_first_of("{}\\") == std::string::npos;
      testing::apply_edit(text, after ? at : at - n, n, "");
      return counts;
    }
    const std::string_view typed = kTyped[rng() % std::size(kTyped)];
    testing::apply_edit(text, at, 0, typed);
    return typed.find_first_of("{}") == std::string_view::npos && typed != "\\label{z}" &&
           typed != "\\fi " && typed != "\\iffalse ";
  };
  auto [moved, counted] =
      edit_and_compare_facts({"hott-book/basics.tex", "stacks/categories.tex",
                              "napkin/tex/linalg/vector-space.tex", "perf/perf_smoke_big.tex"},
                             21, 150, edit);
  MESSAGE(moved << " of " << counted << " edits beside a source moved the facts");
  CHECK(moved * 3 > counted);
}

TEST_CASE("facts while typing in an editor that closes braces") {
  // Each `{` typed comes with its `}`: a pair typed at a random place (at times a command before
  // it), then letters inside it, then the cursor steps over the `}` and types on. A pair changes
  // the groups of nothing outside it, so away from the commands the facts are read from, each
  // edit moves them. Counted: the pairs typed.
  constexpr std::string_view kPairs[] = {"{}", "\\textbf{}", "$x^{}$", "\\emph{}", "{}"};
  constexpr std::string_view kTyped = "abcxyz -,.";
  std::size_t at = 0;
  int inside = 0;
  auto edit = [&](std::string& text, std::mt19937& rng, const validators::FileFacts&, int k) {
    if (k == 0) inside = 0;  // another file
    if (inside == 0) {
      const std::string_view pair = kPairs[rng() % std::size(kPairs)];
      at = rng() % text.size();
      testing::apply_edit(text, at, 0, pair);
      at += pair.find('}');
      inside = 1 + static_cast<int>(rng() % 8);
      return true;
    }
    if (--inside == 0) ++at;  // over the `}`
    testing::apply_edit(text, at++, 0, kTyped.substr(rng() % kTyped.size(), 1));
    return false;
  };
  auto [moved, counted] = edit_and_compare_facts(
      {"hott-book/basics.tex", "stacks/categories.tex", "perf/perf_smoke_big.tex"}, 31, 200, edit);
  MESSAGE(moved << " of " << counted << " pairs of braces typed moved the facts");
  CHECK(moved * 10 > counted * 7);
}

TEST_CASE("facts while an environment is typed one character at a time") {
  // As the replay harness types: `\\begin{itemize}`, an item, `\\end{itemize}` at a paragraph's
  // start, each character an edit. The \\begin and \\end, their names and braces change what the
  // braces, \\begin and \\end give, read again; the rest moves. Counted: every character.
  constexpr std::string_view kTyped = "\\begin{itemize}\n\\item {Some} words.\n\\end{itemize}\n";
  std::size_t at = 0, next = kTyped.size();
  auto edit = [&](std::string& text, std::mt19937& rng, const validators::FileFacts&, int k) {
    if (k == 0 || next == kTyped.size()) {
      at = text.find("\n\n", text.size() / 4 + rng() % (text.size() / 2));
      if (at == std::string::npos) at = text.find("\n\n");
      at += 2;
      next = 0;
    }
    testing::apply_edit(text, at++, 0, kTyped.substr(next++, 1));
    return true;
  };
  auto [moved, typed] = edit_and_compare_facts(
      {"hott-book/basics.tex", "stacks/categories.tex", "perf/perf_smoke_big.tex"}, 51, 200, edit);
  MESSAGE(moved << " of " << typed << " characters of an environment typed moved the facts");
  CHECK(moved * 10 > typed * 9);
}

TEST_CASE(
    "facts after a lone brace typed or taken away: moved, and the environment edges read again") {
  // A `{` or `}` typed at a random place, or one of the document's braces taken away: the groups
  // of everything after it change. Away from the commands the facts are read from (and from the
  // definitions), the facts move and only the environment edges are read again. Counted: all.
  auto edit = [](std::string& text, std::mt19937& rng, const validators::FileFacts&, int) {
    if (rng() % 3 == 0) {
      std::size_t at = text.find_first_of("{}", rng() % text.size());
      if (at == std::string::npos) at = text.find_first_of("{}");
      testing::apply_edit(text, at, 1, "");
    } else {
      testing::apply_edit(text, rng() % (text.size() + 1), 0, rng() % 2 == 0 ? "{" : "}");
    }
    return true;
  };
  auto [moved, counted] =
      edit_and_compare_facts({"hott-book/basics.tex", "stacks/categories.tex",
                              "napkin/tex/linalg/vector-space.tex", "perf/perf_smoke_big.tex"},
                             41, 150, edit);
  MESSAGE(moved << " of " << counted << " lone braces typed or taken away moved the facts");
  CHECK(moved * 2 > counted);

  // A file that leaves an environment open to the files around it, and a `{` typed after its
  // \begin, left open: the file's groups and environments tangle, so it has no edge; the `{`
  // taken back makes it one again.
  validators::RuleConfig config;
  std::string text;  // past the first lines, which are read for a root comment
  for (int line = 0; line < 30; ++line) text += "Some words.\n";
  text += "\\begin{proof}\nMore words.\n";
  server::Analyzer analyzer;
  const validators::FileFacts opened = *analyzer.analyze(snapshot_of(text), config).facts;
  REQUIRE(opened.environment_edges.size() == 1);
  CHECK(opened.environment_edges[0].opens);
  const std::size_t at = text.find("More");
  testing::apply_edit(text, at, 0, "{");
  server::AnalysisResult grouped = analyzer.analyze(snapshot_of(text), config);
  CHECK(grouped.facts_moved);
  CHECK(grouped.facts_moved_from == nullptr);  // an edge went: the project checks again
  CHECK(grouped.facts->environment_edges.empty());
  CHECK(*grouped.facts == validators::extract_facts(text, analyzer.tokens()));
  testing::apply_edit(text, at, 1, "");
  server::AnalysisResult again = analyzer.analyze(snapshot_of(text), config);
  CHECK(again.facts_moved);
  CHECK(*again.facts == opened);
  // Right before the \begin, which reads nothing before it.
  testing::apply_edit(text, text.find("\\begin"), 0, "{");
  server::AnalysisResult before = analyzer.analyze(snapshot_of(text), config);
  CHECK(before.facts_moved);
  CHECK(before.facts->environment_edges.empty());
  CHECK(*before.facts == validators::extract_facts(text, analyzer.tokens()));
}

TEST_CASE(
    "what the environments give, read again after edits from checkpoints, as from the start") {
  // Braces, \\begin and \\end typed or taken away at random, with a checkpoint every 64 tokens:
  // the facts equal those extracted anew.
  constexpr std::string_view kSnippets[] = {
      "{", "}", "\\begin{proof}", "\\end{proof}", "\\end{document}", "\\begin{itemize}"};
  validators::RuleConfig config;
  for (const char* file : {"napkin/tex/linalg/vector-space.tex", "hott-book/basics.tex"}) {
    CAPTURE(file);
    std::string text = testing::read_corpus(file);
    std::mt19937 rng(61);
    server::Analyzer analyzer;
    analyzer.environment_checkpoints().spacing = 64;
    analyzer.analyze(snapshot_of(text), config);
    for (int k = 0; k < 150; ++k) {
      CAPTURE(k);
      const std::size_t at = rng() % text.size();
      if (rng() % 3 == 0) {
        const std::size_t brace = text.find_first_of("{}", at);
        testing::apply_edit(text, brace == std::string::npos ? at : brace,
                            brace == std::string::npos ? 0 : 1, "");
      } else {
        testing::apply_edit(text, at, 0, kSnippets[rng() % std::size(kSnippets)]);
      }
      server::AnalysisResult r = analyzer.analyze(snapshot_of(text), config);
      REQUIRE(*r.facts == validators::extract_facts(text, analyzer.tokens()));
    }
    CHECK_FALSE(analyzer.environment_checkpoints().points.empty());
  }

  // A read starts at the last checkpoint before the edit: one marked tangled by hand makes the
  // file's open environment no edge, where a read from the start finds it one.
  std::string text;  // past the first lines, which are read for a root comment
  for (int line = 0; line < 30; ++line) text += "Some words.\n";
  text += "\\begin{proof}\n";
  for (int line = 0; line < 60; ++line) text += "More {words} here.\n";
  server::Analyzer analyzer;
  analyzer.environment_checkpoints().spacing = 16;
  analyzer.analyze(snapshot_of(text), config);
  testing::apply_edit(text, text.find("More"), 0, "{");  // read from the start, with checkpoints
  analyzer.analyze(snapshot_of(text), config);
  REQUIRE(analyzer.environment_checkpoints().points.size() > 10);
  for (auto& point : analyzer.environment_checkpoints().points) point.tangled = true;
  testing::apply_edit(text, text.rfind("here"), 0, "}");
  server::AnalysisResult r = analyzer.analyze(snapshot_of(text), config);
  const validators::FileFacts fresh = validators::extract_facts(text, analyzer.tokens());
  REQUIRE(fresh.environment_edges.size() == 1);
  CHECK(r.facts_moved);
  CHECK(r.facts->environment_edges.empty());

  // Deep nesting: 20,000 environments never closed. No point copies them all (a point every 16
  // tokens would hold 200 million names); braces typed among them read the same as from the start.
  std::string deep = text;
  for (int k = 0; k < 20000; ++k) deep += "\\begin{a}{x}\n";
  server::Analyzer nested;
  nested.environment_checkpoints().spacing = 16;
  nested.analyze(snapshot_of(deep), config);
  for (std::size_t at : {deep.size() / 2, deep.size() / 3, deep.size() - 5}) {
    testing::apply_edit(deep, at, 0, "{");
    server::AnalysisResult n = nested.analyze(snapshot_of(deep), config);
    REQUIRE(*n.facts == validators::extract_facts(deep, nested.tokens()));
    for (const auto& point : nested.environment_checkpoints().points)
      CHECK(point.open.size() + point.ends.size() <= 64);
  }
}

TEST_CASE("a word typed at the end of a document whose last argument is left open") {
  validators::RuleConfig config;
  std::string text = "\\documentclass{article}\n";
  for (int line = 0; line < 20; ++line) text += "Some words.\n";
  text += "\n\\label{k";
  server::Analyzer analyzer;
  analyzer.analyze(snapshot_of(text), config);
  text += "e";
  server::AnalysisResult r = analyzer.analyze(snapshot_of(text), config);
  CHECK(*r.facts == validators::extract_facts(text, analyzer.tokens()));
}
