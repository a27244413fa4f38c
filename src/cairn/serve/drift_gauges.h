// The server's drift gauges: the newest stored monitor report of each served
// model, read from the store on the watcher thread after each registry poll,
// so /metrics shows drift without querying the store per scrape.
#pragma once

#include <string>
#include <vector>

#include "cairn/serve/server_metrics.h"
#include "cairn/store/store.h"

namespace cairn::serve {

// One entry per name that has a monitor report; names without one are left out.
std::vector<ModelDriftGauges> ReadDriftGauges(store::Store& store, const std::vector<std::string>& model_names);

}  // namespace cairn::serve
