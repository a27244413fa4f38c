// The general tree layout: any depth, any mix of comparisons, set
// membership. One 16-byte record per node (threshold, feature with a
// NaN-goes-true bit, false and true child), trees depth-first. A leaf's
// children both point at itself, so a walk of exactly depth(tree) steps ends
// on the leaf from any path and the inner loop has no exit test; the child is
// picked by indexing with the comparison's result, not by a branch.
#pragma once

#include <cstdint>
#include <vector>

#include "cairn/runtime/ml/normalized_trees.h"

namespace cairn::runtime::ml {

class LinkedTrees {
 public:
  // Trees walked side by side for one row.
  static constexpr int kTreeLanes = 16;

  explicit LinkedTrees(const NormalizedTrees& trees);

  // As PerfectTrees: the leaf (index into TreeEnsembleSpec::leaves) that each
  // of `lanes` rows x[l * cols ...] reaches in `tree`, and the leaf of every
  // tree for one row.
  void WalkRows(size_t tree, const float* x, int64_t cols, int lanes, bool nan_rows, int32_t* leaves) const;
  void WalkTrees(const float* row, bool nan_row, int32_t* leaves) const;

 private:
  struct Node {
    float threshold;
    uint32_t feature;    // top bit: NaN takes the true branch
    int32_t child[2];    // [0] false, [1] true
  };
  static constexpr uint32_t kMissingBit = 0x80000000u;

  template <typename Step>
  void WalkRowsWith(const Step& step, size_t tree, const float* x, int64_t cols, int lanes, int32_t* leaves) const;
  template <typename Step>
  void WalkTreesWith(const Step& step, const float* row, int32_t* leaves) const;

  std::vector<Node> nodes_;
  std::vector<int32_t> leaf_of_;  // per node: its leaf index, -1 for splits
  std::vector<int32_t> roots_;
  std::vector<int32_t> depths_;
  std::vector<int32_t> lane_group_depths_;  // max depth of each run of kTreeLanes trees
  bool uniform_mode_ = true;
  NodeMode mode_ = NodeMode::kLeq;  // when uniform: kLeq or kEq
  std::vector<NodeMode> modes_;     // per node, only when modes differ
  // Membership sets of kMember nodes: values of node i are
  // member_values_[member_begin_[i] .. member_begin_[i + 1]), sorted.
  std::vector<int32_t> member_begin_;
  std::vector<float> member_values_;
};

}  // namespace cairn::runtime::ml
