// Heatmaps: a matrix of numbers drawn as shaded cells with the number in each,
// for confusion matrices and correlation-like tables.
#pragma once

#include <string>
#include <vector>

#include "cairn/report/chart.h"

namespace cairn::report {

struct Heatmap {
  ChartOptions options;  // x_label names the columns, y_label the rows
  std::vector<std::string> row_labels;
  std::vector<std::string> column_labels;
  std::vector<std::vector<double>> values;  // values[row][column]; non-finite cells show a dash
  int decimals = 0;                         // digits after the point in each cell
  // Shade each cell by its share of its row and print that share under the
  // value: for a confusion matrix, the recall of each actual class.
  bool row_shares = false;
};

// kInvalidInput naming the chart when the matrix shape does not match the labels.
Svg RenderSvg(const Heatmap& chart);

// Rows are actual classes, columns predicted classes, cells counts.
Heatmap ConfusionMatrixChart(std::vector<std::string> labels, std::vector<std::vector<double>> counts,
                             std::string title = "Confusion matrix");

}  // namespace cairn::report
