#pragma once
/// The treaty engine's answers as JSON and text: one place for the shapes the
/// CLI prints and the API serves.

#include <string>

#include <nlohmann/json.hpp>

#include "domain/country.h"
#include "store/store.h"
#include "treaty/engine.h"

namespace octopus::service {

/// {"min": n, "max": n}; when no complete list covers the date
/// {"min": n, "max": null, "open": true}.
nlohmann::json RangeJson(const treaty::Range& r);
/// "2011-09-01", "2001-11-23/2011-06-01", or null.
nlohmann::json IntervalJson(const std::optional<treaty::Interval>& iv);

/// A State's flags: [{"flag":"R","meaning":"reservation","as_of":…|null,
/// "caveat":…|null,"source":{"origin","line","quote"}}…].
nlohmann::json FlagsJson(const std::vector<domain::StateFlag>& flags);

/// The treaty's summary: ref, titles, opening, entry into force with its note,
/// counts on `on`, the rule texts, completeness, and the complete lists on
/// record with the dates each covers (`complete_sources`).
nlohmann::json TreatySummaryJson(const treaty::Analysis& a, domain::Date on);

/// The chart as of `on`: summary plus one entry per State on record (name,
/// ISO codes, membership, signature, consent and kind, computed entry into
/// force, status, flags, sources), conflicts, and stated figures compared with the
/// engine's counts.
nlohmann::json StatusJson(const treaty::Analysis& a, const domain::Gazetteer& g,
                          const store::RegistryData& data, domain::Date on);

/// The same as a human-readable table.
std::string StatusText(const treaty::Analysis& a, const domain::Gazetteer& g,
                       const store::RegistryData& data, domain::Date on);

/// [{"date", "consents": {min,max}, "in_force": {min,max}}...]
nlohmann::json TimelineJson(const treaty::Analysis& a);
/// date,consents_min,consents_max,in_force_min,in_force_max
std::string TimelineCsv(const treaty::Analysis& a);

/// A stated figure checked against the engine: "consistent", "disagrees" or
/// "not comparable" (a measure the engine does not count).
struct FigureCheck {
  domain::StatedFigure figure;
  std::string verdict;
  std::string engine_value;  ///< "31", "30-31", or ""
};
std::vector<FigureCheck> CheckFigures(const treaty::Analysis& a,
                                      const std::vector<domain::StatedFigure>& figures);

/// The best-supported count of consents on a date, with its basis: the exact
/// count where a complete list covers the date; else the latest stated figure
/// on or before the date that the record does not contradict (one dated to
/// the day before one of a month or a year), beside the count named on
/// record; else the count named on record, open ("44+").
struct Headline {
  std::string text;   ///< "76", "31", "44+"
  int value = 0;
  bool exact = false;  ///< a complete list covers the date
  std::string basis;  ///< "exact", "stated", "named on record"
  std::optional<domain::Date> as_of;  ///< the date the figure is of
  std::string source;  ///< URL or file of the list or statement
  int named_on_record = 0;  ///< consents the registry names by the date asked
  std::string sentence;  ///< "76 — stated by the Council of Europe on 9 October 2024; 51 named on record"
};
Headline HeadlineCount(const treaty::Analysis& a, const std::vector<domain::StatedFigure>& figures,
                       domain::Date on);
nlohmann::json HeadlineJson(const Headline& h);

/// Today's date (UTC).
domain::Date Today();

}  // namespace octopus::service
