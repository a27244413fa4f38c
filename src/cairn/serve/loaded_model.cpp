#include "cairn/serve/loaded_model.h"

#include "cairn/core/clock.h"

namespace cairn::serve {

LoadedModel::LoadedModel(runtime::Session loaded_session, std::string model_name, int64_t model_version,
                         std::string followed_ref, std::string hash)
    : session(std::move(loaded_session)),
      name(std::move(model_name)),
      version(model_version),
      ref(std::move(followed_ref)),
      blob_hash(std::move(hash)),
      signature(ModelSignature::FromModel(session.model())),
      loaded_at(NowMicros()),
      version_text_(version > 0 ? std::to_string(version) : "file"),
      label_(name + "@" + version_text_) {}

}  // namespace cairn::serve
