#!/usr/bin/env bash
# CSV reading throughput of cairn next to pandas.read_csv on the same files, in one run.
# Usage: bench/csv_bench.sh [MB]   (size of the numeric file; the mixed one is half of it)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${CAIRN_BENCH_BUILD:-$root/build-bench}
size=${1:-200}

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCAIRN_BENCH=ON -DCAIRN_TESTS=OFF >/dev/null
ninja -C "$build" -j2 csv_bench >/dev/null

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$build/bench/csv_bench" generate "$tmp" "$size"
"$build/bench/csv_bench" read "$tmp/numeric.csv" "$tmp/mixed.csv" | tee "$tmp/cairn.txt"

/usr/bin/python3 - "$tmp" <<'PY'
import os, sys, time
import pandas as pd

tmp = sys.argv[1]
cairn = {}
for line in open(os.path.join(tmp, "cairn.txt")):
    parts = line.split()
    cairn[parts[0]] = float(parts[-2])
ok = True
for name in ("numeric", "mixed"):
    path = os.path.join(tmp, name + ".csv")
    times = []
    for _ in range(3):
        start = time.perf_counter()
        pd.read_csv(path)
        times.append(time.perf_counter() - start)
    pandas_mbps = os.path.getsize(path) / 1e6 / min(times)
    ratio = cairn[name] / pandas_mbps
    targets = ratio >= 2.0 and (name != "numeric" or cairn[name] >= 300.0)
    ok = ok and targets
    goal = ">= 300 MB/s and >= 2x pandas" if name == "numeric" else ">= 2x pandas"
    print(f"{name}: cairn {cairn[name]:.1f} MB/s, pandas {pandas_mbps:.1f} MB/s, ratio {ratio:.2f} "
          f"(target {goal}: {'met' if targets else 'MISSED'})")
sys.exit(0 if ok else 1)
PY
