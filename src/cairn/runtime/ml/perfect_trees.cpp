#include "cairn/runtime/ml/perfect_trees.h"

#include <algorithm>
#include <utility>

namespace cairn::runtime::ml {
namespace {

template <NodeMode kMode>
inline bool GoesTrue(float x, float threshold) {
  if constexpr (kMode == NodeMode::kEq) {
    return x == threshold;
  } else {
    return x <= threshold;
  }
}

// Padding may grow the nodes this many times over (plus a little for tiny
// ensembles) before the linked layout is the better deal.
constexpr int64_t kPaddingFactor = 8;
constexpr int64_t kPaddingAllowance = 1024;

}  // namespace

std::unique_ptr<PerfectTrees> PerfectTrees::Build(const NormalizedTrees& trees) {
  if (!trees.uniform_mode) return nullptr;
  int64_t padded = 0;
  for (const NormalizedTree& tree : trees.trees) {
    if (tree.depth > kMaxDepth) return nullptr;
    padded += (int64_t{2} << tree.depth) - 1;
  }
  if (padded > kPaddingFactor * static_cast<int64_t>(trees.nodes.size()) + kPaddingAllowance) return nullptr;

  auto out = std::unique_ptr<PerfectTrees>(new PerfectTrees());
  out->mode_ = trees.split_mode;
  // Storage by depth, so that the trees of a lane group sit at a fixed stride.
  out->by_depth_.resize(trees.trees.size());
  for (size_t i = 0; i < out->by_depth_.size(); ++i) out->by_depth_[i] = static_cast<int32_t>(i);
  std::stable_sort(out->by_depth_.begin(), out->by_depth_.end(),
                   [&](int32_t a, int32_t b) { return trees.trees[a].depth < trees.trees[b].depth; });
  out->trees_.resize(trees.trees.size());
  struct Pending {
    int32_t node;   // in trees.nodes
    int64_t place;  // heap position in the perfect tree
    int32_t level;
  };
  std::vector<Pending> stack;
  for (int32_t index : out->by_depth_) {
    const NormalizedTree& tree = trees.trees[static_cast<size_t>(index)];
    const int64_t inner = (int64_t{1} << tree.depth) - 1;
    Tree t{static_cast<int64_t>(out->nodes_.size()), static_cast<int64_t>(out->slots_.size()), tree.depth};
    out->nodes_.resize(out->nodes_.size() + static_cast<size_t>(inner), Node{0.0f, 0u});
    out->missing_.resize(out->nodes_.size(), 0);
    out->slots_.resize(out->slots_.size() + static_cast<size_t>(inner + 1), -1);
    stack.push_back({tree.root, 0, 0});
    while (!stack.empty()) {
      Pending p = stack.back();
      stack.pop_back();
      const NormalizedNode& node = trees.nodes[static_cast<size_t>(p.node)];
      if (p.level == tree.depth) {
        // The depth is the deepest leaf's, so only leaves get here.
        out->slots_[static_cast<size_t>(t.first_slot + p.place - inner)] = node.leaf;
        continue;
      }
      if (node.is_leaf()) {
        // Pushed down under a dummy split (feature 0, threshold 0).
        stack.push_back({p.node, 2 * p.place + 1, p.level + 1});
        stack.push_back({p.node, 2 * p.place + 2, p.level + 1});
        continue;
      }
      out->nodes_[static_cast<size_t>(t.first_node + p.place)] = Node{node.threshold, node.feature};
      out->missing_[static_cast<size_t>(t.first_node + p.place)] = node.missing_true ? 1 : 0;
      stack.push_back({node.true_child, 2 * p.place + 1, p.level + 1});
      stack.push_back({node.false_child, 2 * p.place + 2, p.level + 1});
    }
    out->trees_[static_cast<size_t>(index)] = t;
  }

  for (size_t i = 0; i < out->by_depth_.size();) {
    const Tree& first = out->trees_[static_cast<size_t>(out->by_depth_[i])];
    size_t end = i;
    while (end < out->by_depth_.size() && end - i < kTreeLanes &&
           out->trees_[static_cast<size_t>(out->by_depth_[end])].depth == first.depth) {
      ++end;
    }
    out->groups_.push_back(
        {static_cast<int32_t>(i), static_cast<int32_t>(end - i), first.depth, first.first_node, first.first_slot});
    i = end;
  }
  return out;
}

// One level for `lanes` walks (kLanes of them when it is not 0, so that the
// loop unrolls): walk l is at heap position at[l] of the tree at
// nodes + l * node_stride, reading the row at row + l * row_stride.
template <NodeMode kMode, bool kNan, int kLanes, typename Node>
inline void StepLanes(const Node* nodes, const uint8_t* missing, int64_t node_stride, const float* row,
                      int64_t row_stride, int lanes, int32_t* at) {
  const int n = kLanes > 0 ? kLanes : lanes;
#pragma GCC unroll 32
  for (int l = 0; l < n; ++l) {
    const int32_t i = at[l];
    const Node node = nodes[l * node_stride + i];
    const float v = row[l * row_stride + node.feature];
    bool to_true = GoesTrue<kMode>(v, node.threshold);
    if constexpr (kNan) to_true = to_true | ((missing[l * node_stride + i] != 0) & (v != v));
    at[l] = 2 * i + 2 - static_cast<int32_t>(to_true);
  }
}

template <NodeMode kMode, bool kNan>
void PerfectTrees::WalkRowsWith(const Tree& tree, const float* x, int64_t cols, int lanes, int32_t* leaves) const {
  const Node* nodes = nodes_.data() + tree.first_node;
  const uint8_t* missing = missing_.data() + tree.first_node;
  // leaves[] holds the heap positions until the walk ends.
  std::fill(leaves, leaves + lanes, 0);
  constexpr int kChunk = 16;
  const int full = lanes - lanes % kChunk;
  for (int32_t level = 0; level < tree.depth; ++level) {
    for (int l = 0; l < full; l += kChunk) {
      StepLanes<kMode, kNan, kChunk>(nodes, missing, 0, x + l * cols, cols, kChunk, leaves + l);
    }
    if (full < lanes) StepLanes<kMode, kNan, 0>(nodes, missing, 0, x + full * cols, cols, lanes - full, leaves + full);
  }
  const int32_t* slots = slots_.data() + tree.first_slot;
  const int32_t inner = (int32_t{1} << tree.depth) - 1;
  for (int l = 0; l < lanes; ++l) leaves[l] = slots[leaves[l] - inner];
}

template <NodeMode kMode, bool kNan>
void PerfectTrees::WalkTreesWith(const float* row, int32_t* leaves) const {
  int32_t at[kTreeLanes];
  for (const LaneGroup& group : groups_) {
    const int64_t inner = (int64_t{1} << group.depth) - 1;
    const Node* nodes = nodes_.data() + group.first_node;
    const uint8_t* missing = missing_.data() + group.first_node;
    std::fill(at, at + group.lanes, 0);
    for (int32_t level = 0; level < group.depth; ++level) {
      if (group.lanes == kTreeLanes) {
        StepLanes<kMode, kNan, kTreeLanes>(nodes, missing, inner, row, 0, kTreeLanes, at);
      } else {
        StepLanes<kMode, kNan, 0>(nodes, missing, inner, row, 0, group.lanes, at);
      }
    }
    const int32_t* slots = slots_.data() + group.first_slot;
    const int32_t* trees = by_depth_.data() + group.first;
    for (int l = 0; l < group.lanes; ++l, slots += inner + 1) leaves[trees[l]] = slots[at[l] - inner];
  }
}

void PerfectTrees::WalkRows(size_t tree, const float* x, int64_t cols, int lanes, bool nan_rows,
                            int32_t* leaves) const {
  const Tree& t = trees_[tree];
  if (mode_ == NodeMode::kEq) {
    nan_rows ? WalkRowsWith<NodeMode::kEq, true>(t, x, cols, lanes, leaves)
             : WalkRowsWith<NodeMode::kEq, false>(t, x, cols, lanes, leaves);
  } else {
    nan_rows ? WalkRowsWith<NodeMode::kLeq, true>(t, x, cols, lanes, leaves)
             : WalkRowsWith<NodeMode::kLeq, false>(t, x, cols, lanes, leaves);
  }
}

void PerfectTrees::WalkTrees(const float* row, bool nan_row, int32_t* leaves) const {
  if (mode_ == NodeMode::kEq) {
    nan_row ? WalkTreesWith<NodeMode::kEq, true>(row, leaves) : WalkTreesWith<NodeMode::kEq, false>(row, leaves);
  } else {
    nan_row ? WalkTreesWith<NodeMode::kLeq, true>(row, leaves) : WalkTreesWith<NodeMode::kLeq, false>(row, leaves);
  }
}

}  // namespace cairn::runtime::ml
