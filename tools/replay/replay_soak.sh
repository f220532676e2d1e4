#!/usr/bin/env bash
# The soak run: a 1,000-keystroke session replayed (fast, closed loop) again and again for a given
# time; the report shows the percentiles over every pass and the server's RSS drift between passes.
# usage: replay_soak.sh REPLAY_BIN SERVER_BIN DOCUMENT OUT_DIR SECONDS
set -euo pipefail
replay=$1
server=$2
document=$3
out=$4
seconds=$5
mkdir -p "$out"
"$replay" synthesize "$document" --seed 11 --keystrokes 1000 --out "$out/soak.session.jsonl"
"$replay" replay "$out/soak.session.jsonl" --pace fast --warmup 1 --duration "$seconds" --out "$out" \
  --gate -- "$server" serve --stdio
