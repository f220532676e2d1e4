// End to end for .bib files: the real binary over pipes gets a bibtex buffer's diagnostics, and
// `perfectex check` lints the corpus .bib files and a broken copy of one.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>

#include "../corpus.h"
#include "child_process.h"
#include "lsp_session.h"

using namespace perfectex;
using namespace std::chrono_literals;
using protocol::json;
using testing::notification;
using testing::request;

namespace {

class BibSession : public testing::LspSession {
 public:
  BibSession()
      : LspSession([this](std::string_view b) { child_.write(b); },
                   [this](std::chrono::milliseconds t) { return child_.read_some(t); },
                   [this] { return child_.drain_stderr(); }),
        child_({PERFECTEX_BINARY, "serve", "--stdio"}) {}
  std::optional<int> finish() { return child_.wait(10s); }

 private:
  testing::ChildProcess child_;
};

}  // namespace

TEST_CASE("an editor opens a .bib file over real pipes and gets its diagnostics") {
  BibSession s;
  s.send(request(1, "initialize", {{"processId", nullptr}, {"capabilities", json::object()}}));
  s.reply(1);
  s.send(notification("initialized", json::object()));

  std::string uri = "file:///tmp/e2e-refs.bib";
  std::string text =
      "@string{jasa = {J. Acoust. Soc. Am.}}\n"
      "@article{a, journal = jasa, title = {One}}\n"
      "@article{b, journal = jsaa, title = {Two} year = 2001}\n"
      "@book{a, title = {Three}}\n";
  s.send(
      notification("textDocument/didOpen",
                   {{"textDocument",
                     {{"uri", uri}, {"languageId", "bibtex"}, {"version", 1}, {"text", text}}}}));
  json diagnostics = s.publish(uri, 1)["diagnostics"];
  REQUIRE(diagnostics.size() == 3);
  CHECK(diagnostics[0]["code"] == "bib-undefined-string");
  CHECK(diagnostics[0]["range"]["start"] == json{{"line", 2}, {"character", 22}});
  CHECK(diagnostics[1]["code"] == "bib-missing-comma");
  CHECK(diagnostics[1]["severity"] == 1);
  CHECK(diagnostics[1]["range"]["start"] == json{{"line", 2}, {"character", 42}});
  CHECK(diagnostics[2]["code"] == "bib-duplicate-key");
  CHECK(diagnostics[2]["relatedInformation"][0]["location"]["range"]["start"] ==
        json{{"line", 1}, {"character", 9}});

  s.send(request(2, "shutdown", nullptr));
  s.reply(2);
  s.send(notification("exit", nullptr));
  CHECK(s.finish() == 0);
}

TEST_CASE("check: .bib files by extension, the corpus clean of errors, a broken copy reported") {
  auto corpus = testing::corpus_dir();
  std::vector<std::string> all = {PERFECTEX_BINARY, "check"};
  for (const char* name : {"stacks/my.bib", "hott-book/references.bib", "thesis-wierstorf/long.bib",
                           "napkin/images.bib", "napkin/references.bib"}) {
    all.push_back((corpus / name).string());
  }
  auto [code, out] = testing::run_command(all);
  CHECK(code == 0);
  CHECK(out.empty());

  // my.bib with the `}` closing one entry's title deleted: the entry's own `}` closes the title,
  // which then holds the next fields; the title's `{` is reported, as an error, and the next entry
  // is where it is cut off.
  std::string text = testing::read_corpus("stacks/my.bib");
  std::size_t title = text.find("TITLE = {", text.size() / 2);
  REQUIRE(title != std::string::npos);
  std::size_t open = title + 8;
  std::size_t close = text.find("},", open);
  text.erase(close, 1);
  auto copy = std::filesystem::temp_directory_path() / "perfectex-e2e-broken.bib";
  std::ofstream(copy, std::ios::binary) << text;
  auto [json_code, json_out] =
      testing::run_command({PERFECTEX_BINARY, "check", "--format", "json", copy.string()});
  CHECK(json_code == 1);
  json report = json::parse(json_out);
  REQUIRE(report[0]["diagnostics"].size() == 1);
  json d = report[0]["diagnostics"][0];
  CHECK(d["rule"] == "bib-unclosed-brace");
  CHECK(d["severity"] == "error");
  CHECK(d["offset"] == open);
  CHECK(d["related"]["message"] == "the next entry starts here");

  auto [text_code, text_out] = testing::run_command({PERFECTEX_BINARY, "check", copy.string()});
  CHECK(text_code == 1);
  CHECK(text_out.find(": error: this `{` is never closed; add the missing `}` at the end of the "
                      "value [bib-unclosed-brace]") != std::string::npos);
  std::filesystem::remove(copy);
}
