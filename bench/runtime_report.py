"""Prints bench/runtime_bench.sh's comparison from the two JSON results.
Usage: runtime_report.py CAIRN.json ORT.json"""
import json
import sys

cairn = json.load(open(sys.argv[1]))
ort = json.load(open(sys.argv[2]))
labels = {"logistic": "logistic regression", "mlp": "MLP 2x256 float", "mlp_int8": "MLP 2x256 int8",
          "gbdt": "GBDT 300 trees depth 6", "forest": "random forest 100 trees"}
print(f"onnxruntime-node {ort['version']}, one intra-op thread, batch 1000; cairn int8 GEMM: "
      f"{'oneDNN VNNI' if cairn['int8_fast_path'] else 'reference'}\n")
print(f"{'model':26} {'cairn rows/s':>13} {'ORT rows/s':>13} {'ratio':>7} {'p50 us':>8} {'p99 us':>8} {'acc cairn':>9} {'acc ORT':>8}")
for name, c in cairn["models"].items():
    o = ort["models"].get(name, {})
    ratio = c["rows_per_second"] / o["rows_per_second"] if o else float("nan")
    print(f"{labels.get(name, name):26} {c['rows_per_second']:13,.0f} {o.get('rows_per_second', float('nan')):13,.0f} "
          f"{ratio:6.2f}x {c['latency_p50_us']:8.2f} {c['latency_p99_us']:8.2f} {c['accuracy']:9.4f} "
          f"{o.get('accuracy', float('nan')):8.4f}")
m, q = cairn["models"]["mlp"], cairn["models"]["mlp_int8"]
wb, fb = cairn["mlp_weight_bytes"], cairn["mlp_file_bytes"]
speed = q["rows_per_second"] / m["rows_per_second"]
wratio = wb["float"] / wb["int8"]
delta = (m["accuracy"] - q["accuracy"]) * 100
print("\nint8 MLP against float MLP in cairn:")
print(f"  speed    {speed:.2f}x  (target >= 1.5x)  {'ok' if speed >= 1.5 else 'MISSED'}")
print(f"  weights  {wb['float']:,} -> {wb['int8']:,} bytes, {wratio:.2f}x smaller (target >= 3.5x)  "
      f"{'ok' if wratio >= 3.5 else 'MISSED'}; whole file {fb['float'] / fb['int8']:.2f}x")
print(f"  accuracy {m['accuracy'] * 100:.2f}% -> {q['accuracy'] * 100:.2f}%, {delta:+.2f} points lost "
      f"(target <= 0.5)  {'ok' if delta <= 0.5 else 'MISSED'}")
print("\ntree ensembles against ONNX Runtime (target >= 2x rows/s; GBDT batch-1 p50 < 5 us):")
for name in ["gbdt", "forest"]:
    if name in cairn["models"] and name in ort["models"]:
        r = cairn["models"][name]["rows_per_second"] / ort["models"][name]["rows_per_second"]
        print(f"  {labels[name]:26} {r:.2f}x  {'ok' if r >= 2 else 'MISSED'}")
if "gbdt" in cairn["models"]:
    p50 = cairn["models"]["gbdt"]["latency_p50_us"]
    print(f"  GBDT batch-1 p50 {p50:.2f} us  {'ok' if p50 < 5 else 'MISSED'}")
