// The NEON kernel's parity test, cross-built for aarch64 and run under qemu-user by run_neon.sh
// (the lexer_neon ctest): every vector kernel compiled in (on aarch64: neon) must give exactly the
// scalar token arrays, count, status and end state on every corpus file, on shifted copies, on
// random inputs of the characters that matter, and with a buffer too small. A plain main (no
// doctest: the host's headers are not for the cross compiler). Usage: neon_parity <corpus-dir>
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "lexer/kernel.h"
#include "lexer/lexer.h"

using namespace perfectex::lexer;

namespace {

int failures = 0;
std::size_t checks = 0;

void compare(std::string_view text, std::size_t capacity, const std::string& what) {
  TokenBuffer reference(capacity);
  LexResult expected = lex_scalar(text, reference);
  for (const Kernel& kernel : compiled_kernels()) {
    if (kernel.name == "scalar" || !kernel_supported(kernel)) continue;
    TokenBuffer tokens(capacity);
    LexResult got = kernel.lex(text, tokens);
    ++checks;
    bool same = got.status == expected.status && got.token_count == expected.token_count &&
                tokens == reference &&
                (expected.status != LexStatus::Ok || got.end_state == expected.end_state);
    if (!same && ++failures <= 20) {
      std::printf("FAIL %.*s differs from scalar on %s (capacity %zu)\n",
                  static_cast<int>(kernel.name.size()), kernel.name.data(), what.c_str(), capacity);
    }
  }
}

std::string shifted(std::string_view text, std::size_t shift) {
  std::string out(shift, ' ');
  out.append(text);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: neon_parity <corpus-dir>\n");
    return 2;
  }
  std::size_t vector_kernels = 0;
  for (const Kernel& kernel : compiled_kernels()) {
    if (kernel.name != "scalar" && kernel_supported(kernel)) {
      std::printf("testing kernel %.*s\n", static_cast<int>(kernel.name.size()),
                  kernel.name.data());
      ++vector_kernels;
    }
  }
  if (vector_kernels == 0) {
    std::printf("FAIL no vector kernel compiled in\n");
    return 1;
  }
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(argv[1])) {
    auto ext = e.path().extension();
    if (e.is_regular_file() && (ext == ".tex" || ext == ".sty" || ext == ".bib")) {
      files.push_back(e.path());
    }
  }
  std::sort(files.begin(), files.end());
  for (std::size_t f = 0; f < files.size(); ++f) {
    std::ifstream in(files[f], std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    std::string text = std::move(s).str();
    compare(text, text.size() + 1, files[f].string());
    if (text.size() <= (16u << 10)) {
      for (std::size_t shift = 1; shift < 64; ++shift) {
        compare(shifted(text, shift), text.size() + shift + 1, files[f].string() + " shifted");
      }
    } else {
      compare(shifted(text, 1 + f % 63), text.size() + 64, files[f].string() + " shifted");
      compare(text, text.size() / 5, files[f].string() + " small buffer");
    }
  }
  std::mt19937 rng(11);
  const std::string alphabet = "\\{}$%&#^_~[] \t\n\rab@*|";
  const char* const pieces[] = {"\\verb|x{|",          "\\begin{verbatim}", "\\end{verbatim}",
                                "\\begin{lstlisting}", "\\end{lstlisting}", "\\makeatletter",
                                "\\makeatother",       "\\url{a%b}",        "\\lstinline[x]{y}",
                                "\\mintinline{c}|z|",  "\\\xC3\xA9",        "\r\n"};
  for (int round = 0; round < 1000; ++round) {
    std::string text;
    std::size_t len = rng() % 300;
    while (text.size() < len) {
      if (rng() % 4 == 0) {
        text += pieces[rng() % std::size(pieces)];
      } else if (round % 3 == 0) {
        text += static_cast<char>(rng() & 0xFF);
      } else {
        text += alphabet[rng() % alphabet.size()];
      }
    }
    for (std::size_t shift = 0; shift < 64; shift += 7) {
      compare(shifted(text, shift), text.size() + shift + 1, "random round");
    }
  }
  std::printf("%zu files, %zu comparisons, %d failures\n", files.size(), checks, failures);
  return failures == 0 && files.size() > 400 ? 0 : 1;
}
