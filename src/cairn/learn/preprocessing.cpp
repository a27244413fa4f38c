#include "cairn/learn/preprocessing.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "cairn/core/error.h"

namespace cairn::learn {
namespace {

constexpr double kMicrosPerDay = 86400.0 * 1e6;
constexpr float kNaNf = std::numeric_limits<float>::quiet_NaN();

std::string CategoryText(const data::Column& column, size_t row) {
  if (column.type() == data::ColumnType::kCategorical) return column.dictionary()[static_cast<size_t>(column.codes()[row])];
  return column.ValueText(row);
}

// Days since 1970-01-01 of January 1st of `year`, with the operations the graph uses.
double DaysToJanuaryFirst(double year) {
  double y = year - 1;
  double era = std::floor(y / 400);
  double yoe = y - era * 400;
  double doe = yoe * 365 + std::floor(yoe / 4) - std::floor(yoe / 100) + 306;
  return era * 146097 + doe - 719468;
}

}  // namespace

void DatetimeParts(double micros, double parts[kDatetimePartCount]) {
  // Civil-from-days over the proleptic Gregorian calendar in 400-year eras;
  // every step is an exact integer operation in doubles, so the graph's Floor/Div
  // nodes reproduce it bit for bit.
  double days = std::floor(micros / kMicrosPerDay);
  double z = days + 719468;
  double era = std::floor(z / 146097);
  double doe = z - era * 146097;
  double yoe = std::floor((doe - std::floor(doe / 1460) + std::floor(doe / 36524) - std::floor(doe / 146096)) / 365);
  double doy = doe - (yoe * 365 + std::floor(yoe / 4) - std::floor(yoe / 100));
  double mp = std::floor((doy * 5 + 2) / 153);
  double day = doy - std::floor((mp * 153 + 2) / 5) + 1;
  double january_or_february = std::floor(mp / 10);
  double month = mp + 3 - january_or_february * 12;
  double year = yoe + era * 400 + january_or_february;
  double weekday = (days + 3) - std::floor((days + 3) / 7) * 7;
  double dayofyear = days - DaysToJanuaryFirst(year) + 1;
  parts[0] = year;
  parts[1] = month;
  parts[2] = day;
  parts[3] = weekday;
  parts[4] = dayofyear;
}

Preprocessor Preprocessor::Fit(const data::Table& table, std::span<const size_t> rows, const FeatureLists& features,
                               const PreprocessingConfig& config) {
  Preprocessor p;
  p.config_ = config;
  p.numeric_ = features.numeric;
  p.datetime_ = features.datetime;
  for (const auto& name : p.numeric_) p.output_names_.push_back(name);
  for (const auto& name : p.datetime_) {
    for (const char* part : kDatetimeParts) p.output_names_.push_back(name + "." + part);
  }
  // The numeric block of the training rows, column by column.
  size_t block = p.output_names_.size();
  std::vector<std::vector<float>> columns(block);
  for (size_t c = 0; c < p.numeric_.size(); ++c) {
    const data::Column& column = table.column(p.numeric_[c]);
    for (size_t row : rows) columns[c].push_back(static_cast<float>(column.NumericValue(row)));
  }
  for (size_t d = 0; d < p.datetime_.size(); ++d) {
    const data::Column& column = table.column(p.datetime_[d]);
    for (size_t row : rows) {
      double parts[kDatetimePartCount];
      DatetimeParts(column.NumericValue(row), parts);
      for (size_t k = 0; k < kDatetimePartCount; ++k) columns[p.numeric_.size() + d * kDatetimePartCount + k].push_back(static_cast<float>(parts[k]));
    }
  }
  for (auto& values : columns) {
    std::vector<double> present;
    for (float value : values) {
      if (!std::isnan(value)) present.push_back(value);
    }
    std::sort(present.begin(), present.end());
    double fill = config.fill_value;
    if (config.impute != ImputeStrategy::kConstant && !present.empty()) {
      switch (config.impute) {
        case ImputeStrategy::kMean: {
          double sum = 0;
          for (double value : present) sum += value;
          fill = sum / static_cast<double>(present.size());
          break;
        }
        case ImputeStrategy::kMedian: {
          size_t n = present.size();
          fill = n % 2 ? present[n / 2] : (present[n / 2 - 1] + present[n / 2]) / 2;
          break;
        }
        case ImputeStrategy::kMostFrequent: {
          // Ties go to the smallest value; `present` is sorted.
          size_t best_count = 0;
          for (size_t i = 0; i < present.size();) {
            size_t j = i;
            while (j < present.size() && present[j] == present[i]) ++j;
            if (j - i > best_count) {
              best_count = j - i;
              fill = present[i];
            }
            i = j;
          }
          break;
        }
        case ImputeStrategy::kConstant:
          break;
      }
    }
    auto fill_f = static_cast<float>(fill);
    p.impute_values_.push_back(fill_f);
    for (float& value : values) {
      if (std::isnan(value)) value = fill_f;
    }
    double offset = 0;
    double factor = 1;
    if (config.scale == ScaleMethod::kStandard) {
      double sum = 0;
      for (float value : values) sum += value;
      double mean = values.empty() ? 0 : sum / static_cast<double>(values.size());
      double squares = 0;
      for (float value : values) squares += (value - mean) * (value - mean);
      double deviation = values.empty() ? 0 : std::sqrt(squares / static_cast<double>(values.size()));
      offset = mean;
      factor = deviation > 0 ? 1 / deviation : 1;
    } else if (config.scale == ScaleMethod::kMinMax && !values.empty()) {
      auto [low, high] = std::minmax_element(values.begin(), values.end());
      offset = *low;
      factor = *high > *low ? 1 / (static_cast<double>(*high) - *low) : 1;
    }
    p.scale_offsets_.push_back(static_cast<float>(offset));
    p.scale_factors_.push_back(static_cast<float>(factor));
  }

  for (const auto& name : features.categorical) {
    const data::Column& column = table.column(name);
    std::set<std::string> seen;
    for (size_t row : rows) {
      if (!column.IsNull(row)) seen.insert(CategoryText(column, row));
    }
    if (seen.empty()) ThrowInvalidInput("features: categorical column '" + name + "' has no values in the training split");
    CategoricalEncoder encoder{name, std::vector<std::string>(seen.begin(), seen.end())};
    if (config.categorical == CategoricalEncoding::kOneHot) {
      for (const auto& category : encoder.categories) p.output_names_.push_back(name + "=" + category);
    } else {
      p.output_names_.push_back(name);
    }
    p.categorical_.push_back(std::move(encoder));
  }
  return p;
}

FeatureMatrix Preprocessor::Transform(const data::Table& table, std::span<const size_t> rows) const {
  FeatureMatrix matrix(rows.size(), width());
  size_t block = numeric_.size() + datetime_.size() * kDatetimePartCount;
  for (size_t c = 0; c < numeric_.size(); ++c) {
    const data::Column& column = table.column(numeric_[c]);
    for (size_t i = 0; i < rows.size(); ++i) matrix.at(i, c) = static_cast<float>(column.NumericValue(rows[i]));
  }
  for (size_t d = 0; d < datetime_.size(); ++d) {
    const data::Column& column = table.column(datetime_[d]);
    for (size_t i = 0; i < rows.size(); ++i) {
      double parts[kDatetimePartCount];
      DatetimeParts(column.NumericValue(rows[i]), parts);
      for (size_t k = 0; k < kDatetimePartCount; ++k) matrix.at(i, numeric_.size() + d * kDatetimePartCount + k) = static_cast<float>(parts[k]);
    }
  }
  for (size_t i = 0; i < rows.size(); ++i) {
    for (size_t c = 0; c < block; ++c) {
      float value = matrix.at(i, c);
      if (std::isnan(value)) value = impute_values_[c];
      // The same float operations as the ai.onnx.ml Scaler: (x - offset) * scale.
      if (config_.scale != ScaleMethod::kNone) value = (value - scale_offsets_[c]) * scale_factors_[c];
      matrix.at(i, c) = value;
    }
  }
  size_t next = block;
  for (const auto& encoder : categorical_) {
    const data::Column& column = table.column(encoder.column);
    size_t span = config_.categorical == CategoricalEncoding::kOneHot ? encoder.categories.size() : 1;
    for (size_t i = 0; i < rows.size(); ++i) {
      size_t row = rows[i];
      int64_t index = -1;
      if (!column.IsNull(row)) {
        std::string text = CategoryText(column, row);
        auto it = std::lower_bound(encoder.categories.begin(), encoder.categories.end(), text);
        if (it != encoder.categories.end() && *it == text) {
          index = it - encoder.categories.begin();
        } else if (config_.handle_unknown == UnknownCategory::kError) {
          ThrowInvalidInput("column '" + encoder.column + "': category '" + text + "' was not seen in training (handle_unknown: error)");
        }
      }
      if (config_.categorical == CategoricalEncoding::kOneHot) {
        for (size_t k = 0; k < span; ++k) matrix.at(i, next + k) = 0.0f;
        if (index >= 0) matrix.at(i, next + static_cast<size_t>(index)) = 1.0f;
      } else {
        matrix.at(i, next) = static_cast<float>(index);
      }
    }
    next += span;
  }
  return matrix;
}

std::string Preprocessor::EmitOnnx(OnnxGraph& graph) const {
  std::vector<std::string> blocks;
  std::vector<std::string> numeric_inputs;
  for (const auto& name : numeric_) {
    graph.AddInput({name, TensorType::kFloat, {-1, 1}});
    numeric_inputs.push_back(name);
  }
  for (const auto& name : datetime_) graph.AddInput({name, TensorType::kDouble, {-1, 1}});
  for (const auto& encoder : categorical_) graph.AddInput({encoder.column, TensorType::kString, {-1, 1}});

  // Datetime parts as double arithmetic mirroring DatetimeParts, then one cast to float.
  for (const auto& name : datetime_) {
    auto constant = [&](double value) { return graph.AddDoubles("c", {}, {value}); };
    auto div_floor = [&](const std::string& a, double b) { return graph.Op("Floor", {graph.Op("Div", {a, constant(b)}, "q")}, "fl"); };
    auto mul = [&](const std::string& a, double b) { return graph.Op("Mul", {a, constant(b)}, "m"); };
    auto add = [&](const std::string& a, const std::string& b) { return graph.Op("Add", {a, b}, "a"); };
    auto add_c = [&](const std::string& a, double b) { return graph.Op("Add", {a, constant(b)}, "a"); };
    auto sub = [&](const std::string& a, const std::string& b) { return graph.Op("Sub", {a, b}, "s"); };
    std::string days = div_floor(name, kMicrosPerDay);
    std::string z = add_c(days, 719468);
    std::string era = div_floor(z, 146097);
    std::string doe = sub(z, mul(era, 146097));
    std::string yoe_numerator = add(sub(sub(doe, div_floor(doe, 1460)), div_floor(doe, 146096)), div_floor(doe, 36524));
    // Same value as DatetimeParts' expression: integer sums are exact in any order.
    std::string yoe = div_floor(yoe_numerator, 365);
    std::string doy = sub(doe, sub(add(mul(yoe, 365), div_floor(yoe, 4)), div_floor(yoe, 100)));
    std::string mp = div_floor(add_c(mul(doy, 5), 2), 153);
    std::string day = add_c(sub(doy, div_floor(add_c(mul(mp, 153), 2), 5)), 1);
    std::string jan_feb = div_floor(mp, 10);
    std::string month = sub(add_c(mp, 3), mul(jan_feb, 12));
    std::string year = add(add(yoe, mul(era, 400)), jan_feb);
    std::string shifted = add_c(days, 3);
    std::string weekday = sub(shifted, mul(div_floor(shifted, 7), 7));
    std::string y = add_c(year, -1);
    std::string era1 = div_floor(y, 400);
    std::string yoe1 = sub(y, mul(era1, 400));
    std::string doe1 = add_c(sub(add(mul(yoe1, 365), div_floor(yoe1, 4)), div_floor(yoe1, 100)), 306);
    std::string jan1 = add_c(add(mul(era1, 146097), doe1), -719468);
    std::string dayofyear = add_c(sub(days, jan1), 1);
    std::string parts = graph.Fresh(name + ".parts");
    graph.AddNode("Concat", {year, month, day, weekday, dayofyear}, {parts}).Int("axis", 1);
    std::string parts_float = graph.Fresh(name + ".parts_float");
    graph.AddNode("Cast", {parts}, {parts_float}).Int("to", 1);
    numeric_inputs.push_back(parts_float);
  }

  if (!numeric_inputs.empty()) {
    std::string block = numeric_inputs.front();
    if (numeric_inputs.size() > 1) {
      block = graph.Fresh("numeric");
      graph.AddNode("Concat", numeric_inputs, {block}).Int("axis", 1);
    }
    std::string imputed = graph.Fresh("imputed");
    graph.AddNode("Imputer", {block}, {imputed}, kOnnxMlDomain)
        .Floats("imputed_value_floats", impute_values_)
        .Float("replaced_value_float", std::numeric_limits<float>::quiet_NaN());
    auto block_width = static_cast<int64_t>(impute_values_.size());
    graph.AddValueInfo({imputed, TensorType::kFloat, {-1, block_width}});
    block = imputed;
    if (config_.scale != ScaleMethod::kNone) {
      std::string scaled = graph.Fresh("scaled");
      graph.AddNode("Scaler", {block}, {scaled}, kOnnxMlDomain).Floats("offset", scale_offsets_).Floats("scale", scale_factors_);
      graph.AddValueInfo({scaled, TensorType::kFloat, {-1, block_width}});
      block = scaled;
    }
    blocks.push_back(block);
  }
  for (const auto& encoder : categorical_) {
    if (config_.categorical == CategoricalEncoding::kOneHot) {
      std::string encoded = graph.Fresh(encoder.column + ".onehot3d");
      // zeros=1: an unknown or missing ("") category is a row of zeros.
      graph.AddNode("OneHotEncoder", {encoder.column}, {encoded}, kOnnxMlDomain)
          .Strings("cats_strings", encoder.categories)
          .Int("zeros", 1);
      graph.AddValueInfo({encoded, TensorType::kFloat, {-1, 1, static_cast<int64_t>(encoder.categories.size())}});
      std::string flat = graph.Fresh(encoder.column + ".onehot");
      graph.AddNode("Flatten", {encoded}, {flat}).Int("axis", 1);
      blocks.push_back(flat);
    } else {
      std::vector<float> codes;
      for (size_t k = 0; k < encoder.categories.size(); ++k) codes.push_back(static_cast<float>(k));
      std::string encoded = graph.Fresh(encoder.column + ".ordinal");
      graph.AddNode("LabelEncoder", {encoder.column}, {encoded}, kOnnxMlDomain)
          .Strings("keys_strings", encoder.categories)
          .Floats("values_floats", codes)
          .Float("default_float", -1.0f);
      graph.AddValueInfo({encoded, TensorType::kFloat, {-1, 1}});
      blocks.push_back(encoded);
    }
  }
  std::string features = graph.Fresh("features");
  graph.AddNode("Concat", blocks, {features}).Int("axis", 1);
  return features;
}

Json Preprocessor::InputsJson() const {
  Json inputs = Json::array();
  for (const auto& name : numeric_) inputs.push_back({{"name", name}, {"kind", "numeric"}, {"type", "float"}});
  for (const auto& name : datetime_) inputs.push_back({{"name", name}, {"kind", "datetime"}, {"type", "double"}, {"unit", "microseconds since 1970-01-01 UTC"}});
  for (const auto& encoder : categorical_) inputs.push_back({{"name", encoder.column}, {"kind", "categorical"}, {"type", "string"}});
  return inputs;
}

Json Preprocessor::ToJson() const {
  Json json = Json::object();
  Json block = Json::array();
  size_t numeric_width = numeric_.size() + datetime_.size() * kDatetimePartCount;
  for (size_t c = 0; c < numeric_width; ++c) {
    block.push_back({{"column", output_names_[c]}, {"impute", impute_values_[c]}, {"offset", scale_offsets_[c]}, {"scale", scale_factors_[c]}});
  }
  json["numeric"] = block;
  Json categorical = Json::array();
  for (const auto& encoder : categorical_) categorical.push_back({{"column", encoder.column}, {"categories", encoder.categories}});
  json["categorical"] = categorical;
  return json;
}

Json Preprocessor::CategoriesJson() const {
  Json json = Json::object();
  for (const auto& encoder : categorical_) json[encoder.column] = encoder.categories;
  return json;
}

}  // namespace cairn::learn
