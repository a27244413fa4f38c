// A deterministic synthetic credit-risk table for demos and tests: numeric and
// categorical features, a sensitive attribute, an application date and a
// binary default label with real signal, optionally drifted or biased.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace cairn::data {

struct CreditSynthOptions {
  uint64_t rows = 1000;
  uint64_t seed = 1;
  // 0 = the reference population; larger values shift feature distributions
  // (about `drift` standard deviations for numeric features, comparable moves
  // in category shares) and change how the label depends on them.
  double drift = 0.0;
  // Adds `bias` to the default log-odds of one group of the sensitive attribute.
  double bias = 0.0;
};

// Column names in output order; "default" is the label, "gender" the sensitive attribute.
const std::vector<std::string>& CreditColumns();

// Writes a CSV with a header row. Same options, same bytes:
// the generator uses its own integer-only random stream and fixed formatting.
void WriteCreditCsv(const CreditSynthOptions& options, std::ostream& out);

}  // namespace cairn::data
