// cairn's one exception type: a closed set of codes, mapped to exit statuses by
// the CLI and to HTTP statuses by the servers, each in one table.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace cairn {

enum class ErrorCode {
  kInvalidInput,
  kNotFound,
  kConflict,
  kCorrupt,
  kIo,
  kUnsupported,
  kPermissionDenied,
};

// Stable snake_case name used in JSON bodies and logs ("invalid_input").
std::string_view ErrorCodeName(ErrorCode code);

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ErrorCode code() const { return code_; }

 private:
  ErrorCode code_;
};

// Shorthands that read well at the throw site.
[[noreturn]] void ThrowInvalidInput(const std::string& message);
[[noreturn]] void ThrowNotFound(const std::string& message);
[[noreturn]] void ThrowConflict(const std::string& message);
[[noreturn]] void ThrowCorrupt(const std::string& message);
[[noreturn]] void ThrowIo(const std::string& message);
[[noreturn]] void ThrowUnsupported(const std::string& message);

}  // namespace cairn
