#pragma once
/// HTML escaping shared by every module that writes HTML (site pages, the
/// quarterly update): the same characters as the site's template escaper.

#include <string>
#include <string_view>

namespace octopus::text {

/// Escapes text for HTML element content and quoted attribute values:
/// & < > " ' / ` = { }. Safe for any byte string.
std::string EscapeHtml(std::string_view text);

}  // namespace octopus::text
