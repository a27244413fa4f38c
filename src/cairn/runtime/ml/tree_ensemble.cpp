#include "cairn/runtime/ml/tree_ensemble.h"

#include <algorithm>
#include <cmath>

#include "cairn/runtime/ml/linked_trees.h"
#include "cairn/runtime/ml/normalized_trees.h"
#include "cairn/runtime/ml/perfect_trees.h"

namespace cairn::runtime::ml {

CompiledTrees::CompiledTrees(const KernelInfo& info, const TreeEnsembleSpec& spec, Layout layout)
    : n_trees_(static_cast<int64_t>(spec.roots.size())), n_targets_(spec.n_targets), aggregate_(spec.aggregate) {
  NormalizedTrees trees = NormalizeTrees(info, spec);
  required_features_ = trees.required_features;
  any_missing_true_ = trees.any_missing_true;
  if (layout == Layout::kAuto) perfect_ = PerfectTrees::Build(trees);
  if (perfect_ == nullptr) linked_ = std::make_unique<LinkedTrees>(trees);

  one_entry_ = std::all_of(spec.leaves.begin(), spec.leaves.end(),
                           [](const TreeLeafSpec& leaf) { return leaf.entries.size() == 1; });
  if (one_entry_) {
    for (const TreeLeafSpec& leaf : spec.leaves) {
      leaf_target_.push_back(static_cast<int32_t>(leaf.entries[0].first));
      leaf_weight_.push_back(leaf.entries[0].second);
    }
    bool same = std::all_of(leaf_target_.begin(), leaf_target_.end(), [&](int32_t t) { return t == leaf_target_[0]; });
    if (same && !leaf_target_.empty()) uniform_target_ = leaf_target_[0];
  } else {
    entry_begin_.push_back(0);
    for (const TreeLeafSpec& leaf : spec.leaves) {
      for (const auto& [target, weight] : leaf.entries) {
        entry_target_.push_back(static_cast<int32_t>(target));
        entry_weight_.push_back(weight);
      }
      entry_begin_.push_back(static_cast<int32_t>(entry_target_.size()));
    }
  }
}

CompiledTrees::~CompiledTrees() = default;
CompiledTrees::CompiledTrees(CompiledTrees&&) noexcept = default;
CompiledTrees& CompiledTrees::operator=(CompiledTrees&&) noexcept = default;

bool CompiledTrees::HasNan(const float* x, int64_t rows, int64_t cols) const {
  for (int64_t r = 0; r < rows; ++r) {
    const float* row = x + r * cols;
    bool nan = false;
    for (int64_t c = 0; c < required_features_; ++c) nan = nan | std::isnan(row[c]);
    if (nan) return true;
  }
  return false;
}

void CompiledTrees::AddLeaves(const int32_t* leaves, int count, int64_t stride, double* scores, uint8_t* has) const {
  const bool sum = aggregate_ == Aggregate::kSum || aggregate_ == Aggregate::kAverage;
  if (one_entry_ && sum && stride == 0 && uniform_target_ >= 0) {
    // One row, one target: the running sum stays in a register (same order,
    // same rounding as adding into memory).
    double total = scores[uniform_target_];
    for (int i = 0; i < count; ++i) total += leaf_weight_[static_cast<size_t>(leaves[i])];
    scores[uniform_target_] = total;
    if (count > 0) has[uniform_target_] = 1;
    return;
  }
  if (one_entry_ && sum) {
    for (int i = 0; i < count; ++i) {
      const size_t leaf = static_cast<size_t>(leaves[i]);
      const int64_t k = i * stride + leaf_target_[leaf];
      scores[k] += leaf_weight_[leaf];
      has[k] = 1;
    }
    return;
  }
  auto add = [&](int64_t k, double weight) {
    double& score = scores[k];
    switch (aggregate_) {
      case Aggregate::kSum:
      case Aggregate::kAverage: score += weight; break;
      case Aggregate::kMin: score = has[k] ? std::min(score, weight) : weight; break;
      case Aggregate::kMax: score = has[k] ? std::max(score, weight) : weight; break;
    }
    has[k] = 1;
  };
  for (int i = 0; i < count; ++i) {
    const size_t leaf = static_cast<size_t>(leaves[i]);
    if (one_entry_) {
      add(i * stride + leaf_target_[leaf], leaf_weight_[leaf]);
      continue;
    }
    for (int32_t e = entry_begin_[leaf]; e < entry_begin_[leaf + 1]; ++e) {
      add(i * stride + entry_target_[e], entry_weight_[e]);
    }
  }
}

template <typename Trees>
void CompiledTrees::EvaluateWith(const Trees& trees, const float* x, int64_t rows, int64_t cols, double* scores,
                                 uint8_t* has) const {
  const int64_t t = n_targets_;
  if (n_trees_ == 0) return;
  if (rows < kFewRows) {
    // Few rows: all trees walk for one row, then their leaves are added in
    // tree order.
    constexpr int64_t kOnStack = 512;
    int32_t on_stack[kOnStack];
    std::vector<int32_t> on_heap;
    int32_t* leaves = on_stack;
    if (n_trees_ > kOnStack) {
      on_heap.resize(static_cast<size_t>(n_trees_));
      leaves = on_heap.data();
    }
    for (int64_t r = 0; r < rows; ++r) {
      const float* row = x + r * cols;
      trees.WalkTrees(row, any_missing_true_ && HasNan(row, 1, cols), leaves);
      AddLeaves(leaves, static_cast<int>(n_trees_), 0, scores + r * t, has + r * t);
    }
    return;
  }
  // Batches: blocks of rows walk each tree in lock step.
  int32_t leaves[kBlockRows];
  for (int64_t r0 = 0; r0 < rows; r0 += kBlockRows) {
    const int lanes = static_cast<int>(std::min<int64_t>(kBlockRows, rows - r0));
    const float* block = x + r0 * cols;
    const bool nan_rows = any_missing_true_ && HasNan(block, lanes, cols);
    for (int64_t tree = 0; tree < n_trees_; ++tree) {
      trees.WalkRows(static_cast<size_t>(tree), block, cols, lanes, nan_rows, leaves);
      AddLeaves(leaves, lanes, t, scores + r0 * t, has + r0 * t);
    }
  }
}

void CompiledTrees::Evaluate(const float* x, int64_t rows, int64_t cols, double* scores, uint8_t* has) const {
  if (perfect_ != nullptr) {
    EvaluateWith(*perfect_, x, rows, cols, scores, has);
  } else {
    EvaluateWith(*linked_, x, rows, cols, scores, has);
  }
}

}  // namespace cairn::runtime::ml
