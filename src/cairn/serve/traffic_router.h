// Which variant answers a request: with a challenger, a deterministic split on
// the request key (the same key always meets the same variant), random when
// there is no key; with a shadow, the champion answers and the shadow scores
// every request on the side.
#pragma once

#include <cstdint>
#include <string_view>

namespace cairn::serve {

enum class Variant { kChampion, kChallenger, kShadow };

std::string_view VariantName(Variant variant);  // "champion", "challenger", "shadow"

class TrafficRouter {
 public:
  // `challenger_share` in [0, 1]: the fraction of keys sent to the challenger
  // (0 without one).
  explicit TrafficRouter(double challenger_share = 0.0);

  Variant Choose(std::string_view key) const;
  double challenger_share() const { return share_; }

  // A fixed 64-bit hash of the key mapped to [0, 1): the same on every
  // machine and every run, so a key's variant survives restarts.
  static double KeyPosition(std::string_view key);

 private:
  double share_;
};

}  // namespace cairn::serve
