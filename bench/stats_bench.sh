#!/usr/bin/env bash
# Drift statistics of cairn next to SciPy/NumPy on the same files, in one run:
# KS (scipy.stats.ks_2samp), Wasserstein (scipy.stats.wasserstein_distance) and
# PSI (NumPy, cairn's documented binning) over ROWS rows x 20 numeric features,
# single-threaded, timed in process CPU seconds on both sides; then the
# streaming case (10 million rows per feature, peak memory).
# Usage: bench/stats_bench.sh [ROWS] [STREAM_ROWS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${CAIRN_BENCH_BUILD:-$root/build-bench-stats}
rows=${1:-1000000}
stream_rows=${2:-10000000}

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCAIRN_BENCH=ON -DCAIRN_TESTS=OFF >/dev/null
if ! out=$(ninja -C "$build" -j2 stats_bench 2>&1); then echo "$out" >&2; exit 1; fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$build/bench/stats_bench" generate "$tmp" "$rows"
"$build/bench/stats_bench" run "$tmp" "$rows" > "$tmp/cairn.txt"

OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 /usr/bin/python3 - "$tmp" "$rows" <<'PY'
import os, sys, time
import numpy as np
import scipy, scipy.stats

tmp, rows = sys.argv[1], int(sys.argv[2])
ref = np.fromfile(os.path.join(tmp, "reference.f64")).reshape(20, rows)
cur = np.fromfile(os.path.join(tmp, "current.f64")).reshape(20, rows)

def psi(r, c):
    # Same binning as cairn (src/cairn/stats/drift_binning.h).
    if len(np.unique(r)) > 20:
        edges = np.histogram_bin_edges(np.concatenate([r, c]), bins="sturges")
        rs = np.histogram(r, edges)[0] / len(r)
        cs = np.histogram(c, edges)[0] / len(c)
    else:
        keys = np.union1d(r, c)
        rs = np.array([np.sum(r == k) for k in keys]) / len(r)
        cs = np.array([np.sum(c == k) for k in keys]) / len(c)
    def fill(s):
        m = s[s != 0].min()
        s = s.copy(); s[s == 0] = m / 1e6 if m <= 1e-4 else 1e-4
        return s
    rs, cs = fill(rs), fill(cs)
    return float(np.sum((rs - cs) * np.log(rs / cs)))

cairn, times = {}, {}
for line in open(os.path.join(tmp, "cairn.txt")):
    p = line.split()
    if p[0] == "feature":
        cairn[int(p[1])] = (float(p[3]), float(p[4]), float(p[6]), float(p[8]))
    else:
        times[p[1]] = float(p[2])

ref_times = {"ks": 0.0, "wasserstein": 0.0, "psi": 0.0}
worst = {"ks_statistic": 0.0, "ks_pvalue": 0.0, "wasserstein": 0.0, "psi": 0.0}
for f in range(20):
    t = time.process_time(); ks = scipy.stats.ks_2samp(ref[f], cur[f]); ref_times["ks"] += time.process_time() - t
    t = time.process_time(); wd = scipy.stats.wasserstein_distance(ref[f], cur[f]); ref_times["wasserstein"] += time.process_time() - t
    t = time.process_time(); ps = psi(ref[f], cur[f]); ref_times["psi"] += time.process_time() - t
    c = cairn[f]
    worst["ks_statistic"] = max(worst["ks_statistic"], abs(c[0] - ks.statistic))
    worst["ks_pvalue"] = max(worst["ks_pvalue"], abs(c[1] - ks.pvalue))
    worst["wasserstein"] = max(worst["wasserstein"], abs(c[2] - wd))
    worst["psi"] = max(worst["psi"], abs(c[3] - ps))

print(f"{rows} rows x 20 features, single-threaded (scipy {scipy.__version__}, numpy {np.__version__})")
print(f"{'method':<12} {'cairn s':>9} {'scipy/numpy s':>14} {'speedup':>8}")
ok = True
for name in ("ks", "wasserstein", "psi"):
    ratio = ref_times[name] / times[name]
    ok &= ratio >= 5
    print(f"{name:<12} {times[name]:>9.3f} {ref_times[name]:>14.3f} {ratio:>7.1f}x")
total_ref = sum(ref_times.values())
print(f"{'all three, one sort per sample':<12}: cairn {times['all_three_shared_sort']:.3f} s vs {total_ref:.3f} s "
      f"({total_ref / times['all_three_shared_sort']:.1f}x)")
print("largest differences: " + ", ".join(f"{k} {v:.2g}" for k, v in worst.items()))
print("target (>= 5x each):", "met" if ok else "NOT met")
PY

/usr/bin/time -f "stream peak RSS %M KB (time)" "$build/bench/stats_bench" stream "$stream_rows"
