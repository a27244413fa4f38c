// The categories a cairn-trained model saw in training, and its refusal of any
// other when trained with handle_unknown: error. ONNX has no op that raises, so
// the graph itself encodes an unseen category as zeros (one-hot) or -1
// (ordinal); the policy travels in the metadata ("cairn.handle_unknown",
// "cairn.categories": {column: [sorted categories]}) and every scoring path
// (batch scoring, the server) checks its inputs here before running the model.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "cairn/data/table.h"
#include "cairn/runtime/model.h"
#include "cairn/runtime/value.h"

namespace cairn::runtime {

inline constexpr const char* kCategoriesMetadata = "cairn.categories";
inline constexpr const char* kHandleUnknownMetadata = "cairn.handle_unknown";

class KnownCategories {
 public:
  // Checks nothing unless the model's handle_unknown is "error"; kInvalidInput
  // naming the model and key when that metadata cannot be read.
  static KnownCategories FromModel(const Model& model);

  bool enforced() const { return !known_.empty(); }

  // kInvalidInput "column 'region' row 3: category 'mars' was not seen in
  // training ..." for the first unknown value of the input fed by `column`
  // (rows numbered from 0). Missing values are let through, as training does.
  void CheckColumn(const std::string& input, const data::Column& column) const;
  // The same for named input values ([N] or [N, 1] string tensors).
  void CheckInputs(const std::map<std::string, Value>& inputs) const;

 private:
  [[noreturn]] void Refuse(const std::string& input, int64_t row, const std::string& value) const;

  std::map<std::string, std::vector<std::string>> known_;  // per input, sorted
};

}  // namespace cairn::runtime
