// A checked tree ensemble in the one form both evaluation layouts compile
// from: trees depth-first, float thresholds, and every ordering comparison
// rewritten as "x <= threshold".
//
// The rewrite is exact for every float input x:
//   x <  t  ->  x <= (largest float below t)
//   x >  t  ->  !(x <= t)        children swapped, NaN direction flipped
//   x >= t  ->  !(x <  t)        likewise
//   x != t  ->  !(x == t)        children swapped, NaN goes to the old true
// so an ensemble mixing LEQ, LT, GTE and GT splits runs as one that only has
// LEQ, and the NaN direction stays a single bit per node. (A NaN threshold
// makes every ordering comparison false: it becomes "x <= NaN", unswapped.)
#pragma once

#include <cstdint>
#include <vector>

#include "cairn/runtime/kernel.h"
#include "cairn/runtime/ml/tree_ensemble_spec.h"

namespace cairn::runtime::ml {

struct NormalizedNode {
  // Splits: compare(row[feature], threshold) sends the row to true_child, else
  // to false_child; NaN goes to true_child when missing_true. mode is kLeq,
  // kEq or kMember.
  float threshold = 0;
  uint32_t feature = 0;
  NodeMode mode = NodeMode::kLeq;
  bool missing_true = false;
  int32_t true_child = -1;  // absolute node index; -1 for leaves
  int32_t false_child = -1;
  int32_t member_set = -1;  // kMember: index into NormalizedTrees::member_sets
  // Leaves: the index of the leaf in TreeEnsembleSpec::leaves; -1 for splits.
  int32_t leaf = -1;

  bool is_leaf() const { return leaf >= 0; }
};

struct NormalizedTree {
  int32_t root = 0;   // absolute node index; a tree's nodes are contiguous from here
  int32_t depth = 0;  // edges from the root to the deepest leaf
};

struct NormalizedTrees {
  std::vector<NormalizedNode> nodes;
  std::vector<NormalizedTree> trees;
  std::vector<std::vector<float>> member_sets;  // sorted, float-representable values only
  int64_t required_features = 0;  // largest feature read + 1; at least 1 when any tree has a split
  bool any_missing_true = false;
  // Every split compares with kLeq (or every split with kEq); false when modes
  // mix or a split is kMember. split_mode is meaningful only when uniform.
  bool uniform_mode = true;
  NodeMode split_mode = NodeMode::kLeq;
};

// kInvalidInput naming the node for cycles, shared subtrees, detached nodes
// and trees deeper than kMaxTreeDepth.
NormalizedTrees NormalizeTrees(const KernelInfo& info, const TreeEnsembleSpec& spec);

// Walks deeper than this are refused: they would only come from damaged or
// adversarial models, and every row pays the depth of every tree.
inline constexpr int32_t kMaxTreeDepth = 4096;

}  // namespace cairn::runtime::ml
