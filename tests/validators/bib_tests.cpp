// .bib files: the parser's entries and spans for every construct (braces, quotes, numbers,
// @string references, `#`, @preamble, @comment, text outside entries), each F7 diagnostic at its
// exact range, recovery after a mistake, duplicates with their related location, the summary, and
// the six corpus .bib files (which work with their documents) free of error-severity diagnostics.
#include <doctest/doctest.h>

#include <random>
#include <sstream>

#include "../corpus.h"
#include "validators/bib_rules.h"
#include "validators/bib_summary.h"
#include "validators/render.h"

using namespace perfectex;
using namespace perfectex::validators;

namespace {

struct Hit {
  std::string rule;
  std::string text;  // the bytes the range covers
  friend bool operator==(const Hit&, const Hit&) = default;
  friend std::ostream& operator<<(std::ostream& os, const Hit& h) {
    return os << h.rule << "[" << h.text << "]";
  }
};
using Hits = std::vector<Hit>;

}  // namespace

template <>
struct doctest::StringMaker<Hits> {
  static String convert(const Hits& hits) {
    std::ostringstream os;
    for (const Hit& h : hits) os << h << " ";
    return os.str().c_str();
  }
};

namespace {

std::vector<Diagnostic> diagnose(std::string_view text,
                                 std::span<const std::string_view> external = {},
                                 const RuleConfig& config = {}) {
  BibWorkspace ws;
  run_bib(text, config, ws, external);
  return ws.sink.items();
}

Hits hits(std::string_view text, std::span<const std::string_view> external = {}) {
  Hits out;
  for (const Diagnostic& d : diagnose(text, external)) {
    out.push_back({std::string(rule_info(d.rule).name), std::string(bib_text(text, d.range))});
  }
  return out;
}

BibFile parse(std::string_view text) {
  BibFile file;
  parse_bib(text, file);
  return file;
}

std::vector<std::string> keys(std::string_view text) {
  BibFile file = parse(text);
  std::vector<std::string> out;
  for (const BibEntry& e : file.entries) {
    if (e.kind == BibEntryKind::Entry) out.emplace_back(bib_text(text, e.key));
  }
  return out;
}

std::string_view str(std::string_view text, Span s) {
  return bib_text(text, s);
}

std::uint32_t offset_of(std::string_view text, std::string_view needle, int n = 0) {
  std::size_t pos = text.find(needle);
  while (n-- > 0) pos = text.find(needle, pos + 1);
  REQUIRE(pos != std::string_view::npos);
  return static_cast<std::uint32_t>(pos);
}

}  // namespace

TEST_CASE("bib: an entry's type, key, fields and value pieces are spans into the text") {
  std::string text =
      "@Article{knuth84,\n"
      "  AUTHOR = {Donald {E.} Knuth},\n"
      "  title = \"Literate {\"}Programming\",\n"
      "  year = 1984,\n"
      "  month = jan # \"~1\",\n"
      "}\n";
  BibFile file = parse(text);
  REQUIRE(file.entries.size() == 1);
  const BibEntry& e = file.entries[0];
  CHECK(e.kind == BibEntryKind::Entry);
  CHECK(e.complete);
  CHECK(str(text, e.type) == "Article");
  CHECK(str(text, e.key) == "knuth84");
  CHECK(str(text, e.range) == std::string_view(text).substr(0, text.size() - 1));
  auto fields = file.fields_of(e);
  REQUIRE(fields.size() == 4);
  CHECK(str(text, fields[0].name) == "AUTHOR");
  CHECK(str(text, fields[0].value) == "{Donald {E.} Knuth}");
  CHECK(str(text, fields[1].value) == "\"Literate {\"}Programming\"");
  CHECK(file.parts_of(fields[1])[0].kind == BibPartKind::Quoted);
  CHECK(str(text, fields[2].value) == "1984");
  CHECK(file.parts_of(fields[2])[0].kind == BibPartKind::Number);
  auto month = file.parts_of(fields[3]);
  REQUIRE(month.size() == 2);
  CHECK(month[0].kind == BibPartKind::Macro);
  CHECK(str(text, month[0].span) == "jan");
  CHECK(month[1].kind == BibPartKind::Quoted);
  CHECK(str(text, fields[3].value) == "jan # \"~1\"");
  CHECK(file.syntax.empty());
  CHECK(hits(text).empty());
}

TEST_CASE("bib: parentheses, @string, @preamble, @comment and text outside entries") {
  std::string text =
      "Anything outside an entry is a comment, even key = {value}, pairs.\n"
      "% a comment line: @article{commented, title={out}} is not read\n"
      "@STRING{ jasa = {J. Acoust. Soc. Am.} }\n"
      "@String(full = jasa # \", vol.\")\n"
      "@preamble{ \"\\newcommand{\\noop}[1]{}\" # {x} }\n"
      "@comment{ JabRef: {nested} braces, an @sign, and @article{not, read} }\n"
      "@comment this line is a comment for BibTeX\n"
      "@misc(paren-key, journal = full, note = {a ) b})\n"
      "@book{nofields}\n";
  BibFile file = parse(text);
  REQUIRE(file.entries.size() == 6);
  CHECK(file.entries[0].kind == BibEntryKind::String);
  CHECK(str(text, file.fields_of(file.entries[0])[0].name) == "jasa");
  CHECK(str(text, file.fields_of(file.entries[0])[0].value) == "{J. Acoust. Soc. Am.}");
  CHECK(file.entries[1].kind == BibEntryKind::String);
  CHECK(file.parts_of(file.fields_of(file.entries[1])[0]).size() == 2);
  CHECK(file.entries[2].kind == BibEntryKind::Preamble);
  CHECK(file.fields_of(file.entries[2])[0].name.empty());
  CHECK(str(text, file.fields_of(file.entries[2])[0].value) ==
        "\"\\newcommand{\\noop}[1]{}\" # {x}");
  CHECK(file.entries[3].kind == BibEntryKind::Comment);
  CHECK(file.entries[3].complete);
  CHECK(file.entries[4].kind == BibEntryKind::Entry);
  CHECK(str(text, file.entries[4].key) == "paren-key");
  CHECK(str(text, file.fields_of(file.entries[4])[1].value) == "{a ) b}");
  CHECK(file.entries[4].complete);
  CHECK(str(text, file.entries[5].key) == "nofields");
  CHECK(file.entries[5].field_count == 0);
  CHECK(file.entries[5].complete);
  CHECK(hits(text).empty());
  CHECK(keys(text) == std::vector<std::string>{"paren-key", "nofields"});
}

TEST_CASE("bib: keys with punctuation, blanks and comments between the parts, UTF-8 names") {
  std::string text =
      "@Image{img:snsd,title=\"x\"}\n"
      "  @article { Author2001a/b-c.d ,\n"
      "  % biber reads this as a comment\n"
      "  title\n  =\n  {T} ,\n"
      "  sortname = {\xC3\x89mile},\n"
      "}\n";
  CHECK(keys(text) == std::vector<std::string>{"img:snsd", "Author2001a/b-c.d"});
  CHECK(hits(text).empty());
}

TEST_CASE("bib: syntax errors at their exact ranges") {
  SUBCASE("an unclosed entry is reported at its start and cut at the next entry") {
    std::string text = "@article{a, title = {T}\n\n@book{b, title = {U}}\n";
    CHECK(hits(text) == Hits{{"bib-unclosed-entry", "@article{a"}});
    auto d = diagnose(text);
    REQUIRE(d[0].has_related);
    CHECK(d[0].related.begin == offset_of(text, "@book"));
    CHECK(render_message(d[0], text) ==
          "entry `a` is never closed; close its `{` after the last field");
    CHECK(keys(text) == std::vector<std::string>{"a", "b"});
  }
  SUBCASE("an unclosed entry at the end of the file") {
    std::string text = "@misc(k, note = {x},";
    CHECK(hits(text) == Hits{{"bib-unclosed-entry", "@misc(k"}});
    CHECK_FALSE(diagnose(text)[0].has_related);
  }
  SUBCASE("an unclosed brace in a value is cut at the next entry") {
    std::string text = "@article{a,\n  title = {The {Best} paper,\n  year = 2000\n@book{b}\n";
    CHECK(hits(text) == Hits{{"bib-unclosed-brace", "{"}});
    auto d = diagnose(text);
    CHECK(d[0].range.begin == offset_of(text, "{The"));
    CHECK(d[0].related.begin == offset_of(text, "@book"));
    CHECK(keys(text) == std::vector<std::string>{"a", "b"});
    // As BibTeX reads it, the `}` meant for the entry closes the value, and the entry stays open;
    // when the value holds what reads as the next field, the value is where the `}` is missing.
    std::string taken = "@article{a,\n  title = {The {Best} paper,\n}\n@book{b}\n";
    CHECK(hits(taken) == Hits{{"bib-unclosed-entry", "@article{a"}});
    std::string swallowed =
        "@article{a,\n  title = {The {Best} paper,\n  year = 2000,\n}\n@book{b}\n";
    CHECK(hits(swallowed) == Hits{{"bib-unclosed-brace", "{"}});
    CHECK(diagnose(swallowed)[0].range.begin == offset_of(swallowed, "{The"));
    CHECK(keys(swallowed) == std::vector<std::string>{"a", "b"});
  }
  SUBCASE("an unclosed quote, as a backslash-quote outside braces makes it") {
    std::string text = "@article{a, title = \"Schr\\\"oder\"}\n@book{b}\n";
    // BibTeX ends the value at \" and then finds `oder"`: the value needs {\"o}.
    CHECK(hits(text) == Hits{{"bib-unexpected-text", "oder"}});
    CHECK(keys(text) == std::vector<std::string>{"a", "b"});
    std::string open = "@misc{a, note = \"never closed}\n@misc{b}\n";
    CHECK(hits(open) == Hits{{"bib-unclosed-quote", "\""}});
    CHECK(keys(open) == std::vector<std::string>{"a", "b"});
  }
  SUBCASE("a missing key") {
    std::string text = "@article{title = {T}, year = 2000}\n@book{, title = {U}}\n";
    CHECK(hits(text) == Hits{{"bib-missing-key", "@article{"}, {"bib-missing-key", "@book{"}});
    BibFile file = parse(text);
    CHECK(file.entries[0].field_count == 2);  // the word before `=` is the first field
    CHECK(render_message(diagnose(text)[0], text) ==
          "the `@article` entry has no citation key; add one right after `{`, followed by a comma");
  }
  SUBCASE("a missing =") {
    std::string text = "@article{a, title {T}}\n@book{b}\n";
    CHECK(hits(text) == Hits{{"bib-missing-equals", "title"}});
    CHECK(keys(text) == std::vector<std::string>{"a", "b"});
  }
  SUBCASE("a missing comma between fields, and after the key") {
    std::string text = "@article{a, title = {T}\n  year = 2000}\n@book{b title = {U}}\n";
    CHECK(hits(text) == Hits{{"bib-missing-comma", "year"}, {"bib-missing-comma", "title"}});
    // Both entries are read on past the mistake.
    BibFile file = parse(text);
    CHECK(file.entries[0].field_count == 2);
    CHECK_FALSE(file.entries[0].complete);
    CHECK(file.entries[1].field_count == 1);
  }
  SUBCASE("a missing value") {
    std::string text = "@article{a, title = , year = 2000, note = \"x\" # }\n";
    CHECK(hits(text) == Hits{{"bib-missing-value", "="}, {"bib-missing-value", "#"}});
    CHECK(render_message(diagnose(text)[0], text) ==
          "field `title` has no value here; give one in braces, as in `title = {...}`");
  }
  SUBCASE("unexpected text where a field belongs") {
    std::string text = "@article{a, , title = {T}}\n@book{b, title = {T}} }\n";
    CHECK(hits(text) == Hits{{"bib-unexpected-text", ","}});
    CHECK(keys(text) == std::vector<std::string>{"a", "b"});
  }
  SUBCASE("a bare value that is neither a number nor a name") {
    std::string text = "@article{a, pages = 12-15, year = 2001}\n";
    CHECK(hits(text) == Hits{{"bib-bare-value", "12-15"}});
    CHECK(render_message(diagnose(text)[0], text) ==
          "`12-15` must be in braces, as in `{12-15}`: only numbers and `@string` names stand "
          "without them");
  }
  SUBCASE("an @ that starts no entry") {
    std::string text = "Mail me at someone@example.org.\n@ alone\n@comment no delimiter is fine\n";
    CHECK(hits(text) ==
          Hits{{"bib-stray-at-sign", "@example.org."}, {"bib-stray-at-sign", "@ alone"}});
    for (const Diagnostic& d : diagnose(text)) CHECK(d.severity == Severity::Warning);
  }
}

TEST_CASE("bib: one mistake never hides the entries after it") {
  std::string text =
      "@article{first, title = {ok}}\n"
      "@article{broken, title = {unclosed, year = 1999,\n"
      "  author = {Someone}}\n"
      "@article{second, title = \"ok\" }\n"
      "@book{third,, title = {x}}\n"
      "  @misc{fourth}\n"
      "@misc{fifth, note = {x} junk = 1 @ }\n"
      "@misc{sixth}\n";
  // `{unclosed` takes the `}` closing the entry at the end of line 3 for its own; then
  // `@article{second` starts a line while the entry is still open, and the value holding
  // `author = ` is where the `}` is missing.
  CHECK(keys(text) ==
        std::vector<std::string>{"first", "broken", "second", "third", "fourth", "fifth", "sixth"});
  Hits h = hits(text);
  CHECK(h == Hits{{"bib-unclosed-brace", "{"},
                  {"bib-unexpected-text", ","},
                  {"bib-missing-comma", "junk"},
                  {"bib-unexpected-text", "@"}});
  BibFile file = parse(text);
  CHECK(file.entries[0].complete);
  CHECK_FALSE(file.entries[1].complete);
  CHECK(file.entries[2].complete);
  CHECK(file.entries[4].complete);
  CHECK(file.entries[6].complete);
}

TEST_CASE("bib: duplicate keys, exact and in another case, with the first as related") {
  std::string text =
      "@article{Knuth84, title={a}}\n"
      "@book{knuth84, title={b}}\n"
      "@misc{Knuth84}\n"
      "@misc{other}\n";
  CHECK(hits(text) ==
        Hits{{"bib-duplicate-key-case", "knuth84"}, {"bib-duplicate-key", "Knuth84"}});
  auto d = diagnose(text);
  CHECK(d[0].severity == Severity::Warning);
  CHECK(d[0].related.begin == offset_of(text, "Knuth84"));
  CHECK(d[1].related.begin == offset_of(text, "Knuth84"));
  CHECK(render_message(d[0], text) ==
        "key `knuth84` differs from `Knuth84` only in case: BibTeX treats them as one key and uses "
        "the first entry, biber as two; rename one of them");
  CHECK(render_related_message(d[1], text) == "the first entry with this key");
}

TEST_CASE("bib: a field twice in one entry, in any case") {
  std::string text = "@article{a, title={x}, Year=1, TITLE={y}, year=2}\n@book{b, title={x}}\n";
  CHECK(hits(text) == Hits{{"bib-duplicate-field", "TITLE"}, {"bib-duplicate-field", "year"}});
  auto d = diagnose(text);
  CHECK(d[0].related.begin == offset_of(text, "title"));
  CHECK(d[1].related.begin == offset_of(text, "Year"));
}

TEST_CASE("bib: @string references must be defined above, except months and external names") {
  std::string text =
      "@string{acm = {ACM}}\n"
      "@article{a, journal = ACM, month = OCT, publisher = later, note = nowhere # acm}\n"
      "@string{later = {L}}\n"
      "@string{self = self # {x}}\n"
      "@misc{b, publisher = later, howpublished = ext}\n";
  CHECK(hits(text) == Hits{{"bib-undefined-string", "later"},
                           {"bib-undefined-string", "nowhere"},
                           {"bib-undefined-string", "self"},
                           {"bib-undefined-string", "ext"}});
  std::vector<std::string_view> external = {"EXT", "nowhere"};
  CHECK(hits(text, external) ==
        Hits{{"bib-undefined-string", "later"}, {"bib-undefined-string", "self"}});
  CHECK(diagnose(text)[0].severity == Severity::Warning);
}

TEST_CASE("bib: the configuration turns rules off and changes severities") {
  std::string text = "@misc{a}\n@misc{a}\n@misc{b, x = {1}, x = {2}}\n";
  RuleConfig config;
  REQUIRE_FALSE(config.apply("bib-duplicate-key", "error").has_value());
  REQUIRE_FALSE(config.apply("bib-duplicate-field", "off").has_value());
  auto d = diagnose(text, {}, config);
  REQUIRE(d.size() == 1);
  CHECK(d[0].rule == RuleId::BibDuplicateKey);
  CHECK(d[0].severity == Severity::Error);
  CHECK(family_name(rule_info(RuleId::BibDuplicateKey).family) == "F7 citations & bibliography");
}

TEST_CASE("bib: the summary lists keys and @string names with their spans") {
  std::string text =
      "@string{pub = {P}}\n@article{k1, publisher = pub}\n@comment{@misc{no}}\n"
      "@misc(k2)\n@misc{k1}\n";
  BibFile file = parse(text);
  BibSummary summary = summarize_bib(text, file);
  REQUIRE(summary.keys.size() == 3);
  CHECK(summary.keys[0].name == "k1");
  CHECK(summary.keys[0].span.begin == offset_of(text, "k1"));
  CHECK(summary.keys[1].name == "k2");
  CHECK(summary.keys[2].span.begin == offset_of(text, "k1", 1));
  REQUIRE(summary.strings.size() == 1);
  CHECK(summary.strings[0].name == "pub");
  CHECK(summary.has_key("k2"));
  CHECK_FALSE(summary.has_key("K2"));
  CHECK_FALSE(summary.has_key("no"));
  CHECK(summary == summarize_bib(text, parse(text)));
}

TEST_CASE("bib: the corpus .bib files get no error-severity diagnostic") {
  const char* files[] = {
      "stacks/my.bib",
      "hott-book/references.bib",
      "thesis-wierstorf/long.bib",
      "thesis-wierstorf/wierstorf2014-perceptual_assessment_of_sound_field_synthesis.bib",
      "napkin/images.bib",
      "napkin/references.bib"};
  for (const char* name : files) {
    std::string text = testing::read_corpus(name);
    BibWorkspace ws;
    run_bib(text, RuleConfig{}, ws);
    std::ostringstream report;
    std::size_t errors = 0;
    for (const Diagnostic& d : ws.sink.items()) {
      report << name << ": " << rule_info(d.rule).name << " " << bib_text(text, d.range) << "\n";
      errors += d.severity == Severity::Error;
    }
    INFO(report.str());
    CHECK(errors == 0);
    std::size_t entries = 0;
    for (const BibEntry& e : ws.file.entries) entries += e.kind != BibEntryKind::Comment;
    MESSAGE(std::string(name) << ": " << entries << " entries, " << ws.sink.items().size()
                              << " diagnostics");
  }
}

TEST_CASE(
    "bib: the thesis's @strings come from long.bib, read first: given them, none is undefined") {
  // \bibliography{long,wierstorf2014-...}: BibTeX reads long.bib's @strings first.
  std::string long_bib = testing::read_corpus("thesis-wierstorf/long.bib");
  BibFile long_file;
  parse_bib(long_bib, long_file);
  BibSummary strings = summarize_bib(long_bib, long_file);
  CHECK(strings.strings.size() == 241);
  CHECK(strings.keys.empty());
  std::vector<std::string_view> external;
  for (const BibSymbol& s : strings.strings) external.push_back(s.name);

  std::string text = testing::read_corpus(
      "thesis-wierstorf/wierstorf2014-perceptual_assessment_of_sound_field_synthesis.bib");
  auto alone = diagnose(text);
  CHECK(alone.size() ==
        99);  // every bare name in the file: journal = JASA, booktitle = AES122, ...
  for (const Diagnostic& d : alone) CHECK(d.rule == RuleId::BibUndefinedString);
  Hits with_long = hits(text, external);
  CHECK(with_long == Hits{});
}

TEST_CASE("bib: every prefix and random damage of a .bib file parses within bounds") {
  std::string full = testing::read_corpus("napkin/references.bib");
  auto check_bounds = [](std::string_view text) {
    BibWorkspace ws;
    run_bib(text, RuleConfig{}, ws);
    const BibFile& file = ws.file;
    auto inside = [&](Span s) { return s.begin <= s.end && s.end <= text.size(); };
    std::uint32_t previous_end = 0;
    for (const BibEntry& e : file.entries) {
      REQUIRE(inside(e.range));
      REQUIRE(e.range.begin >= previous_end);
      previous_end = e.range.end;
      REQUIRE(inside(e.type));
      REQUIRE(inside(e.key));
      REQUIRE(e.first_field + e.field_count <= file.fields.size());
      for (const BibField& f : file.fields_of(e)) {
        REQUIRE(inside(f.name));
        REQUIRE(inside(f.value));
        REQUIRE(f.first_part + f.part_count <= file.parts.size());
        for (const BibPart& p : file.parts_of(f)) {
          REQUIRE(inside(p.span));
          REQUIRE(p.span.begin >= f.value.begin);
          REQUIRE(p.span.end <= f.value.end);
        }
      }
    }
    for (const Diagnostic& d : ws.sink.items()) {
      REQUIRE(inside(d.range));
      REQUIRE(inside(d.related));
      REQUIRE(inside(d.args[0]));
      REQUIRE(inside(d.args[1]));
      CHECK_FALSE(render_message(d, text).empty());
    }
    return file.entries.size();
  };
  for (std::size_t cut = 0; cut <= full.size(); cut += 7) {
    check_bounds(std::string_view(full).substr(0, cut));
  }
  std::mt19937 rng(6);
  const char damage[] = {'{', '}', '"', '@', ',', '=', '#', '%', '(', ')', '\n', 'x'};
  for (int round = 0; round < 300; ++round) {
    std::string text = full;
    for (int k = 0; k < 5; ++k) {
      std::size_t at = rng() % text.size();
      if (rng() % 2 == 0) {
        text[at] = damage[rng() % sizeof(damage)];
      } else {
        text.erase(at, 1);
      }
    }
    // At most five damaged places: most entries are still read.
    CHECK(check_bounds(text) + 12 >= 32);
  }
}
