#pragma once
/// Markdown (GitHub flavour: tables, strikethrough, autolinks) to HTML through
/// cmark-gfm in its safe mode: raw HTML is replaced by a comment and links
/// with dangerous schemes (javascript:, vbscript:, file:, most data:) lose
/// their target. The output may therefore be inserted into a page unescaped.

#include <string>
#include <string_view>

namespace octopus::publish {

std::string RenderMarkdown(std::string_view markdown);

}  // namespace octopus::publish
