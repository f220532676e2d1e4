#!/usr/bin/env bash
# Replay over TCP (--connect): the recorder listens on a local port and bridges the one connection
# it accepts to the perfectex server's stdio; the replay connects to it. Every request must get its
# reply and every version its publish, and the recording must hold both sides.
set -euo pipefail
replay=$1
server=$2
corpus=$3
out=$4
rm -rf "$out"
mkdir -p "$out"
"$replay" synthesize "$corpus/perf_math_light.tex" --seed 9 --keystrokes 100 --out "$out/session.jsonl"
"$replay" record --listen 127.0.0.1:0 --port-file "$out/port" --out "$out/recorded.jsonl" \
  -- "$server" serve --stdio 2>"$out/record.stderr" &
recorder=$!
trap 'kill "$recorder" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  [[ -s "$out/port" ]] && break
  sleep 0.05
done
port=$(cat "$out/port")
"$replay" replay "$out/session.jsonl" --connect "127.0.0.1:$port" --pace fast --no-progress \
  --out "$out/run" --gate --every-version
wait "$recorder"
trap - EXIT
grep -q '"from":"server".*"textDocument/publishDiagnostics"' "$out/recorded.jsonl"
grep -q '"from":"client".*"textDocument/didChange"' "$out/recorded.jsonl"
grep -q '"connect":"127.0.0.1:' "$out/run/run.json"
echo "replay_tcp: ok"
