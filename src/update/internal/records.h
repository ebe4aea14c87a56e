#pragma once
/// Dates, amounts and names as the composer reads them, and the treaty
/// records (JSON fields in the store) read into typed values. Tolerant: a
/// missing or null field is empty, a malformed record is skipped and counted.

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

/// The treaty actions and figures of the stored records, which the registry
/// (not the knowledge base) speaks for.
struct TreatyRecords {
  std::vector<TreatyActionRecord> actions;
  std::vector<TreatyFigureRecord> figures;
  int skipped = 0;  ///< records whose JSON could not be read, or without a count or measure
};

/// Reads the treaty_action and treaty_figure rows; other kinds are ignored.
TreatyRecords ReadTreatyRecords(const std::vector<store::RecordRow>& rows);

/// "4945000", "4.945 million" or "10,000,000" as a number; nullopt
/// for any other text.
std::optional<double> ParseAmount(std::string_view text);

/// "in person", "online" or "hybrid" for the ways sources write them
/// ("In-Person", "in_person"); "" for anything else.
std::string NormaliseMode(std::string_view mode);

/// Text for one line (a title, a place, a date): control characters and runs
/// of white space become one space, so that no field can start a new line,
/// heading or list item in the text and Markdown renderings.
std::string OneLine(std::string_view s);

/// A key that matches a project's names across sources: "Octopus Project",
/// "Octopus project" and "octopus" → "octopus"; "iPROCEEDS-2" and
/// "i-PROCEEDS-2" → "iproceeds2"; "GLACY+" stays distinct from "GLACY".
std::string ProjectKey(std::string_view name);

}  // namespace octopus::update::internal
