// Cast, CastLike and Clip.
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <type_traits>

#include "cairn/runtime/op_registry.h"
#include "cairn/runtime/ops/kernel_util.h"
#include "cairn/runtime/ops/ops.h"

namespace cairn::runtime {
namespace {

template <typename To, typename From>
To ConvertNumber(From value) {
  if constexpr (std::is_same_v<To, bool>) {
    return value != From(0);
  } else if constexpr (std::is_floating_point_v<From> && std::is_integral_v<To>) {
    // Out-of-range float to integer is undefined in C++; clamp instead (NaN to 0).
    if (std::isnan(value)) return To(0);
    if (value <= static_cast<From>(std::numeric_limits<To>::lowest())) return std::numeric_limits<To>::lowest();
    if (value >= static_cast<From>(std::numeric_limits<To>::max())) return std::numeric_limits<To>::max();
    return static_cast<To>(value);
  } else {
    return static_cast<To>(value);
  }
}

template <typename From>
std::string NumberToString(From value) {
  if constexpr (std::is_same_v<From, bool>) {
    return value ? "1" : "0";
  } else {
    if constexpr (std::is_floating_point_v<From>) {
      if (std::isnan(value)) return "NaN";
      if (std::isinf(value)) return value > 0 ? "INF" : "-INF";
    }
    // Shortest text that reads back to the same value.
    char buffer[64];
    auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
    return std::string(buffer, result.ptr);
  }
}

template <typename To>
To StringToNumber(const std::string& text) {
  // strtod reads "NaN", "INF" and "-inf" as well as numbers.
  double value = std::strtod(text.c_str(), nullptr);
  return ConvertNumber<To>(value);
}

void CastTensor(const Tensor& x, Tensor& y) {
  DispatchAny(x.dtype(), [&](auto from_tag) {
    using From = typename decltype(from_tag)::type;
    const From* in = x.data<From>();
    DispatchAny(y.dtype(), [&](auto to_tag) {
      using To = typename decltype(to_tag)::type;
      To* out = y.mutable_data<To>();
      for (int64_t i = 0; i < x.size(); ++i) {
        if constexpr (std::is_same_v<From, std::string> && std::is_same_v<To, std::string>) {
          out[i] = in[i];
        } else if constexpr (std::is_same_v<From, std::string>) {
          out[i] = StringToNumber<To>(in[i]);
        } else if constexpr (std::is_same_v<To, std::string>) {
          out[i] = NumberToString(in[i]);
        } else {
          out[i] = ConvertNumber<To>(in[i]);
        }
      }
    });
  });
}

class CastKernel final : public Kernel {
 public:
  explicit CastKernel(const KernelInfo& info) : to_(static_cast<DataType>(info.RequireInt("to"))) {
    if (!IsStorableType(to_)) {
      ThrowUnsupported(info.node().Label() + ": cairn cannot cast to " + std::string(DataTypeName(to_)));
    }
  }
  void Compute(KernelContext& context) const override {
    const Tensor& x = context.Input(0);
    if (x.dtype() == to_) {
      context.SetOutput(0, x);
      return;
    }
    CastTensor(x, context.AllocateOutput(0, to_, x.shape()));
  }

 private:
  DataType to_;
};

class CastLikeKernel final : public Kernel {
 public:
  explicit CastLikeKernel(const KernelInfo&) {}
  void Compute(KernelContext& context) const override {
    const Tensor& x = context.Input(0);
    DataType to = context.Input(1).dtype();
    if (x.dtype() == to) {
      context.SetOutput(0, x);
      return;
    }
    CastTensor(x, context.AllocateOutput(0, to, x.shape()));
  }
};

class ClipKernel final : public Kernel {
 public:
  explicit ClipKernel(const KernelInfo& info) : from_attributes_(info.opset() < 11) {
    if (from_attributes_) {
      min_ = info.GetFloat("min", std::numeric_limits<float>::lowest());
      max_ = info.GetFloat("max", std::numeric_limits<float>::max());
    }
  }
  void Compute(KernelContext& context) const override {
    const Tensor& x = context.Input(0);
    const Tensor* min = from_attributes_ ? nullptr : context.OptionalInput(1);
    const Tensor* max = from_attributes_ ? nullptr : context.OptionalInput(2);
    for (const Tensor* bound : {min, max}) {
      if (bound != nullptr && (bound->dtype() != x.dtype() || bound->size() != 1)) {
        context.Fail("min and max must be scalars of the input's type " + x.Describe() + ", not " + bound->Describe());
      }
    }
    bool done = false;
    DispatchNumeric(x.dtype(), [&](auto tag) {
      using T = typename decltype(tag)::type;
      if constexpr (!std::is_same_v<T, bool>) {
        T lo = std::numeric_limits<T>::lowest();
        T hi = std::numeric_limits<T>::max();
        if (from_attributes_) {
          lo = static_cast<T>(min_);
          hi = static_cast<T>(max_);
        }
        if (min != nullptr) lo = min->data<T>()[0];
        if (max != nullptr) hi = max->data<T>()[0];
        Tensor& y = context.AllocateOutput(0, x.dtype(), x.shape());
        const T* in = x.data<T>();
        T* out = y.mutable_data<T>();
        for (int64_t i = 0; i < x.size(); ++i) {
          T v = in[i] < lo ? lo : in[i];
          out[i] = v > hi ? hi : v;
        }
        done = true;
      }
    });
    if (!done) context.Fail("does not take " + x.Describe());
  }

 private:
  bool from_attributes_;
  float min_ = 0;
  float max_ = 0;
};

}  // namespace

void RegisterConversionKernels(OpRegistry& registry) {
  registry.Add(kOnnxDomain, "Cast", {6, 9, 13}, MakeKernel<CastKernel>);
  registry.Add(kOnnxDomain, "CastLike", 15, MakeKernel<CastLikeKernel>);
  registry.Add(kOnnxDomain, "Clip", {6, 11, 12, 13}, MakeKernel<ClipKernel>);
}

}  // namespace cairn::runtime
