#include "cairn/runtime/ml/normalized_trees.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace cairn::runtime::ml {
namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();
constexpr float kNan = std::numeric_limits<float>::quiet_NaN();

// The largest float <= t; NaN for NaN.
float FloatAtMost(double t) {
  if (std::isnan(t)) return kNan;
  constexpr double kMax = std::numeric_limits<float>::max();
  float f = t > kMax ? kInf : (t < -kMax ? -kInf : static_cast<float>(t));
  return static_cast<double>(f) > t ? std::nextafter(f, -kInf) : f;
}

// The largest float < t, so that x < t exactly when x <= FloatBelow(t) for
// every float x; NaN (which no x is <=) when no float is below t.
float FloatBelow(double t) {
  float f = FloatAtMost(t);
  if (std::isnan(f) || static_cast<double>(f) < t) return f;
  return f == -kInf ? kNan : std::nextafter(f, -kInf);
}

// t as a float when one equals it, else NaN (which no x equals).
float FloatEqualTo(double t) {
  if (std::isnan(t) || std::fabs(t) > std::numeric_limits<float>::max()) {
    return std::isinf(t) ? static_cast<float>(t) : kNan;
  }
  float f = static_cast<float>(t);
  return static_cast<double>(f) == t ? f : kNan;
}

// The split as "x <= threshold" (or "x == threshold", or set membership),
// with the NaN direction adjusted; *swap tells the caller to exchange the
// children. See normalized_trees.h.
NormalizedNode NormalizeSplit(const TreeSplitSpec& split, bool* swap) {
  NormalizedNode node;
  node.feature = static_cast<uint32_t>(split.feature);
  node.missing_true = split.missing_goes_true;
  *swap = false;
  const bool ordering = split.mode == NodeMode::kLeq || split.mode == NodeMode::kLt || split.mode == NodeMode::kGte ||
                        split.mode == NodeMode::kGt;
  if (ordering && std::isnan(split.threshold)) {
    // Every ordering comparison with NaN is false, so no rewrite through a
    // negation holds: "x <= NaN" is false too, and the children stay.
    node.threshold = kNan;
    return node;
  }
  switch (split.mode) {
    case NodeMode::kLeq: node.threshold = FloatAtMost(split.threshold); break;
    case NodeMode::kLt: node.threshold = FloatBelow(split.threshold); break;
    case NodeMode::kGt:
      node.threshold = FloatAtMost(split.threshold);
      *swap = true;
      break;
    case NodeMode::kGte:
      node.threshold = FloatBelow(split.threshold);
      *swap = true;
      break;
    case NodeMode::kEq:
      node.mode = NodeMode::kEq;
      node.threshold = FloatEqualTo(split.threshold);
      break;
    case NodeMode::kNeq:
      node.mode = NodeMode::kEq;
      node.threshold = FloatEqualTo(split.threshold);
      *swap = true;
      break;
    case NodeMode::kMember: node.mode = NodeMode::kMember; break;
  }
  if (*swap) node.missing_true = !node.missing_true;
  // NaN != t holds, so NaN always took NEQ's true branch, which after the
  // swap is the false one, whatever the missing flag said.
  if (split.mode == NodeMode::kNeq) node.missing_true = false;
  return node;
}

std::vector<float> FloatMembers(const std::vector<double>& members) {
  std::vector<float> out;
  for (double m : members) {
    // Values no float equals can never match a row.
    float f = FloatEqualTo(m);
    if (!std::isnan(f)) out.push_back(f);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

NormalizedTrees NormalizeTrees(const KernelInfo& info, const TreeEnsembleSpec& spec) {
  NormalizedTrees out;
  std::vector<uint8_t> visited(spec.splits.size(), 0);
  int64_t max_feature = -1;
  bool any_split = false;

  struct Pending {
    TreeChild child;
    int32_t parent;  // -1 for the root
    bool is_true;
    int32_t depth;
  };
  std::vector<Pending> stack;
  for (size_t tree = 0; tree < spec.roots.size(); ++tree) {
    NormalizedTree t;
    t.root = static_cast<int32_t>(out.nodes.size());
    stack.push_back({spec.roots[tree], -1, true, 0});
    while (!stack.empty()) {
      Pending p = stack.back();
      stack.pop_back();
      if (out.nodes.size() >= static_cast<size_t>(std::numeric_limits<int32_t>::max() / 2)) {
        info.Fail("the trees have too many nodes to compile");
      }
      int32_t index = static_cast<int32_t>(out.nodes.size());
      if (p.child.is_leaf) {
        NormalizedNode leaf;
        leaf.leaf = static_cast<int32_t>(p.child.index);
        out.nodes.push_back(leaf);
        t.depth = std::max(t.depth, p.depth);
      } else {
        const TreeSplitSpec& split = spec.splits[static_cast<size_t>(p.child.index)];
        if (visited[static_cast<size_t>(p.child.index)]) {
          info.Fail("tree " + std::to_string(tree) + ": the node at position " + std::to_string(split.source_index) +
                    " of the nodes_* attributes is reached twice (a cycle or a shared subtree)");
        }
        if (p.depth >= kMaxTreeDepth) {
          info.Fail("tree " + std::to_string(tree) + " is deeper than " + std::to_string(kMaxTreeDepth) + " levels");
        }
        visited[static_cast<size_t>(p.child.index)] = 1;
        bool swapped = false;
        NormalizedNode node = NormalizeSplit(split, &swapped);
        if (node.mode == NodeMode::kMember) {
          node.member_set = static_cast<int32_t>(out.member_sets.size());
          out.member_sets.push_back(FloatMembers(split.members));
        }
        out.nodes.push_back(node);
        max_feature = std::max(max_feature, split.feature);
        out.any_missing_true = out.any_missing_true || node.missing_true;
        if (!any_split) out.split_mode = node.mode;
        if (node.mode != out.split_mode || node.mode == NodeMode::kMember) out.uniform_mode = false;
        any_split = true;
        const TreeChild& normalized_true = swapped ? split.false_child : split.true_child;
        const TreeChild& normalized_false = swapped ? split.true_child : split.false_child;
        // False first, so the true subtree is laid out right after its parent.
        stack.push_back({normalized_false, index, false, p.depth + 1});
        stack.push_back({normalized_true, index, true, p.depth + 1});
      }
      if (p.parent >= 0) {
        (p.is_true ? out.nodes[p.parent].true_child : out.nodes[p.parent].false_child) = index;
      }
    }
    out.trees.push_back(t);
  }

  // A split no root reaches is a cycle cut off from its tree, or a node
  // listed under the wrong tree.
  for (size_t i = 0; i < visited.size(); ++i) {
    if (!visited[i]) {
      info.Fail("the node at position " + std::to_string(spec.splits[i].source_index) +
                " of the nodes_* attributes is not reachable from any tree root (a cycle or a detached node)");
    }
  }
  out.required_features = max_feature + 1;
  // Leaves of the general layout read feature 0 (their result is ignored),
  // so rows need one column whenever there are trees.
  if (!out.nodes.empty()) out.required_features = std::max<int64_t>(out.required_features, 1);
  return out;
}

}  // namespace cairn::runtime::ml
