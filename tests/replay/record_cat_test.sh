#!/usr/bin/env bash
# `perfectex-replay record -- cat`: what goes in comes out byte for byte, and the session file holds
# every message from both sides with non-decreasing timestamps.
set -euo pipefail
replay=$1
out=$2
rm -rf "$out"
mkdir -p "$out"
frame() { printf 'Content-Length: %d\r\n\r\n%s' "${#1}" "$1"; }
{
  frame '{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}'
  frame '{"jsonrpc":"2.0","method":"initialized","params":{}}'
  frame '{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///x.tex","languageId":"latex","version":1,"text":"\\section{A}\n"}}}'
  frame '{"jsonrpc":"2.0","id":2,"method":"shutdown"}'
  frame '{"jsonrpc":"2.0","method":"exit"}'
} >"$out/in.bin"
"$replay" record --out "$out/session.jsonl" -- cat <"$out/in.bin" >"$out/out.bin"
cmp "$out/in.bin" "$out/out.bin"
[[ $(grep -c '"from":"client"' "$out/session.jsonl") == 5 ]]
[[ $(grep -c '"from":"server"' "$out/session.jsonl") == 5 ]]
head -n 1 "$out/session.jsonl" | grep -q '"source":"record"'
# timestamps never go backwards within a direction (the two directions are written by two
# threads, so their lines may interleave slightly out of order; readers sort by t_us)
for from in client server; do
  grep "\"from\":\"$from\"" "$out/session.jsonl" | sed -E 's/^\{"t_us":([0-9]+).*/\1/' | sort -n -c
done
# the recording replays like any session (here against cat, which answers nothing: all lost)
if "$replay" replay "$out/session.jsonl" --pace fast --timeout-ms 200 --no-progress --quiet --no-stats \
    --out "$out/run" --gate -- cat >"$out/gate.txt"; then
  echo "a replay against cat must fail the gate" >&2
  exit 1
fi
grep -q 'FAIL  lost' "$out/gate.txt"
echo "record_cat: ok"
