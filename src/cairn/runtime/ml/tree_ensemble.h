// The compiled tree ensemble behind TreeEnsembleClassifier,
// TreeEnsembleRegressor and TreeEnsemble: attributes are read once into a
// TreeEnsembleSpec, normalized (normalized_trees.h) and compiled into one of
// two layouts, then evaluated over blocks of rows.
//
// Layouts: PerfectTrees (heap-ordered padded trees, no child pointers) when
// every tree is shallow and the splits share one comparison, which covers
// gradient-boosted and random-forest exports; LinkedTrees (node records with
// child indices) for everything else. Both are branch-free per step.
//
// Evaluation keeps several independent walks in flight: for batches, up to
// kBlockRows rows walk one tree in lock step (trees in the outer loop, so a
// tree stays in cache for the whole block); for a handful of rows, a group of
// trees walks for one row at once. Leaf weights are added to each row's
// scores in tree order in both cases, in double, so the result does not
// depend on the batch size or the layout.
//
// NaN: a split's NaN direction is a bit on the node, tested only in blocks
// whose rows hold a NaN among the features the trees read.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "cairn/runtime/kernel.h"
#include "cairn/runtime/ml/tree_ensemble_spec.h"

namespace cairn::runtime::ml {

class PerfectTrees;
class LinkedTrees;

class CompiledTrees {
 public:
  static constexpr int kBlockRows = 128;
  // Below this many rows, trees (not rows) are walked side by side.
  static constexpr int64_t kFewRows = 16;

  enum class Layout { kAuto, kLinked };

  // kInvalidInput naming the node for cycles, shared subtrees and trees too
  // deep to walk. kLinked forces the general layout (tests compare the two).
  CompiledTrees(const KernelInfo& info, const TreeEnsembleSpec& spec, Layout layout = Layout::kAuto);
  ~CompiledTrees();
  CompiledTrees(CompiledTrees&&) noexcept;
  CompiledTrees& operator=(CompiledTrees&&) noexcept;

  int64_t n_targets() const { return n_targets_; }
  int64_t n_trees() const { return n_trees_; }
  Aggregate aggregate() const { return aggregate_; }
  // Features a row must have (largest feature index + 1).
  int64_t required_features() const { return required_features_; }
  bool uses_perfect_layout() const { return perfect_ != nullptr; }

  // Aggregated leaf weights of `rows` rows of `x` (row-major, `cols` >=
  // required_features()) into scores[rows * n_targets], which the caller
  // zero-fills: sums for kSum and kAverage (not yet divided), extremes for
  // kMin and kMax. has[rows * n_targets] (zero-filled too) is set to 1 where
  // some leaf reached gave the target a weight.
  void Evaluate(const float* x, int64_t rows, int64_t cols, double* scores, uint8_t* has) const;

 private:
  template <typename Trees>
  void EvaluateWith(const Trees& trees, const float* x, int64_t rows, int64_t cols, double* scores,
                    uint8_t* has) const;
  // Adds the leaves `leaves[0 .. count)` reached by rows whose scores start
  // `stride` apart (one row and many trees: stride 0).
  void AddLeaves(const int32_t* leaves, int count, int64_t stride, double* scores, uint8_t* has) const;
  bool HasNan(const float* x, int64_t rows, int64_t cols) const;

  std::unique_ptr<PerfectTrees> perfect_;
  std::unique_ptr<LinkedTrees> linked_;
  // Leaves, by index in TreeEnsembleSpec::leaves: one (target, weight) each
  // when one_entry_, else entries [entry_begin_[i], entry_begin_[i + 1]).
  bool one_entry_ = true;
  std::vector<int32_t> leaf_target_;
  std::vector<double> leaf_weight_;
  int32_t uniform_target_ = -1;  // the target of every leaf, when one_entry_ and they agree
  std::vector<int32_t> entry_begin_;
  std::vector<int32_t> entry_target_;
  std::vector<double> entry_weight_;
  int64_t n_trees_ = 0;
  int64_t n_targets_ = 1;
  Aggregate aggregate_ = Aggregate::kSum;
  int64_t required_features_ = 0;
  bool any_missing_true_ = false;
};

}  // namespace cairn::runtime::ml
