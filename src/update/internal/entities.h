#pragma once
/// The knowledge base's entities read into typed values for the composer:
/// each project, activity, news item and contribution once, its fields as the
/// knowledge base derived them from their claims. Nothing here merges: that
/// happened when the entities were built. Relations (an activity's projects,
/// a project's funders, a contribution's donor) hold entity ids; they are
/// shown by the other entity's name, or as stated when no entity has the id.

#include <optional>
#include <string>
#include <vector>

#include "domain/date.h"
#include "kb/knowledge.h"
#include "update/internal/records.h"

namespace octopus::update::internal {

/// Where a source listed an entity, and when it said so.
struct Mention {
  std::string section;  ///< "inventory", "coming_next", "save_the_date", … or ""
  std::optional<IsoDate> stated_on;
};

struct Activity {
  std::string id, url;
  std::string title, mode, as_written;
  std::string status;  ///< "planned", "held", "postponed", "cancelled" or ""
  std::vector<std::string> project_ids;  ///< entity ids, or names no project entity has
  std::vector<std::string> projects;     ///< for readers: each project's short name
  std::vector<std::string> places, countries;
  std::optional<IsoDate> start, end;
  domain::Precision precision = domain::Precision::kDay;
  std::vector<Mention> mentions;  ///< one per source section that lists it
  /// The title a save-the-date list gives it ("" when none lists it).
  std::string save_the_date_title;

  /// Earliest and latest day the activity may take place; nullopt when undated.
  std::optional<domain::Date> Lo() const;
  std::optional<domain::Date> Hi() const;
  /// The day that places it in a month: the start, else the end ("by 30 July").
  std::optional<domain::Date> Anchor() const;
  /// True when a source listed it in `section` in a statement made within [from, to].
  bool ListedIn(std::string_view section, domain::Date from, domain::Date to) const;
  /// True when a source spoke of it within [from, to], in any section.
  bool MentionedIn(domain::Date from, domain::Date to) const;
  /// True when only save-the-date lists speak of it.
  bool SaveTheDateOnly() const;
};

struct News {
  std::string id, url;
  std::string title, place, event_place, body, as_written;
  std::string section;  ///< the heading the source put it under ("Octopus Project"), if any
  std::optional<IsoDate> date, event_start, event_end;
  std::vector<std::string> countries, project_ids, projects, treaties;
};

struct Contribution {
  std::string id;
  std::string donor;       ///< for readers: the donor's name
  std::string project_id;  ///< entity id
  std::optional<double> amount;
  std::string currency;
  std::optional<IsoDate> date;
};

struct Project {
  std::string id, url;
  std::string name;  ///< for readers: the name the sources use
  std::string scope, budget_currency, status;
  std::string duration_text, budget_text, funding_text;  ///< as a source wrote them
  std::optional<IsoDate> start, end;
  std::optional<double> budget_amount;
  /// Budget amounts stated on the same date that contradict each other
  /// (then `budget_amount` is empty: no value is chosen).
  std::vector<double> budget_conflict;
  std::vector<std::string> funders, countries;
  /// The projects a joint initiative groups; empty for a project.
  std::vector<std::string> members;
  /// ProjectKey of each of its names (name, acronym, aliases).
  std::vector<std::string> keys;
};

struct Entities {
  std::vector<Project> projects;
  std::vector<Activity> activities;
  std::vector<News> news;
  std::vector<Contribution> contributions;
};

/// Reads every project, activity, news item and contribution of `knowledge`,
/// each kind in the order sources first state them (date of the statement,
/// document, line). An entity without a name or title is left out. A
/// project's budget is the one stated by `as_of` (a revision stated later is
/// not yet known then), else the current one.
Entities ReadEntities(const kb::KnowledgeBase& knowledge,
                      std::optional<domain::Date> as_of = std::nullopt);

/// The name of a project for headings and lists: as the latest source wrote
/// it ("GLACY+", "Octopus Project"), else its acronym, else its name.
std::string ProjectName(const kb::Entity& project);

}  // namespace octopus::update::internal
