// Who is acting: CAIRN_ACTOR when set, else the operating-system user.
#pragma once

#include <string>

namespace cairn {

std::string CurrentActor();

}  // namespace cairn
