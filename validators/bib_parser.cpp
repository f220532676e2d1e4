#include "validators/bib_parser.h"

namespace perfectex::validators {
namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// BibTeX's identifier characters (entry types, field and @string names): printable ASCII except
// " # % ' ( ) , = { } (and @, which starts the next command), and every byte of a UTF-8 sequence
// (biber reads UTF-8 names).
bool is_id_char(char c) {
  auto u = static_cast<unsigned char>(c);
  if (u >= 0x80) return true;
  if (u <= 0x20 || u == 0x7f) return false;
  switch (c) {
    case '"':
    case '#':
    case '%':
    case '@':
    case '\'':
    case '(':
    case ')':
    case ',':
    case '=':
    case '{':
    case '}':
      return false;
    default:
      return true;
  }
}

// A citation key runs to a comma, a space or the entry's end; the other stops keep a mistake
// (a missing key, a missing comma) from swallowing the next field.
bool is_key_char(char c, char closer) {
  if (c == closer || is_space(c)) return false;
  switch (c) {
    case ',':
    case '=':
    case '{':
    case '}':
    case '"':
    case '#':
    case '%':
      return false;
    default:
      return true;
  }
}

char ascii_lower(char c) {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

enum class Outcome : std::uint8_t {
  Ok,
  Cut,      ///< the text ended, or the next entry started, before this construct ended
  Invalid,  ///< a syntax error was reported; resume at the next entry
};

class Parser {
 public:
  Parser(std::string_view text, BibFile& out)
      : t_(text), n_(static_cast<std::uint32_t>(text.size())), out_(out) {}

  // The top level: everything outside entries is comment, as BibTeX reads it; `%` starts a
  // comment line, as biber reads it (so a commented-out entry stays out).
  void run() {
    while (pos_ < n_) {
      char c = t_[pos_];
      if (c == '@') {
        command();
      } else if (c == '%') {
        skip_line();
      } else {
        ++pos_;
      }
    }
  }

 private:
  static constexpr std::uint32_t kNone = UINT32_MAX;

  char at(std::uint32_t p) const { return p < n_ ? t_[p] : '\0'; }
  char peek() const { return at(pos_); }

  void skip_line() {
    while (pos_ < n_ && t_[pos_] != '\n') ++pos_;
  }

  // Inside an entry: white space, and `%` comment lines (biber's reading; BibTeX has none).
  void skip_blank() {
    for (;;) {
      while (pos_ < n_ && is_space(t_[pos_])) ++pos_;
      if (pos_ < n_ && t_[pos_] == '%') {
        skip_line();
        continue;
      }
      return;
    }
  }

  std::uint32_t scan_id(std::uint32_t p) const {
    while (p < n_ && is_id_char(t_[p])) ++p;
    return p;
  }

  // `@`, blanks, a type, blanks, then `{` or `(`: the position of the delimiter, or kNone.
  std::uint32_t entry_opener(std::uint32_t p) const {
    ++p;
    while (p < n_ && is_space(t_[p])) ++p;
    std::uint32_t type_end = scan_id(p);
    if (type_end == p) return kNone;
    p = type_end;
    while (p < n_ && is_space(t_[p])) ++p;
    return p < n_ && (t_[p] == '{' || t_[p] == '(') ? p : kNone;
  }

  bool first_on_line(std::uint32_t p) const {
    while (p > 0 && (t_[p - 1] == ' ' || t_[p - 1] == '\t')) --p;
    return p == 0 || t_[p - 1] == '\n' || t_[p - 1] == '\r';
  }

  // An `@` opening an entry as the first thing on its line: where recovery resumes, and where a
  // construct still open is taken to be cut off.
  bool entry_at_line_start(std::uint32_t p) const {
    return at(p) == '@' && first_on_line(p) && entry_opener(p) != kNone;
  }

  // After a line end at p: the `@` of an entry starting the next line, or kNone.
  std::uint32_t entry_after_newline(std::uint32_t p) const {
    ++p;
    while (p < n_ && (t_[p] == ' ' || t_[p] == '\t')) ++p;
    return at(p) == '@' && entry_opener(p) != kNone ? p : kNone;
  }

  std::uint32_t next_entry_from(std::uint32_t p) const {
    for (;;) {
      std::size_t found = t_.find('@', p);
      if (found == std::string_view::npos) return n_;
      p = static_cast<std::uint32_t>(found);
      if (entry_at_line_start(p)) return p;
      ++p;
    }
  }

  void report(RuleId rule, Span range, Span arg0 = {}, Span arg1 = {}) {
    Diagnostic d;
    d.rule = rule;
    d.severity = rule_info(rule).severity;
    d.range = range;
    d.args[0] = arg0;
    d.args[1] = arg1;
    out_.syntax.push_back(d);
  }

  void report_cut(RuleId rule, Span range, Span arg0, Span arg1, std::uint32_t cut) {
    report(rule, range, arg0, arg1);
    if (cut < n_) {
      out_.syntax.back().related = {cut, cut + 1};
      out_.syntax.back().has_related = true;
    }
  }

  // One `@...` at the top level.
  void command() {
    std::uint32_t start = pos_;
    std::uint32_t p = start + 1;
    while (p < n_ && is_space(t_[p])) ++p;
    std::uint32_t type_end = scan_id(p);
    Span type{p, type_end};
    std::uint32_t open = type_end;
    while (open < n_ && is_space(t_[open])) ++open;
    bool comment = bib_iequal(bib_text(t_, type), "comment");
    if (type.empty() || open >= n_ || (t_[open] != '{' && t_[open] != '(')) {
      // BibTeX reads `@comment` without a delimiter as comment text; anything else is an error
      // to it, but no entry is lost.
      if (!comment) {
        Span what{start, type.empty() ? start + 1 : type_end};
        report(RuleId::BibStrayAtSign, what, what);
      }
      pos_ = type.empty() ? start + 1 : type_end;
      return;
    }
    BibEntry e;
    e.range.begin = start;
    e.type = type;
    e.first_field = static_cast<std::uint32_t>(out_.fields.size());
    pos_ = open + 1;
    char closer = t_[open] == '{' ? '}' : ')';
    std::string_view name = bib_text(t_, type);
    if (comment) {
      e.kind = BibEntryKind::Comment;
      e.complete = skip_comment_body(open, closer);
    } else if (bib_iequal(name, "string")) {
      e.kind = BibEntryKind::String;
      e.complete = body(e, open, closer);
    } else if (bib_iequal(name, "preamble")) {
      e.kind = BibEntryKind::Preamble;
      e.complete = body(e, open, closer);
    } else {
      e.kind = BibEntryKind::Entry;
      e.complete = body(e, open, closer);
    }
    e.range.end = pos_;
    e.field_count = static_cast<std::uint32_t>(out_.fields.size()) - e.first_field;
    out_.entries.push_back(e);
  }

  // biber reads a @comment's balanced body; an unbalanced one ends at the next entry.
  bool skip_comment_body(std::uint32_t open, char closer) {
    int depth = 0;
    for (std::uint32_t p = open + 1; p < n_; ++p) {
      char c = t_[p];
      if (c == '{') {
        ++depth;
      } else if (c == '}' && depth > 0) {
        --depth;
      } else if (c == closer && depth == 0) {
        pos_ = p + 1;
        return true;
      } else if (c == '\n') {
        if (std::uint32_t next = entry_after_newline(p); next != kNone) {
          pos_ = next;
          return false;
        }
      }
    }
    pos_ = n_;
    return false;
  }

  // The body of an entry, @string or @preamble after its opening delimiter. Returns whether it
  // was read to its closer without a syntax error; pos_ is then past the entry or at the point
  // where reading resumes.
  bool body(BibEntry& e, std::uint32_t open, char closer) {
    Span open_span{open, open + 1};
    bool ok = true;
    skip_blank();
    if (e.kind == BibEntryKind::Preamble) {
      BibField f;
      f.value = {pos_, pos_};
      Outcome o = value(f, Span{open, open + 1}, ok);
      if (o != Outcome::Ok) return finish_invalid(o);
      out_.fields.push_back(f);
      skip_blank();
      return close(e, open_span, closer, ok);
    }
    if (e.kind == BibEntryKind::Entry) {
      std::uint32_t key_begin = pos_;
      while (pos_ < n_ && is_key_char(t_[pos_], closer)) ++pos_;
      Span key{key_begin, pos_};
      skip_blank();
      if (key.empty() && (pos_ >= n_ || entry_at_line_start(pos_))) return unclosed(e, open_span);
      if (key.empty() || peek() == '=') {
        report(RuleId::BibMissingKey, {e.range.begin, open + 1}, e.type, open_span);
        ok = false;
        if (!key.empty()) pos_ = key_begin;  // that word names the first field
        if (peek() == ',') ++pos_;
      } else {
        e.key = key;
        if (!separator(e, open_span, closer, ok)) return ok;
      }
    }
    // Fields: name = value, separated by commas, an optional comma before the closer.
    for (;;) {
      skip_blank();
      if (pos_ >= n_ || entry_at_line_start(pos_)) return unclosed(e, open_span);
      char c = peek();
      if (c == closer) {
        ++pos_;
        return ok;
      }
      if (!is_id_char(c)) return unexpected();
      BibField f;
      f.name = {pos_, scan_id(pos_)};
      pos_ = f.name.end;
      skip_blank();
      if (peek() != '=') {
        report(RuleId::BibMissingEquals, f.name, f.name);
        return recover();
      }
      Span equals{pos_, pos_ + 1};
      ++pos_;
      Outcome o = value(f, equals, ok);
      if (o != Outcome::Ok) return finish_invalid(o);
      out_.fields.push_back(f);
      if (e.kind == BibEntryKind::String) {
        skip_blank();
        return close(e, open_span, closer, ok);
      }
      if (!separator(e, open_span, closer, ok)) return ok;
    }
  }

  // After the key or a field: `,` (more may follow) or the closer. Returns whether to go on
  // reading fields; when not, ok holds the entry's result.
  bool separator(BibEntry& e, Span open_span, char closer, bool& ok) {
    skip_blank();
    char c = peek();
    if (c == ',' && pos_ < n_) {
      ++pos_;
      return true;
    }
    if (c == closer && pos_ < n_) {
      ++pos_;
      return false;
    }
    if (pos_ >= n_ || entry_at_line_start(pos_)) {
      ok = unclosed(e, open_span);
      return false;
    }
    if (is_id_char(c) && followed_by_equals(scan_id(pos_))) {
      // Two fields without a comma: report it and read on, as if the comma were there.
      Span next{pos_, scan_id(pos_)};
      report(RuleId::BibMissingComma, next, next);
      ok = false;
      return true;
    }
    ok = unexpected();
    return false;
  }

  bool followed_by_equals(std::uint32_t p) const {
    while (p < n_ && is_space(t_[p])) ++p;
    return at(p) == '=';
  }

  // The end of a @string or @preamble (a comma before a @string's end is allowed, as biber
  // allows it).
  bool close(BibEntry& e, Span open_span, char closer, bool ok) {
    if (pos_ < n_ && peek() == ',' && e.kind == BibEntryKind::String) {
      ++pos_;
      skip_blank();
    }
    if (pos_ < n_ && peek() == closer) {
      ++pos_;
      return ok;
    }
    if (pos_ >= n_ || entry_at_line_start(pos_)) return unclosed(e, open_span);
    return unexpected();
  }

  bool unclosed(const BibEntry& e, Span open_span) {
    // A value missing its `}` takes the entry's `}` for its own, and the entry runs on. When the
    // last value has a line starting `name =`, that value is where the `}` is missing.
    if (out_.fields.size() > e.first_field) {
      const BibField& last = out_.fields.back();
      for (std::uint32_t i = last.first_part; i < last.first_part + last.part_count; ++i) {
        const BibPart& part = out_.parts[i];
        if (part.kind != BibPartKind::Braced && part.kind != BibPartKind::Quoted) continue;
        if (!holds_field_line(part.span)) continue;
        report_cut(
            part.kind == BibPartKind::Braced ? RuleId::BibUnclosedBrace : RuleId::BibUnclosedQuote,
            {part.span.begin, part.span.begin + 1}, {}, {}, pos_);
        return false;
      }
    }
    Span name = e.key.empty() ? e.type : e.key;
    Span range{e.range.begin, e.key.empty() ? open_span.end : e.key.end};
    report_cut(RuleId::BibUnclosedEntry, range, name, open_span, pos_);
    return false;
  }

  // Whether a line inside span starts with `name =`, as the next field would.
  bool holds_field_line(Span span) const {
    for (std::uint32_t p = span.begin; p < span.end; ++p) {
      if (t_[p] != '\n') continue;
      std::uint32_t q = p + 1;
      while (q < span.end && (t_[q] == ' ' || t_[q] == '\t')) ++q;
      std::uint32_t name_end = scan_id(q);
      if (name_end == q || is_digit(t_[q])) continue;
      while (name_end < span.end && (t_[name_end] == ' ' || t_[name_end] == '\t')) ++name_end;
      if (name_end < span.end && t_[name_end] == '=') return true;
    }
    return false;
  }

  // Something that cannot start a field: reported from there to the end of its word.
  bool unexpected() {
    std::uint32_t end = pos_ + 1;
    while (end < n_ && !is_space(t_[end]) && is_id_char(t_[end]) && is_id_char(t_[pos_])) ++end;
    report(RuleId::BibUnexpectedText, {pos_, end}, {pos_, end});
    return recover();
  }

  // Resumes at the next entry that starts a line (the entry being read began before pos_, so
  // the top level always moves on).
  bool recover() {
    pos_ = next_entry_from(pos_);
    return false;
  }

  bool finish_invalid(Outcome o) {
    if (o == Outcome::Invalid) return recover();
    return false;  // Cut: already reported, pos_ is where the next entry starts
  }

  // A value: pieces joined by `#`. wants is the `=` (or the opening delimiter of a @preamble)
  // the value follows.
  Outcome value(BibField& f, Span wants, bool& ok) {
    f.first_part = static_cast<std::uint32_t>(out_.parts.size());
    f.value = {pos_, pos_};
    for (;;) {
      skip_blank();
      std::uint32_t start = pos_;
      char c = peek();
      BibPart part{BibPartKind::Braced, {start, start}};
      if (pos_ >= n_ || entry_at_line_start(pos_)) {
        report(RuleId::BibMissingValue, wants, f.name);
        return Outcome::Cut;
      }
      if (c == '{' || c == '"') {
        part.kind = c == '{' ? BibPartKind::Braced : BibPartKind::Quoted;
        std::uint32_t cut = kNone;
        if (!delimited(c, cut)) {
          report_cut(c == '{' ? RuleId::BibUnclosedBrace : RuleId::BibUnclosedQuote,
                     {start, start + 1}, {}, {}, cut);
          pos_ = cut;
          return Outcome::Cut;
        }
      } else if (is_digit(c)) {
        part.kind = BibPartKind::Number;
        while (pos_ < n_ && is_digit(t_[pos_])) ++pos_;
        if (pos_ < n_ && is_id_char(t_[pos_])) {
          pos_ = scan_id(pos_);
          report(RuleId::BibBareValue, {start, pos_}, {start, pos_});
          ok = false;
        }
      } else if (is_id_char(c)) {
        part.kind = BibPartKind::Macro;
        pos_ = scan_id(pos_);
      } else {
        report(RuleId::BibMissingValue, wants, f.name);
        ok = false;
        // `title = ,` or `title = }`: the entry reads on from here.
        if (c == ',' || c == '}' || c == ')') {
          f.part_count = static_cast<std::uint32_t>(out_.parts.size()) - f.first_part;
          return Outcome::Ok;
        }
        return Outcome::Invalid;
      }
      part.span.end = pos_;
      if (out_.parts.size() == f.first_part) f.value.begin = start;
      f.value.end = pos_;
      out_.parts.push_back(part);
      f.part_count = static_cast<std::uint32_t>(out_.parts.size()) - f.first_part;
      skip_blank();
      if (peek() != '#' || pos_ >= n_) return Outcome::Ok;
      wants = {pos_, pos_ + 1};
      ++pos_;
    }
  }

  // {..} or "..": braces nest, a quote ends only outside them. On success pos_ is past the
  // closer; otherwise cut is where the text ends or the next entry starts (a line beginning with
  // `@type{`), which is where BibTeX's runaway value most likely should have ended.
  bool delimited(char open, std::uint32_t& cut) {
    int depth = open == '{' ? 1 : 0;
    for (std::uint32_t p = pos_ + 1; p < n_; ++p) {
      char c = t_[p];
      if (c == '{') {
        ++depth;
      } else if (c == '}') {
        if (depth > 0) --depth;
        if (depth == 0 && open == '{') {
          pos_ = p + 1;
          return true;
        }
      } else if (c == '"' && open == '"' && depth == 0) {
        pos_ = p + 1;
        return true;
      } else if (c == '\n') {
        if (std::uint32_t next = entry_after_newline(p); next != kNone) {
          cut = next;
          return false;
        }
      }
    }
    cut = n_;
    return false;
  }

  std::string_view t_;
  std::uint32_t n_;
  BibFile& out_;
  std::uint32_t pos_ = 0;
};

}  // namespace

void parse_bib(std::string_view text, BibFile& out) {
  out.clear();
  Parser(text, out).run();
}

bool bib_iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}

int bib_icompare(std::string_view a, std::string_view b) {
  std::size_t n = a.size() < b.size() ? a.size() : b.size();
  for (std::size_t i = 0; i < n; ++i) {
    auto x = static_cast<unsigned char>(ascii_lower(a[i]));
    auto y = static_cast<unsigned char>(ascii_lower(b[i]));
    if (x != y) return x < y ? -1 : 1;
  }
  if (a.size() == b.size()) return 0;
  return a.size() < b.size() ? -1 : 1;
}

}  // namespace perfectex::validators
