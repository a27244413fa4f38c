"""Writes the models and rows for bench/runtime_bench.sh (run with /usr/bin/python3).

One synthetic binary classification task (30 features); on it: a logistic
regression, a 2x256 MLP, a 300-tree depth-6 gradient-boosted ensemble
(XGBoost) and a 100-tree random forest (scikit-learn), each written as ONNX
from the fitted parameters. Everything is seeded, so runs are comparable.

Usage: runtime_models.py OUT_DIR
Writes OUT_DIR/{logistic,mlp,gbdt,forest}.onnx, X.f32 (float32 rows,
row-major), y.i64 (labels) and manifest.json.
"""
import json
import os
import sys

import numpy as np
import xgboost as xgb
from onnx import TensorProto, checker, helper, numpy_helper
from sklearn.datasets import make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier

FEATURES = 30
BENCH_ROWS = 10000


def save(model, path):
    model.ir_version = 8
    checker.check_model(model, full_check=True)
    with open(path, "wb") as f:
        f.write(model.SerializeToString())


def graph_model(name, nodes, inits, outputs, ml=False):
    opsets = [helper.make_opsetid("", 17)]
    if ml:
        opsets.append(helper.make_opsetid("ai.onnx.ml", 3))
    x = helper.make_tensor_value_info("X", TensorProto.FLOAT, ["N", FEATURES])
    graph = helper.make_graph(nodes, name, [x], outputs,
                              [numpy_helper.from_array(np.asarray(v), k) for k, v in inits.items()])
    return helper.make_model(graph, opset_imports=opsets, producer_name="cairn-bench")


def probabilities_output(classes=2):
    return [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", classes])]


def logistic(x, y):
    clf = LogisticRegression(max_iter=500).fit(x, y)
    w = clf.coef_.T.astype(np.float32)  # [F, 1]
    # Two columns [0, margin] through Softmax give [1 - p, p].
    w2 = np.concatenate([np.zeros_like(w), w], axis=1)
    b2 = np.array([0.0, clf.intercept_[0]], np.float32)
    nodes = [helper.make_node("Gemm", ["X", "W", "B"], ["z"]),
             helper.make_node("Softmax", ["z"], ["probabilities"], axis=1)]
    return graph_model("logistic", nodes, {"W": w2, "B": b2}, probabilities_output())


def mlp(x, y):
    clf = MLPClassifier(hidden_layer_sizes=(256, 256), max_iter=15, random_state=0, batch_size=256).fit(x, y)
    w1, w2, w3 = (c.astype(np.float32) for c in clf.coefs_)
    b1, b2, b3 = (c.astype(np.float32) for c in clf.intercepts_)
    w3 = np.concatenate([np.zeros_like(w3), w3], axis=1)
    b3 = np.array([0.0, b3[0]], np.float32)
    nodes = [helper.make_node("Gemm", ["X", "W1", "B1"], ["h1"]), helper.make_node("Relu", ["h1"], ["a1"]),
             helper.make_node("Gemm", ["a1", "W2", "B2"], ["h2"]), helper.make_node("Relu", ["h2"], ["a2"]),
             helper.make_node("Gemm", ["a2", "W3", "B3"], ["z"]),
             helper.make_node("Softmax", ["z"], ["probabilities"], axis=1)]
    inits = {"W1": w1, "B1": b1, "W2": w2, "B2": b2, "W3": w3, "B3": b3}
    return graph_model("mlp", nodes, inits, probabilities_output())


class TreeWriter:
    """Collects TreeEnsembleRegressor attributes tree by tree."""

    def __init__(self):
        self.a = {k: [] for k in ["nodes_treeids", "nodes_nodeids", "nodes_featureids", "nodes_values",
                                  "nodes_modes", "nodes_truenodeids", "nodes_falsenodeids",
                                  "nodes_missing_value_tracks_true", "target_treeids", "target_nodeids",
                                  "target_ids", "target_weights"]}

    def branch(self, tree, node, feature, threshold, mode, yes, no, missing_yes):
        for k, v in [("nodes_treeids", tree), ("nodes_nodeids", node), ("nodes_featureids", feature),
                     ("nodes_values", threshold), ("nodes_modes", mode), ("nodes_truenodeids", yes),
                     ("nodes_falsenodeids", no), ("nodes_missing_value_tracks_true", missing_yes)]:
            self.a[k].append(v)

    def leaf(self, tree, node, value):
        self.branch(tree, node, 0, 0.0, "LEAF", 0, 0, 0)
        for k, v in [("target_treeids", tree), ("target_nodeids", node), ("target_ids", 0),
                     ("target_weights", value)]:
            self.a[k].append(v)

    def model(self, name, base_value, aggregate="SUM"):
        node = helper.make_node("TreeEnsembleRegressor", ["X"], ["margin"], domain="ai.onnx.ml", n_targets=1,
                                base_values=[base_value], aggregate_function=aggregate, **self.a)
        # [1 - p, p] from the margin (GBDT) or the averaged probability (forest).
        nodes = [node]
        if name == "gbdt":
            nodes += [helper.make_node("Sigmoid", ["margin"], ["p"])]
        else:
            nodes += [helper.make_node("Identity", ["margin"], ["p"])]
        nodes += [helper.make_node("Sub", ["one", "p"], ["q"]),
                  helper.make_node("Concat", ["q", "p"], ["probabilities"], axis=1)]
        return graph_model(name, nodes, {"one": np.array([1.0], np.float32)}, probabilities_output(), ml=True)


def gbdt(x, y):
    booster = xgb.train({"max_depth": 6, "eta": 0.1, "objective": "binary:logistic", "tree_method": "hist",
                         "seed": 0, "nthread": 2}, xgb.DMatrix(x, label=y), num_boost_round=300)
    dump = json.loads(booster.save_raw("json"))
    learner = dump["learner"]
    base_score = float(learner["learner_model_param"]["base_score"])
    writer = TreeWriter()
    for t, tree in enumerate(learner["gradient_booster"]["model"]["trees"]):
        left, right = tree["left_children"], tree["right_children"]
        for n in range(len(left)):
            if left[n] == -1:
                writer.leaf(t, n, tree["split_conditions"][n])
            else:
                writer.branch(t, n, tree["split_indices"][n], tree["split_conditions"][n], "BRANCH_LT",
                              left[n], right[n], int(tree["default_left"][n]))
    return writer.model("gbdt", float(np.log(base_score / (1 - base_score))))


def forest(x, y):
    clf = RandomForestClassifier(n_estimators=100, max_depth=10, random_state=0, n_jobs=2).fit(x, y)
    writer = TreeWriter()
    for t, est in enumerate(clf.estimators_):
        tr = est.tree_
        for n in range(tr.node_count):
            if tr.children_left[n] == -1:
                counts = tr.value[n][0]
                writer.leaf(t, n, float(counts[1] / counts.sum()) / len(clf.estimators_))
            else:
                writer.branch(t, n, int(tr.feature[n]), float(tr.threshold[n]), "BRANCH_LEQ",
                              int(tr.children_left[n]), int(tr.children_right[n]), 0)
    return writer.model("forest", 0.0)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    x, y = make_classification(n_samples=30000 + BENCH_ROWS, n_features=FEATURES, n_informative=18,
                               n_redundant=6, n_clusters_per_class=3, class_sep=0.9, flip_y=0.02, random_state=0)
    x = x.astype(np.float32)
    x_train, y_train, x_bench, y_bench = x[:30000], y[:30000], x[30000:], y[30000:]
    models = {"logistic": logistic, "mlp": mlp, "gbdt": gbdt, "forest": forest}
    for name, build in models.items():
        save(build(x_train, y_train), os.path.join(out, name + ".onnx"))
        print(f"wrote {name}.onnx", flush=True)
    x_bench.tofile(os.path.join(out, "X.f32"))
    y_bench.astype(np.int64).tofile(os.path.join(out, "y.i64"))
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump({"rows": BENCH_ROWS, "features": FEATURES, "models": list(models)}, f)


if __name__ == "__main__":
    main()
