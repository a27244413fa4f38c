// The encoding-neutral description of a tree ensemble that the attribute
// readers produce: splits, leaves, roots and how leaf weights combine. It is
// checked for well-formed references; structure (cycles, depth) is checked
// when the trees are compiled.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "cairn/runtime/kernel.h"

namespace cairn::runtime::ml {

// The numbering of TreeEnsemble's nodes_modes (opset 5).
enum class NodeMode : uint8_t { kLeq, kLt, kGte, kGt, kEq, kNeq, kMember };
enum class Aggregate { kSum, kAverage, kMin, kMax };

// A reference from a split (or a tree root) to a split or a leaf of the spec.
struct TreeChild {
  bool is_leaf = false;
  int64_t index = 0;
};

struct TreeSplitSpec {
  int64_t feature = 0;
  double threshold = 0;
  NodeMode mode = NodeMode::kLeq;
  bool missing_goes_true = false;
  TreeChild true_child;
  TreeChild false_child;
  std::vector<double> members;  // kMember only
  int64_t source_index = 0;      // position in the nodes_* attributes, for messages
};

struct TreeLeafSpec {
  std::vector<std::pair<int64_t, double>> entries;  // (target, weight)
};

struct TreeEnsembleSpec {
  std::vector<TreeSplitSpec> splits;
  std::vector<TreeLeafSpec> leaves;
  std::vector<TreeChild> roots;
  int64_t n_targets = 1;
  Aggregate aggregate = Aggregate::kSum;
};

// Readers of the two attribute encodings; every length, mode, id and range
// is checked here (kInvalidInput naming the node and the attribute).
// `weight_prefix` is "target_" for the regressor and "class_" for the
// classifier; `n_targets` is the output width (targets or classes).
TreeEnsembleSpec ReadLegacyTreeAttributes(const KernelInfo& info, const std::string& weight_prefix, int64_t n_targets);
// TreeEnsemble (ai.onnx.ml opset 5).
TreeEnsembleSpec ReadTreeEnsembleV5Attributes(const KernelInfo& info);

}  // namespace cairn::runtime::ml
