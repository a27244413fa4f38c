#include "cairn/learn/trainers/trainer.h"

namespace cairn::learn {

void EmitLabelFromProbabilities(OnnxGraph& graph, const std::string& probabilities, const EstimatorExport& target) {
  bool identity = true;
  for (size_t k = 0; k < target.label_values.size(); ++k) identity = identity && target.label_values[k] == static_cast<int64_t>(k);
  std::string index = identity ? "label" : graph.Fresh("class_index");
  // Ties go to the lowest class, as in cairn's own predictions.
  graph.AddNode("ArgMax", {probabilities}, {index}).Int("axis", 1).Int("keepdims", 0);
  if (!identity) {
    std::string values = graph.AddInt64s("class_labels", {static_cast<int64_t>(target.label_values.size())}, target.label_values);
    graph.AddNode("Gather", {values, index}, {"label"}).Int("axis", 0);
  }
}

}  // namespace cairn::learn
