#include "cairn/runtime/ml/tree_ensemble.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

namespace cairn::runtime::ml {
namespace {

// Walks deeper than this are refused: they would only come from damaged or
// adversarial models, and every row pays the depth of every tree.
constexpr int32_t kMaxDepth = 4096;

// A double threshold as the float that gives the same comparison result for
// every float input, so float rows never flip a branch near the split.
float ThresholdForFloatInputs(double t, NodeMode mode) {
  if (std::isnan(t)) return std::numeric_limits<float>::quiet_NaN();
  float f = static_cast<float>(t);
  if (static_cast<double>(f) == t) return f;
  constexpr float kInf = std::numeric_limits<float>::infinity();
  switch (mode) {
    case NodeMode::kLeq:
    case NodeMode::kGt:
      // Largest float <= t.
      return static_cast<double>(f) > t ? std::nextafter(f, -kInf) : f;
    case NodeMode::kLt:
    case NodeMode::kGte:
      // Smallest float >= t.
      return static_cast<double>(f) < t ? std::nextafter(f, kInf) : f;
    case NodeMode::kEq:
    case NodeMode::kNeq:
    case NodeMode::kMember:
      // No float equals t: NaN makes EQ always false and NEQ always true.
      return std::numeric_limits<float>::quiet_NaN();
  }
  return f;
}

template <NodeMode kMode>
inline bool Compare(float x, float t) {
  if constexpr (kMode == NodeMode::kLeq) return x <= t;
  if constexpr (kMode == NodeMode::kLt) return x < t;
  if constexpr (kMode == NodeMode::kGte) return x >= t;
  if constexpr (kMode == NodeMode::kGt) return x > t;
  if constexpr (kMode == NodeMode::kEq) return x == t;
  if constexpr (kMode == NodeMode::kNeq) return x != t;
  return false;
}

}  // namespace

CompiledTrees::CompiledTrees(const KernelInfo& info, const TreeEnsembleSpec& spec)
    : n_targets_(spec.n_targets), aggregate_(spec.aggregate) {
  std::vector<uint8_t> visited(spec.splits.size(), 0);
  std::vector<NodeMode> modes;
  std::vector<std::vector<float>> member_sets;
  std::vector<std::vector<std::pair<int64_t, double>>> leaf_entries;  // per node, leaves only
  int64_t max_feature = -1;

  struct Pending {
    TreeChild child;
    int32_t parent;  // -1 for the root
    bool is_true;
    int32_t depth;
  };
  std::vector<Pending> stack;
  for (size_t tree = 0; tree < spec.roots.size(); ++tree) {
    int32_t root = static_cast<int32_t>(nodes_.size());
    int32_t depth = 0;
    stack.push_back({spec.roots[tree], -1, true, 0});
    while (!stack.empty()) {
      Pending p = stack.back();
      stack.pop_back();
      if (nodes_.size() >= static_cast<size_t>(std::numeric_limits<int32_t>::max() / 2)) {
        info.Fail("the trees have too many nodes to compile");
      }
      int32_t index = static_cast<int32_t>(nodes_.size());
      if (p.child.is_leaf) {
        nodes_.push_back(Node{0.0f, 0u, index, index});
        modes.push_back(NodeMode::kLeq);
        member_sets.emplace_back();
        leaf_entries.push_back(spec.leaves[static_cast<size_t>(p.child.index)].entries);
        depth = std::max(depth, p.depth);
      } else {
        const TreeSplitSpec& split = spec.splits[static_cast<size_t>(p.child.index)];
        if (visited[static_cast<size_t>(p.child.index)]) {
          info.Fail("tree " + std::to_string(tree) + ": the node at position " + std::to_string(split.source_index) +
                    " of the nodes_* attributes is reached twice (a cycle or a shared subtree)");
        }
        if (p.depth >= kMaxDepth) {
          info.Fail("tree " + std::to_string(tree) + " is deeper than " + std::to_string(kMaxDepth) + " levels");
        }
        visited[static_cast<size_t>(p.child.index)] = 1;
        uint32_t feature = static_cast<uint32_t>(split.feature) | (split.missing_goes_true ? kMissingBit : 0u);
        nodes_.push_back(Node{ThresholdForFloatInputs(split.threshold, split.mode), feature, -1, -1});
        modes.push_back(split.mode);
        std::vector<float> members;
        if (split.mode == NodeMode::kMember) {
          for (double m : split.members) {
            float f = static_cast<float>(m);
            if (static_cast<double>(f) == m) members.push_back(f);
          }
          std::sort(members.begin(), members.end());
        }
        member_sets.push_back(std::move(members));
        leaf_entries.emplace_back();
        max_feature = std::max(max_feature, split.feature);
        any_missing_true_ = any_missing_true_ || split.missing_goes_true;
        // False first, so the true subtree is laid out right after its parent.
        stack.push_back({split.false_child, index, false, p.depth + 1});
        stack.push_back({split.true_child, index, true, p.depth + 1});
      }
      if (p.parent >= 0) {
        (p.is_true ? nodes_[p.parent].true_child : nodes_[p.parent].false_child) = index;
      }
    }
    roots_.push_back(root);
    depths_.push_back(depth);
  }

  // A split no root reaches is a cycle cut off from its tree, or a node
  // listed under the wrong tree.
  for (size_t i = 0; i < visited.size(); ++i) {
    if (!visited[i]) {
      info.Fail("the node at position " + std::to_string(spec.splits[i].source_index) +
                " of the nodes_* attributes is not reachable from any tree root (a cycle or a detached node)");
    }
  }
  for (size_t g = 0; g < roots_.size(); g += kTreeLanes) {
    size_t end = std::min(roots_.size(), g + kTreeLanes);
    lane_group_depths_.push_back(*std::max_element(depths_.begin() + g, depths_.begin() + end));
  }
  required_features_ = max_feature + 1;
  // Leaves read feature 0 (their result is ignored), so rows need one column.
  if (!nodes_.empty()) required_features_ = std::max<int64_t>(required_features_, 1);

  for (size_t i = 0; i < modes.size(); ++i) {
    bool is_leaf = nodes_[i].true_child == static_cast<int32_t>(i) && nodes_[i].false_child == static_cast<int32_t>(i);
    if (is_leaf) continue;
    if (uniform_mode_ && modes[i] != modes.front()) uniform_mode_ = false;
  }
  // The first node may be a leaf; take the mode of the first split.
  for (size_t i = 0; i < modes.size(); ++i) {
    if (nodes_[i].true_child != static_cast<int32_t>(i)) {
      mode_ = modes[i];
      break;
    }
  }
  if (!uniform_mode_ || mode_ == NodeMode::kMember) {
    uniform_mode_ = false;
    modes_ = std::move(modes);
    member_begin_.push_back(0);
    for (const auto& set : member_sets) {
      member_values_.insert(member_values_.end(), set.begin(), set.end());
      member_begin_.push_back(static_cast<int32_t>(member_values_.size()));
    }
  }

  // Leaves: one weight for one common target goes into the node itself.
  single_weight_ = true;
  bool target_known = false;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    bool is_leaf = nodes_[i].true_child == static_cast<int32_t>(i);
    if (!is_leaf) continue;
    const auto& entries = leaf_entries[i];
    if (entries.size() != 1 || (target_known && entries[0].first != single_target_)) {
      single_weight_ = false;
      break;
    }
    single_target_ = entries[0].first;
    target_known = true;
  }
  if (single_weight_) {
    for (size_t i = 0; i < nodes_.size(); ++i) {
      if (nodes_[i].true_child == static_cast<int32_t>(i)) {
        nodes_[i].threshold = static_cast<float>(leaf_entries[i][0].second);
      }
    }
  } else {
    entry_begin_.push_back(0);
    for (const auto& entries : leaf_entries) {
      for (const auto& [target, weight] : entries) {
        entry_target_.push_back(static_cast<int32_t>(target));
        entry_weight_.push_back(weight);
      }
      entry_begin_.push_back(static_cast<int32_t>(entry_target_.size()));
    }
  }
}

bool CompiledTrees::InMemberSet(int32_t node, float x) const {
  // NaN is in no set (and would satisfy binary_search's equivalence test).
  if (std::isnan(x)) return false;
  auto begin = member_values_.begin() + member_begin_[node];
  auto end = member_values_.begin() + member_begin_[node + 1];
  return std::binary_search(begin, end, x);
}

void CompiledTrees::Accumulate(int32_t leaf, double* row_scores, uint8_t* row_has) const {
  auto add = [&](int64_t target, double weight) {
    double& score = row_scores[target];
    uint8_t& seen = row_has[target];
    switch (aggregate_) {
      case Aggregate::kSum:
      case Aggregate::kAverage: score += weight; break;
      case Aggregate::kMin: score = seen ? std::min(score, weight) : weight; break;
      case Aggregate::kMax: score = seen ? std::max(score, weight) : weight; break;
    }
    seen = 1;
  };
  if (single_weight_) {
    add(single_target_, nodes_[leaf].threshold);
    return;
  }
  for (int32_t e = entry_begin_[leaf]; e < entry_begin_[leaf + 1]; ++e) add(entry_target_[e], entry_weight_[e]);
}

// One step of a walk for ensembles whose splits share one comparison.
template <NodeMode kMode, bool kMissing>
struct UniformStep {
  template <typename Node>
  int32_t operator()(const Node& n, int32_t, const float* row) const {
    float x = row[n.feature & 0x7fffffffu];
    bool go_true = Compare<kMode>(x, n.threshold);
    if constexpr (kMissing) go_true = go_true || ((n.feature >> 31) != 0 && std::isnan(x));
    return go_true ? n.true_child : n.false_child;
  }
};

// One step for mixed modes and set membership.
struct GeneralStep {
  const CompiledTrees* trees;
  template <typename Node>
  int32_t operator()(const Node& n, int32_t index, const float* row) const {
    float x = row[n.feature & 0x7fffffffu];
    bool go_true = false;
    switch (trees->modes_[index]) {
      case NodeMode::kLeq: go_true = x <= n.threshold; break;
      case NodeMode::kLt: go_true = x < n.threshold; break;
      case NodeMode::kGte: go_true = x >= n.threshold; break;
      case NodeMode::kGt: go_true = x > n.threshold; break;
      case NodeMode::kEq: go_true = x == n.threshold; break;
      case NodeMode::kNeq: go_true = x != n.threshold; break;
      case NodeMode::kMember: go_true = trees->InMemberSet(index, x); break;
    }
    go_true = go_true || ((n.feature >> 31) != 0 && std::isnan(x));
    return go_true ? n.true_child : n.false_child;
  }
};

template <typename Step>
void CompiledTrees::EvaluateWith(const Step& step, const float* x, int64_t rows, int64_t cols, double* scores,
                                 uint8_t* has) const {
  const Node* nodes = nodes_.data();
  const int64_t t = n_targets_;
  // Fast accumulation applies to sums into one target.
  const bool fast_sum = single_weight_ && (aggregate_ == Aggregate::kSum || aggregate_ == Aggregate::kAverage);
  const size_t n_trees = roots_.size();
  int32_t idx[kBlockRows > kTreeLanes ? kBlockRows : kTreeLanes];
  const float* lane_rows[kBlockRows > kTreeLanes ? kBlockRows : kTreeLanes];

  if (rows < 8) {
    // Few rows: walk up to kTreeLanes trees of one row at once.
    for (int64_t r = 0; r < rows; ++r) {
      const float* row = x + r * cols;
      double* row_scores = scores + r * t;
      uint8_t* row_has = has + r * t;
      for (size_t g = 0, group = 0; g < n_trees; g += kTreeLanes, ++group) {
        int lanes = static_cast<int>(std::min<size_t>(kTreeLanes, n_trees - g));
        for (int l = 0; l < lanes; ++l) idx[l] = roots_[g + l];
        for (int32_t d = lane_group_depths_[group]; d > 0; --d) {
          for (int l = 0; l < lanes; ++l) idx[l] = step(nodes[idx[l]], idx[l], row);
        }
        if (fast_sum) {
          double sum = 0;
          for (int l = 0; l < lanes; ++l) sum += nodes[idx[l]].threshold;
          row_scores[single_target_] += sum;
        } else {
          for (int l = 0; l < lanes; ++l) Accumulate(idx[l], row_scores, row_has);
        }
      }
      if (fast_sum && n_trees > 0) row_has[single_target_] = 1;
    }
    return;
  }

  // Batches: blocks of rows walk each tree in lock step.
  for (int64_t r0 = 0; r0 < rows; r0 += kBlockRows) {
    int lanes = static_cast<int>(std::min<int64_t>(kBlockRows, rows - r0));
    for (int l = 0; l < lanes; ++l) lane_rows[l] = x + (r0 + l) * cols;
    double* block_scores = scores + r0 * t;
    uint8_t* block_has = has + r0 * t;
    for (size_t tree = 0; tree < n_trees; ++tree) {
      const int32_t root = roots_[tree];
      for (int l = 0; l < lanes; ++l) idx[l] = root;
      for (int32_t d = depths_[tree]; d > 0; --d) {
        for (int l = 0; l < lanes; ++l) idx[l] = step(nodes[idx[l]], idx[l], lane_rows[l]);
      }
      if (fast_sum) {
        for (int l = 0; l < lanes; ++l) block_scores[l * t + single_target_] += nodes[idx[l]].threshold;
      } else {
        for (int l = 0; l < lanes; ++l) Accumulate(idx[l], block_scores + l * t, block_has + l * t);
      }
    }
    if (fast_sum && n_trees > 0) {
      for (int l = 0; l < lanes; ++l) block_has[l * t + single_target_] = 1;
    }
  }
}

void CompiledTrees::Evaluate(const float* x, int64_t rows, int64_t cols, double* scores, uint8_t* has) const {
  if (!uniform_mode_) {
    EvaluateWith(GeneralStep{this}, x, rows, cols, scores, has);
    return;
  }
  auto run = [&](auto mode_tag) {
    constexpr NodeMode kMode = decltype(mode_tag)::value;
    if (any_missing_true_) {
      EvaluateWith(UniformStep<kMode, true>{}, x, rows, cols, scores, has);
    } else {
      EvaluateWith(UniformStep<kMode, false>{}, x, rows, cols, scores, has);
    }
  };
  switch (mode_) {
    case NodeMode::kLeq: run(std::integral_constant<NodeMode, NodeMode::kLeq>{}); break;
    case NodeMode::kLt: run(std::integral_constant<NodeMode, NodeMode::kLt>{}); break;
    case NodeMode::kGte: run(std::integral_constant<NodeMode, NodeMode::kGte>{}); break;
    case NodeMode::kGt: run(std::integral_constant<NodeMode, NodeMode::kGt>{}); break;
    case NodeMode::kEq: run(std::integral_constant<NodeMode, NodeMode::kEq>{}); break;
    case NodeMode::kNeq: run(std::integral_constant<NodeMode, NodeMode::kNeq>{}); break;
    case NodeMode::kMember: EvaluateWith(GeneralStep{this}, x, rows, cols, scores, has); break;
  }
}

}  // namespace cairn::runtime::ml
