#pragma once
/// A treaty chart pasted as text, as the Treaty Office prints it: a heading
/// naming the treaty, "Status as of 01/12/2023", then one row per State:
///   "Albania\t23/11/2001\t20/6/2002\t1/7/2004\t\tX"    (TAB-separated cells:
///    State, Signature, Ratification, Entry into force, Notes, R., D., A., …)
///   "Japan 23/11/2001 3/7/2012 1/11/2012"             (cells run together)
/// Each row gives treaty_action records: the signature, and the ratification
/// (an accession when the Notes say "a") with its entry into force; the
/// flags R./D./A. (reservations, declarations, authorities) when the row
/// has its columns. Run together, a row of two dates reads as ratification
/// and entry into force only when the second is the first of a month and
/// the first is not; otherwise as signature and ratification.

#include <optional>
#include <vector>

#include "ingest/document.h"
#include "ingest/internal/dates.h"
#include "ingest/internal/mentions.h"
#include "ingest/internal/shapes.h"

namespace octopus::ingest::internal {

/// The chart rows of `doc` (nothing when fewer than three rows read as a
/// chart's, or no treaty is named above them). `used` marks the lines read.
std::vector<Record> ExtractChartRows(const TextDocument& doc, const CleanLines& lines, const MentionFinder& finder,
                                     std::vector<bool>* used);

/// "1/7/2004", "01/07/2004": the day, when all of `text` is one D/M/YYYY date.
std::optional<PartialDate> ParseDayMonthYear(std::string_view text);

}  // namespace octopus::ingest::internal
