#!/usr/bin/env bash
# The replay CI run: a short synthetic session (fast, closed loop) on perf_smoke_big.tex and
# hott_big.tex against the server, each gated on edit -> diagnostics P99/P99.9, lost replies and errors.
# usage: replay_ci.sh REPLAY_BIN SERVER_BIN CORPUS_PERF_DIR OUT_DIR [KEYSTROKES=1000] [BUDGET_MS=20]
set -euo pipefail
replay=$1
server=$2
corpus=$3
out=$4
keystrokes=${5:-1000}
budget=${6:-20}
mkdir -p "$out"
status=0
for doc in perf_smoke_big.tex hott_big.tex; do
  name=${doc%.tex}
  echo "== $doc: $keystrokes keystrokes, budget $budget ms"
  "$replay" synthesize "$corpus/$doc" --seed 7 --keystrokes "$keystrokes" --out "$out/$name.session.jsonl"
  if ! "$replay" replay "$out/$name.session.jsonl" --pace fast --no-progress --out "$out/$name" \
      --gate --budget-ms "$budget" -- "$server" serve --stdio; then
    status=1
  fi
done
exit $status
