#pragma once
/// SHA-256 of a document's bytes, the identity under which an ingested document is stored.

#include <string>
#include <string_view>

namespace octopus::ingest {

/// The SHA-256 digest of `bytes` as 64 lower-case hexadecimal digits. Thread-safe.
std::string Sha256Hex(std::string_view bytes);

}  // namespace octopus::ingest
