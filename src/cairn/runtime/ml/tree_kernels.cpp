// TreeEnsembleRegressor, TreeEnsembleClassifier (opsets 1 and 3) and
// TreeEnsemble (opset 5): thin kernels over CompiledTrees that add base
// values, aggregate and post-transform, and pick class labels.
#include <algorithm>
#include <set>

#include "cairn/runtime/ml/ml_ops.h"
#include "cairn/runtime/ml/ml_util.h"
#include "cairn/runtime/ml/tree_ensemble.h"

namespace cairn::runtime::ml {
namespace {

Aggregate ParseAggregate(const KernelInfo& info) {
  std::string value = info.GetString("aggregate_function", "SUM");
  if (value == "SUM") return Aggregate::kSum;
  if (value == "AVERAGE") return Aggregate::kAverage;
  if (value == "MIN") return Aggregate::kMin;
  if (value == "MAX") return Aggregate::kMax;
  info.Fail("attribute 'aggregate_function' is '" + value + "'; expected SUM, AVERAGE, MIN or MAX");
}

int64_t CheckedCount(const KernelInfo& info, const std::string& name, int64_t value) {
  if (value <= 0 || value > (1 << 20)) {
    info.Fail("attribute '" + name + "' = " + std::to_string(value) + " is out of range");
  }
  return value;
}

// Runs the trees over X; scores and has are [rows, n_targets].
struct TreeScores {
  std::vector<double> scores;
  std::vector<uint8_t> has;
  int64_t rows = 0;
};

TreeScores RunTrees(const KernelContext& context, const CompiledTrees& trees) {
  const Tensor& x = context.Input(0);
  FeatureMatrix m = ReadFeatures(context, x);
  if (m.cols < trees.required_features()) {
    context.Fail("input X has " + std::to_string(m.cols) + " features per row but the trees read feature " +
                 std::to_string(trees.required_features() - 1));
  }
  TreeScores out;
  out.rows = m.rows;
  size_t size = static_cast<size_t>(m.rows * trees.n_targets());
  out.scores.assign(size, 0.0);
  out.has.assign(size, 0);
  trees.Evaluate(m.data, m.rows, m.cols, out.scores.data(), out.has.data());
  return out;
}

// The aggregated score of one target before base values.
inline double Aggregated(const CompiledTrees& trees, double score, uint8_t has) {
  if (!has) return 0.0;
  if (trees.aggregate() == Aggregate::kAverage && trees.n_trees() > 0) return score / static_cast<double>(trees.n_trees());
  return score;
}

class TreeEnsembleRegressorKernel final : public Kernel {
 public:
  explicit TreeEnsembleRegressorKernel(const KernelInfo& info)
      : trees_(info, MakeSpec(info)),
        base_(GetFloatsOrTensor(info, "base_values")),
        transform_(ParsePostTransform(info)) {
    if (!base_.empty() && static_cast<int64_t>(base_.size()) != trees_.n_targets()) {
      info.Fail("attribute 'base_values' has " + std::to_string(base_.size()) + " values for " +
                std::to_string(trees_.n_targets()) + " targets");
    }
  }

  void Compute(KernelContext& context) const override {
    TreeScores s = RunTrees(context, trees_);
    const int64_t t = trees_.n_targets();
    float* y = context.AllocateOutput(0, DataType::kFloat32, {s.rows, t}).mutable_data<float>();
    // One target: a softmax or logistic of a lone regression value is not
    // applied (the reference engine's convention); PROBIT is.
    PostTransform transform = t == 1 && transform_ != PostTransform::kProbit ? PostTransform::kNone : transform_;
    for (int64_t r = 0; r < s.rows; ++r) {
      for (int64_t k = 0; k < t; ++k) {
        size_t i = static_cast<size_t>(r * t + k);
        // A target no leaf voted for stays 0, without its base value.
        double v = s.has[i] ? Aggregated(trees_, s.scores[i], 1) + (base_.empty() ? 0.0 : base_[k]) : 0.0;
        y[i] = static_cast<float>(v);
      }
      ApplyPostTransform(transform, y + r * t, t);
    }
  }

 private:
  static TreeEnsembleSpec MakeSpec(const KernelInfo& info) {
    TreeEnsembleSpec spec =
        ReadLegacyTreeAttributes(info, "target_", CheckedCount(info, "n_targets", info.GetInt("n_targets", 1)));
    spec.aggregate = ParseAggregate(info);
    return spec;
  }

  CompiledTrees trees_;
  std::vector<double> base_;
  PostTransform transform_;
};

class TreeEnsembleClassifierKernel final : public Kernel {
 public:
  explicit TreeEnsembleClassifierKernel(const KernelInfo& info)
      : labels_(info, "classlabels_strings", "classlabels_int64s"),
        trees_(info, ReadLegacyTreeAttributes(info, "class_", CheckedCount(info, "classlabels", labels_.size()))),
        base_(GetFloatsOrTensor(info, "base_values")),
        transform_(ParsePostTransform(info)) {
    int64_t n = labels_.size();
    if (!base_.empty() && static_cast<int64_t>(base_.size()) != n && !(n == 2 && base_.size() == 1)) {
      info.Fail("attribute 'base_values' has " + std::to_string(base_.size()) + " values for " + std::to_string(n) +
                " classes");
    }
    auto ids = info.GetInts("class_ids");
    std::set<int64_t> distinct(ids.begin(), ids.end());
    binary_case_ = n == 2 && distinct.size() == 1;
    auto weights = GetFloatsOrTensor(info, "class_weights");
    all_positive_ = std::all_of(weights.begin(), weights.end(), [](double w) { return w >= 0; });
  }

  void Compute(KernelContext& context) const override {
    TreeScores s = RunTrees(context, trees_);
    const int64_t n = labels_.size();
    Tensor& labels = labels_.Allocate(context, 0, s.rows);
    float* z = context.AllocateOutput(1, DataType::kFloat32, {s.rows, n}).mutable_data<float>();
    std::vector<double> row(static_cast<size_t>(n));
    std::vector<uint8_t> has(static_cast<size_t>(n));
    for (int64_t r = 0; r < s.rows; ++r) {
      for (int64_t k = 0; k < n; ++k) {
        size_t i = static_cast<size_t>(r * n + k);
        row[k] = Aggregated(trees_, s.scores[i], s.has[i]);
        has[k] = s.has[i];
      }
      int64_t label = n == 2 ? FinishBinary(row.data(), has.data(), z + r * n) : FinishMulti(row.data(), has.data(), z + r * n);
      labels_.Set(labels, r, label);
    }
  }

 private:
  int64_t FinishMulti(double* s, uint8_t* has, float* z) const {
    const int64_t n = labels_.size();
    for (size_t k = 0; k < base_.size(); ++k) {
      s[k] += base_[k];
      has[k] = 1;
    }
    // The winner is the first highest score among classes that got one.
    int64_t best = -1;
    for (int64_t k = 0; k < n; ++k) {
      if (has[k] && (best < 0 || s[k] > s[best])) best = k;
    }
    for (int64_t k = 0; k < n; ++k) z[k] = static_cast<float>(s[k]);
    ApplyPostTransform(transform_, z, n);
    return best < 0 ? 0 : best;
  }

  // Two classes follow the reference engine's conventions: base values,
  // the decision threshold and the second column depend on which classes the
  // leaves vote for.
  int64_t FinishBinary(double* s, const uint8_t* has, float* z) const {
    bool two_scores = has[1] != 0;
    if (base_.size() == 2) {
      if (has[1]) {
        s[1] = base_[1] + s[0];
        if (has[0]) s[0] = -s[1];
      } else {
        s[0] += base_[0];
      }
      two_scores = true;
    } else if (base_.size() == 1 && has[0]) {
      s[0] += base_[0];
    }
    double positive = has[1] ? s[1] : (has[0] ? s[0] : 0.0);
    double threshold = binary_case_ && all_positive_ ? 0.5 : 0.0;
    int64_t label = positive > threshold ? 1 : 0;
    if (two_scores) {
      z[0] = static_cast<float>(s[0]);
      z[1] = static_cast<float>(s[1]);
      ApplyPostTransform(transform_, z, 2);
      return label;
    }
    float v = static_cast<float>(s[0]);
    switch (transform_) {
      case PostTransform::kProbit:
        z[0] = Probit(v);
        z[1] = 0;
        break;
      case PostTransform::kLogistic:
        z[1] = Logistic(v);
        z[0] = 1.0f - z[1];
        break;
      default:
        z[1] = v;
        z[0] = binary_case_ && all_positive_ ? 1.0f - v : -v;
        break;
    }
    return label;
  }

  ClassLabels labels_;
  CompiledTrees trees_;
  std::vector<double> base_;
  PostTransform transform_;
  bool binary_case_ = false;
  bool all_positive_ = true;
};

class TreeEnsembleKernel final : public Kernel {
 public:
  explicit TreeEnsembleKernel(const KernelInfo& info)
      : trees_(info, ReadTreeEnsembleV5Attributes(info)),
        transform_(PostTransformFromInt(info, info.GetInt("post_transform", 0))) {}

  void Compute(KernelContext& context) const override {
    TreeScores s = RunTrees(context, trees_);
    const int64_t t = trees_.n_targets();
    DataType out_type = context.Input(0).dtype() == DataType::kFloat64 ? DataType::kFloat64 : DataType::kFloat32;
    Tensor& y = context.AllocateOutput(0, out_type, {s.rows, t});
    std::vector<float> row(static_cast<size_t>(t));
    for (int64_t r = 0; r < s.rows; ++r) {
      for (int64_t k = 0; k < t; ++k) {
        size_t i = static_cast<size_t>(r * t + k);
        row[k] = static_cast<float>(Aggregated(trees_, s.scores[i], s.has[i]));
      }
      ApplyPostTransform(transform_, row.data(), t);
      if (out_type == DataType::kFloat64) {
        double* out = y.mutable_data<double>() + r * t;
        for (int64_t k = 0; k < t; ++k) {
          size_t i = static_cast<size_t>(r * t + k);
          // Without a transform the double sum is kept at full precision.
          out[k] = transform_ == PostTransform::kNone ? Aggregated(trees_, s.scores[i], s.has[i]) : row[k];
        }
      } else {
        std::copy(row.begin(), row.end(), y.mutable_data<float>() + r * t);
      }
    }
  }

 private:
  CompiledTrees trees_;
  PostTransform transform_;
};

}  // namespace

std::unique_ptr<Kernel> MakeTreeEnsembleClassifier(const KernelInfo& info) {
  return std::make_unique<TreeEnsembleClassifierKernel>(info);
}
std::unique_ptr<Kernel> MakeTreeEnsembleRegressor(const KernelInfo& info) {
  return std::make_unique<TreeEnsembleRegressorKernel>(info);
}
std::unique_ptr<Kernel> MakeTreeEnsemble(const KernelInfo& info) { return std::make_unique<TreeEnsembleKernel>(info); }

}  // namespace cairn::runtime::ml
