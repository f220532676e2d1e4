#include "validators/project_facts.h"

#include <algorithm>
#include <array>
#include <functional>

#include "validators/fact_commands.h"

namespace perfectex::validators {
namespace {

using lexer::TokenKind;
constexpr std::size_t kNpos = static_cast<std::size_t>(-1);

struct CommandName {
  std::string_view name;
  Command command;
};

constexpr CommandName kCommands[] = {
    {"Autocite", Command::Citation},
    {"Autocites", Command::Citation},
    {"Cite", Command::Citation},
    {"Cpageref", Command::Reference},
    {"Cref", Command::Reference},
    {"DeclareGraphicsExtensions", Command::GraphicsExtensions},
    {"Parencite", Command::Citation},
    {"RequirePackage", Command::Package},
    {"Textcite", Command::Citation},
    {"addbibresource", Command::BibResource},
    {"autocite", Command::Citation},
    {"autoref", Command::Reference},
    {"begin", Command::Begin},
    {"bibliography", Command::Bibliography},
    {"cite", Command::Citation},
    {"citealp", Command::Citation},
    {"citealt", Command::Citation},
    {"citeauthor", Command::Citation},
    {"citep", Command::Citation},
    {"citet", Command::Citation},
    {"citetitle", Command::Citation},
    {"citeyear", Command::Citation},
    {"cpageref", Command::Reference},
    {"cref", Command::Reference},
    {"def", Command::Def},
    {"documentclass", Command::DocumentClass},
    {"end", Command::End},
    {"eqref", Command::Reference},
    {"externaldocument", Command::External},
    {"footcite", Command::Citation},
    {"fullcite", Command::Citation},
    {"gdef", Command::Def},
    {"graphicspath", Command::GraphicsPath},
    {"import", Command::Import},
    {"include", Command::Include},
    {"includegraphics", Command::Graphics},
    {"includeonly", Command::IncludeOnly},
    {"input", Command::Input},
    {"label", Command::Label},
    {"makeatletter", Command::MakeAtLetter},
    {"makeatother", Command::MakeAtOther},
    {"nameref", Command::Reference},
    {"newcommand", Command::NewCommand},
    {"nocite", Command::Citation},
    {"pageref", Command::Reference},
    {"parencite", Command::Citation},
    {"providecommand", Command::NewCommand},
    {"ref", Command::Reference},
    {"renewcommand", Command::NewCommand},
    {"smartcite", Command::Citation},
    {"subfile", Command::Subfile},
    {"subimport", Command::Subimport},
    {"supercite", Command::Citation},
    {"textcite", Command::Citation},
    {"usepackage", Command::Package},
    {"vpageref", Command::Reference},
    {"vref", Command::Reference},
};

// Control words are looked up once per use in the document: a bit per (first character,
// length) pair that some command has rejects nearly all of them with one table read; the rest
// compare against the few commands of their length.
constexpr std::size_t kLongestCommand = 25;
struct CommandIndex {
  std::array<std::uint32_t, 256> lengths_by_first{};  ///< bit L: a command of length L
  std::array<std::array<std::uint8_t, 12>, kLongestCommand + 1> by_length{};  ///< kCommands + 1
};
constexpr CommandIndex make_command_index() {
  CommandIndex t{};
  for (std::size_t i = 0; i < std::size(kCommands); ++i) {
    std::string_view name = kCommands[i].name;
    t.lengths_by_first[static_cast<unsigned char>(name[0])] |= std::uint32_t{1} << name.size();
    auto& slots = t.by_length[name.size()];
    std::size_t k = 0;
    while (slots[k] != 0) ++k;
    slots[k] = static_cast<std::uint8_t>(i + 1);
  }
  return t;
}
constexpr CommandIndex kCommandIndex = make_command_index();

}  // namespace

Command command_of(std::string_view name) {
  if (name.empty() || name.size() > kLongestCommand ||
      ((kCommandIndex.lengths_by_first[static_cast<unsigned char>(name[0])] >> name.size()) & 1) ==
          0) {
    return Command::None;
  }
  for (std::uint8_t slot : kCommandIndex.by_length[name.size()]) {
    if (slot == 0) break;
    if (kCommands[slot - 1].name == name) return kCommands[slot - 1].command;
  }
  return Command::None;
}

namespace {

// command_of(name) when it is \begin or \end, else None: two comparisons of known length.
Command environment_command(std::string_view name) {
  if (name == "begin") return Command::Begin;
  return name == "end" ? Command::End : Command::None;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

class Extractor {
 public:
  // edges_only: for run_environments, which reads the braces, \begin and \end alone.
  Extractor(std::string_view text, const lexer::TokenBuffer& tokens,
            const lexer::expand::MacroTable& table, bool edges_only)
      : text_(text),
        toks_(tokens),
        n_(tokens.size()),
        edges_only_(edges_only),
        regions_(table.regions()) {
    if (edges_only) return;
    // Only what is certainly defined: not inside a group or a conditional.
    for (std::uint32_t i = table.first_user(); i < table.size(); ++i) {
      if (table[i].top_level && table[i].definer != lexer::expand::kNone)
        top_level_.push_back(table[i].definer);
    }
    std::sort(top_level_.begin(), top_level_.end());
  }

  // All the facts (not edges_only).
  FileFacts run() {
    find_magic_root();
    if (n_ > 0) add_source(0, facts_.sources);
    // Definitions and \iffalse blocks: F1 does not read them, nor do the environment edges.
    std::size_t i = 0;
    for (const lexer::expand::Region& r : regions_) {
      if (r.first >= n_) break;
      scan(i, r.first, false);
      definition(r);
      scan(std::max<std::size_t>(i, r.first), std::min<std::size_t>(r.last + 1, n_), true);
      i = std::max<std::size_t>(i, r.last + 1);
    }
    scan(i, n_, false);
    finish_edges();
    return std::move(facts_);
  }

  // What the braces, \begin and \end give (edges_only; read_environments), outside regions: from
  // the last of points, adding points after it.
  void run_environments(FileFacts& facts, EnvironmentCheckpoints& points) {
    std::size_t i = 0, r = 0;
    if (!points.points.empty() &&
        points.points.back().sources <= facts.environment_sources.size()) {
      const EnvironmentCheckpoints::Point& p = points.points.back();
      i = p.token;
      r = p.region;
      max_reach_ = p.reach;
      depth_ = p.depth;
      tangled_ = p.tangled;
      ended_ = p.ended;
      open_ = p.open;
      facts_.environment_edges = p.ends;
      facts_.environment_sources.assign(
          facts.environment_sources.begin(),
          facts.environment_sources.begin() + static_cast<std::ptrdiff_t>(p.sources));
      if (p.sources > 0) facts_.environment_sources.back() = p.last_source;
      facts_.begin_document = p.begin_document;
    } else {
      points.points.clear();
    }
    points_ = &points;
    next_point_ = i + points.spacing;
    for (; r < regions_.size() && regions_[r].first < n_; ++r) {
      region_ = r;
      scan(i, regions_[r].first, false);
      i = std::max<std::size_t>(i, regions_[r].last + 1);
    }
    region_ = r;
    scan(i, n_, false);
    finish_edges();
    facts.begin_document = facts_.begin_document;
    facts.environment_edges = std::move(facts_.environment_edges);
    facts.environment_sources = std::move(facts_.environment_sources);
  }

 private:
  // Tokens [from, to): control words for the facts and, outside a region, brace groups.
  void scan(std::size_t from, std::size_t to, bool region) {
    // Control words and braces are the kinds numbered 0 to 3: one test passes over the rest.
    static_assert(static_cast<int>(TokenKind::ControlWord) == 0 &&
                  static_cast<int>(TokenKind::ControlSymbol) == 1 &&
                  static_cast<int>(TokenKind::BeginGroup) == 2 &&
                  static_cast<int>(TokenKind::EndGroup) == 3);
    const TokenKind* kinds = toks_.kinds_data();
    for (std::size_t i = from; i < to; ++i) {
      while (i < to && static_cast<std::uint8_t>(kinds[i]) > 3) ++i;
      if (i == to) return;
      if (points_ != nullptr && i >= next_point_ &&
          open_.size() + facts_.environment_edges.size() <= kMaxPointEnvironments)
        point(i);
      TokenKind kind = kinds[i];
      if (kind == TokenKind::ControlWord) {
        const std::string_view name = text_.substr(toks_.begin(i) + 1, toks_.length(i) - 1);
        const Command command = edges_only_ ? environment_command(name) : command_of(name);
        const bool environment = command == Command::Begin || command == Command::End;
        if (command == Command::None || (edges_only_ && !environment)) continue;
        if (!region || !environment) {
          reach_ = i;
          handle(command, i);
          max_reach_ = std::max(max_reach_, reach_);
          add_source(i, environment ? facts_.environment_sources : facts_.sources);
        }
      } else if (region) {
        continue;
      } else if (kind == TokenKind::BeginGroup) {
        ++depth_;
      } else if (kind == TokenKind::EndGroup) {
        // A group that ends with an environment of its own still open, or a `}` too many.
        if (depth_ == 0 || (!open_.empty() && open_.back().depth == depth_)) tangled_ = true;
        if (depth_ > 0) --depth_;
      }
    }
  }

  // The environments left open are edges when the file's braces balance around them.
  void finish_edges() {
    if (depth_ == 0 && !tangled_) {
      for (OpenEnvironment& open : open_)
        facts_.environment_edges.push_back({std::move(open.name), true});
    } else {
      facts_.environment_edges.clear();
    }
  }

  // Where the reader is before token i, for a later read to start there: not where more
  // environments are open or unmatched than this, which every point would copy (a read then
  // starts at an earlier point).
  static constexpr std::size_t kMaxPointEnvironments = 64;
  void point(std::size_t i) {
    EnvironmentCheckpoints::Point p;
    p.token = static_cast<std::uint32_t>(i);
    p.reach = static_cast<std::uint32_t>(max_reach_);
    p.region = static_cast<std::uint32_t>(region_);
    p.depth = depth_;
    p.tangled = tangled_;
    p.ended = ended_;
    p.open = open_;
    p.ends = facts_.environment_edges;
    p.sources = facts_.environment_sources.size();
    if (p.sources > 0) p.last_source = facts_.environment_sources.back();
    p.begin_document = facts_.begin_document;
    points_->points.push_back(std::move(p));
    next_point_ = i + points_->spacing;
  }

  // The next token that is not blank, a line end or a comment, from i on.
  std::size_t skip_blanks(std::size_t i) const {
    while (i < n_ && (toks_.kind(i) == TokenKind::Space || toks_.kind(i) == TokenKind::Newline ||
                      toks_.kind(i) == TokenKind::Comment)) {
      ++i;
    }
    read(i);
    return i;
  }

  // Token k (n_: the end) was looked at for the command being read.
  void read(std::size_t k) const { reach_ = std::max(reach_, std::min(k, n_ - 1)); }

  // The bytes from token first to the furthest token read since: a source of the facts, added
  // to sources (joined to the last when they touch).
  void add_source(std::size_t first, std::vector<Span>& sources) {
    Span span{toks_.begin(first), toks_.end(std::max(first, reach_))};
    if (!sources.empty() && span.begin <= sources.back().end) {
      sources.back().end = std::max(sources.back().end, span.end);
    } else {
      sources.push_back(span);
    }
  }

  // Index just past the group that opens at i (a '{', or a '[' when close is ']'), counting
  // nested braces; npos when it is not closed within its paragraph.
  std::size_t group_end(std::size_t i, TokenKind close) const {
    int depth = 0;
    for (std::size_t k = i; k < n_; ++k) {
      read(k);
      TokenKind kind = toks_.kind(k);
      if (kind == TokenKind::ParagraphBreak) return kNpos;
      if (kind == TokenKind::BeginGroup) {
        ++depth;
      } else if (kind == TokenKind::EndGroup) {
        if (--depth < 0) return kNpos;
        if (depth == 0 && close == TokenKind::EndGroup) return k + 1;
      } else if (kind == close && depth == 0) {
        return k + 1;
      }
    }
    return kNpos;
  }

  // Skips a star and optional [..] arguments from token i on; returns the mandatory {..}
  // argument's inner span and sets next past it, or nothing.
  std::optional<Span> argument(std::size_t i, std::size_t& next) const {
    std::size_t k = skip_blanks(i);
    if (k < n_ && toks_.kind(k) == TokenKind::Text && toks_.length(k) == 1 &&
        text_[toks_.begin(k)] == '*') {
      k = skip_blanks(k + 1);
    }
    while (k < n_ && toks_.kind(k) == TokenKind::OpenBracket) {
      std::size_t end = group_end(k, TokenKind::CloseBracket);
      if (end == kNpos) return std::nullopt;
      k = skip_blanks(end);
    }
    if (k >= n_ || toks_.kind(k) != TokenKind::BeginGroup) return std::nullopt;
    std::size_t end = group_end(k, TokenKind::EndGroup);
    if (end == kNpos) return std::nullopt;
    next = end;
    return Span{toks_.end(k), toks_.begin(end - 1)};
  }

  std::string_view text_of(Span s) const { return text_.substr(s.begin, s.end - s.begin); }

  // Calls add(piece, span) for each comma-separated (when split), trimmed, non-empty piece of
  // span; comments inside the argument are left out.
  template <class Add>
  void each_piece(Span span, Add add, bool split = true) const {
    std::uint32_t first = 0, last = 0;
    bool open = false;
    auto flush = [&] {
      if (open) add(text_.substr(first, last - first), Span{first, last});
      open = false;
    };
    for (std::uint32_t at = span.begin; at < span.end; ++at) {
      char c = text_[at];
      if (c == '%' && (at == 0 || text_[at - 1] != '\\')) {
        while (at + 1 < span.end && text_[at + 1] != '\n') ++at;
      } else if (c == ',' && split) {
        flush();
      } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        if (!open) first = at;
        open = true;
        last = at + 1;
      }
    }
    flush();
  }

  void add_names(std::vector<Name>& out, Span span) {
    each_piece(span, [&](std::string_view piece, Span s) {
      // \cref{{key}}: TeX strips the braces around a whole argument.
      while (piece.size() >= 2 && piece.front() == '{' && piece.back() == '}') {
        piece = piece.substr(1, piece.size() - 2);
        s = {s.begin + 1, s.end - 1};
      }
      // A key with a parameter (#1) belongs to a definition, not to the document.
      if (piece.find('#') == std::string_view::npos && piece.find('\\') == std::string_view::npos) {
        out.push_back({std::string(piece), s});
      }
    });
  }

  void add_include(IncludeKind kind, std::size_t command, std::string dir, Span arg,
                   std::size_t end) {
    Span range{toks_.begin(command), toks_.begin(end - 1) + toks_.length(end - 1)};
    each_piece(arg, [&](std::string_view piece, Span s) {
      facts_.includes.push_back({kind, dir, std::string(piece), range, s});
    });
  }

  void handle(Command command, std::size_t i) {
    std::size_t next = i + 1;
    switch (command) {
      case Command::DocumentClass:
        if (!facts_.documentclass) facts_.documentclass = toks_.begin(i);
        return;
      case Command::Begin:
      case Command::End:
        if (auto arg = argument(i + 1, next)) {
          if (command == Command::Begin && text_of(*arg) == "document" && !facts_.begin_document) {
            facts_.begin_document = toks_.begin(i);
          }
          environment(command == Command::Begin, *arg, {toks_.begin(i), toks_.end(next - 1)});
        }
        return;
      case Command::Input: {
        if (auto arg = argument(i + 1, next)) {
          add_include(IncludeKind::Input, i, {}, *arg, next);
        } else {
          // TeX's own syntax: \input file, the name ending at a blank.
          std::size_t k = i + 1;
          if (k < n_ && toks_.kind(k) == TokenKind::Space) ++k;
          read(k);
          if (k < n_ && toks_.kind(k) == TokenKind::Text) {
            Span name{toks_.begin(k), toks_.end(k)};
            facts_.includes.push_back({IncludeKind::Input,
                                       {},
                                       std::string(text_of(name)),
                                       {toks_.begin(i), name.end},
                                       name});
          }
        }
        return;
      }
      case Command::Include:
      case Command::Subfile:
      case Command::Bibliography:
      case Command::BibResource:
      case Command::Graphics:
        if (auto arg = argument(i + 1, next)) {
          IncludeKind kind = command == Command::Include        ? IncludeKind::Include
                             : command == Command::Subfile      ? IncludeKind::Subfile
                             : command == Command::Bibliography ? IncludeKind::Bibliography
                             : command == Command::BibResource  ? IncludeKind::BibResource
                                                                : IncludeKind::Graphics;
          if (kind == IncludeKind::Include || kind == IncludeKind::Subfile ||
              kind == IncludeKind::Graphics || kind == IncludeKind::BibResource) {
            // One path, even with a comma in it.
            Span range{toks_.begin(i), toks_.end(next - 1)};
            each_piece(
                *arg,
                [&](std::string_view path, Span s) {
                  facts_.includes.push_back({kind, {}, std::string(path), range, s});
                },
                false);
          } else {
            add_include(kind, i, {}, *arg, next);
          }
        }
        return;
      case Command::Import:
      case Command::Subimport:
        if (auto dir = argument(i + 1, next)) {
          std::size_t after = next;
          if (auto file = argument(after, next)) {
            add_include(command == Command::Import ? IncludeKind::Import : IncludeKind::Subimport,
                        i, std::string(trim(text_of(*dir))), *file, next);
          }
        }
        return;
      case Command::External: {
        // \externaldocument[prefix]{file}: the optional argument is the prefix.
        std::size_t k = skip_blanks(i + 1);
        std::string prefix;
        if (k < n_ && toks_.kind(k) == TokenKind::OpenBracket) {
          std::size_t end = group_end(k, TokenKind::CloseBracket);
          if (end == kNpos) return;
          prefix = std::string(trim(text_of({toks_.end(k), toks_.begin(end - 1)})));
        }
        if (auto arg = argument(i + 1, next)) {
          Span range{toks_.begin(i), toks_.end(next - 1)};
          each_piece(
              *arg,
              [&](std::string_view path, Span s) {
                facts_.includes.push_back(
                    {IncludeKind::External, prefix, std::string(path), range, s});
              },
              false);
        }
        return;
      }
      case Command::IncludeOnly:
        if (auto arg = argument(i + 1, next)) {
          facts_.include_only.emplace();
          each_piece(*arg, [&](std::string_view piece, Span) {
            facts_.include_only->emplace_back(piece);
          });
        }
        return;
      case Command::GraphicsPath:
        if (auto arg = argument(i + 1, next)) {
          // {{dir1}{dir2}}: each inner group is a directory.
          std::string_view list = text_of(*arg);
          for (std::size_t open = list.find('{'); open != std::string_view::npos;
               open = list.find('{', open + 1)) {
            std::size_t close = list.find('}', open);
            if (close == std::string_view::npos) break;
            facts_.graphics_paths.emplace_back(trim(list.substr(open + 1, close - open - 1)));
            open = close;
          }
        }
        return;
      case Command::GraphicsExtensions:
        if (auto arg = argument(i + 1, next)) {
          facts_.graphics_extensions.clear();
          each_piece(*arg, [&](std::string_view piece, Span) {
            facts_.graphics_extensions.emplace_back(piece);
          });
        }
        return;
      case Command::Label:
        if (auto arg = argument(i + 1, next)) add_names(facts_.labels, *arg);
        return;
      case Command::Reference:
        if (auto arg = argument(i + 1, next)) add_names(facts_.references, *arg);
        return;
      case Command::Citation:
        if (auto arg = argument(i + 1, next)) add_names(facts_.citations, *arg);
        return;
      case Command::Package:
        if (auto arg = argument(i + 1, next)) add_names(facts_.packages, *arg);
        return;
      case Command::MakeAtLetter:
      case Command::MakeAtOther:
        at_letter_ = command == Command::MakeAtLetter;
        return;
      case Command::Def:
        def_macro(i);
        return;
      case Command::NewCommand:
        new_command_macro(i);
        return;
      case Command::None:
        return;
    }
  }

  // Matches \begin and \end as F1 does: an \end closes the latest environment of its name and
  // any left open above it; with no environment open at all, it is an edge. Inside a brace group
  // (a definition's body, or a group of the text) environments must balance, else the file is
  // tangled: F1's brace and environment frames then interleave, and the file has no edges.
  void environment(bool begin, Span name_span, Span whole) {
    std::string_view name = text_of(name_span);
    if (ended_ || name.empty() || name.find('\\') != std::string_view::npos) return;
    if (begin) {
      open_.push_back({{std::string(name), whole}, depth_});
      return;
    }
    if (depth_ > 0) {
      if (open_.empty() || open_.back().depth != depth_ || open_.back().name.text != name) {
        tangled_ = true;
      } else {
        open_.pop_back();
      }
      return;
    }
    auto it = std::find_if(open_.rbegin(), open_.rend(),
                           [&](const OpenEnvironment& open) { return open.name.text == name; });
    if (it != open_.rend()) {
      // F1 reads nothing after the \end{document} that closes the outermost environment.
      ended_ = name == "document" && it == std::prev(open_.rend());
      open_.erase(std::prev(it.base()), open_.end());
    } else if (open_.empty()) {
      facts_.environment_edges.push_back({{std::string(name), whole}, false});
    } else {
      open_.pop_back();  // F1 calls it a mismatch: a real error of this file, not an edge
    }
  }

  // A region of L1's table: a definition made at top level, or another (an \iffalse block, a
  // definition in a group or a conditional), which the files read next cannot count on.
  void definition(const lexer::expand::Region& r) {
    reach_ = r.last;
    add_source(r.first, facts_.sources);
    if (!std::binary_search(top_level_.begin(), top_level_.end(), r.first)) return;
    Span span{toks_.begin(r.first), toks_.end(r.last)};
    facts_.definitions.push_back({span, at_letter_});
    std::uint64_t h = std::hash<std::string_view>{}(text_of(span)) + at_letter_;
    facts_.definitions_hash = (facts_.definitions_hash ^ h) * 0x100000001B3ull;
  }

  void add_path_macro(std::string_view name, std::optional<Span> body) {
    if (!body) return;
    std::string_view value = trim(text_of(*body));
    if (value.find_first_of("#\\{}") != std::string_view::npos) return;
    facts_.path_macros.emplace_back(std::string(name), std::string(value));
  }

  // \def\NAME{body} and \def \NAME {body}, without parameters.
  void def_macro(std::size_t i) {
    std::size_t k = skip_blanks(i + 1);
    if (k >= n_ || toks_.kind(k) != TokenKind::ControlWord) return;
    std::string_view name = text_.substr(toks_.begin(k) + 1, toks_.length(k) - 1);
    std::size_t b = skip_blanks(k + 1);
    if (b >= n_ || toks_.kind(b) != TokenKind::BeginGroup) return;
    std::size_t next = b;
    add_path_macro(name, argument(b, next));
  }

  // \newcommand{\NAME}{body} and \newcommand\NAME{body}, without arguments.
  void new_command_macro(std::size_t i) {
    std::size_t k = skip_blanks(i + 1);
    bool braced = k < n_ && toks_.kind(k) == TokenKind::BeginGroup;
    if (braced) k = skip_blanks(k + 1);
    if (k >= n_ || toks_.kind(k) != TokenKind::ControlWord) return;
    std::string_view name = text_.substr(toks_.begin(k) + 1, toks_.length(k) - 1);
    std::size_t after = k + 1;
    if (braced) {
      after = skip_blanks(after);
      if (after >= n_ || toks_.kind(after) != TokenKind::EndGroup) return;
      ++after;
    }
    std::size_t b = skip_blanks(after);
    if (b >= n_ || toks_.kind(b) != TokenKind::BeginGroup) return;  // arguments: not a path
    std::size_t next = b;
    add_path_macro(name, argument(b, next));
  }

  // `% !TeX root = main.tex` in one of the first lines (case does not matter).
  void find_magic_root() {
    if (n_ == 0) return;
    reach_ = 0;
    std::size_t lines = 0;
    for (std::size_t i = 0; i < n_ && lines < 20; ++i) {
      read(i);
      TokenKind kind = toks_.kind(i);
      if (kind == TokenKind::Newline || kind == TokenKind::ParagraphBreak) ++lines;
      if (kind != TokenKind::Comment) continue;
      std::string_view comment = text_.substr(toks_.begin(i) + 1, toks_.length(i) - 1);
      comment = trim(comment);
      constexpr std::string_view kMagic = "!tex root";
      if (comment.size() < kMagic.size()) continue;
      bool match = std::equal(kMagic.begin(), kMagic.end(), comment.begin(), [](char a, char b) {
        return a == (b >= 'A' && b <= 'Z' ? static_cast<char>(b - 'A' + 'a') : b);
      });
      if (!match) continue;
      std::string_view rest = trim(comment.substr(kMagic.size()));
      if (rest.empty() || rest.front() != '=') continue;
      facts_.magic_root = std::string(trim(rest.substr(1)));
      return;
    }
  }

  std::string_view text_;
  const lexer::TokenBuffer& toks_;
  std::size_t n_;
  const bool edges_only_;
  mutable std::size_t reach_ = 0;  ///< the furthest token read for the current command
  std::size_t depth_ = 0;  ///< brace groups open
  std::vector<OpenEnvironment> open_;
  // read_environments: where points go, the next is due, the region scanned, the furthest read.
  EnvironmentCheckpoints* points_ = nullptr;
  std::size_t next_point_ = 0;
  std::size_t region_ = 0;
  std::size_t max_reach_ = 0;
  std::vector<std::uint32_t> top_level_;  ///< defining tokens of top-level definitions, sorted
  bool at_letter_ = false;                ///< after \makeatletter
  bool ended_ = false;                    ///< the document's outermost \end{document} was read
  bool tangled_ = false;                  ///< environments and brace groups interleave
  const std::vector<lexer::expand::Region>& regions_;
  FileFacts facts_;
};

}  // namespace

bool FileFacts::same_graph(const FileFacts& o) const {
  auto same_include = [](const Include& x, const Include& y) {
    return x.kind == y.kind && x.dir == y.dir && x.path == y.path;
  };
  return documentclass.has_value() == o.documentclass.has_value() &&
         begin_document.has_value() == o.begin_document.has_value() && magic_root == o.magic_root &&
         std::equal(includes.begin(), includes.end(), o.includes.begin(), o.includes.end(),
                    same_include) &&
         include_only == o.include_only && graphics_paths == o.graphics_paths &&
         graphics_extensions == o.graphics_extensions && path_macros == o.path_macros;
}

FileFacts extract_facts(std::string_view text, const lexer::TokenBuffer& tokens,
                        const lexer::expand::MacroTable& table) {
  return Extractor(text, tokens, table, false).run();
}

void EnvironmentCheckpoints::keep_before(const lexer::TokenEdit& edit) {
  points.erase(std::partition_point(
                   points.begin(), points.end(),
                   [&](const Point& p) { return p.token <= edit.first && p.reach < edit.first; }),
               points.end());
}

void read_environments(std::string_view text, const lexer::TokenBuffer& tokens,
                       const lexer::expand::MacroTable& table, FileFacts& facts,
                       EnvironmentCheckpoints& checkpoints) {
  Extractor(text, tokens, table, true).run_environments(facts, checkpoints);
}

FileFacts extract_facts(std::string_view text, const lexer::TokenBuffer& tokens) {
  lexer::expand::MacroTable table;
  while (table.build(text, tokens) == lexer::expand::BuildStatus::CapacityExceeded) {
    table.reserve(table.capacity() * 2);
  }
  return extract_facts(text, tokens, table);
}

}  // namespace perfectex::validators
