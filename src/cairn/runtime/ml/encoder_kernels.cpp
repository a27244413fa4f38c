// Category encoders and ZipMap: OneHotEncoder, LabelEncoder (opsets 1 and
// 2), CategoryMapper, and ZipMap, which turns class scores into one map per
// row (the maps share the label tensor and the score tensor).
#include <cmath>
#include <unordered_map>

#include "cairn/runtime/ml/ml_ops.h"
#include "cairn/runtime/ml/ml_util.h"

namespace cairn::runtime::ml {
namespace {

class OneHotEncoderKernel final : public Kernel {
 public:
  explicit OneHotEncoderKernel(const KernelInfo& info) : zeros_(info.GetInt("zeros", 1) != 0) {
    auto ints = info.GetInts("cats_int64s");
    auto strings = info.GetStrings("cats_strings");
    if (ints.empty() == strings.empty()) info.Fail("exactly one of 'cats_int64s' and 'cats_strings' must be given");
    size_ = static_cast<int64_t>(ints.size() + strings.size());
    // The first occurrence of a duplicated category wins.
    for (size_t i = 0; i < ints.size(); ++i) int_index_.emplace(ints[i], static_cast<int64_t>(i));
    for (size_t i = 0; i < strings.size(); ++i) string_index_.emplace(strings[i], static_cast<int64_t>(i));
    strings_ = !strings.empty();
  }

  void Compute(KernelContext& context) const override {
    const Tensor& x = context.Input(0);
    Shape shape = x.shape();
    shape.push_back(size_);
    float* y = context.AllocateOutput(0, DataType::kFloat32, shape).mutable_data<float>();
    auto place = [&](int64_t i, int64_t index, const std::string& shown) {
      if (index < 0) {
        if (!zeros_) context.Fail("input value '" + shown + "' is not a known category and 'zeros' is 0");
        return;
      }
      y[i * size_ + index] = 1.0f;
    };
    if (x.dtype() == DataType::kString) {
      if (!strings_) context.Fail("input X is " + x.Describe() + " but the categories are int64 ('cats_int64s')");
      const std::string* in = x.data<std::string>();
      for (int64_t i = 0; i < x.size(); ++i) {
        auto it = string_index_.find(in[i]);
        place(i, it == string_index_.end() ? -1 : it->second, in[i]);
      }
      return;
    }
    if (strings_) context.Fail("input X is " + x.Describe() + " but the categories are strings ('cats_strings')");
    if (x.dtype() != DataType::kInt64 && x.dtype() != DataType::kInt32 && x.dtype() != DataType::kFloat32 &&
        x.dtype() != DataType::kFloat64) {
      context.Fail("input X is " + x.Describe() + "; expected string, int64, int32, float or double");
    }
    for (int64_t i = 0; i < x.size(); ++i) {
      double v = x.ValueAsDouble(i);
      // Numbers are matched as integers; NaN and out-of-range values match nothing.
      int64_t key = 0;
      bool valid = std::isfinite(v) && std::fabs(v) < 9.2e18;
      if (valid) key = x.dtype() == DataType::kInt64 ? x.data<int64_t>()[i] : static_cast<int64_t>(v);
      auto it = valid ? int_index_.find(key) : int_index_.end();
      place(i, it == int_index_.end() ? -1 : it->second, std::to_string(v));
    }
  }

 private:
  bool zeros_;
  bool strings_ = false;
  int64_t size_ = 0;
  std::unordered_map<int64_t, int64_t> int_index_;
  std::unordered_map<std::string, int64_t> string_index_;
};

// Keys and values of one type each; the lookup table is built once.
class LabelEncoderKernel final : public Kernel {
 public:
  explicit LabelEncoderKernel(const KernelInfo& info) {
    if (info.opset() < 2) {
      // Opset 1: strings <-> their index in classes_strings.
      auto classes = info.GetStrings("classes_strings");
      key_type_ = DataType::kString;  // for string input; int64 input goes the other way
      strings_by_index_ = classes;
      for (size_t i = 0; i < classes.size(); ++i) string_to_int_.emplace(classes[i], static_cast<int64_t>(i));
      default_int_ = info.GetInt("default_int64", -1);
      default_string_ = info.GetString("default_string", "_Unused");
      v1_ = true;
      return;
    }
    auto key_strings = info.GetStrings("keys_strings");
    auto key_ints = info.GetInts("keys_int64s");
    auto key_floats = info.GetFloats("keys_floats");
    auto value_strings = info.GetStrings("values_strings");
    auto value_ints = info.GetInts("values_int64s");
    auto value_floats = info.GetFloats("values_floats");
    int keys_given = !key_strings.empty() + !key_ints.empty() + !key_floats.empty();
    int values_given = !value_strings.empty() + !value_ints.empty() + !value_floats.empty();
    if (keys_given != 1) info.Fail("exactly one of 'keys_strings', 'keys_int64s' and 'keys_floats' must be given");
    if (values_given != 1) info.Fail("exactly one of 'values_strings', 'values_int64s' and 'values_floats' must be given");
    size_t keys = key_strings.size() + key_ints.size() + key_floats.size();
    size_t values = value_strings.size() + value_ints.size() + value_floats.size();
    if (keys != values) {
      info.Fail("the keys_* attribute has " + std::to_string(keys) + " values and the values_* attribute " +
                std::to_string(values));
    }
    key_type_ = !key_strings.empty() ? DataType::kString : !key_ints.empty() ? DataType::kInt64 : DataType::kFloat32;
    value_type_ = !value_strings.empty() ? DataType::kString
                  : !value_ints.empty()  ? DataType::kInt64
                                         : DataType::kFloat32;
    value_strings_ = value_strings;
    value_ints_ = value_ints;
    value_floats_ = value_floats;
    // Later duplicates do not replace the first mapping.
    for (size_t i = 0; i < keys; ++i) {
      if (key_type_ == DataType::kString) string_keys_.emplace(key_strings[i], i);
      if (key_type_ == DataType::kInt64) int_keys_.emplace(key_ints[i], i);
      if (key_type_ == DataType::kFloat32) float_keys_.emplace(key_floats[i], i);
    }
    default_int_ = info.GetInt("default_int64", -1);
    default_string_ = info.GetString("default_string", "_Unused");
    default_float_ = info.GetFloat("default_float", -0.0f);
  }

  void Compute(KernelContext& context) const override {
    const Tensor& x = context.Input(0);
    if (v1_) {
      ComputeV1(context, x);
      return;
    }
    if (x.dtype() != key_type_) {
      context.Fail("input X is " + x.Describe() + " but the keys are " + std::string(DataTypeName(key_type_)));
    }
    Tensor& y = context.AllocateOutput(0, value_type_, x.shape());
    for (int64_t i = 0; i < x.size(); ++i) {
      int64_t found = -1;
      if (key_type_ == DataType::kString) {
        auto it = string_keys_.find(x.data<std::string>()[i]);
        if (it != string_keys_.end()) found = static_cast<int64_t>(it->second);
      } else if (key_type_ == DataType::kInt64) {
        auto it = int_keys_.find(x.data<int64_t>()[i]);
        if (it != int_keys_.end()) found = static_cast<int64_t>(it->second);
      } else {
        auto it = float_keys_.find(x.data<float>()[i]);
        if (it != float_keys_.end()) found = static_cast<int64_t>(it->second);
      }
      switch (value_type_) {
        case DataType::kString:
          y.mutable_data<std::string>()[i] = found < 0 ? default_string_ : value_strings_[found];
          break;
        case DataType::kInt64: y.mutable_data<int64_t>()[i] = found < 0 ? default_int_ : value_ints_[found]; break;
        default: y.mutable_data<float>()[i] = found < 0 ? default_float_ : value_floats_[found]; break;
      }
    }
  }

 private:
  void ComputeV1(KernelContext& context, const Tensor& x) const {
    if (x.dtype() == DataType::kString) {
      int64_t* out = context.AllocateOutput(0, DataType::kInt64, x.shape()).mutable_data<int64_t>();
      const std::string* in = x.data<std::string>();
      for (int64_t i = 0; i < x.size(); ++i) {
        auto it = string_to_int_.find(in[i]);
        out[i] = it == string_to_int_.end() ? default_int_ : it->second;
      }
      return;
    }
    if (x.dtype() != DataType::kInt64) context.Fail("input X is " + x.Describe() + "; expected string or int64");
    std::string* out = context.AllocateOutput(0, DataType::kString, x.shape()).mutable_data<std::string>();
    const int64_t* in = x.data<int64_t>();
    for (int64_t i = 0; i < x.size(); ++i) {
      bool known = in[i] >= 0 && in[i] < static_cast<int64_t>(strings_by_index_.size());
      out[i] = known ? strings_by_index_[static_cast<size_t>(in[i])] : default_string_;
    }
  }

  bool v1_ = false;
  DataType key_type_ = DataType::kString;
  DataType value_type_ = DataType::kInt64;
  std::vector<std::string> strings_by_index_;
  std::unordered_map<std::string, int64_t> string_to_int_;
  std::unordered_map<std::string, size_t> string_keys_;
  std::unordered_map<int64_t, size_t> int_keys_;
  std::unordered_map<float, size_t> float_keys_;
  std::vector<std::string> value_strings_;
  std::vector<int64_t> value_ints_;
  std::vector<float> value_floats_;
  int64_t default_int_ = -1;
  std::string default_string_;
  float default_float_ = -0.0f;
};

class CategoryMapperKernel final : public Kernel {
 public:
  explicit CategoryMapperKernel(const KernelInfo& info)
      : ints_(info.GetInts("cats_int64s")),
        strings_(info.GetStrings("cats_strings")),
        default_int_(info.GetInt("default_int64", -1)),
        default_string_(info.GetString("default_string", "_Unused")) {
    if (ints_.size() != strings_.size()) {
      info.Fail("attributes 'cats_int64s' and 'cats_strings' have " + std::to_string(ints_.size()) + " and " +
                std::to_string(strings_.size()) + " values");
    }
    for (size_t i = 0; i < ints_.size(); ++i) {
      string_to_int_.emplace(strings_[i], ints_[i]);
      int_to_string_.emplace(ints_[i], i);
    }
  }

  void Compute(KernelContext& context) const override {
    const Tensor& x = context.Input(0);
    if (x.dtype() == DataType::kString) {
      int64_t* out = context.AllocateOutput(0, DataType::kInt64, x.shape()).mutable_data<int64_t>();
      const std::string* in = x.data<std::string>();
      for (int64_t i = 0; i < x.size(); ++i) {
        auto it = string_to_int_.find(in[i]);
        out[i] = it == string_to_int_.end() ? default_int_ : it->second;
      }
      return;
    }
    if (x.dtype() != DataType::kInt64) context.Fail("input X is " + x.Describe() + "; expected string or int64");
    std::string* out = context.AllocateOutput(0, DataType::kString, x.shape()).mutable_data<std::string>();
    const int64_t* in = x.data<int64_t>();
    for (int64_t i = 0; i < x.size(); ++i) {
      auto it = int_to_string_.find(in[i]);
      out[i] = it == int_to_string_.end() ? default_string_ : strings_[it->second];
    }
  }

 private:
  std::vector<int64_t> ints_;
  std::vector<std::string> strings_;
  int64_t default_int_;
  std::string default_string_;
  std::unordered_map<std::string, int64_t> string_to_int_;
  std::unordered_map<int64_t, size_t> int_to_string_;
};

class ZipMapKernel final : public Kernel {
 public:
  explicit ZipMapKernel(const KernelInfo& info) {
    ClassLabels labels(info, "classlabels_strings", "classlabels_int64s");
    if (labels.size() == 0) info.Fail("one of 'classlabels_strings' and 'classlabels_int64s' is required");
    keys_ = labels.is_string() ? Tensor::FromVector<std::string>({labels.size()}, labels.strings())
                               : Tensor::FromVector<int64_t>({labels.size()}, labels.ints());
  }

  void Compute(KernelContext& context) const override {
    const Tensor& x = context.Input(0);
    if (x.dtype() != DataType::kFloat32) context.Fail("input X is " + x.Describe() + "; expected float");
    if (x.rank() > 2 || x.rank() == 0) context.Fail("input X must be [N, C] or [C], got " + x.Describe());
    Tensor values = x.rank() == 1 ? x.Reshaped({1, x.dim(0)}) : x;
    if (values.dim(1) != keys_.size()) {
      context.Fail("input X has " + std::to_string(values.dim(1)) + " columns for " + std::to_string(keys_.size()) +
                   " class labels");
    }
    context.SetOutput(0, MapSequence{keys_, values});
  }

 private:
  Tensor keys_;
};

}  // namespace

std::unique_ptr<Kernel> MakeOneHotEncoder(const KernelInfo& info) { return std::make_unique<OneHotEncoderKernel>(info); }
std::unique_ptr<Kernel> MakeLabelEncoder(const KernelInfo& info) { return std::make_unique<LabelEncoderKernel>(info); }
std::unique_ptr<Kernel> MakeCategoryMapper(const KernelInfo& info) {
  return std::make_unique<CategoryMapperKernel>(info);
}
std::unique_ptr<Kernel> MakeZipMap(const KernelInfo& info) { return std::make_unique<ZipMapKernel>(info); }

}  // namespace cairn::runtime::ml
