#pragma once
/// Treaty rules as JSON: the shape of one entry of data/treaties.json.

#include <string>
#include <string_view>

#include "core/result.h"
#include "domain/treaty.h"

namespace octopus::domain {

std::string TreatyToJson(const Treaty& t);
/// Errors name the field ("opened: malformed date …", "unknown period kind …").
Result<Treaty> TreatyFromJson(std::string_view json_text);

}  // namespace octopus::domain
