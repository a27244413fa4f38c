#include "cairn/data/credit_synth.h"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "cairn/core/error.h"
#include "cairn/data/csv_reader.h"

namespace cairn::data {
namespace {

std::string Synth(uint64_t rows, uint64_t seed, double drift = 0, double bias = 0) {
  std::ostringstream out;
  WriteCreditCsv({rows, seed, drift, bias}, out);
  return out.str();
}

double Mean(const Table& table, const std::string& column) {
  const Column& c = table.column(column);
  double sum = 0;
  size_t n = 0;
  for (size_t row = 0; row < c.size(); ++row) {
    double v = c.NumericValue(row);
    if (std::isnan(v)) continue;
    sum += v;
    ++n;
  }
  return sum / static_cast<double>(n);
}

// Default rate among rows where `column` (numeric) is above or below its mean.
std::pair<double, double> DefaultRateBySide(const Table& table, const std::string& column) {
  double mean = Mean(table, column);
  const Column& c = table.column(column);
  const Column& label = table.column("default");
  double high = 0, high_n = 0, low = 0, low_n = 0;
  for (size_t row = 0; row < table.num_rows(); ++row) {
    double v = c.NumericValue(row);
    if (std::isnan(v)) continue;
    (v > mean ? high : low) += label.NumericValue(row);
    (v > mean ? high_n : low_n) += 1;
  }
  return {high / high_n, low / low_n};
}

TEST(CreditSynth, SameOptionsSameBytes) {
  EXPECT_EQ(Synth(300, 5), Synth(300, 5));
  EXPECT_NE(Synth(300, 5), Synth(300, 6));
  EXPECT_NE(Synth(300, 5), Synth(300, 5, 0.5));
}

TEST(CreditSynth, TypedColumnsWithMissingValuesAndSignal) {
  Table table = ReadCsvText(Synth(5000, 11), {}, "synth");
  ASSERT_EQ(table.num_rows(), 5000u);
  ASSERT_EQ(table.column_names(), CreditColumns());
  EXPECT_EQ(table.column("application_date").type(), ColumnType::kDatetime);
  EXPECT_EQ(table.column("income").type(), ColumnType::kFloat);
  EXPECT_EQ(table.column("age").type(), ColumnType::kInteger);
  EXPECT_EQ(table.column("employment").type(), ColumnType::kCategorical);
  EXPECT_GT(table.column("income").NullCount(), 0u);
  double rate = Mean(table, "default");
  EXPECT_GT(rate, 0.1);
  EXPECT_LT(rate, 0.4);
  // Real signal: more debt means more defaults, more income fewer.
  auto [debt_high, debt_low] = DefaultRateBySide(table, "debt_ratio");
  EXPECT_GT(debt_high, debt_low + 0.03);
  auto [income_high, income_low] = DefaultRateBySide(table, "income");
  EXPECT_LT(income_high, income_low - 0.03);
}

TEST(CreditSynth, DriftShiftsDistributions) {
  Table base = ReadCsvText(Synth(5000, 3), {}, "base");
  Table drifted = ReadCsvText(Synth(5000, 3, 0.5), {}, "drifted");
  EXPECT_GT(Mean(drifted, "age") - Mean(base, "age"), 3.0);
  EXPECT_GT(Mean(drifted, "loan_amount") / Mean(base, "loan_amount"), 1.1);
  EXPECT_GT(Mean(drifted, "late_payments"), Mean(base, "late_payments") + 0.1);
}

TEST(CreditSynth, BiasMakesTheLabelDependOnGender) {
  Table table = ReadCsvText(Synth(6000, 9, 0, 1.5), {}, "biased");
  const Column& gender = table.column("gender");
  const Column& label = table.column("default");
  double female = 0, female_n = 0, male = 0, male_n = 0;
  for (size_t row = 0; row < table.num_rows(); ++row) {
    bool is_female = gender.ValueText(row) == "female";
    (is_female ? female : male) += label.NumericValue(row);
    (is_female ? female_n : male_n) += 1;
  }
  EXPECT_GT(female / female_n, male / male_n + 0.1);
}

TEST(CreditSynth, RejectsBadOptions) {
  std::ostringstream out;
  EXPECT_THROW(WriteCreditCsv({0, 1, 0, 0}, out), Error);
  EXPECT_THROW(WriteCreditCsv({10, 1, -1, 0}, out), Error);
  EXPECT_THROW(WriteCreditCsv({10, 1, std::nan(""), 0}, out), Error);
}

}  // namespace
}  // namespace cairn::data
