// The LSP server in process: lifecycle, errors, every request answered once, documents and
// diagnostics with versions and negotiated positions, code actions, cancellation, configuration.
// Jobs run inline (or on demand, to hold a request while its analysis is pending).
#include <doctest/doctest.h>

#include <deque>
#include <filesystem>
#include <fstream>
#include <map>

#include "../corpus.h"

#include "protocol/framing.h"
#include "server/analyzer.h"
#include "server/lsp_server.h"

using namespace perfectex;
using namespace perfectex::server;
using protocol::json;

namespace {

// Runs analysis jobs only when asked, with the real Analyzer, to observe pending requests.
class OnDemandExecutor final : public Executor {
 public:
  void submit(Job job, Done done) override { queue_.emplace_back(std::move(job), std::move(done)); }
  void run_all() {
    while (!queue_.empty()) {
      auto [job, done] = std::move(queue_.front());
      queue_.pop_front();
      done(analyzer_.analyze(job.snapshot, *job.config, job.context));
    }
  }

 private:
  std::deque<std::pair<Job, Done>> queue_;
  Analyzer analyzer_;
};

struct Client {
  explicit Client(Executor& executor)
      : server(
            ServerOptions{}, executor, [this](std::string_view bytes) { decoder.feed(bytes); },
            [this](int code) { exit_code = code; }) {}

  void send_raw(std::string_view body) { server.on_bytes(protocol::encode_frame(body)); }
  void request(int id, std::string_view method, const json& params = json::object()) {
    send_raw(protocol::encode_request(id, method, params));
  }
  void notify(std::string_view method, const json& params = json::object()) {
    send_raw(protocol::encode_notification(method, params));
  }
  // Everything the server wrote since the last call.
  std::vector<json> received() {
    std::vector<json> out;
    for (;;) {
      auto e = decoder.next();
      if (e.status != protocol::FrameStatus::Frame) break;
      out.push_back(json::parse(e.body));
    }
    for (const json& m : out) {
      if (m.contains("id") && !m.contains("method")) ++replies[m["id"].dump()];
    }
    return out;
  }
  json reply(int id) {
    for (const json& m : received()) {
      if (m.contains("id") && m["id"] == id && !m.contains("method")) return m;
    }
    return nullptr;
  }
  std::vector<json> publishes() {
    std::vector<json> out;
    for (const json& m : received()) {
      if (m.value("method", "") == "textDocument/publishDiagnostics") out.push_back(m["params"]);
    }
    return out;
  }
  void initialize(json capabilities = json::object()) {
    request(1, "initialize",
            {{"processId", nullptr}, {"rootUri", nullptr}, {"capabilities", capabilities}});
    REQUIRE(reply(1).contains("result"));
    notify("initialized");
  }
  void initialize_folder(const std::filesystem::path& dir) {
    request(1, "initialize",
            {{"processId", nullptr},
             {"rootUri", "file://" + dir.string()},
             {"capabilities", json::object()}});
    REQUIRE(reply(1).contains("result"));
    notify("initialized");
  }
  // The codes of each URI's latest publish since the last call.
  std::map<std::string, std::vector<std::string>> latest_codes() {
    std::map<std::string, std::vector<std::string>> codes;
    for (const json& p : publishes()) {
      auto& list = codes[p["uri"].get<std::string>()];
      list.clear();
      for (const json& d : p["diagnostics"]) list.push_back(d["code"]);
    }
    return codes;
  }
  void replace(const std::string& uri, int version, const std::string& text) {
    notify("textDocument/didChange", {{"textDocument", {{"uri", uri}, {"version", version}}},
                                      {"contentChanges", json::array({{{"text", text}}})}});
  }
  void open(const std::string& uri, const std::string& text, int version = 1) {
    notify("textDocument/didOpen",
           {{"textDocument",
             {{"uri", uri}, {"languageId", "latex"}, {"version", version}, {"text", text}}}});
  }

  protocol::FrameDecoder decoder;
  LspServer server;
  int exit_code = -1;
  std::map<std::string, int> replies;
};

int error_code(const json& reply) {
  return reply.at("error").at("code").get<int>();
}

}  // namespace

TEST_CASE("lifecycle: requests before initialize, initialize, shutdown and exit") {
  InlineExecutor executor;
  Client c(executor);
  c.request(5, "textDocument/codeAction", json::object());
  CHECK(error_code(c.reply(5)) == -32002);
  c.request(1, "initialize",
            {{"capabilities", {{"general", {{"positionEncodings", {"utf-8", "utf-16"}}}}}}});
  json init = c.reply(1);
  CHECK(init["result"]["capabilities"]["positionEncoding"] == "utf-8");
  CHECK(init["result"]["capabilities"]["textDocumentSync"]["change"] == 2);
  CHECK(init["result"]["serverInfo"]["name"] == "perfectex");
  CHECK(init["result"]["serverInfo"]["version"].is_string());
  c.request(2, "initialize", json::object());
  CHECK(error_code(c.reply(2)) == -32600);
  c.request(3, "shutdown");
  CHECK(c.reply(3)["result"].is_null());
  c.request(4, "perfectex/stats");
  CHECK(error_code(c.reply(4)) == -32600);
  c.notify("exit");
  CHECK(c.exit_code == 0);
}

TEST_CASE("exit without shutdown exits with 1; so does the end of input") {
  InlineExecutor executor;
  Client c(executor);
  c.initialize();
  c.notify("exit");
  CHECK(c.exit_code == 1);
  Client d(executor);
  d.initialize();
  d.server.on_end_of_input();
  CHECK(d.exit_code == 1);
}

TEST_CASE("unknown methods, bad params and bad JSON get the right errors and the server goes on") {
  InlineExecutor executor;
  Client c(executor);
  c.initialize();
  c.request(10, "textDocument/unknownThing");
  CHECK(error_code(c.reply(10)) == -32601);
  c.notify("textDocument/unknownNotification");
  CHECK(c.received().empty());
  c.request(11, "textDocument/codeAction", {{"textDocument", {{"uri", 3}}}});
  json bad = c.reply(11);
  CHECK(error_code(bad) == -32602);
  CHECK(bad["error"]["message"].get<std::string>().find("textDocument.uri") != std::string::npos);
  c.send_raw("{\"jsonrpc\":\"2.0\",\"id\":12,");
  json parse = c.received().at(0);
  CHECK(error_code(parse) == -32700);
  CHECK(parse["id"].is_null());
  c.server.on_bytes("Content-Length: nope\r\n\r\n");
  c.replace("file:///missing.tex", 2, "x");
  c.notify("textDocument/didOpen", {{"textDocument", {{"uri", "file:///a.tex"}}}});
  c.request(13, "perfectex/stats");
  json stats = c.reply(13)["result"];
  CHECK(stats["documents"] == 0);
  CHECK(stats["errors"].get<int>() >= 3);
  CHECK(stats["kernel"] == std::string(perfectex::server::lexer_kernel_name()));
}

TEST_CASE(
    "diagnostics are published per version, in the negotiated encoding, and cleared on close") {
  InlineExecutor executor;
  Client c(executor);
  c.initialize();
  std::string uri = "file:///doc.tex";
  c.open(uri, "\xF0\x9F\x98\x80 } x\n");
  auto first = c.publishes();
  REQUIRE(first.size() == 1);
  CHECK(first[0]["version"] == 1);
  REQUIRE(first[0]["diagnostics"].size() == 1);
  json d = first[0]["diagnostics"][0];
  CHECK(d["code"] == "unmatched-close-brace");
  CHECK(d["severity"] == 1);
  CHECK(d["source"] == "perfectex");
  CHECK(d["range"] ==
        json::parse(R"({"start":{"line":0,"character":3},"end":{"line":0,"character":4}})"));

  c.notify("textDocument/didChange",
           {{"textDocument", {{"uri", uri}, {"version", 2}}},
            {"contentChanges", json::array({{{"range",
                                              {{"start", {{"line", 0}, {"character", 3}}},
                                               {"end", {{"line", 0}, {"character", 4}}}}},
                                             {"text", ""}}})}});
  auto second = c.publishes();
  REQUIRE(second.size() == 1);
  CHECK(second[0]["version"] == 2);
  CHECK(second[0]["diagnostics"].empty());

  c.notify("textDocument/didClose", {{"textDocument", {{"uri", uri}}}});
  auto closed = c.publishes();
  REQUIRE(closed.size() == 1);
  CHECK(closed[0]["diagnostics"].empty());
}

TEST_CASE("code actions return the fix as a workspace edit on the right version") {
  InlineExecutor executor;
  Client c(executor);
  c.initialize({{"workspace", {{"workspaceEdit", {{"documentChanges", true}}}}}});
  std::string uri = "file:///fix.tex";
  c.open(uri, "\\begin{itemize}\n\\item x\n\\end{enumerate}\n", 7);
  c.publishes();
  c.request(
      20, "textDocument/codeAction",
      {{"textDocument", {{"uri", uri}}},
       {"range",
        {{"start", {{"line", 2}, {"character", 3}}}, {"end", {{"line", 2}, {"character", 3}}}}},
       {"context", {{"diagnostics", json::array()}}}});
  json actions = c.reply(20)["result"];
  REQUIRE(actions.size() == 1);
  CHECK(actions[0]["title"] == "Replace with \\end{itemize}");
  CHECK(actions[0]["kind"] == "quickfix");
  json edit = actions[0]["edit"]["changes"][uri][0];
  CHECK(edit["newText"] == "\\end{itemize}");
  CHECK(edit["range"] ==
        json::parse(R"({"start":{"line":2,"character":0},"end":{"line":2,"character":15}})"));
  CHECK(actions[0]["edit"]["documentChanges"][0]["textDocument"]["version"] == 7);

  c.request(
      21, "textDocument/codeAction",
      {{"textDocument", {{"uri", uri}}},
       {"range",
        {{"start", {{"line", 0}, {"character", 0}}}, {"end", {{"line", 0}, {"character", 1}}}}}});
  CHECK(c.reply(21)["result"].empty());
  c.request(
      22, "textDocument/codeAction",
      {{"textDocument", {{"uri", "file:///not-open.tex"}}},
       {"range",
        {{"start", {{"line", 0}, {"character", 0}}}, {"end", {{"line", 0}, {"character", 0}}}}}});
  CHECK(error_code(c.reply(22)) == -32602);
}

TEST_CASE("a request waits for the current version's analysis and can be cancelled") {
  OnDemandExecutor executor;
  Client c(executor);
  c.initialize();
  std::string uri = "file:///wait.tex";
  c.open(uri, "a }\n");
  json range = {{"start", {{"line", 0}, {"character", 0}}},
                {"end", {{"line", 0}, {"character", 9}}}};
  c.request(30, "textDocument/codeAction", {{"textDocument", {{"uri", uri}}}, {"range", range}});
  c.request(31, "textDocument/codeAction", {{"textDocument", {{"uri", uri}}}, {"range", range}});
  CHECK(c.received().empty());
  c.notify("$/cancelRequest", {{"id", 31}});
  CHECK(error_code(c.reply(31)) == -32800);
  executor.run_all();
  auto after = c.received();
  json reply30;
  for (const json& m : after) {
    if (m.value("id", json()) == 30) reply30 = m;
  }
  REQUIRE(reply30.contains("result"));
  CHECK(reply30["result"][0]["title"] == "Delete the unmatched }");
  c.notify("$/cancelRequest", {{"id", 30}});
  CHECK(c.received().empty());
  for (const auto& [id, count] : c.replies) CHECK_MESSAGE(count == 1, "request " << id);
}

TEST_CASE("superseded versions are never published") {
  OnDemandExecutor executor;
  Client c(executor);
  c.initialize();
  std::string uri = "file:///fast.tex";
  c.open(uri, "x");
  for (int v = 2; v <= 5; ++v) {
    c.replace(uri, v, std::string(v, '}'));
  }
  executor.run_all();
  auto published = c.publishes();
  REQUIRE(published.size() == 1);
  CHECK(published[0]["version"] == 5);
  CHECK(published[0]["diagnostics"].size() == 5);
}

TEST_CASE("configuration changes severities live and reports unknown rule ids") {
  InlineExecutor executor;
  Client c(executor);
  c.initialize();
  std::string uri = "file:///cfg.tex";
  c.open(uri, "}");
  c.publishes();
  c.notify(
      "workspace/didChangeConfiguration",
      {{"settings",
        {{"perfectex", {{"rules", {{"unmatched-close-brace", "hint"}, {"bogus-rule", "off"}}}}}}}});
  auto messages = c.received();
  bool warned = false, republished = false;
  for (const json& m : messages) {
    if (m.value("method", "") == "window/showMessage") {
      warned = m["params"]["message"].get<std::string>().find("bogus-rule") != std::string::npos;
    }
    if (m.value("method", "") == "textDocument/publishDiagnostics") {
      republished = m["params"]["diagnostics"][0]["severity"] == 4;
    }
  }
  CHECK(warned);
  CHECK(republished);
}

TEST_CASE("the server pulls workspace/configuration from clients that support it") {
  InlineExecutor executor;
  Client c(executor);
  c.initialize({{"workspace", {{"configuration", true}}}});
  auto sent = c.received();
  REQUIRE(sent.size() == 1);
  CHECK(sent[0]["method"] == "workspace/configuration");
  c.open("file:///p.tex", "}");
  c.publishes();
  c.send_raw(protocol::encode_result(
      sent[0]["id"], json::array({{{"rules", {{"unmatched-close-brace", "off"}}}}})));
  auto republished = c.publishes();
  REQUIRE(republished.size() == 1);
  CHECK(republished[0]["diagnostics"].empty());
}

TEST_CASE("a document with invalid UTF-8 in the message is repaired and analysed") {
  InlineExecutor executor;
  Client c(executor);
  c.initialize();
  c.send_raw(
      "{\"jsonrpc\":\"2.0\",\"method\":\"textDocument/"
      "didOpen\",\"params\":{\"textDocument\":{\"uri\":\"file:///u.tex\","
      "\"languageId\":\"latex\",\"version\":1,\"text\":\"\xff\xfe }\"}}}");
  auto published = c.publishes();
  REQUIRE(published.size() == 1);
  REQUIRE(published[0]["diagnostics"].size() == 1);
  CHECK(published[0]["diagnostics"][0]["range"]["start"]["character"] == 3);
}

TEST_CASE("BibTeX buffers get no LaTeX diagnostics") {
  InlineExecutor executor;
  Client c(executor);
  c.initialize();
  c.notify("textDocument/didOpen", {{"textDocument",
                                     {{"uri", "file:///refs.bib"},
                                      {"languageId", "bibtex"},
                                      {"version", 1},
                                      {"text", "@article{k, title={$x}}}"}}}});
  auto published = c.publishes();
  REQUIRE(published.size() == 1);
  CHECK(published[0]["diagnostics"].empty());
}

TEST_CASE("$/setTrace switches $/logTrace on and off and rejects unknown values") {
  InlineExecutor executor;
  Client c(executor);
  c.initialize();
  auto traces = [&] {
    int n = 0;
    for (const json& m : c.received()) n += m.value("method", "") == "$/logTrace";
    return n;
  };
  c.request(2, "perfectex/stats");
  CHECK(traces() == 0);
  c.notify("$/setTrace", {{"value", "messages"}});
  c.request(3, "perfectex/stats");
  CHECK(traces() == 1);
  c.notify("$/setTrace", {{"value", "loud"}});
  c.notify("$/setTrace", {{"value", "off"}});
  c.request(4, "perfectex/stats");
  CHECK(traces() == 0);
}

TEST_CASE("the latency budget is a live setting; null restores the command line's value") {
  InlineExecutor executor;
  Client c(executor);
  c.initialize();
  auto budget = [&] {
    c.request(9, "perfectex/stats");
    return c.reply(9)["result"]["p99_budget_ms"].get<double>();
  };
  CHECK(budget() == 20.0);
  c.notify("workspace/didChangeConfiguration",
           {{"settings", {{"perfectex", {{"p99BudgetMs", 7.5}}}}}});
  CHECK(budget() == 7.5);
  c.notify("workspace/didChangeConfiguration",
           {{"settings", {{"perfectex", {{"p99BudgetMs", nullptr}}}}}});
  CHECK(budget() == 20.0);
}

TEST_CASE("the project's .perfectex.json configures the rules; editor settings go on top") {
  auto dir = testing::scratch_folder("perfectex-project-config");
  std::filesystem::create_directories(dir / "chapters");
  std::ofstream(dir / ".perfectex.json")
      << R"({"rules": {"ellipsis": "off", "multiple-spaces": "on", "nope": "on"}})";
  InlineExecutor executor;
  Client c(executor);
  c.initialize();
  std::string uri = "file://" + (dir / "chapters" / "a.tex").string();
  c.open(uri, "Foo... bar  baz.");
  bool warned = false;
  std::vector<std::string> codes;
  for (const json& m : c.received()) {
    if (m.value("method", "") == "window/showMessage")
      warned |= m["params"]["message"].get<std::string>().find("'nope'") != std::string::npos;
    if (m.value("method", "") != "textDocument/publishDiagnostics") continue;
    codes.clear();
    for (const json& d : m["params"]["diagnostics"]) codes.push_back(d["code"]);
  }
  CHECK(warned);
  CHECK(codes == std::vector<std::string>{"multiple-spaces"});
  c.notify("workspace/didChangeConfiguration",
           {{"settings", {{"perfectex", {{"rules", {{"multiple-spaces", "off"}}}}}}}});
  auto pubs = c.publishes();
  REQUIRE(!pubs.empty());
  CHECK(pubs.back()["diagnostics"].empty());
  std::filesystem::remove_all(dir);
}

TEST_CASE("code actions of the rule families: one edit or several, on the right version") {
  InlineExecutor executor;
  Client c(executor);
  c.initialize({{"workspace", {{"workspaceEdit", {{"documentChanges", true}}}}}});
  std::string uri = "file:///families.tex";
  c.open(uri, "Wait... and $$x^10$$\n", 4);
  c.publishes();
  auto actions_at = [&](int id, int character) {
    c.request(id, "textDocument/codeAction",
              {{"textDocument", {{"uri", uri}}},
               {"range",
                {{"start", {{"line", 0}, {"character", character}}},
                 {"end", {{"line", 0}, {"character", character}}}}}});
    return c.reply(id)["result"];
  };
  json dots = actions_at(30, 5);
  REQUIRE(dots.size() == 1);
  CHECK(dots[0]["title"] == "Use \\dots");
  CHECK(dots[0]["edit"]["changes"][uri][0]["newText"] == "\\dots");
  CHECK(dots[0]["edit"]["documentChanges"][0]["textDocument"]["version"] == 4);
  // Inside $$x^10$$: the display fix (two edits) and the braces for the exponent.
  json display = actions_at(31, 16);
  std::vector<std::string> titles;
  for (const json& a : display) titles.push_back(a["title"]);
  CHECK(titles == std::vector<std::string>{"Replace $$...$$ with \\[...\\]", "Put 10 in braces"});
  CHECK(display[0]["edit"]["changes"][uri].size() == 2);
}

TEST_CASE("an environment split across the files of a project is published as no error") {
  const std::string main_text = "\\input{preamble}\nText.\n\\end{document}\n";
  const std::string preamble = "\\documentclass{article}\n\\begin{document}\n";
  auto dir = testing::scratch_folder("perfectex-project-split",
                                     {{"main.tex", main_text}, {"preamble.tex", preamble}});
  InlineExecutor executor;
  Client c(executor);
  c.initialize_folder(dir);
  std::string main_uri = "file://" + (dir / "main.tex").string();
  std::string preamble_uri = "file://" + (dir / "preamble.tex").string();
  c.open(main_uri, main_text);
  c.open(preamble_uri, preamble);
  auto codes = c.latest_codes();
  CHECK(codes[main_uri].empty());
  CHECK(codes[preamble_uri].empty());
  // Once main no longer reads the preamble, both files have their errors again.
  c.replace(main_uri, 2, "Text.\n\\end{document}\n");
  codes = c.latest_codes();
  CHECK(codes[main_uri] == std::vector<std::string>{"unmatched-end"});
  CHECK(codes[preamble_uri] == std::vector<std::string>{"unclosed-environment"});
  std::filesystem::remove_all(dir);
}

TEST_CASE("an open .bib buffer feeds the citation check of the documents citing it") {
  const std::string main_text =
      "\\documentclass{article}\n\\begin{document}\n\\cite{known,fresh}\n"
      "\\bibliography{refs}\n\\end{document}\n";
  const std::string bib_text = "@book{known, title = {T}}\n";
  auto dir = testing::scratch_folder(
      "perfectex-project-bib", {{"main.tex", main_text},
                                {"refs.bib", bib_text},
                                {".perfectex.json", R"({"rules": {"unused-bib-entry": "on"}})"}});
  InlineExecutor executor;
  Client c(executor);
  c.initialize_folder(dir);
  std::string main_uri = "file://" + (dir / "main.tex").string();
  std::string bib_uri = "file://" + (dir / "refs.bib").string();
  c.open(main_uri, main_text);
  c.notify("textDocument/didOpen",
           {{"textDocument",
             {{"uri", bib_uri}, {"languageId", "bibtex"}, {"version", 1}, {"text", bib_text}}}});
  auto codes = c.latest_codes();
  CHECK(codes[main_uri] == std::vector<std::string>{"undefined-citation"});
  CHECK(codes[bib_uri].empty());
  // The entry typed into the .bib buffer, not yet saved, defines the key.
  c.replace(bib_uri, 2, bib_text + "@book{fresh, title = {F}}\n@book{spare, title = {S}}\n");
  codes = c.latest_codes();
  CHECK(codes[main_uri].empty());
  CHECK(codes[bib_uri] == std::vector<std::string>{"unused-bib-entry"});
  // Closed unsaved, the file on disk stands again.
  c.notify("textDocument/didClose", {{"textDocument", {{"uri", bib_uri}}}});
  codes = c.latest_codes();
  CHECK(codes[main_uri] == std::vector<std::string>{"undefined-citation"});
  std::filesystem::remove_all(dir);
}

TEST_CASE("a chapter knows the macros its project defines before it, from its first publish") {
  const std::string chapter = "\\beq x = 1 \\end{equation}\n";
  auto dir = testing::scratch_folder(
      "perfectex-project-prelude",
      {{"main.tex",
        "\\documentclass{article}\n\\input{macros}\n\\begin{document}\n\\input{chapter}\n"
        "\\end{document}\n"},
       {"macros.tex", "\\newcommand{\\beq}{\\begin{equation}}\n"},
       {"chapter.tex", chapter}});
  InlineExecutor executor;
  Client c(executor);
  c.initialize_folder(dir);
  std::string chapter_uri = "file://" + (dir / "chapter.tex").string();
  std::string macros_uri = "file://" + (dir / "macros.tex").string();
  auto codes_of = [&](const std::string& uri) {
    std::vector<std::vector<std::string>> all;
    for (const json& p : c.publishes()) {
      if (p["uri"] != uri) continue;
      all.emplace_back();
      for (const json& d : p["diagnostics"]) all.back().push_back(d["code"]);
    }
    return all;
  };
  c.open(chapter_uri, chapter);
  // Every publish of the chapter, the first included, knows \beq.
  auto published = codes_of(chapter_uri);
  REQUIRE(!published.empty());
  for (const auto& codes : published) CHECK(codes.empty());
  // The macro file, edited in the editor: \beq is gone, and the chapter's \end has no \begin.
  c.open(macros_uri, "\\newcommand{\\beq}{\\begin{equation}}\n");
  c.replace(macros_uri, 2, "\\newcommand{\\eq}{x}\n");
  published = codes_of(chapter_uri);
  REQUIRE(!published.empty());
  CHECK(published.back() == std::vector<std::string>{"unmatched-end"});
  std::filesystem::remove_all(dir);
}
