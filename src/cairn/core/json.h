// The JSON value type used across cairn: keys keep their insertion order so
// that output reads the way it was written.
#pragma once

#include <nlohmann/json.hpp>

namespace cairn {

using Json = nlohmann::ordered_json;

}  // namespace cairn
