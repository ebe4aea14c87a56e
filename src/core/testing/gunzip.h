#pragma once
/// Test support: inflating what the server compressed, with zlib itself (a
/// test target using it links ZLIB::ZLIB).

#include <zlib.h>

#include <string>

namespace octopus::test_support {

/// The bytes a gzip member inflates to, read with zlib itself.
inline std::string Gunzip(const std::string& packed) {
  z_stream z{};
  if (inflateInit2(&z, 15 + 16) != Z_OK) return "<inflateInit2 failed>";
  std::string out;
  char chunk[4096];
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(packed.data()));
  z.avail_in = static_cast<uInt>(packed.size());
  int rc = Z_OK;
  while (rc == Z_OK) {
    z.next_out = reinterpret_cast<Bytef*>(chunk);
    z.avail_out = sizeof chunk;
    rc = inflate(&z, Z_NO_FLUSH);
    out.append(chunk, sizeof chunk - z.avail_out);
  }
  inflateEnd(&z);
  return rc == Z_STREAM_END ? out : "<corrupt gzip>";
}

}  // namespace octopus::test_support
