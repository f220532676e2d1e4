#!/usr/bin/env bash
# A replay against the real perfectex server, for correctness (no latency budget, so it also runs
# under the sanitizers): recorded pacing sped up, then closed loop with a warmup pass; every request
# answered, every version published (closed loop), no error, a clean exit, the server's counters read.
set -euo pipefail
replay=$1
server=$2
corpus=$3
out=$4
rm -rf "$out"
mkdir -p "$out"
"$replay" synthesize "$corpus/perf_math_light.tex" --seed 5 --keystrokes 200 --out "$out/light.jsonl"
# Sped-up typing may outrun a slow (sanitizer) build: the server then coalesces versions, which is
# allowed here (superseded, not lost); in closed loop below every version must get its publish.
"$replay" replay "$out/light.jsonl" --pace recorded --speed 20 --no-progress --out "$out/recorded" \
  --gate -- "$server" serve --stdio
"$replay" replay "$out/light.jsonl" --pace fast --warmup 1 --iterations 2 --no-progress --out "$out/fast" \
  --gate --every-version --series edit --series textDocument/codeAction -- "$server" serve --stdio
grep -q '"server_stats":{' "$out/fast/run.json"
"$replay" synthesize "$corpus/perf_smoke_big.tex" --seed 5 --keystrokes 40 --out "$out/big.jsonl"
"$replay" replay "$out/big.jsonl" --pace fast --no-progress --out "$out/big" --gate --every-version \
  -- "$server" serve --stdio
"$replay" report "$out/big" --tail 5 >/dev/null
echo "replay_perfectex: ok"
