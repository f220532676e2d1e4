#!/usr/bin/env bash
# Builds the lexer fuzz target with clang in its own build folder and runs it for a bounded time,
# seeded with the corpus's small .tex files. Usage: run_fuzz.sh <build-dir> <seconds> <corpus-dir>
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="$1" seconds="$2" corpus="$3"
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DPERFECTEX_WERROR=ON >/dev/null
cmake --build "$build" -j2
seeds="$build/seeds"
mkdir -p "$seeds" "$build/found"
find "$corpus" -name '*.tex' -size -8k | head -200 | xargs -r cp -t "$seeds"
"$build/lexer_fuzz" -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 \
  -artifact_prefix="$build/found/" "$build/found" "$seeds"
