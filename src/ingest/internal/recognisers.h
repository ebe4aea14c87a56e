#pragma once
/// The layout recognisers beyond the news page and the quarterly update, and
/// the sentence-level extractors of the facts that are not treaty actions:
/// dated events and activities, project basics, funding contributions. The
/// sentence extractors read every document whatever its layout; the items a
/// layout recogniser reports give year-less dates their year.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ingest/document.h"
#include "ingest/internal/dates.h"
#include "ingest/internal/mentions.h"
#include "ingest/internal/shapes.h"

namespace octopus::ingest::internal {

/// The first amount of money in `s` with its ISO 4217 code: "EUR 13.5
/// million", "4.2 million EUR", "EUR 2 777 778", "€10 million", "USD 508,371"
/// (rounded to cents); `as_written` gets the phrase. nullopt when none.
std::optional<std::pair<double, std::string>> Money(std::string_view s, std::string* as_written);

/// A single news item page: the title ("Back <title>", "Retour <title>" or the
/// first heading), the dateline ("Strasbourg 02/06/2014", "Council of Europe
/// Strasbourg 10 November 2016", "Strasbourg, 20 June 2024", "Published 20 June
/// 2024") and the body. Nothing when the page shows no title line and no dateline.
LayoutResult ExtractNewsItemPage(const TextDocument& doc, const MentionFinder& finder);
/// The same, reading `cl`, the CleanLines of `doc` its caller already built.
LayoutResult ExtractNewsItemPage(const TextDocument& doc, const CleanLines& cl, const MentionFinder& finder);

/// An event page (an Octopus conference): the title, the dates and venue in
/// its first lines ("Tuesday 1 - Wednesday 2 April 2008" over "Council of
/// Europe, Strasbourg, France"; "Bucharest, Romania | 13-15 December 2023"),
/// and the programme beside it (a date line over a title line, the T-CY
/// plenary left to the statement pass; "AGENDA: 13 December 2023" over
/// "Workshop 1: …" and its time). Nothing when the first lines give no date.
LayoutResult ExtractConferencePage(const TextDocument& doc, const MentionFinder& finder);
/// The same, reading `cl`, the CleanLines of `doc` its caller already built.
LayoutResult ExtractConferencePage(const TextDocument& doc, const CleanLines& cl, const MentionFinder& finder);

/// An activity sheet of the joint programmes ("Title …", "Description …",
/// "Date 01/03/2011 - 31/12/2011", "Countries …", "Project Purpose … (Cyber@EAP)"):
/// the project, and the activities it lists ("2) Regional seminar (5-6
/// September, Chisinau, Moldova)"), their years from the sheet's period.
LayoutResult ExtractActivitySheet(const TextDocument& doc, const MentionFinder& finder);
/// The same, reading `cl`, the CleanLines of `doc` its caller already built.
LayoutResult ExtractActivitySheet(const TextDocument& doc, const CleanLines& cl, const MentionFinder& finder);

/// The document's own date: `doc.date` when the reader or the caller set it,
/// else a dateline line. Sets `basis` ("dateline", or `doc.date_basis`).
std::optional<PartialDate> DocumentDate(const TextDocument& doc, const CleanLines& lines, std::string* basis);

/// A dateline: a short line that ends with an exact day and names no more
/// than a place (and the institution) before it: "Strasbourg 02/06/2014",
/// "Council of Europe Strasbourg 10 November 2016", "Strasbourg, 20 June 2024",
/// "Published 20 June 2024". The place, when given, goes to `place`.
std::optional<PartialDate> Dateline(std::string_view cleaned, std::string* place);

/// What the sentence extractors know of the document.
struct ProseContext {
  const std::vector<ItemSpan>& items;           ///< the layout recognisers' items
  std::optional<PartialDate> document_date;     ///< the document's own date
  const std::vector<Record>& existing;          ///< records the recognisers made (not repeated)
  const std::vector<std::string>& titles;       ///< the title of each item (same index), "" when none
  std::vector<bool> skip = {};                  ///< lines a layout already read as events (not read again)
  bool periodical = false;                      ///< an issue of a periodical: its title heads no project page
};

/// Dated events and activities in prose: "the workshop was held in Tbilisi on
/// 5-6 May", "will take place", "organised the Regional Conference on 9 - 11
/// October 2017", "lors de la Conférence de clôture …, le 28 octobre 2016".
/// A year-less date takes the year of its item's date, else of the document's
/// date, and says so in `date_basis`; without either it stays partial (null).
std::vector<Record> ProseActivities(const CleanLines& lines, const MentionFinder& finder, const ProseContext& ctx);

/// The first event a passage names by more than an event word: "The upcoming
/// International Workshop on Judicial Training aims …" → "International Workshop
/// on Judicial Training". nullopt when it names none.
std::optional<std::string> EventPhrase(std::string_view text);

/// True when `text` has a word that heads an event's name ("workshop", "conférence", …).
bool NamesEvent(std::string_view text);

/// Project basics stated in prose and lists: "GLACY is a joint project of the
/// European Union and the Council of Europe", "part of the Octopus Project
/// which is funded by voluntary contributions from Canada, …", "Duration of
/// the project: 1 January 2021 – 31 December 2024", "implemented for 36 months
/// with the budget of 4.2 million EUR, with 90% of funding provided by …",
/// "• CyberEast (2019-2022), aiming to …"; and funding contributions ("The
/// Netherlands made a voluntary contribution of EUR 50 000 to the Octopus
/// Project"). One project record per project named, its fields merged.
std::vector<Record> ProseProjects(const CleanLines& lines, const MentionFinder& finder, const ProseContext& ctx);

/// The sentence-level facts that are not treaty actions, over every line of
/// `doc`: ProseActivities and ProseProjects, with the document's date (from
/// `so_far.document`, else DocumentDate) and the items' titles (their first
/// heading). Returns only records `so_far` does not hold yet.
std::vector<Record> NonTreatyStatements(const TextDocument& doc, const MentionFinder& finder,
                                        const std::vector<ItemSpan>& items, const Extraction& so_far);
/// The same, reading `cl`, the CleanLines of `doc` its caller already built.
std::vector<Record> NonTreatyStatements(const TextDocument& doc, const CleanLines& cl, const MentionFinder& finder,
                                        const std::vector<ItemSpan>& items, const Extraction& so_far);

/// "Back Title" / "Retour Title" → "Title"; other lines unchanged.
std::string WithoutBackLink(std::string_view cleaned);

/// A title without the event date and place it ends with: "Closing
/// Conference (29-30 April 2013, Budva, Montenegro)" → "Closing Conference".
std::string WithoutEventSuffix(std::string_view title);

}  // namespace octopus::ingest::internal
