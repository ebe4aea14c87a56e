#pragma once
/// Credentials: passwords (argon2id through libsodium), random tokens kept
/// only as hashes, TOTP second factors (RFC 6238) and the login back-off.
/// Pure functions and values; nothing here reads a database.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_set>

#include "core/result.h"

namespace octopus::auth {

inline constexpr size_t kMinPasswordLength = 12;  ///< in characters (UTF-8 code points)

/// A list of passwords too common to accept, one a line.
class CommonPasswords {
 public:
  /// Reads `path` (data/common-passwords.txt). IoError when it cannot be read.
  static Result<CommonPasswords> Load(const std::string& path);
  /// From lines already in memory (tests).
  static CommonPasswords FromText(std::string_view text);
  /// True when `password`, compared case-insensitively (ASCII), is on the list.
  bool Contains(std::string_view password) const;
  size_t size() const { return words_.size(); }

 private:
  std::unordered_set<std::string> words_;  // lower case
};

/// Ok, or InvalidArgument saying why the password is refused: shorter than
/// kMinPasswordLength characters, longer than 128, or on the common list.
Status CheckPasswordPolicy(std::string_view password, const CommonPasswords& common);

/// An argon2id string ("$argon2id$v=19$m=…") for `password`, with libsodium's
/// interactive limits. Internal when libsodium cannot allocate the memory.
Result<std::string> HashPassword(std::string_view password);
/// True when `hash` (from HashPassword) is the hash of `password`.
bool VerifyPassword(const std::string& hash, std::string_view password);
/// True when `hash` was made with other limits or another algorithm than
/// HashPassword uses now, so it should be made again at the next login.
bool PasswordNeedsRehash(const std::string& hash);

/// 256 random bits as 64 lower-case hex digits (randombytes_buf).
std::string RandomToken();
/// The SHA-256 of `token` in hex: what the store keeps in place of a token.
std::string TokenHash(std::string_view token);
/// True when both strings are equal, in time that depends on their length only.
bool ConstantTimeEquals(std::string_view a, std::string_view b);

/// A fresh TOTP secret: 160 random bits in RFC 4648 base32 (no padding).
std::string NewTotpSecret();
/// The TOTP code (RFC 6238: HMAC-SHA1, 30 s steps from the Unix epoch) of
/// `secret_base32` at `unix_time`, with `digits` digits (6 to 8).
/// InvalidArgument for a secret that is not base32.
Result<std::string> TotpCode(std::string_view secret_base32, int64_t unix_time, int digits = 6);
/// True when `code` is the 6-digit code of the step of `unix_time` or of
/// the step before or after it (clock drift).
bool VerifyTotp(std::string_view secret_base32, std::string_view code, int64_t unix_time);
/// The otpauth:// URI an authenticator app reads (Key Uri Format).
std::string OtpauthUri(std::string_view issuer, std::string_view account,
                       std::string_view secret_base32);

/// How long a key (an account or a client address) must wait before its
/// next login attempt after `failures` failures in a row: nothing for the
/// first kFreeFailures, then 1 s doubling with each failure, at most 15 min.
inline constexpr int kFreeFailures = 3;
std::chrono::seconds BackoffDelay(int failures);

}  // namespace octopus::auth
