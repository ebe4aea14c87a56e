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
  /// AddDocument: stored restricted, its restriction (and the audit entry
  /// "restrict") in the same transaction, so that no reader ever sees it
  /// public. Not read back: Restrictions() says what is restricted.
  bool restricted = false;
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

/// A query over the indexed entities (Store::FindEntities). Every condition
/// must hold.
struct RecordQuery {
  std::vector<SearchTerm> terms;  ///< empty: every indexed entity
  /// Facet filters: facet ("kind", "country", "project", "year", "mode") and
  /// value, compared case-insensitively. An entity matches a filter when any
  /// of its values for that facet equals it.
  std::vector<std::pair<std::string, std::string>> filters;
  /// The entity may fall on a day within [from, to] (ISO dates; "" for open).
  /// Undated entities match only when both are empty.
  std::string from, to;
  enum class Order { kRank, kNewest, kOldest } order = Order::kRank;
  int limit = 20;
  int offset = 0;
  /// Facets to count: for each, the values among the entities matching every
  /// condition except that facet's own filter, so that a count is the number
  /// of entities the query gives with that value as the facet's filter.
  std::vector<std::string> facets;
  int facet_limit = 100;  ///< values per facet at most, the most frequent first
  /// Who asks: kPublic leaves restricted entities out of the results, the
  /// total and every facet count.
  kb::Visibility visibility = kb::Visibility::kPublic;
};

struct FacetCount {
  std::string value;  ///< as stored
  int count = 0;
  /// The value as people read it (a project's name for its id).
  std::string label;
};

/// One entity a query over the entities found.
struct EntityHit {
  std::string entity_id;
  kb::Kind kind = kb::Kind::kProject;
  std::string label;
  /// With terms: the entity's best passage of text and its label, matched
  /// words between kMarkOpen and kMarkClose. Without terms: empty.
  std::string snippet, title_marked;
  /// A country's entry (PutCountries): `entity_id` is its ISO2 code, `label`
  /// its name, and `kind` says nothing.
  bool country = false;
};

/// A country as the entity index holds it (Store::PutCountries).
struct CountryEntry {
  std::string iso2;
  std::string name;                ///< its label: the name people read
  std::vector<std::string> names;  ///< other names it is found by (French name, ISO3 code, …)
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
  std::string token;   ///< the secret the confirmation link carries; used once
  /// The secret the unsubscribe links carry; used once ("" once used).
  std::string unsubscribe_token;
  /// When `token` stops confirming (UTC, ISO 8601); "" for never.
  std::string token_expires_at;
  std::string status;  ///< "pending", "confirmed", "unsubscribed"
  std::string created_at;  ///< UTC, ISO 8601; set by the store
  std::optional<std::string> confirmed_at, unsubscribed_at;
};

/// A message in the outbox: stored before it is sent, sent by a worker.
struct OutboxMessage {
  int64_t id = 0;         ///< set by the store
  std::string kind;       ///< "confirmation", "issue"
  std::string recipient;  ///< the address RCPT TO names
  std::string message;    ///< complete, headers and body, CRLF line ends
  /// What the message is for; a second message with the same key is not queued.
  std::string dedup_key;
  int attempts = 0;              ///< set by the store
  std::string next_attempt_at;   ///< UTC, ISO 8601; "" when queued: now
  std::string last_error;        ///< set by the store
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

  /// An entry to append (the store sets id and at).
  static AuditEntry Of(std::string actor, std::string origin, std::string action,
                       std::string entity, std::string field = "",
                       std::optional<std::string> before = std::nullopt,
                       std::optional<std::string> after = std::nullopt) {
    AuditEntry e;
    e.actor = std::move(actor);
    e.origin = std::move(origin);
    e.action = std::move(action);
    e.entity = std::move(entity);
    e.field = std::move(field);
    e.before = std::move(before);
    e.after = std::move(after);
    return e;
  }
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

/// An account. Times are UTC, ISO 8601.
struct User {
  int64_t id = 0;  ///< set by the store
  std::string email;
  std::string role;           ///< auth::RoleName: "reader" … "administrator"
  std::string password_hash;  ///< an argon2id string; "" until a password is set
  bool disabled = false;
  std::string totp_secret;    ///< base32; "" when the account has no second factor
  std::string created_at;     ///< set by the store
};

/// A one-time link's token, kept as its hash only.
struct AccountToken {
  int64_t id = 0;  ///< set by the store
  int64_t user_id = 0;
  std::string token_hash;
  std::string purpose;  ///< "set-password" or "reset"
  std::string created_at, expires_at;
  std::optional<std::string> used_at;
};

/// A signed-in session, kept by the hash of its id.
struct SessionRow {
  int64_t id = 0;  ///< set by the store
  std::string id_hash;
  int64_t user_id = 0;
  std::string created_at, last_seen_at;
  std::string csrf_token;
  std::optional<std::string> ended_at;
};

/// Failed logins in a row for one key ("account:…" or "address:…").
struct LoginFailures {
  int failures = 0;
  std::string last_failure_at;  ///< "" when there is none
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

/// A country's 24/7 point of contact for cybercrime cooperation (Budapest
/// Convention, Article 35). Restricted: practitioners and above only.
struct CountryContact {
  int64_t id = 0;  ///< set by the store
  std::string iso2;
  std::string authority;  ///< the authority hosting the point of contact (required)
  std::string unit;
  std::string phone;
  std::string email;
  std::string hours;      ///< "24/7", "Mon–Fri 08:00–18:00 CET", …
  std::string languages;  ///< as written, e.g. "Georgian, English, Russian"
  std::string last_verified;  ///< ISO date the details were last checked (required)
  std::string source;     ///< where they come from: a URL or a citation (required)
  std::string author;     ///< who recorded them (e-mail, or "cli")
  std::string created_at; ///< UTC, ISO 8601; set by the store
};

/// What a restriction is about: a document (`ref` its id) or an entity
/// (`ref` its id, e.g. a resource).
struct Restriction {
  std::string subject;  ///< "document" or "entity"
  std::string ref;
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
  /// resources; contributions are not indexed) and countries (PutCountries)
  /// matching `query`: ranked by
  /// bm25 with the label first or by date, snippets,
  /// facets (kind, country, project, year, mode) counted without their own
  /// filter, the date window. A project filter takes the project's id or any
  /// of its names (name, acronym, alias), compared case-insensitively. InvalidArgument for a backend without full-text search.
  virtual Result<EntityPage> FindEntities(const RecordQuery& query) = 0;
  /// Replaces the countries in the entity index with `countries`, in one
  /// transaction: FindEntities then finds each by its names and its profile's
  /// latest text (AddProfileRevision keeps that in step), as kind "country"
  /// with no other facet (a country is not "about" itself). PutKnowledge
  /// leaves them. Ok and nothing indexed on a backend without full-text search.
  virtual Status PutCountries(const std::vector<CountryEntry>& countries) = 0;

  /// Adds `email` as a pending subscriber holding `token`. An address already
  /// on the list keeps its row: a pending or unsubscribed one becomes pending
  /// again with the new token; a confirmed one is returned unchanged.
  /// `unsubscribe_token` and `expires_at` (UTC ISO, "" for never) come with
  /// the new confirmation token.
  virtual Result<Subscriber> AddSubscriber(const std::string& email, const std::string& token,
                                           const std::string& unsubscribe_token,
                                           const std::string& expires_at) = 0;
  /// "confirmed": the pending subscriber whose confirmation token is `token`
  /// and not expired is confirmed, and the token stops working. "unsubscribed":
  /// the subscriber whose unsubscribe token is `token` is unsubscribed, and
  /// that token stops working. Records when. NotFound when no subscriber
  /// holds such a token.
  virtual Result<Subscriber> SetSubscriberStatus(const std::string& token,
                                                 const std::string& status) = 0;

  /// Queues a message; false (nothing queued) when one with the same
  /// dedup_key was queued before, sent or not.
  virtual Result<bool> EnqueueMail(const OutboxMessage& message) = 0;
  /// Messages neither sent nor given up whose next attempt is due at `now`
  /// (UTC, ISO 8601), oldest first, at most `limit`.
  virtual Result<std::vector<OutboxMessage>> DueMail(const std::string& now, int limit) = 0;
  /// Claims message `id` for one attempt, before it is sent: counts the
  /// attempt and puts the next one at `retry_at`, so that a message whose
  /// sending is interrupted (a crash, a kill) is retried then. `attempts` is
  /// the count DueMail gave; false, and nothing changed, when the message is
  /// no longer as DueMail gave it (another sender claimed it, or it was sent
  /// or given up meanwhile): two senders never both send it.
  virtual Result<bool> MarkMailAttempt(int64_t id, int attempts, const std::string& retry_at) = 0;
  /// Records the relay's acceptance. The text of a sent message is not kept
  /// (links in account mail are secrets), only its key and dates.
  virtual Status MarkMailSent(int64_t id) = 0;
  /// Records why an attempt failed; `give_up`: no attempt follows.
  virtual Status MarkMailFailed(int64_t id, const std::string& error, bool give_up) = 0;
  /// Messages neither sent nor given up.
  virtual Result<int64_t> OutboxDepth() = 0;
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

  /// Accounts. AddUser: InvalidArgument for an empty e-mail or an unknown
  /// role, Conflict when the e-mail has an account already.
  virtual Result<User> AddUser(const User& user) = 0;
  /// NotFound when no account has this e-mail (compared as given) or id.
  virtual Result<User> UserByEmail(const std::string& email) = 0;
  virtual Result<User> UserById(int64_t id) = 0;
  /// Every account, in order of creation.
  virtual Result<std::vector<User>> Users() = 0;
  /// Stores role, password_hash, disabled and totp_secret of `user.id`.
  /// NotFound when there is no such account.
  virtual Status UpdateUser(const User& user) = 0;

  /// Stores a one-time token (created_at set by the store when empty).
  virtual Result<AccountToken> AddAccountToken(const AccountToken& token) = 0;
  /// NotFound when no token has this hash.
  virtual Result<AccountToken> AccountTokenByHash(const std::string& token_hash) = 0;
  /// Marks the token used at `at`; false (and nothing changed) when it was
  /// used already. NotFound when there is no such token.
  virtual Result<bool> UseAccountToken(int64_t id, const std::string& at) = 0;

  virtual Result<SessionRow> AddSession(const SessionRow& session) = 0;
  /// NotFound when no session has this hash (ended ones included).
  virtual Result<SessionRow> SessionByHash(const std::string& id_hash) = 0;
  virtual Status TouchSession(int64_t id, const std::string& at) = 0;
  /// Ends one session at `at` (a session ended already keeps its time).
  virtual Status EndSession(int64_t id, const std::string& at) = 0;
  /// Ends every open session of a user (disabled, password changed).
  virtual Status EndUserSessions(int64_t user_id, const std::string& at) = 0;

  /// The failures in a row of `key`; zero when it has none.
  virtual Result<LoginFailures> LoginFailuresOf(const std::string& key) = 0;
  /// Counts one more failure of `key` at `at`; returns the new state.
  virtual Result<LoginFailures> AddLoginFailure(const std::string& key, const std::string& at) = 0;
  /// Forgets the failures of `key` (after a successful login).
  virtual Status ClearLoginFailures(const std::string& key) = 0;

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

  /// Restricts (`restricted`) or releases a document or an entity, with an
  /// audit entry ("restrict" / "release", entity "document:12" or
  /// "entity:ab12…") in the same transaction. InvalidArgument for an
  /// unknown subject or an empty ref, actor or origin; NotFound for a
  /// document the store does not hold.
  virtual Status SetRestricted(const Restriction& what, bool restricted, const std::string& actor,
                               const std::string& origin) = 0;
  /// What is restricted now, in order of subject and ref.
  virtual Result<std::vector<Restriction>> Restrictions() = 0;
  /// The id of the last SetRestricted; 0 when there was none. Pages cached
  /// by the site depend on it.
  virtual Result<int64_t> LastRestrictionId() = 0;

  /// Records a country's point of contact (a new revision; the previous one
  /// is kept) with its audit entry ("contact.set", entity "contact:GE", the
  /// previous and new details) in one transaction, and returns it as stored.
  /// InvalidArgument (nothing stored) for a code that is not two capital
  /// letters, or without authority, last_verified (an ISO date), source,
  /// author or origin, or with a value holding a control character.
  virtual Result<CountryContact> AddCountryContact(const CountryContact& contact,
                                                   const std::string& origin) = 0;
  /// The current point of contact of `iso2` for `visibility`: nullopt for
  /// kPublic, whatever is stored, and when none is stored.
  virtual Result<std::optional<CountryContact>> CountryContactOf(const std::string& iso2,
                                                                 kb::Visibility visibility) = 0;

  virtual std::string_view backend() const = 0;
};

/// The contact as one line of text ("authority · unit · phone · …"), for the
/// audit's before and after.
std::string ContactSummary(const CountryContact& contact);

/// The store for a --db value: a file path → SQLite (created if missing),
/// "postgresql://…" → PostgreSQL (when built with it). The store may be used
/// from several threads at once; a transaction belongs to the thread that
/// began it.
Result<std::unique_ptr<Store>> OpenStore(const std::string& db);

/// Statements retried by this process's stores after finding the database
/// locked by another connection, since the start (for metrics).
int64_t StoreBusyRetries();

/// A Store over any Connection (the repository layer, written once).
std::unique_ptr<Store> MakeSqlStore(std::unique_ptr<Connection> conn);

}  // namespace octopus::store
