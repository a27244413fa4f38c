// Readers of the tree ensemble attribute encodings into TreeEnsembleSpec:
// the (tree id, node id) form of TreeEnsembleClassifier/Regressor and the
// index form of TreeEnsemble (opset 5). Everything a malformed model could get
// wrong is caught here, at load time.
#include <cmath>
#include <limits>
#include <map>

#include "cairn/runtime/ml/ml_util.h"
#include "cairn/runtime/ml/tree_ensemble_spec.h"

namespace cairn::runtime::ml {
namespace {

std::string At(const std::string& attribute, size_t index) {
  return "attribute '" + attribute + "'[" + std::to_string(index) + "]";
}

void CheckLength(const KernelInfo& info, const std::string& name, size_t actual, size_t expected,
                 const std::string& reference) {
  if (actual != expected) {
    info.Fail("attribute '" + name + "' has " + std::to_string(actual) + " values but '" + reference + "' has " +
              std::to_string(expected));
  }
}

void CheckFeature(const KernelInfo& info, const std::string& name, size_t index, int64_t feature) {
  if (feature < 0 || feature > std::numeric_limits<int32_t>::max()) {
    info.Fail(At(name, index) + " = " + std::to_string(feature) + " is not a valid feature index");
  }
}

bool ParseLegacyMode(const std::string& text, NodeMode* mode) {
  if (text == "BRANCH_LEQ") *mode = NodeMode::kLeq;
  else if (text == "BRANCH_LT") *mode = NodeMode::kLt;
  else if (text == "BRANCH_GTE") *mode = NodeMode::kGte;
  else if (text == "BRANCH_GT") *mode = NodeMode::kGt;
  else if (text == "BRANCH_EQ") *mode = NodeMode::kEq;
  else if (text == "BRANCH_NEQ") *mode = NodeMode::kNeq;
  else return false;
  return true;
}

}  // namespace

TreeEnsembleSpec ReadLegacyTreeAttributes(const KernelInfo& info, const std::string& weight_prefix, int64_t n_targets) {
  TreeEnsembleSpec spec;
  spec.n_targets = n_targets;
  auto tree_ids = info.GetInts("nodes_treeids");
  auto node_ids = info.GetInts("nodes_nodeids");
  auto features = info.GetInts("nodes_featureids");
  auto modes = info.GetStrings("nodes_modes");
  auto values = GetFloatsOrTensor(info, "nodes_values");
  auto true_ids = info.GetInts("nodes_truenodeids");
  auto false_ids = info.GetInts("nodes_falsenodeids");
  auto missing = info.GetInts("nodes_missing_value_tracks_true");
  const size_t n = node_ids.size();
  CheckLength(info, "nodes_treeids", tree_ids.size(), n, "nodes_nodeids");
  CheckLength(info, "nodes_featureids", features.size(), n, "nodes_nodeids");
  CheckLength(info, "nodes_modes", modes.size(), n, "nodes_nodeids");
  CheckLength(info, info.HasAttribute("nodes_values_as_tensor") ? "nodes_values_as_tensor" : "nodes_values",
              values.size(), n, "nodes_nodeids");
  CheckLength(info, "nodes_truenodeids", true_ids.size(), n, "nodes_nodeids");
  CheckLength(info, "nodes_falsenodeids", false_ids.size(), n, "nodes_nodeids");
  if (!missing.empty()) CheckLength(info, "nodes_missing_value_tracks_true", missing.size(), n, "nodes_nodeids");

  // Node position by (tree id, node id); trees in order of first appearance.
  std::map<std::pair<int64_t, int64_t>, size_t> position;
  std::map<int64_t, size_t> tree_order;
  std::vector<int64_t> trees;
  for (size_t i = 0; i < n; ++i) {
    if (!position.emplace(std::make_pair(tree_ids[i], node_ids[i]), i).second) {
      info.Fail(At("nodes_nodeids", i) + ": tree " + std::to_string(tree_ids[i]) + " has node id " +
                std::to_string(node_ids[i]) + " twice");
    }
    if (tree_order.emplace(tree_ids[i], trees.size()).second) trees.push_back(tree_ids[i]);
  }

  // Each node becomes a split or a leaf of the spec.
  std::vector<TreeChild> as_child(n);
  std::vector<NodeMode> parsed(n, NodeMode::kLeq);
  std::vector<uint8_t> is_leaf(n, 0);
  for (size_t i = 0; i < n; ++i) {
    if (modes[i] == "LEAF") {
      is_leaf[i] = 1;
      as_child[i] = TreeChild{true, static_cast<int64_t>(spec.leaves.size())};
      spec.leaves.emplace_back();
    } else {
      if (!ParseLegacyMode(modes[i], &parsed[i])) {
        info.Fail(At("nodes_modes", i) + " is '" + modes[i] +
                  "'; expected BRANCH_LEQ, BRANCH_LT, BRANCH_GTE, BRANCH_GT, BRANCH_EQ, BRANCH_NEQ or LEAF");
      }
      CheckFeature(info, "nodes_featureids", i, features[i]);
      as_child[i] = TreeChild{false, static_cast<int64_t>(spec.splits.size())};
      spec.splits.emplace_back();
    }
  }
  std::vector<uint8_t> referenced(n, 0);
  auto resolve = [&](const std::string& name, size_t i, int64_t id) {
    auto it = position.find({tree_ids[i], id});
    if (it == position.end()) {
      info.Fail(At(name, i) + " = " + std::to_string(id) + ": tree " + std::to_string(tree_ids[i]) +
                " has no node with that id");
    }
    referenced[it->second] = 1;
    return as_child[it->second];
  };
  for (size_t i = 0; i < n; ++i) {
    if (is_leaf[i]) continue;
    TreeSplitSpec& split = spec.splits[static_cast<size_t>(as_child[i].index)];
    split.feature = features[i];
    split.threshold = values[i];
    split.mode = parsed[i];
    split.missing_goes_true = !missing.empty() && missing[i] != 0;
    split.true_child = resolve("nodes_truenodeids", i, true_ids[i]);
    split.false_child = resolve("nodes_falsenodeids", i, false_ids[i]);
    split.source_index = static_cast<int64_t>(i);
  }
  // The root of a tree is its one node no split points to.
  std::vector<int64_t> roots(trees.size(), -1);
  for (size_t i = 0; i < n; ++i) {
    if (referenced[i]) continue;
    size_t tree = tree_order[tree_ids[i]];
    if (roots[tree] >= 0) {
      info.Fail("tree " + std::to_string(tree_ids[i]) + " has two roots (node ids " +
                std::to_string(node_ids[static_cast<size_t>(roots[tree])]) + " and " + std::to_string(node_ids[i]) +
                ": no node points to either) in attribute 'nodes_nodeids'");
    }
    roots[tree] = static_cast<int64_t>(i);
  }
  for (size_t tree = 0; tree < trees.size(); ++tree) {
    if (roots[tree] < 0) {
      info.Fail("tree " + std::to_string(trees[tree]) +
                " has no root: every node is some node's child (a cycle in 'nodes_truenodeids'/'nodes_falsenodeids')");
    }
    spec.roots.push_back(as_child[static_cast<size_t>(roots[tree])]);
  }

  // Leaf weights.
  const std::string ids_name = weight_prefix + "ids";
  auto w_trees = info.GetInts(weight_prefix + "treeids");
  auto w_nodes = info.GetInts(weight_prefix + "nodeids");
  auto w_ids = info.GetInts(ids_name);
  auto weights = GetFloatsOrTensor(info, weight_prefix + "weights");
  CheckLength(info, weight_prefix + "treeids", w_trees.size(), w_nodes.size(), weight_prefix + "nodeids");
  CheckLength(info, ids_name, w_ids.size(), w_nodes.size(), weight_prefix + "nodeids");
  CheckLength(info, weight_prefix + "weights", weights.size(), w_nodes.size(), weight_prefix + "nodeids");
  for (size_t k = 0; k < w_nodes.size(); ++k) {
    auto it = position.find({w_trees[k], w_nodes[k]});
    if (it == position.end()) {
      info.Fail(At(weight_prefix + "nodeids", k) + " = " + std::to_string(w_nodes[k]) + ": tree " +
                std::to_string(w_trees[k]) + " has no node with that id");
    }
    if (!is_leaf[it->second]) {
      info.Fail(At(weight_prefix + "nodeids", k) + " = " + std::to_string(w_nodes[k]) + ": node of tree " +
                std::to_string(w_trees[k]) + " is a branch, not a LEAF");
    }
    if (w_ids[k] < 0 || w_ids[k] >= n_targets) {
      info.Fail(At(ids_name, k) + " = " + std::to_string(w_ids[k]) + " is outside [0, " + std::to_string(n_targets) +
                ")");
    }
    spec.leaves[static_cast<size_t>(as_child[it->second].index)].entries.emplace_back(w_ids[k], weights[k]);
  }
  return spec;
}

TreeEnsembleSpec ReadTreeEnsembleV5Attributes(const KernelInfo& info) {
  TreeEnsembleSpec spec;
  spec.n_targets = info.RequireInt("n_targets");
  if (spec.n_targets <= 0 || spec.n_targets > (1 << 20)) {
    info.Fail("attribute 'n_targets' = " + std::to_string(spec.n_targets) + " is out of range");
  }
  switch (info.GetInt("aggregate_function", 1)) {
    case 0: spec.aggregate = Aggregate::kAverage; break;
    case 1: spec.aggregate = Aggregate::kSum; break;
    case 2: spec.aggregate = Aggregate::kMin; break;
    case 3: spec.aggregate = Aggregate::kMax; break;
    default:
      info.Fail("attribute 'aggregate_function' = " + std::to_string(info.GetInt("aggregate_function", 1)) +
                "; expected 0 (AVERAGE), 1 (SUM), 2 (MIN) or 3 (MAX)");
  }
  auto features = info.GetInts("nodes_featureids");
  auto true_ids = info.GetInts("nodes_truenodeids");
  auto false_ids = info.GetInts("nodes_falsenodeids");
  auto true_leafs = info.GetInts("nodes_trueleafs");
  auto false_leafs = info.GetInts("nodes_falseleafs");
  auto missing = info.GetInts("nodes_missing_value_tracks_true");
  auto roots = info.GetInts("tree_roots");
  auto leaf_targets = info.GetInts("leaf_targetids");
  Tensor splits = info.RequireTensor("nodes_splits");
  Tensor modes = info.RequireTensor("nodes_modes");
  Tensor leaf_weights = info.RequireTensor("leaf_weights");
  std::optional<Tensor> members = info.GetTensor("membership_values");
  for (const auto& [name, t] : {std::pair<const char*, const Tensor*>{"nodes_splits", &splits},
                                {"leaf_weights", &leaf_weights}}) {
    if (t->dtype() != DataType::kFloat32 && t->dtype() != DataType::kFloat64) {
      info.Fail(std::string("attribute '") + name + "' must be a float or double tensor, got " + t->Describe());
    }
  }
  if (members && members->dtype() != DataType::kFloat32 && members->dtype() != DataType::kFloat64) {
    info.Fail("attribute 'membership_values' must be a float or double tensor, got " + members->Describe());
  }
  if (modes.dtype() != DataType::kUint8) {
    info.Fail("attribute 'nodes_modes' must be a uint8 tensor, got " + modes.Describe());
  }
  const size_t n = features.size();
  CheckLength(info, "nodes_splits", static_cast<size_t>(splits.size()), n, "nodes_featureids");
  CheckLength(info, "nodes_modes", static_cast<size_t>(modes.size()), n, "nodes_featureids");
  CheckLength(info, "nodes_truenodeids", true_ids.size(), n, "nodes_featureids");
  CheckLength(info, "nodes_falsenodeids", false_ids.size(), n, "nodes_featureids");
  CheckLength(info, "nodes_trueleafs", true_leafs.size(), n, "nodes_featureids");
  CheckLength(info, "nodes_falseleafs", false_leafs.size(), n, "nodes_featureids");
  if (!missing.empty()) CheckLength(info, "nodes_missing_value_tracks_true", missing.size(), n, "nodes_featureids");
  CheckLength(info, "leaf_weights", static_cast<size_t>(leaf_weights.size()), leaf_targets.size(), "leaf_targetids");
  for (size_t k = 0; k < leaf_targets.size(); ++k) {
    if (leaf_targets[k] < 0 || leaf_targets[k] >= spec.n_targets) {
      info.Fail(At("leaf_targetids", k) + " = " + std::to_string(leaf_targets[k]) + " is outside [0, " +
                std::to_string(spec.n_targets) + ")");
    }
    spec.leaves.push_back(TreeLeafSpec{{{leaf_targets[k], leaf_weights.ValueAsDouble(static_cast<int64_t>(k))}}});
  }

  // Membership sets, NaN-separated, one per BRANCH_MEMBER node in order.
  std::vector<std::vector<double>> sets(1);
  if (members) {
    for (int64_t k = 0; k < members->size(); ++k) {
      double v = members->ValueAsDouble(k);
      if (std::isnan(v)) {
        sets.emplace_back();
      } else {
        sets.back().push_back(v);
      }
    }
  }
  size_t next_set = 0;
  const uint8_t* mode_values = modes.data<uint8_t>();
  auto child = [&](const std::string& ids_name, const std::string& leafs_name, size_t i, int64_t id, int64_t leaf) {
    size_t limit = leaf ? spec.leaves.size() : n;
    if (id < 0 || static_cast<size_t>(id) >= limit) {
      info.Fail(At(ids_name, i) + " = " + std::to_string(id) + " is outside [0, " + std::to_string(limit) + ") (" +
                (leaf ? "a leaf index, as '" + leafs_name + "' says" : "a node index") + ")");
    }
    return TreeChild{leaf != 0, id};
  };
  for (size_t i = 0; i < n; ++i) {
    TreeSplitSpec split;
    CheckFeature(info, "nodes_featureids", i, features[i]);
    split.feature = features[i];
    split.threshold = splits.ValueAsDouble(static_cast<int64_t>(i));
    if (mode_values[i] > 6) {
      info.Fail(At("nodes_modes", i) + " = " + std::to_string(mode_values[i]) + "; expected 0 to 6");
    }
    split.mode = static_cast<NodeMode>(mode_values[i]);
    if (split.mode == NodeMode::kMember) {
      if (!members || next_set >= sets.size()) {
        info.Fail(At("nodes_modes", i) + " is BRANCH_MEMBER but 'membership_values' has no set left for it");
      }
      split.members = sets[next_set++];
    }
    split.missing_goes_true = !missing.empty() && missing[i] != 0;
    split.true_child = child("nodes_truenodeids", "nodes_trueleafs", i, true_ids[i], true_leafs[i]);
    split.false_child = child("nodes_falsenodeids", "nodes_falseleafs", i, false_ids[i], false_leafs[i]);
    split.source_index = static_cast<int64_t>(i);
    spec.splits.push_back(std::move(split));
  }
  for (size_t k = 0; k < roots.size(); ++k) {
    if (roots[k] < 0 || static_cast<size_t>(roots[k]) >= n) {
      info.Fail(At("tree_roots", k) + " = " + std::to_string(roots[k]) + " is outside [0, " + std::to_string(n) + ")");
    }
    spec.roots.push_back(TreeChild{false, roots[k]});
  }
  return spec;
}

}  // namespace cairn::runtime::ml
