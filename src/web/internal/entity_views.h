#pragma once
/// View models of knowledge-base entities, as JSON for the page templates and
/// the API alike: every field with the sources that state it (document label
/// and line, quote, date, resolution rule), its history and its conflicts.
/// Internal to the web module; pure functions over one snapshot.

#include <functional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "domain/record.h"
#include "kb/knowledge.h"

namespace octopus::web::internal {

/// A country's English name from its ISO 3166-1 alpha-2 code; the code itself
/// when the caller knows no name for it.
using CountryNamer = std::function<std::string(std::string_view iso2)>;

/// "EUR 4,945,000" from "4945000" and "EUR"; the amount alone without a
/// currency; "" without an amount. Decimals are kept ("1,200.50").
std::string ShowAmount(std::string_view amount, std::string_view currency);

/// People's name of a field: "budget_amount" → "Budget", "event_start" →
/// "Event start".
std::string FieldLabel(std::string_view field);

/// One field: {name, label, set, conflict, values: [Value], history: [Value],
/// has_history}. A Value is {value, text, href, stated_on, sources: [Source]}:
/// `text` is how a page shows it (a related entity's label, a country's name),
/// `href` its link or null. A Source is {document_id, record_id, document,
/// href (the document when it is a URL, else null), line, quote, stated_on,
/// section, rule}.
nlohmann::json FieldJson(const kb::KnowledgeBase& kb, const kb::Entity& entity,
                         const kb::Field& field, const CountryNamer& country_name);

/// An entity as the API gives it: {id, kind, url, label, fields: [Field],
/// conflicts: [field names], claims: count}.
nlohmann::json EntityJson(const kb::KnowledgeBase& kb, const kb::Entity& entity,
                          const CountryNamer& country_name);

/// A short line for lists: {id, kind, label, href, when, status, sources}:
/// `sources` are the documents its claims come from, in claim order, each once
/// ({document, href (the document when it is a URL, else null), lines}).
nlohmann::json EntitySummary(const kb::Entity& entity);

/// The documents an entity's claims come from (EntitySummary's `sources`).
nlohmann::json SourceDocuments(const kb::Entity& entity);

/// The entity's current values read by the rules that read a record's
/// fields (domain::ReadRecord): its span, precision, year, mode, places and
/// prose, with related entities by label. A field in conflict gives its first
/// current value; the conflict itself is on the entity's page.
domain::RecordFacts EntityFacts(const kb::KnowledgeBase& kb, const kb::Entity& entity);

/// The project page: the entity (EntityJson) plus `budget` ({text, sources,
/// history: [{text, stated_on, sources}]} or null), `conflicts` (the fields
/// whose sources disagree, values side by side), `contributions`,
/// `activities_by_year` ([{year, countries: [{country, name, activities}]}],
/// newest year first, undated last), `news` (newest first), `resources`.
nlohmann::json ProjectModel(const kb::KnowledgeBase& kb, const kb::Entity& project,
                            const CountryNamer& country_name);

/// The activity page: the entity plus `status` ({text, history} or null),
/// `projects` linked and the `news` that report it.
nlohmann::json ActivityModel(const kb::KnowledgeBase& kb, const kb::Entity& activity,
                             const CountryNamer& country_name);

/// The organisation page: the entity plus `funds` (projects it funds, with
/// its contributions to each) and `implements` (projects it implements).
nlohmann::json OrganisationModel(const kb::KnowledgeBase& kb, const kb::Entity& organisation,
                                 const CountryNamer& country_name);

/// The news item page: the entity plus its body as `paragraphs` (blank-line
/// separated blocks, lines joined), the `projects` it names and the
/// activities it `reports`, linked.
nlohmann::json NewsModel(const kb::KnowledgeBase& kb, const kb::Entity& news,
                         const CountryNamer& country_name);

/// A contribution or a resource page: the entity plus the `projects` it
/// concerns and, for a contribution, its `donor`.
nlohmann::json ContributionModel(const kb::KnowledgeBase& kb, const kb::Entity& contribution,
                                 const CountryNamer& country_name);
nlohmann::json ResourceModel(const kb::KnowledgeBase& kb, const kb::Entity& resource,
                             const CountryNamer& country_name);

/// The country page's sections: {projects, activities} that name the country,
/// projects by label, activities in date order (undated last).
nlohmann::json CountrySections(const kb::KnowledgeBase& kb, std::string_view iso2);

}  // namespace octopus::web::internal
