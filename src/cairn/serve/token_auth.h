// Bearer-token authorisation. The token file holds one token per line,
// optionally followed by the scopes it grants, comma separated:
//   s3cr3t-token predict,feedback
// Scopes: predict, feedback, metrics, admin; a token listed without scopes
// grants all of them. Blank lines and lines starting with '#' are ignored.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace cairn::serve {

enum class Scope : uint8_t { kPredict = 1, kFeedback = 2, kMetrics = 4, kAdmin = 8 };
std::string_view ScopeName(Scope scope);

enum class AuthResult { kAllowed, kMissing, kInvalid, kForbidden };

class TokenAuth {
 public:
  // No tokens: every request is allowed.
  TokenAuth() = default;
  // kIo when the file cannot be read; kInvalidInput naming the line for an
  // unknown scope or an empty file.
  static TokenAuth FromFile(const std::string& path);
  static TokenAuth FromText(std::string_view text, std::string_view source);

  bool enabled() const { return !tokens_.empty(); }
  // `authorization` is the header's value ("Bearer TOKEN"). Every stored token
  // is compared, in constant time, whatever matches, so timing reveals nothing.
  AuthResult Check(std::string_view authorization, Scope needed) const;

 private:
  struct Token {
    std::string digest;  // SHA-256 of the token: comparisons run over equal lengths
    uint8_t scopes = 0;
  };
  std::vector<Token> tokens_;
};

}  // namespace cairn::serve
