#!/usr/bin/env bash
# Installs what building, testing and benchmarking perfectex needs, from Debian, when it is missing.
# Safe to run again: packages already present are skipped without touching apt.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  nlohmann-json3-dev libsimdjson-dev libboost-dev libspdlog-dev doctest-dev libcli11-dev libbenchmark-dev
  clang clang-format clangd neovim curl emacs-nox elpa-eglot
  g++-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user
)
# Node.js may come from another packaging of nodejs (which bundles npm); only ask Debian when absent.
if ! command -v node >/dev/null; then packages+=(nodejs); fi
if ! command -v npm >/dev/null; then packages+=(npm); fi
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(chktex lacheck hyperfine)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]} == 0)); then
  exit 0
fi

echo "install-deps: installing ${missing[*]}" >&2
sudo=""
if [[ $(id -u) -ne 0 ]]; then sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
