// A model ready to serve: its session, where it came from (registry name and
// version, or a file), its input signature, and which of its features hold
// personal data. ModelSlot holds the one a route uses now and swaps it atomically.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <set>
#include <string>

#include "cairn/runtime/session.h"
#include "cairn/serve/input_mapping.h"

namespace cairn::serve {

struct LoadedModel {
  LoadedModel(runtime::Session loaded_session, std::string model_name, int64_t model_version, std::string followed_ref,
              std::string hash);

  runtime::Session session;
  std::string name;     // the registry name, or the file's stem
  int64_t version = 0;  // 0 for a file
  std::string ref;      // the reference the server follows ("credit@champion")
  std::string blob_hash;
  ModelSignature signature;
  std::set<std::string> pii;  // features logged as hashes, never raw
  int64_t loaded_at = 0;

  // "3", or "file" for a model served from a file.
  const std::string& VersionText() const { return version_text_; }
  // "credit@3": the X-Cairn-Model header.
  const std::string& Label() const { return label_; }

 private:
  // Computed once: every answer and every metric sample reads them.
  std::string version_text_;
  std::string label_;
};

// Requests take the current model with Get() and keep it until they finish,
// so a swap never pulls a model out from under a running request.
class ModelSlot {
 public:
  std::shared_ptr<const LoadedModel> Get() const { return model_.load(std::memory_order_acquire); }
  void Set(std::shared_ptr<const LoadedModel> model) { model_.store(std::move(model), std::memory_order_release); }

 private:
  std::atomic<std::shared_ptr<const LoadedModel>> model_;
};

}  // namespace cairn::serve
