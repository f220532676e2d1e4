#include "tools/replay/synthesizer.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string_view>

#include "tools/replay/rng.h"
#include "tools/replay/text_document.h"

namespace perfectex::replay {
namespace {

constexpr std::string_view kCodeAction = "textDocument/codeAction";
constexpr std::string_view kHover = "textDocument/hover";
constexpr std::string_view kCompletion = "textDocument/completion";
constexpr std::string_view kDocumentSymbol = "textDocument/documentSymbol";

// Used only when the document has no paragraph to retype (an empty or one-line file).
constexpr std::string_view kFallbackParagraph =
    "We write $f(x) = \\sum_{i=1}^{n} a_i x^i$ and check, in Section~\\ref{sec:intro}, that\n"
    "\\emph{every} term is bounded.";

// A paragraph of the source: text between blank lines, short enough to type.
std::vector<std::string> collect_paragraphs(std::string_view text) {
  std::vector<std::string> paragraphs;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find("\n\n", pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view block = text.substr(pos, end - pos);
    while (!block.empty() && (block.front() == '\n' || block.front() == ' '))
      block.remove_prefix(1);
    while (!block.empty() && (block.back() == '\n' || block.back() == ' ')) block.remove_suffix(1);
    if (block.size() >= 20 && block.size() <= 800 && block.find("document}") == std::string::npos) {
      paragraphs.emplace_back(block);
    }
    pos = end + 2;
  }
  if (paragraphs.empty()) paragraphs.emplace_back(kFallbackParagraph);
  return paragraphs;
}

// Writes the session as a person at a keyboard would produce it.
class Typist {
 public:
  Typist(const SynthesisOptions& options, std::string text)
      : options_(options),
        rng_(options.seed),
        doc_(std::move(text)),
        paragraphs_(collect_paragraphs(doc_.text())) {
    for (const auto& r : options.requests) wanted_.push_back(r);
  }

  SynthesisResult run();

 private:
  enum class Special { Paste, DeleteLine, Brace };

  bool wants(std::string_view method) const {
    return std::find(wanted_.begin(), wanted_.end(), method) != wanted_.end();
  }
  bool budget(std::size_t edits) const { return stats_.edits + edits <= options_.keystrokes; }
  void wait_ms(double ms) { t_us_ += static_cast<std::int64_t>(std::llround(ms * 1000.0)); }
  void emit(json msg) {
    session_.entries.push_back({t_us_, Sender::Client, std::move(msg), {}, {}});
  }
  void notify(std::string_view method, json params) {
    emit(json{{"jsonrpc", "2.0"}, {"method", method}, {"params", std::move(params)}});
  }
  // A request; null params are left out (shutdown takes none).
  void request(std::string_view method, json params) {
    ++stats_.requests[std::string(method)];
    json msg{{"jsonrpc", "2.0"}, {"id", next_id_++}, {"method", method}};
    if (!params.is_null()) msg["params"] = std::move(params);
    emit(std::move(msg));
  }
  json text_document() const { return json{{"uri", uri_}}; }

  void edit(std::size_t offset, std::size_t length, std::string_view text);
  void insert_at_cursor(std::string_view text);
  void open_line();
  /// A request at offset; trigger is the completion trigger character, if any.
  void ask_at(std::size_t offset, std::string_view method, std::string_view trigger = {});

  std::pair<std::size_t, std::size_t> body() const;
  void jump();
  void next_fragment();
  void type_word();
  void delete_word();
  void paste();
  void delete_line();
  void break_and_repair_brace();
  void think();

  const SynthesisOptions& options_;
  Rng rng_;
  TextDocument doc_;
  std::vector<std::string> paragraphs_;
  std::vector<std::string> wanted_;
  std::string uri_;
  Session session_;
  SynthesisStats stats_;
  std::int64_t t_us_ = 0;
  std::int64_t version_ = 1;
  int next_id_ = 1;
  std::size_t cursor_ = 0;
  bool need_line_ = false;  ///< the next typed text opens a line of its own first
  std::string fragment_;    ///< the paragraph being typed
  std::size_t typed_ = 0;   ///< bytes of fragment_ typed so far
  std::size_t closers_ = 0;  ///< with close_braces: `}` put in ahead of the cursor, not yet passed
};

void Typist::edit(std::size_t offset, std::size_t length, std::string_view text) {
  json range{{"start", protocol::to_json(doc_.position_at(offset))},
             {"end", protocol::to_json(doc_.position_at(offset + length))}};
  ++version_;
  ++stats_.edits;
  notify("textDocument/didChange",
         json{{"textDocument", {{"uri", uri_}, {"version", version_}}},
              {"contentChanges", json::array({{{"range", range}, {"text", text}}})}});
  doc_.replace(offset, length, text);
  if (cursor_ >= offset + length) {
    cursor_ = cursor_ - length + text.size();
  } else if (cursor_ > offset) {
    cursor_ = offset;
  }
}

void Typist::insert_at_cursor(std::string_view text) {
  const std::size_t at = cursor_;
  edit(at, 0, text);
  cursor_ = at + text.size();
}

// "Enter, then up": a fresh empty line at the cursor, the cursor staying on it.
void Typist::open_line() {
  const std::size_t at = cursor_;
  edit(at, 0, "\n");
  cursor_ = at;
  ++stats_.characters;
  ++stats_.newlines;
  need_line_ = false;
}

void Typist::ask_at(std::size_t offset, std::string_view method, std::string_view trigger) {
  if (!wants(method)) return;
  const json position = protocol::to_json(doc_.position_at(offset));
  if (method == kCodeAction) {
    request(method, json{{"textDocument", text_document()},
                         {"range", {{"start", position}, {"end", position}}},
                         {"context", {{"diagnostics", json::array()}, {"triggerKind", 2}}}});
  } else if (method == kHover) {
    request(method, json{{"textDocument", text_document()}, {"position", position}});
  } else if (method == kCompletion) {
    json context{{"triggerKind", 1}};  // invoked: quick suggestions while typing a word
    if (!trigger.empty()) context = json{{"triggerKind", 2}, {"triggerCharacter", trigger}};
    request(method,
            json{{"textDocument", text_document()}, {"position", position}, {"context", context}});
  } else if (method == kDocumentSymbol) {
    request(method, json{{"textDocument", text_document()}});
  } else {
    request(method, json{{"textDocument", text_document()}, {"position", position}});
  }
}

// The editable region: after \begin{document} and before \end{document} when the file has them.
std::pair<std::size_t, std::size_t> Typist::body() const {
  const std::string& text = doc_.text();
  std::size_t begin = 0;
  std::size_t end = text.size();
  if (auto b = text.find("\\begin{document}"); b != std::string::npos) {
    auto eol = text.find('\n', b);
    begin = eol == std::string::npos ? text.size() : eol + 1;
  }
  if (auto e = text.rfind("\\end{document}"); e != std::string::npos && e >= begin) end = e;
  return {begin, end};
}

// Moves the cursor to a paragraph break somewhere in the body; typing there opens a new line.
void Typist::jump() {
  auto [begin, end] = body();
  const std::string& text = doc_.text();
  std::size_t target = end;
  if (end > begin) {
    const std::size_t from = begin + rng_.below(end - begin);
    const std::size_t blank = text.find("\n\n", from);
    if (blank != std::string::npos && blank < end) target = blank + 1;
  }
  cursor_ = target;
  need_line_ = true;
  closers_ = 0;
  ++stats_.jumps;
}

void Typist::next_fragment() {
  fragment_ = paragraphs_[rng_.below(paragraphs_.size())];
  typed_ = 0;
  closers_ = 0;
}

// Types one word of the fragment (up to and including a space or newline), with typos fixed by
// backspace, a completion request after a backslash, and a gap between keys like a person's.
void Typist::type_word() {
  if (typed_ >= fragment_.size()) {
    // End of the paragraph: a blank line, then the next one.
    if (!budget(2)) return;
    for (int i = 0; i < 2; ++i) {
      wait_ms(rng_.lognormal(260, 0.3));
      insert_at_cursor("\n");
      ++stats_.characters;
      ++stats_.newlines;
    }
    next_fragment();
    think();
    return;
  }
  if (need_line_) {
    if (!budget(1)) return;
    wait_ms(rng_.lognormal(300, 0.3));
    open_line();
  }
  while (typed_ < fragment_.size() && budget(1)) {
    const auto lead = static_cast<unsigned char>(fragment_[typed_]);
    const std::size_t length = code_point_length(fragment_, typed_);
    const std::string_view key(fragment_.data() + typed_, length);
    const bool letter = (lead >= 'a' && lead <= 'z') || (lead >= 'A' && lead <= 'Z');
    if (letter && budget(3) && rng_.chance(0.025)) {
      // A neighbouring wrong key, noticed a moment later and taken back.
      wait_ms(rng_.lognormal(options_.typing_median_ms, 0.35));
      const char wrong = static_cast<char>('a' + rng_.below(26));
      insert_at_cursor(std::string_view(&wrong, 1));
      ++stats_.characters;
      wait_ms(rng_.lognormal(280, 0.35));
      edit(cursor_ - 1, 1, "");
      ++stats_.backspaces;
    }
    wait_ms(rng_.lognormal(options_.typing_median_ms, 0.35) + (key == "\n" ? 180 : 0));
    typed_ += length;
    if (options_.close_braces && key == "}" && closers_ > 0 && doc_.text()[cursor_] == '}') {
      --closers_;
      ++cursor_;
      ++stats_.braces_stepped_over;
      continue;
    }
    if (options_.close_braces && key == "{") {
      insert_at_cursor("{}");
      --cursor_;
      ++closers_;
    } else {
      insert_at_cursor(key);
    }
    ++stats_.characters;
    if (key == "\n") ++stats_.newlines;
    // Completion: after a command's backslash, and as the first letter of a word is typed.
    const bool word_start = typed_ == length || fragment_[typed_ - length - 1] == ' ' ||
                            fragment_[typed_ - length - 1] == '\n';
    if ((key == "\\" && rng_.chance(0.6)) || (letter && word_start && rng_.chance(0.15))) {
      wait_ms(rng_.lognormal(15, 0.3));
      ask_at(cursor_, kCompletion, key == "\\" ? "\\" : "");
    }
    if (key == " " || key == "\n") break;
  }
  if (rng_.chance(0.2)) {
    // The editor asks for code actions when the cursor rests after a word.
    wait_ms(rng_.lognormal(40, 0.3));
    ask_at(cursor_, kCodeAction);
  }
  // A sentence (prose) or a line (code) is a natural place to pause.
  const bool sentence_end =
      typed_ >= 2 && (fragment_[typed_ - 2] == '.' || fragment_[typed_ - 1] == '\n');
  if (sentence_end && rng_.chance(0.5)) think();
}

// A pause to think: the editor refreshes the outline and code actions; the mouse rests on a word.
void Typist::think() {
  wait_ms(rng_.lognormal(200, 0.4));
  if (rng_.chance(0.7)) ask_at(cursor_, kDocumentSymbol);
  if (rng_.chance(0.7)) ask_at(cursor_, kCodeAction);
  if (cursor_ > 0 && rng_.chance(0.4)) {
    wait_ms(rng_.lognormal(300, 0.4));
    const std::size_t line_start = doc_.line_start(doc_.line_of(cursor_));
    std::size_t at = cursor_ - std::min<std::size_t>(cursor_ - line_start, 1 + rng_.below(8));
    while (at > line_start && (static_cast<unsigned char>(doc_.text()[at]) & 0xC0) == 0x80) --at;
    ask_at(at, kHover);
  }
  wait_ms(rng_.lognormal(900, 0.5));
}

// Ctrl+Backspace: the word before the cursor goes in one change, and is typed again.
void Typist::delete_word() {
  const std::string& text = doc_.text();
  const std::size_t line_start = doc_.line_start(doc_.line_of(cursor_));
  std::size_t start = cursor_;
  while (start > line_start && text[start - 1] == ' ') --start;
  while (start > line_start && text[start - 1] != ' ') --start;
  const std::size_t length = cursor_ - start;
  if (length == 0 || !budget(1)) return;
  const std::string deleted = text.substr(start, length);
  wait_ms(rng_.lognormal(350, 0.4));
  edit(start, length, "");
  cursor_ = start;
  ++stats_.word_deletions;
  if (typed_ >= length && fragment_.compare(typed_ - length, length, deleted) == 0)
    typed_ -= length;
}

// Copy a paragraph from elsewhere and paste it at the cursor on lines of its own.
void Typist::paste() {
  if (!budget(1)) return;
  const std::string& paragraph = paragraphs_[rng_.below(paragraphs_.size())];
  wait_ms(rng_.lognormal(1500, 0.4));
  insert_at_cursor("\n" + paragraph + "\n");
  ++stats_.pastes;
  wait_ms(rng_.lognormal(60, 0.3));
  ask_at(cursor_, kCodeAction);
  wait_ms(rng_.lognormal(500, 0.4));
}

// Ctrl+Shift+K on the cursor's line (never the lines that open or close the document).
void Typist::delete_line() {
  if (!budget(1) || doc_.size() == 0) return;
  const std::size_t line = doc_.line_of(cursor_);
  const std::size_t start = doc_.line_start(line);
  std::size_t end = doc_.line_end(line);
  const std::string_view content = std::string_view(doc_.text()).substr(start, end - start);
  if (content.find("document}") != std::string_view::npos) return;
  if (end < doc_.size()) ++end;  // take the newline with it
  wait_ms(rng_.lognormal(700, 0.4));
  edit(start, end - start, "");
  cursor_ = start;
  need_line_ = true;
  ++stats_.line_deletions;
}

// Delete a closing brace near the cursor, look at the error for a moment, put the brace back.
void Typist::break_and_repair_brace() {
  if (!budget(2)) return;
  const std::string& text = doc_.text();
  auto is_brace = [&](std::size_t i) { return text[i] == '}' && (i == 0 || text[i - 1] != '\\'); };
  std::size_t found = std::string::npos;
  const std::size_t window = 2000;
  for (std::size_t i = cursor_; i > 0 && cursor_ - i < window; --i) {
    if (is_brace(i - 1)) {
      found = i - 1;
      break;
    }
  }
  for (std::size_t i = cursor_;
       found == std::string::npos && i < text.size() && i - cursor_ < window; ++i) {
    if (is_brace(i)) found = i;
  }
  if (found == std::string::npos) return;
  wait_ms(rng_.lognormal(600, 0.4));
  edit(found, 1, "");
  ++stats_.brace_breaks;
  wait_ms(rng_.lognormal(900, 0.4));
  if (rng_.chance(0.7)) ask_at(found, kCodeAction);
  wait_ms(rng_.lognormal(700, 0.4));
  edit(found, 0, "}");
  wait_ms(rng_.lognormal(300, 0.4));
}

SynthesisResult Typist::run() {
  uri_ = options_.uri.empty() ? file_uri(options_.path) : options_.uri;
  const std::string language =
      options_.language_id.empty() ? language_id_for(options_.path) : options_.language_id;
  const auto folder = std::filesystem::absolute(options_.path).parent_path().string();
  session_.header = make_session_header("synthesize");
  session_.header.update(
      json{{"file", std::filesystem::path(options_.path).lexically_normal().string()},
           {"uri", uri_},
           {"language_id", language},
           {"bytes", doc_.size()},
           {"seed", options_.seed},
           {"keystrokes", options_.keystrokes},
           {"typing_median_ms", options_.typing_median_ms},
           {"close_braces", options_.close_braces},
           {"requests", options_.requests}});

  json capabilities{
      {"general", {{"positionEncodings", {"utf-16"}}}},
      {"textDocument",
       {{"synchronization", {{"didSave", true}, {"dynamicRegistration", false}}},
        {"publishDiagnostics", {{"versionSupport", true}, {"relatedInformation", true}}},
        {"codeAction",
         {{"codeActionLiteralSupport",
           {{"codeActionKind", {{"valueSet", {"quickfix", "refactor", "source"}}}}}}}},
        {"hover", {{"contentFormat", {"markdown", "plaintext"}}}},
        {"completion", {{"completionItem", {{"snippetSupport", false}}}}},
        {"documentSymbol", {{"hierarchicalDocumentSymbolSupport", true}}}}}};
  request("initialize",
          json{{"processId", nullptr},
               {"clientInfo", {{"name", "perfectex-replay"}}},
               {"rootUri", file_uri(folder)},
               {"capabilities", std::move(capabilities)},
               {"workspaceFolders", {{{"uri", file_uri(folder)}, {"name", "root"}}}}});
  wait_ms(40);
  notify("initialized", json::object());
  wait_ms(60);
  notify("textDocument/didOpen", json{{"textDocument",
                                       {{"uri", uri_},
                                        {"languageId", language},
                                        {"version", version_},
                                        {"text", doc_.text()}}}});
  wait_ms(120);
  ask_at(0, kDocumentSymbol);
  wait_ms(rng_.lognormal(1500, 0.3));

  // Each special action happens at least once, at a random point in the first 60% of the session.
  std::vector<std::pair<std::size_t, Special>> specials;
  for (Special s : {Special::Paste, Special::DeleteLine, Special::Brace}) {
    const auto n = static_cast<std::int64_t>(options_.keystrokes);
    specials.emplace_back(
        static_cast<std::size_t>(rng_.between(n / 10, std::max(n / 10, n * 6 / 10))), s);
  }
  std::sort(specials.begin(), specials.end());

  jump();
  next_fragment();
  while (stats_.edits < options_.keystrokes) {
    const std::size_t before = stats_.edits;
    if (!specials.empty() && stats_.edits >= specials.front().first) {
      const Special s = specials.front().second;
      specials.erase(specials.begin());
      if (s == Special::Paste) paste();
      if (s == Special::DeleteLine) delete_line();
      if (s == Special::Brace) break_and_repair_brace();
      if (stats_.edits == before) {
        // Not possible here (no brace nearby, a line that must stay): try again a little later.
        jump();
        next_fragment();
        specials.emplace_back(stats_.edits + 10, s);
        std::sort(specials.begin(), specials.end());
      }
    } else {
      const double r = rng_.unit();
      if (r < 0.004) {
        paste();
      } else if (r < 0.008) {
        delete_line();
      } else if (r < 0.012) {
        break_and_repair_brace();
      } else if (r < 0.02) {
        jump();
        next_fragment();
      } else if (r < 0.035) {
        delete_word();
      } else {
        type_word();
      }
    }
    if (stats_.edits == before && !budget(2)) {
      // Only a single key is left and the chosen action needed two: type one character.
      wait_ms(rng_.lognormal(options_.typing_median_ms, 0.35));
      insert_at_cursor(" ");
      ++stats_.characters;
    }
  }

  wait_ms(1000);
  notify("textDocument/didClose", json{{"textDocument", text_document()}});
  wait_ms(200);
  request("shutdown", nullptr);
  wait_ms(20);
  emit(json{{"jsonrpc", "2.0"}, {"method", "exit"}});
  return {std::move(session_), doc_.text(), stats_};
}

}  // namespace

SynthesisResult synthesize(const SynthesisOptions& options, std::string text) {
  Typist typist(options, std::move(text));
  return typist.run();
}

SynthesisResult synthesize_file(const SynthesisOptions& options) {
  std::ifstream in(options.path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read '" + options.path + "'");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return synthesize(options, std::move(text));
}

std::string file_uri(const std::string& path) {
  const std::string absolute = std::filesystem::absolute(path).lexically_normal().string();
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string uri = "file://";
  for (char ch : absolute) {
    const auto c = static_cast<unsigned char>(ch);
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (alnum || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      uri += ch;
    } else {
      uri += '%';
      uri += kHex[c >> 4];
      uri += kHex[c & 0xF];
    }
  }
  return uri;
}

std::string language_id_for(const std::string& path) {
  const std::string ext = std::filesystem::path(path).extension().string();
  if (ext == ".tex" || ext == ".sty" || ext == ".cls" || ext == ".ltx") return "latex";
  if (ext == ".bib") return "bibtex";
  if (ext == ".c" || ext == ".h") return "c";
  if (ext == ".cc" || ext == ".cpp" || ext == ".cxx" || ext == ".hpp") return "cpp";
  return "plaintext";
}

}  // namespace perfectex::replay
