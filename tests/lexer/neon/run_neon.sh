#!/usr/bin/env bash
# Cross-builds the lexer and its NEON parity test for aarch64 with Debian's g++-aarch64-linux-gnu
# and runs it under qemu-user. Usage: run_neon.sh <build-dir> <corpus-dir>
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
build="$1" corpus="$2"
cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPERFECTEX_WERROR=ON \
  -DCMAKE_SYSTEM_NAME=Linux -DCMAKE_SYSTEM_PROCESSOR=aarch64 \
  -DCMAKE_CXX_COMPILER=aarch64-linux-gnu-g++ >/dev/null
cmake --build "$build" -j2
qemu-aarch64 -L /usr/aarch64-linux-gnu "$build/neon_parity" "$corpus"
