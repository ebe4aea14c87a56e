#include "auth/credentials.h"

#include <sodium.h>

#include <liboath/oath.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <mutex>
#include <sstream>

#include <cctype>
#include <cstdlib>

#include "core/text.h"

namespace octopus::auth {

namespace {

// sodium_init and oath_init are safe to call more than once; once is enough.
void InitLibraries() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (sodium_init() < 0) std::abort();
    oath_init();
  });
}

size_t CodePoints(std::string_view s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](unsigned char c) {
    return (c & 0xC0) != 0x80;
  }));
}

std::string Hex(const unsigned char* bytes, size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, n);
  out.pop_back();
  return out;
}

// RFC 3986 unreserved characters pass; every other byte is %-escaped.
std::string UriEscape(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace

CommonPasswords CommonPasswords::FromText(std::string_view text) {
  CommonPasswords list;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) list.words_.insert(text::ToLowerAscii(line));
    start = end + 1;
  }
  return list;
}

Result<CommonPasswords> CommonPasswords::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError("cannot read the common password list " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return FromText(text.str());
}

bool CommonPasswords::Contains(std::string_view password) const {
  return words_.contains(text::ToLowerAscii(password));
}

Status CheckPasswordPolicy(std::string_view password, const CommonPasswords& common) {
  const size_t length = CodePoints(password);
  if (length < kMinPasswordLength) {
    return InvalidArgument("a password needs at least " + std::to_string(kMinPasswordLength) +
                           " characters");
  }
  if (length > 128) return InvalidArgument("a password may have at most 128 characters");
  if (common.Contains(password)) {
    return InvalidArgument("this password is on a list of common passwords; choose another");
  }
  return Status::Ok();
}

Result<std::string> HashPassword(std::string_view password) {
  InitLibraries();
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str(out.data(), password.data(), password.size(),
                        crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return Status(StatusCode::kInternal, "not enough memory to hash a password");
  }
  return std::string(out.data());
}

bool VerifyPassword(const std::string& hash, std::string_view password) {
  InitLibraries();
  if (!hash.starts_with("$argon2id$")) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

bool PasswordNeedsRehash(const std::string& hash) {
  InitLibraries();
  if (!hash.starts_with("$argon2id$")) return true;
  return crypto_pwhash_str_needs_rehash(hash.c_str(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0;
}

std::string RandomToken() {
  InitLibraries();
  std::array<unsigned char, 32> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  return Hex(bytes.data(), bytes.size());
}

std::string TokenHash(std::string_view token) {
  InitLibraries();
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(token.data()),
                     token.size());
  return Hex(digest.data(), digest.size());
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  InitLibraries();
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string NewTotpSecret() {
  InitLibraries();
  std::array<unsigned char, 20> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  char* encoded = nullptr;
  size_t length = 0;
  if (oath_base32_encode(reinterpret_cast<const char*>(bytes.data()), bytes.size(), &encoded,
                         &length) != OATH_OK) {
    std::abort();
  }
  std::string out(encoded, length);
  free(encoded);  // allocated by liboath with malloc
  while (!out.empty() && out.back() == '=') out.pop_back();
  return out;
}

Result<std::string> TotpCode(std::string_view secret_base32, int64_t unix_time, int digits) {
  InitLibraries();
  if (digits < 6 || digits > 8) return InvalidArgument("a TOTP code has 6 to 8 digits");
  const std::string text(secret_base32);
  char* secret = nullptr;
  size_t length = 0;
  if (text.empty() || oath_base32_decode(text.c_str(), text.size(), &secret, &length) != OATH_OK) {
    return InvalidArgument("the TOTP secret is not base32");
  }
  std::array<char, 9> code{};
  const int rc = oath_totp_generate(secret, length, static_cast<time_t>(unix_time),
                                    OATH_TOTP_DEFAULT_TIME_STEP_SIZE, 0,
                                    static_cast<unsigned>(digits), code.data());
  sodium_memzero(secret, length);
  free(secret);  // allocated by liboath with malloc
  if (rc != OATH_OK) return InvalidArgument(std::string("TOTP: ") + oath_strerror(rc));
  return std::string(code.data());
}

bool VerifyTotp(std::string_view secret_base32, std::string_view code, int64_t unix_time) {
  if (code.size() != 6) return false;
  bool match = false;
  for (int step = -1; step <= 1; ++step) {
    auto expected = TotpCode(secret_base32, unix_time + step * 30, 6);
    if (expected && ConstantTimeEquals(*expected, code)) match = true;
  }
  return match;
}

std::string OtpauthUri(std::string_view issuer, std::string_view account,
                       std::string_view secret_base32) {
  return "otpauth://totp/" + UriEscape(issuer) + ":" + UriEscape(account) +
         "?secret=" + std::string(secret_base32) + "&issuer=" + UriEscape(issuer) +
         "&algorithm=SHA1&digits=6&period=30";
}

std::chrono::seconds BackoffDelay(int failures) {
  if (failures <= kFreeFailures) return std::chrono::seconds(0);
  const int exponent = std::min(failures - kFreeFailures - 1, 20);
  return std::chrono::seconds(std::min<int64_t>(int64_t{1} << exponent, 15 * 60));
}

}  // namespace octopus::auth
