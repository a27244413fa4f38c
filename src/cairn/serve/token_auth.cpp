#include "cairn/serve/token_auth.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include "cairn/core/error.h"
#include "cairn/core/file_io.h"

namespace cairn::serve {
namespace {

std::string Digest(std::string_view text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  return std::string(reinterpret_cast<const char*>(digest), sizeof digest);
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\r')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

}  // namespace

std::string_view ScopeName(Scope scope) {
  switch (scope) {
    case Scope::kPredict: return "predict";
    case Scope::kFeedback: return "feedback";
    case Scope::kMetrics: return "metrics";
    case Scope::kAdmin: return "admin";
  }
  return "predict";
}

TokenAuth TokenAuth::FromFile(const std::string& path) { return FromText(ReadFile(path), path); }

TokenAuth TokenAuth::FromText(std::string_view text, std::string_view source) {
  TokenAuth auth;
  size_t line_number = 0;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    std::string_view line = Trim(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    ++line_number;
    if (line.empty() || line.front() == '#') continue;
    const size_t space = line.find_first_of(" \t");
    Token token;
    token.digest = Digest(line.substr(0, space));
    std::string_view scopes = space == std::string_view::npos ? std::string_view() : Trim(line.substr(space));
    if (scopes.empty()) token.scopes = 0xF;
    while (!scopes.empty()) {
      const size_t comma = scopes.find(',');
      const std::string_view name = Trim(scopes.substr(0, comma));
      scopes = comma == std::string_view::npos ? std::string_view() : scopes.substr(comma + 1);
      bool known = false;
      for (Scope scope : {Scope::kPredict, Scope::kFeedback, Scope::kMetrics, Scope::kAdmin}) {
        if (name == ScopeName(scope)) {
          token.scopes |= static_cast<uint8_t>(scope);
          known = true;
        }
      }
      if (!known) {
        ThrowInvalidInput(std::string(source) + ":" + std::to_string(line_number) + ": unknown scope '" +
                          std::string(name) + "' (expected predict, feedback, metrics, admin)");
      }
    }
    auth.tokens_.push_back(std::move(token));
  }
  if (auth.tokens_.empty()) ThrowInvalidInput(std::string(source) + ": no tokens");
  return auth;
}

AuthResult TokenAuth::Check(std::string_view authorization, Scope needed) const {
  if (tokens_.empty()) return AuthResult::kAllowed;
  constexpr std::string_view kBearer = "Bearer ";
  if (authorization.empty()) return AuthResult::kMissing;
  if (authorization.size() <= kBearer.size() || authorization.substr(0, kBearer.size()) != kBearer) {
    return AuthResult::kInvalid;
  }
  const std::string presented = Digest(Trim(authorization.substr(kBearer.size())));
  uint8_t scopes = 0;
  bool found = false;
  for (const auto& token : tokens_) {
    const bool match = CRYPTO_memcmp(token.digest.data(), presented.data(), presented.size()) == 0;
    // Branch-free accumulation keeps the loop's time independent of which token matched.
    scopes |= static_cast<uint8_t>(token.scopes & static_cast<uint8_t>(-static_cast<int>(match)));
    found |= match;
  }
  if (!found) return AuthResult::kInvalid;
  return (scopes & static_cast<uint8_t>(needed)) ? AuthResult::kAllowed : AuthResult::kForbidden;
}

}  // namespace cairn::serve
