// SVMClassifier and SVMRegressor: kernel values against the support vectors
// (or one weight vector per class in linear form), libsvm's one-vs-one
// voting, and Platt-scaled pairwise probabilities coupled into class
// probabilities.
#include <algorithm>
#include <cmath>

#include "cairn/runtime/ml/ml_ops.h"
#include "cairn/runtime/ml/ml_util.h"

namespace cairn::runtime::ml {
namespace {

enum class SvmKernelType { kLinear, kPoly, kRbf, kSigmoid };

struct SvmKernelFunction {
  SvmKernelType type = SvmKernelType::kLinear;
  float gamma = 0, coef0 = 0, degree = 0;

  SvmKernelFunction() = default;
  explicit SvmKernelFunction(const KernelInfo& info) {
    std::string name = info.GetString("kernel_type", "LINEAR");
    if (name == "LINEAR") type = SvmKernelType::kLinear;
    else if (name == "POLY") type = SvmKernelType::kPoly;
    else if (name == "RBF") type = SvmKernelType::kRbf;
    else if (name == "SIGMOID") type = SvmKernelType::kSigmoid;
    else info.Fail("attribute 'kernel_type' is '" + name + "'; expected LINEAR, POLY, RBF or SIGMOID");
    auto params = info.GetFloats("kernel_params");
    if (!params.empty() && params.size() != 3) {
      info.Fail("attribute 'kernel_params' has " + std::to_string(params.size()) + " values; expected gamma, coef0, degree");
    }
    if (params.size() == 3) {
      gamma = params[0];
      coef0 = params[1];
      degree = params[2];
    }
  }

  double operator()(const float* x, const float* v, int64_t n) const {
    if (type == SvmKernelType::kRbf) {
      double sum = 0;
      for (int64_t i = 0; i < n; ++i) {
        double d = static_cast<double>(x[i]) - v[i];
        sum += d * d;
      }
      return std::exp(-gamma * sum);
    }
    double dot = 0;
    for (int64_t i = 0; i < n; ++i) dot += static_cast<double>(x[i]) * v[i];
    switch (type) {
      case SvmKernelType::kLinear: return dot;
      case SvmKernelType::kPoly: return std::pow(gamma * dot + coef0, static_cast<double>(static_cast<int>(degree)));
      case SvmKernelType::kSigmoid: return std::tanh(gamma * dot + coef0);
      case SvmKernelType::kRbf: break;
    }
    return dot;
  }
};

void CheckFeatures(const KernelContext& context, const FeatureMatrix& m, int64_t features) {
  if (m.cols != features) {
    context.Fail("input X has " + std::to_string(m.cols) + " features per row; the model expects " +
                 std::to_string(features));
  }
}

// Class probabilities from pairwise ones (r[i * k + j]: class i beats j), by
// the iterative coupling of Wu, Lin and Weng (2004), as libsvm does it.
void CoupleProbabilities(int64_t k, const std::vector<double>& r, double* p) {
  std::vector<double> q(static_cast<size_t>(k * k)), qp(static_cast<size_t>(k));
  for (int64_t t = 0; t < k; ++t) {
    p[t] = 1.0 / static_cast<double>(k);
    q[t * k + t] = 0;
    for (int64_t j = 0; j < k; ++j) {
      if (j == t) continue;
      q[t * k + t] += r[j * k + t] * r[j * k + t];
      q[t * k + j] = -r[j * k + t] * r[t * k + j];
    }
  }
  const int64_t max_iterations = std::max<int64_t>(100, k);
  const double eps = 0.005 / static_cast<double>(k);
  for (int64_t iteration = 0; iteration < max_iterations; ++iteration) {
    double pqp = 0;
    for (int64_t t = 0; t < k; ++t) {
      qp[t] = 0;
      for (int64_t j = 0; j < k; ++j) qp[t] += q[t * k + j] * p[j];
      pqp += p[t] * qp[t];
    }
    double max_error = 0;
    for (int64_t t = 0; t < k; ++t) max_error = std::max(max_error, std::fabs(qp[t] - pqp));
    if (max_error < eps) break;
    for (int64_t t = 0; t < k; ++t) {
      double diff = (-qp[t] + pqp) / q[t * k + t];
      p[t] += diff;
      pqp = (pqp + diff * (diff * q[t * k + t] + 2 * qp[t])) / (1 + diff) / (1 + diff);
      for (int64_t j = 0; j < k; ++j) {
        qp[j] = (qp[j] + diff * q[t * k + j]) / (1 + diff);
        p[j] /= (1 + diff);
      }
    }
  }
}

// Platt scaling of one decision value, kept away from 0 and 1.
double PairProbability(double decision, double a, double b) {
  double f = decision * a + b;
  double p = f >= 0 ? std::exp(-f) / (1.0 + std::exp(-f)) : 1.0 / (1.0 + std::exp(f));
  return std::clamp(p, 1e-7, 1 - 1e-7);
}

class SvmRegressorKernel final : public Kernel {
 public:
  explicit SvmRegressorKernel(const KernelInfo& info)
      : kernel_(info),
        support_(info.GetFloats("support_vectors")),
        coefficients_(info.GetFloats("coefficients")),
        rho_(info.GetFloats("rho")),
        n_supports_(info.GetInt("n_supports", 0)),
        one_class_(info.GetInt("one_class", 0) != 0),
        transform_(ParsePostTransform(info)) {
    if (rho_.size() != 1) info.Fail("attribute 'rho' has " + std::to_string(rho_.size()) + " values; expected 1");
    if (n_supports_ < 0) info.Fail("attribute 'n_supports' is negative");
    if (n_supports_ > 0) {
      if (static_cast<int64_t>(coefficients_.size()) != n_supports_) {
        info.Fail("attribute 'coefficients' has " + std::to_string(coefficients_.size()) + " values for " +
                  std::to_string(n_supports_) + " support vectors");
      }
      if (support_.empty() || support_.size() % static_cast<size_t>(n_supports_) != 0) {
        info.Fail("attribute 'support_vectors' has " + std::to_string(support_.size()) + " values, not a multiple of " +
                  std::to_string(n_supports_) + " support vectors");
      }
      features_ = static_cast<int64_t>(support_.size()) / n_supports_;
    } else {
      // Linear form: the coefficients are the one weight vector.
      features_ = static_cast<int64_t>(coefficients_.size());
    }
  }

  void Compute(KernelContext& context) const override {
    FeatureMatrix m = ReadFeatures(context, context.Input(0));
    CheckFeatures(context, m, features_);
    float* y = context.AllocateOutput(0, DataType::kFloat32, {m.rows, 1}).mutable_data<float>();
    for (int64_t r = 0; r < m.rows; ++r) {
      const float* x = m.data + r * m.cols;
      double sum = rho_[0];
      if (n_supports_ > 0) {
        for (int64_t s = 0; s < n_supports_; ++s) sum += coefficients_[s] * kernel_(x, support_.data() + s * features_, features_);
      } else {
        sum += kernel_(x, coefficients_.data(), features_);
      }
      if (one_class_) sum = sum > 0 ? 1.0 : -1.0;
      y[r] = static_cast<float>(sum);
      ApplyPostTransform(transform_, y + r, 1);
    }
  }

 private:
  SvmKernelFunction kernel_;
  std::vector<float> support_, coefficients_, rho_;
  int64_t n_supports_;
  bool one_class_;
  PostTransform transform_;
  int64_t features_ = 0;
};

class SvmClassifierKernel final : public Kernel {
 public:
  explicit SvmClassifierKernel(const KernelInfo& info)
      : kernel_(info),
        labels_(info, "classlabels_strings", "classlabels_ints"),
        support_(info.GetFloats("support_vectors")),
        coefficients_(info.GetFloats("coefficients")),
        rho_(info.GetFloats("rho")),
        prob_a_(info.GetFloats("prob_a")),
        prob_b_(info.GetFloats("prob_b")),
        transform_(ParsePostTransform(info)) {
    auto per_class = info.GetInts("vectors_per_class");
    classes_ = labels_.size();
    if (classes_ == 0) info.Fail("one of 'classlabels_strings' and 'classlabels_ints' is required");
    if (prob_a_.size() != prob_b_.size()) {
      info.Fail("attributes 'prob_a' and 'prob_b' have " + std::to_string(prob_a_.size()) + " and " +
                std::to_string(prob_b_.size()) + " values");
    }
    if (per_class.empty()) {
      // Linear form: one weight vector and one rho per score column.
      linear_ = true;
      columns_ = static_cast<int64_t>(rho_.size());
      if (columns_ == 0 || coefficients_.size() % static_cast<size_t>(columns_) != 0) {
        info.Fail("attribute 'coefficients' has " + std::to_string(coefficients_.size()) + " values, not a multiple of " +
                  std::to_string(columns_) + " values of 'rho'");
      }
      features_ = static_cast<int64_t>(coefficients_.size()) / columns_;
      return;
    }
    if (classes_ < 2) info.Fail("a support vector classifier needs at least two class labels");
    if (static_cast<int64_t>(per_class.size()) != classes_) {
      info.Fail("attribute 'vectors_per_class' has " + std::to_string(per_class.size()) + " values for " +
                std::to_string(classes_) + " class labels");
    }
    for (int64_t count : per_class) {
      if (count < 0) info.Fail("attribute 'vectors_per_class' has a negative count");
      starts_.push_back(total_);
      total_ += count;
    }
    starts_.push_back(total_);
    if (total_ == 0 || support_.size() % static_cast<size_t>(total_) != 0) {
      info.Fail("attribute 'support_vectors' has " + std::to_string(support_.size()) + " values, not a multiple of " +
                std::to_string(total_) + " support vectors");
    }
    features_ = static_cast<int64_t>(support_.size()) / total_;
    if (static_cast<int64_t>(coefficients_.size()) != (classes_ - 1) * total_) {
      info.Fail("attribute 'coefficients' has " + std::to_string(coefficients_.size()) + " values; expected " +
                std::to_string((classes_ - 1) * total_) + " ((classes - 1) x support vectors)");
    }
    const int64_t pairs = classes_ * (classes_ - 1) / 2;
    if (static_cast<int64_t>(rho_.size()) != pairs) {
      info.Fail("attribute 'rho' has " + std::to_string(rho_.size()) + " values; expected " + std::to_string(pairs) +
                " (one per pair of classes)");
    }
    if (!prob_a_.empty() && static_cast<int64_t>(prob_a_.size()) != pairs) {
      info.Fail("attribute 'prob_a' has " + std::to_string(prob_a_.size()) + " values; expected " + std::to_string(pairs));
    }
    columns_ = prob_a_.empty() ? pairs : classes_;
  }

  void Compute(KernelContext& context) const override {
    FeatureMatrix m = ReadFeatures(context, context.Input(0));
    CheckFeatures(context, m, features_);
    Tensor& labels = labels_.Allocate(context, 0, m.rows);
    const int64_t width = OutputWidth();
    float* z = context.AllocateOutput(1, DataType::kFloat32, {m.rows, width}).mutable_data<float>();
    std::vector<double> kernel_values(static_cast<size_t>(total_)), decisions, pair_probs, probs;
    std::vector<int64_t> votes(static_cast<size_t>(classes_));
    for (int64_t r = 0; r < m.rows; ++r) {
      const float* x = m.data + r * m.cols;
      float* out = z + r * width;
      if (linear_) {
        labels_.Set(labels, r, LinearRow(x, out));
        continue;
      }
      for (int64_t s = 0; s < total_; ++s) kernel_values[s] = kernel_(x, support_.data() + s * features_, features_);
      decisions.clear();
      std::fill(votes.begin(), votes.end(), 0);
      for (int64_t i = 0; i < classes_; ++i) {
        for (int64_t j = i + 1; j < classes_; ++j) {
          double sum = rho_[decisions.size()];
          for (int64_t s = starts_[i]; s < starts_[i + 1]; ++s) sum += coefficients_[(j - 1) * total_ + s] * kernel_values[s];
          for (int64_t s = starts_[j]; s < starts_[j + 1]; ++s) sum += coefficients_[i * total_ + s] * kernel_values[s];
          decisions.push_back(sum);
          ++votes[sum > 0 ? i : j];
        }
      }
      // The label is the vote winner, with or without probabilities (as
      // libsvm predicts).
      int64_t label = 0;
      for (int64_t k = 1; k < classes_; ++k) {
        if (votes[k] > votes[label]) label = k;
      }
      if (!prob_a_.empty()) {
        pair_probs.assign(static_cast<size_t>(classes_ * classes_), 0.0);
        size_t pair = 0;
        for (int64_t i = 0; i < classes_; ++i) {
          for (int64_t j = i + 1; j < classes_; ++j, ++pair) {
            double p = PairProbability(decisions[pair], prob_a_[pair], prob_b_[pair]);
            pair_probs[i * classes_ + j] = p;
            pair_probs[j * classes_ + i] = 1 - p;
          }
        }
        probs.assign(static_cast<size_t>(classes_), 0.0);
        CoupleProbabilities(classes_, pair_probs, probs.data());
        for (int64_t k = 0; k < classes_; ++k) out[k] = static_cast<float>(probs[k]);
      } else {
        WriteDecisions(decisions, out);
      }
      ApplyPostTransform(transform_, out, width);
      labels_.Set(labels, r, label);
    }
  }

 private:
  int64_t OutputWidth() const {
    if (linear_) return columns_ == 1 && classes_ == 2 ? 2 : columns_;
    if (!prob_a_.empty()) return classes_;
    return classes_ == 2 ? 2 : columns_;
  }

  // Two classes without probabilities: the one decision value d (positive
  // votes for class 0) is written as [-d, d], the reference engine's layout.
  void WriteDecisions(const std::vector<double>& decisions, float* out) const {
    if (classes_ == 2) {
      out[0] = static_cast<float>(-decisions[0]);
      out[1] = static_cast<float>(decisions[0]);
      return;
    }
    for (size_t k = 0; k < decisions.size(); ++k) out[k] = static_cast<float>(decisions[k]);
  }

  int64_t LinearRow(const float* x, float* out) const {
    std::vector<double> s(static_cast<size_t>(columns_));
    for (int64_t k = 0; k < columns_; ++k) s[k] = kernel_(x, coefficients_.data() + k * features_, features_) + rho_[k];
    if (columns_ == 1 && classes_ == 2) {
      out[0] = static_cast<float>(-s[0]);
      out[1] = static_cast<float>(s[0]);
      ApplyPostTransform(transform_, out, 2);
      return s[0] > 0 ? 1 : 0;
    }
    int64_t best = 0;
    for (int64_t k = 0; k < columns_; ++k) {
      out[k] = static_cast<float>(s[k]);
      if (s[k] > s[best]) best = k;
    }
    ApplyPostTransform(transform_, out, columns_);
    return std::min(best, classes_ - 1);
  }

  SvmKernelFunction kernel_;
  ClassLabels labels_;
  std::vector<float> support_, coefficients_, rho_, prob_a_, prob_b_;
  PostTransform transform_;
  int64_t classes_ = 0;
  bool linear_ = false;
  int64_t columns_ = 0;
  int64_t features_ = 0;
  int64_t total_ = 0;
  std::vector<int64_t> starts_;
};

}  // namespace

std::unique_ptr<Kernel> MakeSvmClassifier(const KernelInfo& info) { return std::make_unique<SvmClassifierKernel>(info); }
std::unique_ptr<Kernel> MakeSvmRegressor(const KernelInfo& info) { return std::make_unique<SvmRegressorKernel>(info); }

}  // namespace cairn::runtime::ml
