#pragma once
/// The Store: everything Octopus keeps, behind one interface. The SQLite
/// implementation is the embedded default; nothing here is SQLite-specific.
/// Every record keeps its source. Writes of one file or document happen in one
/// transaction: all of it is stored or nothing.

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "domain/treaty.h"
#include "kb/knowledge.h"
#include "store/driver.h"

namespace octopus::store {

/// A file or document the store has read.
struct SourceInfo {
  int64_t id = 0;  ///< set by the store
  std::string kind;    ///< rules, chart, notification, facts, document
  std::string origin;  ///< path or URL as given
  std::string sha256;
  std::string title;
  std::optional<domain::Date> as_of;
  bool complete = false;
  std::string imported_at;  ///< set by the store (UTC, ISO 8601)
};

/// All the registry holds for the engine.
struct RegistryData {
  std::vector<domain::Evidence> evidence;
  std::vector<domain::Snapshot> snapshots;
  std::vector<domain::StatedEntryIntoForce> stated_eif;
  std::vector<domain::StatedFigure> figures;
  std::vector<domain::StateFlag> flags;
};

/// An ingested document with its extraction report and records (JSON text).
struct DocumentRow {
  int64_t id = 0;
  std::string path, format, shape;
  std::optional<std::string> period_start, period_end;
  bool truncated = false;
  std::string report_json;
  std::optional<std::string> date;  ///< the document's own date (ISO, partial allowed)
  std::string date_basis;           ///< where `date` comes from ("dateline", "--date", …)
  std::string source_url;           ///< the URL it was published at, "" when unknown
  std::string sha256;               ///< of its bytes (its source's); set by the store
};

struct RecordRow {
  int64_t id = 0;
  int64_t document_id = 0;
  std::string kind;
  int line = 0;
  std::string fields_json;
};

/// One term of a full-text query: a word or a phrase (several words that
/// must follow each other), optionally a prefix ("cyber*").
struct SearchTerm {
  std::string text;
  bool prefix = false;
};

/// A query over the indexed records (news items, activities, projects).
/// Every condition must hold.
struct RecordQuery {
  std::vector<SearchTerm> terms;  ///< empty: every indexed record
  /// Facet filters: facet ("kind", "country", "project", "year", "mode") and
  /// value, compared case-insensitively. A record matches a filter when any
  /// of its values for that facet equals it.
  std::vector<std::pair<std::string, std::string>> filters;
  /// The record may fall on a day within [from, to] (ISO dates; "" for open).
  /// Undated records match only when both are empty.
  std::string from, to;
  enum class Order { kRank, kNewest, kOldest } order = Order::kRank;
  int limit = 20;
  int offset = 0;
  /// Facets to count: for each, the values among the records matching every
  /// condition except that facet's own filter, so that a count is the number
  /// of records the query gives with that value as the facet's filter.
  std::vector<std::string> facets;
  int facet_limit = 100;  ///< values per facet at most, the most frequent first
};

struct RecordHit {
  RecordRow record;
  /// With terms: the body's best passage and the title, matched words between
  /// kMarkOpen and kMarkClose. Without terms: empty.
  std::string snippet, title_marked;
};

struct FacetCount {
  std::string value;  ///< as stored
  int count = 0;
  /// FindEntities: the value as people read it (a project's name for its id);
  /// FindRecords: the value.
  std::string label;
};

struct RecordPage {
  int total = 0;  ///< records matching, before limit and offset
  std::vector<RecordHit> hits;
  std::vector<std::pair<std::string, std::vector<FacetCount>>> facets;  ///< in the order asked
};

/// One entity a query over the entities found.
struct EntityHit {
  std::string entity_id;
  kb::Kind kind = kb::Kind::kProject;
  std::string label;
  /// With terms: the entity's best passage of text and its label, matched
  /// words between kMarkOpen and kMarkClose. Without terms: empty.
  std::string snippet, title_marked;
};

struct EntityPage {
  int total = 0;  ///< entities matching, before limit and offset
  std::vector<EntityHit> hits;
  std::vector<std::pair<std::string, std::vector<FacetCount>>> facets;  ///< in the order asked
};

/// Markers around matched words in snippets (control characters: the indexed
/// text never holds them).
inline constexpr char kMarkOpen = '\x02';
inline constexpr char kMarkClose = '\x03';

/// A subscriber to the quarterly update.
struct Subscriber {
  int64_t id = 0;
  std::string email;
  std::string token;   ///< the secret the confirmation and unsubscribe links carry
  std::string status;  ///< "pending", "confirmed", "unsubscribed"
  std::string created_at;  ///< UTC, ISO 8601; set by the store
  std::optional<std::string> confirmed_at, unsubscribed_at;
};

/// One revision of a country's profile text (Markdown).
struct ProfileRevision {
  int64_t id = 0;
  std::string iso2;
  std::string markdown;
  std::string author;
  std::string note;
  std::string created_at;  ///< UTC, ISO 8601; set by the store
  int number = 0;          ///< 1 for a country's first revision; set by the store
};

/// One change, as the audit keeps it. Append-only: nothing in the
/// application edits or deletes an entry.
struct AuditEntry {
  int64_t id = 0;      ///< set by the store
  std::string at;      ///< UTC, ISO 8601; set by the store
  std::string actor;   ///< the user's e-mail, or "cli" / "ingest" for commands without one
  /// Where the change came from: "session 3f9a…" (auth::Principal::session_label)
  /// or the command line ("octopus ingest data/seeds/003.md").
  std::string origin;
  /// What was done: "create", "edit", "approve", "reject", "publish",
  /// "ingest", "user.add", "user.role", "user.disable", "login", …
  std::string action;
  std::string entity;  ///< "project:cybereast", "user:ana@example.org", "document:12", …
  std::string field;   ///< "budget", "role", …; "" for the whole entity
  std::optional<std::string> before, after;  ///< nullopt: none (created, deleted)
};

/// Which audit entries to read. Every condition given must hold.
struct AuditQuery {
  std::string actor;        ///< exact, "" for any
  std::string entity;       ///< exact or a prefix ending in ':' ("project:"); "" for any
  std::string action;       ///< exact, "" for any
  std::string from, to;     ///< ISO dates, inclusive, on `at`; "" for open
  int limit = 100;
  int64_t before_id = 0;    ///< entries with a smaller id only (paging); 0 for the newest
};

/// One value of a change set.
struct EditValue {
  int64_t id = 0;  ///< set by the store
  /// A knowledge base kind (kb::KindName: "project", "activity", …) or
  /// kCountryProfile.
  std::string kind;
  /// The entity's id, a country's ISO 3166-1 alpha-2 code for a profile, or
  /// kb::kNewEntity for the one entity of `kind` the change set creates.
  std::string entity_id;
  std::string field;  ///< "markdown" for a profile
  std::string value;  ///< in the canonical form of kb::Claim::value
  std::optional<std::string> before;  ///< what the site showed when the draft was made; nullopt: none
};

/// EditValue::kind of a country profile's text: published as a profile revision.
inline constexpr std::string_view kCountryProfile = "country_profile";

/// EditValue::kind of a treaty action a source states: entity_id "ETS 185/GE"
/// (the treaty's canonical ref and the State's code), fields "action"
/// (domain::ActionKindName), "date" (ISO: a day, a month or a year) and
/// "source" (the URL or citation that states it; required). Published as
/// registry evidence with that source.
inline constexpr std::string_view kTreatyAction = "treaty_action";

/// An editor's change set: a draft until a reviewer who is not its author
/// approves it (published) or rejects it.
struct ChangeSet {
  int64_t id = 0;          ///< set by the store
  std::string author;      ///< the editor's e-mail
  std::string created_at;  ///< UTC, ISO 8601; set by the store
  std::string note;
  std::string status;      ///< "draft", "published", "rejected"; set by the store
  std::string reviewer;    ///< "" until reviewed, and for one that published directly
  std::string reviewed_at; ///< when published or rejected; "" for a draft
  std::vector<EditValue> values;
};

/// The audit's name of what an edit value is about: "project:cybereast",
/// "activity:3f9a…" (a created entity's id), "profile:GE" (as a profile
/// revision's entry names it), "treaty_action:ETS 185/GE".
std::string EditAuditEntity(const ChangeSet& set, const EditValue& value);

class Store {
 public:
  virtual ~Store() = default;

  /// Applies the migrations not yet applied; returns the schema version.
  virtual Result<int> Migrate() = 0;
  /// True when a source with this content hash is stored already.
  virtual Result<bool> HasSource(const std::string& sha256) = 0;
  virtual Result<std::vector<SourceInfo>> Sources() = 0;

  /// Replaces the treaty rules (from data/treaties.json) in one transaction.
  virtual Status PutTreaties(const SourceInfo& source, const std::vector<domain::Treaty>& treaties) = 0;
  virtual Result<std::vector<domain::Treaty>> Treaties() = 0;

  /// Stores a batch and its source in one transaction. Returns false (and
  /// stores nothing) when the same content was stored before.
  virtual Result<bool> AddBatch(const SourceInfo& source, const domain::TreatyBatch& batch) = 0;
  /// The registry for one treaty (all treaties when `treaty` is empty).
  virtual Result<RegistryData> Registry(const std::string& treaty) = 0;

  /// Stores a document, its records and the treaty evidence derived from them
  /// in one transaction. Returns false when the same content was stored before.
  virtual Result<bool> AddDocument(const SourceInfo& source, const DocumentRow& doc,
                                   const std::vector<RecordRow>& records,
                                   const domain::TreatyBatch& derived) = 0;
  virtual Result<std::vector<DocumentRow>> Documents() = 0;
  /// Records of one kind ("" for all), in document and line order.
  virtual Result<std::vector<RecordRow>> Records(const std::string& kind) = 0;
  /// Records of one document, in line order.
  virtual Result<std::vector<RecordRow>> DocumentRecords(int64_t document_id) = 0;
  /// One record; NotFound when there is none with this id.
  virtual Result<RecordRow> Record(int64_t id) = 0;
  /// One document; NotFound when there is none with this id.
  virtual Result<DocumentRow> Document(int64_t id) = 0;

  /// The indexed records matching `query`, ranked (bm25, title first) or by
  /// date, with facet counts. AddDocument keeps the index in step in its own
  /// transaction. InvalidArgument for a backend without full-text search.
  virtual Result<RecordPage> FindRecords(const RecordQuery& query) = 0;

  /// Replaces every stored entity, claim and entity index row with `kb`, and
  /// the knowledge stamp with `stamp`, in one transaction: on any failure
  /// (a claim naming a document the store does not hold, two entities with
  /// one id) the previous knowledge stays as it was. Claim ids are assigned by
  /// the store; the entities' derived fields are not stored.
  virtual Status PutKnowledge(const kb::KnowledgeBase& kb, const std::string& stamp) = 0;
  /// Every stored entity with its claims (in time order) and its fields
  /// derived (kb::Derive), ordered by kind and id.
  virtual Result<kb::KnowledgeBase> Knowledge() = 0;
  /// The stamp of the last PutKnowledge; "" when the knowledge was never built.
  virtual Result<std::string> KnowledgeStamp() = 0;
  /// The indexed entities (projects, activities, news items, organisations and
  /// resources; contributions are not indexed) matching `query`, as FindRecords does for
  /// records: ranked by bm25 with the label first or by date, snippets,
  /// facets (kind, country, project, year, mode) counted without their own
  /// filter, the date window. A project filter takes the project's id or any
  /// of its names (name, acronym, alias), compared case-insensitively. InvalidArgument for a backend without full-text search.
  virtual Result<EntityPage> FindEntities(const RecordQuery& query) = 0;

  /// Adds `email` as a pending subscriber holding `token`. An address already
  /// on the list keeps its row: a pending or unsubscribed one becomes pending
  /// again with the new token; a confirmed one is returned unchanged.
  virtual Result<Subscriber> AddSubscriber(const std::string& email, const std::string& token) = 0;
  /// Moves the subscriber holding `token` to "confirmed" or "unsubscribed"
  /// (recording when). NotFound when no subscriber holds the token.
  virtual Result<Subscriber> SetSubscriberStatus(const std::string& token,
                                                 const std::string& status) = 0;
  /// Subscribers with this status ("" for all), in order of subscription.
  virtual Result<std::vector<Subscriber>> Subscribers(const std::string& status) = 0;

  /// Adds a revision of the profile of `iso2` in one transaction and returns
  /// it as stored (id, number, created_at). InvalidArgument for empty text.
  virtual Result<ProfileRevision> AddProfileRevision(const std::string& iso2,
                                                     const std::string& markdown,
                                                     const std::string& author,
                                                     const std::string& note) = 0;
  /// The revisions of the profile of `iso2`, newest first.
  virtual Result<std::vector<ProfileRevision>> ProfileRevisions(const std::string& iso2) = 0;
  /// The id of the latest revision of any profile; 0 when there is none.
  /// Pages cached by the site depend on it as they do on Sources().
  virtual Result<int64_t> LastProfileRevisionId() = 0;

  /// Who the store's own audit entries name. AddBatch, AddDocument and
  /// AddProfileRevision each append one ("import", "ingest", "edit") in the
  /// transaction of the change, so that no change is stored without its
  /// entry. Until this is called: actor "octopus", origin "octopus". A setting of the
  /// store object: a server that shares one store between requests appends
  /// the entries of its users' changes itself (AppendAudit).
  virtual void SetAuditOrigin(std::string actor, std::string origin) = 0;
  /// Appends one entry to the audit and returns it as stored (id, at).
  /// InvalidArgument when actor, origin, action or entity is empty.
  virtual Result<AuditEntry> AppendAudit(const AuditEntry& entry) = 0;
  /// The audit entries matching `query`, newest first.
  virtual Result<std::vector<AuditEntry>> Audit(const AuditQuery& query) = 0;

  /// Stores a change set with its values in one transaction, with one audit
  /// entry per value ("draft", or "publish" when `publish`: a kind that
  /// publishes directly; the author, `origin`, before and after). A published
  /// country profile value adds a profile revision, a published treaty
  /// action registry evidence (a source of kind "edit"), in that transaction.
  /// InvalidArgument (nothing stored) without an author, without values,
  /// with a value lacking its kind, entity or field, or with a treaty action
  /// lacking a known action, an ISO date or its source.
  virtual Result<ChangeSet> AddDraft(const ChangeSet& draft, bool publish,
                                     const std::string& origin) = 0;
  /// The change sets awaiting review, oldest first.
  virtual Result<std::vector<ChangeSet>> Drafts() = 0;
  /// One change set; NotFound when there is none with this id.
  virtual Result<ChangeSet> ChangeSetById(int64_t id) = 0;
  /// Publishes a draft in one transaction: status, reviewer, reviewed_at, a
  /// profile revision for a profile value, evidence for a treaty action, and per value the audit entries
  /// "approve" and "publish" (before and after). InvalidArgument when
  /// `reviewer` is the author (or empty); Conflict when it is not a draft;
  /// NotFound when there is none.
  virtual Result<ChangeSet> Approve(int64_t id, const std::string& reviewer,
                                    const std::string& origin) = 0;
  /// As Approve, to "rejected", with one "reject" audit entry per value.
  virtual Result<ChangeSet> Reject(int64_t id, const std::string& reviewer,
                                   const std::string& origin) = 0;
  /// Every published change set, in order of publication (then id).
  virtual Result<std::vector<ChangeSet>> PublishedEdits() = 0;
  /// How many change sets are published; it only grows (a published change
  /// set stays published), so the knowledge stamp and page caches depend on it.
  virtual Result<int64_t> PublishedEditCount() = 0;

  virtual std::string_view backend() const = 0;
};

/// The store for a --db value: a file path → SQLite (created if missing),
/// "postgresql://…" → PostgreSQL (when built with it).
Result<std::unique_ptr<Store>> OpenStore(const std::string& db);

/// A Store over any Connection (the repository layer, written once).
std::unique_ptr<Store> MakeSqlStore(std::unique_ptr<Connection> conn);

}  // namespace octopus::store
