#pragma once
/// The ingest's records (JSON fields in the store) read into typed values for
/// the composer. Tolerant: a missing or null field is empty, a malformed
/// record is skipped and counted.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/date.h"
#include "store/store.h"

namespace octopus::update::internal {

/// An ISO date at the precision a source gave it: "2023-10-03", "2023-10", "2023".
struct IsoDate {
  enum class Grain { kDay, kMonth, kYear };
  domain::Date lo;  ///< first day it may denote
  domain::Date hi;  ///< last day it may denote
  Grain grain = Grain::kDay;

  static std::optional<IsoDate> Parse(std::string_view text);
};

struct NewsRecord {
  int64_t id = 0;
  int64_t document_id = 0;
  std::string title, place, event_place, body;
  std::optional<IsoDate> date, event_start, event_end;
  std::vector<std::string> countries, projects, treaties;
  std::string section;     ///< the heading the source put it under ("Octopus Project"), if any
  std::string as_written;  ///< the event's date as the source wrote it ("18 and 28 September")
};

struct ActivityRecord {
  int64_t id = 0;
  int64_t document_id = 0;
  std::string title, mode, as_written;
  std::string
      section;  ///< where the source listed it: "inventory", "coming_next", "save_the_date", …
  std::vector<std::string> projects, places, countries;
  std::optional<IsoDate> start, end;
  domain::Precision precision = domain::Precision::kDay;

  /// Earliest and latest day the activity may take place; nullopt when undated.
  std::optional<domain::Date> Lo() const;
  std::optional<domain::Date> Hi() const;
  /// The day that places it in a month: the start, else the end ("by 30 July").
  std::optional<domain::Date> Anchor() const;
};

struct ProjectRecord {
  int64_t id = 0;
  std::string name, scope, budget_currency;
  std::string duration_text, budget_text, funding_text;  ///< as the source wrote them
  std::optional<IsoDate> start, end;
  std::optional<double> budget_amount;
  std::vector<std::string> funders, countries;
  /// The projects a joint initiative groups ("Joint Project Initiatives"); empty for a project.
  std::vector<std::string> members;
};

struct TreatyActionRecord {
  int64_t id = 0;
  std::string state, treaty, action;
  std::optional<IsoDate> date, entry_into_force;
  std::optional<IsoDate> reported;  ///< when the source reported it, if it gives no date
};

struct TreatyFigureRecord {
  int64_t id = 0;
  std::string treaty, measure;
  int count = 0;
  bool at_least = false;  ///< "45+"
  std::optional<IsoDate> as_of;
  std::string as_of_text;
};

struct RecordSet {
  std::vector<NewsRecord> news;
  std::vector<ActivityRecord> activities;
  std::vector<ProjectRecord> projects;
  std::vector<TreatyActionRecord> actions;
  std::vector<TreatyFigureRecord> figures;
  /// Document id → the period it reports on (last day), when the document gives one.
  std::vector<std::pair<int64_t, domain::Date>> document_period_end;
  int skipped = 0;  ///< records whose JSON could not be read
};

/// Reads every record row. Activities that several documents repeat (an
/// issue's "coming next" and the next issue's inventory) are kept once, the
/// latest version winning; a project described several times (its section and
/// the inventory of projects) is one record with every field any of them gives.
RecordSet ReadRecords(const std::vector<store::RecordRow>& rows,
                      const std::vector<store::DocumentRow>& documents);

/// Text for one line (a title, a place, a date): control characters and runs
/// of white space become one space, so that no field can start a new line,
/// heading or list item in the text and Markdown renderings.
std::string OneLine(std::string_view s);

/// A key that matches a project's names across sources: "Octopus Project",
/// "Octopus project" and "octopus" → "octopus"; "iPROCEEDS-2" and
/// "i-PROCEEDS-2" → "iproceeds2"; "GLACY+" stays distinct from "GLACY".
std::string ProjectKey(std::string_view name);

}  // namespace octopus::update::internal
