#include "cairn/runtime/known_categories.h"

#include <algorithm>

#include "cairn/core/error.h"
#include "cairn/core/json.h"

namespace cairn::runtime {
namespace {

const std::string* FindMetadata(const Model& model, const char* key) {
  for (const auto& [k, v] : model.metadata_props) {
    if (k == key) return &v;
  }
  return nullptr;
}

bool Known(const std::vector<std::string>& categories, const std::string& value) {
  return std::binary_search(categories.begin(), categories.end(), value);
}

}  // namespace

KnownCategories KnownCategories::FromModel(const Model& model) {
  KnownCategories out;
  const std::string* policy = FindMetadata(model, kHandleUnknownMetadata);
  if (policy == nullptr || *policy != "error") return out;
  const std::string* text = FindMetadata(model, kCategoriesMetadata);
  Json categories = text ? Json::parse(*text, nullptr, /*allow_exceptions=*/false) : Json();
  if (!categories.is_object()) {
    ThrowInvalidInput(model.source + ": metadata '" + kCategoriesMetadata + "' is not a JSON object of category lists, yet '" +
                      kHandleUnknownMetadata + "' is error");
  }
  for (const auto& [column, list] : categories.items()) {
    std::vector<std::string> names;
    if (list.is_array()) {
      for (const auto& item : list) {
        if (item.is_string()) names.push_back(item.get<std::string>());
      }
    }
    if (!list.is_array() || names.size() != list.size()) {
      ThrowInvalidInput(model.source + ": metadata '" + kCategoriesMetadata + "': '" + column + "' is not a list of strings");
    }
    std::sort(names.begin(), names.end());
    out.known_[column] = std::move(names);
  }
  return out;
}

void KnownCategories::Refuse(const std::string& input, int64_t row, const std::string& value) const {
  const std::vector<std::string>& categories = known_.at(input);
  std::string listed;
  for (size_t i = 0; i < categories.size() && i < 10; ++i) listed += (i ? ", " : "") + categories[i];
  if (categories.size() > 10) listed += ", ... (" + std::to_string(categories.size()) + " in all)";
  ThrowInvalidInput("column '" + input + "' row " + std::to_string(row) + ": category '" + value.substr(0, 64) +
                    "' was not seen in training, and the model refuses unknown categories (handle_unknown: error); known: " +
                    listed);
}

void KnownCategories::CheckColumn(const std::string& input, const data::Column& column) const {
  auto it = known_.find(input);
  if (it == known_.end()) return;
  const std::vector<std::string>& categories = it->second;
  if (column.type() == data::ColumnType::kCategorical) {
    // Each dictionary entry once, then the first row that uses an unknown one.
    const std::vector<std::string>& dictionary = column.dictionary();
    std::vector<char> unknown(dictionary.size());
    bool any = false;
    for (size_t code = 0; code < dictionary.size(); ++code) {
      unknown[code] = !dictionary[code].empty() && !Known(categories, dictionary[code]);
      any = any || unknown[code];
    }
    if (!any) return;
    const std::vector<int32_t>& codes = column.codes();
    for (size_t row = 0; row < column.size(); ++row) {
      if (!column.IsNull(row) && unknown[static_cast<size_t>(codes[row])]) Refuse(input, static_cast<int64_t>(row), dictionary[static_cast<size_t>(codes[row])]);
    }
    return;
  }
  for (size_t row = 0; row < column.size(); ++row) {
    if (column.IsNull(row)) continue;
    std::string text = column.ValueText(row);
    if (!Known(categories, text)) Refuse(input, static_cast<int64_t>(row), text);
  }
}

void KnownCategories::CheckInputs(const std::map<std::string, Value>& inputs) const {
  for (const auto& [input, categories] : known_) {
    auto it = inputs.find(input);
    if (it == inputs.end() || !it->second.is_tensor()) continue;
    const Tensor& tensor = it->second.tensor();
    if (tensor.dtype() != DataType::kString) continue;
    const std::string* values = tensor.data<std::string>();
    const int64_t rows = tensor.rank() == 0 ? 1 : tensor.dim(0);
    const int64_t width = rows > 0 ? std::max<int64_t>(tensor.size() / rows, 1) : 1;
    for (int64_t i = 0; i < tensor.size(); ++i) {
      // The empty string is how a missing category reaches a string input.
      if (!values[i].empty() && !Known(categories, values[i])) Refuse(input, i / width, values[i]);
    }
  }
}

}  // namespace cairn::runtime
