#!/usr/bin/env bash
# Metric logging throughput (points/s) on a SQLite store: one point per call and
# 1000 points per batch, each call one audited transaction.
# Usage: bench/store_bench.sh [SINGLE_POINTS] [BATCHES]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${CAIRN_BENCH_BUILD:-$root/build-bench}
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCAIRN_BENCH=ON -DCAIRN_TESTS=OFF >/dev/null
ninja -C "$build" -j2 store_bench >/dev/null
"$build/bench/store_bench" "$@"
