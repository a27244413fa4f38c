// What every command shares: the global flags, the lazily opened workspace and
// the choice between human tables and --json output.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "cairn/artifacts/workspace.h"
#include "cairn/core/json.h"

namespace cairn::cli {

struct GlobalOptions {
  std::string store;  // --store URI; CAIRN_STORE when empty
  bool json = false;  // --json
};

class Context {
 public:
  GlobalOptions global;

  // Opens the workspace on first use, from the current directory upward.
  artifacts::Workspace& workspace();
  std::optional<std::string> store_flag() const;

  // Prints `json` under --json, else the text `render` returns.
  void Emit(const Json& json, const std::function<std::string()>& render) const;

 private:
  std::unique_ptr<artifacts::Workspace> workspace_;
};

}  // namespace cairn::cli
