#pragma once
/// The statement pass: every non-blank line of a document, whatever its
/// layout, is read for the treaty actions and figures its sentences state.
/// Lines inside an item a layout found are read in the item's context (its
/// date, the year its year-less dates take, its title lines as headings);
/// the other lines in the document's own context (its date).

#include <optional>
#include <vector>

#include "ingest/document.h"
#include "ingest/internal/dates.h"
#include "ingest/internal/mentions.h"
#include "ingest/internal/shapes.h"

namespace octopus::ingest::internal {

/// The records stated in `doc`, in line order: treaty_action, treaty_figure,
/// and the T-CY plenaries it names (activity, section tcy_plenary).
/// Consecutive lines of one sentence wrapped over several lines are read as
/// one paragraph. When `used` is given it is resized to the document's line
/// count and marks the lines whose sentences gave a record.
std::vector<Record> ExtractStatements(const TextDocument& doc, const CleanLines& lines,
                                      const std::vector<ItemSpan>& items, const MentionFinder& finder,
                                      std::optional<PartialDate> document_date,
                                      std::vector<bool>* used = nullptr);

/// The date a document of no dated items gives itself on a line of its own: a
/// place and one exact day ("Strasbourg 02/06/2014", "Council of Europe
/// Strasbourg 10 November 2016", "Strasbourg, 9 June 2017 T-CY (2017)13").
/// Nullopt when no line reads so, or when such lines give different days.
std::optional<PartialDate> DatelineOf(const CleanLines& lines);

/// Where a republished text first appeared, as the text says it: "This article
/// was first published by the Council of Europe on 3 December 2018",
/// "Originally published in Example Weekly, 5 May 2021".
struct Republication {
  std::string publisher;             ///< "" when the text names none
  std::optional<PartialDate> date;   ///< the original's date, when given with its year
  int line = 0;
};
/// The first line that says so; nullopt when none does.
std::optional<Republication> RepublicationOf(const CleanLines& lines);

/// A date written as ISO at any precision ("2024-06-20", "2024-06", "2024");
/// nullopt for anything else.
std::optional<PartialDate> ParseIsoDate(std::string_view iso);

}  // namespace octopus::ingest::internal
