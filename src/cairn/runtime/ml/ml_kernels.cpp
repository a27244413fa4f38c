#include "cairn/runtime/ml/ml_kernels.h"

#include "cairn/runtime/ml/ml_ops.h"
#include "cairn/runtime/model.h"
#include "cairn/runtime/op_registry.h"

namespace cairn::runtime {

// The table of ai.onnx.ml kernels: (op, since_versions, factory).
void RegisterMlKernels(OpRegistry& registry) {
  // Opsets 4 and 5 load without ONNX 1.12's checker, which does not know them.
  registry.SetMaxOpset(kOnnxMlDomain, 5);
  const auto d = kOnnxMlDomain;
  registry.Add(d, "TreeEnsembleClassifier", {1, 3}, ml::MakeTreeEnsembleClassifier);
  registry.Add(d, "TreeEnsembleRegressor", {1, 3}, ml::MakeTreeEnsembleRegressor);
  // Opset 5's single tree op, BRANCH_MEMBER included.
  registry.Add(d, "TreeEnsemble", 5, ml::MakeTreeEnsemble);
  registry.Add(d, "LinearClassifier", 1, ml::MakeLinearClassifier);
  registry.Add(d, "LinearRegressor", 1, ml::MakeLinearRegressor);
  registry.Add(d, "SVMClassifier", 1, ml::MakeSvmClassifier);
  registry.Add(d, "SVMRegressor", 1, ml::MakeSvmRegressor);
  registry.Add(d, "Scaler", 1, ml::MakeScaler);
  registry.Add(d, "Normalizer", 1, ml::MakeNormalizer);
  registry.Add(d, "Imputer", 1, ml::MakeImputer);
  registry.Add(d, "Binarizer", 1, ml::MakeBinarizer);
  registry.Add(d, "ArrayFeatureExtractor", 1, ml::MakeArrayFeatureExtractor);
  registry.Add(d, "FeatureVectorizer", 1, ml::MakeFeatureVectorizer);
  registry.Add(d, "OneHotEncoder", 1, ml::MakeOneHotEncoder);
  registry.Add(d, "LabelEncoder", {1, 2}, ml::MakeLabelEncoder);
  registry.Add(d, "CategoryMapper", 1, ml::MakeCategoryMapper);
  registry.Add(d, "ZipMap", 1, ml::MakeZipMap);
}

}  // namespace cairn::runtime
