"""Reference profile of a CSV file computed with pandas and NumPy.

Usage: profile_reference.py FILE.csv
Prints one JSON object: {column: {count, missing, distinct, ...}} for the
profile test to compare against cairn's own numbers.
"""
import json
import sys

import numpy as np
import pandas as pd

QUANTILES = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99]


def main():
    frame = pd.read_csv(sys.argv[1])
    out = {"rows": int(len(frame)), "columns": {}}
    for name in frame.columns:
        series = frame[name]
        present = series.dropna()
        item = {
            "count": int(series.count()),
            "missing": int(series.isna().sum()),
            "distinct": int(series.nunique()),
        }
        if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
            values = present.to_numpy(dtype=np.float64)
            if len(values) > 0:
                counts, edges = np.histogram(values, bins=20)
                item.update({
                    "min": float(series.min()),
                    "max": float(series.max()),
                    "mean": float(series.mean()),
                    "std": float(series.std()),
                    "quantiles": [float(v) for v in np.quantile(values, QUANTILES)],
                    "histogram_counts": [int(c) for c in counts],
                    "histogram_edges": [float(e) for e in edges],
                    "zeros": int((values == 0).sum()),
                })
        else:
            text = present.astype(str)
            if pd.api.types.is_bool_dtype(series):
                text = present.map(lambda v: "true" if v else "false")
            counts = text.value_counts()
            top = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:20]
            item["top"] = [[value, int(count)] for value, count in top]
        out["columns"][name] = item
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
