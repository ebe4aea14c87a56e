#pragma once
/// Text helpers shared by every module: trimming, splitting, and the
/// accent- and case-insensitive key used to match names.

#include <string>
#include <string_view>
#include <vector>

namespace octopus::text {

std::string_view Trim(std::string_view s);
std::vector<std::string> Split(std::string_view s, char sep);
bool StartsWith(std::string_view s, std::string_view prefix);
/// The items with `sep` between them.
std::string Join(const std::vector<std::string>& items, std::string_view sep);
std::string ToLowerAscii(std::string_view s);

/// A matching key for names: Unicode letters folded to ASCII where they have
/// an obvious base letter (ü→u, ç→c, ô→o), lower case, punctuation and runs
/// of spaces collapsed to one space, trimmed. "Côte d'Ivoire" → "cote d ivoire".
/// Invalid UTF-8 bytes are dropped.
std::string FoldKey(std::string_view s);

/// The longest prefix of `s` of at most `max_bytes` that does not cut a UTF-8
/// character in two.
std::string_view TruncateUtf8(std::string_view s, size_t max_bytes);

/// True when `s` is valid UTF-8.
bool IsValidUtf8(std::string_view s);

}  // namespace octopus::text
