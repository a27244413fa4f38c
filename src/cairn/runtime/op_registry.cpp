#include "cairn/runtime/op_registry.h"

#include "cairn/core/error.h"
#include "cairn/runtime/ml/ml_kernels.h"
#include "cairn/runtime/ops/ops.h"

namespace cairn::runtime {

std::string NormalizeDomain(std::string_view domain) {
  if (domain == "ai.onnx") return "";
  return std::string(domain);
}

void OpRegistry::Add(std::string_view domain, std::string_view op_type, int64_t since_version, KernelFactory factory) {
  auto& versions = kernels_[OpSchemaKey{NormalizeDomain(domain), std::string(op_type)}];
  if (!versions.emplace(since_version, factory).second) {
    ThrowConflict("kernel " + DomainDisplayName(NormalizeDomain(domain)) + "::" + std::string(op_type) + " version " +
                  std::to_string(since_version) + " is registered twice");
  }
}

void OpRegistry::Add(std::string_view domain, std::string_view op_type, std::initializer_list<int64_t> since_versions,
                     KernelFactory factory) {
  for (int64_t version : since_versions) Add(domain, op_type, version, factory);
}

KernelFactory OpRegistry::Find(std::string_view domain, std::string_view op_type, int64_t opset) const {
  auto it = kernels_.find(OpSchemaKey{NormalizeDomain(domain), std::string(op_type)});
  if (it == kernels_.end()) return nullptr;
  auto version = it->second.upper_bound(opset);
  if (version == it->second.begin()) return nullptr;
  return std::prev(version)->second;
}

bool OpRegistry::Knows(std::string_view domain, std::string_view op_type) const {
  return kernels_.count(OpSchemaKey{NormalizeDomain(domain), std::string(op_type)}) > 0;
}

std::vector<int64_t> OpRegistry::Versions(std::string_view domain, std::string_view op_type) const {
  std::vector<int64_t> out;
  auto it = kernels_.find(OpSchemaKey{NormalizeDomain(domain), std::string(op_type)});
  if (it != kernels_.end()) {
    for (const auto& [version, factory] : it->second) out.push_back(version);
  }
  return out;
}

std::vector<OpSchemaKey> OpRegistry::Ops() const {
  std::vector<OpSchemaKey> out;
  for (const auto& [key, versions] : kernels_) out.push_back(key);
  return out;
}

void OpRegistry::SetMaxOpset(std::string_view domain, int64_t version) {
  max_opsets_[NormalizeDomain(domain)] = version;
}

int64_t OpRegistry::MaxOpset(std::string_view domain) const {
  auto it = max_opsets_.find(NormalizeDomain(domain));
  return it == max_opsets_.end() ? 0 : it->second;
}

namespace {

// The one table of what cairn can run.
OpRegistry BuildDefaultRegistry() {
  OpRegistry registry;
  // ai.onnx opsets up to 17 are the ones ONNX 1.12's checker and shape
  // inference know.
  registry.SetMaxOpset(kOnnxDomain, 17);
  RegisterElementwiseKernels(registry);
  RegisterLogicKernels(registry);
  RegisterConversionKernels(registry);
  RegisterMathKernels(registry);
  RegisterReduceKernels(registry);
  RegisterShapeKernels(registry);
  RegisterQuantizeKernels(registry);
  // ai.onnx.ml: tree ensembles, linear and SVM models, preprocessing, ZipMap.
  RegisterMlKernels(registry);
  return registry;
}

}  // namespace

const OpRegistry& DefaultRegistry() {
  static const OpRegistry registry = BuildDefaultRegistry();
  return registry;
}

}  // namespace cairn::runtime
