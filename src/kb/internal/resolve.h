#pragma once
/// The resolution rules of the knowledge base: when two activity records are
/// one activity, when a news item reports an activity, and what an activity's
/// title and a link's caption say about their type. Pure; internal to kb.
/// The thresholds are in thresholds.h.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kb/knowledge.h"

namespace octopus::kb::internal {

/// True for "YYYY", "YYYY-MM" and "YYYY-MM-DD" (digits, month 01–12, day 01–31).
bool IsIsoDate(std::string_view s);

/// The days a date may denote, as sortable keys: "2023-10" is
/// ["2023-10-00", "2023-10-99"], a day is itself.
struct Span {
  std::string lo, hi;
  bool operator==(const Span&) const = default;
};

/// The span from a record's start, end and precision; nullopt when neither
/// date is given. "by" (on or before) has no lower bound.
std::optional<Span> SpanOf(std::string_view start, std::string_view end, std::string_view precision);

bool Overlap(const Span& a, const Span& b);

/// The more precise of two overlapping spans (their intersection).
Span Narrower(const Span& a, const Span& b);

/// "project name", "project acronym" or "project alias 'GLACY Plus'" (with
/// `what` first): how `written` matched the directory row.
std::string NameRule(std::string_view what, const Directory::Name& n, std::string_view written);

/// The rows whose name, acronym or an alias appears in `text` as whole words.
std::vector<const Directory::Name*> MentionedNames(const std::vector<Directory::Name>& names,
                                                   std::string_view text);

/// The row with the longest spelling that appears in `text` as whole words,
/// or nullptr ("The Government of the United States of America, as
/// represented by …" names the United States).
const Directory::Name* NamedWithin(const std::vector<Directory::Name>& names, std::string_view text);

/// True for the sections that list activities, one row each ("inventory",
/// "coming_next", "save_the_date", "programme"): two rows of one list are
/// never one activity, while prose may tell of one activity twice.
bool IsList(std::string_view section);

/// What the activity rules compare.
struct ActivityKey {
  std::string title;
  std::vector<std::string> projects;  ///< project ids
  std::vector<std::string> places, countries;
  std::optional<Span> span;
};

struct ActivityMatch {
  double similarity = 0;
  std::string rule;  ///< "same project, overlapping span, same country, similar title (0.80)"
};

/// Whether two activity records are one activity: a shared project or both
/// without one (or only one naming any, with titles alike to
/// kActivityTitleSimilarityWithoutProject); overlapping spans (or, when either is undated, titles alike
/// to kUndatedActivityTitleSimilarity); a shared place or country (or either
/// naming none, with titles alike to kActivityTitleSimilarityWithoutPlace);
/// titles alike to kActivityTitleSimilarity. nullopt when they are not.
std::optional<ActivityMatch> MatchActivities(const ActivityKey& a, const ActivityKey& b);

/// The activity type a title names by its first type word: "workshop",
/// "training", "conference", "meeting", "advisory mission", "desk study",
/// "webinar", "seminar", "round table", "plenary", "exercise", "visit",
/// "summit", "forum", "course"… A type word followed by a word naming a thing
/// ("training platform", "workshop report") is not read. "" when it names none.
std::string ActivityType(std::string_view title);

/// "planned" for coming_next and save_the_date entries or a text saying the
/// activity "will take place"; "held" for the inventory; "postponed" or
/// "cancelled" when the text says so; otherwise "held" or "planned" when the
/// document's own date is after the span's end or before its start, else "".
std::string ActivityStatus(std::string_view section, std::string_view text, const std::optional<Span>& span,
                           std::string_view document_date);

/// A link caption's resource type when it names a publication, guideline or
/// material ("guide", "study", "report", "manual", "training material",
/// "publication", "handbook", "toolkit", "brochure", "leaflet"), else "".
std::string ResourceType(std::string_view caption);

/// The language a caption names ("English", "French", …) as an ISO 639-1
/// code; "" when it names none or several.
std::string ResourceLanguage(std::string_view caption);

/// What the news-to-activity rule compares.
struct NewsKey {
  std::string title;
  std::vector<std::string> projects;
  std::string date;
  std::optional<Span> event;
  std::vector<std::string> places, countries;
};

/// The rule by which a news item reports the activity, or nullopt: a shared
/// project (or both without), titles alike to kNewsActivityTitleSimilarity,
/// a shared place or country when both name any, and the item's event span
/// overlapping the activity's, or without an event span, the item dated on
/// or up to kNewsReportDays after the activity's start.
std::optional<std::string> NewsReports(const NewsKey& news, const ActivityKey& activity);

}  // namespace octopus::kb::internal
