// The one table of trainers cairn knows: name, summary, parameters and fit function.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cairn/learn/trainers/model_params.h"
#include "cairn/learn/trainers/trainer.h"

namespace cairn::learn {

struct TrainerEntry {
  std::string_view name;
  std::string_view summary;
  const std::vector<ParamSpec>& (*params)();
  FitFn fit;
};

const std::vector<TrainerEntry>& Trainers();
// nullptr when no trainer has that name.
const TrainerEntry* FindTrainer(std::string_view name);
std::vector<std::string> TrainerNames();
std::vector<std::string> TrainerParamNames(std::string_view name);
bool IsTrainerParam(std::string_view trainer, std::string_view param);

}  // namespace cairn::learn
