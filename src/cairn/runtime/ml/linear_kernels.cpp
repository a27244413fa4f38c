// LinearClassifier and LinearRegressor: one dot product per row and class or
// target, then the post-transform.
#include "cairn/runtime/ml/ml_ops.h"
#include "cairn/runtime/ml/ml_util.h"

namespace cairn::runtime::ml {
namespace {

// scores[r * c + k] = x_r . coefficients[k] + intercepts[k].
void LinearScores(const FeatureMatrix& m, const std::vector<float>& coefficients, const std::vector<float>& intercepts,
                  int64_t c, float* scores) {
  for (int64_t r = 0; r < m.rows; ++r) {
    const float* x = m.data + r * m.cols;
    for (int64_t k = 0; k < c; ++k) {
      const float* w = coefficients.data() + k * m.cols;
      double sum = intercepts.empty() ? 0.0 : intercepts[k];
      for (int64_t j = 0; j < m.cols; ++j) sum += static_cast<double>(x[j]) * w[j];
      scores[r * c + k] = static_cast<float>(sum);
    }
  }
}

void CheckWidth(const KernelContext& context, const FeatureMatrix& m, size_t coefficients, int64_t c) {
  if (static_cast<int64_t>(coefficients) != m.cols * c) {
    context.Fail("input X has " + std::to_string(m.cols) + " features per row but 'coefficients' holds " +
                 std::to_string(coefficients) + " values for " + std::to_string(c) + " rows of weights");
  }
}

class LinearRegressorKernel final : public Kernel {
 public:
  explicit LinearRegressorKernel(const KernelInfo& info)
      : coefficients_(info.GetFloats("coefficients")),
        intercepts_(info.GetFloats("intercepts")),
        targets_(info.GetInt("targets", 1)),
        transform_(ParsePostTransform(info)) {
    if (targets_ <= 0 || targets_ > (1 << 20)) info.Fail("attribute 'targets' = " + std::to_string(targets_) + " is out of range");
    if (!intercepts_.empty() && static_cast<int64_t>(intercepts_.size()) != targets_) {
      info.Fail("attribute 'intercepts' has " + std::to_string(intercepts_.size()) + " values for " +
                std::to_string(targets_) + " targets");
    }
    if (coefficients_.size() % static_cast<size_t>(targets_) != 0) {
      info.Fail("attribute 'coefficients' has " + std::to_string(coefficients_.size()) +
                " values, not a multiple of the " + std::to_string(targets_) + " targets");
    }
  }

  void Compute(KernelContext& context) const override {
    FeatureMatrix m = ReadFeatures(context, context.Input(0));
    CheckWidth(context, m, coefficients_.size(), targets_);
    float* y = context.AllocateOutput(0, DataType::kFloat32, {m.rows, targets_}).mutable_data<float>();
    LinearScores(m, coefficients_, intercepts_, targets_, y);
    // One target: only PROBIT applies, as for tree regressors.
    PostTransform transform = targets_ == 1 && transform_ != PostTransform::kProbit ? PostTransform::kNone : transform_;
    if (transform != PostTransform::kNone) {
      for (int64_t r = 0; r < m.rows; ++r) ApplyPostTransform(transform, y + r * targets_, targets_);
    }
  }

 private:
  std::vector<float> coefficients_, intercepts_;
  int64_t targets_;
  PostTransform transform_;
};

class LinearClassifierKernel final : public Kernel {
 public:
  explicit LinearClassifierKernel(const KernelInfo& info)
      : coefficients_(info.GetFloats("coefficients")),
        intercepts_(info.GetFloats("intercepts")),
        labels_(info, "classlabels_strings", "classlabels_ints"),
        transform_(ParsePostTransform(info)) {
    if (labels_.size() == 0) info.Fail("one of 'classlabels_strings' and 'classlabels_ints' is required");
    classes_ = intercepts_.empty() ? labels_.size() : static_cast<int64_t>(intercepts_.size());
    if (coefficients_.empty() || coefficients_.size() % static_cast<size_t>(classes_) != 0) {
      info.Fail("attribute 'coefficients' has " + std::to_string(coefficients_.size()) + " values, not a multiple of " +
                std::to_string(classes_) + " classes");
    }
    // One score for two labels is the binary form: the score favours label 1.
    binary_ = classes_ == 1 && labels_.size() == 2;
    if (!binary_ && classes_ != labels_.size()) {
      info.Fail("attribute 'intercepts' has " + std::to_string(classes_) + " values for " +
                std::to_string(labels_.size()) + " class labels");
    }
  }

  void Compute(KernelContext& context) const override {
    FeatureMatrix m = ReadFeatures(context, context.Input(0));
    CheckWidth(context, m, coefficients_.size(), classes_);
    const int64_t width = binary_ ? 2 : classes_;
    Tensor& labels = labels_.Allocate(context, 0, m.rows);
    float* z = context.AllocateOutput(1, DataType::kFloat32, {m.rows, width}).mutable_data<float>();
    std::vector<float> scores(static_cast<size_t>(m.rows * classes_));
    LinearScores(m, coefficients_, intercepts_, classes_, scores.data());
    for (int64_t r = 0; r < m.rows; ++r) {
      float* out = z + r * width;
      const float* s = scores.data() + r * classes_;
      if (binary_) {
        labels_.Set(labels, r, s[0] > 0 ? 1 : 0);
        switch (transform_) {
          case PostTransform::kLogistic:
            out[1] = Logistic(s[0]);
            out[0] = 1.0f - out[1];
            break;
          case PostTransform::kProbit:
            out[0] = Probit(s[0]);
            out[1] = 0;
            break;
          default:
            // A softmax over one score says nothing: the score and its
            // complement are written as they are.
            out[0] = 1.0f - s[0];
            out[1] = s[0];
            break;
        }
        continue;
      }
      int64_t best = 0;
      for (int64_t k = 1; k < classes_; ++k) {
        if (s[k] > s[best]) best = k;
      }
      labels_.Set(labels, r, best);
      std::copy(s, s + classes_, out);
      ApplyPostTransform(transform_, out, classes_);
    }
  }

 private:
  std::vector<float> coefficients_, intercepts_;
  ClassLabels labels_;
  PostTransform transform_;
  int64_t classes_ = 0;
  bool binary_ = false;
};

}  // namespace

std::unique_ptr<Kernel> MakeLinearClassifier(const KernelInfo& info) {
  return std::make_unique<LinearClassifierKernel>(info);
}
std::unique_ptr<Kernel> MakeLinearRegressor(const KernelInfo& info) {
  return std::make_unique<LinearRegressorKernel>(info);
}

}  // namespace cairn::runtime::ml
