// Random identifiers for runs and experiments: 32 lower-case hex digits.
#pragma once

#include <string>

namespace cairn {

std::string NewId();

}  // namespace cairn
