// SHA-256 digests (OpenSSL) as lower-case hex: the names of blobs and audit events.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace cairn {

class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(std::string_view bytes);
  // Ends the digest; the object cannot be updated afterwards.
  std::string FinishHex();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

std::string Sha256Hex(std::string_view bytes);
// Streams the file; throws Error(kIo) naming the path when it cannot be read.
std::string Sha256File(const std::filesystem::path& path);
// True for 64 lower-case hex characters.
bool IsSha256Hex(std::string_view text);

}  // namespace cairn
