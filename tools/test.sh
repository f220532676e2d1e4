#!/usr/bin/env bash
# Builds everything and runs every test: unit, end-to-end and editor tests under
# AddressSanitizer + UndefinedBehaviorSanitizer (ctest label `gate` excluded), then the latency
# replay gate in a Release build of the binaries it replays (and the benchmarks, so that they
# keep building). Installs what it needs first. This is what .ci/run runs.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ! -d ../shared/corpus ]]; then
  echo "test.sh: ../shared/corpus is missing; clone perfectex next to the shared/ folder" >&2
  exit 1
fi
tools/install-deps.sh

cmake --preset asan -DPERFECTEX_WERROR=ON
cmake --build --preset asan
ctest --preset asan -LE gate -j2 --timeout 900

cmake --preset release -DPERFECTEX_WERROR=ON
cmake --build --preset release --target perfectex perfectex-replay perfectex_bench
if ctest --preset release -L gate -N | grep -q "Total Tests: 0"; then
  echo "test.sh: no latency gate registered"
else
  ctest --preset release -L gate --timeout 900
fi
