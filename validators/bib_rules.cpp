#include "validators/bib_rules.h"

#include <algorithm>
#include <array>

namespace perfectex::validators {
namespace {

// The month macros every standard style and biber define.
constexpr std::array<std::string_view, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                      "jul", "aug", "sep", "oct", "nov", "dec"};

bool is_month(std::string_view name) {
  return std::any_of(kMonths.begin(), kMonths.end(),
                     [&](std::string_view m) { return bib_iequal(name, m); });
}

Diagnostic make(RuleId rule, Span range, Span arg0, Span arg1 = {}) {
  Diagnostic d;
  d.rule = rule;
  d.range = range;
  d.args[0] = arg0;
  d.args[1] = arg1;
  return d;
}

Diagnostic with_related(Diagnostic d, Span related) {
  d.related = related;
  d.has_related = true;
  return d;
}

// BibTeX compares keys ignoring case ("Repeated entry"); biber compares them exactly. An exact
// repeat is a duplicate for both; a repeat in another case only for BibTeX.
void check_keys(std::string_view text, const BibFile& file, Emitter& out, BibScratch& scratch) {
  if (!out.wants(RuleId::BibDuplicateKey) && !out.wants(RuleId::BibDuplicateKeyCase)) return;
  auto& order = scratch.order;
  order.clear();
  for (std::uint32_t i = 0; i < file.entries.size(); ++i) {
    const BibEntry& e = file.entries[i];
    if (e.kind == BibEntryKind::Entry && !e.key.empty()) order.push_back(i);
  }
  auto key = [&](std::uint32_t i) { return bib_text(text, file.entries[i].key); };
  // By key ignoring case, then by position: each group starts with its first occurrence.
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    int c = bib_icompare(key(a), key(b));
    return c != 0 ? c < 0 : a < b;
  });
  for (std::size_t g = 0; g < order.size();) {
    std::size_t end = g + 1;
    while (end < order.size() && bib_iequal(key(order[g]), key(order[end]))) ++end;
    for (std::size_t j = g + 1; j < end; ++j) {
      Span here = file.entries[order[j]].key;
      // The first earlier entry with exactly this key, if any; else the group's first.
      std::size_t same = g;
      while (same < j && key(order[same]) != key(order[j])) ++same;
      if (same < j) {
        out.emit(
            with_related(make(RuleId::BibDuplicateKey, here, here), file.entries[order[same]].key));
      } else {
        Span first = file.entries[order[g]].key;
        out.emit(with_related(make(RuleId::BibDuplicateKeyCase, here, here, first), first));
      }
    }
    g = end;
  }
}

// Field names compare ignoring case. Entries have a handful of fields, so a quadratic scan beats
// sorting.
void check_fields(std::string_view text, const BibFile& file, Emitter& out) {
  if (!out.wants(RuleId::BibDuplicateField)) return;
  for (const BibEntry& e : file.entries) {
    if (e.kind != BibEntryKind::Entry) continue;
    std::span<const BibField> fields = file.fields_of(e);
    for (std::size_t j = 1; j < fields.size(); ++j) {
      std::string_view name = bib_text(text, fields[j].name);
      for (std::size_t i = 0; i < j; ++i) {
        if (bib_iequal(name, bib_text(text, fields[i].name))) {
          out.emit(with_related(make(RuleId::BibDuplicateField, fields[j].name, fields[j].name),
                                fields[i].name));
          break;
        }
      }
    }
  }
}

// BibTeX and biber expand @strings as they read, so a name must be defined above its use.
void check_strings(std::string_view text, const BibFile& file, Emitter& out, BibScratch& scratch,
                   std::span<const std::string_view> external) {
  if (!out.wants(RuleId::BibUndefinedString)) return;
  auto& names = scratch.strings;
  names.clear();
  for (std::string_view name : external) names.push_back({name, 0});
  for (const BibEntry& e : file.entries) {
    if (e.kind != BibEntryKind::String || e.field_count == 0) continue;
    names.push_back({bib_text(text, file.fields[e.first_field].name), e.range.end});
  }
  auto less = [](const BibScratch::Name& a, const BibScratch::Name& b) {
    int c = bib_icompare(a.name, b.name);
    return c != 0 ? c < 0 : a.defined_at < b.defined_at;
  };
  std::sort(names.begin(), names.end(), less);
  for (const BibEntry& e : file.entries) {
    if (e.kind == BibEntryKind::Comment) continue;
    for (const BibField& f : file.fields_of(e)) {
      for (const BibPart& p : file.parts_of(f)) {
        if (p.kind != BibPartKind::Macro) continue;
        std::string_view name = bib_text(text, p.span);
        if (is_month(name)) continue;
        // The earliest definition of this name (external ones sort first).
        auto it = std::lower_bound(names.begin(), names.end(), BibScratch::Name{name, 0}, less);
        bool defined =
            it != names.end() && bib_iequal(it->name, name) && it->defined_at <= p.span.begin;
        if (!defined) out.emit(make(RuleId::BibUndefinedString, p.span, p.span));
      }
    }
  }
}

}  // namespace

void check_bib(std::string_view text, const BibFile& file, Emitter& out, BibScratch& scratch,
               std::span<const std::string_view> external_strings) {
  for (const Diagnostic& d : file.syntax) out.emit(d);
  check_keys(text, file, out, scratch);
  check_fields(text, file, out);
  check_strings(text, file, out, scratch, external_strings);
}

RunStats run_bib(std::string_view text, const RuleConfig& config, BibWorkspace& ws,
                 std::span<const std::string_view> external_strings) {
  RunStats stats;
  parse_bib(text, ws.file);
  for (;;) {
    ws.sink.clear();
    Emitter out(config, ws.sink);
    check_bib(text, ws.file, out, ws.scratch, external_strings);
    if (!ws.sink.overflowed()) break;
    ws.sink.reserve(ws.sink.capacity() * 2);
    ++stats.growths;
  }
  ws.sink.sort();
  stats.diagnostics = ws.sink.items().size();
  return stats;
}

}  // namespace perfectex::validators
