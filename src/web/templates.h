#pragma once
/// Page templates: mustache files rendered with mstch from JSON view models.
/// Every {{value}} is HTML-escaped (and so are braces, so that no input can
/// ever show up as template syntax); only {{{triple}}} values, which the site
/// fills with HTML it generated itself, are not.

#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace octopus::web {

/// Where the page templates live: $OCTOPUS_TEMPLATE_DIR, else templates/
/// beside or above the executable (or share/octopus/templates), else the
/// source tree's templates/.
std::string FindTemplateDir();
/// Where the static files live, found the same way ($OCTOPUS_STATIC_DIR, static/).
std::string FindStaticDir();

/// HTML escaping for text and attribute values: & < > " ' / ` = { }.
std::string EscapeHtml(std::string_view text);

class Templates {
 public:
  /// The templates every site needs; Load fails when one is missing.
  static constexpr const char* kRequired[] = {"layout",   "error",   "home",      "treaties",
                                             "treaty",   "news",    "activities", "projects",
                                             "country",  "countries", "search",   "entity",
                                             "entity_fields", "item_sources", "resources"};

  /// Reads every `NAME.mustache` file in `dir`. IoError naming the directory
  /// or the missing template. Installs EscapeHtml as mstch's escape function
  /// (a process-wide setting of the library: call before serving starts).
  static Result<Templates> Load(const std::string& dir);

  /// Renders template `name` with a JSON context (objects, arrays, strings,
  /// numbers, booleans; null is empty); every template is a partial of the
  /// others ({{> entity_fields}}). NotFound for an unknown template.
  Result<std::string> Render(std::string_view name, const nlohmann::json& context) const;

  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
  std::map<std::string, std::string, std::less<>> sources_;
  /// Per template, the partials it uses ({{> name}}, and theirs in turn), in
  /// the shape mstch takes: mstch parses every partial it is given on every
  /// render, so each render is given only those it may use.
  std::map<std::string, std::map<std::string, std::string>, std::less<>> partials_of_;
};

}  // namespace octopus::web
