#include "cairn/core/actor.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

namespace cairn {

std::string CurrentActor() {
  if (const char* actor = std::getenv("CAIRN_ACTOR"); actor != nullptr && *actor != '\0') return actor;
  if (const passwd* pw = ::getpwuid(::geteuid()); pw != nullptr && pw->pw_name != nullptr) return pw->pw_name;
  return "uid:" + std::to_string(::geteuid());
}

}  // namespace cairn
