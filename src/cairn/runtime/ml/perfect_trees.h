// The fast layout for shallow trees whose splits share one comparison: each
// tree padded to a perfect binary tree of its depth and stored in heap order
// (node i has children 2i+1 and 2i+2), so a step is a load, a compare and
// `i = 2i + 2 - went_true`, with no child pointers and no branches.
//
// A leaf above the bottom level is pushed down: the node in its place is a
// dummy split whose two subtrees both end in copies of that leaf, so whatever
// the dummy compares, the walk ends on the same leaf.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "cairn/runtime/ml/normalized_trees.h"

namespace cairn::runtime::ml {

class PerfectTrees {
 public:
  // Trees deeper than this take the linked layout: padding doubles per level.
  static constexpr int32_t kMaxDepth = 12;
  // Trees walked side by side for one row.
  static constexpr int kTreeLanes = 32;

  // Null when the ensemble does not fit: a split that is neither all kLeq nor
  // all kEq, a tree deeper than kMaxDepth, or padding that would multiply the
  // node count past a fixed budget.
  static std::unique_ptr<PerfectTrees> Build(const NormalizedTrees& trees);

  // The leaf (index into TreeEnsembleSpec::leaves) that each of `lanes` rows
  // x[l * cols ...] reaches in `tree`. `nan_rows`: some row may hold NaN, so
  // the per-node NaN direction must be honoured.
  void WalkRows(size_t tree, const float* x, int64_t cols, int lanes, bool nan_rows, int32_t* leaves) const;
  // The leaf each tree reaches for one row, in tree order.
  void WalkTrees(const float* row, bool nan_row, int32_t* leaves) const;

 private:
  struct Node {
    float threshold;
    uint32_t feature;
  };
  struct Tree {
    int64_t first_node;
    int64_t first_slot;
    int32_t depth;
  };
  // Trees of one depth, stored one after another, walked together by
  // WalkTrees.
  struct LaneGroup {
    int32_t first;  // into by_depth_
    int32_t lanes;
    int32_t depth;
    int64_t first_node;
    int64_t first_slot;
  };
  template <NodeMode kMode, bool kNan>
  void WalkRowsWith(const Tree& tree, const float* x, int64_t cols, int lanes, int32_t* leaves) const;
  template <NodeMode kMode, bool kNan>
  void WalkTreesWith(const float* row, int32_t* leaves) const;

  NodeMode mode_ = NodeMode::kLeq;
  std::vector<Node> nodes_;
  // Per node, 1 when NaN goes to the true child: apart from the nodes, as
  // only rows holding a NaN read it.
  std::vector<uint8_t> missing_;
  std::vector<int32_t> slots_;  // leaf index per bottom-level position
  std::vector<Tree> trees_;        // in tree order
  std::vector<int32_t> by_depth_;  // tree indices sorted by depth (stable): the storage order
  std::vector<LaneGroup> groups_;
};

}  // namespace cairn::runtime::ml
