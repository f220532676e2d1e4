#!/usr/bin/env bash
# perfectex-replay is general: a synthesized session on a C file, replayed against Debian's clangd,
# directly and through the recorder, then the recording replayed again. Every request must get its
# reply, every version its own publishDiagnostics; the gate has no latency budget here.
set -euo pipefail
replay=$1
clangd=$2
source=$3
out=$4
if [[ -z "$clangd" || ! -x "$clangd" ]]; then
  echo "clangd not found: skipping (apt-get install clangd)"
  exit 77
fi
rm -rf "$out"
mkdir -p "$out"
# Seed 5 with 150 keystrokes asks for code actions, completion, document symbols and hover.
gate=(--gate --every-version --series edit --series textDocument/codeAction --series textDocument/completion
  --series textDocument/documentSymbol --series textDocument/hover)
"$replay" synthesize "$source" --seed 5 --keystrokes 150 --out "$out/session.jsonl"
"$replay" replay "$out/session.jsonl" --pace fast --no-progress --out "$out/direct" "${gate[@]}" \
  -- "$clangd" --log=error
# --no-stats: the recording then holds only the session (clangd has no perfectex/stats to answer).
"$replay" replay "$out/session.jsonl" --pace fast --no-progress --no-stats --out "$out/proxied" "${gate[@]}" \
  -- "$replay" record --out "$out/recorded.jsonl" -- "$clangd" --log=error
grep -q '"from":"server".*"method":"textDocument/publishDiagnostics"' "$out/recorded.jsonl"
"$replay" replay "$out/recorded.jsonl" --pace fast --no-progress --out "$out/rerun" "${gate[@]}" \
  -- "$clangd" --log=error
"$replay" compare "$out/direct" "$out/rerun" >/dev/null
echo "replay_clangd: ok"
