#!/usr/bin/env bash
# Inference benchmark, cairn against ONNX Runtime on the same files and rows:
# logistic regression, 2x256 MLP in float and int8, a 300-tree depth-6 GBDT
# and a 100-tree random forest (when cairn has the ai.onnx.ml tree kernels).
# Builds a Release bench binary, generates the models (seeded), runs both
# engines, prints rows/s with ratios, batch-1 latency and the int8 numbers.
# Usage: bench/runtime_bench.sh [SECONDS_PER_CASE]   (BUILD_DIR, JOBS, WORK_DIR)
# Not part of CI. Needs /usr/bin/python3 with python3-sklearn, -xgboost, -onnx
# and tests/tools/ort/node_modules (onnxruntime-node).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-2}
build=${BUILD_DIR:-$root/build-bench-runtime}
work=${WORK_DIR:-$build/runtime-bench-data}
jobs=${JOBS:-2}

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCAIRN_BENCH=ON -DCAIRN_TESTS=OFF \
  -DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_EXE_LINKER_FLAGS=-fuse-ld=mold >/dev/null
ninja -C "$build" -j "$jobs" runtime_bench

if ! grep -q TreeEnsembleRegressor "$root/src/cairn/runtime/ml/"*.cpp 2>/dev/null; then
  echo "cairn has no ai.onnx.ml tree kernels yet: the GBDT and forest cases will fail to load" >&2
fi
if [ ! -f "$work/manifest.json" ]; then
  echo "generating models and rows in $work (a few minutes: the MLP and the forest are trained)" >&2
  /usr/bin/python3 "$root/bench/runtime_models.py" "$work"
fi

# Parallelism is the caller's in both engines: one thread each.
OMP_NUM_THREADS=1 "$build/bench/runtime_bench" "$work" "$seconds" > "$work/cairn.json"
node "$root/bench/runtime_ort_bench.js" "$work" "$seconds" > "$work/ort.json"
/usr/bin/python3 "$root/bench/runtime_report.py" "$work/cairn.json" "$work/ort.json"
