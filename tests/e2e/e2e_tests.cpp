// End to end: the real perfectex binary over pipes, as an editor runs it, and `perfectex check`
// as a user runs it on corpus files.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "../corpus.h"
#include "child_process.h"
#include "lsp_session.h"
#include "protocol/framing.h"
#include "protocol/jsonrpc.h"

using namespace perfectex;
using namespace std::chrono_literals;
using protocol::json;

namespace {

// The real binary over pipes, as an editor runs it.
class Session : public testing::LspSession {
 public:
  Session()
      : LspSession([this](std::string_view b) { child_.write(b); },
                   [this](std::chrono::milliseconds t) { return child_.read_some(t); },
                   [this] { return child_.drain_stderr(); }),
        child_({PERFECTEX_BINARY, "serve", "--stdio", "--log-level", "debug"}) {}
  std::optional<int> finish(std::chrono::milliseconds timeout = 10s) {
    return child_.wait(timeout);
  }
  void close_input() { child_.close_stdin(); }

 private:
  testing::ChildProcess child_;
};

using testing::notification;
using testing::request;

}  // namespace

TEST_CASE("an editor session: initialize, an error, its fix, shutdown, exit") {
  Session s;
  s.send(request(1, "initialize",
                 {{"processId", nullptr}, {"rootUri", nullptr}, {"capabilities", json::object()}}));
  json init = s.reply(1);
  CHECK(init["result"]["capabilities"]["positionEncoding"] == "utf-16");
  CHECK(init["result"]["serverInfo"]["name"] == "perfectex");
  s.send(notification("initialized", json::object()));

  std::string uri = "file:///tmp/e2e.tex";
  std::string text =
      "\\documentclass{article}\n\\begin{document}\n\\begin{itemize}\n\\item \xC3\xA9t\xC3\xA9 "
      "}\n\\end{itemize}\n\\end{document}\n";
  s.send(notification(
      "textDocument/didOpen",
      {{"textDocument", {{"uri", uri}, {"languageId", "latex"}, {"version", 1}, {"text", text}}}}));
  json first = s.publish(uri, 1);
  REQUIRE(first["diagnostics"].size() == 1);
  CHECK(first["diagnostics"][0]["code"] == "unmatched-close-brace");
  CHECK(first["diagnostics"][0]["range"] ==
        json::parse(R"({"start":{"line":3,"character":10},"end":{"line":3,"character":11}})"));

  s.send(request(
      2, "textDocument/codeAction",
      {{"textDocument", {{"uri", uri}}},
       {"range",
        {{"start", {{"line", 3}, {"character", 10}}}, {"end", {{"line", 3}, {"character", 10}}}}},
       {"context", {{"diagnostics", first["diagnostics"]}}}}));
  json actions = s.reply(2)["result"];
  REQUIRE(actions.size() == 1);
  json edit = actions[0]["edit"]["changes"][uri][0];

  s.send(notification("textDocument/didChange",
                      {{"textDocument", {{"uri", uri}, {"version", 2}}},
                       {"contentChanges", json::array({edit.value("range", json()).is_null()
                                                           ? json()
                                                           : json{{"range", edit["range"]},
                                                                  {"text", edit["newText"]}}})}}));
  json fixed = s.publish(uri, 2);
  CHECK(fixed["diagnostics"].empty());

  s.send(request(3, "shutdown", nullptr));
  CHECK(s.reply(3)["result"].is_null());
  s.send(notification("exit", nullptr));
  CHECK(s.finish() == 0);
}

TEST_CASE("bad input over real pipes gets errors while the server keeps serving") {
  Session s;
  s.send(request(1, "textDocument/codeAction", json::object()));
  CHECK(s.reply(1)["error"]["code"] == -32002);
  s.send(request(2, "initialize", {{"capabilities", json::object()}}));
  s.reply(2);
  s.send_raw("Content-Length: 5\r\n\r\n{bad}");
  CHECK(s.expect([](const json& m) {
    return m.contains("error") && m["id"].is_null();
  })["error"]["code"] == -32700);
  s.send_raw("Content-Length: -1\r\n\r\nContent-Type: nothing\r\n\r\n");
  s.send(request(3, "no/such/method", json::object()));
  CHECK(s.reply(3)["error"]["code"] == -32601);
  s.send(request(4, "textDocument/codeAction", {{"textDocument", {{"uri", "file:///x.tex"}}}}));
  CHECK(s.reply(4)["error"]["code"] == -32602);
  s.send(notification("textDocument/didChange",
                      {{"textDocument", {{"uri", "file:///never.tex"}, {"version", 3}}},
                       {"contentChanges", json::array({{{"text", "x"}}})}}));
  // A document of 8 MB with deep nesting still gets its diagnostics.
  std::string huge(8u << 20, 'a');
  huge.replace(0, 20000, std::string(20000, '{'));
  s.send(notification(
      "textDocument/didOpen",
      {{"textDocument",
        {{"uri", "file:///huge.tex"}, {"languageId", "latex"}, {"version", 1}, {"text", huge}}}}));
  json big = s.publish("file:///huge.tex", 1);
  CHECK(big["diagnostics"].size() >= 1);
  s.send(request(5, "perfectex/stats", nullptr));
  json stats = s.reply(5)["result"];
  CHECK(stats["documents"] == 1);
  CHECK(stats["errors"].get<int>() >= 4);
  s.close_input();
  CHECK(s.finish() == 1);
}

TEST_CASE("exit without shutdown exits with code 1") {
  Session s;
  s.send(request(1, "initialize", {{"capabilities", json::object()}}));
  s.reply(1);
  s.send(notification("exit", nullptr));
  CHECK(s.finish() == 1);
}

TEST_CASE("check: compiler-style lines, JSON, exit codes") {
  auto corpus = testing::corpus_dir();
  auto [code, out] = testing::run_command(
      {PERFECTEX_BINARY, "check", (corpus / "perf/perf_smoke_big.tex").string()});
  CHECK(code == 1);
  CHECK(out.find("perf_smoke_big.tex:26:1: error: environment `document` is never closed; add "
                 "`\\end{document}` "
                 "[unclosed-environment]") != std::string::npos);

  auto [clean_code, clean_out] =
      testing::run_command({PERFECTEX_BINARY, "check", (corpus / "perf/hott_big.tex").string()});
  CHECK(clean_code == 0);
  CHECK(clean_out.find(": error:") == std::string::npos);

  std::vector<std::string> napkin = {PERFECTEX_BINARY, "check"};
  for (const auto& p : testing::corpus_files("napkin", ".tex")) napkin.push_back(p.string());
  CHECK(testing::run_command(napkin).first == 0);

  // A copy of hott_big.tex with one `}` deleted reports exactly that brace.
  std::string text = testing::read_corpus("perf/hott_big.tex");
  std::size_t open = text.find("\\emph{", text.size() / 2) + 5;
  std::size_t close = text.find('}', open);
  text.erase(close, 1);
  auto copy = std::filesystem::temp_directory_path() / "perfectex-e2e-deleted-brace.tex";
  std::ofstream(copy, std::ios::binary) << text;
  auto [json_code, json_out] =
      testing::run_command({PERFECTEX_BINARY, "check", "--format", "json", copy.string()});
  CHECK(json_code == 1);
  json report = json::parse(json_out);
  std::vector<json> errors;
  for (const json& d : report[0]["diagnostics"]) {
    if (d["severity"] == "error") errors.push_back(d);
  }
  REQUIRE(errors.size() == 1);
  CHECK(errors[0]["rule"] == "unclosed-brace");
  CHECK(errors[0]["offset"] == open);
  std::filesystem::remove(copy);

  CHECK(testing::run_command({PERFECTEX_BINARY, "check", "/no/such/file.tex"}).first != 0);
  auto [v_code, v_out] = testing::run_command({PERFECTEX_BINARY, "--version"});
  CHECK(v_code == 0);
  CHECK(v_out.rfind("perfectex ", 0) == 0);
}

TEST_CASE("a project in the editor: a label deleted in one open chapter breaks the other's ref") {
  namespace fs = std::filesystem;
  const std::string main_tex =
      "\\documentclass{book}\n\\begin{document}\n\\include{one}\n\\include{two}\n\\end{document}\n";
  const std::string one = "\\chapter{One}\\label{ch:one}\n";
  const std::string two = "As Chapter~\\ref{ch:one} shows.\n";
  fs::path dir = testing::scratch_folder(
      "perfectex-e2e-project", {{"main.tex", main_tex}, {"one.tex", one}, {"two.tex", two}});
  const std::string uri_one = "file://" + (dir / "one.tex").string();
  const std::string uri_two = "file://" + (dir / "two.tex").string();
  auto codes = [](const json& params) {
    std::vector<std::string> out;
    for (const json& d : params["diagnostics"]) out.push_back(d["code"].get<std::string>());
    return out;
  };
  auto open = [](const std::string& uri, const std::string& text) {
    return notification(
        "textDocument/didOpen",
        {{"textDocument",
          {{"uri", uri}, {"languageId", "latex"}, {"version", 1}, {"text", text}}}});
  };
  auto replace = [](const std::string& uri, int version, const std::string& text) {
    return notification("textDocument/didChange",
                        {{"textDocument", {{"uri", uri}, {"version", version}}},
                         {"contentChanges", json::array({{{"text", text}}})}});
  };

  Session s;
  s.send(request(1, "initialize",
                 {{"capabilities",
                   {{"workspace", {{"didChangeWatchedFiles", {{"dynamicRegistration", true}}}}}}},
                  {"workspaceFolders",
                   json::array({{{"uri", "file://" + dir.string()}, {"name", "book"}}})}}));
  s.reply(1);
  s.send(notification("initialized", json::object()));
  json registration =
      s.expect([](const json& m) { return m.value("method", "") == "client/registerCapability"; });
  CHECK(registration["params"]["registrations"][0]["method"] == "workspace/didChangeWatchedFiles");
  s.send(open(uri_one, one));
  s.publish(uri_one, 1);
  s.send(open(uri_two, two));
  CHECK(codes(s.publish(uri_two, 1)).empty());

  // The label goes: the reference in the other open file is republished as undefined.
  s.send(replace(uri_one, 2, "\\chapter{One}\n"));
  s.publish(uri_one, 2);
  json broken = s.publish(uri_two, 1);
  CHECK(codes(broken) == std::vector<std::string>{"undefined-reference"});
  CHECK(broken["diagnostics"][0]["range"]["start"] == json{{"line", 0}, {"character", 16}});

  // It comes back, defined twice: the duplicate names the first definition in the other file.
  s.send(replace(uri_two, 2, two + "\\label{ch:one}\n"));
  s.send(replace(uri_one, 3, one));
  json twice = s.publish(uri_two, 2);
  for (int tries = 0; tries < 3 && codes(twice) != std::vector<std::string>{"duplicate-label"};
       ++tries) {
    twice = s.publish(uri_two, 2);
  }
  REQUIRE(codes(twice) == std::vector<std::string>{"duplicate-label"});
  CHECK(twice["diagnostics"][0]["relatedInformation"][0]["location"]["uri"] == uri_one);

  // A chapter added on disk (not open) defines a label the open file wants: once the client says
  // the files changed, the open file is republished without the problem.
  s.send(replace(uri_two, 3, "See~\\ref{ch:three}.\n"));
  CHECK(codes(s.publish(uri_two, 3)) == std::vector<std::string>{"undefined-reference"});
  std::ofstream(dir / "three.tex") << "\\chapter{Three}\\label{ch:three}\n";
  std::ofstream(dir / "main.tex") << "\\documentclass{book}\n\\begin{document}\n"
                                     "\\include{one}\n\\include{two}\n\\include{three}\n"
                                     "\\end{document}\n";
  s.send(notification(
      "workspace/didChangeWatchedFiles",
      {{"changes",
        json::array({{{"uri", "file://" + (dir / "main.tex").string()}, {"type", 2}},
                     {{"uri", "file://" + (dir / "three.tex").string()}, {"type", 1}}})}}));
  CHECK(codes(s.publish(uri_two, 3)).empty());
  s.send(request(2, "shutdown", nullptr));
  s.reply(2);
  s.send(notification("exit", nullptr));
  CHECK(s.finish() == 0);
}
