// Every SVG chart family in one include: line (ROC, PR, calibration, trends),
// scatter (predicted vs actual, residuals), bars and overlaid histograms (drift),
// and heatmaps (confusion matrices). Each renders with RenderSvg(chart).
//
//   auto roc = report::RocChart({{"gbdt", fpr, tpr, ""}});
//   page.Figure(report::RenderSvg(roc), "ROC AUC 0.91");
#pragma once

#include "cairn/report/bar_chart.h"
#include "cairn/report/chart.h"
#include "cairn/report/heatmap.h"
#include "cairn/report/line_chart.h"
#include "cairn/report/scatter_chart.h"
