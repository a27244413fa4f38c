"""Writes the ai.onnx.ml cross-check cases for ml_crosscheck_test.cpp.

Usage: /usr/bin/python3 ml_models.py OUTDIR

For every case: OUTDIR/NAME.onnx, NAME.in.json (inputs, ort_run.js layout),
NAME.ort.json (ONNX Runtime's outputs, one node process for all cases) and,
for scikit-learn models, NAME.sk.json (the estimator's own outputs). Models
of ai.onnx.ml opset 5 also get NAME.graph.json: the node's attributes, which
the test turns into a cairn Model directly. OUTDIR/cases.json lists them.
"""
import json
import os
import subprocess
import sys

import numpy as np
import onnx
from onnx import TensorProto as TP
from onnx import helper as h
from onnx import numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
ORT_BATCH = os.path.join(HERE, '..', 'tools', 'ort', 'ort_batch.js')
ROWS = 1000
MODES = ['BRANCH_LEQ', 'BRANCH_LT', 'BRANCH_GTE', 'BRANCH_GT', 'BRANCH_EQ', 'BRANCH_NEQ']
TRANSFORMS = ['NONE', 'SOFTMAX', 'LOGISTIC', 'SOFTMAX_ZERO', 'PROBIT']
NP_TO_ONNX = {np.float32: TP.FLOAT, np.float64: TP.DOUBLE, np.int64: TP.INT64, np.int32: TP.INT32, np.uint8: TP.UINT8,
              np.int8: TP.INT8, np.bool_: TP.BOOL}
JSON_TYPE = {TP.FLOAT: 'float32', TP.DOUBLE: 'float64', TP.INT64: 'int64', TP.INT32: 'int32', TP.STRING: 'string',
             TP.UINT8: 'uint8', TP.INT8: 'int8', TP.BOOL: 'bool'}

out_dir = sys.argv[1]
cases = []


def tensor_json(a, elem):
    data = a.ravel().tolist()
    if elem in (TP.FLOAT, TP.DOUBLE):
        data = [None if np.isnan(v) else float(v) for v in data]
    return {'type': JSON_TYPE[elem], 'shape': list(a.shape), 'data': data}


def vinfo(name, elem, shape):
    return h.make_tensor_value_info(name, elem, shape)


def graph_json_of(model):
    """The graph as plain JSON, for models cairn's file loader refuses
    because ONNX 1.12's checker does (opset 5, seq(map) outputs)."""
    def attribute(a):
        v = h.get_attribute_value(a)
        kinds = {onnx.AttributeProto.INT: 'int', onnx.AttributeProto.INTS: 'ints', onnx.AttributeProto.FLOAT: 'float',
                 onnx.AttributeProto.FLOATS: 'floats', onnx.AttributeProto.STRING: 'string',
                 onnx.AttributeProto.STRINGS: 'strings', onnx.AttributeProto.TENSOR: 'tensor'}
        kind = kinds[a.type]
        if kind == 'tensor':
            array = numpy_helper.to_array(v)
            return {'name': a.name, 'type': kind, 'dtype': str(array.dtype),
                    'data': [None if isinstance(x, float) and np.isnan(x) else x for x in array.ravel().tolist()]}
        if kind == 'string':
            v = v.decode()
        elif kind == 'strings':
            v = [x.decode() for x in v]
        elif kind == 'floats':
            v = [None if np.isnan(x) else x for x in v]
        elif kind == 'float' and np.isnan(v):
            v = None
        return {'name': a.name, 'type': kind, 'value': v}

    def value(info):
        t = info.type
        if t.HasField('sequence_type'):
            return {'name': info.name, 'kind': 'seq_map'}
        return {'name': info.name, 'kind': 'tensor', 'elem': JSON_TYPE[t.tensor_type.elem_type]}

    return {'opsets': {o.domain: o.version for o in model.opset_import},
            'nodes': [{'op': n.op_type, 'domain': n.domain, 'inputs': list(n.input), 'outputs': list(n.output),
                       'attributes': [attribute(a) for a in n.attribute]} for n in model.graph.node],
            'inputs': [value(i) for i in model.graph.input], 'outputs': [value(o) for o in model.graph.output]}


def add_case(name, nodes, inputs, outputs, feeds, ml_opset=3, sk=None, skip=(), graph=False, ort=True,
             cairn_nodes=None):
    """cairn_nodes: the nodes cairn runs when they must differ from the file's."""
    """inputs: [(name, elem, shape)], outputs: [ValueInfoProto], feeds: {name: (array, elem)}."""
    graph = h.make_graph(nodes, name, [vinfo(n, e, s) for n, e, s in inputs], outputs)
    model = h.make_model(graph, opset_imports=[h.make_opsetid('', 17), h.make_opsetid('ai.onnx.ml', ml_opset)],
                         ir_version=8, producer_name='cairn-tests')
    if ml_opset <= 3:
        # ONNX 1.12's strict shape inference cannot merge seq(map) types.
        onnx.checker.check_model(model, full_check=not any(n.op_type == 'ZipMap' for n in nodes))
    base = os.path.join(out_dir, name)
    onnx.save(model, base + '.onnx')
    with open(base + '.in.json', 'w') as f:
        json.dump({n: tensor_json(a, e) for n, (a, e) in feeds.items()}, f)
    case = {'name': name, 'model': base + '.onnx', 'inputs': base + '.in.json', 'skip': list(skip)}
    if any(a.name == 'post_transform' and h.get_attribute_value(a) in (b'PROBIT', 4) for n in nodes for a in n.attribute):
        # The reference engine evaluates its erfinv approximation in float,
        # which cancels near p = 0.5: values near 0 carry ~1e-4 of noise.
        case['tolerance'] = 1e-4
    if ort:
        case['ort'] = base + '.ort.json'
    if sk is not None:
        with open(base + '.sk.json', 'w') as f:
            json.dump({k: tensor_json(np.asarray(a), e) for k, (a, e) in sk.items()}, f)
        case['sklearn'] = base + '.sk.json'
    if graph:
        cairn_model = model
        if cairn_nodes is not None:
            cairn_model = h.make_model(h.make_graph(cairn_nodes, name, [vinfo(n, e, s) for n, e, s in inputs], outputs),
                                       opset_imports=list(model.opset_import), ir_version=8)
        with open(base + '.graph.json', 'w') as f:
            json.dump(graph_json_of(cairn_model), f)
        case['graph'] = base + '.graph.json'
        # The same model as a file, for cairn's loader.
        onnx.save(cairn_model, base + '.cairn.onnx')
        case['cairn_model'] = base + '.cairn.onnx'
    cases.append(case)


def map_sequence_type(key):
    """seq(map(key, float)), ZipMap's output type."""
    t = onnx.TypeProto()
    m = t.sequence_type.elem_type.map_type
    m.key_type = key
    m.value_type.tensor_type.elem_type = TP.FLOAT
    return t


def ml_node(op, inputs, outputs, **attrs):
    return h.make_node(op, inputs, outputs, domain='ai.onnx.ml', **attrs)


# ---------------------------------------------------------------- trees

def random_trees(rng, n_features, n_trees, depth, modes, missing_rate):
    """Random trees as a list of (splits, leaves): split nodes carry feature,
    threshold, mode, missing flag and children; leaves are ('leaf', id)."""
    # Half of each pool is small non-negative integers: membership sets draw
    # from those (the reference engine's BRANCH_MEMBER handles no others).
    pools = [np.concatenate([np.round(rng.normal(size=3), 2), rng.integers(0, 4, size=3)]).astype(np.float32)
             for _ in range(n_features)]
    trees = []
    for _ in range(n_trees):
        nodes = []

        def build(d):
            index = len(nodes)
            nodes.append(None)
            if d < depth and (d < 2 or rng.random() < 0.75):
                f = int(rng.integers(n_features))
                t = float(pools[f][rng.integers(len(pools[f]))])
                mode = modes[int(rng.integers(len(modes)))]
                miss = int(rng.random() < missing_rate)
                true_child = build(d + 1)
                false_child = build(d + 1)
                nodes[index] = dict(leaf=False, f=f, t=t, mode=mode, miss=miss, true=true_child, false=false_child)
            else:
                nodes[index] = dict(leaf=True)
            return index

        build(0)
        trees.append(nodes)
    return trees, pools


def tree_inputs(rng, pools, rows=ROWS, nan_rate=0.1):
    n_features = len(pools)
    x = rng.normal(size=(rows, n_features)).astype(np.float32)
    for f in range(n_features):
        hit = rng.random(rows) < 0.2
        x[hit, f] = pools[f][rng.integers(len(pools[f]), size=hit.sum())]
    x[rng.random(x.shape) < nan_rate] = np.nan
    return x


def legacy_tree_attrs(rng, trees, leaf_entries, prefix, shuffle_ids=True):
    """leaf_entries(tree, node) -> [(target, weight)]."""
    a = {k: [] for k in ['nodes_treeids', 'nodes_nodeids', 'nodes_featureids', 'nodes_values', 'nodes_modes',
                         'nodes_truenodeids', 'nodes_falsenodeids', 'nodes_missing_value_tracks_true']}
    w = {prefix + k: [] for k in ['treeids', 'nodeids', 'ids', 'weights']}
    for t, nodes in enumerate(trees):
        ids = list(range(len(nodes)))
        if shuffle_ids:
            ids = [0] + list(rng.permutation(np.arange(1, len(nodes))) if len(nodes) > 1 else [])
        tree_id = t * 3 + 1  # ids need not be consecutive
        for i, n in enumerate(nodes):
            a['nodes_treeids'].append(tree_id)
            a['nodes_nodeids'].append(int(ids[i]))
            if n['leaf']:
                a['nodes_featureids'].append(0)
                a['nodes_values'].append(0.0)
                a['nodes_modes'].append('LEAF')
                a['nodes_truenodeids'].append(0)
                a['nodes_falsenodeids'].append(0)
                a['nodes_missing_value_tracks_true'].append(0)
                for target, weight in leaf_entries(t, i):
                    w[prefix + 'treeids'].append(tree_id)
                    w[prefix + 'nodeids'].append(int(ids[i]))
                    w[prefix + 'ids'].append(int(target))
                    w[prefix + 'weights'].append(float(weight))
            else:
                a['nodes_featureids'].append(n['f'])
                a['nodes_values'].append(n['t'])
                a['nodes_modes'].append(n['mode'])
                a['nodes_truenodeids'].append(int(ids[n['true']]))
                a['nodes_falsenodeids'].append(int(ids[n['false']]))
                a['nodes_missing_value_tracks_true'].append(n['miss'])
    a.update(w)
    return a


def regressor_cases(rng):
    count = 0
    configs = []
    for aggregate in ['SUM', 'AVERAGE', 'MIN', 'MAX']:
        for transform in TRANSFORMS:
            configs.append((aggregate, transform))
    for k, (aggregate, transform) in enumerate(configs):
        modes = [['BRANCH_LEQ'], ['BRANCH_LT'], MODES][k % 3]
        n_targets = [1, 3][k % 2]
        trees, pools = random_trees(rng, 5, 6, 5, modes, 0.4)
        entries = {}

        def leaf(t, i):
            if (t, i) not in entries:
                picks = rng.choice(n_targets, size=int(rng.integers(1, n_targets + 1)), replace=False)
                entries[(t, i)] = [(int(p), float(np.float32(rng.normal() * 0.3))) for p in picks]
            return entries[(t, i)]

        attrs = legacy_tree_attrs(rng, trees, leaf, 'target_')
        attrs.update(n_targets=n_targets, aggregate_function=aggregate, post_transform=transform)
        if k % 4 == 1:
            attrs['base_values'] = [float(v) for v in np.round(rng.normal(size=n_targets), 3)]
        elem, dtype = TP.FLOAT, np.float32
        if k % 5 == 2:
            # Double thresholds and weights (the reference engine takes them with double rows).
            elem, dtype = TP.DOUBLE, np.float64
            attrs['nodes_values_as_tensor'] = numpy_helper.from_array(
                np.array(attrs.pop('nodes_values'), dtype=np.float64) + 1e-9, 'v')
            attrs['target_weights_as_tensor'] = numpy_helper.from_array(
                np.array(attrs.pop('target_weights'), dtype=np.float64), 'w')
        x = tree_inputs(rng, pools).astype(dtype)
        add_case(f'tree_regressor_{aggregate}_{transform}_{k}', [ml_node('TreeEnsembleRegressor', ['X'], ['Y'], **attrs)],
                 [('X', elem, [None, 5])], [vinfo('Y', TP.FLOAT, [None, n_targets])], {'X': (x, elem)})
        count += 1
    # Fast paths: uniform modes, one weight per leaf, no missing tracks.
    for mode in ['BRANCH_LEQ', 'BRANCH_LT', 'BRANCH_GTE']:
        for rows in [3, ROWS]:
            trees, pools = random_trees(rng, 8, 40, 6, [mode], 0.0 if rows == 3 else 0.5)
            attrs = legacy_tree_attrs(rng, trees, lambda t, i: [(0, float(np.float32(rng.normal())))], 'target_')
            attrs['n_targets'] = 1
            x = tree_inputs(rng, pools, rows=rows)
            add_case(f'tree_regressor_fast_{mode}_{rows}', [ml_node('TreeEnsembleRegressor', ['X'], ['Y'], **attrs)],
                     [('X', TP.FLOAT, [None, 8])], [vinfo('Y', TP.FLOAT, [None, 1])], {'X': (x, TP.FLOAT)})
    # Integer and double inputs.
    for elem, dtype in [(TP.DOUBLE, np.float64)]:
        trees, pools = random_trees(rng, 4, 5, 4, ['BRANCH_LEQ'], 0.3)
        attrs = legacy_tree_attrs(rng, trees, lambda t, i: [(0, float(np.float32(rng.normal())))], 'target_')
        attrs['n_targets'] = 1
        x = tree_inputs(rng, pools, nan_rate=0.0 if elem == TP.INT64 else 0.1) * 3
        x = np.nan_to_num(x) if elem == TP.INT64 else x
        add_case(f'tree_regressor_input_{JSON_TYPE[elem]}', [ml_node('TreeEnsembleRegressor', ['X'], ['Y'], **attrs)],
                 [('X', elem, [None, 4])], [vinfo('Y', TP.FLOAT, [None, 1])], {'X': (x.astype(dtype), elem)})


def classifier_cases(rng):
    k = 0
    for n_classes, scheme in [(2, 'single0'), (2, 'single1'), (2, 'both'), (3, 'all'), (4, 'some')]:
        for transform in TRANSFORMS:
            for base in ['none', 'one', 'full']:
                if base == 'one' and n_classes != 2:
                    continue
                k += 1
                modes = [['BRANCH_LEQ'], MODES, ['BRANCH_LT']][k % 3]
                trees, pools = random_trees(rng, 4, 4, 4, modes, 0.4)
                positive = k % 2 == 0 and scheme.startswith('single')

                def leaf(t, i):
                    weight = lambda: float(np.float32(abs(rng.normal()) * 0.4 if positive else rng.normal() * 0.5))
                    if scheme == 'single0':
                        return [(0, weight())]
                    if scheme == 'single1':
                        return [(1, weight())]
                    if scheme in ('both', 'all'):
                        return [(c, weight()) for c in range(n_classes)]
                    return [(int(c), weight()) for c in rng.choice(n_classes, size=2, replace=False)]

                attrs = legacy_tree_attrs(rng, trees, leaf, 'class_')
                attrs['post_transform'] = transform
                if base == 'one':
                    attrs['base_values'] = [0.25]
                elif base == 'full':
                    attrs['base_values'] = [float(v) for v in np.round(rng.normal(size=n_classes) * 0.3, 3)]
                strings = k % 3 == 1
                if strings:
                    attrs['classlabels_strings'] = [f'c{c}' for c in range(n_classes)]
                elif scheme == 'both':
                    # The reference engine answers 0/1, not the labels, for two
                    # int64 classes that both get votes: labels 0 and 1 agree.
                    attrs['classlabels_int64s'] = [0, 1]
                else:
                    attrs['classlabels_int64s'] = [int(c * 10 + 7) for c in range(n_classes)]
                # One score under PROBIT: the reference engine leaves the
                # second column unwritten.
                skip = ['scores'] if scheme == 'single0' and transform == 'PROBIT' and base != 'full' else []
                x = tree_inputs(rng, pools)
                name = f'tree_classifier_{n_classes}_{scheme}_{transform}_{base}_{k}'
                add_case(name, [ml_node('TreeEnsembleClassifier', ['X'], ['label', 'scores'], **attrs)],
                         [('X', TP.FLOAT, [None, 4])],
                         [vinfo('label', TP.STRING if strings else TP.INT64, [None]),
                          vinfo('scores', TP.FLOAT, [None, n_classes])], {'X': (x, TP.FLOAT)}, skip=skip)


def tree_ensemble_v5_cases(rng):
    mode_code = {'BRANCH_LEQ': 0, 'BRANCH_LT': 1, 'BRANCH_GTE': 2, 'BRANCH_GT': 3, 'BRANCH_EQ': 4, 'BRANCH_NEQ': 5,
                 'BRANCH_MEMBER': 6}
    for k, (aggregate, transform) in enumerate([(1, 0), (0, 2), (2, 0), (3, 1), (1, 3), (1, 4)]):
        n_targets = 2
        trees, pools = random_trees(rng, 4, 5, 4, MODES + ['BRANCH_MEMBER'] * 2, 0.4)
        a = {k2: [] for k2 in ['nodes_featureids', 'nodes_splits', 'nodes_modes', 'nodes_truenodeids', 'nodes_trueleafs',
                               'nodes_falsenodeids', 'nodes_falseleafs', 'nodes_missing_value_tracks_true',
                               'tree_roots', 'leaf_targetids', 'leaf_weights', 'membership_values']}
        for nodes in trees:
            offset = len(a['nodes_featureids'])
            split_index = {}
            for i, n in enumerate(nodes):
                if not n['leaf']:
                    split_index[i] = offset + len(split_index)
            if not split_index:
                continue
            a['tree_roots'].append(split_index[0])

            def ref(i):
                if nodes[i]['leaf']:
                    a['leaf_targetids'].append(int(rng.integers(n_targets)))
                    a['leaf_weights'].append(float(np.float32(rng.normal())))
                    return len(a['leaf_weights']) - 1, 1
                return split_index[i], 0

            for i, n in enumerate(nodes):
                if n['leaf']:
                    continue
                a['nodes_featureids'].append(n['f'])
                a['nodes_splits'].append(n['t'])
                a['nodes_modes'].append(mode_code[n['mode']])
                if n['mode'] == 'BRANCH_MEMBER':
                    members = sorted(set(float(v) for v in pools[n['f']][3 + rng.integers(3, size=2)]))
                    a['membership_values'].extend(members + [float('nan')])
                a['nodes_missing_value_tracks_true'].append(n['miss'])
                t_id, t_leaf = ref(n['true'])
                f_id, f_leaf = ref(n['false'])
                a['nodes_truenodeids'].append(t_id)
                a['nodes_trueleafs'].append(t_leaf)
                a['nodes_falsenodeids'].append(f_id)
                a['nodes_falseleafs'].append(f_leaf)
        # Unused leaves first, so that no leaf index equals a node index: the
        # reference engine mixes the two up when they coincide.
        unused = len(a['nodes_featureids'])
        for key in ['nodes_truenodeids', 'nodes_falsenodeids']:
            flags = a['nodes_trueleafs' if key == 'nodes_truenodeids' else 'nodes_falseleafs']
            a[key] = [v + unused if flag else v for v, flag in zip(a[key], flags)]
        a['leaf_targetids'] = [0] * unused + a['leaf_targetids']
        a['leaf_weights'] = [0.0] * unused + a['leaf_weights']
        attrs = dict(
            n_targets=n_targets, aggregate_function=aggregate, post_transform=transform,
            nodes_featureids=a['nodes_featureids'], nodes_truenodeids=a['nodes_truenodeids'],
            nodes_trueleafs=a['nodes_trueleafs'], nodes_falsenodeids=a['nodes_falsenodeids'],
            nodes_falseleafs=a['nodes_falseleafs'],
            nodes_missing_value_tracks_true=a['nodes_missing_value_tracks_true'], tree_roots=a['tree_roots'],
            leaf_targetids=a['leaf_targetids'],
            nodes_splits=np.array(a['nodes_splits'], dtype=np.float32),
            nodes_modes=np.array(a['nodes_modes'], dtype=np.uint8),
            leaf_weights=np.array(a['leaf_weights'], dtype=np.float32))
        if a['membership_values']:
            attrs['membership_values'] = np.array(a['membership_values'], dtype=np.float32)
        proto_attrs = {key: (numpy_helper.from_array(v, key) if isinstance(v, np.ndarray) else v) for key, v in attrs.items()}
        # The reference engine reads post_transform 1 as LOGISTIC and 2 as
        # SOFTMAX, the reverse of the operator's definition: its file gets
        # the swapped code so that it computes what the definition says.
        ort_attrs = dict(proto_attrs, post_transform={1: 2, 2: 1}.get(transform, transform))
        x = tree_inputs(rng, pools)
        add_case(f'tree_ensemble_v5_{aggregate}_{transform}_{k}', [ml_node('TreeEnsemble', ['X'], ['Y'], **ort_attrs)],
                 [('X', TP.FLOAT, [None, 4])], [vinfo('Y', TP.FLOAT, [None, n_targets])], {'X': (x, TP.FLOAT)},
                 ml_opset=5, graph=True, cairn_nodes=[ml_node('TreeEnsemble', ['X'], ['Y'], **proto_attrs)])


# ---------------------------------------------------------------- linear, SVM

def linear_cases(rng):
    x = rng.normal(size=(ROWS, 4)).astype(np.float32)
    for transform in TRANSFORMS:
        for classes in [1, 3]:
            coef = np.round(rng.normal(size=classes * 4), 3).tolist()
            attrs = dict(coefficients=coef, intercepts=np.round(rng.normal(size=classes), 3).tolist(),
                         post_transform=transform, classlabels_ints=[3, 9] if classes == 1 else [1, 2, 5])
            skip = ['scores'] if (classes == 1 and transform == 'PROBIT') else []
            add_case(f'linear_classifier_{classes}_{transform}', [ml_node('LinearClassifier', ['X'], ['label', 'scores'], **attrs)],
                     [('X', TP.FLOAT, [None, 4])],
                     [vinfo('label', TP.INT64, [None]), vinfo('scores', TP.FLOAT, [None, max(classes, 2)])],
                     {'X': (x, TP.FLOAT)}, skip=skip)
    attrs = dict(coefficients=[0.5, -1.0, 2.0, 0.25, 1.0, 1.0, 1.0, 1.0], intercepts=[0.1, -0.2], targets=2)
    add_case('linear_regressor', [ml_node('LinearRegressor', ['X'], ['Y'], **attrs)], [('X', TP.FLOAT, [None, 4])],
             [vinfo('Y', TP.FLOAT, [None, 2])], {'X': (x, TP.FLOAT)})
    attrs = dict(coefficients=[0.5, -1, 2, 0.25], intercepts=[0.1], post_transform='LOGISTIC')
    add_case('linear_regressor_logistic', [ml_node('LinearRegressor', ['X'], ['Y'], **attrs)],
             [('X', TP.FLOAT, [None, 4])], [vinfo('Y', TP.FLOAT, [None, 1])], {'X': (x, TP.FLOAT)})


def svm_cases(rng):
    x = rng.normal(size=(ROWS, 3)).astype(np.float32)
    kernels = {'LINEAR': [0.0, 0.0, 0.0], 'POLY': [0.3, 0.5, 3.0], 'RBF': [0.4, 0.0, 0.0], 'SIGMOID': [0.2, 0.1, 0.0]}
    for kernel, params in kernels.items():
        for classes, proba in [(2, False), (3, False), (3, True), (2, True)]:
            per_class = [2, 3, 2][:classes]
            total = sum(per_class)
            attrs = dict(kernel_type=kernel, kernel_params=params, vectors_per_class=per_class,
                         support_vectors=np.round(rng.normal(size=total * 3), 3).tolist(),
                         coefficients=np.round(rng.normal(size=(classes - 1) * total), 3).tolist(),
                         rho=np.round(rng.normal(size=classes * (classes - 1) // 2), 3).tolist(),
                         classlabels_ints=list(range(classes)))
            if proba:
                pairs = classes * (classes - 1) // 2
                attrs['prob_a'] = np.round(-1 - rng.random(pairs), 3).tolist()
                attrs['prob_b'] = np.round(rng.normal(size=pairs) * 0.1, 3).tolist()
            add_case(f'svm_classifier_{kernel}_{classes}_{int(proba)}',
                     [ml_node('SVMClassifier', ['X'], ['label', 'scores'], **attrs)], [('X', TP.FLOAT, [None, 3])],
                     [vinfo('label', TP.INT64, [None]), vinfo('scores', TP.FLOAT, [None, None])], {'X': (x, TP.FLOAT)})
        attrs = dict(kernel_type=kernel, kernel_params=params, n_supports=4,
                     support_vectors=np.round(rng.normal(size=12), 3).tolist(),
                     coefficients=np.round(rng.normal(size=4), 3).tolist(), rho=[0.3])
        add_case(f'svm_regressor_{kernel}', [ml_node('SVMRegressor', ['X'], ['Y'], **attrs)], [('X', TP.FLOAT, [None, 3])],
                 [vinfo('Y', TP.FLOAT, [None, 1])], {'X': (x, TP.FLOAT)})
    attrs = dict(kernel_type='RBF', kernel_params=[0.4, 0.0, 0.0], n_supports=4, one_class=1,
                 support_vectors=np.round(rng.normal(size=12), 3).tolist(), coefficients=[0.25] * 4, rho=[-0.5])
    add_case('svm_regressor_one_class', [ml_node('SVMRegressor', ['X'], ['Y'], **attrs)], [('X', TP.FLOAT, [None, 3])],
             [vinfo('Y', TP.FLOAT, [None, 1])], {'X': (x, TP.FLOAT)})
    attrs = dict(kernel_type='LINEAR', coefficients=[0.5, -0.25, 1.0], rho=[0.1])
    # The reference engine wants support_vectors even here: checked against numpy instead.
    add_case('svm_regressor_linear_form', [ml_node('SVMRegressor', ['X'], ['Y'], **attrs)], [('X', TP.FLOAT, [None, 3])],
             [vinfo('Y', TP.FLOAT, [None, 1])], {'X': (x, TP.FLOAT)}, ort=False,
             sk={'Y': ((x.astype(np.float64) @ np.array([0.5, -0.25, 1.0]) + 0.1).reshape(-1, 1), TP.FLOAT)})


# ---------------------------------------------------------------- preprocessing, encoders

def preprocess_cases(rng):
    x = rng.normal(size=(ROWS, 4)).astype(np.float32)
    x[::7] = 0  # all-zero rows for the normalizer
    f = lambda name, op, attrs, elem=TP.FLOAT, xs=x, out_elem=TP.FLOAT, shape=None: add_case(
        name, [ml_node(op, ['X'], ['Y'], **attrs)], [('X', elem, [None, xs.shape[1]])],
        [vinfo('Y', out_elem, shape or [None, xs.shape[1]])], {'X': (xs, elem)})
    f('scaler', 'Scaler', dict(offset=[0.5, -1.0, 0.0, 2.0], scale=[2.0, 0.5, 1.0, -3.0]))
    f('scaler_broadcast', 'Scaler', dict(offset=[0.5], scale=[2.0]))
    f('scaler_int64', 'Scaler', dict(offset=[1.0, 2.0, 3.0, 4.0], scale=[0.5, 0.25, 2.0, 1.0]), elem=TP.INT64,
      xs=(x * 10).astype(np.int64))
    for norm in ['MAX', 'L1', 'L2']:
        f(f'normalizer_{norm}', 'Normalizer', dict(norm=norm))
    xn = x.copy()
    xn[rng.random(xn.shape) < 0.2] = np.nan
    f('imputer_nan', 'Imputer', dict(imputed_value_floats=[1.0, 2.0, 3.0, 4.0], replaced_value_float=float('nan')), xs=xn)
    f('imputer_value', 'Imputer', dict(imputed_value_floats=[9.5], replaced_value_float=0.0))
    xi = rng.integers(-2, 3, size=(ROWS, 4)).astype(np.int64)
    f('imputer_int64', 'Imputer', dict(imputed_value_int64s=[7, 8, 9, 10], replaced_value_int64=0), elem=TP.INT64,
      xs=xi, out_elem=TP.INT64)
    f('binarizer', 'Binarizer', dict(threshold=0.25))
    add_case('array_feature_extractor', [ml_node('ArrayFeatureExtractor', ['X', 'I'], ['Y'])],
             [('X', TP.FLOAT, [None, 4]), ('I', TP.INT64, [None])], [vinfo('Y', TP.FLOAT, [None, None])],
             {'X': (x, TP.FLOAT)})
    # The indices are a graph input of their own, fed by the test.
    cases[-1]['extra'] = {'I': {'type': 'int64', 'shape': [3], 'data': [3, 0, 3]}}
    strings = np.array([['a', 'b'], ['c', 'a']] * (ROWS // 2), dtype=object)
    add_case('array_feature_extractor_strings', [ml_node('ArrayFeatureExtractor', ['X', 'I'], ['Y'])],
             [('X', TP.STRING, [None, 2]), ('I', TP.INT64, [None])], [vinfo('Y', TP.STRING, [None, None])],
             {'X': (strings, TP.STRING)})
    cases[-1]['extra'] = {'I': {'type': 'int64', 'shape': [1], 'data': [1]}}
    x2 = rng.integers(0, 5, size=(ROWS, 2)).astype(np.float32)
    add_case('feature_vectorizer', [ml_node('FeatureVectorizer', ['A', 'B'], ['Y'], inputdimensions=[4, 3])],
             [('A', TP.FLOAT, [None, 4]), ('B', TP.FLOAT, [None, 2])], [vinfo('Y', TP.FLOAT, [None, 7])],
             {'A': (x, TP.FLOAT), 'B': (x2, TP.FLOAT)})
    x3 = rng.integers(0, 5, size=(ROWS, 3)).astype(np.int64)
    add_case('feature_vectorizer_int64', [ml_node('FeatureVectorizer', ['A', 'B'], ['Y'], inputdimensions=[2, 3])],
             [('A', TP.INT64, [None, 3]), ('B', TP.INT64, [None, 3])], [vinfo('Y', TP.FLOAT, [None, 5])],
             {'A': (x3, TP.INT64), 'B': (x3, TP.INT64)})


def encoder_cases(rng):
    words = np.array(['red', 'green', 'blue', 'teal', ''], dtype=object)
    xs = words[rng.integers(len(words), size=(ROWS, 1))]
    xi = rng.integers(-1, 6, size=(ROWS, 2)).astype(np.int64)
    add_case('one_hot_strings', [ml_node('OneHotEncoder', ['X'], ['Y'], cats_strings=['red', 'green', 'blue'], zeros=1)],
             [('X', TP.STRING, [None, 1])], [vinfo('Y', TP.FLOAT, [None, 1, 3])], {'X': (xs, TP.STRING)})
    add_case('one_hot_int64', [ml_node('OneHotEncoder', ['X'], ['Y'], cats_int64s=[0, 2, 4, 5], zeros=1)],
             [('X', TP.INT64, [None, 2])], [vinfo('Y', TP.FLOAT, [None, 2, 4])], {'X': (xi, TP.INT64)})
    add_case('label_encoder_v1_to_int', [ml_node('LabelEncoder', ['X'], ['Y'], classes_strings=['red', 'blue', 'teal'],
                                                 default_int64=-5)],
             [('X', TP.STRING, [None, 1])], [vinfo('Y', TP.INT64, [None, 1])], {'X': (xs, TP.STRING)}, ml_opset=1)
    add_case('label_encoder_v1_to_string', [ml_node('LabelEncoder', ['X'], ['Y'], classes_strings=['a', 'b', 'c', 'd'],
                                                    default_string='none')],
             [('X', TP.INT64, [None, 2])], [vinfo('Y', TP.STRING, [None, 2])], {'X': (xi, TP.INT64)}, ml_opset=1)
    add_case('label_encoder_string_float', [ml_node('LabelEncoder', ['X'], ['Y'], keys_strings=['red', 'blue'],
                                                    values_floats=[1.5, -2.0], default_float=0.25)],
             [('X', TP.STRING, [None, 1])], [vinfo('Y', TP.FLOAT, [None, 1])], {'X': (xs, TP.STRING)}, ml_opset=2)
    add_case('label_encoder_int_string', [ml_node('LabelEncoder', ['X'], ['Y'], keys_int64s=[0, 1, 5],
                                                  values_strings=['zero', 'one', 'five'])],
             [('X', TP.INT64, [None, 2])], [vinfo('Y', TP.STRING, [None, 2])], {'X': (xi, TP.INT64)}, ml_opset=2)
    add_case('label_encoder_int_int', [ml_node('LabelEncoder', ['X'], ['Y'], keys_int64s=[0, 1, 5],
                                               values_int64s=[10, 11, 15], default_int64=99)],
             [('X', TP.INT64, [None, 2])], [vinfo('Y', TP.INT64, [None, 2])], {'X': (xi, TP.INT64)}, ml_opset=2)
    xf = rng.integers(0, 4, size=(ROWS, 2)).astype(np.float32) / 2
    add_case('label_encoder_float_int', [ml_node('LabelEncoder', ['X'], ['Y'], keys_floats=[0.0, 0.5, 1.5],
                                                 values_int64s=[3, 4, 5])],
             [('X', TP.FLOAT, [None, 2])], [vinfo('Y', TP.INT64, [None, 2])], {'X': (xf, TP.FLOAT)}, ml_opset=2)
    add_case('category_mapper_to_int', [ml_node('CategoryMapper', ['X'], ['Y'], cats_strings=['red', 'blue', 'teal'],
                                                cats_int64s=[4, 8, 15], default_int64=-1)],
             [('X', TP.STRING, [None, 1])], [vinfo('Y', TP.INT64, [None, 1])], {'X': (xs, TP.STRING)})
    add_case('category_mapper_to_string', [ml_node('CategoryMapper', ['X'], ['Y'], cats_strings=['red', 'blue', 'teal'],
                                                   cats_int64s=[0, 1, 5], default_string='?')],
             [('X', TP.INT64, [None, 2])], [vinfo('Y', TP.STRING, [None, 2])], {'X': (xi, TP.INT64)})
    x = rng.random(size=(ROWS, 3)).astype(np.float32)
    for labels in [dict(classlabels_int64s=[0, 4, 9]), dict(classlabels_strings=['x', 'y', 'z'])]:
        key = TP.INT64 if 'classlabels_int64s' in labels else TP.STRING
        out = h.make_value_info('Y', map_sequence_type(key))
        # The reference engine's node binding cannot return maps: the maps must hold X itself.
        add_case(f'zipmap_{JSON_TYPE[key]}', [ml_node('ZipMap', ['X'], ['Y'], **labels)], [('X', TP.FLOAT, [None, 3])],
                 [out], {'X': (x, TP.FLOAT)}, ort=False, sk={'Y': (x, TP.FLOAT)}, graph=True)


# ---------------------------------------------------------------- scikit-learn

def float_at_or_below(t):
    """The largest float32 <= t: float rows compare with it as sklearn's
    float32 rows compare with the double threshold t."""
    f = np.float32(t)
    if float(f) > t:
        f = np.nextafter(f, np.float32(-np.inf))
    return float(f)


def sk_tree_attrs(estimators, leaf_weights, prefix):
    """Legacy attributes for fitted sklearn trees; leaf_weights(t, tree, node)
    gives [(target, weight)]."""
    a = {k: [] for k in ['nodes_treeids', 'nodes_nodeids', 'nodes_featureids', 'nodes_values', 'nodes_modes',
                         'nodes_truenodeids', 'nodes_falsenodeids']}
    w = {prefix + k: [] for k in ['treeids', 'nodeids', 'ids', 'weights']}
    for t, est in enumerate(estimators):
        tree = est.tree_
        for i in range(tree.node_count):
            leaf = tree.children_left[i] < 0
            a['nodes_treeids'].append(t)
            a['nodes_nodeids'].append(i)
            a['nodes_featureids'].append(0 if leaf else int(tree.feature[i]))
            a['nodes_values'].append(0.0 if leaf else float_at_or_below(tree.threshold[i]))
            a['nodes_modes'].append('LEAF' if leaf else 'BRANCH_LEQ')
            a['nodes_truenodeids'].append(0 if leaf else int(tree.children_left[i]))
            a['nodes_falsenodeids'].append(0 if leaf else int(tree.children_right[i]))
            if leaf:
                for target, weight in leaf_weights(t, tree, i):
                    w[prefix + 'treeids'].append(t)
                    w[prefix + 'nodeids'].append(i)
                    w[prefix + 'ids'].append(target)
                    w[prefix + 'weights'].append(float(weight))
    a.update(w)
    return a


def sklearn_cases(rng):
    from sklearn.datasets import make_classification, make_regression
    from sklearn.ensemble import (GradientBoostingClassifier, GradientBoostingRegressor, RandomForestClassifier,
                                  RandomForestRegressor)
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import Normalizer, OneHotEncoder, StandardScaler
    from sklearn.svm import SVC, SVR
    from sklearn.tree import DecisionTreeClassifier

    def classifier_case(name, attrs, op, x, labels_out, scores_out, n_cols, sk_label, sk_scores, skip=()):
        add_case(name, [ml_node(op, ['X'], ['label', 'scores'], **attrs)], [('X', TP.FLOAT, [None, x.shape[1]])],
                 [vinfo('label', TP.INT64, [None]), vinfo('scores', TP.FLOAT, [None, n_cols])], {'X': (x, TP.FLOAT)},
                 sk={k: v for k, v in {'label': (sk_label, TP.INT64), 'scores': (sk_scores, TP.FLOAT)}.items()
                     if v[0] is not None}, skip=skip)

    x3, y3 = make_classification(n_samples=ROWS, n_features=6, n_informative=4, n_classes=3, random_state=1)
    x3 = x3.astype(np.float32)
    x2, y2 = make_classification(n_samples=ROWS, n_features=6, n_informative=4, random_state=2)
    x2 = x2.astype(np.float32)
    xr, yr = make_regression(n_samples=ROWS, n_features=6, noise=0.5, random_state=3)
    xr = xr.astype(np.float32)

    dt = DecisionTreeClassifier(max_depth=6, random_state=0).fit(x3, y3)
    attrs = sk_tree_attrs([dt], lambda t, tree, i: [(c, v / tree.value[i][0].sum()) for c, v in enumerate(tree.value[i][0])],
                          'class_')
    attrs['classlabels_int64s'] = [0, 1, 2]
    classifier_case('sklearn_decision_tree', attrs, 'TreeEnsembleClassifier', x3, None, None, 3, dt.predict(x3),
                    dt.predict_proba(x3))

    rf = RandomForestClassifier(n_estimators=10, max_depth=6, random_state=0).fit(x2, y2)
    n = len(rf.estimators_)
    # Binary: one weight per leaf (probability of class 1) on class id 0.
    attrs = sk_tree_attrs(rf.estimators_, lambda t, tree, i: [(0, tree.value[i][0][1] / tree.value[i][0].sum() / n)],
                          'class_')
    attrs['classlabels_int64s'] = [0, 1]
    classifier_case('sklearn_random_forest', attrs, 'TreeEnsembleClassifier', x2, None, None, 2, rf.predict(x2),
                    rf.predict_proba(x2))

    gb = GradientBoostingClassifier(n_estimators=30, max_depth=3, random_state=0).fit(x2, y2)
    lr = gb.learning_rate
    stages = [s[0] for s in gb.estimators_]
    init = float(gb.decision_function(x2[:1])[0] - lr * sum(s.predict(x2[:1])[0] for s in stages))
    attrs = sk_tree_attrs(stages, lambda t, tree, i: [(0, lr * tree.value[i][0][0])], 'class_')
    attrs.update(classlabels_int64s=[0, 1], base_values=[init], post_transform='LOGISTIC')
    classifier_case('sklearn_gradient_boosting', attrs, 'TreeEnsembleClassifier', x2, None, None, 2, gb.predict(x2),
                    gb.predict_proba(x2))

    gbr = GradientBoostingRegressor(n_estimators=40, max_depth=4, random_state=0).fit(xr, yr)
    stages = [s[0] for s in gbr.estimators_]
    init = float(gbr.predict(xr[:1])[0] - gbr.learning_rate * sum(s.predict(xr[:1])[0] for s in stages))
    attrs = sk_tree_attrs(stages, lambda t, tree, i: [(0, gbr.learning_rate * tree.value[i][0][0])], 'target_')
    attrs.update(n_targets=1, base_values=[init])
    add_case('sklearn_gradient_boosting_regressor', [ml_node('TreeEnsembleRegressor', ['X'], ['Y'], **attrs)],
             [('X', TP.FLOAT, [None, 6])], [vinfo('Y', TP.FLOAT, [None, 1])], {'X': (xr, TP.FLOAT)},
             sk={'Y': (gbr.predict(xr).reshape(-1, 1), TP.FLOAT)})

    rfr = RandomForestRegressor(n_estimators=8, max_depth=7, random_state=0).fit(xr, yr)
    attrs = sk_tree_attrs(rfr.estimators_, lambda t, tree, i: [(0, tree.value[i][0][0])], 'target_')
    attrs.update(n_targets=1, aggregate_function='AVERAGE')
    add_case('sklearn_random_forest_regressor', [ml_node('TreeEnsembleRegressor', ['X'], ['Y'], **attrs)],
             [('X', TP.FLOAT, [None, 6])], [vinfo('Y', TP.FLOAT, [None, 1])], {'X': (xr, TP.FLOAT)},
             sk={'Y': (rfr.predict(xr).reshape(-1, 1), TP.FLOAT)})

    logit = LogisticRegression(max_iter=500).fit(x3, y3)
    attrs = dict(coefficients=logit.coef_.ravel().tolist(), intercepts=logit.intercept_.tolist(),
                 classlabels_ints=[0, 1, 2], post_transform='SOFTMAX', multi_class=1)
    classifier_case('sklearn_logistic_multinomial', attrs, 'LinearClassifier', x3, None, None, 3, logit.predict(x3),
                    logit.predict_proba(x3))
    logit2 = LogisticRegression(max_iter=500).fit(x2, y2)
    attrs = dict(coefficients=logit2.coef_.ravel().tolist(), intercepts=logit2.intercept_.tolist(),
                 classlabels_ints=[0, 1], post_transform='LOGISTIC')
    classifier_case('sklearn_logistic_binary', attrs, 'LinearClassifier', x2, None, None, 2, logit2.predict(x2),
                    logit2.predict_proba(x2))

    for classes, xs, ys in [(3, x3, y3), (2, x2, y2)]:
        for proba in [False, True]:
            svc = SVC(kernel='rbf', gamma=0.1, probability=proba, random_state=0).fit(xs[:300], ys[:300])
            attrs = dict(kernel_type='RBF', kernel_params=[0.1, 0.0, 3.0],
                         vectors_per_class=svc.n_support_.tolist(), support_vectors=svc.support_vectors_.ravel().tolist(),
                         coefficients=svc._dual_coef_.ravel().tolist(), rho=svc._intercept_.tolist(),
                         classlabels_ints=list(range(classes)))
            if proba:
                attrs.update(prob_a=svc._probA.tolist(), prob_b=svc._probB.tolist())
            classifier_case(f'sklearn_svc_{classes}_{int(proba)}', attrs, 'SVMClassifier', xs, None, None,
                            classes if (proba or classes == 2) else 3,
                            None if proba else svc.predict(xs), svc.predict_proba(xs) if proba else None)
    svr = SVR(kernel='poly', degree=2, gamma=0.05, coef0=1.0, C=3.0).fit(xr[:300], yr[:300])
    attrs = dict(kernel_type='POLY', kernel_params=[0.05, 1.0, 2.0], n_supports=int(svr.support_vectors_.shape[0]),
                 support_vectors=svr.support_vectors_.ravel().tolist(), coefficients=svr._dual_coef_.ravel().tolist(),
                 rho=svr._intercept_.tolist())
    add_case('sklearn_svr', [ml_node('SVMRegressor', ['X'], ['Y'], **attrs)], [('X', TP.FLOAT, [None, 6])],
             [vinfo('Y', TP.FLOAT, [None, 1])], {'X': (xr, TP.FLOAT)}, sk={'Y': (svr.predict(xr).reshape(-1, 1), TP.FLOAT)})

    # StandardScaler -> LogisticRegression -> ZipMap, as converters write pipelines.
    scaler = StandardScaler().fit(x3)
    logit = LogisticRegression(max_iter=500).fit(scaler.transform(x3), y3)
    nodes = [ml_node('Scaler', ['X'], ['scaled'], offset=scaler.mean_.tolist(), scale=(1 / scaler.scale_).tolist()),
             ml_node('LinearClassifier', ['scaled'], ['label', 'scores'], coefficients=logit.coef_.ravel().tolist(),
                     intercepts=logit.intercept_.tolist(), classlabels_ints=[0, 1, 2], post_transform='SOFTMAX'),
             ml_node('ZipMap', ['scores'], ['probabilities'], classlabels_int64s=[0, 1, 2])]
    zip_type = map_sequence_type(TP.INT64)
    add_case('sklearn_pipeline', nodes[:2], [('X', TP.FLOAT, [None, 6])],
             [vinfo('label', TP.INT64, [None]), vinfo('scores', TP.FLOAT, [None, 3])], {'X': (x3, TP.FLOAT)},
             sk={'label': (logit.predict(scaler.transform(x3)), TP.INT64),
                 'scores': (logit.predict_proba(scaler.transform(x3)), TP.FLOAT)})
    add_case('sklearn_pipeline_zipmap', nodes, [('X', TP.FLOAT, [None, 6])],
             [vinfo('label', TP.INT64, [None]), h.make_value_info('probabilities', zip_type)], {'X': (x3, TP.FLOAT)},
             ort=False, graph=True, sk={'label': (logit.predict(scaler.transform(x3)), TP.INT64),
                 'probabilities': (logit.predict_proba(scaler.transform(x3)), TP.FLOAT)})

    add_case('sklearn_standard_scaler', [ml_node('Scaler', ['X'], ['Y'], offset=scaler.mean_.tolist(),
                                                 scale=(1 / scaler.scale_).tolist())],
             [('X', TP.FLOAT, [None, 6])], [vinfo('Y', TP.FLOAT, [None, 6])], {'X': (x3, TP.FLOAT)},
             sk={'Y': (scaler.transform(x3), TP.FLOAT)})
    norm = Normalizer(norm='l2').fit(x3)
    add_case('sklearn_normalizer', [ml_node('Normalizer', ['X'], ['Y'], norm='L2')], [('X', TP.FLOAT, [None, 6])],
             [vinfo('Y', TP.FLOAT, [None, 6])], {'X': (x3, TP.FLOAT)}, sk={'Y': (norm.transform(x3), TP.FLOAT)})
    xn = x3.copy()
    xn[rng.random(xn.shape) < 0.15] = np.nan
    imputer = SimpleImputer(strategy='mean').fit(xn)
    add_case('sklearn_imputer', [ml_node('Imputer', ['X'], ['Y'], imputed_value_floats=imputer.statistics_.tolist(),
                                         replaced_value_float=float('nan'))],
             [('X', TP.FLOAT, [None, 6])], [vinfo('Y', TP.FLOAT, [None, 6])], {'X': (xn, TP.FLOAT)},
             sk={'Y': (imputer.transform(xn), TP.FLOAT)})
    colors = np.array(['red', 'green', 'blue', 'teal'], dtype=object)[rng.integers(4, size=(ROWS, 1))]
    ohe = OneHotEncoder().fit(colors)
    add_case('sklearn_one_hot', [ml_node('OneHotEncoder', ['X'], ['Y'], cats_strings=[str(c) for c in ohe.categories_[0]])],
             [('X', TP.STRING, [None, 1])], [vinfo('Y', TP.FLOAT, [None, 1, 4])], {'X': (colors, TP.STRING)},
             sk={'Y': (ohe.transform(colors).toarray().reshape(ROWS, 1, 4), TP.FLOAT)})


# ---------------------------------------------------------------- ai.onnx

def onnx_case(name, nodes, feeds, outputs):
    """One graph of plain ai.onnx nodes. feeds: {name: array} (the array's
    dtype gives the input's type); outputs: {name: numpy dtype, or (dtype,
    shape) where the shape depends on input values}."""
    inputs = [(k, NP_TO_ONNX[a.dtype.type], list(a.shape)) for k, a in feeds.items()]
    elem = lambda t: NP_TO_ONNX[np.dtype(t[0] if isinstance(t, tuple) else t).type]
    # The checker wants output shapes: ONNX's shape inference supplies them
    # unless they depend on input values.
    draft = h.make_model(h.make_graph(nodes, name, [vinfo(*i) for i in inputs],
                                      [vinfo(k, elem(t), None) for k, t in outputs.items()]),
                         opset_imports=[h.make_opsetid('', 17)])
    inferred = list(onnx.shape_inference.infer_shapes(draft, strict_mode=True).graph.output)
    infos = [vinfo(k, elem(t), t[1]) if isinstance(t, tuple) else i for i, (k, t) in zip(inferred, outputs.items())]
    add_case(f'onnx_{name}', nodes, inputs, infos, {k: (a, NP_TO_ONNX[a.dtype.type]) for k, a in feeds.items()})


def const(name, array):
    return h.make_node('Constant', [], [name], value=numpy_helper.from_array(np.asarray(array), name))


def onnx_cases(rng):
    f32, i64 = np.float32, np.int64
    normal = lambda *shape: rng.normal(size=shape).astype(f32)
    # Bounded away from 0: divisors, Log/Sqrt arguments.
    positive = lambda *shape: rng.uniform(0.2, 3.0, size=shape).astype(f32)
    node = h.make_node
    x345 = normal(3, 4, 5)

    def unary(op, x, suffix=''):
        onnx_case(op.lower() + suffix, [node(op, ['X'], ['Y'])], {'X': x}, {'Y': x.dtype})

    for op in ['Relu', 'Sigmoid', 'Tanh', 'Exp', 'Abs', 'Neg', 'Identity']:
        unary(op, x345)
    unary('Log', positive(3, 4, 5))
    unary('Sqrt', positive(3, 4, 5))
    # Fractional parts 0.025..0.225: clear of integers, where Floor/Ceil/Cast
    # would turn a last-bit difference into a whole unit.
    steps = (rng.integers(-40, 40, size=(3, 4, 5)) + rng.uniform(0.1, 0.9, size=(3, 4, 5))).astype(f32) / 4
    unary('Floor', steps)
    unary('Ceil', steps)
    unary('Abs', rng.integers(-9, 9, size=(4, 3)).astype(i64), '_int64')
    unary('Neg', rng.integers(-9, 9, size=(4, 3)).astype(i64), '_int64')

    # Binary arithmetic, broadcasting both ways; the right operands stay
    # clear of 0 so that Div's quotients stay moderate.
    signed = lambda *shape: positive(*shape) * np.where(rng.random(shape) < 0.5, -1, 1).astype(f32)
    for op in ['Add', 'Sub', 'Mul', 'Div']:
        onnx_case(op.lower(), [node(op, ['A', 'B'], ['C'])], {'A': x345, 'B': signed(4, 1)}, {'C': f32})
        onnx_case(f'{op.lower()}_rank', [node(op, ['A', 'B'], ['C'])], {'A': positive(5), 'B': signed(3, 4, 5)},
                  {'C': f32})
        ints = rng.integers(1, 9, size=(3, 4)).astype(i64)
        onnx_case(f'{op.lower()}_int64', [node(op, ['A', 'B'], ['C'])],
                  {'A': rng.integers(-50, 50, size=(2, 3, 4)).astype(i64), 'B': ints}, {'C': i64})
    onnx_case('pow', [node('Pow', ['A', 'B'], ['C'])], {'A': positive(3, 4, 5), 'B': normal(5)}, {'C': f32})
    onnx_case('pow_int_exponent', [node('Pow', ['A', 'B'], ['C'])],
              {'A': normal(3, 4), 'B': rng.integers(0, 4, size=(4,)).astype(i64)}, {'C': f32})

    for op in ['Sum', 'Mean', 'Min', 'Max']:
        onnx_case(op.lower(), [node(op, ['A', 'B', 'C'], ['Y'])], {'A': x345, 'B': normal(4, 1), 'C': normal(5)},
                  {'Y': f32})
        onnx_case(f'{op.lower()}_single', [node(op, ['A'], ['Y'])], {'A': normal(2, 3)}, {'Y': f32})

    # Comparisons: one decimal, so that equal values occur and are exact.
    ra = np.round(normal(3, 4, 5), 1)
    rb = np.round(normal(4, 1), 1)
    for op in ['Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual']:
        onnx_case(op.lower(), [node(op, ['A', 'B'], ['C'])], {'A': ra, 'B': rb}, {'C': np.bool_})
    onnx_case('equal_int64', [node('Equal', ['A', 'B'], ['C'])],
              {'A': rng.integers(0, 3, size=(4, 5)).astype(i64), 'B': rng.integers(0, 3, size=(5,)).astype(i64)},
              {'C': np.bool_})
    ba, bb = rng.random((3, 4)) < 0.5, rng.random((4,)) < 0.5
    for op in ['And', 'Or', 'Xor']:
        onnx_case(op.lower(), [node(op, ['A', 'B'], ['C'])], {'A': ba, 'B': bb}, {'C': np.bool_})
    onnx_case('not', [node('Not', ['A'], ['C'])], {'A': ba}, {'C': np.bool_})
    onnx_case('where', [node('Where', ['C', 'A', 'B'], ['Y'])], {'C': bb, 'A': normal(3, 4), 'B': normal(3, 1)},
              {'Y': f32})
    onnx_case('where_int64', [node('Where', ['C', 'A', 'B'], ['Y'])],
              {'C': ba, 'A': rng.integers(0, 9, size=(4,)).astype(i64), 'B': rng.integers(0, 9, size=(3, 1)).astype(i64)},
              {'Y': i64})

    # Cast truncates towards zero.
    onnx_case('cast_float_int64', [node('Cast', ['X'], ['Y'], to=TP.INT64)], {'X': steps * 4}, {'Y': i64})
    onnx_case('cast_int64_float', [node('Cast', ['X'], ['Y'], to=TP.FLOAT)],
              {'X': rng.integers(-1000, 1000, size=(3, 4)).astype(i64)}, {'Y': f32})
    onnx_case('cast_float_bool', [node('Cast', ['X'], ['Y'], to=TP.BOOL)],
              {'X': np.where(rng.random((3, 4)) < 0.3, 0, 1).astype(f32) * normal(3, 4)}, {'Y': np.bool_})
    onnx_case('cast_like', [node('CastLike', ['X', 'T'], ['Y'])],
              {'X': steps, 'T': np.zeros((1,), dtype=i64)}, {'Y': i64})
    onnx_case('clip', [node('Clip', ['X', 'lo', 'hi'], ['Y'])],
              {'X': x345, 'lo': np.array(-0.5, dtype=f32), 'hi': np.array(0.75, dtype=f32)}, {'Y': f32})
    onnx_case('clip_max_only', [const('hi', np.array(0.25, dtype=f32)), node('Clip', ['X', '', 'hi'], ['Y'])],
              {'X': x345}, {'Y': f32})

    # Matrix products and normalisations.
    onnx_case('matmul', [node('MatMul', ['A', 'B'], ['C'])], {'A': normal(2, 3, 4), 'B': normal(4, 5)}, {'C': f32})
    onnx_case('matmul_batch', [node('MatMul', ['A', 'B'], ['C'])], {'A': normal(2, 1, 3, 4), 'B': normal(3, 4, 2)},
              {'C': f32})
    onnx_case('matmul_vector', [node('MatMul', ['A', 'B'], ['C'])], {'A': normal(4), 'B': normal(2, 4, 3)}, {'C': f32})
    onnx_case('gemm', [node('Gemm', ['A', 'B', 'C'], ['Y'], transA=1, transB=1, alpha=0.7, beta=-1.3)],
              {'A': normal(4, 3), 'B': normal(5, 4), 'C': normal(5)}, {'Y': f32})
    onnx_case('gemm_plain', [node('Gemm', ['A', 'B', 'C'], ['Y'])],
              {'A': normal(3, 4), 'B': normal(4, 5), 'C': normal(3, 1)}, {'Y': f32})
    onnx_case('gemm_no_c', [node('Gemm', ['A', 'B'], ['Y'], transB=1, alpha=2.0)],
              {'A': normal(3, 4), 'B': normal(5, 4)}, {'Y': f32})
    onnx_case('softmax', [node('Softmax', ['X'], ['Y'], axis=1)], {'X': x345}, {'Y': f32})
    onnx_case('softmax_default', [node('Softmax', ['X'], ['Y'])], {'X': x345 * 10}, {'Y': f32})
    onnx_case('logsoftmax', [node('LogSoftmax', ['X'], ['Y'], axis=0)], {'X': x345}, {'Y': f32})
    onnx_case('logsoftmax_last', [node('LogSoftmax', ['X'], ['Y'], axis=-1)], {'X': x345 * 10}, {'Y': f32})
    # Continuous random values: no ties among the top k.
    onnx_case('topk', [node('TopK', ['X', 'K'], ['V', 'I'], axis=1)], {'X': x345, 'K': np.array([3], dtype=i64)},
              {'V': f32, 'I': i64})
    onnx_case('topk_smallest', [node('TopK', ['X', 'K'], ['V', 'I'], largest=0)],
              {'X': x345, 'K': np.array([2], dtype=i64)}, {'V': f32, 'I': i64})

    # Reductions.
    onnx_case('reducesum', [node('ReduceSum', ['X', 'axes'], ['Y'], keepdims=0)],
              {'X': x345, 'axes': np.array([0, -1], dtype=i64)}, {'Y': (f32, [4])})
    onnx_case('reducesum_all', [node('ReduceSum', ['X'], ['Y'])], {'X': x345}, {'Y': f32})
    onnx_case('reducesum_int64', [const('axes', np.array([1], dtype=i64)), node('ReduceSum', ['X', 'axes'], ['Y'])],
              {'X': rng.integers(-9, 9, size=(3, 4)).astype(i64)}, {'Y': i64})
    for op in ['ReduceMean', 'ReduceMax', 'ReduceMin', 'ReduceSumSquare', 'ReduceLogSumExp', 'ReduceL1', 'ReduceL2']:
        onnx_case(op.lower(), [node(op, ['X'], ['Y'], axes=[1])], {'X': x345}, {'Y': f32})
        onnx_case(f'{op.lower()}_all', [node(op, ['X'], ['Y'], keepdims=0)], {'X': x345}, {'Y': f32})
    onnx_case('reduceprod', [node('ReduceProd', ['X'], ['Y'], axes=[0, 2], keepdims=0)],
              {'X': rng.uniform(0.5, 1.5, size=(3, 4, 5)).astype(f32)}, {'Y': f32})
    onnx_case('reducelogsum', [node('ReduceLogSum', ['X'], ['Y'], axes=[-1])], {'X': positive(3, 4, 5)}, {'Y': f32})
    onnx_case('argmax', [node('ArgMax', ['X'], ['Y'], axis=1)], {'X': x345}, {'Y': i64})
    onnx_case('argmax_int64', [node('ArgMax', ['X'], ['Y'], axis=-1, keepdims=0)],
              {'X': rng.permutation(12).reshape(3, 4).astype(i64)}, {'Y': i64})
    onnx_case('argmin', [node('ArgMin', ['X'], ['Y'], axis=0, keepdims=0)], {'X': x345}, {'Y': i64})
    onnx_case('argmin_keepdims', [node('ArgMin', ['X'], ['Y'], axis=2)], {'X': x345}, {'Y': i64})

    # Shapes and data movement.
    onnx_case('constant', [const('c', normal(4, 5)), node('Add', ['X', 'c'], ['Y'])], {'X': x345}, {'Y': f32})
    onnx_case('constant_scalar', [node('Constant', [], ['c'], value_float=2.5), node('Mul', ['X', 'c'], ['Y'])],
              {'X': x345}, {'Y': f32})
    onnx_case('shape', [node('Shape', ['X'], ['Y'])], {'X': x345}, {'Y': i64})
    onnx_case('shape_slice', [node('Shape', ['X'], ['Y'], start=1, end=-1)], {'X': normal(2, 3, 4, 5)}, {'Y': i64})
    onnx_case('reshape', [const('s', np.array([0, -1], dtype=i64)), node('Reshape', ['X', 's'], ['Y'])],
              {'X': x345}, {'Y': f32})
    onnx_case('reshape_input', [node('Reshape', ['X', 's'], ['Y'])],
              {'X': x345, 's': np.array([-1, 2, 5], dtype=i64)}, {'Y': (f32, [6, 2, 5])})
    onnx_case('flatten', [node('Flatten', ['X'], ['Y'], axis=2)], {'X': normal(2, 3, 4, 5)}, {'Y': f32})
    onnx_case('flatten_zero', [node('Flatten', ['X'], ['Y'], axis=0)], {'X': x345}, {'Y': f32})
    onnx_case('transpose', [node('Transpose', ['X'], ['Y'], perm=[2, 0, 1])], {'X': x345}, {'Y': f32})
    onnx_case('transpose_default', [node('Transpose', ['X'], ['Y'])], {'X': normal(2, 3, 4, 5)}, {'Y': f32})
    onnx_case('squeeze', [node('Squeeze', ['X', 'axes'], ['Y'])],
              {'X': normal(3, 1, 4, 1), 'axes': np.array([-1, 1], dtype=i64)}, {'Y': (f32, [3, 4])})
    onnx_case('squeeze_all', [node('Squeeze', ['X'], ['Y'])], {'X': normal(1, 3, 1, 4)}, {'Y': f32})
    onnx_case('unsqueeze', [node('Unsqueeze', ['X', 'axes'], ['Y'])],
              {'X': normal(3, 4), 'axes': np.array([0, -1, 2], dtype=i64)}, {'Y': (f32, [1, 3, 1, 4, 1])})
    onnx_case('concat', [node('Concat', ['A', 'B', 'C'], ['Y'], axis=1)],
              {'A': normal(2, 3, 4), 'B': normal(2, 1, 4), 'C': normal(2, 2, 4)}, {'Y': f32})
    onnx_case('concat_int64', [node('Concat', ['A', 'B'], ['Y'], axis=-1)],
              {'A': rng.integers(0, 9, size=(2, 3)).astype(i64), 'B': rng.integers(0, 9, size=(2, 1)).astype(i64)},
              {'Y': i64})
    onnx_case('gather', [node('Gather', ['X', 'I'], ['Y'], axis=1)],
              {'X': x345, 'I': np.array([[0, -1], [2, 1], [3, 3]], dtype=i64)}, {'Y': f32})
    onnx_case('gather_scalar', [node('Gather', ['X', 'I'], ['Y'])], {'X': x345, 'I': np.array(-2, dtype=i64)},
              {'Y': f32})
    onnx_case('slice', [node('Slice', ['X', 'starts', 'ends', 'axes', 'steps'], ['Y'])],
              {'X': x345, 'starts': np.array([1, -1], dtype=i64), 'ends': np.array([100, 0], dtype=i64),
               'axes': np.array([1, 2], dtype=i64), 'steps': np.array([2, -2], dtype=i64)}, {'Y': (f32, [3, 2, 2])})
    onnx_case('slice_defaults', [node('Slice', ['X', 'starts', 'ends'], ['Y'])],
              {'X': x345, 'starts': np.array([1, -3], dtype=i64), 'ends': np.array([3, -1], dtype=i64)},
              {'Y': (f32, [2, 2, 5])})

    # Quantization: integer outputs compare exactly. Both engines round half
    # to even as the spec says, and random inputs almost never sit on a .5 step.
    qx = normal(4, 6) * 3
    onnx_case('quantizelinear_uint8', [node('QuantizeLinear', ['X', 's', 'z'], ['Y'])],
              {'X': qx, 's': np.array(0.037, dtype=f32), 'z': np.array(120, dtype=np.uint8)}, {'Y': np.uint8})
    onnx_case('quantizelinear_int8', [node('QuantizeLinear', ['X', 's', 'z'], ['Y'])],
              {'X': qx, 's': np.array(0.021, dtype=f32), 'z': np.array(-3, dtype=np.int8)}, {'Y': np.int8})
    onnx_case('quantizelinear_axis', [node('QuantizeLinear', ['X', 's', 'z'], ['Y'], axis=1)],
              {'X': qx, 's': positive(6) / 40, 'z': rng.integers(100, 150, size=6).astype(np.uint8)}, {'Y': np.uint8})
    onnx_case('dequantizelinear_uint8', [node('DequantizeLinear', ['X', 's', 'z'], ['Y'])],
              {'X': rng.integers(0, 256, size=(4, 6)).astype(np.uint8), 's': np.array(0.037, dtype=f32),
               'z': np.array(120, dtype=np.uint8)}, {'Y': f32})
    onnx_case('dequantizelinear_int8_axis', [node('DequantizeLinear', ['X', 's', 'z'], ['Y'], axis=0)],
              {'X': rng.integers(-128, 128, size=(4, 6)).astype(np.int8), 's': positive(4) / 40,
               'z': rng.integers(-5, 5, size=4).astype(np.int8)}, {'Y': f32})
    onnx_case('dequantizelinear_int32', [node('DequantizeLinear', ['X', 's'], ['Y'])],
              {'X': rng.integers(-5000, 5000, size=(3, 4)).astype(np.int32), 's': np.array(0.002, dtype=f32)}, {'Y': f32})
    onnx_case('dynamicquantizelinear', [node('DynamicQuantizeLinear', ['X'], ['Y', 's', 'z'])], {'X': qx},
              {'Y': np.uint8, 's': f32, 'z': np.uint8})
    onnx_case('dynamicquantizelinear_positive', [node('DynamicQuantizeLinear', ['X'], ['Y', 's', 'z'])],
              {'X': positive(3, 5)}, {'Y': np.uint8, 's': f32, 'z': np.uint8})
    qa = rng.integers(0, 256, size=(3, 5)).astype(np.uint8)
    onnx_case('matmulinteger', [node('MatMulInteger', ['A', 'B', 'za', 'zb'], ['Y'])],
              {'A': qa, 'B': rng.integers(0, 256, size=(5, 4)).astype(np.uint8),
               'za': np.array(128, dtype=np.uint8), 'zb': np.array(7, dtype=np.uint8)}, {'Y': np.int32})
    onnx_case('matmulinteger_int8', [node('MatMulInteger', ['A', 'B', 'za', 'zb'], ['Y'])],
              {'A': qa, 'B': rng.integers(-128, 128, size=(2, 5, 4)).astype(np.int8),
               'za': np.array(3, dtype=np.uint8), 'zb': np.array(-2, dtype=np.int8)}, {'Y': np.int32})
    onnx_case('matmulinteger_no_zero_points', [node('MatMulInteger', ['A', 'B'], ['Y'])],
              {'A': qa, 'B': rng.integers(0, 256, size=(5, 2)).astype(np.uint8)}, {'Y': np.int32})
    onnx_case('qlinearmatmul', [node('QLinearMatMul', ['A', 'sa', 'za', 'B', 'sb', 'zb', 'sy', 'zy'], ['Y'])],
              {'A': qa, 'sa': np.array(0.02, dtype=f32), 'za': np.array(125, dtype=np.uint8),
               'B': rng.integers(0, 256, size=(5, 4)).astype(np.uint8), 'sb': np.array(0.013, dtype=f32),
               'zb': np.array(131, dtype=np.uint8), 'sy': np.array(0.05, dtype=f32),
               'zy': np.array(118, dtype=np.uint8)}, {'Y': np.uint8})
    onnx_case('qlinearmatmul_int8', [node('QLinearMatMul', ['A', 'sa', 'za', 'B', 'sb', 'zb', 'sy', 'zy'], ['Y'])],
              {'A': rng.integers(-128, 128, size=(2, 3, 5)).astype(np.int8), 'sa': np.array(0.02, dtype=f32),
               'za': np.array(-1, dtype=np.int8), 'B': rng.integers(-128, 128, size=(5, 4)).astype(np.int8),
               'sb': np.array(0.013, dtype=f32), 'zb': np.array(2, dtype=np.int8), 'sy': np.array(0.07, dtype=f32),
               'zy': np.array(-4, dtype=np.int8)}, {'Y': np.int8})


def main():
    rng = np.random.default_rng(20240611)
    regressor_cases(rng)
    classifier_cases(rng)
    tree_ensemble_v5_cases(rng)
    linear_cases(rng)
    svm_cases(rng)
    preprocess_cases(rng)
    encoder_cases(rng)
    sklearn_cases(rng)
    onnx_cases(np.random.default_rng(20261125))
    for case in cases:
        # Extra graph inputs (indices) join the feeds.
        if 'extra' in case:
            with open(case['inputs']) as f:
                feeds = json.load(f)
            feeds.update(case.pop('extra'))
            with open(case['inputs'], 'w') as f:
                json.dump(feeds, f)
    manifest = os.path.join(out_dir, 'ort_manifest.json')
    with open(manifest, 'w') as f:
        json.dump([{'model': c['model'], 'inputs': c['inputs'], 'outputs': c['ort']} for c in cases if 'ort' in c], f)
    subprocess.run(['node', ORT_BATCH, manifest], check=True)
    with open(os.path.join(out_dir, 'cases.json'), 'w') as f:
        json.dump(cases, f, indent=1)


if __name__ == '__main__':
    main()
