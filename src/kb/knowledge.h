#pragma once
/// The knowledge base: projects, activities, news items, organisations,
/// contributions and resources as entities built from sourced claims, the way
/// the treaty registry builds a State's status from evidence. Pure: no I/O.
///
/// What ingest extracted from a document (its records) becomes claims: one
/// statement about one field of one entity, with its source (document, line,
/// quote, and the date the source says it). Claims are attached to entities by
/// deterministic resolution rules, and each attachment names the rule that
/// made it. An entity's fields are derived from its claims: agreeing claims
/// merge; a later dated claim supersedes an earlier one where the field
/// changes over time, with the history kept; contradictory claims of the same
/// date are a conflict, shown side by side, never chosen silently.
///
/// Readers (pages, API, search, feeds, exports, the quarterly update) read
/// entities; nothing merges records after this layer.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace octopus::kb {

enum class Kind { kProject, kActivity, kNewsItem, kOrganisation, kContribution, kResource };

inline constexpr Kind kKinds[] = {Kind::kProject,      Kind::kActivity,     Kind::kNewsItem,
                                  Kind::kOrganisation, Kind::kContribution, Kind::kResource};

/// Who a snapshot of the knowledge base is for: everyone (restricted
/// entities and the claims of restricted documents left out), or
/// practitioners and the roles above them (everything).
enum class Visibility { kPublic, kRestricted };

/// "project", "activity", "news_item", "organisation", "contribution", "resource".
std::string_view KindName(Kind kind);
/// The inverse of KindName; nullopt for any other text.
std::optional<Kind> KindFromName(std::string_view name);
/// The first segment of the kind's URLs: "projects", "activities", "news",
/// "organisations", "contributions", "resources".
std::string_view KindPath(Kind kind);

/// Where a claim comes from: one line of one stored document, or one
/// published edit (document_id 0, `author` and `edit_id` set).
struct Source {
  int64_t document_id = 0;
  int64_t record_id = 0;  ///< the record the claim was read from; 0 for none
  int line = 0;           ///< 1-based line of the document
  std::string quote;      ///< the source's own words for the statement
  /// When the source makes the statement: the document's own date, else the
  /// end of the period it covers; ISO, possibly reduced ("2023-10"); "" when
  /// unknown. Claims are ordered in time by it.
  std::string stated_on;
  std::string section;  ///< the document section: "inventory", "coming_next", … or ""
  std::string document_label;  ///< the citable source: its URL, else its title or path
  /// An edit's claim: who wrote it (the editor's e-mail) and the published
  /// change set it belongs to; "" and 0 for a document's claim.
  std::string author;
  int64_t edit_id = 0;
  /// The document is restricted: the claim is for practitioners and above.
  bool restricted = false;
};

/// One statement about one field of one entity. Values are text in one
/// canonical form per field: names and titles as written; ISO dates, possibly
/// reduced; amounts as decimal digits ("4945000"); currencies as ISO 4217
/// codes; countries as ISO 3166-1 alpha-2 codes; and for a relation (an
/// activity's projects, a contribution's donor) the other entity's id. A set
/// field (countries, places, funders, projects, aliases) takes one claim per
/// element.
struct Claim {
  int64_t id = 0;  ///< set by the store
  std::string entity_id;
  std::string field;
  std::string value;
  Source source;
  /// The resolution rule that attached the claim to its entity, for people:
  /// "new entity", "project name", "project alias 'GLACY Plus'", "same
  /// project, overlapping span, same place", …
  std::string rule;
};

/// One value of a field and the claims that state it.
struct FieldValue {
  std::string value;
  std::vector<size_t> claims;  ///< indices into Entity::claims
  std::string stated_on;       ///< the latest stated_on among those claims
};

/// A field as derived from its claims.
struct Field {
  std::string name;
  bool set = false;  ///< many values (the union of the claims) rather than one
  /// A scalar: the value of the latest dated claims; several values exactly
  /// when those claims contradict each other (`conflict`). A date and a more
  /// precise date within it ("2023-10", "2023-10-10") do not: the precise one
  /// is current, the other history; and an entity's `precision` is the one
  /// stated with its current `start`. A set: every value.
  std::vector<FieldValue> current;
  bool conflict = false;
  /// A scalar: the values it had before, oldest first (a budget revised, an
  /// activity planned before it was held).
  std::vector<FieldValue> history;
};

struct Entity {
  /// Stable across re-ingestion and ingestion order: a slug of the canonical
  /// name for projects and organisations ("glacy-plus", "european-union"), a
  /// short hash of the identifying claims for the other kinds.
  std::string id;
  Kind kind = Kind::kProject;
  std::string label;            ///< name or title, for lists and links
  std::vector<Claim> claims;    ///< in time order (stated_on, document, line)
  std::vector<Field> fields;    ///< derived by Derive(), in the kind's field order
  /// For practitioners and above only: marked restricted, or known from
  /// restricted documents only (ApplyRestrictions).
  bool restricted = false;

  const Field* field(std::string_view name) const;
  /// The field's first current value, "" when it has none.
  std::string value(std::string_view name) const;
  /// Every current value of the field.
  std::vector<std::string> values(std::string_view name) const;
  /// "/projects/glacy-plus", "/activities/a3f9c2e1b07d", …
  std::string url() const;
};

/// One stored record of a document, as ingest extracted it.
struct RecordInput {
  int64_t id = 0;
  std::string kind;         ///< "project", "activity", "news_item", "link", …
  int line = 0;
  std::string fields_json;  ///< the record's fields (see domain/record.h)
};

/// One stored document with its records.
struct DocumentInput {
  int64_t id = 0;
  std::string sha256;  ///< breaks ties between documents of the same date
  std::string label;   ///< the citable source: its URL, else its title or path
  std::string date;    ///< its own date, ISO, possibly reduced; "" when unknown
  std::string period_start, period_end;  ///< the period a periodical covers, or ""
  std::vector<RecordInput> records;
};

/// One published change set of an editor: values for fields of entities.
struct EditInput {
  int64_t id = 0;             ///< the change set's id; breaks ties of publication time
  std::string author;         ///< the editor's e-mail
  std::string published_at;   ///< UTC, ISO 8601 ("2026-12-01T15:04:05Z")
  std::string note;           ///< the editor's reason, "" when none
  struct Value {
    Kind kind = Kind::kProject;
    /// The entity the value is about; kNewEntity: the one entity of `kind`
    /// the change set creates.
    std::string entity_id;
    std::string field;
    std::string value;  ///< in the canonical form of Claim::value
  };
  std::vector<Value> values;
};

/// EditInput::Value::value of an editor clearing a scalar field the documents
/// give: the field's current value is then "no value" (Entity::value gives
/// "", Entity::values nothing), the documents' values its history.
inline constexpr std::string_view kNoValue = "";

/// EditInput::Value::entity_id of an entity the change set creates.
inline constexpr std::string_view kNewEntity = "new";

/// The id of the entity of `kind` that change set `edit_id` creates: 12 hex
/// digits of a hash of "edit", the change set and the kind.
std::string NewEntityId(int64_t edit_id, Kind kind);

/// Names the programme uses for its projects and organisations, from
/// data/projects.csv and data/organisations.csv.
class Directory {
 public:
  /// Parses both tables; InvalidArgument naming the file, line and field of
  /// the first bad row.
  static Result<Directory> Parse(std::string_view projects_csv, std::string_view organisations_csv);

  struct Name {
    std::string id;       ///< slug
    std::string name;     ///< canonical name
    std::string acronym;  ///< "" when none
    std::vector<std::string> aliases;
  };
  /// The project or organisation a name denotes (canonical name, acronym or
  /// alias, compared without case, accents or punctuation); nullptr if none.
  const Name* Project(std::string_view name) const;
  const Name* Organisation(std::string_view name) const;
  const std::vector<Name>& projects() const { return projects_; }
  const std::vector<Name>& organisations() const { return organisations_; }

 private:
  std::vector<Name> projects_, organisations_;
};

/// Every entity, ordered by kind and id.
struct KnowledgeBase {
  std::vector<Entity> entities;
  /// Who the snapshot is for; PublicView gives a kPublic one.
  Visibility visibility = Visibility::kRestricted;

  const Entity* Find(std::string_view id) const;
  std::vector<const Entity*> OfKind(Kind kind) const;
  /// The entities of `kind` with a current value `id` in field `field`: the
  /// activities of a project, the contributions of a donor.
  std::vector<const Entity*> Referring(Kind kind, std::string_view field, std::string_view id) const;
};

/// Builds the knowledge base from every stored document and every published
/// edit. Deterministic and independent of the order of `documents` (they are
/// taken in order of date, then sha256) and of `edits` (in order of
/// publication, then id). A record it cannot read is skipped, never guessed
/// from. A published edit's value is a claim stated on its publication time
/// (so it supersedes the documents' claims of earlier days, which stay in
/// the field's history and the entity's claims), sourced to the edit (rule
/// "edited by …"), attached to the entity it names; an entity it names that
/// no document gives, and one it creates (kNewEntity), is made of its claims.
KnowledgeBase Build(const std::vector<DocumentInput>& documents, const Directory& directory,
                    const std::vector<EditInput>& edits = {});

/// Marks what is for practitioners and above only: the claims of the
/// documents in `documents`, the entities in `entities`, and every entity
/// whose claims from documents all come from restricted ones (an entity
/// only restricted documents give).
void ApplyRestrictions(KnowledgeBase& kb, const std::vector<int64_t>& documents,
                       const std::vector<std::string>& entities);

/// What a reader may see of `kb`: without its restricted entities, and
/// without the restricted claims of the others (their fields derived again
/// from what is left). Visibility kPublic.
KnowledgeBase PublicView(const KnowledgeBase& kb);

/// Derives `entity.fields` (and `label`) from `entity.claims`. Build calls it;
/// a reader that loads claims from the store calls it too.
void Derive(Entity& entity);

}  // namespace octopus::kb
