#include "cairn/learn/trainers/mlp_trainer.h"

#include <Eigen/Dense>
#include <cmath>
#include <limits>
#include <numeric>

#include "cairn/core/error.h"
#include "cairn/learn/random.h"

namespace cairn::learn {
namespace {

using Matrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Eigen::Index;
using Eigen::RowVectorXd;

struct Layer {
  Matrix w;  // inputs x outputs
  RowVectorXd b;
};

// Forward pass; `activations` receives each layer's input and the final output.
Matrix Forward(const std::vector<Layer>& layers, const Matrix& x, std::vector<Matrix>* activations) {
  Matrix a = x;
  for (size_t l = 0; l < layers.size(); ++l) {
    if (activations) activations->push_back(a);
    Matrix z = a * layers[l].w;
    z.rowwise() += layers[l].b;
    if (l + 1 < layers.size()) z = z.cwiseMax(0.0);
    a = std::move(z);
  }
  return a;
}

void SoftmaxRows(Matrix& scores) {
  for (Index i = 0; i < scores.rows(); ++i) {
    double top = scores.row(i).maxCoeff();
    scores.row(i) = (scores.row(i).array() - top).exp();
    scores.row(i) /= scores.row(i).sum();
  }
}

class MlpModel : public Model {
 public:
  MlpModel(std::vector<Layer> layers, Task task, int epochs, double best_loss)
      : layers_(std::move(layers)), task_(task), epochs_(epochs), best_loss_(best_loss) {}

  Predictions Predict(const FeatureMatrix& x) const override {
    Matrix input(static_cast<Index>(x.rows), static_cast<Index>(x.cols));
    for (size_t i = 0; i < x.rows; ++i) {
      for (size_t j = 0; j < x.cols; ++j) input(static_cast<Index>(i), static_cast<Index>(j)) = x.at(i, j);
    }
    Matrix out = Forward(layers_, input, nullptr);
    if (task_ != Task::kRegression) SoftmaxRows(out);
    Predictions predictions;
    predictions.rows = x.rows;
    predictions.width = static_cast<size_t>(out.cols());
    predictions.values.assign(out.data(), out.data() + out.size());
    return predictions;
  }

  void EmitOnnx(OnnxGraph& graph, const EstimatorExport& target) const override {
    std::string current = target.features;
    for (size_t l = 0; l < layers_.size(); ++l) {
      const Layer& layer = layers_[l];
      std::vector<float> w(layer.w.data(), layer.w.data() + layer.w.size());
      std::vector<float> b(layer.b.data(), layer.b.data() + layer.b.size());
      std::string weights = graph.AddFloats("mlp.w" + std::to_string(l), {layer.w.rows(), layer.w.cols()}, w);
      std::string bias = graph.AddFloats("mlp.b" + std::to_string(l), {layer.b.size()}, b);
      bool last = l + 1 == layers_.size();
      std::string output = last && task_ == Task::kRegression ? "variable" : graph.Fresh("mlp.z" + std::to_string(l));
      graph.AddNode("Gemm", {current, weights, bias}, {output});
      current = last ? output : graph.Op("Relu", {output}, "mlp.a" + std::to_string(l));
    }
    if (task_ == Task::kRegression) return;
    graph.AddNode("Softmax", {current}, {"probabilities"}).Int("axis", 1);
    EmitLabelFromProbabilities(graph, "probabilities", target);
  }

  Json Summary() const override { return {{"epochs", epochs_}, {"best_validation_loss", best_loss_}}; }

 private:
  std::vector<Layer> layers_;
  Task task_;
  int epochs_;
  double best_loss_;
};

}  // namespace

const std::vector<ParamSpec>& MlpParams() {
  static const std::vector<ParamSpec> specs = {
      {"hidden_layers", ParamKind::kIntegerList, Json::array({64}), 1, 4096, "units per hidden layer, 1 to 3 layers"},
      {"learning_rate", ParamKind::kNumber, 0.001, 1e-9, 10, "Adam step size"},
      {"batch_size", ParamKind::kInteger, 64, 1, 1 << 20, "rows per minibatch"},
      {"max_epochs", ParamKind::kInteger, 200, 1, 100000, "passes over the training rows at most"},
      {"alpha", ParamKind::kNumber, 0.0001, 0, 1e6, "L2 penalty on the weights"},
      {"validation_fraction", ParamKind::kNumber, 0.1, 0, 0.5, "training rows held out for early stopping"},
      {"patience", ParamKind::kInteger, 10, 1, 100000, "epochs without improvement before stopping"},
      {"tol", ParamKind::kNumber, 1e-4, 0, 1, "least improvement of the validation loss that counts"},
  };
  return specs;
}

std::unique_ptr<Model> FitMlp(const TrainingSet& data, const ModelParams& params, const ProgressFn& progress) {
  std::vector<int64_t> hidden = params.IntegerList("hidden_layers");
  if (hidden.size() > 3) ThrowInvalidInput("model.params.hidden_layers: at most 3 hidden layers, got " + std::to_string(hidden.size()));
  const bool regression = data.task == Task::kRegression;
  const Index n = static_cast<Index>(data.x.rows);
  const Index f = static_cast<Index>(data.x.cols);
  const Index outputs = regression ? 1 : data.num_classes;
  SplitMix64 random(data.seed);

  Matrix x(n, f);
  for (Index i = 0; i < n; ++i) {
    for (Index j = 0; j < f; ++j) x(i, j) = data.x.at(static_cast<size_t>(i), static_cast<size_t>(j));
  }
  // Targets: one-hot rows, or the standardised value.
  double y_mean = 0, y_scale = 1;
  if (regression && n > 0) {
    for (double v : data.y) y_mean += v;
    y_mean /= static_cast<double>(n);
    double squares = 0;
    for (double v : data.y) squares += (v - y_mean) * (v - y_mean);
    double deviation = std::sqrt(squares / static_cast<double>(n));
    y_scale = deviation > 0 ? deviation : 1;
  }
  Matrix y = Matrix::Zero(n, outputs);
  for (Index i = 0; i < n; ++i) {
    double v = data.y[static_cast<size_t>(i)];
    if (regression) {
      y(i, 0) = (v - y_mean) / y_scale;
    } else {
      y(i, static_cast<Index>(v)) = 1;
    }
  }

  std::vector<Index> sizes = {f};
  for (int64_t units : hidden) sizes.push_back(static_cast<Index>(units));
  sizes.push_back(outputs);
  std::vector<Layer> layers;
  for (size_t l = 0; l + 1 < sizes.size(); ++l) {
    // Glorot uniform initialisation from the seeded stream.
    double bound = std::sqrt(6.0 / static_cast<double>(sizes[l] + sizes[l + 1]));
    Layer layer{Matrix(sizes[l], sizes[l + 1]), RowVectorXd(sizes[l + 1])};
    for (Index i = 0; i < layer.w.size(); ++i) layer.w.data()[i] = (2 * random.Uniform() - 1) * bound;
    for (Index i = 0; i < layer.b.size(); ++i) layer.b[i] = (2 * random.Uniform() - 1) * bound;
    layers.push_back(std::move(layer));
  }

  std::vector<Index> rows(static_cast<size_t>(n));
  std::iota(rows.begin(), rows.end(), Index{0});
  random.Shuffle(rows);
  auto held_out = static_cast<Index>(std::floor(static_cast<double>(n) * params.Number("validation_fraction")));
  if (n < 20) held_out = 0;
  std::vector<Index> validation(rows.begin(), rows.begin() + held_out);
  std::vector<Index> training(rows.begin() + held_out, rows.end());
  if (training.empty()) ThrowInvalidInput("mlp: no training rows");
  auto gather = [](const Matrix& m, const std::vector<Index>& index) {
    Matrix out(static_cast<Index>(index.size()), m.cols());
    for (size_t i = 0; i < index.size(); ++i) out.row(static_cast<Index>(i)) = m.row(index[i]);
    return out;
  };
  Matrix x_check = gather(x, validation.empty() ? training : validation);
  Matrix y_check = gather(y, validation.empty() ? training : validation);
  auto loss_of = [&](const std::vector<Layer>& current) {
    Matrix out = Forward(current, x_check, nullptr);
    double loss = 0;
    if (regression) {
      loss = (out - y_check).squaredNorm() / 2;
    } else {
      SoftmaxRows(out);
      for (Index i = 0; i < out.rows(); ++i) {
        for (Index k = 0; k < outputs; ++k) {
          if (y_check(i, k) > 0) loss -= std::log(std::max(out(i, k), 1e-300));
        }
      }
    }
    return loss / static_cast<double>(std::max<Index>(out.rows(), 1));
  };

  const double lr = params.Number("learning_rate");
  const double alpha = params.Number("alpha");
  const auto batch = static_cast<size_t>(params.Integer("batch_size"));
  const auto max_epochs = static_cast<int>(params.Integer("max_epochs"));
  const auto patience = static_cast<int>(params.Integer("patience"));
  const double tol = params.Number("tol");
  const double beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
  std::vector<Layer> m1, m2;
  for (const auto& layer : layers) {
    m1.push_back({Matrix::Zero(layer.w.rows(), layer.w.cols()), RowVectorXd::Zero(layer.b.size())});
    m2.push_back(m1.back());
  }
  std::vector<Layer> best = layers;
  double best_loss = std::numeric_limits<double>::infinity();
  int since_best = 0;
  int epoch = 0;
  int64_t step = 0;
  for (epoch = 1; epoch <= max_epochs; ++epoch) {
    random.Shuffle(training);
    for (size_t start = 0; start < training.size(); start += batch) {
      std::vector<Index> index(training.begin() + static_cast<std::ptrdiff_t>(start),
                               training.begin() + static_cast<std::ptrdiff_t>(std::min(training.size(), start + batch)));
      Matrix xb = gather(x, index);
      Matrix yb = gather(y, index);
      auto size = static_cast<double>(index.size());
      std::vector<Matrix> inputs;
      Matrix out = Forward(layers, xb, &inputs);
      if (!regression) SoftmaxRows(out);
      Matrix delta = (out - yb) / size;
      ++step;
      double correction = std::sqrt(1 - std::pow(beta2, static_cast<double>(step))) / (1 - std::pow(beta1, static_cast<double>(step)));
      for (size_t l = layers.size(); l-- > 0;) {
        Matrix grad_w = inputs[l].transpose() * delta + (alpha / size) * layers[l].w;
        RowVectorXd grad_b = delta.colwise().sum();
        if (l > 0) {
          Matrix back = delta * layers[l].w.transpose();
          delta = back.cwiseProduct((inputs[l].array() > 0).cast<double>().matrix());
        }
        m1[l].w = beta1 * m1[l].w + (1 - beta1) * grad_w;
        m2[l].w = beta2 * m2[l].w + (1 - beta2) * grad_w.cwiseAbs2();
        m1[l].b = beta1 * m1[l].b + (1 - beta1) * grad_b;
        m2[l].b = beta2 * m2[l].b + (1 - beta2) * grad_b.cwiseAbs2();
        layers[l].w.array() -= lr * correction * m1[l].w.array() / (m2[l].w.array().sqrt() + epsilon);
        layers[l].b.array() -= lr * correction * m1[l].b.array() / (m2[l].b.array().sqrt() + epsilon);
      }
    }
    double loss = loss_of(layers);
    if (progress) progress(static_cast<uint64_t>(epoch), static_cast<uint64_t>(max_epochs));
    if (!std::isfinite(loss)) ThrowInvalidInput("mlp: the loss diverged at epoch " + std::to_string(epoch) + "; lower model.params.learning_rate");
    if (loss < best_loss - tol) {
      best_loss = loss;
      best = layers;
      since_best = 0;
    } else if (++since_best >= patience) {
      break;
    }
  }
  if (progress) progress(static_cast<uint64_t>(max_epochs), static_cast<uint64_t>(max_epochs));
  if (regression) {
    // Undo the target standardisation inside the last layer.
    best.back().w *= y_scale;
    best.back().b = best.back().b * y_scale;
    best.back().b.array() += y_mean;
  }
  // Round to float now so predictions use the very weights the graph holds.
  for (auto& layer : best) {
    layer.w = layer.w.cast<float>().cast<double>();
    layer.b = layer.b.cast<float>().cast<double>();
  }
  return std::make_unique<MlpModel>(std::move(best), data.task, std::min(epoch, max_epochs), best_loss);
}

}  // namespace cairn::learn
