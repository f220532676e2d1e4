// The token builder shared by every vector kernel, included once per ISA translation unit inside
// that ISA's namespace (so each copy is compiled with its own flags and nothing is ODR-merged
// across ISAs). The includer defines a Classifier with `static BlockMasks classify(const char*)`
// reading 64 bytes. Uses only C library calls and its own code, never std:: templates, so no
// out-of-line instantiation compiled with wider ISA flags can leak into other translation units.
// Threading: a BlockLexer is a stack object of one call.
//
// Deliberately no include guard and no namespace of its own: see above.

/// What a classifier reports for one 64-byte block: bit i describes byte i.
struct BlockMasks {
  std::uint64_t special;   ///< one of \ { } $ & # ^ _ ~ % [ ]
  std::uint64_t blank;     ///< space or tab
  std::uint64_t line_end;  ///< \n or \r
  std::uint64_t slow;      ///< \, % or a line end: tokens the slow path shapes
  std::uint64_t letter;    ///< a-z, A-Z
  std::uint64_t at;        ///< '@' (a letter between \makeatletter and \makeatother)
};

enum : std::uint8_t { kOther = 0, kLetter = 1, kSpecial = 2, kBlank = 3, kLineEnd = 4 };
/// Byte -> token kind for tokens whose extent the masks decide; kIrregular for the bytes that
/// start a token the slow path shapes (\, %, line ends).
inline constexpr std::uint8_t kIrregular = 0xFF;

struct ByteTables {
  std::uint8_t cls[256];
  std::uint8_t kind[256];
};

constexpr ByteTables make_byte_tables() {
  ByteTables t{};
  for (int ch = 0; ch < 256; ++ch) {
    t.cls[ch] = kOther;
    t.kind[ch] = static_cast<std::uint8_t>(TokenKind::Text);
  }
  for (int ch = 'a'; ch <= 'z'; ++ch) t.cls[ch] = kLetter;
  for (int ch = 'A'; ch <= 'Z'; ++ch) t.cls[ch] = kLetter;
  const char specials[] = "\\{}$&#^_~%[]";
  for (int k = 0; specials[k] != 0; ++k) t.cls[static_cast<unsigned char>(specials[k])] = kSpecial;
  t.cls[0x20] = t.cls[0x09] = kBlank;
  t.cls[0x0A] = t.cls[0x0D] = kLineEnd;
  auto set = [&t](char ch, TokenKind kind) {
    t.kind[static_cast<unsigned char>(ch)] = static_cast<std::uint8_t>(kind);
  };
  set(' ', TokenKind::Space);
  set('\t', TokenKind::Space);
  set('{', TokenKind::BeginGroup);
  set('}', TokenKind::EndGroup);
  set('$', TokenKind::MathShift);
  set('&', TokenKind::Alignment);
  set('#', TokenKind::Parameter);
  set('^', TokenKind::Superscript);
  set('_', TokenKind::Subscript);
  set('~', TokenKind::Active);
  set('[', TokenKind::OpenBracket);
  set(']', TokenKind::CloseBracket);
  for (char ch : {'\\', '%', '\n', '\r'}) t.kind[static_cast<unsigned char>(ch)] = kIrregular;
  return t;
}
inline constexpr ByteTables kTables = make_byte_tables();

inline std::uint8_t cls(char ch) {
  return kTables.cls[static_cast<unsigned char>(ch)];
}

// Whether the len bytes at a spell literal; N is fixed per call site, so the compare is a couple
// of inlined loads rather than a library call (this runs for every control word).
template <std::size_t N>
inline bool same(const char* a, std::size_t len, const char (&literal)[N]) {
  return len == N - 1 && std::memcmp(a, literal, N - 1) == 0;
}

enum class VerbArg { Delimited, BraceOrDelimited, Brace, LangThenBraceOrDelimited };

template <class Classifier>
class BlockLexer {
 public:
  static constexpr std::size_t kNpos = ~std::size_t{0};

  BlockLexer(const char* text, std::size_t n, TokenBuffer& out)
      : t_(text),
        n_(n),
        out_(out),
        kinds_(out.kinds_data()),
        begins_(out.begins_data()),
        cap_(out.capacity()) {}

  LexResult run() {
    bool done = n_ == 0 || lex_blocks();
    if (!done) {
      // The last stored token ends where the first one that did not fit begins.
      out_.commit(size_, static_cast<std::uint32_t>(fail_at_));
      return {LexStatus::CapacityExceeded, size_, state_, fail_at_};
    }
    out_.commit(size_, static_cast<std::uint32_t>(n_));
    return {LexStatus::Ok, size_, state_, n_};
  }

 private:
  // The 64 bytes of the block at base: the text itself, or for the last partial block a zeroed
  // copy, so vector loads never run past the text (callers' buffers need no padding).
  const char* block_at(std::size_t base) {
    if (base + 64 <= n_) return t_ + base;
    std::memset(tail_, 0, sizeof tail_);
    std::memcpy(tail_, t_ + base, n_ - base);
    return tail_;
  }

  // The hot loop. A token starts at every special and line end, and where a run of text or
  // blanks begins; the masks give all those starts for 64 bytes at once. The starts before the
  // first slow one (\, %, a line end) are stored in one branch-free run: a table lookup and two
  // stores each, lengths following from the next begin. A slow token goes to the slow path,
  // which returns where the next token starts; that position becomes a start and every start
  // before it is dropped.
  bool lex_blocks() {
    std::size_t base = 0;
    std::size_t forced = 0;  // the next token starts here (a slow path's return)
    std::uint64_t prev_text = 1, prev_blank = 0;
    while (base < n_) {
      const char* block = block_at(base);
      BlockMasks m = Classifier::classify(block);
      std::uint64_t text = ~(m.special | m.blank | m.line_end);
      std::uint64_t starts = m.special | m.line_end | (text & ~((text << 1) | prev_text)) |
                             (m.blank & ~((m.blank << 1) | prev_blank));
      prev_text = text >> 63;
      prev_blank = m.blank >> 63;
      if (forced >= base) {
        unsigned off = static_cast<unsigned>(forced - base);
        starts = (starts & (~std::uint64_t{0} << off)) | (std::uint64_t{1} << off);
      }
      if (n_ - base < 64) starts &= (std::uint64_t{1} << (n_ - base)) - 1;
      while (starts != 0) {
        std::uint64_t slow = starts & m.slow;
        std::uint64_t fast = slow != 0 ? starts & ((slow & (0 - slow)) - 1) : starts;
        if (fast != 0) {
          if (!store_fast(base, block, fast)) return false;
          starts &= ~fast;
          if (starts == 0) break;
        }
        std::size_t p = base + static_cast<std::size_t>(__builtin_ctzll(starts));
        std::size_t q = irregular(p, base, m);
        if (full_) return false;
        if (q >= n_) return true;
        if (q - base >= 64) {
          forced = q;
          base = q - q % 64;
          goto next_block;
        }
        unsigned off = static_cast<unsigned>(q - base);
        starts = (starts & (~std::uint64_t{0} << off)) | (std::uint64_t{1} << off);
      }
      base += 64;
    next_block:;
    }
    return true;
  }

  // Stores one token per bit of bits (all tokens the masks shape completely). With room for a
  // whole block there is no capacity check: a classifier that can compress (AVX-512 VBMI2) stores
  // the block's tokens with a few vector stores; otherwise an unrolled loop writes eight slots per
  // round unconditionally (the slots past the count are overwritten later), so the only
  // unpredictable branch is the exit after each eight.
  bool store_fast(std::size_t base, const char* block, std::uint64_t bits) {
    if (cap_ - size_ < 64) {
      while (bits != 0) {
        std::size_t p = base + static_cast<std::size_t>(__builtin_ctzll(bits));
        if (!emit(static_cast<TokenKind>(kTables.kind[static_cast<unsigned char>(t_[p])]), p)) {
          return false;
        }
        bits &= bits - 1;
      }
      return true;
    }
    std::size_t count = static_cast<std::size_t>(__builtin_popcountll(bits));
    if constexpr (requires { Classifier::compress_store(t_, bits, kinds_, begins_, 0u, count); }) {
      Classifier::compress_store(block, bits, kinds_ + size_, begins_ + size_,
                                 static_cast<std::uint32_t>(base), count);
    } else {
      TokenKind* kinds = kinds_ + size_;
      std::uint32_t* begins = begins_ + size_;
      const unsigned char* at = reinterpret_cast<const unsigned char*>(block);
      std::uint32_t b = static_cast<std::uint32_t>(base);
      for (std::size_t done = 0; done < count; done += 8) {
        for (int u = 0; u < 8; ++u) {
          unsigned k = bits != 0 ? static_cast<unsigned>(__builtin_ctzll(bits)) : 0;
          kinds[u] = static_cast<TokenKind>(kTables.kind[at[k]]);
          begins[u] = b + k;
          bits &= bits - 1;
        }
        kinds += 8;
        begins += 8;
      }
    }
    size_ += count;
    return true;
  }

  bool emit(TokenKind kind, std::size_t begin) {
    if (size_ == cap_) {
      if (!full_) fail_at_ = begin;
      full_ = true;
      return false;
    }
    kinds_[size_] = kind;
    begins_[size_] = static_cast<std::uint32_t>(begin);
    ++size_;
    return true;
  }

  // A token the masks cannot shape, at p: returns where the next one starts. A control word
  // whose letters end inside the block takes its length from the letter mask (no byte loop and
  // no mispredicted loop exit). Runs the armed path when a \begin arms a verbatim environment.
  std::size_t irregular(std::size_t p, std::size_t base, const BlockMasks& m) {
    std::size_t q;
    switch (t_[p]) {
      case '\\': {
        unsigned off = static_cast<unsigned>(p + 1 - base);
        std::uint64_t letters = m.letter | (state_.at_letter ? m.at : 0);
        std::uint64_t run = off < 64 ? ~(letters >> off) : 0;
        if (off < 64 && p + 1 < n_ && (run & 1) == 0 && run != 0 &&
            off + static_cast<unsigned>(__builtin_ctzll(run)) < 64) {
          std::size_t j = p + 1 + static_cast<std::size_t>(__builtin_ctzll(run));
          if (j > n_) j = n_;
          emit(TokenKind::ControlWord, p);
          q = control_word_effects(t_ + p + 1, j - p - 1, j);
        } else {
          q = control_sequence(p);
        }
        break;
      }
      case '%':
        q = comment(p);
        break;
      default:
        q = line_end(p, n_);
        break;
    }
    if (state_.verbatim_env != 0 && !full_) q = armed(q);
    return q;
  }

  std::size_t comment(std::size_t i) {
    emit(TokenKind::Comment, i);
    std::size_t j = i + 1;
    while (j < n_ && cls(t_[j]) != kLineEnd) ++j;
    return j;
  }

  std::size_t line_end_length(std::size_t i) const {
    return t_[i] == '\r' && i + 1 < n_ && t_[i + 1] == '\n' ? 2 : 1;
  }

  std::size_t line_end(std::size_t i, std::size_t lim) {
    std::size_t j = i + line_end_length(i);
    std::size_t end = j;
    bool paragraph = false;
    for (;;) {
      std::size_t k = end;
      while (k < lim && cls(t_[k]) == kBlank) ++k;
      if (k < lim && cls(t_[k]) == kLineEnd) {
        end = k + line_end_length(k);
        if (end > lim) end = lim;
        paragraph = true;
      } else {
        break;
      }
    }
    emit(paragraph ? TokenKind::ParagraphBreak : TokenKind::Newline, i);
    return paragraph ? end : j;
  }

  // Between a \begin that armed a verbatim environment and the end of its body, one token at a
  // time: whitespace may not run into the body, and the body is one token.
  std::size_t armed(std::size_t i) {
    while (state_.verbatim_env != 0 && i < n_ && !full_) {
      if (i >= state_.verbatim_from) {
        i = verbatim_body(i);
        continue;
      }
      char ch = t_[i];
      switch (cls(ch)) {
        case kBlank: {
          std::size_t j = i + 1, lim = state_.verbatim_from;
          while (j < lim && cls(t_[j]) == kBlank) ++j;
          emit(TokenKind::Space, i);
          i = j;
          break;
        }
        case kLineEnd:
          i = line_end(i, state_.verbatim_from);
          break;
        case kSpecial:
          if (ch == '\\') {
            i = control_sequence(i);
          } else if (ch == '%') {
            i = comment(i);
          } else {
            emit(static_cast<TokenKind>(kTables.kind[static_cast<unsigned char>(ch)]), i);
            ++i;
          }
          break;
        default: {
          std::size_t j = i + 1;
          while (j < n_ && cls(t_[j]) <= kLetter) ++j;
          emit(TokenKind::Text, i);
          i = j;
          break;
        }
      }
    }
    return i;
  }

  static std::size_t utf8_length(unsigned char lead) {
    if (lead < 0xC0) return 1;
    if (lead < 0xE0) return 2;
    if (lead < 0xF0) return 3;
    return lead < 0xF8 ? 4 : 1;
  }

  bool is_letter(char ch) const { return cls(ch) == kLetter || (ch == '@' && state_.at_letter); }

  std::size_t control_sequence(std::size_t i) {
    if (i + 1 >= n_ || cls(t_[i + 1]) == kLineEnd) {
      emit(TokenKind::ControlSymbol, i);
      return i + 1;
    }
    if (!is_letter(t_[i + 1])) {
      std::size_t len = utf8_length(static_cast<unsigned char>(t_[i + 1]));
      std::size_t j = i + 1 + len;
      for (std::size_t k = i + 2; k < j; ++k) {
        if (k >= n_ || (static_cast<unsigned char>(t_[k]) & 0xC0) != 0x80) {
          j = i + 2;
          break;
        }
      }
      emit(TokenKind::ControlSymbol, i);
      return j;
    }
    std::size_t j = i + 2;
    while (j < n_ && is_letter(t_[j])) ++j;
    emit(TokenKind::ControlWord, i);
    return control_word_effects(t_ + i + 1, j - i - 1, j);
  }

  // The few control words that change how what follows is lexed; a switch on the length keeps
  // the common case (none of them) to one comparison.
  std::size_t control_word_effects(const char* name, std::size_t len, std::size_t j) {
    switch (len) {
      case 3:
        if (same(name, len, "url")) return verbatim_argument(j, VerbArg::Brace);
        break;
      case 4:
        if (same(name, len, "verb") || same(name, len, "Verb")) {
          return verbatim_argument(j, VerbArg::Delimited);
        }
        if (same(name, len, "path") || same(name, len, "href")) {
          return verbatim_argument(j, VerbArg::Brace);
        }
        break;
      case 5:
        if (same(name, len, "begin")) arm_verbatim_environment(j);
        break;
      case 9:
        if (same(name, len, "lstinline")) return verbatim_argument(j, VerbArg::BraceOrDelimited);
        break;
      case 10:
        if (same(name, len, "mintinline")) {
          return verbatim_argument(j, VerbArg::LangThenBraceOrDelimited);
        }
        break;
      case 11:
        if (same(name, len, "makeatother")) state_.at_letter = false;
        break;
      case 12:
        if (same(name, len, "makeatletter")) state_.at_letter = true;
        break;
      default:
        break;
    }
    return j;
  }

  void arm_verbatim_environment(std::size_t j) {
    while (j < n_ && cls(t_[j]) == kBlank) ++j;
    if (j >= n_ || t_[j] != '{') return;
    std::size_t close = j + 1;
    while (close < n_ && close - j <= 32 && t_[close] != '}' && cls(t_[close]) != kLineEnd) {
      ++close;
    }
    if (close >= n_ || t_[close] != '}') return;
    const char* name = t_ + j + 1;
    std::size_t len = close - j - 1;
    for (std::size_t k = 0; k < sizeof(kVerbatimEnvironments) / sizeof(kVerbatimEnvironments[0]);
         ++k) {
      const VerbatimEnvironment& env = kVerbatimEnvironments[k];
      if (env.name.size() != len || std::memcmp(env.name.data(), name, len) != 0) continue;
      std::size_t from = close + 1;
      if (env.body_starts_next_line) {
        while (from < n_ && cls(t_[from]) != kLineEnd) ++from;
        if (from < n_) from += line_end_length(from);
      }
      state_.verbatim_env = static_cast<std::uint8_t>(k + 1);
      state_.verbatim_from = static_cast<std::uint32_t>(from);
      return;
    }
  }

  std::size_t verbatim_body(std::size_t i) {
    const VerbatimEnvironment& env = kVerbatimEnvironments[state_.verbatim_env - 1];
    const char* name = env.name.data();
    std::size_t len = env.name.size();
    std::size_t end = i;
    for (;;) {
      const void* hit = end < n_ ? ::memmem(t_ + end, n_ - end, "\\end{", 5) : nullptr;
      if (hit == nullptr) {
        end = n_;
        break;
      }
      end = static_cast<std::size_t>(static_cast<const char*>(hit) - t_);
      if (end + 5 + len < n_ && std::memcmp(t_ + end + 5, name, len) == 0 &&
          t_[end + 5 + len] == '}') {
        break;
      }
      end += 5;
    }
    if (end > i) emit(TokenKind::Verbatim, i);
    state_.verbatim_env = 0;
    state_.verbatim_from = 0;
    return end;
  }

  std::size_t brace_group_end(std::size_t j) const {
    int depth = 0;
    for (std::size_t k = j; k < n_; ++k) {
      char ch = t_[k];
      if (ch == '{') {
        ++depth;
      } else if (ch == '}') {
        if (--depth == 0) return k + 1;
      } else if (cls(ch) == kLineEnd) {
        std::size_t m = k + line_end_length(k);
        while (m < n_ && cls(t_[m]) == kBlank) ++m;
        if (m < n_ && cls(t_[m]) == kLineEnd) return kNpos;
        k = m - 1;
      }
    }
    return kNpos;
  }

  std::size_t delimited_end(std::size_t j) const {
    if (j >= n_) return kNpos;
    char delim = t_[j];
    std::uint8_t c = cls(delim);
    if (c == kLetter || c == kBlank || c == kLineEnd || delim == '{' || delim == '}') return kNpos;
    std::size_t k = j + 1;
    while (k < n_ && t_[k] != delim && cls(t_[k]) != kLineEnd) ++k;
    return k < n_ && t_[k] == delim ? k + 1 : k;
  }

  std::size_t find_close_bracket(std::size_t j) const {
    for (std::size_t k = j; k < n_ && cls(t_[k]) != kLineEnd; ++k) {
      if (t_[k] == ']') return k;
    }
    return kNpos;
  }

  std::size_t verbatim_argument(std::size_t j, VerbArg arg) {
    std::size_t start = j, end = kNpos;
    switch (arg) {
      case VerbArg::Delimited:
        if (j < n_ && t_[j] == '*') ++j;
        end = delimited_end(j);
        break;
      case VerbArg::Brace:
        while (j < n_ && cls(t_[j]) == kBlank) ++j;
        if (j < n_ && t_[j] == '{') end = brace_group_end(j);
        break;
      case VerbArg::LangThenBraceOrDelimited:
        while (j < n_ && cls(t_[j]) == kBlank) ++j;
        if (j < n_ && t_[j] == '[') {
          std::size_t close = find_close_bracket(j);
          if (close == kNpos) return start;
          j = close + 1;
        }
        if (j >= n_ || t_[j] != '{') return start;
        j = brace_group_end(j);
        if (j == kNpos) return start;
        [[fallthrough]];
      case VerbArg::BraceOrDelimited:
        if (arg == VerbArg::BraceOrDelimited && j < n_ && t_[j] == '[') {
          std::size_t close = find_close_bracket(j);
          if (close == kNpos) return start;
          j = close + 1;
        }
        end = j < n_ && t_[j] == '{' ? brace_group_end(j) : delimited_end(j);
        break;
    }
    if (end == kNpos) return start;
    emit(TokenKind::Verbatim, start);
    return end;
  }

  const char* t_;
  std::size_t n_;
  TokenBuffer& out_;
  TokenKind* kinds_;
  std::uint32_t* begins_;
  std::size_t cap_;
  std::size_t size_ = 0;
  LexState state_;
  bool full_ = false;
  std::size_t fail_at_ = 0;
  alignas(64) char tail_[64];
};
