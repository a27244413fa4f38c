// OpRegistry: the one table of op kernels cairn has, keyed by (domain,
// op_type, since_version). DefaultRegistry() lists every family of kernels in
// one place (op_registry.cpp); there is no static self-registration.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cairn/runtime/kernel.h"

namespace cairn::runtime {

struct OpSchemaKey {
  std::string domain;  // "" for ai.onnx
  std::string op_type;
  auto operator<=>(const OpSchemaKey&) const = default;
};

class OpRegistry {
 public:
  // Registers `factory` for models whose opset for `domain` is at least
  // `since_version` (until a later since_version of the same op takes over).
  // "ai.onnx" is stored as "". Registering the same triple twice throws.
  void Add(std::string_view domain, std::string_view op_type, int64_t since_version, KernelFactory factory);
  // The same factory for several since_versions at once.
  void Add(std::string_view domain, std::string_view op_type, std::initializer_list<int64_t> since_versions,
           KernelFactory factory);

  // The factory with the highest since_version <= opset, or null.
  KernelFactory Find(std::string_view domain, std::string_view op_type, int64_t opset) const;
  // Whether any version of the op is registered.
  bool Knows(std::string_view domain, std::string_view op_type) const;
  // Registered since_versions of an op, ascending.
  std::vector<int64_t> Versions(std::string_view domain, std::string_view op_type) const;
  // Every registered (domain, op_type).
  std::vector<OpSchemaKey> Ops() const;

  // Newest opset cairn accepts for a domain (0: domain unknown). Kernel
  // families raise it for their domain when they register.
  void SetMaxOpset(std::string_view domain, int64_t version);
  int64_t MaxOpset(std::string_view domain) const;

 private:
  std::map<OpSchemaKey, std::map<int64_t, KernelFactory>> kernels_;
  std::map<std::string, int64_t, std::less<>> max_opsets_;
};

// Built on first use from the table in op_registry.cpp; immutable afterwards.
const OpRegistry& DefaultRegistry();

// "" for "ai.onnx" and "ai.onnx" itself; other domains unchanged.
std::string NormalizeDomain(std::string_view domain);

}  // namespace cairn::runtime
