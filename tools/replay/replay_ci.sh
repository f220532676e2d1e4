#!/usr/bin/env bash
# The replay CI run: a short synthetic session (fast, closed loop) on perf_smoke_big.tex and
# hott_big.tex against the server over stdio, and the first again over TCP, each gated on
# edit -> diagnostics P99/P99.9, lost replies and errors.
# usage: replay_ci.sh REPLAY_BIN SERVER_BIN CORPUS_PERF_DIR OUT_DIR [KEYSTROKES=1000] [BUDGET_MS=20]
#        [HOTT_BUDGET_MS=40]
# hott_big.tex has its own budgets for now: a keystroke that changes structure (a brace, a macro use
# or definition) re-runs L1 and every rule family over its 1.1 MB and 400 user macros to the end
# (full analysis median 25.7 ms, P99 34.8 ms in the bench on a 2-core AVX2 EPYC). There six runs
# of this session measured P99 30-37 ms and P99.9 34-51 ms, old and new builds alike: P99 is gated
# at 40 ms, and P99.9, which of 1,000 keystrokes is the second slowest, at twice that.
set -euo pipefail
replay=$1
server=$2
corpus=$3
out=$4
keystrokes=${5:-1000}
budget=${6:-20}
hott_budget=${7:-40}
hott_p999_budget=$((2 * hott_budget))
mkdir -p "$out"
status=0
for doc in perf_smoke_big.tex hott_big.tex; do
  name=${doc%.tex}
  limit=$budget
  tail_limit=$budget
  if [[ $doc == hott_big.tex ]]; then
    limit=$hott_budget
    tail_limit=$hott_p999_budget
  fi
  echo "== $doc: $keystrokes keystrokes, budget $limit ms (P99.9: $tail_limit ms)"
  "$replay" synthesize "$corpus/$doc" --seed 7 --keystrokes "$keystrokes" --out "$out/$name.session.jsonl"
  if ! "$replay" replay "$out/$name.session.jsonl" --pace fast --no-progress --out "$out/$name" \
      --gate --budget-ms "$limit" --p999-budget-ms "$tail_limit" -- "$server" serve --stdio; then
    status=1
  fi
done
# perf_smoke_big.tex over TCP, as a service runs it (serve --tcp, replay --connect), with the same
# budget, so that what only the socket adds fails the gate too. 3,000 keystrokes: without
# TCP_NODELAY a publish's last write waits for the client's 40 ms delayed ACK a few times in
# 3,000 (P99.9 48 ms measured), too rarely to reach P99.9 of 1,000.
echo "== perf_smoke_big.tex over TCP: 3000 keystrokes, budget $budget ms"
"$replay" synthesize "$corpus/perf_smoke_big.tex" --seed 7 --keystrokes 3000 \
  --out "$out/perf_smoke_big_tcp.session.jsonl"
"$server" serve --tcp 127.0.0.1:0 2>"$out/tcp_server.stderr" &
server_pid=$!
trap 'kill "$server_pid" 2>/dev/null || true' EXIT
port=""
for _ in $(seq 200); do
  port=$(sed -n 's/.*serving LSP on tcp 127\.0\.0\.1:\([0-9][0-9]*\).*/\1/p' "$out/tcp_server.stderr")
  [[ -n $port ]] && break
  sleep 0.05
done
if [[ -z $port ]]; then
  echo "replay_ci.sh: the TCP server did not say its port" >&2
  status=1
elif ! "$replay" replay "$out/perf_smoke_big_tcp.session.jsonl" --connect "127.0.0.1:$port" \
    --server-pid "$server_pid" --pace fast --no-progress --out "$out/perf_smoke_big_tcp" --gate \
    --budget-ms "$budget"; then
  status=1
fi
kill -TERM "$server_pid"
wait "$server_pid" || status=1
trap - EXIT
exit $status
