#!/usr/bin/env bash
# Builds the VS Code extension as CI checks it, outside the source tree: copies editors/vscode into the
# build directory, installs the locked dependencies with `npm ci` (skipped when package-lock.json has not
# changed since the last install there), compiles with strict TypeScript, lints with ESLint (no warnings
# allowed), and packages the .vsix with @vscode/vsce. Usage: vscode_build.sh <source> <stage> <out.vsix>
set -euo pipefail

if (($# != 3)); then
  echo "usage: $0 <editors/vscode> <stage directory> <output .vsix>" >&2
  exit 2
fi
source_dir=$1
stage=$2
vsix=$3

for tool in node npm; do
  if ! command -v "$tool" >/dev/null; then
    echo "vscode_build: $tool is not installed; run tools/install-deps.sh" >&2
    exit 1
  fi
done
node_major=$(node -p 'process.versions.node.split(".")[0]')
if ((node_major < 20)); then
  echo "vscode_build: the extension's tools need Node.js 20 or later; found $(node --version)" >&2
  exit 1
fi

mkdir -p "$stage"
find "$stage" -mindepth 1 -maxdepth 1 ! -name node_modules -exec rm -rf {} +
tar -C "$source_dir" --exclude=./node_modules --exclude=./out --exclude='*.vsix' -cf - . | tar -C "$stage" -xf -
cd "$stage"

installed=node_modules/.perfectex-installed-package-lock.json
if [[ -f $installed ]] && cmp -s package-lock.json "$installed"; then
  echo "vscode_build: package-lock.json unchanged since the last npm ci here; keeping node_modules"
else
  npm ci --no-audit --no-fund
  cp package-lock.json "$installed"
fi

npx --no-install tsc -p . --strict
npx --no-install eslint --max-warnings 0 .
mkdir -p "$(dirname "$vsix")"
npx --no-install vsce package --skip-license --allow-missing-repository --out "$vsix"
