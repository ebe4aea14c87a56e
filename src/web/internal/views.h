#pragma once
/// View models: the engine's answers shaped for the page templates, as JSON.
/// Internal to the web module; pure functions.

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/date.h"
#include "domain/treaty.h"
#include "store/store.h"
#include "treaty/engine.h"

namespace octopus::web::internal {

/// The treaty's reference as a URL segment: "ETS-185", "CETS-224", "UNCC".
std::string TreatySlug(const domain::Treaty& t);

/// A date or interval as people read it: "2011-09-01", "2001-11-23 – 2011-06-01",
/// "on or before 2011-06-01", "on or after 2011-06-02"; "" for null.
std::string ShowInterval(const nlohmann::json& interval);
/// A State's flags (service::FlagsJson) as page links: [{"code","title",
/// "href" (the source when it is a URL, else null),"unreliable"}]; the title
/// gives the meaning, the date, the source's caveat and the file and line.
nlohmann::json FlagLinks(const nlohmann::json& flags);
/// Every "YYYY-MM-DD/YYYY-MM-DD" in a sentence written as "YYYY-MM-DD – YYYY-MM-DD".
std::string ShowRangesIn(std::string_view text);
/// "31" or "30–31".
std::string ShowRange(const treaty::Range& r);

/// One treaty as a row of the list and of the home page's figures.
nlohmann::json TreatyRowModel(const treaty::Analysis& a, const std::vector<domain::StatedFigure>& figures,
                              domain::Date on);

/// The home page: figures for the treaties with any State on record, and the
/// sources the store holds. Sections without data are left out.
nlohmann::json HomeModel(const std::vector<nlohmann::json>& treaty_rows,
                         const std::vector<store::SourceInfo>& sources, domain::Date today);

/// The treaty list page.
nlohmann::json TreatyListModel(const std::vector<nlohmann::json>& treaty_rows, domain::Date on,
                               domain::Date today);

/// The treaty chart page from service::StatusJson's answer, with the plot's SVG.
nlohmann::json TreatyPageModel(const treaty::Analysis& a, const nlohmann::json& status,
                               domain::Date on, domain::Date today, std::string plot_svg);

}  // namespace octopus::web::internal
