#include "cairn/store/experiment.h"

#include "cairn/core/clock.h"

namespace cairn::store {

Json ToJson(const Experiment& experiment) {
  return Json{{"id", experiment.id}, {"name", experiment.name}, {"created_at", FormatUtc(experiment.created_at)}};
}

}  // namespace cairn::store
