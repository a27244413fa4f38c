// CompiledTrees against a reference walk written straight from the ONNX
// definition (float inputs compared with double thresholds, NaN direction per
// node, leaf weights added in tree order): both layouts, both the few-rows and
// the block path, bit for bit, on hand-made edge cases and random ensembles.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <random>

#include "cairn/core/error.h"
#include "cairn/runtime/ml/perfect_trees.h"
#include "cairn/runtime/ml/tree_ensemble.h"

namespace cairn::runtime::ml {
namespace {

constexpr float kNan = std::numeric_limits<float>::quiet_NaN();

// Builds specs tree by tree: Split() and Leaf() return children to wire up.
struct SpecBuilder {
  TreeEnsembleSpec spec;

  TreeChild Leaf(double weight, int64_t target = 0) {
    spec.leaves.push_back(TreeLeafSpec{{{target, weight}}});
    return TreeChild{true, static_cast<int64_t>(spec.leaves.size() - 1)};
  }
  TreeChild LeafWith(std::vector<std::pair<int64_t, double>> entries) {
    spec.leaves.push_back(TreeLeafSpec{std::move(entries)});
    return TreeChild{true, static_cast<int64_t>(spec.leaves.size() - 1)};
  }
  TreeChild Split(int64_t feature, double threshold, NodeMode mode, TreeChild yes, TreeChild no,
                  bool missing_true = false, std::vector<double> members = {}) {
    TreeSplitSpec s;
    s.feature = feature;
    s.threshold = threshold;
    s.mode = mode;
    s.missing_goes_true = missing_true;
    s.true_child = yes;
    s.false_child = no;
    s.members = std::move(members);
    s.source_index = static_cast<int64_t>(spec.splits.size());
    spec.splits.push_back(std::move(s));
    return TreeChild{false, static_cast<int64_t>(spec.splits.size() - 1)};
  }
  void Tree(TreeChild root) { spec.roots.push_back(root); }
};

bool ReferenceGoesTrue(const TreeSplitSpec& s, float x) {
  const double v = x;
  bool to_true = false;
  switch (s.mode) {
    case NodeMode::kLeq: to_true = v <= s.threshold; break;
    case NodeMode::kLt: to_true = v < s.threshold; break;
    case NodeMode::kGte: to_true = v >= s.threshold; break;
    case NodeMode::kGt: to_true = v > s.threshold; break;
    case NodeMode::kEq: to_true = v == s.threshold; break;
    case NodeMode::kNeq: to_true = v != s.threshold; break;
    case NodeMode::kMember:
      to_true = std::find(s.members.begin(), s.members.end(), v) != s.members.end();
      break;
  }
  return to_true || (s.missing_goes_true && std::isnan(x));
}

struct Scores {
  std::vector<double> scores;
  std::vector<uint8_t> has;
};

Scores Reference(const TreeEnsembleSpec& spec, const std::vector<float>& x, int64_t cols) {
  const int64_t rows = static_cast<int64_t>(x.size()) / cols;
  const int64_t t = spec.n_targets;
  const size_t n = static_cast<size_t>(rows * t);
  Scores out{std::vector<double>(n, 0.0), std::vector<uint8_t>(n, 0)};
  for (int64_t r = 0; r < rows; ++r) {
    for (const TreeChild& root : spec.roots) {
      TreeChild at = root;
      while (!at.is_leaf) {
        const TreeSplitSpec& s = spec.splits[static_cast<size_t>(at.index)];
        at = ReferenceGoesTrue(s, x[static_cast<size_t>(r * cols + s.feature)]) ? s.true_child : s.false_child;
      }
      for (const auto& [target, weight] : spec.leaves[static_cast<size_t>(at.index)].entries) {
        size_t k = static_cast<size_t>(r * t + target);
        double& score = out.scores[k];
        switch (spec.aggregate) {
          case Aggregate::kSum:
          case Aggregate::kAverage: score += weight; break;
          case Aggregate::kMin: score = out.has[k] ? std::min(score, weight) : weight; break;
          case Aggregate::kMax: score = out.has[k] ? std::max(score, weight) : weight; break;
        }
        out.has[k] = 1;
      }
    }
  }
  return out;
}

Node TreeNode() {
  Node node;
  node.name = "trees";
  node.op_type = "TreeEnsemble";
  node.domain = "ai.onnx.ml";
  return node;
}

// All rows at once (the block path when there are enough of them).
Scores RunAll(const CompiledTrees& trees, const std::vector<float>& x, int64_t cols) {
  const int64_t rows = static_cast<int64_t>(x.size()) / cols;
  const size_t n = static_cast<size_t>(rows * trees.n_targets());
  Scores out{std::vector<double>(n, 0.0), std::vector<uint8_t>(n, 0)};
  trees.Evaluate(x.data(), rows, cols, out.scores.data(), out.has.data());
  return out;
}

// One row per call (the few-rows path).
Scores RunRowByRow(const CompiledTrees& trees, const std::vector<float>& x, int64_t cols) {
  const int64_t rows = static_cast<int64_t>(x.size()) / cols;
  const int64_t t = trees.n_targets();
  const size_t n = static_cast<size_t>(rows * t);
  Scores out{std::vector<double>(n, 0.0), std::vector<uint8_t>(n, 0)};
  for (int64_t r = 0; r < rows; ++r) {
    trees.Evaluate(x.data() + r * cols, 1, cols, out.scores.data() + r * t, out.has.data() + r * t);
  }
  return out;
}

// Bitwise equality, so that -0.0 against 0.0 or a last-bit rounding difference
// counts as a difference.
void ExpectSame(const Scores& expected, const Scores& actual, const std::string& what) {
  ASSERT_EQ(expected.scores.size(), actual.scores.size()) << what;
  for (size_t i = 0; i < expected.scores.size(); ++i) {
    EXPECT_EQ(std::memcmp(&expected.scores[i], &actual.scores[i], sizeof(double)), 0)
        << what << ": score " << i << " is " << actual.scores[i] << ", expected " << expected.scores[i];
    EXPECT_EQ(expected.has[i], actual.has[i]) << what << ": has " << i;
  }
}

// Checks every layout and path against the reference; returns whether the
// automatic choice was the perfect layout.
bool CheckAllPaths(const TreeEnsembleSpec& spec, const std::vector<float>& x, int64_t cols) {
  Node node = TreeNode();
  KernelInfo info(node, 5, {});
  CompiledTrees automatic(info, spec);
  CompiledTrees linked(info, spec, CompiledTrees::Layout::kLinked);
  EXPECT_FALSE(linked.uses_perfect_layout());
  Scores expected = Reference(spec, x, cols);
  ExpectSame(expected, RunAll(automatic, x, cols), "automatic layout, all rows");
  ExpectSame(expected, RunRowByRow(automatic, x, cols), "automatic layout, row by row");
  ExpectSame(expected, RunAll(linked, x, cols), "linked layout, all rows");
  ExpectSame(expected, RunRowByRow(linked, x, cols), "linked layout, row by row");
  return automatic.uses_perfect_layout();
}

// Rows that probe every threshold from both sides, plus NaN and infinities;
// repeated to fill more than one block.
std::vector<float> ProbeRows(const TreeEnsembleSpec& spec, int64_t cols, size_t min_rows, uint32_t seed) {
  std::vector<float> values = {0.0f, -0.0f, 1.0f, -1.0f, kNan, std::numeric_limits<float>::infinity(),
                               -std::numeric_limits<float>::infinity()};
  for (const auto& s : spec.splits) {
    constexpr double kMax = std::numeric_limits<float>::max();
    float f = static_cast<float>(std::isnan(s.threshold) ? 0.0 : std::clamp(s.threshold, -kMax, kMax));
    for (float v : {f, std::nextafter(f, -INFINITY), std::nextafter(f, INFINITY)}) values.push_back(v);
    for (double m : s.members) values.push_back(static_cast<float>(m));
  }
  std::mt19937 rng(seed);
  std::vector<float> x;
  size_t rows = std::max(min_rows, values.size());
  for (size_t r = 0; r < rows; ++r) {
    for (int64_t c = 0; c < cols; ++c) x.push_back(values[rng() % values.size()]);
  }
  return x;
}

TEST(TreeEnsembleLayout, SingleLeafTrees) {
  SpecBuilder b;
  b.Tree(b.Leaf(0.25));
  b.Tree(b.Split(0, 0.5, NodeMode::kLeq, b.Leaf(1.0), b.Leaf(2.0)));
  b.Tree(b.Leaf(-4.0));
  std::vector<float> x = {0.0f, 1.0f, kNan, 0.5f};
  EXPECT_TRUE(CheckAllPaths(b.spec, x, 1));
  Node node = TreeNode();
  CompiledTrees trees(KernelInfo(node, 5, {}), b.spec);
  Scores s = RunAll(trees, x, 1);
  EXPECT_EQ(s.scores, (std::vector<double>{0.25 + 1.0 - 4.0, 0.25 + 2.0 - 4.0, 0.25 + 2.0 - 4.0, 0.25 + 1.0 - 4.0}));

  // Only a leaf: nothing is read, every row gets the weight.
  SpecBuilder only;
  only.Tree(only.Leaf(3.5));
  EXPECT_TRUE(CheckAllPaths(only.spec, std::vector<float>(200, 1.0f), 1));
}

TEST(TreeEnsembleLayout, NoTrees) {
  SpecBuilder b;
  Node node = TreeNode();
  CompiledTrees trees(KernelInfo(node, 5, {}), b.spec);
  Scores s = RunAll(trees, {1.0f, 2.0f}, 1);
  EXPECT_EQ(s.scores, (std::vector<double>{0.0, 0.0}));
  EXPECT_EQ(s.has, (std::vector<uint8_t>{0, 0}));
}

// A chain deeper than the perfect layout allows, and one within the depth
// limit whose padding would be far larger than the tree.
TEST(TreeEnsembleLayout, DeepUnbalancedTreesTakeTheLinkedLayout) {
  for (int depth : {PerfectTrees::kMaxDepth + 8, PerfectTrees::kMaxDepth}) {
    SpecBuilder b;
    TreeChild chain = b.Leaf(100.0);
    for (int d = depth - 1; d >= 0; --d) {
      chain = b.Split(d % 3, d * 0.25, d % 2 ? NodeMode::kLt : NodeMode::kGte, chain, b.Leaf(d), d % 4 == 0);
    }
    b.Tree(chain);
    b.Tree(b.Split(1, 0.5, NodeMode::kLeq, b.Leaf(1.0), b.Leaf(2.0)));
    std::vector<float> x = ProbeRows(b.spec, 3, 300, 7);
    EXPECT_FALSE(CheckAllPaths(b.spec, x, 3)) << "depth " << depth;
  }
}

TEST(TreeEnsembleLayout, MixedOrderingModesShareThePerfectLayout) {
  SpecBuilder b;
  // Thresholds that floats cannot represent, and NaN directions both ways.
  for (NodeMode mode : {NodeMode::kLeq, NodeMode::kLt, NodeMode::kGte, NodeMode::kGt}) {
    for (bool missing : {false, true}) {
      TreeChild inner = b.Split(1, -0.1, NodeMode::kLt, b.Leaf(0.5), b.Leaf(-0.5), !missing);
      b.Tree(b.Split(0, 0.1, mode, inner, b.Leaf(static_cast<double>(mode) + 0.125), missing));
    }
  }
  // Thresholds at the edges of float's range.
  b.Tree(b.Split(0, -std::numeric_limits<double>::infinity(), NodeMode::kLt, b.Leaf(1), b.Leaf(2)));
  b.Tree(b.Split(0, -std::numeric_limits<double>::infinity(), NodeMode::kGte, b.Leaf(3), b.Leaf(4), true));
  b.Tree(b.Split(1, std::numeric_limits<double>::infinity(), NodeMode::kGt, b.Leaf(5), b.Leaf(6)));
  b.Tree(b.Split(1, 1e300, NodeMode::kLeq, b.Leaf(7), b.Leaf(8)));
  b.Tree(b.Split(0, -1e300, NodeMode::kGt, b.Leaf(9), b.Leaf(10)));
  b.Tree(b.Split(1, std::numeric_limits<double>::quiet_NaN(), NodeMode::kGte, b.Leaf(11), b.Leaf(12), true));
  std::vector<float> x = ProbeRows(b.spec, 2, 400, 11);
  for (float v : {std::numeric_limits<float>::max(), -std::numeric_limits<float>::max()}) {
    x.push_back(v);
    x.push_back(v);
  }
  EXPECT_TRUE(CheckAllPaths(b.spec, x, 2));
}

TEST(TreeEnsembleLayout, EqualityModes) {
  SpecBuilder b;
  b.Tree(b.Split(0, 2.0, NodeMode::kEq, b.Leaf(1), b.Split(1, 0.1, NodeMode::kNeq, b.Leaf(2), b.Leaf(3), true)));
  b.Tree(b.Split(1, 3.0, NodeMode::kNeq, b.Leaf(4), b.Leaf(5), true));
  b.Tree(b.Split(1, 3.0, NodeMode::kEq, b.Leaf(6), b.Leaf(7), true));
  std::vector<float> x = ProbeRows(b.spec, 2, 300, 13);
  for (float v : {2.0f, 3.0f}) x.insert(x.end(), {v, v});
  EXPECT_TRUE(CheckAllPaths(b.spec, x, 2));

  // Equality mixed with an ordering comparison: the linked layout.
  b.Tree(b.Split(0, 1.0, NodeMode::kLeq, b.Leaf(8), b.Leaf(9)));
  EXPECT_FALSE(CheckAllPaths(b.spec, x, 2));
}

TEST(TreeEnsembleLayout, MembershipAndMixedModes) {
  SpecBuilder b;
  b.Tree(b.Split(0, 0, NodeMode::kMember, b.Leaf(1), b.Leaf(2), false, {1.0, 3.0, 0.1, 7.0}));
  b.Tree(b.Split(1, 0, NodeMode::kMember, b.Leaf(3), b.Split(0, 2.5, NodeMode::kGt, b.Leaf(4), b.Leaf(5)), true,
                 {2.0}));
  b.Tree(b.Split(0, 1.0, NodeMode::kEq, b.Leaf(6), b.Split(1, 2.0, NodeMode::kNeq, b.Leaf(7), b.Leaf(8))));
  std::vector<float> x = ProbeRows(b.spec, 2, 300, 17);
  for (float v : {1.0f, 3.0f, 7.0f, 2.0f}) x.insert(x.end(), {v, v});
  EXPECT_FALSE(CheckAllPaths(b.spec, x, 2));
}

TEST(TreeEnsembleLayout, NanRowsFollowEachNodesDirection) {
  SpecBuilder b;
  b.Tree(b.Split(0, 0.0, NodeMode::kLeq, b.Leaf(1), b.Leaf(2), true));
  b.Tree(b.Split(0, 0.0, NodeMode::kLeq, b.Leaf(10), b.Leaf(20), false));
  b.Tree(b.Split(0, 0.0, NodeMode::kGt, b.Leaf(100), b.Leaf(200), true));
  b.Tree(b.Split(0, 0.0, NodeMode::kGt, b.Leaf(1000), b.Leaf(2000), false));
  // NaN: true, false, true, false.
  std::vector<float> x(300, -1.0f);
  x[5] = kNan;
  x[299] = kNan;
  Node node = TreeNode();
  CompiledTrees trees(KernelInfo(node, 5, {}), b.spec);
  Scores s = RunAll(trees, x, 1);
  EXPECT_EQ(s.scores[5], 1.0 + 20 + 100 + 2000);
  EXPECT_EQ(s.scores[4], 1.0 + 10 + 200 + 2000);
  EXPECT_EQ(s.scores[299], 1.0 + 20 + 100 + 2000);
  EXPECT_TRUE(CheckAllPaths(b.spec, x, 1));
}

TEST(TreeEnsembleLayout, AggregatesAndTargets) {
  for (Aggregate aggregate : {Aggregate::kSum, Aggregate::kAverage, Aggregate::kMin, Aggregate::kMax}) {
    SpecBuilder b;
    b.spec.n_targets = 3;
    b.spec.aggregate = aggregate;
    b.Tree(b.Split(0, 0.5, NodeMode::kLeq, b.LeafWith({{0, 1.0}, {2, -1.0}}), b.LeafWith({{1, 2.0}})));
    b.Tree(b.Split(1, 0.5, NodeMode::kLt, b.LeafWith({{0, 0.5}, {1, 0.25}}), b.LeafWith({})));
    b.Tree(b.LeafWith({{2, 3.0}}));
    EXPECT_TRUE(CheckAllPaths(b.spec, ProbeRows(b.spec, 2, 300, 19), 2));

    // One weight per leaf, with the target varying by leaf (one tree per class).
    SpecBuilder c;
    c.spec.n_targets = 2;
    c.spec.aggregate = aggregate;
    for (int tree = 0; tree < 6; ++tree) {
      c.Tree(c.Split(tree % 2, tree * 0.1, NodeMode::kLeq, c.Leaf(tree, tree % 2), c.Leaf(-tree, tree % 2)));
    }
    EXPECT_TRUE(CheckAllPaths(c.spec, ProbeRows(c.spec, 2, 300, 23), 2));
  }
}

// Enough trees of one depth to fill whole lane groups, and rows to fill whole
// chunks of a block and a remainder, with and without NaN.
TEST(TreeEnsembleLayout, FullLaneGroups) {
  std::mt19937 rng(5);
  SpecBuilder b;
  std::function<TreeChild(int)> full = [&](int depth) -> TreeChild {
    if (depth == 4) return b.Leaf(static_cast<double>(rng() % 100) / 8.0);
    TreeChild yes = full(depth + 1);
    TreeChild no = full(depth + 1);
    return b.Split(static_cast<int64_t>(rng() % 5), (static_cast<double>(rng() % 9) - 4.0) / 3.0,
                   rng() % 2 ? NodeMode::kLt : NodeMode::kGt, yes, no, rng() % 2 == 0);
  };
  for (int t = 0; t < 70; ++t) b.Tree(full(0));
  std::vector<float> clean;
  for (int i = 0; i < 5 * 203; ++i) clean.push_back((static_cast<float>(rng() % 13) - 6.0f) / 3.0f);
  EXPECT_TRUE(CheckAllPaths(b.spec, clean, 5));
  std::vector<float> with_nan = clean;
  for (size_t i = 0; i < with_nan.size(); i += 7) with_nan[i] = kNan;
  EXPECT_TRUE(CheckAllPaths(b.spec, with_nan, 5));
}

// Random ensembles: depths up to past the perfect limit, every mode, NaN
// directions, leaves at every level.
TEST(TreeEnsembleLayout, RandomEnsemblesMatchTheReference) {
  std::mt19937 rng(20240611);
  const std::vector<std::vector<NodeMode>> mode_sets = {
      {NodeMode::kLeq},
      {NodeMode::kLt},
      {NodeMode::kLeq, NodeMode::kLt, NodeMode::kGte, NodeMode::kGt},
      {NodeMode::kEq, NodeMode::kNeq},
      {NodeMode::kLeq, NodeMode::kEq, NodeMode::kMember, NodeMode::kGt}};
  const std::vector<double> thresholds = {0.0, 0.5, -0.5, 0.1, 1.0 / 3.0, 2.0, -2.0, 1e300,
                                         std::numeric_limits<double>::quiet_NaN(),
                                         -std::numeric_limits<double>::infinity()};
  auto threshold = [&] { return thresholds[rng() % thresholds.size()]; };
  int perfect = 0, linked = 0;
  for (int round = 0; round < 40; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    const auto& modes = mode_sets[static_cast<size_t>(round) % mode_sets.size()];
    const int max_depth = 1 + static_cast<int>(rng() % 16);
    const int64_t cols = 4;
    SpecBuilder b;
    std::function<TreeChild(int)> grow = [&](int depth) -> TreeChild {
      if (depth == max_depth || rng() % 3 == 0) return b.Leaf(static_cast<double>(rng() % 1000) / 7.0);
      NodeMode mode = modes[rng() % modes.size()];
      std::vector<double> members;
      if (mode == NodeMode::kMember) members = {threshold(), threshold()};
      TreeChild yes = grow(depth + 1);
      TreeChild no = grow(depth + 1);
      return b.Split(static_cast<int64_t>(rng() % cols), threshold(), mode, yes, no, rng() % 2 == 0,
                     members);
    };
    const int n_trees = 1 + static_cast<int>(rng() % 40);
    for (int t = 0; t < n_trees; ++t) b.Tree(grow(0));
    std::vector<float> x = ProbeRows(b.spec, cols, 1 + rng() % 400, rng());
    (CheckAllPaths(b.spec, x, cols) ? perfect : linked)++;
  }
  EXPECT_GT(perfect, 0);
  EXPECT_GT(linked, 0);
}

}  // namespace
}  // namespace cairn::runtime::ml
