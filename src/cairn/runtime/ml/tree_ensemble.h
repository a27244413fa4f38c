// The compiled tree ensemble behind TreeEnsembleClassifier,
// TreeEnsembleRegressor and TreeEnsemble: attributes are read once into an
// encoding-neutral spec, checked, and compiled into a compact node array that
// is evaluated over blocks of rows.
//
// Layout: every tree is laid out contiguously in depth-first order, one
// 16-byte record per node (threshold, feature with a NaN-goes-true bit, true
// and false child as absolute indices). A leaf is a node whose children both
// point at itself, so a walk of exactly depth(tree) steps ends on the leaf
// from any path and the inner loop has no exit test. When every leaf carries
// one weight for the same target (regression, binary classification, one
// class per boosting round), the weight sits in the leaf's threshold field;
// otherwise leaves index into flat (target, weight) arrays. Branch modes are
// stored per node only when they are not all the same.
//
// Evaluation keeps several independent walks in flight: for batches, up to
// kBlockRows rows walk one tree in lock step (trees in the outer loop, so a
// tree stays in cache for the whole block); for a handful of rows, up to
// kTreeLanes trees walk for one row at once.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "cairn/runtime/kernel.h"

namespace cairn::runtime::ml {

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

class CompiledTrees {
 public:
  static constexpr int kBlockRows = 64;
  static constexpr int kTreeLanes = 16;

  // kInvalidInput naming the node for cycles, shared subtrees and trees too
  // deep to walk.
  CompiledTrees(const KernelInfo& info, const TreeEnsembleSpec& spec);

  int64_t n_targets() const { return n_targets_; }
  int64_t n_trees() const { return static_cast<int64_t>(roots_.size()); }
  Aggregate aggregate() const { return aggregate_; }
  // Features a row must have (largest feature index + 1).
  int64_t required_features() const { return required_features_; }

  // Aggregated leaf weights of `rows` rows of `x` (row-major, `cols` >=
  // required_features()) into scores[rows * n_targets]: sums for kSum and
  // kAverage (not yet divided), extremes for kMin and kMax. has[rows *
  // n_targets] is set to 1 where some leaf reached gave the target a weight.
  void Evaluate(const float* x, int64_t rows, int64_t cols, double* scores, uint8_t* has) const;

 private:
  struct Node {
    float threshold;
    uint32_t feature;  // top bit: NaN takes the true branch
    int32_t true_child;
    int32_t false_child;
  };
  static constexpr uint32_t kMissingBit = 0x80000000u;
  static constexpr uint32_t kFeatureMask = 0x7fffffffu;

  template <typename Step>
  void EvaluateWith(const Step& step, const float* x, int64_t rows, int64_t cols, double* scores, uint8_t* has) const;
  void Accumulate(int32_t leaf, double* row_scores, uint8_t* row_has) const;
  bool InMemberSet(int32_t node, float x) const;
  friend struct GeneralStep;

  std::vector<Node> nodes_;
  std::vector<int32_t> roots_;
  std::vector<int32_t> depths_;
  std::vector<int32_t> lane_group_depths_;  // max depth of each run of kTreeLanes trees
  bool uniform_mode_ = true;
  NodeMode mode_ = NodeMode::kLeq;
  std::vector<NodeMode> modes_;  // per node, only when modes differ
  bool any_missing_true_ = false;
  // Membership sets of kMember nodes: values of node i are
  // member_values_[member_begin_[i] .. member_begin_[i + 1]), sorted.
  std::vector<int32_t> member_begin_;
  std::vector<float> member_values_;
  // Leaves: either one weight for single_target_ in the leaf's threshold, or
  // entries [entry_begin_[i], entry_begin_[i + 1]) for node i.
  bool single_weight_ = true;
  int64_t single_target_ = 0;
  std::vector<int32_t> entry_begin_;
  std::vector<int32_t> entry_target_;
  std::vector<double> entry_weight_;
  int64_t n_targets_ = 1;
  Aggregate aggregate_ = Aggregate::kSum;
  int64_t required_features_ = 0;
};

}  // namespace cairn::runtime::ml
