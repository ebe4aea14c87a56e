#include "ingest/sha256.h"

#include <sodium.h>

namespace octopus::ingest {

std::string Sha256Hex(std::string_view bytes) {
  // sodium_init() is itself thread-safe and idempotent; the static only avoids calling it on
  // every hash. Hashing does not depend on its outcome (it picks CPU-specific code paths).
  [[maybe_unused]] static const bool initialised = sodium_init() >= 0;
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return std::string(hex, crypto_hash_sha256_BYTES * 2);
}

}  // namespace octopus::ingest
