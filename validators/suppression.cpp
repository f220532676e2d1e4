#include "validators/suppression.h"

#include "validators/mode_tracker.h"

namespace perfectex::validators {
namespace {

bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == ',';
}

bool iequals_prefix(std::string_view text, std::size_t at, std::string_view word) {
  if (text.size() - at < word.size()) return false;
  for (std::size_t k = 0; k < word.size(); ++k) {
    char c = text[at + k];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != word[k]) return false;
  }
  return true;
}

struct Lines {
  std::string_view text;
  std::uint32_t start(std::uint32_t at) const {
    while (at > 0 && text[at - 1] != '\n') --at;
    return at;
  }
  std::uint32_t end(std::uint32_t at) const {
    while (at < text.size() && text[at] != '\n') ++at;
    return at < text.size() ? at + 1 : at;
  }
};

enum class Directive { NextLine, Line, File, Disable, Enable };

class Reader {
 public:
  Reader(const RuleContext& ctx, Suppressions& out) : ctx_(ctx), out_(out), lines_{ctx.text} {}

  void comment(std::size_t token) {
    std::string_view c = ctx_.token_text(token);
    std::uint32_t base = ctx_.tokens.begin(token);
    std::size_t k = 1;
    while (k < c.size() && is_blank(c[k])) ++k;
    constexpr std::string_view kPrefix = "perfectex-";
    if (c.substr(k).starts_with(kPrefix)) {
      perfectex(c, base, k + kPrefix.size());
      return;
    }
    for (std::size_t at = c.find_first_of("cC", k); at != std::string_view::npos;
         at = c.find_first_of("cC", at)) {
      at = iequals_prefix(c, at, "chktex") ? chktex(c, base, at + 6) : at + 1;
    }
  }

 private:
  void perfectex(std::string_view c, std::uint32_t base, std::size_t k) {
    struct Name {
      std::string_view text;
      Directive directive;
    };
    constexpr Name kNames[] = {{"disable-next-line", Directive::NextLine},
                               {"disable-line", Directive::Line},
                               {"disable-file", Directive::File},
                               {"disable", Directive::Disable},
                               {"enable", Directive::Enable}};
    std::string_view rest = c.substr(k);
    for (const Name& name : kNames) {
      if (!rest.starts_with(name.text)) continue;
      std::size_t after = k + name.text.size();
      if (after < c.size() && !is_blank(c[after])) continue;
      apply(name.directive, c, base, after);
      return;
    }
  }

  // The byte range a directive in the comment at base covers.
  Span range(Directive d, std::uint32_t base, std::uint32_t comment_end) const {
    switch (d) {
      case Directive::NextLine: {
        std::uint32_t next = lines_.end(base);
        return {next, lines_.end(next)};
      }
      case Directive::Line:
        return {lines_.start(base), lines_.end(base)};
      case Directive::File:
        return {0, Suppressions::kOpen};
      case Directive::Disable:
        return {comment_end, Suppressions::kOpen};
      case Directive::Enable:
        break;
    }
    return {comment_end, comment_end};
  }

  void apply(Directive d, std::string_view c, std::uint32_t base, std::size_t k) {
    auto end = static_cast<std::uint32_t>(base + c.size());
    Span r = range(d, base, end);
    bool any = false;
    while (k < c.size()) {
      while (k < c.size() && is_blank(c[k])) ++k;
      std::size_t start = k;
      while (k < c.size() && !is_blank(c[k])) ++k;
      std::string_view id = c.substr(start, k - start);
      if (id.empty() || id.starts_with("--")) break;  // the rest explains why
      any = true;
      std::optional<RuleId> rule = find_rule(id);
      if (!rule) {
        Span at = {base + static_cast<std::uint32_t>(start), base + static_cast<std::uint32_t>(k)};
        Diagnostic diag = make_diagnostic(RuleId::UnknownRuleInComment, at);
        diag.args[0] = at;
        ctx_.out.emit(diag);
        continue;
      }
      if (d == Directive::Enable) {
        out_.close(*rule, base);
      } else {
        out_.add(*rule, r.begin, r.end);
      }
    }
    if (any) return;
    if (d == Directive::Enable) {
      out_.close(RuleId::kCount, base);
    } else {
      out_.add(RuleId::kCount, r.begin, r.end);
    }
  }

  // After "chktex": optional "-file", then warning numbers. Returns where reading stopped.
  std::size_t chktex(std::string_view c, std::uint32_t base, std::size_t k) {
    bool file = c.substr(k).starts_with("-file");
    if (file) k += 5;
    Span r = file ? Span{0, Suppressions::kOpen} : Span{lines_.start(base), lines_.end(base)};
    for (;;) {
      while (k < c.size() && c[k] == ' ') ++k;
      std::size_t start = k;
      unsigned number = 0;
      while (k < c.size() && c[k] >= '0' && c[k] <= '9') number = number * 10 + unsigned(c[k++] - '0');
      if (k == start) return k;
      for (const RuleInfo& info : all_rules()) {
        if (info.chktex != 0 && info.chktex == number) out_.add(info.id, r.begin, r.end);
      }
    }
  }

  const RuleContext& ctx_;
  Suppressions& out_;
  Lines lines_;
};

}  // namespace

bool Suppressions::add(RuleId rule, std::uint32_t begin, std::uint32_t end) {
  if (count_ == kMax) return false;
  items_[count_++] = {begin, end, rule};
  return true;
}

void Suppressions::close(RuleId rule, std::uint32_t at) {
  for (std::size_t k = 0; k < count_; ++k) {
    Entry& e = items_[k];
    if (e.end == kOpen && e.begin > 0 && (rule == RuleId::kCount || e.rule == rule)) e.end = at;
  }
}

void read_suppressions(const RuleContext& ctx, const ModeScratch& modes, Suppressions& out) {
  out.clear();
  Reader reader(ctx, out);
  for (std::uint32_t token : modes.comments) {
    std::string_view c = ctx.token_text(token);
    // Cheap filter: only comments that mention one of the two prefixes are parsed.
    if (c.find("perfectex-") == std::string_view::npos && c.find("hktex") == std::string_view::npos &&
        c.find("HKTEX") == std::string_view::npos)
      continue;
    reader.comment(token);
  }
}

}  // namespace perfectex::validators
