#include "cairn/runtime/ml/linked_trees.h"

#include <algorithm>
#include <cmath>

namespace cairn::runtime::ml {
namespace {

constexpr uint32_t kFeatureMask = 0x7fffffffu;

inline bool NanGoesTrue(uint32_t feature, float x) {
  return ((feature >> 31) & static_cast<uint32_t>(x != x)) != 0;
}

// One step for ensembles whose splits share one comparison.
template <NodeMode kMode, bool kNan>
struct UniformStep {
  template <typename Node>
  int32_t operator()(const Node& n, int32_t, const float* row) const {
    const float x = row[n.feature & kFeatureMask];
    bool to_true = kMode == NodeMode::kEq ? x == n.threshold : x <= n.threshold;
    if constexpr (kNan) to_true = to_true | NanGoesTrue(n.feature, x);
    return n.child[to_true];
  }
};

// One step for mixed comparisons and set membership.
template <bool kNan>
struct MixedStep {
  const NodeMode* modes;
  const int32_t* member_begin;
  const float* member_values;

  template <typename Node>
  int32_t operator()(const Node& n, int32_t index, const float* row) const {
    const float x = row[n.feature & kFeatureMask];
    bool to_true = false;
    switch (modes[index]) {
      case NodeMode::kEq: to_true = x == n.threshold; break;
      case NodeMode::kMember:
        // NaN is in no set (and would pass binary_search's equivalence test).
        to_true = !std::isnan(x) && std::binary_search(member_values + member_begin[index],
                                                       member_values + member_begin[index + 1], x);
        break;
      default: to_true = x <= n.threshold; break;
    }
    if constexpr (kNan) to_true = to_true | NanGoesTrue(n.feature, x);
    return n.child[to_true];
  }
};

}  // namespace

LinkedTrees::LinkedTrees(const NormalizedTrees& trees)
    : uniform_mode_(trees.uniform_mode), mode_(trees.split_mode) {
  nodes_.reserve(trees.nodes.size());
  leaf_of_.reserve(trees.nodes.size());
  for (size_t i = 0; i < trees.nodes.size(); ++i) {
    const NormalizedNode& n = trees.nodes[i];
    const int32_t self = static_cast<int32_t>(i);
    if (n.is_leaf()) {
      nodes_.push_back(Node{0.0f, 0u, {self, self}});
    } else {
      const uint32_t feature = n.feature | (n.missing_true ? kMissingBit : 0u);
      nodes_.push_back(Node{n.threshold, feature, {n.false_child, n.true_child}});
    }
    leaf_of_.push_back(n.leaf);
  }
  for (const NormalizedTree& tree : trees.trees) {
    roots_.push_back(tree.root);
    depths_.push_back(tree.depth);
  }
  for (size_t g = 0; g < depths_.size(); g += kTreeLanes) {
    size_t end = std::min(depths_.size(), g + kTreeLanes);
    lane_group_depths_.push_back(*std::max_element(depths_.begin() + g, depths_.begin() + end));
  }
  if (!uniform_mode_) {
    member_begin_.push_back(0);
    for (const NormalizedNode& n : trees.nodes) {
      modes_.push_back(n.is_leaf() ? NodeMode::kLeq : n.mode);
      if (n.member_set >= 0) {
        const auto& set = trees.member_sets[static_cast<size_t>(n.member_set)];
        member_values_.insert(member_values_.end(), set.begin(), set.end());
      }
      member_begin_.push_back(static_cast<int32_t>(member_values_.size()));
    }
  }
}

template <typename Step>
void LinkedTrees::WalkRowsWith(const Step& step, size_t tree, const float* x, int64_t cols, int lanes,
                               int32_t* leaves) const {
  const Node* nodes = nodes_.data();
  // leaves[] holds node indices until the walk ends.
  std::fill(leaves, leaves + lanes, roots_[tree]);
  for (int32_t d = depths_[tree]; d > 0; --d) {
    const float* row = x;
    for (int l = 0; l < lanes; ++l, row += cols) leaves[l] = step(nodes[leaves[l]], leaves[l], row);
  }
  for (int l = 0; l < lanes; ++l) leaves[l] = leaf_of_[static_cast<size_t>(leaves[l])];
}

template <typename Step>
void LinkedTrees::WalkTreesWith(const Step& step, const float* row, int32_t* leaves) const {
  const Node* nodes = nodes_.data();
  const size_t n_trees = roots_.size();
  int32_t at[kTreeLanes];
  for (size_t g = 0, group = 0; g < n_trees; g += kTreeLanes, ++group) {
    const int lanes = static_cast<int>(std::min<size_t>(kTreeLanes, n_trees - g));
    for (int l = 0; l < lanes; ++l) at[l] = roots_[g + l];
    for (int32_t d = lane_group_depths_[group]; d > 0; --d) {
      for (int l = 0; l < lanes; ++l) at[l] = step(nodes[at[l]], at[l], row);
    }
    for (int l = 0; l < lanes; ++l) leaves[g + l] = leaf_of_[static_cast<size_t>(at[l])];
  }
}

void LinkedTrees::WalkRows(size_t tree, const float* x, int64_t cols, int lanes, bool nan_rows,
                           int32_t* leaves) const {
  if (!uniform_mode_) {
    const MixedStep<false> plain{modes_.data(), member_begin_.data(), member_values_.data()};
    const MixedStep<true> nan{modes_.data(), member_begin_.data(), member_values_.data()};
    nan_rows ? WalkRowsWith(nan, tree, x, cols, lanes, leaves) : WalkRowsWith(plain, tree, x, cols, lanes, leaves);
  } else if (mode_ == NodeMode::kEq) {
    nan_rows ? WalkRowsWith(UniformStep<NodeMode::kEq, true>{}, tree, x, cols, lanes, leaves)
             : WalkRowsWith(UniformStep<NodeMode::kEq, false>{}, tree, x, cols, lanes, leaves);
  } else {
    nan_rows ? WalkRowsWith(UniformStep<NodeMode::kLeq, true>{}, tree, x, cols, lanes, leaves)
             : WalkRowsWith(UniformStep<NodeMode::kLeq, false>{}, tree, x, cols, lanes, leaves);
  }
}

void LinkedTrees::WalkTrees(const float* row, bool nan_row, int32_t* leaves) const {
  if (!uniform_mode_) {
    const MixedStep<false> plain{modes_.data(), member_begin_.data(), member_values_.data()};
    const MixedStep<true> nan{modes_.data(), member_begin_.data(), member_values_.data()};
    nan_row ? WalkTreesWith(nan, row, leaves) : WalkTreesWith(plain, row, leaves);
  } else if (mode_ == NodeMode::kEq) {
    nan_row ? WalkTreesWith(UniformStep<NodeMode::kEq, true>{}, row, leaves)
            : WalkTreesWith(UniformStep<NodeMode::kEq, false>{}, row, leaves);
  } else {
    nan_row ? WalkTreesWith(UniformStep<NodeMode::kLeq, true>{}, row, leaves)
            : WalkTreesWith(UniformStep<NodeMode::kLeq, false>{}, row, leaves);
  }
}

}  // namespace cairn::runtime::ml
