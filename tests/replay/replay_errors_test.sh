#!/usr/bin/env bash
# Bad input gets a clear message and exit status 2; a server that dies or talks nonsense fails the
# gate (status 1) with the reason, and nothing hangs.
set -uo pipefail
replay=$1
out=$2
rm -rf "$out"
mkdir -p "$out"
failures=0
# expect STATUS PATTERN COMMAND...: runs the command, checks its status and that its output matches.
expect() {
  local status=$1 pattern=$2
  shift 2
  local text
  text=$("$@" 2>&1)
  local got=$?
  if [[ $got != "$status" ]] || ! grep -qE -- "$pattern" <<<"$text"; then
    echo "FAILED: $* -> status $got (expected $status), output:"
    echo "$text" | tail -n 5
    failures=$((failures + 1))
  fi
}
printf '{"format":"perfectex-replay-session","version":1,"source":"test"}\n' >"$out/empty.jsonl"
printf '{"format":"perfectex-replay-session","version":1}\n{"t_us":0,"from":"client"\n' >"$out/bad.jsonl"
printf '{"t_us":0,"from":"client","msg":{}}\n' >"$out/headless.jsonl"
head -c 300000 /dev/urandom >"$out/random.bin"
"$replay" synthesize "$(dirname "$0")/data/sample.c" --seed 1 --keystrokes 20 --out "$out/s.jsonl" 2>/dev/null

expect 2 "File does not exist" "$replay" replay "$out/missing.jsonl" -- cat
expect 2 "bad.jsonl:2: not a JSON value" "$replay" replay "$out/bad.jsonl" -- cat
expect 2 "headless.jsonl:1: the first line must be a header" "$replay" replay "$out/headless.jsonl" -- cat
expect 2 "random.bin:[0-9]+: (not a JSON value|the first line must be a header)" "$replay" replay "$out/random.bin" -- cat
expect 2 "cannot start '/nonexistent/server'" "$replay" replay "$out/s.jsonl" -- /nonexistent/server
expect 2 "either a server command after -- or --connect" "$replay" replay "$out/s.jsonl"
expect 2 "--connect needs host:port" "$replay" replay "$out/s.jsonl" --connect nonsense
expect 2 "cannot connect to 127.0.0.1:1" "$replay" replay "$out/s.jsonl" --connect 127.0.0.1:1
expect 2 "--iterations: Value 0 not in range" "$replay" replay "$out/s.jsonl" --iterations 0 -- cat
expect 2 "--pace: .*not in" "$replay" replay "$out/s.jsonl" --pace slow -- cat
expect 2 "not a perfectex-replay run" "$replay" gate "$out/s.jsonl" --budget-ms 20
expect 2 "cannot read run" "$replay" report "$out/nothing-here"
expect 2 "cannot read '/nonexistent.tex'|File does not exist" "$replay" synthesize /nonexistent.tex --out "$out/x.jsonl"
expect 2 "cannot write session file" "$replay" record --out /nonexistent/dir/s.jsonl -- cat
# A recording that cannot be written (disk full) stops recording but keeps forwarding.
if [[ -w /dev/full ]]; then
  printf 'Content-Length: 2\r\n\r\n{}' >"$out/frame.bin"
  "$replay" record --out /dev/full -- cat <"$out/frame.bin" >"$out/forwarded.bin" 2>"$out/full.txt"
  if ! cmp -s "$out/frame.bin" "$out/forwarded.bin" || ! grep -q "recording stopped" "$out/full.txt"; then
    echo "FAILED: record --out /dev/full must keep forwarding"
    failures=$((failures + 1))
  fi
fi
# A session with no messages still starts and stops the server cleanly.
expect 1 "FAIL  edit -> diagnostics samples" "$replay" replay "$out/empty.jsonl" --no-progress --gate -- cat
# A server that exits at once, one that answers garbage, one that never answers.
expect 1 "FAIL  (lost|messages not sent)" "$replay" replay "$out/s.jsonl" --pace fast --no-progress \
  --timeout-ms 300 --gate -- false
# A server that fails says why on its stderr (here a file, with --out): the harness shows its end.
expect 1 "^ERROR: out of luck" "$replay" replay "$out/s.jsonl" --pace fast \
  --no-progress --timeout-ms 300 --out "$out/failing" --gate -- sh -c 'echo "ERROR: out of luck" >&2; exit 1'
expect 1 "FAIL  frame errors" "$replay" replay "$out/s.jsonl" --pace fast --no-progress --timeout-ms 300 \
  --gate -- sh -c 'printf "garbage\r\n\r\nContent-Length: 5\r\n\r\nxx"; sleep 1'
expect 1 "FAIL  lost .*unanswered [1-9]" "$replay" replay "$out/s.jsonl" --pace fast --no-progress \
  --timeout-ms 100 --gate -- sh -c 'cat >/dev/null'
if ((failures > 0)); then
  echo "replay_errors: $failures failure(s)"
  exit 1
fi
echo "replay_errors: ok"
