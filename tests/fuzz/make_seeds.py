"""Writes the loader fuzzer's seed corpus: a few small, valid models covering
the kernel families (float MLP, Gemm, the int8 MatMulInteger form, shape ops,
a tree ensemble, a linear classifier). Run with /usr/bin/python3 (python3-onnx).
Usage: make_seeds.py OUT_DIR"""
import os
import sys

import numpy as np
from onnx import TensorProto, checker, helper, numpy_helper


def model(nodes, inputs, outputs, inits, ml=False):
    opsets = [helper.make_opsetid("", 15)]
    if ml:
        opsets.append(helper.make_opsetid("ai.onnx.ml", 3))
    graph = helper.make_graph(nodes, "seed", inputs, outputs,
                              [numpy_helper.from_array(v, k) for k, v in inits.items()])
    m = helper.make_model(graph, opset_imports=opsets, producer_name="cairn-fuzz-seeds")
    m.ir_version = 8
    checker.check_model(m, full_check=True)
    return m


def fin(name, dims):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, dims)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(7)
    f32 = lambda *s: rng.standard_normal(s).astype(np.float32)
    seeds = {}
    seeds["mlp"] = model(
        [helper.make_node("MatMul", ["X", "W1"], ["h"]), helper.make_node("Add", ["h", "b1"], ["a"]),
         helper.make_node("Relu", ["a"], ["r"]), helper.make_node("Gemm", ["r", "W2", "b2"], ["z"], transB=1),
         helper.make_node("Softmax", ["z"], ["Y"], axis=1)],
        [fin("X", ["N", 4])], [fin("Y", ["N", 3])],
        {"W1": f32(4, 8), "b1": f32(8), "W2": f32(3, 8), "b2": f32(3)})
    seeds["int8"] = model(
        [helper.make_node("DynamicQuantizeLinear", ["X"], ["xq", "xs", "xz"]),
         helper.make_node("MatMulInteger", ["xq", "Wq", "xz", "wz"], ["acc"]),
         helper.make_node("Cast", ["acc"], ["accf"], to=TensorProto.FLOAT),
         helper.make_node("Mul", ["xs", "ws"], ["s"]), helper.make_node("Mul", ["accf", "s"], ["Y"])],
        [fin("X", ["N", 4])], [fin("Y", ["N", 3])],
        {"Wq": rng.integers(-127, 128, (4, 3)).astype(np.int8), "wz": np.int8(0).reshape(()),
         "ws": np.abs(f32(3))})
    seeds["qdq"] = model(
        [helper.make_node("QuantizeLinear", ["X", "s", "z"], ["q"]),
         helper.make_node("DequantizeLinear", ["q", "s", "z"], ["d"]),
         helper.make_node("QLinearMatMul", ["q", "s", "z", "Bq", "s", "z", "s", "z"], ["qy"]),
         helper.make_node("DequantizeLinear", ["qy", "s", "z"], ["Y"])],
        [fin("X", ["N", 4])], [fin("Y", ["N", 4]), fin("d", ["N", 4])],
        {"s": np.float32(0.05).reshape(()), "z": np.uint8(128).reshape(()),
         "Bq": rng.integers(0, 256, (4, 4)).astype(np.uint8)})
    seeds["shapes"] = model(
        [helper.make_node("Transpose", ["X"], ["t"], perm=[1, 0]),
         helper.make_node("Reshape", ["t", "shape"], ["r"]),
         helper.make_node("Concat", ["r", "r"], ["c"], axis=0),
         helper.make_node("Gather", ["c", "idx"], ["g"], axis=1),
         helper.make_node("Slice", ["g", "starts", "ends"], ["s"]),
         helper.make_node("ReduceMax", ["s"], ["Y"], keepdims=0, axes=[1])],
        [fin("X", [2, 3])], [fin("Y", [2])],
        {"shape": np.array([1, 6], np.int64), "idx": np.array([0, 5, 2], np.int64),
         "starts": np.array([0], np.int64), "ends": np.array([2], np.int64)})
    seeds["trees"] = model(
        [helper.make_node("TreeEnsembleClassifier", ["X"], ["label", "prob"], domain="ai.onnx.ml",
                          nodes_treeids=[0, 0, 0, 1], nodes_nodeids=[0, 1, 2, 0],
                          nodes_featureids=[1, 0, 0, 0], nodes_values=[0.5, 0, 0, 0],
                          nodes_modes=["BRANCH_LEQ", "LEAF", "LEAF", "LEAF"],
                          nodes_truenodeids=[1, 0, 0, 0], nodes_falsenodeids=[2, 0, 0, 0],
                          nodes_missing_value_tracks_true=[1, 0, 0, 0],
                          class_treeids=[0, 0, 1], class_nodeids=[1, 2, 0], class_ids=[1, 1, 1],
                          class_weights=[-0.5, 0.5, 0.1], classlabels_int64s=[0, 1],
                          post_transform="LOGISTIC")],
        [fin("X", ["N", 2])],
        [helper.make_tensor_value_info("label", TensorProto.INT64, ["N"]), fin("prob", ["N", 2])], {}, ml=True)
    seeds["linear"] = model(
        [helper.make_node("Scaler", ["X"], ["s"], domain="ai.onnx.ml", offset=[0.1, 0.2], scale=[2.0, 0.5]),
         helper.make_node("LinearClassifier", ["s"], ["label", "prob"], domain="ai.onnx.ml",
                          coefficients=[1.0, -1.0, 0.5, 0.25], intercepts=[0.0, 0.1],
                          classlabels_strings=["no", "yes"], post_transform="SOFTMAX")],
        [fin("X", ["N", 2])],
        [helper.make_tensor_value_info("label", TensorProto.STRING, ["N"]), fin("prob", ["N", 2])], {}, ml=True)
    for name, m in seeds.items():
        with open(os.path.join(out, name + ".onnx"), "wb") as f:
            f.write(m.SerializeToString())


if __name__ == "__main__":
    main()
