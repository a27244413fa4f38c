// Factories of the ai.onnx.ml kernels, one per op, grouped by the file that
// defines them; ml_kernels.cpp puts them in the registry's table.
#pragma once

#include <memory>

#include "cairn/runtime/kernel.h"

namespace cairn::runtime::ml {

// tree_kernels.cpp
std::unique_ptr<Kernel> MakeTreeEnsembleClassifier(const KernelInfo& info);
std::unique_ptr<Kernel> MakeTreeEnsembleRegressor(const KernelInfo& info);
std::unique_ptr<Kernel> MakeTreeEnsemble(const KernelInfo& info);

// linear_kernels.cpp
std::unique_ptr<Kernel> MakeLinearClassifier(const KernelInfo& info);
std::unique_ptr<Kernel> MakeLinearRegressor(const KernelInfo& info);

// svm_kernels.cpp
std::unique_ptr<Kernel> MakeSvmClassifier(const KernelInfo& info);
std::unique_ptr<Kernel> MakeSvmRegressor(const KernelInfo& info);

// preprocess_kernels.cpp
std::unique_ptr<Kernel> MakeScaler(const KernelInfo& info);
std::unique_ptr<Kernel> MakeNormalizer(const KernelInfo& info);
std::unique_ptr<Kernel> MakeImputer(const KernelInfo& info);
std::unique_ptr<Kernel> MakeBinarizer(const KernelInfo& info);
std::unique_ptr<Kernel> MakeArrayFeatureExtractor(const KernelInfo& info);
std::unique_ptr<Kernel> MakeFeatureVectorizer(const KernelInfo& info);

// encoder_kernels.cpp
std::unique_ptr<Kernel> MakeOneHotEncoder(const KernelInfo& info);
std::unique_ptr<Kernel> MakeLabelEncoder(const KernelInfo& info);
std::unique_ptr<Kernel> MakeCategoryMapper(const KernelInfo& info);
std::unique_ptr<Kernel> MakeZipMap(const KernelInfo& info);

}  // namespace cairn::runtime::ml
