#!/usr/bin/env bash
# Streaming drift of 10 million rows x 20 numeric features in bounded memory:
# prints time and peak RSS and fails above 500 MB. KS, Wasserstein and PSI on
# 1 million rows against SciPy/NumPy are measured by bench/stats_bench.sh.
# Usage: bench/monitor_bench.sh [ROWS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${CAIRN_BENCH_BUILD:-$root/build-bench-monitor}
rows=${1:-10000000}

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCAIRN_BENCH=ON -DCAIRN_TESTS=OFF >/dev/null
if ! out=$(ninja -C "$build" -j2 monitor_bench 2>&1); then echo "$out" >&2; exit 1; fi
"$build/bench/monitor_bench" "$rows"
