#!/usr/bin/env bash
# Whole-process comparison on the same files in one hyperfine run: `perfectex check` against
# ChkTeX and lacheck (Debian packages; tools/install-deps.sh --bench installs them), then the
# number of findings each reports. Usage: bench/vs_chktex.sh [perfectex binary] [files...]
# Defaults: build/release/server/perfectex on perf_smoke_big.tex and hott_big.tex.
set -euo pipefail

here="$(cd "$(dirname "$0")/.." && pwd)"
perfectex="${1:-$here/build/release/server/perfectex}"
shift || true
corpus="$here/../shared/corpus"
files=("$@")
if [[ ${#files[@]} -eq 0 ]]; then
  files=("$corpus/perf/perf_smoke_big.tex" "$corpus/perf/hott_big.tex")
fi
for tool in hyperfine chktex lacheck; do
  command -v "$tool" > /dev/null || { echo "missing $tool: tools/install-deps.sh --bench" >&2; exit 1; }
done
[[ -x "$perfectex" ]] || { echo "no perfectex binary at $perfectex (cmake --build --preset release)" >&2; exit 1; }

for file in "${files[@]}"; do
  name="$(basename "$file")"
  echo "== $name ($(wc -c < "$file") bytes)"
  # Exit codes are findings, not failures: -i lets hyperfine time them all the same, and the
  # counts below ignore them.
  hyperfine -N -i --warmup 2 --runs "${RUNS:-10}" --export-markdown "/tmp/vs_chktex_$name.md" \
    -n perfectex "$perfectex check $file" \
    -n chktex "chktex -q -I0 $file" \
    -n lacheck "lacheck $file"
  ours=$("$perfectex" check --format json "$file" | python3 -c 'import json,sys; print(sum(len(f["diagnostics"]) for f in json.load(sys.stdin)))') || true
  theirs=$(chktex -q -I0 -f $'%l:%c:%n\n' "$file" 2>/dev/null | grep -c . || true)
  lac=$(lacheck "$file" 2>/dev/null | grep -c . || true)
  echo "findings: perfectex $ours, chktex $theirs, lacheck $lac"
done
