#!/usr/bin/env bash
# Configures and builds cairn into DIR (default build/) with Ninja and ccache.
# Usage: scripts/build.sh [DIR] [extra cmake args...]
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-build}"
shift || true
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
linker=()
command -v mold >/dev/null && linker=(-DCMAKE_EXE_LINKER_FLAGS=-fuse-ld=mold)
cmake -S . -B "$dir" -G Ninja "${launcher[@]}" "${linker[@]}" "$@" >/dev/null
ninja -C "$dir" -j"$(nproc)"
