#!/usr/bin/env bash
# Builds cairn's loader fuzzer with clang (libFuzzer + ASan/UBSan) and runs it.
# Usage: tests/fuzz/run.sh [SECONDS] [extra libFuzzer flags...]
#   SECONDS defaults to 600. BUILD_DIR (default build-fuzz) and JOBS (default 2)
#   may be set in the environment. Needs clang 14 and libclang-rt-14-dev.
# Findings (crash-*, leak-*, timeout-*) are written to $BUILD_DIR/fuzz-findings.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
seconds=${1:-600}
shift || true
build=${BUILD_DIR:-$root/build-fuzz}
jobs=${JOBS:-2}

cmake -S "$root" -B "$build" -G Ninja \
  -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCAIRN_SANITIZE=ON -DCAIRN_FUZZ=ON \
  -DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link \
  -DCMAKE_CXX_COMPILER_LAUNCHER=ccache >/dev/null
ninja -C "$build" -j "$jobs" loader_fuzzer

corpus=$build/fuzz-corpus
findings=$build/fuzz-findings
mkdir -p "$corpus" "$findings"
/usr/bin/python3 "$root/tests/fuzz/make_seeds.py" "$build/fuzz-seeds"

# Protobuf's own allocations for absurd declared lengths are bounded by the
# input size, so a 2 GB RSS limit and 64 KB inputs catch real blow-ups only.
"$build/tests/fuzz/loader_fuzzer" "$corpus" "$build/fuzz-seeds" \
  -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
  -artifact_prefix="$findings/" -print_final_stats=1 "$@"
