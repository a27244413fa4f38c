#include "cairn/serve/traffic_router.h"

#include <random>

#include "cairn/core/error.h"

namespace cairn::serve {

std::string_view VariantName(Variant variant) {
  switch (variant) {
    case Variant::kChampion: return "champion";
    case Variant::kChallenger: return "challenger";
    case Variant::kShadow: return "shadow";
  }
  return "champion";
}

TrafficRouter::TrafficRouter(double challenger_share) : share_(challenger_share) {
  if (!(challenger_share >= 0.0 && challenger_share <= 1.0)) {
    ThrowInvalidInput("--split must be between 0 and 1, got " + std::to_string(challenger_share));
  }
}

double TrafficRouter::KeyPosition(std::string_view key) {
  // FNV-1a spreads bytes into 64 bits; the SplitMix64 finaliser then mixes
  // them so that keys differing in one character land far apart.
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : key) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  hash ^= hash >> 30;
  hash *= 0xbf58476d1ce4e5b9ULL;
  hash ^= hash >> 27;
  hash *= 0x94d049bb133111ebULL;
  hash ^= hash >> 31;
  return static_cast<double>(hash >> 11) * 0x1.0p-53;
}

Variant TrafficRouter::Choose(std::string_view key) const {
  if (share_ <= 0.0) return Variant::kChampion;
  double position = 0.0;
  if (key.empty()) {
    thread_local std::mt19937_64 random{std::random_device{}()};
    position = static_cast<double>(random() >> 11) * 0x1.0p-53;
  } else {
    position = KeyPosition(key);
  }
  return position < share_ ? Variant::kChallenger : Variant::kChampion;
}

}  // namespace cairn::serve
