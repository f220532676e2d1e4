// lexer/ tests: named cases for every token kind and for the state that crosses lines (verbatim,
// \verb and kin, \makeatletter), tokens tiling every corpus file, and the capacity sentinel.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <sstream>

#include "../corpus.h"
#include "lexer/huge_pages.h"
#include "lexer/kernel.h"
#include "lexer/lexer.h"
#include "lexer/quiet_allocation_guard.h"

using namespace perfectex::lexer;

namespace {

// "kind:text" for each token, joined by '|', so expectations read like the input.
std::string describe(std::string_view text) {
  TokenBuffer tokens;
  lex_document(text, tokens);
  std::string out;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (i) out += '|';
    out += kind_name(tokens.kind(i));
    out += ':';
    out += text.substr(tokens.begin(i), tokens.length(i));
  }
  return out;
}

// Every byte belongs to exactly one token, in order.
bool tiles(std::string_view text, const TokenBuffer& tokens) {
  std::uint32_t at = 0;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (tokens.begin(i) != at || tokens.length(i) == 0) return false;
    at = tokens.end(i);
  }
  return at == text.size();
}

}  // namespace

TEST_CASE("control words, symbols and the one-character tokens") {
  CHECK(describe("\\alpha{x}") == "control-word:\\alpha|begin-group:{|text:x|end-group:}");
  CHECK(describe("\\\\ \\{\\,") ==
        "control-symbol:\\\\|space: |control-symbol:\\{|control-symbol:\\,");
  CHECK(describe("$a^2_i$ & #1 ~") ==
        "math-shift:$|text:a|superscript:^|text:2|subscript:_|text:i|math-shift:$|space: "
        "|alignment:&|"
        "space: |parameter:#|text:1|space: |active:~");
  CHECK(describe("[opt]") == "open-bracket:[|text:opt|close-bracket:]");
  CHECK(describe("$$x$$") == "math-shift:$|math-shift:$|text:x|math-shift:$|math-shift:$");
  CHECK(describe("\\\xC3\xA9t\xC3\xA9") == "control-symbol:\\\xC3\xA9|text:t\xC3\xA9");
  CHECK(describe("a\\") == "text:a|control-symbol:\\");
  CHECK(describe("\\\nx") == "control-symbol:\\|newline:\n|text:x");
}

TEST_CASE("comments, spaces, line ends and paragraph breaks") {
  CHECK(describe("a % note {\nb") == "text:a|space: |comment:% note {|newline:\n|text:b");
  CHECK(describe("a\n\nb") == "text:a|paragraph-break:\n\n|text:b");
  CHECK(describe("a\n  \n\t\n  b") == "text:a|paragraph-break:\n  \n\t\n|space:  |text:b");
  CHECK(describe("a\r\n\r\nb\rc") == "text:a|paragraph-break:\r\n\r\n|text:b|newline:\r|text:c");
  CHECK(describe("a \t b") == "text:a|space: \t |text:b");
}

TEST_CASE("@ is a letter only between \\makeatletter and \\makeatother") {
  CHECK(describe("\\a@b") == "control-word:\\a|text:@b");
  CHECK(describe("\\makeatletter\\a@b\\makeatother\\a@b") ==
        "control-word:\\makeatletter|control-word:\\a@b|control-word:\\makeatother|control-word:"
        "\\a|text:@b");
}

TEST_CASE("verbatim environments keep their body as one token") {
  CHECK(describe("\\begin{verbatim}$x{ %\n\\end{verbatim}") ==
        "control-word:\\begin|begin-group:{|text:verbatim|end-group:}|verbatim:$x{ %\n|"
        "control-word:\\end|begin-group:{|text:verbatim|end-group:}");
  // lstlisting and minted: the options on the \begin line are TeX, the body starts on the next
  // line.
  CHECK(
      describe("\\begin{minted}{c}\nint x = $;\n\\end{minted}") ==
      "control-word:\\begin|begin-group:{|text:minted|end-group:}|begin-group:{|text:c|end-group:}|"
      "newline:\n|verbatim:int x = $;\n|control-word:\\end|begin-group:{|text:minted|end-group:}");
  CHECK(describe("\\begin{lstlisting}[language=C]\n\n{\n\\end{lstlisting}") ==
        "control-word:\\begin|begin-group:{|text:lstlisting|end-group:}|open-bracket:[|text:"
        "language=C|"
        "close-bracket:]|newline:\n|verbatim:\n{\n|control-word:\\end|begin-group:{|text:"
        "lstlisting|end-group:}");
  // \end of another environment does not end the body; an unclosed body runs to the end.
  CHECK(describe("\\begin{comment}\\end{itemize}}") ==
        "control-word:\\begin|begin-group:{|text:comment|end-group:}|verbatim:\\end{itemize}}");
  CHECK(describe("\\begin {verbatim}x\\end{verbatim}") ==
        "control-word:\\begin|space: |begin-group:{|text:verbatim|end-group:}|verbatim:x|"
        "control-word:\\end|begin-group:{|text:verbatim|end-group:}");
}

TEST_CASE("\\verb and its kin take their argument verbatim") {
  CHECK(describe("\\verb|{$|x") == "control-word:\\verb|verbatim:|{$||text:x");
  CHECK(describe("\\verb*+%+") == "control-word:\\verb|verbatim:*+%+");
  CHECK(describe("\\verb|open\nx") == "control-word:\\verb|verbatim:|open|newline:\n|text:x");
  CHECK(describe("\\verb x") == "control-word:\\verb|space: |text:x");  // no delimiter
  CHECK(describe("\\url{a%b#c{d}}e") == "control-word:\\url|verbatim:{a%b#c{d}}|text:e");
  CHECK(describe("\\href{http://x/~y%20}{text}") ==
        "control-word:\\href|verbatim:{http://x/~y%20}|begin-group:{|text:text|end-group:}");
  CHECK(describe("\\lstinline[style=x]{a}b}") ==
        "control-word:\\lstinline|verbatim:[style=x]{a}|text:b|end-group:}");
  CHECK(describe("\\lstinline!$!") == "control-word:\\lstinline|verbatim:!$!");
  CHECK(describe("\\mintinline{py}|x{|") == "control-word:\\mintinline|verbatim:{py}|x{|");
  // An unclosed brace argument is not verbatim: the document goes on being TeX.
  CHECK(describe("\\url{a\n\nb") ==
        "control-word:\\url|begin-group:{|text:a|paragraph-break:\n\n|text:b");
  // No look leaves the paragraph (the incremental relex relies on it): a brace argument stops at
  // a blank line of any line ends, options stop at the end of their line.
  CHECK(describe("\\url{a\r\rb}") ==
        "control-word:\\url|begin-group:{|text:a|paragraph-break:\r\r|text:b|end-group:}");
  CHECK(describe("\\lstinline[a\nb]{x}") ==
        "control-word:\\lstinline|open-bracket:[|text:a|newline:\n|text:b|close-bracket:]|"
        "begin-group:{|text:x|end-group:}");
}

TEST_CASE("tokens tile every corpus file exactly") {
  std::size_t files = 0;
  for (const auto& path : perfectex::testing::corpus_files("", ".tex")) {
    std::string text = perfectex::testing::read_file(path);
    TokenBuffer tokens;
    LexStats stats = lex_document(text, tokens);
    CHECK_MESSAGE(tiles(text, tokens), path.string());
    CHECK(stats.token_count == tokens.size());
    ++files;
  }
  CHECK(files > 400);
}

TEST_CASE("tokens tile random bytes and random mixes of the characters that matter") {
  std::mt19937 rng(42);
  const std::string alphabet = "\\{}$%&#^_~[] \t\n\rab@*|";
  for (int round = 0; round < 2000; ++round) {
    std::string text(rng() % 200, '\0');
    bool bytes = round % 2 == 0;
    for (char& c : text)
      c = bytes ? static_cast<char>(rng() & 0xFF) : alphabet[rng() % alphabet.size()];
    if (round % 7 == 0) text.insert(rng() % (text.size() + 1), "\\begin{verbatim}");
    if (round % 11 == 0) text.insert(rng() % (text.size() + 1), "\\makeatletter");
    TokenBuffer tokens;
    lex_document(text, tokens);
    REQUIRE_MESSAGE(tiles(text, tokens), "round " << round);
  }
}

TEST_CASE("capacity sentinel: a full buffer is reported, grown, and no token is lost") {
  std::string text = perfectex::testing::read_corpus("perf/perf_smoke_big.tex");
  TokenBuffer reference(text.size() + 1);
  LexResult full = lex_scalar(text, reference);
  REQUIRE(full.status == LexStatus::Ok);

  TokenBuffer small(16);
  LexResult partial = lex_scalar(text, small);
  CHECK(partial.status == LexStatus::CapacityExceeded);
  CHECK(partial.token_count == 16);

  TokenBuffer growing(16);
  LexStats stats = lex_document(text, growing);
  CHECK(stats.growths >= 1);
  CHECK(stats.token_count == full.token_count);
  CHECK(growing == reference);
}

TEST_CASE("capacity sentinel: a document of tens of megabytes") {
  std::string unit = perfectex::testing::read_corpus("perf/hott_big.tex");
  std::string text;
  while (text.size() < 24u << 20) text += unit;
  TokenBuffer reference(text.size() + 1);
  LexResult full = lex_scalar(text, reference);
  TokenBuffer buffer(1024);
  LexStats stats = lex_document(text, buffer);
  // Grown to what the tokens that fitted foretell, not doubled 13 times from 1024.
  CHECK(stats.growths >= 1);
  CHECK(stats.growths <= 3);
  CHECK(stats.token_count == full.token_count);
  CHECK(buffer == reference);
  CHECK(stats.token_count > 5'000'000);
}

// ---- vector kernels against the scalar reference ----

namespace {

std::vector<const Kernel*> vector_kernels() {
  std::vector<const Kernel*> out;
  for (const Kernel& kernel : compiled_kernels()) {
    if (kernel.name != "scalar" && kernel_supported(kernel)) out.push_back(&kernel);
  }
  return out;
}

// Every supported kernel gives exactly the scalar token arrays, count and end state on text.
bool kernels_agree(std::string_view text, const std::string& what) {
  TokenBuffer reference(text.size() + 1);
  LexResult expected = lex_scalar(text, reference);
  bool ok = true;
  for (const Kernel* kernel : vector_kernels()) {
    TokenBuffer tokens(text.size() + 1);
    LexResult got = kernel->lex(text, tokens);
    bool same = got.status == expected.status && got.token_count == expected.token_count &&
                got.end_state == expected.end_state && tokens == reference;
    if (!same) {
      std::size_t i = 0;
      while (i < tokens.size() && i < reference.size() && tokens[i].kind == reference[i].kind &&
             tokens.begin(i) == reference.begin(i) && tokens.length(i) == reference.length(i)) {
        ++i;
      }
      FAIL_CHECK(kernel->name << " differs from scalar on " << what << " at token " << i
                              << " (byte " << (i < reference.size() ? reference.begin(i) : 0)
                              << ")");
      ok = false;
    }
  }
  return ok;
}

// The text behind a prefix of shift bytes, so every byte meets every position in a 64-byte block.
std::string shifted(std::string_view text, std::size_t shift) {
  std::string out(shift, ' ');
  out.append(text);
  return out;
}

std::string random_mix(std::mt19937& rng, std::size_t max_len, bool bytes) {
  static const std::string kAlphabet = "\\{}$%&#^_~[] \t\n\rab@*|";
  static const char* const kPieces[] = {"\\verb|x{|",
                                        "\\verb*+%+",
                                        "\\begin{verbatim}",
                                        "\\end{verbatim}",
                                        "\\begin{lstlisting}",
                                        "\\end{lstlisting}",
                                        "\\makeatletter",
                                        "\\makeatother",
                                        "\\url{a%b}",
                                        "\\lstinline[x]{y}",
                                        "\\mintinline{c}|z|",
                                        "\\begin {comment}",
                                        "\\end{comment}",
                                        "\\\xC3\xA9",
                                        "\\a@b",
                                        "\n\n",
                                        "\r\n",
                                        "% c\n",
                                        "\\href{~}",
                                        "\\path"};
  std::string text;
  std::size_t len = rng() % max_len;
  while (text.size() < len) {
    switch (rng() % 4) {
      case 0:
        text += kPieces[rng() % std::size(kPieces)];
        break;
      case 1:
        text += bytes ? static_cast<char>(rng() & 0xFF) : kAlphabet[rng() % kAlphabet.size()];
        break;
      default:
        text += kAlphabet[rng() % kAlphabet.size()];
        break;
    }
  }
  return text;
}

std::vector<std::filesystem::path> all_corpus_files() {
  std::vector<std::filesystem::path> out;
  for (const char* ext : {".tex", ".sty", ".bib"}) {
    auto files = perfectex::testing::corpus_files("", ext);
    out.insert(out.end(), files.begin(), files.end());
  }
  return out;
}

}  // namespace

TEST_CASE("the dispatcher knows its kernels and picks a supported one") {
  CHECK(find_kernel("scalar") != nullptr);
  CHECK(find_kernel("no-such-kernel") == nullptr);
  CHECK(kernel_supported(active_kernel()));
  MESSAGE("active kernel: " << active_kernel().name
                            << ", vector kernels tested: " << vector_kernels().size());
#if defined(__x86_64__)
  CHECK(find_kernel("sse42") != nullptr);
  CHECK(find_kernel("avx2") != nullptr);
  CHECK(find_kernel("avx512") != nullptr);
#endif
}

TEST_CASE("every kernel matches scalar on every corpus file, and on shifted copies") {
  std::size_t files = 0, shifts = 0;
  for (const auto& path : all_corpus_files()) {
    std::string text = perfectex::testing::read_file(path);
    CHECK(kernels_agree(text, path.string()));
    // Small files meet all 64 block offsets; large ones one offset each (their bulk already
    // crosses every offset many times).
    if (text.size() <= (64u << 10)) {
      for (std::size_t shift = 1; shift < 64; ++shift, ++shifts) {
        CHECK(kernels_agree(shifted(text, shift), path.string() + " shifted"));
      }
    } else {
      CHECK(kernels_agree(shifted(text, 1 + files % 63), path.string() + " shifted"));
    }
    ++files;
  }
  CHECK(files > 420);
  MESSAGE(files << " files, " << shifts << " shifted copies");
}

TEST_CASE("every kernel matches scalar on random bytes and on the characters that matter") {
  std::mt19937 rng(7);
  for (int round = 0; round < 1500; ++round) {
    std::string text = random_mix(rng, 300, round % 3 == 0);
    for (std::size_t shift = 0; shift < 64; shift += (round < 100 ? 1 : 9)) {
      REQUIRE_MESSAGE(kernels_agree(shifted(text, shift), "random round"),
                      "round " << round << " shift " << shift);
    }
  }
  for (int round = 0; round < 200; ++round) {
    std::string text(rng() % 500, '\0');
    for (char& c : text) c = static_cast<char>(rng() & 0xFF);
    REQUIRE_MESSAGE(kernels_agree(text, "random bytes"), "round " << round);
  }
}

TEST_CASE("every kernel reports a full buffer like scalar, and grows to the same tokens") {
  std::string text = perfectex::testing::read_corpus("perf/perf_smoke_big.tex");
  TokenBuffer reference(text.size() + 1);
  LexResult full = lex_scalar(text, reference);
  for (const Kernel* kernel : vector_kernels()) {
    CAPTURE(kernel->name);
    for (std::size_t capacity : {1u, 16u, 1000u, 100000u}) {
      TokenBuffer small(capacity), small_reference(capacity);
      LexResult partial = kernel->lex(text, small);
      LexResult partial_reference = lex_scalar(text, small_reference);
      CHECK(partial.status == LexStatus::CapacityExceeded);
      CHECK(partial.token_count == capacity);
      CHECK(small == small_reference);
      CHECK(partial_reference.token_count == capacity);
    }
    TokenBuffer growing(16);
    LexStats stats = lex_document(text, growing, kernel->lex);
    CHECK(stats.growths >= 1);
    CHECK(stats.token_count == full.token_count);
    CHECK(growing == reference);
  }
}

TEST_CASE("every kernel: a document of tens of megabytes grows and loses no token") {
  std::string unit = perfectex::testing::read_corpus("perf/hott_big.tex");
  std::string text;
  while (text.size() < 24u << 20) text += unit;
  TokenBuffer reference(text.size() + 1);
  LexResult full = lex_scalar(text, reference);
  for (const Kernel* kernel : vector_kernels()) {
    CAPTURE(kernel->name);
    TokenBuffer buffer(1024);
    LexStats stats = lex_document(text, buffer, kernel->lex);
    CHECK(stats.growths >= 1);
    CHECK(stats.growths <= 3);
    CHECK(stats.token_count == full.token_count);
    CHECK(buffer == reference);
  }
}

TEST_CASE(
    "large vectors: a block of 1 MiB or more is 2 MiB aligned and keeps its contents as it grows, "
    "and the guard counts large and small blocks alike") {
  REQUIRE(allocation_counting_enabled());
  QuietAllocationGuard guard;
  LargeVector<std::uint32_t> big(300000);  // 1.2 MB
  CHECK(reinterpret_cast<std::uintptr_t>(big.data()) % (std::uintptr_t{2} << 20) == 0);
  for (std::uint32_t i = 0; i < big.size(); ++i) big[i] = i * 7;
  big.resize(700000);  // moves to a larger block, contents kept
  bool kept = true;
  for (std::uint32_t i = 0; i < 300000; ++i) kept = kept && big[i] == i * 7;
  CHECK(kept);
  LargeVector<std::uint8_t> small(1000);
  small.back() = 1;
  CHECK(guard.allocations() == 3);
}

TEST_CASE("quiet-allocation guard: the counter sees allocations, and a warm lex makes none") {
  REQUIRE(allocation_counting_enabled());
  {
    QuietAllocationGuard guard;
    auto* p = new std::uint64_t(1);
    CHECK(guard.allocations() == 1);
    delete p;
    std::string s(100, 'x');
    CHECK(guard.allocations() == 2);
  }
  std::string text = perfectex::testing::read_corpus("perf/perf_smoke_big.tex");
  for (const Kernel& kernel : compiled_kernels()) {
    if (!kernel_supported(kernel)) continue;
    CAPTURE(kernel.name);
    TokenBuffer tokens(16);
    LexStats cold = lex_document(text, tokens, kernel.lex);
    CHECK(cold.growths > 0);
    CHECK(cold.hot_allocations == 0);  // growth happens between guarded runs
    LexStats warm = lex_document(text, tokens, kernel.lex);
    CHECK(warm.growths == 0);
    CHECK(warm.hot_allocations == 0);
  }
}
