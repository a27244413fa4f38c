"""Trains the serving benchmark's model: a 300-tree XGBoost GBDT on synthetic
credit-like data, saved as XGBoost JSON (for the Flask peer) and converted to
an ONNX TreeEnsembleClassifier from the booster's JSON tree dump (for cairn).

usage: serve_gbdt_model.py OUT_DIR
writes OUT_DIR/model.json, OUT_DIR/model.onnx, OUT_DIR/row.json (one request row)
"""
import json
import math
import os
import sys

import numpy as np
import onnx
import xgboost as xgb
from onnx import TensorProto, helper

FEATURES = 10
TREES = 300


def train(out_dir):
    rng = np.random.default_rng(7)
    x = rng.normal(size=(20000, FEATURES)).astype(np.float32)
    logit = 1.5 * x[:, 0] - x[:, 1] * x[:, 2] + np.sin(3 * x[:, 3]) + 0.5 * (x[:, 4] > 0.3) - 0.2 * x[:, 5] ** 2
    y = (logit + rng.normal(scale=0.7, size=len(x)) > 0).astype(np.int32)
    booster = xgb.train(
        {"objective": "binary:logistic", "max_depth": 6, "eta": 0.1, "seed": 7, "tree_method": "hist"},
        xgb.DMatrix(x, label=y),
        num_boost_round=TREES,
    )
    booster.save_model(os.path.join(out_dir, "model.json"))
    return booster, x


def to_onnx(booster, out_dir):
    config = json.loads(booster.save_config())
    base_score = float(config["learner"]["learner_model_param"]["base_score"])
    attrs = {k: [] for k in ("treeids", "nodeids", "featureids", "values", "modes", "true", "false", "missing")}
    class_tree, class_node, class_weight = [], [], []
    for tree_id, text in enumerate(booster.get_dump(dump_format="json")):
        stack = [json.loads(text)]
        while stack:
            node = stack.pop()
            attrs["treeids"].append(tree_id)
            attrs["nodeids"].append(node["nodeid"])
            if "leaf" in node:
                attrs["featureids"].append(0)
                attrs["values"].append(0.0)
                attrs["modes"].append("LEAF")
                attrs["true"].append(0)
                attrs["false"].append(0)
                attrs["missing"].append(0)
                class_tree.append(tree_id)
                class_node.append(node["nodeid"])
                class_weight.append(float(node["leaf"]))
                continue
            # XGBoost sends x < threshold to "yes"; missing values follow "missing".
            attrs["featureids"].append(int(node["split"][1:]))
            attrs["values"].append(float(node["split_condition"]))
            attrs["modes"].append("BRANCH_LT")
            attrs["true"].append(node["yes"])
            attrs["false"].append(node["no"])
            attrs["missing"].append(1 if node["missing"] == node["yes"] else 0)
            stack.extend(node["children"])
    ensemble = helper.make_node(
        "TreeEnsembleClassifier", ["X"], ["label", "probabilities"], domain="ai.onnx.ml",
        nodes_treeids=attrs["treeids"], nodes_nodeids=attrs["nodeids"], nodes_featureids=attrs["featureids"],
        nodes_values=attrs["values"], nodes_modes=attrs["modes"], nodes_truenodeids=attrs["true"],
        nodes_falsenodeids=attrs["false"], nodes_missing_value_tracks_true=attrs["missing"],
        class_treeids=class_tree, class_nodeids=class_node, class_ids=[0] * len(class_tree),
        class_weights=class_weight, classlabels_int64s=[0, 1], post_transform="LOGISTIC",
        base_values=[math.log(base_score / (1 - base_score))])
    graph = helper.make_graph(
        [ensemble], "gbdt",
        [helper.make_tensor_value_info("X", TensorProto.FLOAT, ["N", FEATURES])],
        [helper.make_tensor_value_info("label", TensorProto.INT64, ["N"]),
         helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", 2])])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("ai.onnx.ml", 3)],
                              producer_name="cairn-bench")
    model.ir_version = 8
    helper.set_model_props(model, {"cairn.feature_order": json.dumps([f"f{i}" for i in range(FEATURES)])})
    onnx.checker.check_model(model, full_check=True)
    onnx.save(model, os.path.join(out_dir, "model.onnx"))


def main():
    out_dir = sys.argv[1]
    booster, x = train(out_dir)
    to_onnx(booster, out_dir)
    row = [round(float(v), 4) for v in x[0]]
    with open(os.path.join(out_dir, "row.json"), "w") as f:
        json.dump({"dataframe_split": {"columns": [f"f{i}" for i in range(FEATURES)], "data": [row]}}, f)
    p = float(booster.inplace_predict(np.array([row], dtype=np.float32))[0])
    print(f"model: {TREES} trees, depth 6, {FEATURES} features; xgboost p(row) = {p:.6f}")


if __name__ == "__main__":
    main()
