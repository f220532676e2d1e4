#include <doctest/doctest.h>

#include <fstream>
#include <iterator>
#include <optional>
#include <set>

#include "tools/replay/synthesizer.h"
#include "tools/replay/text_document.h"

namespace perfectex::replay {
namespace {

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Applies every didChange of a session to the text it opened, as a server would.
std::string apply_session(const Session& session, std::int64_t* last_version) {
  std::optional<TextDocument> doc;
  for (const auto& e : session.entries) {
    const std::string method = e.msg.value("method", "");
    if (method == "textDocument/didOpen") {
      doc.emplace(e.msg["params"]["textDocument"]["text"].get<std::string>());
      *last_version = e.msg["params"]["textDocument"]["version"];
    } else if (method == "textDocument/didChange") {
      const json& params = e.msg["params"];
      const std::int64_t version = params["textDocument"]["version"];
      CHECK(version == *last_version + 1);
      *last_version = version;
      for (const auto& change : params["contentChanges"]) {
        const json& r = change["range"];
        const std::size_t start = doc->offset_at({r["start"]["line"], r["start"]["character"]});
        const std::size_t end = doc->offset_at({r["end"]["line"], r["end"]["character"]});
        REQUIRE(start <= end);
        doc->replace(start, end - start, change["text"].get<std::string>());
      }
    }
  }
  return doc ? doc->text() : std::string();
}

SynthesisOptions options_for(const std::string& path, std::size_t keystrokes, std::uint64_t seed) {
  SynthesisOptions o;
  o.path = path;
  o.keystrokes = keystrokes;
  o.seed = seed;
  return o;
}

}  // namespace

TEST_CASE("a synthesized session is valid: its edits applied to the file give the final text") {
  for (const char* file :
       {"/perf/perf_math_light.tex", "/perf/perf_unicode.tex", "/perf/edit_window_4kb.tex"}) {
    CAPTURE(file);
    const std::string path = std::string(PERFECTEX_CORPUS_DIR) + file;
    const auto result = synthesize(options_for(path, 400, 5), read(path));
    std::int64_t last_version = 0;
    CHECK(apply_session(result.session, &last_version) == result.final_text);
    CHECK(result.stats.edits == 400);
    CHECK(last_version == 401);  // didOpen is version 1
  }
}

TEST_CASE(
    "a session opens, types, pastes, deletes a line, breaks and repairs a brace, asks, and ends") {
  const std::string path = std::string(PERFECTEX_CORPUS_DIR) + "/perf/perf_math_light.tex";
  const auto result = synthesize(options_for(path, 300, 11), read(path));
  const auto& s = result.stats;
  CHECK(s.characters > 150);
  CHECK(s.newlines > 0);
  CHECK(s.pastes >= 1);
  CHECK(s.line_deletions >= 1);
  CHECK(s.brace_breaks >= 1);
  CHECK(s.requests.count("textDocument/codeAction") == 1);
  CHECK(s.requests.count("textDocument/documentSymbol") == 1);
  const auto& entries = result.session.entries;
  REQUIRE(entries.size() > 300);
  CHECK(entries[0].msg["method"] == "initialize");
  CHECK(entries[1].msg["method"] == "initialized");
  CHECK(entries[2].msg["method"] == "textDocument/didOpen");
  CHECK(entries[2].msg["params"]["textDocument"]["languageId"] == "latex");
  CHECK(entries[entries.size() - 2].msg["method"] == "shutdown");
  CHECK(entries.back().msg["method"] == "exit");
  std::set<std::int64_t> ids;
  for (std::size_t i = 1; i < entries.size(); ++i) {
    CHECK(entries[i].t_us >= entries[i - 1].t_us);
    CHECK(entries[i].from == Sender::Client);
    if (entries[i].msg.contains("id"))
      CHECK(ids.insert(entries[i].msg["id"].get<std::int64_t>()).second);
  }
  // Typing at a human pace: 300 keys take well over a minute of recorded time.
  CHECK(entries.back().t_us > 30'000'000);
  CHECK(result.session.header["source"] == "synthesize");
  CHECK(result.session.header["keystrokes"] == 300);
}

TEST_CASE("every seed pastes, deletes a line and breaks a brace, and stays valid") {
  const std::string path = std::string(PERFECTEX_CORPUS_DIR) + "/perf/edit_window_4kb.tex";
  const std::string text = read(path);
  for (std::uint64_t seed = 1; seed <= 25; ++seed) {
    CAPTURE(seed);
    const auto result = synthesize(options_for(path, 100, seed), text);
    CHECK(result.stats.pastes >= 1);
    CHECK(result.stats.line_deletions >= 1);
    CHECK(result.stats.brace_breaks >= 1);
    std::int64_t last_version = 0;
    CHECK(apply_session(result.session, &last_version) == result.final_text);
    CHECK(last_version == 101);
  }
}

TEST_CASE("an editor that closes braces: `{` types `{}`, the `}` key steps over it") {
  const std::string path = std::string(PERFECTEX_CORPUS_DIR) + "/perf/perf_math_light.tex";
  SynthesisOptions options = options_for(path, 600, 3);
  options.close_braces = true;
  const auto result = synthesize(options, read(path));
  std::int64_t last_version = 0;
  CHECK(apply_session(result.session, &last_version) == result.final_text);
  CHECK(result.session.header["close_braces"] == true);
  std::size_t pairs = 0, closers = 0;
  for (const auto& e : result.session.entries) {
    if (e.msg.value("method", "") != "textDocument/didChange") continue;
    const std::string typed = e.msg["params"]["contentChanges"][0]["text"];
    pairs += typed == "{}" ? 1 : 0;
    closers += typed == "}" ? 1 : 0;
  }
  CHECK(pairs > 10);
  // Each `}` key after a `{}` steps over the `}` the editor put in; one is typed only where the
  // fragment closes a brace it did not open here, or a brace break is repaired.
  CHECK(result.stats.braces_stepped_over * 2 > pairs);
  CHECK(closers * 4 < pairs);
}

TEST_CASE("the same seed gives the same session; another seed another one") {
  const std::string path = std::string(PERFECTEX_CORPUS_DIR) + "/perf/perf_macro_dense.tex";
  const std::string text = read(path);
  auto encode = [](const Session& s) {
    std::string out;
    for (const auto& e : s.entries) out += encode_entry(e) + "\n";
    return out;
  };
  const auto a = synthesize(options_for(path, 200, 42), text);
  const auto b = synthesize(options_for(path, 200, 42), text);
  const auto c = synthesize(options_for(path, 200, 43), text);
  CHECK(encode(a.session) == encode(b.session));
  CHECK(encode(a.session) != encode(c.session));
}

TEST_CASE("only the requested methods are sent") {
  const std::string path = std::string(PERFECTEX_CORPUS_DIR) + "/perf/perf_math_light.tex";
  auto o = options_for(path, 300, 2);
  o.requests = {"textDocument/hover"};
  const auto result = synthesize(o, read(path));
  for (const auto& [method, n] : result.stats.requests) {
    if (method != "initialize" && method != "shutdown") CHECK(method == "textDocument/hover");
  }
  o.requests.clear();
  const auto none = synthesize(o, read(path));
  CHECK(none.stats.requests.size() == 2);  // initialize and shutdown
}

TEST_CASE("tiny and empty documents still give a valid session") {
  for (const std::string& text :
       {std::string(), std::string("x"), std::string("\\begin{document}\n\\end{document}\n")}) {
    const auto result = synthesize(options_for("tiny.tex", 50, 1), text);
    std::int64_t last_version = 0;
    CHECK(apply_session(result.session, &last_version) == result.final_text);
    CHECK(result.stats.edits == 50);
  }
  const auto zero = synthesize(options_for("tiny.tex", 0, 1), "abc");
  CHECK(zero.stats.edits == 0);
  CHECK(zero.final_text == "abc");
}

TEST_CASE("file URIs and language ids") {
  CHECK(file_uri("/tmp/a b/ü.tex") == "file:///tmp/a%20b/%C3%BC.tex");
  CHECK(file_uri("/x/./y/../z.tex") == "file:///x/z.tex");
  CHECK(language_id_for("a.tex") == "latex");
  CHECK(language_id_for("a.bib") == "bibtex");
  CHECK(language_id_for("a.c") == "c");
  CHECK(language_id_for("a.cpp") == "cpp");
  CHECK(language_id_for("README") == "plaintext");
}

}  // namespace perfectex::replay
