#include "cairn/learn/model_exporter.h"

#include "cairn/learn/onnx_graph.h"
#include "cairn/runtime/known_categories.h"

namespace cairn::learn {

std::string ExportModel(const Preprocessor& preprocessor, const Model& model, const ModelDescription& description) {
  OnnxGraph graph("cairn_" + description.model_type);
  std::string features = preprocessor.EmitOnnx(graph);
  EstimatorExport target{features, description.task, description.label_values};
  model.EmitOnnx(graph, target);
  if (description.task == Task::kRegression) {
    graph.AddOutput({"variable", TensorType::kFloat, {-1, 1}});
  } else {
    graph.AddOutput({"label", TensorType::kInt64, {-1}});
    graph.AddOutput({"probabilities", TensorType::kFloat, {-1, static_cast<int64_t>(description.label_values.size())}});
  }
  graph.SetDocString("cairn " + description.model_type + " model predicting '" + description.target + "'");
  Json order = preprocessor.output_names();
  Json classes = description.class_names;
  Json labels = description.label_values;
  graph.SetMetadata("cairn.model_type", description.model_type);
  graph.SetMetadata("cairn.task", std::string(TaskName(description.task)));
  graph.SetMetadata("cairn.target", description.target);
  graph.SetMetadata("cairn.inputs", preprocessor.InputsJson().dump());
  graph.SetMetadata("cairn.feature_order", order.dump());
  if (description.task != Task::kRegression) {
    graph.SetMetadata("cairn.classes", classes.dump());
    graph.SetMetadata("cairn.label_values", labels.dump());
  }
  // Serving cannot raise inside the graph, so the policy for unseen categories
  // travels here for scoring paths to enforce (runtime/known_categories.h).
  // JSON objects keep their keys sorted, and categories are sorted: same bytes every time.
  Json categories = preprocessor.CategoriesJson();
  if (!categories.empty()) {
    graph.SetMetadata(runtime::kCategoriesMetadata, categories.dump());
    graph.SetMetadata(runtime::kHandleUnknownMetadata, preprocessor.handle_unknown() == UnknownCategory::kError ? "error" : "ignore");
  }
  graph.SetMetadata("cairn.training_data_sha256", description.training_data_sha256);
  graph.SetMetadata("cairn.config_sha256", description.config_sha256);
  return graph.Serialize();
}

}  // namespace cairn::learn
