#!/usr/bin/env bash
# Runs the Emacs eglot snippet of editors/README.md against the real server in batch Emacs (eglot_test.el);
# exits 77, which CTest counts as skipped, when Emacs or eglot is not installed.
# Usage: run_eglot_test.sh <editors/README.md>, with PERFECTEX_SERVER and PERFECTEX_CORPUS_DIR set.
set -euo pipefail

readme=$1
: "${PERFECTEX_SERVER:?set PERFECTEX_SERVER to the perfectex binary}"
: "${PERFECTEX_CORPUS_DIR:?set PERFECTEX_CORPUS_DIR to ../shared/corpus}"
if ! command -v emacs >/dev/null; then
  echo "skipped: Emacs is not installed (Debian: apt install emacs-nox elpa-eglot)"
  exit 77
fi
# --batch reads no init file but does run the site start files, which activate Debian's elpa-eglot.
if ! emacs --batch --eval "(require 'eglot)" >/dev/null 2>&1; then
  echo "skipped: eglot is not available (built into Emacs 29; Debian 12: apt install elpa-eglot)"
  exit 77
fi

mkdir -p "$HOME"
# The snippet starts "perfectex" from the PATH, as a user's would.
PATH="$(dirname "$PERFECTEX_SERVER"):$PATH" exec emacs --batch -l "$(dirname "$0")/eglot_test.el" \
  --eval "(perfectex-eglot-test \"$readme\")"
