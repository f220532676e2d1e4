#!/usr/bin/env bash
# The README's first command: builds perfectex (Release), lints real documents from the corpus
# and shows their diagnostics, then replays a short synthetic editing session against the server
# (tools/replay) and prints the latency percentiles.
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=../shared/corpus
if [[ ! -d $corpus ]]; then
  echo "demo.sh: $corpus is missing; clone perfectex next to the shared/ folder" >&2
  exit 1
fi
tools/install-deps.sh
cmake --preset release >/dev/null
cmake --build --preset release --target perfectex perfectex-replay

perfectex=build/release/server/perfectex
echo
out=$(mktemp)
broken=$(mktemp --suffix=.tex)
trap 'rm -f "$out" "$broken"' EXIT
# The errors and the first warnings of each check, then its count line (style hints are many).
show() { grep -m "$1" -E ': (error|warning): ' "$out" || true; tail -n 1 "$out"; }
echo "== perfectex check on the benchmark file (it is truncated: \\end{document} is missing)"
"$perfectex" check --stats "$corpus/perf/perf_smoke_big.tex" >"$out" || true
show 4
echo
echo "== the same file with a brace and an \\end{itemize} broken, as a user might leave it"
sed -e '37s/}$//' -e '0,/\\end{itemize}/s//\\end{enumerate}/' "$corpus/perf/perf_smoke_big.tex" >"$broken"
"$perfectex" check "$broken" >"$out" || true
show 6
echo
echo "== a real book that compiles (HoTT, 1.1 MB): no errors"
"$perfectex" check --stats "$corpus/perf/hott_big.tex" >"$out" && echo "no errors"
show 4
echo
echo "== a thesis (9 LaTeX files, 2 .bib) read as LaTeX reads it, from its root: its one real error, a missing image"
thesis="$corpus/thesis-wierstorf"
"$perfectex" check --workspace "$thesis" "$thesis/wierstorf2014-perceptual_assessment_of_sound_field_synthesis.tex" >"$out" || true
show 3
echo
echo "== a short editing session replayed against the server: edit -> diagnostics latency"
replay=build/release/tools/replay/perfectex-replay
run=build/release/demo-replay
rm -rf "$run" && mkdir -p "$run"
"$replay" synthesize "$corpus/perf/perf_smoke_big.tex" --seed 1 --keystrokes 300 --out "$run/session.jsonl"
"$replay" replay "$run/session.jsonl" --pace fast --warmup 1 --no-progress --out "$run/out" -- "$perfectex" serve --stdio
echo "Latency plots (histogram and CDF): $run/out/report.html; the 100 slowest edits: $run/out/tail.txt"
