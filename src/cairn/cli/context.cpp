#include "cairn/cli/context.h"

#include <iostream>

namespace cairn::cli {

std::optional<std::string> Context::store_flag() const {
  if (global.store.empty()) return std::nullopt;
  return global.store;
}

artifacts::Workspace& Context::workspace() {
  if (!workspace_) workspace_ = artifacts::Workspace::Open(artifacts::WorkspaceOptionsFromEnvironment(store_flag()));
  return *workspace_;
}

void Context::Emit(const Json& json, const std::function<std::string()>& render) const {
  if (global.json) {
    std::cout << json.dump(2) << '\n';
  } else {
    std::cout << render();
  }
  std::cout.flush();
}

}  // namespace cairn::cli
