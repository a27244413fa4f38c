// The HTML drift report: one self-contained page (inline CSS and SVG, no
// network) with the dataset verdict, a table of every feature's test and
// verdict, per feature the reference and current distributions drawn on the
// PSI bins, and trends of the drift share and of each drifted feature's
// statistic over the stored reports of earlier windows.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cairn/monitor/drift_report.h"

namespace cairn::monitor {

struct DriftPageInfo {
  std::string title;  // "Drift of credit-risk@3"
  std::string model;  // "credit-risk@3", or the label used without a model
  std::string report_id;
  std::vector<std::string> alerts;  // the alert messages this report raised
};

// `history` holds earlier reports of the same model, any order; the trends
// use them together with `report`, by generated_at.
std::string RenderDriftHtml(const DriftReport& report, const DriftPageInfo& info,
                            const std::vector<DriftReport>& history = {});

}  // namespace cairn::monitor
