// The repository layer: the Store written once against store::Connection.
#include <algorithm>
#include <atomic>
#include <cctype>
#include <charconv>
#include <chrono>
#include <ctime>
#include <initializer_list>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <tuple>

#include <nlohmann/json.hpp>

#include "core/text.h"
#include "domain/record.h"
#include "domain/treaty_json.h"
#include "store/entity_index.h"
#include "store/migrations.h"
#include "store/store.h"

namespace octopus::store {

using domain::Date;

std::string AsText(const Value& v) {
  if (auto* s = std::get_if<std::string>(&v)) return *s;
  if (auto* n = std::get_if<int64_t>(&v)) return std::to_string(*n);
  if (auto* d = std::get_if<double>(&v)) return std::to_string(*d);
  return {};
}

int64_t AsInt(const Value& v) {
  if (auto* n = std::get_if<int64_t>(&v)) return *n;
  if (auto* s = std::get_if<std::string>(&v)) return std::strtoll(s->c_str(), nullptr, 10);
  if (auto* d = std::get_if<double>(&v)) return static_cast<int64_t>(*d);
  return 0;
}

bool IsNull(const Value& v) { return std::holds_alternative<std::nullptr_t>(v); }

namespace {

Value OptDate(const std::optional<Date>& d) {
  return d ? Value(d->ToIso()) : Value(nullptr);
}

std::optional<Date> ToDate(const Value& v) {
  if (IsNull(v)) return std::nullopt;
  auto d = Date::Parse(AsText(v));
  if (!d) return std::nullopt;
  return *d;
}

std::string NowUtc() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

class SqlStore : public Store {
 public:
  explicit SqlStore(std::unique_ptr<Connection> conn) : conn_(std::move(conn)) {}

  std::string_view backend() const override { return conn_->backend(); }

  Result<int> Migrate() override {
    OCTOPUS_RETURN_IF_ERROR(conn_->ExecScript(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
        "name TEXT NOT NULL, applied_at TEXT NOT NULL)"));
    auto rows = conn_->Query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    if (!rows) return rows.status();
    int current = static_cast<int>(AsInt((*rows)[0][0]));
    for (const Migration& m : Migrations(conn_->backend())) {
      if (m.version <= current) continue;
      Transaction tx(*conn_);
      OCTOPUS_RETURN_IF_ERROR(tx.status());
      Status st = conn_->ExecScript(m.sql);
      if (!st.ok()) return IoError("migration " + std::string(m.name) + ": " + st.message());
      auto ins = conn_->Insert("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                               {int64_t{m.version}, std::string(m.name), NowUtc()});
      if (!ins) return ins.status();
      OCTOPUS_RETURN_IF_ERROR(tx.Commit());
      current = m.version;
    }
    return current;
  }

  Result<bool> HasSource(const std::string& sha256) override {
    auto rows = conn_->Query("SELECT 1 FROM sources WHERE sha256 = ?", {sha256});
    if (!rows) return rows.status();
    return !rows->empty();
  }

  Result<std::vector<SourceInfo>> Sources() override {
    auto rows = conn_->Query(
        "SELECT id, kind, origin, sha256, title, as_of, complete, imported_at FROM sources ORDER BY id");
    if (!rows) return rows.status();
    std::vector<SourceInfo> out;
    for (const Row& r : *rows) {
      SourceInfo s;
      s.id = AsInt(r[0]);
      s.kind = AsText(r[1]);
      s.origin = AsText(r[2]);
      s.sha256 = AsText(r[3]);
      s.title = AsText(r[4]);
      s.as_of = ToDate(r[5]);
      s.complete = AsInt(r[6]) != 0;
      s.imported_at = AsText(r[7]);
      out.push_back(std::move(s));
    }
    return out;
  }

  Status PutTreaties(const SourceInfo& source, const std::vector<domain::Treaty>& treaties) override;
  Result<std::vector<domain::Treaty>> Treaties() override;
  Result<bool> AddBatch(const SourceInfo& source, const domain::TreatyBatch& batch) override;
  Result<RegistryData> Registry(const std::string& treaty) override;
  Result<bool> AddDocument(const SourceInfo& source, const DocumentRow& doc,
                           const std::vector<RecordRow>& records,
                           const domain::TreatyBatch& derived) override;
  Result<std::vector<DocumentRow>> Documents() override;
  Result<std::vector<RecordRow>> Records(const std::string& kind) override;
  Result<std::vector<RecordRow>> DocumentRecords(int64_t document_id) override;
  Result<RecordRow> Record(int64_t id) override;
  Result<DocumentRow> Document(int64_t id) override;
  Status PutKnowledge(const kb::KnowledgeBase& kb, const std::string& stamp) override;
  Result<kb::KnowledgeBase> Knowledge() override;
  Result<std::string> KnowledgeStamp() override;
  Result<EntityPage> FindEntities(const RecordQuery& query) override;
  Status PutCountries(const std::vector<CountryEntry>& countries) override;

  Result<Subscriber> AddSubscriber(const std::string& email, const std::string& token,
                                   const std::string& unsubscribe_token,
                                   const std::string& expires_at) override;
  Result<bool> EnqueueMail(const OutboxMessage& message) override;
  Result<std::vector<OutboxMessage>> DueMail(const std::string& now, int limit) override;
  Result<bool> MarkMailAttempt(int64_t id, int attempts, const std::string& retry_at) override;
  Status MarkMailSent(int64_t id) override;
  Status MarkMailFailed(int64_t id, const std::string& error, bool give_up) override;
  Result<int64_t> OutboxDepth() override;
  Result<Subscriber> SetSubscriberStatus(const std::string& token,
                                         const std::string& status) override;
  Result<std::vector<Subscriber>> Subscribers(const std::string& status) override;
  void SetAuditOrigin(std::string actor, std::string origin) override {
    audit_actor_ = std::move(actor);
    audit_origin_ = std::move(origin);
  }
  Result<AuditEntry> AppendAudit(const AuditEntry& entry) override;
  Result<std::vector<AuditEntry>> Audit(const AuditQuery& query) override;
  Result<User> AddUser(const User& user) override;
  Result<User> UserByEmail(const std::string& email) override;
  Result<User> UserById(int64_t id) override;
  Result<std::vector<User>> Users() override;
  Status UpdateUser(const User& user) override;
  Result<AccountToken> AddAccountToken(const AccountToken& token) override;
  Result<AccountToken> AccountTokenByHash(const std::string& token_hash) override;
  Result<bool> UseAccountToken(int64_t id, const std::string& at) override;
  Result<SessionRow> AddSession(const SessionRow& session) override;
  Result<SessionRow> SessionByHash(const std::string& id_hash) override;
  Status TouchSession(int64_t id, const std::string& at) override;
  Status EndSession(int64_t id, const std::string& at) override;
  Status EndUserSessions(int64_t user_id, const std::string& at) override;
  Result<LoginFailures> LoginFailuresOf(const std::string& key) override;
  Result<LoginFailures> AddLoginFailure(const std::string& key, const std::string& at) override;
  Status ClearLoginFailures(const std::string& key) override;
  Result<ProfileRevision> AddProfileRevision(const std::string& iso2, const std::string& markdown,
                                             const std::string& author,
                                             const std::string& note) override;
  Result<std::vector<ProfileRevision>> ProfileRevisions(const std::string& iso2) override;
  Result<int64_t> LastProfileRevisionId() override;
  Result<ChangeSet> AddDraft(const ChangeSet& draft, bool publish, const std::string& origin) override;
  Result<std::vector<ChangeSet>> Drafts() override;
  Result<ChangeSet> ChangeSetById(int64_t id) override;
  Result<ChangeSet> Approve(int64_t id, const std::string& reviewer, const std::string& origin) override;
  Result<ChangeSet> Reject(int64_t id, const std::string& reviewer, const std::string& origin) override;
  Result<std::vector<ChangeSet>> PublishedEdits() override;
  Result<int64_t> PublishedEditCount() override;
  Status SetRestricted(const Restriction& what, bool restricted, const std::string& actor,
                       const std::string& origin) override;
  Result<std::vector<Restriction>> Restrictions() override;
  Result<int64_t> LastRestrictionId() override;
  Result<CountryContact> AddCountryContact(const CountryContact& contact,
                                           const std::string& origin) override;
  Result<std::optional<CountryContact>> CountryContactOf(const std::string& iso2,
                                                         kb::Visibility visibility) override;

 private:
  /// The change sets matching `where` (a condition on edits), with values.
  Result<std::vector<ChangeSet>> ChangeSets(const std::string& where, const std::vector<Value>& params,
                                            const std::string& order);
  /// Moves a draft to `status` (in the caller's transaction), appending
  /// `actions` to the audit for each value.
  Result<ChangeSet> Review(int64_t id, const std::string& reviewer, const std::string& origin,
                           const std::string& status, std::initializer_list<const char*> actions);
  /// What publishing a change set does besides its status: profile revisions.
  Status ApplyPublished(const ChangeSet& set);
  /// One audit entry per value of `set`.
  Status AuditValues(const ChangeSet& set, const std::string& actor, const std::string& origin,
                     const char* action);
  bool HasFullText() const { return conn_->backend() == "sqlite"; }
  /// Adds an entity to the entity search index; `by_id` gives the entities it
  /// refers to (their names are its text, a project's name its facet label).
  Status IndexEntity(const kb::Entity& entity,
                     const std::map<std::string_view, const kb::Entity*>& by_id, bool restricted);
  /// A country's entry text: `names`, then the latest revision of its profile.
  Result<std::string> CountryBody(const std::string& iso2, const std::string& names);
  /// FindEntities by one SQL statement per facet, for an index whose days the
  /// memory index cannot hold (EntityIndexBuilder::Finish) or a window not
  /// given as YYYY-MM-DD.
  Result<EntityPage> FindEntitiesBySql(const RecordQuery& query);
  /// The entity index's per-entry data, read again when the index changed
  /// (this store's writes, or another connection's); nullptr when it cannot
  /// be held in memory.
  Result<std::shared_ptr<const EntityIndexMemory>> EntityIndex();
  /// What says that the entity index changed.
  Result<std::string> EntityIndexVersion();

  Result<int64_t> InsertSource(const SourceInfo& s) {
    return conn_->Insert(
        "INSERT INTO sources (kind, origin, sha256, title, as_of, complete, imported_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        {s.kind, s.origin, s.sha256, s.title, OptDate(s.as_of), int64_t{s.complete ? 1 : 0},
         NowUtc()});
  }
  Status InsertBatch(int64_t source_id, const domain::TreatyBatch& batch);

  std::unique_ptr<Connection> conn_;
  /// Counts this store's writes to the entity index.
  std::atomic<uint64_t> index_writes_{0};
  std::mutex index_mu_;        // guards the three below
  std::mutex index_build_mu_;  // one thread reads the index at a time
  bool index_loaded_ = false;
  std::string index_version_;
  std::shared_ptr<const EntityIndexMemory> index_;
  std::string audit_actor_ = "octopus", audit_origin_ = "octopus";
  /// Appends the store's own entry for a change it makes (inside its transaction).
  Status AuditOwnChange(std::string action, std::string entity, std::string field,
                        std::optional<std::string> before, std::optional<std::string> after);
};

}  // namespace

namespace {

Status SqlStore::PutTreaties(const SourceInfo& source, const std::vector<domain::Treaty>& treaties) {
  Transaction tx(*conn_);
  OCTOPUS_RETURN_IF_ERROR(tx.status());
  int64_t source_id = 0;
  auto existing = conn_->Query("SELECT id FROM sources WHERE sha256 = ?", {source.sha256});
  if (!existing) return existing.status();
  if (!existing->empty()) {
    source_id = AsInt((*existing)[0][0]);
  } else {
    auto id = InsertSource(source);
    if (!id) return id.status();
    source_id = *id;
  }
  for (const auto& t : treaties) {
    auto r = conn_->Insert(
        "INSERT INTO treaties (ref, number, title, rule_json, source_id) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (ref) DO UPDATE SET number = excluded.number, title = excluded.title, "
        "rule_json = excluded.rule_json, source_id = excluded.source_id",
        {t.ref, int64_t{t.number}, t.title, domain::TreatyToJson(t), source_id});
    if (!r) return r.status();
  }
  return tx.Commit();
}

Result<std::vector<domain::Treaty>> SqlStore::Treaties() {
  auto rows = conn_->Query("SELECT rule_json FROM treaties ORDER BY number = 0, number");
  if (!rows) return rows.status();
  std::vector<domain::Treaty> out;
  for (const Row& r : *rows) {
    auto t = domain::TreatyFromJson(AsText(r[0]));
    if (!t) return t.status();
    out.push_back(std::move(*t));
  }
  return out;
}

Status SqlStore::InsertBatch(int64_t source_id, const domain::TreatyBatch& batch) {
  for (const auto& e : batch.evidence) {
    auto r = conn_->Insert(
        "INSERT INTO treaty_evidence (treaty_ref, state, action, date_lo, date_hi, negative, "
        "precision, kind_known, source_id, origin, line, quote) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {e.treaty, e.state, std::string(domain::ActionKindName(e.action)), OptDate(e.lo),
         OptDate(e.hi), int64_t{e.negative ? 1 : 0}, std::string(domain::PrecisionName(e.precision)),
         int64_t{e.kind_known ? 1 : 0}, source_id, e.source.origin, int64_t{e.source.line}, e.source.quote});
    if (!r) return r.status();
  }
  for (const auto& s : batch.snapshots) {
    auto id = conn_->Insert(
        "INSERT INTO treaty_snapshots (treaty_ref, as_of, source_id, origin, line, quote) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        {s.treaty, s.as_of.ToIso(), source_id, s.source.origin, int64_t{s.source.line},
         s.source.quote});
    if (!id) return id.status();
    for (const auto& [list, role] : {std::pair{&s.contracting, "contracting"},
                                     std::pair{&s.signatories, "signatory"}}) {
      for (const auto& st : *list) {
        auto r = conn_->Insert(
            "INSERT INTO treaty_snapshot_states (snapshot_id, state, role) VALUES (?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            {*id, st, std::string(role)});
        if (!r) return r.status();
      }
    }
  }
  for (const auto& f : batch.figures) {
    auto r = conn_->Insert(
        "INSERT INTO treaty_figures (treaty_ref, measure, count, as_of, precision, source_id, "
        "origin, line, quote) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {f.treaty, f.measure, int64_t{f.count}, OptDate(f.as_of),
         std::string(domain::PrecisionName(f.precision)), source_id, f.source.origin,
         int64_t{f.source.line}, f.source.quote});
    if (!r) return r.status();
  }
  for (const auto& f : batch.flags) {
    auto r = conn_->Insert(
        "INSERT INTO treaty_flags (treaty_ref, state, flag, meaning, as_of, caveat, source_id, origin, "
        "line, quote) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {f.treaty, f.state, f.flag, f.meaning, OptDate(f.as_of), f.caveat, source_id, f.source.origin,
         int64_t{f.source.line}, f.source.quote});
    if (!r) return r.status();
  }
  for (const auto& s : batch.stated_eif) {
    auto r = conn_->Insert(
        "INSERT INTO treaty_stated_eif (treaty_ref, state, date, source_id, origin, line, quote) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        {s.treaty, s.state, s.date.ToIso(), source_id, s.source.origin, int64_t{s.source.line},
         s.source.quote});
    if (!r) return r.status();
  }
  return Status::Ok();
}

Result<bool> SqlStore::AddBatch(const SourceInfo& source, const domain::TreatyBatch& batch) {
  Transaction tx(*conn_);
  OCTOPUS_RETURN_IF_ERROR(tx.status());
  auto seen = HasSource(source.sha256);
  if (!seen) return seen.status();
  if (*seen) return false;
  auto id = InsertSource(source);
  if (!id) return id.status();
  OCTOPUS_RETURN_IF_ERROR(InsertBatch(*id, batch));
  OCTOPUS_RETURN_IF_ERROR(AuditOwnChange("import", "source:" + std::to_string(*id), "", std::nullopt,
                                         source.origin + " (sha256 " + source.sha256 + ")"));
  OCTOPUS_RETURN_IF_ERROR(tx.Commit());
  return true;
}

Result<RegistryData> SqlStore::Registry(const std::string& treaty) {
  RegistryData out;
  const std::string where = treaty.empty() ? "" : " WHERE treaty_ref = ?";
  std::vector<Value> params;
  if (!treaty.empty()) params.push_back(treaty);
  auto ev = conn_->Query(
      "SELECT treaty_ref, state, action, date_lo, date_hi, negative, precision, origin, line, quote, "
      "kind_known FROM treaty_evidence" + where + " ORDER BY id", params);
  if (!ev) return ev.status();
  for (const Row& r : *ev) {
    domain::Evidence e;
    e.treaty = AsText(r[0]);
    e.state = AsText(r[1]);
    auto kind = domain::ParseActionKind(AsText(r[2]));
    if (!kind) return IoError("stored evidence with unknown action '" + AsText(r[2]) + "'");
    e.action = *kind;
    e.lo = ToDate(r[3]);
    e.hi = ToDate(r[4]);
    e.negative = AsInt(r[5]) != 0;
    e.precision = domain::ParsePrecision(AsText(r[6])).value_or(domain::Precision::kDay);
    e.source = {AsText(r[7]), static_cast<int>(AsInt(r[8])), AsText(r[9])};
    e.kind_known = AsInt(r[10]) != 0;
    out.evidence.push_back(std::move(e));
  }
  auto snaps = conn_->Query("SELECT id, treaty_ref, as_of, origin, line, quote FROM treaty_snapshots" + where +
                                " ORDER BY id", params);
  if (!snaps) return snaps.status();
  for (const Row& r : *snaps) {
    domain::Snapshot s;
    s.treaty = AsText(r[1]);
    s.as_of = ToDate(r[2]).value_or(Date());
    s.source = {AsText(r[3]), static_cast<int>(AsInt(r[4])), AsText(r[5])};
    auto members = conn_->Query(
        "SELECT state, role FROM treaty_snapshot_states WHERE snapshot_id = ? ORDER BY state",
        {AsInt(r[0])});
    if (!members) return members.status();
    for (const Row& m : *members) {
      (AsText(m[1]) == "contracting" ? s.contracting : s.signatories).push_back(AsText(m[0]));
    }
    out.snapshots.push_back(std::move(s));
  }
  auto figs = conn_->Query("SELECT treaty_ref, measure, count, as_of, precision, origin, line, quote "
                           "FROM treaty_figures" + where + " ORDER BY as_of, id", params);
  if (!figs) return figs.status();
  for (const Row& r : *figs) {
    domain::StatedFigure f;
    f.treaty = AsText(r[0]);
    f.measure = AsText(r[1]);
    f.count = static_cast<int>(AsInt(r[2]));
    f.as_of = ToDate(r[3]);
    f.precision = domain::ParsePrecision(AsText(r[4])).value_or(domain::Precision::kDay);
    f.source = {AsText(r[5]), static_cast<int>(AsInt(r[6])), AsText(r[7])};
    out.figures.push_back(std::move(f));
  }
  auto eifs = conn_->Query("SELECT treaty_ref, state, date, origin, line, quote FROM treaty_stated_eif" +
                           where + " ORDER BY id", params);
  if (!eifs) return eifs.status();
  for (const Row& r : *eifs) {
    out.stated_eif.push_back({AsText(r[0]), AsText(r[1]), ToDate(r[2]).value_or(Date()),
                              {AsText(r[3]), static_cast<int>(AsInt(r[4])), AsText(r[5])}});
  }
  auto flags = conn_->Query("SELECT treaty_ref, state, flag, meaning, as_of, caveat, origin, line, quote "
                            "FROM treaty_flags" + where + " ORDER BY id", params);
  if (!flags) return flags.status();
  for (const Row& r : *flags) {
    domain::StateFlag f;
    f.treaty = AsText(r[0]);
    f.state = AsText(r[1]);
    f.flag = AsText(r[2]);
    f.meaning = AsText(r[3]);
    f.as_of = ToDate(r[4]);
    f.caveat = AsText(r[5]);
    f.source = {AsText(r[6]), static_cast<int>(AsInt(r[7])), AsText(r[8])};
    out.flags.push_back(std::move(f));
  }
  return out;
}

Result<bool> SqlStore::AddDocument(const SourceInfo& source, const DocumentRow& doc,
                                   const std::vector<RecordRow>& records,
                                   const domain::TreatyBatch& derived) {
  Transaction tx(*conn_);
  OCTOPUS_RETURN_IF_ERROR(tx.status());
  auto seen = HasSource(source.sha256);
  if (!seen) return seen.status();
  if (*seen) return false;
  auto sid = InsertSource(source);
  if (!sid) return sid.status();
  auto did = conn_->Insert(
      "INSERT INTO documents (source_id, path, format, shape, period_start, period_end, truncated, "
      "report_json, date, date_basis, source_url) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {*sid, doc.path, doc.format, doc.shape,
       doc.period_start ? Value(*doc.period_start) : Value(nullptr),
       doc.period_end ? Value(*doc.period_end) : Value(nullptr), int64_t{doc.truncated ? 1 : 0},
       doc.report_json, doc.date ? Value(*doc.date) : Value(nullptr), doc.date_basis, doc.source_url});
  if (!did) return did.status();
  for (const RecordRow& r : records) {
    auto ins = conn_->Insert(
        "INSERT INTO records (document_id, kind, line, fields_json) VALUES (?, ?, ?, ?)",
        {*did, r.kind, int64_t{r.line}, r.fields_json});
    if (!ins) return ins.status();
  }
  OCTOPUS_RETURN_IF_ERROR(InsertBatch(*sid, derived));
  if (doc.restricted) {
    auto restriction = conn_->Insert(
        "INSERT INTO restrictions (subject, ref, restricted, actor, at) VALUES ('document', ?, 1, ?, ?)",
        {std::to_string(*did), audit_actor_, NowUtc()});
    if (!restriction) return restriction.status();
    OCTOPUS_RETURN_IF_ERROR(AuditOwnChange("restrict", "document:" + std::to_string(*did), "restricted",
                                           std::nullopt, "restricted"));
  }
  OCTOPUS_RETURN_IF_ERROR(AuditOwnChange("ingest", "document:" + std::to_string(*did), "",
                                         std::nullopt,
                                         doc.path + " (sha256 " + source.sha256 + ", " +
                                             std::to_string(records.size()) + " records)"));
  OCTOPUS_RETURN_IF_ERROR(tx.Commit());
  return true;
}

// The columns id, path, format, shape, period_start, period_end, truncated, report_json, date,
// date_basis, source_url, and the source's sha256.
DocumentRow ToDocument(const Row& r) {
  DocumentRow d;
  d.id = AsInt(r[0]);
  d.path = AsText(r[1]);
  d.format = AsText(r[2]);
  d.shape = AsText(r[3]);
  if (!IsNull(r[4])) d.period_start = AsText(r[4]);
  if (!IsNull(r[5])) d.period_end = AsText(r[5]);
  d.truncated = AsInt(r[6]) != 0;
  d.report_json = AsText(r[7]);
  if (!IsNull(r[8])) d.date = AsText(r[8]);
  d.date_basis = AsText(r[9]);
  d.source_url = AsText(r[10]);
  d.sha256 = AsText(r[11]);
  return d;
}

Result<std::vector<DocumentRow>> SqlStore::Documents() {
  auto rows = conn_->Query(
      "SELECT d.id, d.path, d.format, d.shape, d.period_start, d.period_end, d.truncated, "
      "d.report_json, d.date, d.date_basis, d.source_url, s.sha256 "
      "FROM documents d JOIN sources s ON s.id = d.source_id ORDER BY d.id");
  if (!rows) return rows.status();
  std::vector<DocumentRow> out;
  for (const Row& r : *rows) {
    out.push_back(ToDocument(r));
  }
  return out;
}

Result<std::vector<RecordRow>> SqlStore::Records(const std::string& kind) {
  std::vector<Value> params;
  std::string sql = "SELECT id, document_id, kind, line, fields_json FROM records";
  if (!kind.empty()) {
    sql += " WHERE kind = ?";
    params.push_back(kind);
  }
  sql += " ORDER BY document_id, line, id";
  auto rows = conn_->Query(sql, params);
  if (!rows) return rows.status();
  std::vector<RecordRow> out;
  for (const Row& r : *rows) {
    out.push_back({AsInt(r[0]), AsInt(r[1]), AsText(r[2]), static_cast<int>(AsInt(r[3])),
                   AsText(r[4])});
  }
  return out;
}


RecordRow ToRecord(const Row& r) {
  return {AsInt(r[0]), AsInt(r[1]), AsText(r[2]), static_cast<int>(AsInt(r[3])), AsText(r[4])};
}

Result<std::vector<RecordRow>> SqlStore::DocumentRecords(int64_t document_id) {
  auto rows = conn_->Query(
      "SELECT id, document_id, kind, line, fields_json FROM records WHERE document_id = ? "
      "ORDER BY line, id",
      {document_id});
  if (!rows) return rows.status();
  std::vector<RecordRow> out;
  for (const Row& r : *rows) out.push_back(ToRecord(r));
  return out;
}

Result<RecordRow> SqlStore::Record(int64_t id) {
  auto rows = conn_->Query(
      "SELECT id, document_id, kind, line, fields_json FROM records WHERE id = ?", {id});
  if (!rows) return rows.status();
  if (rows->empty()) return NotFound("no record " + std::to_string(id));
  return ToRecord(rows->front());
}

Result<DocumentRow> SqlStore::Document(int64_t id) {
  auto rows = conn_->Query(
      "SELECT d.id, d.path, d.format, d.shape, d.period_start, d.period_end, d.truncated, "
      "d.report_json, d.date, d.date_basis, d.source_url, s.sha256 "
      "FROM documents d JOIN sources s ON s.id = d.source_id WHERE d.id = ?",
      {id});
  if (!rows) return rows.status();
  if (rows->empty()) return NotFound("no document " + std::to_string(id));
  return ToDocument(rows->front());
}

/// The FTS5 query for the terms: each one quoted (so that nothing a person
/// types is read as query syntax), all required.
std::string Fts5Match(const std::vector<SearchTerm>& terms) {
  std::string out;
  for (const SearchTerm& t : terms) {
    if (!out.empty()) out.push_back(' ');
    out.push_back('"');
    for (char c : t.text) {
      if (c == '"') out.push_back('"');
      out.push_back(c);
    }
    out.push_back('"');
    if (t.prefix) out.push_back('*');
  }
  return out;
}

// The day window of a query over an index table aliased `e` with date_lo/date_hi: the
// entry may fall on a day within [from, to].
void AddDateWindow(const RecordQuery& q, std::string& where, std::vector<Value>& params) {
  if (!q.from.empty()) {
    where += " AND e.date_hi >= ?";
    params.push_back(q.from);
  }
  if (!q.to.empty()) {
    where += " AND e.date_lo <= ?";
    params.push_back(q.to);
  }
}

Value IdOrNull(int64_t id) { return id == 0 ? Value(nullptr) : Value(id); }

/// The entity's current values in the shape of a record's fields, so that
/// its dates, mode and text are read by the same rules as a record's
/// (domain::ReadRecord): sets as arrays, scalars as text, another entity's id
/// as that entity's name.
std::string FieldsJson(const kb::Entity& entity,
                       const std::map<std::string_view, const kb::Entity*>& by_id) {
  auto words = [&](const std::string& value) {
    auto other = by_id.find(value);
    return other == by_id.end() ? value : other->second->label;
  };
  nlohmann::json j = nlohmann::json::object();
  for (const kb::Field& f : entity.fields) {
    if (f.current.empty() || (!f.set && f.current.front().value.empty())) continue;  // "no value"
    if (f.set) {
      nlohmann::json values = nlohmann::json::array();
      for (const kb::FieldValue& v : f.current) values.push_back(words(v.value));
      j[f.name] = std::move(values);
    } else {
      j[f.name] = words(f.current.front().value);
    }
  }
  return j.dump();
}

/// What the index holds for one entity.
struct EntityIndexText {
  std::string body;
  std::optional<Date> lo, hi;
  std::string mode;
  int year = 0;
};

// Fields whose values are not words to search: dates, amounts, codes and ids
// (a relation's other entity is searched under its own name).
bool IsTextField(std::string_view name) {
  static constexpr std::string_view kNotText[] = {
      "start",  "end",     "date",      "event_start", "event_end", "precision",
      "amount", "budget_amount", "currency", "budget_currency", "countries", "projects",
      "activities", "donor", "project", "link", "source_url", "treaties", "name", "title"};
  return std::find(std::begin(kNotText), std::end(kNotText), name) == std::end(kNotText);
}

EntityIndexText ReadEntity(const kb::Entity& entity,
                           const std::map<std::string_view, const kb::Entity*>& by_id) {
  EntityIndexText out;
  const std::string_view kind = kb::KindName(entity.kind);
  if (domain::IsSearchableKind(kind)) {
    if (auto facts = domain::ReadRecord(kind, FieldsJson(entity, by_id))) {
      out.lo = facts->lo;
      out.hi = facts->hi;
      out.mode = facts->mode;
      out.year = facts->year();
      out.body = facts->body;
    }
  } else if (auto d = domain::ReducedDate::Parse(entity.value("date")); d.ok()) {
    out.lo = d->first;
    out.hi = d->last;
    out.year = d->first.year();
  }
  // Names the record shape does not carry (aliases, acronyms, types) are
  // searchable too.
  for (const kb::Field& f : entity.fields) {
    if (!IsTextField(f.name)) continue;
    for (const kb::FieldValue& v : f.current) {
      auto other = by_id.find(v.value);
      const std::string& words = other == by_id.end() ? v.value : other->second->label;
      if (out.body.find(words) != std::string::npos) continue;
      if (!out.body.empty()) out.body += " \u00b7 ";
      out.body += words;
    }
  }
  return out;
}

Status SqlStore::IndexEntity(const kb::Entity& entity,
                             const std::map<std::string_view, const kb::Entity*>& by_id,
                             bool restricted) {
  const EntityIndexText t = ReadEntity(entity, by_id);
  const std::string kind(kb::KindName(entity.kind));
  auto entry = conn_->Insert(
      "INSERT INTO entity_entries (entity_id, kind, label, sort_date, date_lo, date_hi) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      {entity.id, kind, entity.label, t.lo ? t.lo->ToIso() : std::string(), OptDate(t.lo),
       OptDate(t.hi)});
  if (!entry) return entry.status();
  if (restricted) {
    auto mark = conn_->Insert("INSERT INTO entry_restrictions (entry) VALUES (?)", {*entry});
    if (!mark) return mark.status();
  }
  auto text = conn_->Insert("INSERT INTO entity_text (rowid, title, body) VALUES (?, ?, ?)",
                            {*entry, entity.label, t.body});
  if (!text) return text.status();
  struct FacetRow {
    std::string facet, value, label;
  };
  std::vector<FacetRow> facets = {{"kind", kind, kind}};
  for (const std::string& c : entity.values("countries")) facets.push_back({"country", c, c});
  if (entity.kind == kb::Kind::kProject) {
    facets.push_back({"project", entity.id, entity.label});
  } else {
    for (const std::string& p : entity.values("projects")) {
      auto project = by_id.find(p);
      facets.push_back({"project", p, project == by_id.end() ? p : project->second->label});
    }
  }
  if (t.year > 0) facets.push_back({"year", std::to_string(t.year), std::to_string(t.year)});
  std::vector<std::string> names = {entity.id, entity.label};
  for (const char* field : {"name", "acronym", "aliases"}) {
    for (std::string& n : entity.values(field)) names.push_back(std::move(n));
  }
  for (const std::string& n : names) {
    const std::string key = text::ToLowerAscii(text::Trim(n));
    if (key.empty()) continue;
    auto r = conn_->Insert("INSERT INTO entity_names (entity_id, key) VALUES (?, ?) ON CONFLICT DO NOTHING",
                           {entity.id, key});
    if (!r) return r.status();
  }
  if (!t.mode.empty()) facets.push_back({"mode", t.mode, t.mode});
  for (const FacetRow& f : facets) {
    auto r = conn_->Insert(
        "INSERT INTO entity_facets (entry, facet, value, label, key, label_key) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        {*entry, f.facet, f.value, f.label, text::ToLowerAscii(text::Trim(f.value)),
         text::ToLowerAscii(text::Trim(f.label))});
    if (!r) return r.status();
  }
  return Status::Ok();
}

Status SqlStore::PutKnowledge(const kb::KnowledgeBase& kb, const std::string& stamp) {
  Transaction tx(*conn_);
  OCTOPUS_RETURN_IF_ERROR(tx.status());
  // Whole tables at once rather than row by row through the cascades; the
  // countries' entries (PutCountries) stay.
  if (HasFullText()) {
    OCTOPUS_RETURN_IF_ERROR(conn_->ExecScript(
        "DELETE FROM entity_text WHERE rowid IN (SELECT id FROM entity_entries WHERE kind <> 'country')"));
  }
  OCTOPUS_RETURN_IF_ERROR(conn_->ExecScript(
      "DELETE FROM entity_names; DELETE FROM claim_restrictions; DELETE FROM entity_restrictions; "
      "DELETE FROM entry_restrictions WHERE entry IN (SELECT id FROM entity_entries WHERE kind <> 'country'); "
      "DELETE FROM entity_facets WHERE entry IN (SELECT id FROM entity_entries WHERE kind <> 'country'); "
      "DELETE FROM entity_entries WHERE kind <> 'country'; DELETE FROM claim_edits; DELETE FROM claims; DELETE FROM entities"));
  std::map<std::string_view, const kb::Entity*> by_id;
  for (const kb::Entity& e : kb.entities) by_id.emplace(e.id, &e);
  // A public entry is indexed as readers see it: without the claims of
  // restricted documents (its text, snippets and facets hold none of them);
  // a restricted entity is indexed whole, and marked.
  const kb::KnowledgeBase public_view = kb::PublicView(kb);
  std::map<std::string_view, const kb::Entity*> public_by_id;
  for (const kb::Entity& e : public_view.entities) public_by_id.emplace(e.id, &e);
  for (const kb::Entity& e : kb.entities) {
    auto ins = conn_->Insert("INSERT INTO entities (id, kind, label) VALUES (?, ?, ?)",
                             {e.id, std::string(kb::KindName(e.kind)), e.label});
    if (!ins) return Status(ins.status().code(), "entity '" + e.id + "': " + ins.status().message());
    if (e.restricted) {
      auto mark = conn_->Insert("INSERT INTO entity_restrictions (entity_id) VALUES (?)", {e.id});
      if (!mark) return mark.status();
    }
    for (const kb::Claim& c : e.claims) {
      const kb::Source& s = c.source;
      auto claim = conn_->Insert(
          "INSERT INTO claims (entity_id, field, value, document_id, record_id, line, quote, "
          "stated_on, section, document_label, rule) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          {e.id, c.field, c.value, IdOrNull(s.document_id), IdOrNull(s.record_id),
           int64_t{s.line}, s.quote, s.stated_on, s.section, s.document_label, c.rule});
      if (!claim) {
        return Status(claim.status().code(),
                      "claim on '" + e.id + "' " + c.field + ": " + claim.status().message());
      }
      if (s.restricted) {
        auto mark = conn_->Insert("INSERT INTO claim_restrictions (claim_id) VALUES (?)", {*claim});
        if (!mark) return mark.status();
      }
      if (s.edit_id != 0) {
        auto edit = conn_->Insert("INSERT INTO claim_edits (claim_id, author, edit_id) VALUES (?, ?, ?)",
                                  {*claim, s.author, s.edit_id});
        if (!edit) {
          return Status(edit.status().code(),
                        "claim on '" + e.id + "' " + c.field + ": " + edit.status().message());
        }
      }
    }
    // A contribution is found through its project and its donor.
    if (HasFullText() && e.kind != kb::Kind::kContribution) {
      auto shown = public_by_id.find(e.id);
      if (e.restricted || shown == public_by_id.end()) {
        OCTOPUS_RETURN_IF_ERROR(IndexEntity(e, by_id, true));
      } else {
        OCTOPUS_RETURN_IF_ERROR(IndexEntity(*shown->second, public_by_id, false));
      }
    }
  }
  auto meta = conn_->Insert(
      "INSERT INTO knowledge_meta (id, stamp) VALUES (1, ?) "
      "ON CONFLICT (id) DO UPDATE SET stamp = excluded.stamp",
      {stamp});
  if (!meta) return meta.status();
  Status committed = tx.Commit();
  ++index_writes_;
  return committed;
}

Result<kb::KnowledgeBase> SqlStore::Knowledge() {
  auto entities = conn_->Query(
      "SELECT e.id, e.kind, CASE WHEN r.entity_id IS NULL THEN 0 ELSE 1 END FROM entities e "
      "LEFT JOIN entity_restrictions r ON r.entity_id = e.id");
  if (!entities) return entities.status();
  auto claims = conn_->Query(
      "SELECT c.id, c.entity_id, c.field, c.value, c.document_id, c.record_id, c.line, c.quote, "
      "c.stated_on, c.section, c.document_label, c.rule, x.author, x.edit_id, "
      "CASE WHEN r.claim_id IS NULL THEN 0 ELSE 1 END "
      "FROM claims c LEFT JOIN claim_edits x ON x.claim_id = c.id "
      "LEFT JOIN claim_restrictions r ON r.claim_id = c.id ORDER BY c.id");
  if (!claims) return claims.status();
  kb::KnowledgeBase out;
  out.entities.reserve(entities->size());
  std::map<std::string, size_t> index;
  for (const Row& r : *entities) {
    kb::Entity e;
    e.id = AsText(r[0]);
    auto kind = kb::KindFromName(AsText(r[1]));
    if (!kind) return IoError("stored entity '" + e.id + "' has unknown kind '" + AsText(r[1]) + "'");
    e.kind = *kind;
    e.restricted = AsInt(r[2]) == 1;
    index.emplace(e.id, out.entities.size());
    out.entities.push_back(std::move(e));
  }
  for (const Row& r : *claims) {
    kb::Claim c;
    c.id = AsInt(r[0]);
    c.entity_id = AsText(r[1]);
    c.field = AsText(r[2]);
    c.value = AsText(r[3]);
    c.source.document_id = AsInt(r[4]);
    c.source.record_id = AsInt(r[5]);
    c.source.line = static_cast<int>(AsInt(r[6]));
    c.source.quote = AsText(r[7]);
    c.source.stated_on = AsText(r[8]);
    c.source.section = AsText(r[9]);
    c.source.document_label = AsText(r[10]);
    c.rule = AsText(r[11]);
    c.source.author = AsText(r[12]);
    c.source.edit_id = AsInt(r[13]);
    c.source.restricted = AsInt(r[14]) == 1;
    auto it = index.find(c.entity_id);
    if (it == index.end()) return IoError("stored claim " + std::to_string(c.id) + " has no entity");
    out.entities[it->second].claims.push_back(std::move(c));
  }
  for (kb::Entity& e : out.entities) kb::Derive(e);
  std::sort(out.entities.begin(), out.entities.end(), [](const kb::Entity& a, const kb::Entity& b) {
    return std::tie(a.kind, a.id) < std::tie(b.kind, b.id);
  });
  return out;
}

/// A country's searchable text: its other names, then its latest profile.
Result<std::string> SqlStore::CountryBody(const std::string& iso2, const std::string& names) {
  auto rows = conn_->Query("SELECT markdown FROM profile_revisions WHERE iso2 = ? ORDER BY id DESC LIMIT 1",
                           {iso2});
  if (!rows) return rows.status();
  if (rows->empty()) return names;
  return names.empty() ? AsText(rows->front()[0]) : names + " \u00b7 " + AsText(rows->front()[0]);
}

Status SqlStore::PutCountries(const std::vector<CountryEntry>& countries) {
  if (!HasFullText()) return Status::Ok();
  Transaction tx(*conn_);
  OCTOPUS_RETURN_IF_ERROR(tx.status());
  OCTOPUS_RETURN_IF_ERROR(conn_->ExecScript(
      "DELETE FROM entity_text WHERE rowid IN (SELECT id FROM entity_entries WHERE kind = 'country'); "
      "DELETE FROM entity_facets WHERE entry IN (SELECT id FROM entity_entries WHERE kind = 'country'); "
      "DELETE FROM entity_entries WHERE kind = 'country'"));
  for (const CountryEntry& c : countries) {
    const std::string names = text::Join(c.names, " \u00b7 ");
    auto entry = conn_->Insert(
        "INSERT INTO entity_entries (entity_id, kind, label, names) VALUES (?, 'country', ?, ?)",
        {c.iso2, c.name, names});
    if (!entry) return Status(entry.status().code(), "country '" + c.iso2 + "': " + entry.status().message());
    auto body = CountryBody(c.iso2, names);
    if (!body) return body.status();
    auto text = conn_->Insert("INSERT INTO entity_text (rowid, title, body) VALUES (?, ?, ?)",
                              {*entry, c.name, *body});
    if (!text) return text.status();
    auto facet = conn_->Insert(
        "INSERT INTO entity_facets (entry, facet, value, label, key, label_key) "
        "VALUES (?, 'kind', 'country', 'country', 'country', 'country')",
        {*entry});
    if (!facet) return facet.status();
  }
  Status committed = tx.Commit();
  ++index_writes_;
  return committed;
}

Result<std::string> SqlStore::KnowledgeStamp() {
  auto rows = conn_->Query("SELECT stamp FROM knowledge_meta WHERE id = 1");
  if (!rows) return rows.status();
  return rows->empty() ? std::string() : AsText(rows->front()[0]);
}

/// A hit from a row (entity_id, kind, label, snippet, marked label).
Result<EntityHit> HitOf(const Row& r) {
  EntityHit hit{AsText(r[0]), kb::Kind::kProject, AsText(r[2]), AsText(r[3]), AsText(r[4])};
  if (AsText(r[1]) == "country") {
    hit.country = true;
  } else if (auto kind = kb::KindFromName(AsText(r[1]))) {
    hit.kind = *kind;
  } else {
    return IoError("indexed entity '" + hit.entity_id + "' has unknown kind");
  }
  return hit;
}

/// The conditions on `e` (entity_entries) every entity query applies;
/// `skip_facet` leaves out that facet's filter (for its counts).
std::string EntityConditions(const RecordQuery& q, const std::string& match,
                             const std::string& skip_facet, std::vector<Value>& params) {
  // Readers' queries leave restricted entries out: results, totals, facets.
  std::string where = q.visibility == kb::Visibility::kRestricted
                          ? " WHERE 1 = 1"
                          : " WHERE e.id NOT IN (SELECT entry FROM entry_restrictions)";
  if (!match.empty()) {
    where += " AND e.id IN (SELECT rowid FROM entity_text WHERE entity_text MATCH ?)";
    params.push_back(match);
  }
  for (const auto& [facet, value] : q.filters) {
    if (facet == skip_facet) continue;
    // The value as stored, as shown, or, for a value naming an entity, any
    // name of that entity.
    where +=
        " AND e.id IN (SELECT entry FROM entity_facets WHERE facet = ? AND (key = ? OR "
        "label_key = ? OR value IN (SELECT entity_id FROM entity_names WHERE key = ?)))";
    const std::string key = text::ToLowerAscii(text::Trim(value));
    params.push_back(facet);
    params.push_back(key);
    params.push_back(key);
    params.push_back(key);
  }
  AddDateWindow(q, where, params);
  return where;
}

Result<EntityPage> SqlStore::FindEntitiesBySql(const RecordQuery& q) {
  EntityPage page;
  const std::string match = Fts5Match(q.terms);
  {
    std::vector<Value> params;
    const std::string where = EntityConditions(q, match, "", params);
    auto n = conn_->Query("SELECT count(*) FROM entity_entries e" + where, params);
    if (!n) return n.status();
    page.total = static_cast<int>(AsInt((*n)[0][0]));
  }
  if (q.limit > 0 && page.total > q.offset) {
    std::vector<Value> params;
    std::string sql;
    const char* by_date = q.order == RecordQuery::Order::kOldest
                              ? " ORDER BY e.sort_date = '', e.sort_date, e.entity_id"
                              : " ORDER BY e.sort_date DESC, e.entity_id DESC";
    if (!match.empty()) {
      // Ranked: the label weighs five times the rest of the text.
      sql =
          "SELECT e.entity_id, e.kind, e.label, "
          "snippet(entity_text, 1, char(2), char(3), '\u2026', 24), "
          "highlight(entity_text, 0, char(2), char(3)) "
          "FROM entity_text JOIN entity_entries e ON e.id = entity_text.rowid" +
          EntityConditions(q, "", "", params) + " AND entity_text MATCH ?";
      params.push_back(match);
      sql += q.order == RecordQuery::Order::kRank
                 ? " ORDER BY bm25(entity_text, 5.0, 1.0), e.entity_id"
                 : by_date;
    } else {
      sql =
          "SELECT e.entity_id, e.kind, e.label, '', '' FROM entity_entries e" +
          EntityConditions(q, "", "", params) + by_date;
    }
    sql += " LIMIT ? OFFSET ?";
    params.push_back(int64_t{q.limit});
    params.push_back(int64_t{q.offset});
    auto rows = conn_->Query(sql, params);
    if (!rows) return rows.status();
    for (const Row& r : *rows) {
      auto hit = HitOf(r);
      if (!hit) return hit.status();
      page.hits.push_back(std::move(*hit));
    }
  }
  for (const std::string& facet : q.facets) {
    std::vector<Value> params;
    const std::string where = EntityConditions(q, match, facet, params);
    params.push_back(facet);
    params.push_back(int64_t{q.facet_limit});
    auto rows = conn_->Query(
        "SELECT min(f.value), count(*), min(f.label) FROM entity_facets f "
        "JOIN entity_entries e ON e.id = f.entry" +
            where + " AND f.facet = ? GROUP BY f.key ORDER BY count(*) DESC, f.key LIMIT ?",
        params);
    if (!rows) return rows.status();
    std::vector<FacetCount> counts;
    for (const Row& r : *rows) {
      counts.push_back({AsText(r[0]), static_cast<int>(AsInt(r[1])), AsText(r[2])});
    }
    page.facets.emplace_back(facet, std::move(counts));
  }
  return page;
}

// The full-text engine's part of a search (SQLite FTS5), kept to these
// statements: every entry the match gives, with its rank when the order
// needs one (bm25, the label weighing five times the rest of the text); and
// one entry's passage and label with the matched words marked.
constexpr const char* kMatchRanked =
    "SELECT rowid, bm25(entity_text, 5.0, 1.0) FROM entity_text WHERE entity_text MATCH ?";
constexpr const char* kMatchUnranked = "SELECT rowid, 0.0 FROM entity_text WHERE entity_text MATCH ?";
constexpr const char* kMatchedHit =
    "SELECT e.entity_id, e.kind, e.label, "
    "snippet(entity_text, 1, char(2), char(3), '\u2026', 24), "
    "highlight(entity_text, 0, char(2), char(3)) "
    "FROM entity_text JOIN entity_entries e ON e.id = entity_text.rowid "
    "WHERE entity_text MATCH ? AND entity_text.rowid = ?";

double AsReal(const Value& v) {
  if (auto* d = std::get_if<double>(&v)) return *d;
  return static_cast<double>(AsInt(v));
}

Result<std::string> SqlStore::EntityIndexVersion() {
  // This store's writes, and what another connection's PutKnowledge or
  // PutCountries changes: the stamp, the newest entry, the countries.
  const uint64_t writes = index_writes_.load();
  auto rows = conn_->Query(
      "SELECT (SELECT stamp FROM knowledge_meta WHERE id = 1), (SELECT max(id) FROM entity_entries), "
      "(SELECT count(*) FROM entity_entries WHERE kind = 'country')");
  if (!rows) return rows.status();
  const Row& r = rows->front();
  return std::to_string(writes) + "|" + AsText(r[0]) + "|" + std::to_string(AsInt(r[1])) + "|" +
         std::to_string(AsInt(r[2]));
}

Result<std::shared_ptr<const EntityIndexMemory>> SqlStore::EntityIndex() {
  for (int attempt = 0;; ++attempt) {
    auto version = EntityIndexVersion();
    if (!version) return version.status();
    {
      std::lock_guard lock(index_mu_);
      if (index_loaded_ && index_version_ == *version) return index_;
    }
    std::lock_guard build_lock(index_build_mu_);
    {
      std::lock_guard lock(index_mu_);
      if (index_loaded_ && index_version_ == *version) return index_;
    }
    EntityIndexBuilder builder;
    Status st = conn_->Scan(
        "SELECT e.id, e.sort_date, e.date_lo, e.date_hi, "
        "EXISTS (SELECT 1 FROM entry_restrictions r WHERE r.entry = e.id) FROM entity_entries e",
        {}, [&](const Row& r) {
          EntityIndexMemory::EntryRow row;
          row.id = AsInt(r[0]);
          row.sort_date = AsText(r[1]);
          if (!IsNull(r[2])) row.date_lo = AsText(r[2]);
          if (!IsNull(r[3])) row.date_hi = AsText(r[3]);
          row.restricted = AsInt(r[4]) != 0;
          builder.AddEntry(row);
        });
    if (!st.ok()) return st;
    EntityIndexMemory::FacetRow facet;
    st = conn_->Scan("SELECT entry, facet, value, label, key, label_key FROM entity_facets", {},
                     [&](const Row& r) {
                       facet.entry = AsInt(r[0]);
                       facet.facet = AsText(r[1]);
                       facet.value = AsText(r[2]);
                       facet.label = AsText(r[3]);
                       facet.key = AsText(r[4]);
                       facet.label_key = AsText(r[5]);
                       builder.AddFacet(facet);
                     });
    if (!st.ok()) return st;
    std::optional<EntityIndexMemory> built = builder.Finish();
    std::shared_ptr<const EntityIndexMemory> index =
        built ? std::make_shared<const EntityIndexMemory>(std::move(*built)) : nullptr;
    // Kept only when nothing changed while it was read; read again otherwise
    // (and used as read after a few tries: a query sees the index of a moment).
    auto after = EntityIndexVersion();
    if (!after) return after.status();
    if (*after == *version || attempt >= 2) {
      std::lock_guard lock(index_mu_);
      index_loaded_ = true;
      index_version_ = *after;
      index_ = index;
      return index;
    }
  }
}

Result<EntityPage> SqlStore::FindEntities(const RecordQuery& q) {
  if (!HasFullText()) {
    return InvalidArgument("full-text search is not supported on the " +
                           std::string(conn_->backend()) + " backend");
  }
  const std::optional<int32_t> from = EntityIndexMemory::PackDay(q.from);
  const std::optional<int32_t> to = EntityIndexMemory::PackDay(q.to);
  if (!from || !to) return FindEntitiesBySql(q);
  auto loaded = EntityIndex();
  if (!loaded) return loaded.status();
  if (!*loaded) return FindEntitiesBySql(q);
  const EntityIndexMemory& index = **loaded;

  EntityIndexMemory::Ask ask;
  ask.public_only = q.visibility != kb::Visibility::kRestricted;
  ask.from = *from;
  ask.to = *to;
  ask.facets = q.facets;
  ask.facet_limit = q.facet_limit;
  for (const auto& [facet, value] : q.filters) {
    // The value as stored, as shown, or, for a value naming an entity, any
    // name of that entity.
    EntityIndexMemory::Filter f{facet, text::ToLowerAscii(text::Trim(value)), {}};
    auto named = conn_->Query("SELECT entity_id FROM entity_names WHERE key = ?", {f.key});
    if (!named) return named.status();
    for (const Row& r : *named) f.named_ids.push_back(AsText(r[0]));
    ask.filters.push_back(std::move(f));
  }

  // The text is matched once; everything else is read from the memory index.
  const std::string match = Fts5Match(q.terms);
  const bool ranked = !match.empty() && q.order == RecordQuery::Order::kRank;
  std::vector<EntityIndexMemory::Matched> matched;
  if (!match.empty()) {
    Status st = conn_->Scan(ranked ? kMatchRanked : kMatchUnranked, {match}, [&](const Row& r) {
      const int64_t entry = index.Find(AsInt(r[0]));
      if (entry >= 0) matched.push_back({static_cast<uint32_t>(entry), AsReal(r[1])});
    });
    if (!st.ok()) return st;
  }
  EntityIndexMemory::Answer answer = index.Evaluate(match.empty() ? nullptr : &matched, ask);
  matched.clear();
  matched.shrink_to_fit();

  EntityPage page;
  page.total = static_cast<int>(answer.results.size());
  page.facets = std::move(answer.facets);
  const size_t offset = q.offset > 0 ? static_cast<size_t>(q.offset) : 0;
  if (q.limit <= 0 || answer.results.size() <= offset) return page;

  // The order: bm25 (lower first), or the first day; then the entity id.
  std::vector<EntityIndexMemory::Matched>& results = answer.results;
  const bool newest = !ranked && q.order != RecordQuery::Order::kOldest;
  if (!ranked) {
    for (EntityIndexMemory::Matched& m : results) {
      const int32_t day = index.sort_date(m.entry);
      m.score = newest ? -static_cast<double>(day)
                       : (day == 0 ? std::numeric_limits<double>::infinity() : static_cast<double>(day));
    }
  }
  // Only what can reach the page is ordered by id: the entries up to the
  // page's last by the order's value, and every entry tied with that one.
  const size_t want = std::min(results.size(), offset + static_cast<size_t>(q.limit));
  auto by_score = [](const EntityIndexMemory::Matched& a, const EntityIndexMemory::Matched& b) {
    return a.score < b.score;
  };
  std::nth_element(results.begin(), results.begin() + static_cast<std::ptrdiff_t>(want - 1), results.end(),
                   by_score);
  const double bound = results[want - 1].score;
  std::vector<EntityIndexMemory::Matched> chosen;
  for (const EntityIndexMemory::Matched& m : results) {
    if (m.score <= bound) chosen.push_back(m);
  }
  nlohmann::json ids = nlohmann::json::array();
  for (const EntityIndexMemory::Matched& m : chosen) ids.push_back(index.id(m.entry));
  std::map<int64_t, std::string> entity_ids;
  Status st = conn_->Scan("SELECT id, entity_id FROM entity_entries WHERE id IN (SELECT value FROM json_each(?))",
                          {ids.dump()}, [&](const Row& r) { entity_ids[AsInt(r[0])] = AsText(r[1]); });
  if (!st.ok()) return st;
  struct Ordered {
    double score;
    const std::string* entity_id;
    int64_t id;
  };
  std::vector<Ordered> ordered;
  for (const EntityIndexMemory::Matched& m : chosen) {
    auto it = entity_ids.find(index.id(m.entry));
    if (it != entity_ids.end()) ordered.push_back({m.score, &it->second, it->first});
  }
  std::sort(ordered.begin(), ordered.end(), [&](const Ordered& a, const Ordered& b) {
    if (a.score != b.score) return a.score < b.score;
    return newest ? *a.entity_id > *b.entity_id : *a.entity_id < *b.entity_id;
  });
  for (size_t i = offset; i < ordered.size() && i < want; ++i) {
    auto rows = match.empty()
                    ? conn_->Query("SELECT entity_id, kind, label, '', '' FROM entity_entries WHERE id = ?",
                                   {ordered[i].id})
                    : conn_->Query(kMatchedHit, {match, ordered[i].id});
    if (!rows) return rows.status();
    if (rows->empty()) continue;
    auto hit = HitOf(rows->front());
    if (!hit) return hit.status();
    page.hits.push_back(std::move(*hit));
  }
  return page;
}

constexpr const char* kSubscriberColumns =
    "s.id, s.email, s.token, s.status, s.created_at, s.confirmed_at, s.unsubscribed_at, "
    "COALESCE(x.unsubscribe_token, ''), COALESCE(x.token_expires_at, '') FROM subscribers s "
    "LEFT JOIN subscriber_secrets x ON x.subscriber_id = s.id";

Status PutSecrets(Connection& conn, int64_t id, const Value& unsubscribe_token,
                  const Value& expires_at) {
  auto r = conn.Query(
      "INSERT INTO subscriber_secrets (subscriber_id, unsubscribe_token, token_expires_at) "
      "VALUES (?, ?, ?) ON CONFLICT (subscriber_id) DO UPDATE SET "
      "unsubscribe_token = excluded.unsubscribe_token, token_expires_at = excluded.token_expires_at",
      {id, unsubscribe_token, expires_at});
  return r.status();
}

Subscriber ToSubscriber(const Row& r) {
  Subscriber s;
  s.id = AsInt(r[0]);
  s.email = AsText(r[1]);
  s.token = AsText(r[2]);
  s.status = AsText(r[3]);
  s.created_at = AsText(r[4]);
  if (!IsNull(r[5])) s.confirmed_at = AsText(r[5]);
  if (!IsNull(r[6])) s.unsubscribed_at = AsText(r[6]);
  s.unsubscribe_token = AsText(r[7]);
  s.token_expires_at = AsText(r[8]);
  return s;
}

Value TextOrNull(const std::string& s) { return s.empty() ? Value(nullptr) : Value(s); }

Result<Subscriber> SqlStore::AddSubscriber(const std::string& email, const std::string& token,
                                           const std::string& unsubscribe_token,
                                           const std::string& expires_at) {
  Transaction tx(*conn_);
  OCTOPUS_RETURN_IF_ERROR(tx.status());
  const std::string select = std::string("SELECT ") + kSubscriberColumns + " ";
  auto existing = conn_->Query(select + "WHERE s.email = ?", {email});
  if (!existing) return existing.status();
  if (!existing->empty()) {
    Subscriber s = ToSubscriber(existing->front());
    if (s.status == "confirmed") return s;
    auto upd = conn_->Query(
        "UPDATE subscribers SET token = ?, status = 'pending', unsubscribed_at = NULL WHERE id = ?",
        {token, s.id});
    if (!upd) return upd.status();
    OCTOPUS_RETURN_IF_ERROR(PutSecrets(*conn_, s.id, unsubscribe_token, TextOrNull(expires_at)));
  } else {
    auto ins = conn_->Insert(
        "INSERT INTO subscribers (email, token, status, created_at) VALUES (?, ?, 'pending', ?)",
        {email, token, NowUtc()});
    if (!ins) return ins.status();
    OCTOPUS_RETURN_IF_ERROR(PutSecrets(*conn_, *ins, unsubscribe_token, TextOrNull(expires_at)));
  }
  auto row = conn_->Query(select + "WHERE s.email = ?", {email});
  if (!row) return row.status();
  OCTOPUS_RETURN_IF_ERROR(tx.Commit());
  return ToSubscriber(row->front());
}

Result<Subscriber> SqlStore::SetSubscriberStatus(const std::string& token,
                                                 const std::string& status) {
  const bool confirm = status == "confirmed";
  if (!confirm && status != "unsubscribed") {
    return InvalidArgument("unknown subscriber status '" + status + "'");
  }
  if (token.empty()) return NotFound("no subscription holds this token");
  Transaction tx(*conn_);
  OCTOPUS_RETURN_IF_ERROR(tx.status());
  const std::string now = NowUtc();
  const std::string select = std::string("SELECT ") + kSubscriberColumns + " ";
  auto rows = confirm ? conn_->Query(select +
                                         "WHERE s.token = ? AND s.status = 'pending' AND "
                                         "(x.token_expires_at IS NULL OR x.token_expires_at > ?)",
                                     {token, now})
                      : conn_->Query(select + "WHERE x.unsubscribe_token = ?", {token});
  if (!rows) return rows.status();
  if (rows->empty()) return NotFound("no subscription holds this token");
  const int64_t id = AsInt(rows->front()[0]);
  // A used confirmation token is replaced by a value no link carries (the
  // column is unique and required); a used unsubscribe token is cleared.
  auto upd = confirm ? conn_->Query(
                           "UPDATE subscribers SET status = 'confirmed', confirmed_at = ?, "
                           "token = 'used:' || id WHERE id = ?",
                           {now, id})
                     : conn_->Query(
                           "UPDATE subscribers SET status = 'unsubscribed', unsubscribed_at = ? "
                           "WHERE id = ?",
                           {now, id});
  if (!upd) return upd.status();
  auto secrets = confirm ? conn_->Query(
                               "UPDATE subscriber_secrets SET token_expires_at = NULL "
                               "WHERE subscriber_id = ?",
                               {id})
                         : conn_->Query(
                               "UPDATE subscriber_secrets SET unsubscribe_token = NULL "
                               "WHERE subscriber_id = ?",
                               {id});
  if (!secrets) return secrets.status();
  auto after = conn_->Query(select + "WHERE s.id = ?", {id});
  if (!after) return after.status();
  OCTOPUS_RETURN_IF_ERROR(tx.Commit());
  return ToSubscriber(after->front());
}

constexpr const char* kOutboxColumns =
    "id, kind, recipient, message, dedup_key, attempts, next_attempt_at, last_error";

Result<bool> SqlStore::EnqueueMail(const OutboxMessage& m) {
  const std::string now = NowUtc();
  auto before = conn_->Query("SELECT 1 FROM outbox WHERE dedup_key = ?", {m.dedup_key});
  if (!before) return before.status();
  if (!before->empty()) return false;
  auto ins = conn_->Insert(
      "INSERT INTO outbox (kind, recipient, message, dedup_key, created_at, next_attempt_at) "
      "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (dedup_key) DO NOTHING",
      {m.kind, m.recipient, m.message, m.dedup_key, now,
       m.next_attempt_at.empty() ? now : m.next_attempt_at});
  if (!ins) return ins.status();
  return true;
}

Result<std::vector<OutboxMessage>> SqlStore::DueMail(const std::string& now, int limit) {
  auto rows = conn_->Query(std::string("SELECT ") + kOutboxColumns +
                               " FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL AND "
                               "next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?",
                           {now, int64_t{limit}});
  if (!rows) return rows.status();
  std::vector<OutboxMessage> out;
  for (const Row& r : *rows) {
    OutboxMessage m;
    m.id = AsInt(r[0]);
    m.kind = AsText(r[1]);
    m.recipient = AsText(r[2]);
    m.message = AsText(r[3]);
    m.dedup_key = AsText(r[4]);
    m.attempts = static_cast<int>(AsInt(r[5]));
    m.next_attempt_at = AsText(r[6]);
    m.last_error = AsText(r[7]);
    out.push_back(std::move(m));
  }
  return out;
}

Result<bool> SqlStore::MarkMailAttempt(int64_t id, int attempts, const std::string& retry_at) {
  // One statement: the check and the claim cannot be split by another sender.
  auto r = conn_->Query(
      "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ? "
      "WHERE id = ? AND attempts = ? AND sent_at IS NULL AND failed_at IS NULL RETURNING id",
      {retry_at, id, int64_t{attempts}});
  if (!r) return r.status();
  return !r->empty();
}

Status SqlStore::MarkMailSent(int64_t id) {
  auto r = conn_->Query("UPDATE outbox SET sent_at = ?, last_error = '', message = '' WHERE id = ?",
                        {NowUtc(), id});
  return r.status();
}

Status SqlStore::MarkMailFailed(int64_t id, const std::string& error, bool give_up) {
  auto r = conn_->Query("UPDATE outbox SET last_error = ?, failed_at = ? WHERE id = ?",
                        {error, give_up ? Value(NowUtc()) : Value(nullptr), id});
  return r.status();
}

Result<int64_t> SqlStore::OutboxDepth() {
  auto rows = conn_->Query("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL", {});
  if (!rows) return rows.status();
  return AsInt((*rows)[0][0]);
}

Result<std::vector<Subscriber>> SqlStore::Subscribers(const std::string& status) {
  std::string sql = std::string("SELECT ") + kSubscriberColumns;
  std::vector<Value> params;
  if (!status.empty()) {
    sql += " WHERE s.status = ?";
    params.push_back(status);
  }
  auto rows = conn_->Query(sql + " ORDER BY s.id", params);
  if (!rows) return rows.status();
  std::vector<Subscriber> out;
  for (const Row& r : *rows) out.push_back(ToSubscriber(r));
  return out;
}

constexpr const char* kProfileColumns = "id, iso2, markdown, author, note, created_at";

// Rows of one country, newest first; numbers count from the oldest (1).
std::vector<ProfileRevision> ToRevisions(const std::vector<Row>& rows) {
  std::vector<ProfileRevision> out;
  int number = static_cast<int>(rows.size());
  for (const Row& r : rows) {
    ProfileRevision p;
    p.id = AsInt(r[0]);
    p.iso2 = AsText(r[1]);
    p.markdown = AsText(r[2]);
    p.author = AsText(r[3]);
    p.note = AsText(r[4]);
    p.created_at = AsText(r[5]);
    p.number = number--;
    out.push_back(std::move(p));
  }
  return out;
}

Result<ProfileRevision> SqlStore::AddProfileRevision(const std::string& iso2,
                                                     const std::string& markdown,
                                                     const std::string& author,
                                                     const std::string& note) {
  if (iso2.empty()) return InvalidArgument("a profile needs a country code");
  if (markdown.empty()) return InvalidArgument("a profile revision needs text");
  Transaction tx(*conn_);
  OCTOPUS_RETURN_IF_ERROR(tx.status());
  auto id = conn_->Insert(
      "INSERT INTO profile_revisions (iso2, markdown, author, note, created_at) "
      "VALUES (?, ?, ?, ?, ?)",
      {iso2, markdown, author, note, NowUtc()});
  if (!id) return id.status();
  // The country's search entry (PutCountries) reads the new text.
  if (HasFullText()) {
    auto entry = conn_->Query(
        "SELECT id, names FROM entity_entries WHERE kind = 'country' AND entity_id = ?", {iso2});
    if (!entry) return entry.status();
    if (!entry->empty()) {
      auto body = CountryBody(iso2, AsText(entry->front()[1]));
      if (!body) return body.status();
      auto updated = conn_->Query("UPDATE entity_text SET body = ? WHERE rowid = ?",
                                  {*body, AsInt(entry->front()[0])});
      if (!updated) return updated.status();
    }
  }
  auto rows = conn_->Query(std::string("SELECT ") + kProfileColumns +
                               " FROM profile_revisions WHERE iso2 = ? ORDER BY id DESC",
                           {iso2});
  if (!rows) return rows.status();
  std::vector<ProfileRevision> revisions = ToRevisions(*rows);
  std::optional<std::string> before;
  if (revisions.size() > 1) before = revisions[1].markdown;
  OCTOPUS_RETURN_IF_ERROR(
      AuditOwnChange("edit", "profile:" + iso2, "markdown", std::move(before), markdown));
  OCTOPUS_RETURN_IF_ERROR(tx.Commit());
  return std::move(revisions.front());
}

Result<std::vector<ProfileRevision>> SqlStore::ProfileRevisions(const std::string& iso2) {
  auto rows = conn_->Query(std::string("SELECT ") + kProfileColumns +
                               " FROM profile_revisions WHERE iso2 = ? ORDER BY id DESC",
                           {iso2});
  if (!rows) return rows.status();
  return ToRevisions(*rows);
}

Result<int64_t> SqlStore::LastProfileRevisionId() {
  auto rows = conn_->Query("SELECT COALESCE(MAX(id), 0) FROM profile_revisions", {});
  if (!rows) return rows.status();
  return rows->empty() ? int64_t{0} : AsInt(rows->front()[0]);
}


constexpr const char* kAuditColumns = "id, at, actor, origin, action, entity, field, before, after";

AuditEntry ToAuditEntry(const Row& r) {
  AuditEntry e;
  e.id = AsInt(r[0]);
  e.at = AsText(r[1]);
  e.actor = AsText(r[2]);
  e.origin = AsText(r[3]);
  e.action = AsText(r[4]);
  e.entity = AsText(r[5]);
  e.field = AsText(r[6]);
  if (!IsNull(r[7])) e.before = AsText(r[7]);
  if (!IsNull(r[8])) e.after = AsText(r[8]);
  return e;
}

Value OptionalText(const std::optional<std::string>& v) {
  if (!v) return nullptr;
  return *v;
}

Status SqlStore::AuditOwnChange(std::string action, std::string entity, std::string field,
                                std::optional<std::string> before,
                                std::optional<std::string> after) {
  auto r = AppendAudit(AuditEntry::Of(audit_actor_, audit_origin_, std::move(action),
                                      std::move(entity), std::move(field), std::move(before),
                                      std::move(after)));
  return r ? Status::Ok() : r.status();
}

Result<AuditEntry> SqlStore::AppendAudit(const AuditEntry& entry) {
  for (const auto& [name, value] : {std::pair{"actor", &entry.actor}, std::pair{"origin", &entry.origin},
                                    std::pair{"action", &entry.action}, std::pair{"entity", &entry.entity}}) {
    if (value->empty()) return InvalidArgument(std::string("an audit entry needs its ") + name);
  }
  AuditEntry stored = entry;
  stored.at = NowUtc();
  auto id = conn_->Insert(
      "INSERT INTO audit (at, actor, origin, action, entity, field, before, after) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      {stored.at, entry.actor, entry.origin, entry.action, entry.entity, entry.field,
       OptionalText(entry.before), OptionalText(entry.after)});
  if (!id) return id.status();
  stored.id = *id;
  return stored;
}

Result<std::vector<AuditEntry>> SqlStore::Audit(const AuditQuery& q) {
  std::string sql = std::string("SELECT ") + kAuditColumns + " FROM audit WHERE 1 = 1";
  std::vector<Value> params;
  auto where = [&](const char* condition, std::string value) {
    sql += condition;
    params.emplace_back(std::move(value));
  };
  if (!q.actor.empty()) where(" AND actor = ?", q.actor);
  if (!q.action.empty()) where(" AND action = ?", q.action);
  if (q.entity.ends_with(':')) {
    where(" AND substr(entity, 1, ?) = ?", "");
    params.back() = static_cast<int64_t>(q.entity.size());
    params.emplace_back(q.entity);
  } else if (!q.entity.empty()) {
    where(" AND entity = ?", q.entity);
  }
  if (!q.from.empty()) where(" AND substr(at, 1, 10) >= ?", q.from);
  if (!q.to.empty()) where(" AND substr(at, 1, 10) <= ?", q.to);
  if (q.before_id > 0) {
    sql += " AND id < ?";
    params.emplace_back(q.before_id);
  }
  sql += " ORDER BY id DESC LIMIT ?";
  params.emplace_back(static_cast<int64_t>(q.limit > 0 ? q.limit : 100));
  auto rows = conn_->Query(sql, params);
  if (!rows) return rows.status();
  std::vector<AuditEntry> out;
  out.reserve(rows->size());
  for (const Row& r : *rows) out.push_back(ToAuditEntry(r));
  return out;
}

constexpr const char* kUserColumns =
    "id, email, role, password_hash, disabled, totp_secret, created_at";

User ToUser(const Row& r) {
  User u;
  u.id = AsInt(r[0]);
  u.email = AsText(r[1]);
  u.role = AsText(r[2]);
  u.password_hash = AsText(r[3]);
  u.disabled = AsInt(r[4]) != 0;
  u.totp_secret = AsText(r[5]);
  u.created_at = AsText(r[6]);
  return u;
}

// The one row a query by a unique key gives; NotFound naming `what` otherwise.
template <typename T>
Result<T> OneRow(Result<std::vector<Row>> rows, T (*convert)(const Row&), const std::string& what) {
  if (!rows) return rows.status();
  if (rows->empty()) return NotFound(what);
  return convert(rows->front());
}

constexpr std::string_view kRoles[] = {"reader", "practitioner", "editor", "reviewer",
                                       "administrator"};

Result<User> SqlStore::AddUser(const User& user) {
  if (user.email.empty()) return InvalidArgument("an account needs an e-mail address");
  if (std::find(std::begin(kRoles), std::end(kRoles), user.role) == std::end(kRoles)) {
    return InvalidArgument("unknown role '" + user.role + "'");
  }
  Transaction tx(*conn_);
  OCTOPUS_RETURN_IF_ERROR(tx.status());
  auto existing = conn_->Query("SELECT 1 FROM users WHERE email = ?", {user.email});
  if (!existing) return existing.status();
  if (!existing->empty()) return Conflict(user.email + " has an account already");
  auto id = conn_->Insert(
      "INSERT INTO users (email, role, password_hash, disabled, totp_secret, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?)",
      {user.email, user.role, user.password_hash, int64_t{user.disabled ? 1 : 0},
       user.totp_secret, NowUtc()});
  if (!id) return id.status();
  auto stored = UserById(*id);
  if (!stored) return stored.status();
  OCTOPUS_RETURN_IF_ERROR(tx.Commit());
  return stored;
}

Result<User> SqlStore::UserByEmail(const std::string& email) {
  return OneRow(conn_->Query(std::string("SELECT ") + kUserColumns + " FROM users WHERE email = ?",
                             {email}),
                ToUser, "no account for " + email);
}

Result<User> SqlStore::UserById(int64_t id) {
  return OneRow(
      conn_->Query(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = ?", {id}),
      ToUser, "no account " + std::to_string(id));
}

Result<std::vector<User>> SqlStore::Users() {
  auto rows = conn_->Query(std::string("SELECT ") + kUserColumns + " FROM users ORDER BY id");
  if (!rows) return rows.status();
  std::vector<User> out;
  for (const Row& r : *rows) out.push_back(ToUser(r));
  return out;
}

Status SqlStore::UpdateUser(const User& user) {
  if (std::find(std::begin(kRoles), std::end(kRoles), user.role) == std::end(kRoles)) {
    return InvalidArgument("unknown role '" + user.role + "'");
  }
  auto existing = UserById(user.id);
  if (!existing) return existing.status();
  return conn_
      ->Query("UPDATE users SET role = ?, password_hash = ?, disabled = ?, totp_secret = ? "
              "WHERE id = ?",
              {user.role, user.password_hash, int64_t{user.disabled ? 1 : 0}, user.totp_secret,
               user.id})
      .status();
}

constexpr const char* kTokenColumns =
    "id, user_id, token_hash, purpose, created_at, expires_at, used_at";

AccountToken ToAccountToken(const Row& r) {
  AccountToken t;
  t.id = AsInt(r[0]);
  t.user_id = AsInt(r[1]);
  t.token_hash = AsText(r[2]);
  t.purpose = AsText(r[3]);
  t.created_at = AsText(r[4]);
  t.expires_at = AsText(r[5]);
  if (!IsNull(r[6])) t.used_at = AsText(r[6]);
  return t;
}

Result<AccountToken> SqlStore::AddAccountToken(const AccountToken& token) {
  if (token.purpose != "set-password" && token.purpose != "reset") {
    return InvalidArgument("unknown token purpose '" + token.purpose + "'");
  }
  AccountToken stored = token;
  if (stored.created_at.empty()) stored.created_at = NowUtc();
  auto id = conn_->Insert(
      "INSERT INTO account_tokens (user_id, token_hash, purpose, created_at, expires_at) "
      "VALUES (?, ?, ?, ?, ?)",
      {token.user_id, token.token_hash, token.purpose, stored.created_at, token.expires_at});
  if (!id) return id.status();
  stored.id = *id;
  stored.used_at.reset();
  return stored;
}

Result<AccountToken> SqlStore::AccountTokenByHash(const std::string& token_hash) {
  return OneRow(conn_->Query(std::string("SELECT ") + kTokenColumns +
                                 " FROM account_tokens WHERE token_hash = ?",
                             {token_hash}),
                ToAccountToken, "no such link");
}

Result<bool> SqlStore::UseAccountToken(int64_t id, const std::string& at) {
  Transaction tx(*conn_);
  OCTOPUS_RETURN_IF_ERROR(tx.status());
  auto token = OneRow(
      conn_->Query(std::string("SELECT ") + kTokenColumns + " FROM account_tokens WHERE id = ?",
                   {id}),
      ToAccountToken, "no such link");
  if (!token) return token.status();
  if (token->used_at) return false;
  OCTOPUS_RETURN_IF_ERROR(
      conn_->Query("UPDATE account_tokens SET used_at = ? WHERE id = ?", {at, id}).status());
  OCTOPUS_RETURN_IF_ERROR(tx.Commit());
  return true;
}

constexpr const char* kSessionColumns =
    "id, id_hash, user_id, created_at, last_seen_at, csrf_token, ended_at";

SessionRow ToSession(const Row& r) {
  SessionRow s;
  s.id = AsInt(r[0]);
  s.id_hash = AsText(r[1]);
  s.user_id = AsInt(r[2]);
  s.created_at = AsText(r[3]);
  s.last_seen_at = AsText(r[4]);
  s.csrf_token = AsText(r[5]);
  if (!IsNull(r[6])) s.ended_at = AsText(r[6]);
  return s;
}

Result<SessionRow> SqlStore::AddSession(const SessionRow& session) {
  auto id = conn_->Insert(
      "INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, csrf_token) "
      "VALUES (?, ?, ?, ?, ?)",
      {session.id_hash, session.user_id, session.created_at, session.last_seen_at,
       session.csrf_token});
  if (!id) return id.status();
  SessionRow stored = session;
  stored.id = *id;
  stored.ended_at.reset();
  return stored;
}

Result<SessionRow> SqlStore::SessionByHash(const std::string& id_hash) {
  return OneRow(conn_->Query(std::string("SELECT ") + kSessionColumns +
                                 " FROM sessions WHERE id_hash = ?",
                             {id_hash}),
                ToSession, "no such session");
}

Status SqlStore::TouchSession(int64_t id, const std::string& at) {
  return conn_->Query("UPDATE sessions SET last_seen_at = ? WHERE id = ?", {at, id}).status();
}

Status SqlStore::EndSession(int64_t id, const std::string& at) {
  return conn_->Query("UPDATE sessions SET ended_at = ? WHERE id = ? AND ended_at IS NULL",
                      {at, id})
      .status();
}

Status SqlStore::EndUserSessions(int64_t user_id, const std::string& at) {
  return conn_
      ->Query("UPDATE sessions SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL",
              {at, user_id})
      .status();
}

Result<LoginFailures> SqlStore::LoginFailuresOf(const std::string& key) {
  auto rows =
      conn_->Query("SELECT failures, last_failure_at FROM login_failures WHERE key = ?", {key});
  if (!rows) return rows.status();
  if (rows->empty()) return LoginFailures{};
  return LoginFailures{static_cast<int>(AsInt(rows->front()[0])), AsText(rows->front()[1])};
}

Result<LoginFailures> SqlStore::AddLoginFailure(const std::string& key, const std::string& at) {
  Transaction tx(*conn_);
  OCTOPUS_RETURN_IF_ERROR(tx.status());
  OCTOPUS_RETURN_IF_ERROR(
      conn_
          ->Query("INSERT INTO login_failures (key, failures, last_failure_at) VALUES (?, 1, ?) "
                  "ON CONFLICT (key) DO UPDATE SET failures = login_failures.failures + 1, "
                  "last_failure_at = excluded.last_failure_at",
                  {key, at})
          .status());
  auto state = LoginFailuresOf(key);
  if (!state) return state.status();
  OCTOPUS_RETURN_IF_ERROR(tx.Commit());
  return state;
}

Status SqlStore::ClearLoginFailures(const std::string& key) {
  return conn_->Query("DELETE FROM login_failures WHERE key = ?", {key}).status();
}

Result<std::vector<ChangeSet>> SqlStore::ChangeSets(const std::string& where,
                                                    const std::vector<Value>& params,
                                                    const std::string& order) {
  auto sets = conn_->Query(
      "SELECT id, author, created_at, note, status, reviewer, reviewed_at FROM edits WHERE " + where +
          " ORDER BY " + order,
      params);
  if (!sets) return sets.status();
  auto values = conn_->Query(
      "SELECT v.edit_id, v.id, v.kind, v.entity_id, v.field, v.value, v.before FROM edit_values v "
      "JOIN edits ON edits.id = v.edit_id WHERE " + where + " ORDER BY v.id",
      params);
  if (!values) return values.status();
  std::vector<ChangeSet> out;
  std::map<int64_t, size_t> index;
  for (const Row& r : *sets) {
    ChangeSet c;
    c.id = AsInt(r[0]);
    c.author = AsText(r[1]);
    c.created_at = AsText(r[2]);
    c.note = AsText(r[3]);
    c.status = AsText(r[4]);
    c.reviewer = AsText(r[5]);
    c.reviewed_at = AsText(r[6]);
    index.emplace(c.id, out.size());
    out.push_back(std::move(c));
  }
  for (const Row& r : *values) {
    auto it = index.find(AsInt(r[0]));
    if (it == index.end()) continue;
    EditValue v;
    v.id = AsInt(r[1]);
    v.kind = AsText(r[2]);
    v.entity_id = AsText(r[3]);
    v.field = AsText(r[4]);
    v.value = AsText(r[5]);
    if (!IsNull(r[6])) v.before = AsText(r[6]);
    out[it->second].values.push_back(std::move(v));
  }
  return out;
}

Status SqlStore::AuditValues(const ChangeSet& set, const std::string& actor, const std::string& origin,
                             const char* action) {
  for (const EditValue& v : set.values) {
    auto appended =
        AppendAudit(AuditEntry::Of(actor, origin, action, EditAuditEntity(set, v), v.field,
                                   v.before, v.value));
    if (!appended) return appended.status();
  }
  return Status::Ok();
}

/// The treaty actions of a change set as registry evidence (sourced to what
/// the editor cited); InvalidArgument naming what one lacks.
Result<std::vector<domain::Evidence>> TreatyActions(const ChangeSet& set) {
  std::map<std::string, std::map<std::string, std::string>> by_entity;
  for (const EditValue& v : set.values) {
    if (v.kind == kTreatyAction) by_entity[v.entity_id][v.field] = v.value;
  }
  std::vector<domain::Evidence> out;
  for (auto& [entity, fields] : by_entity) {
    const size_t slash = entity.rfind('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == entity.size()) {
      return InvalidArgument("a treaty action names its treaty and State as 'ETS 185/GE', not '" + entity + "'");
    }
    domain::Evidence e;
    e.treaty = entity.substr(0, slash);
    e.state = entity.substr(slash + 1);
    auto action = domain::ParseActionKind(fields["action"]);
    if (!action) return InvalidArgument("the treaty action '" + fields["action"] + "' is not one the registry knows");
    e.action = *action;
    auto date = domain::ReducedDate::Parse(fields["date"]);
    if (!date) return InvalidArgument("a treaty action needs its date: " + date.status().message());
    e.lo = date->first;
    e.hi = date->last;
    e.precision = date->precision;
    if (text::Trim(fields["source"]).empty()) {
      return InvalidArgument("a treaty action needs the URL or citation of the source that states it");
    }
    e.source = {std::string(text::Trim(fields["source"])), 0,
                "edited by " + set.author + (set.note.empty() ? std::string() : ": " + set.note)};
    out.push_back(std::move(e));
  }
  return out;
}

Status SqlStore::ApplyPublished(const ChangeSet& set) {
  for (const EditValue& v : set.values) {
    if (v.kind != kCountryProfile) continue;
    auto id = conn_->Insert(
        "INSERT INTO profile_revisions (iso2, markdown, author, note, created_at) VALUES (?, ?, ?, ?, ?)",
        {v.entity_id, v.value, set.author, set.note, set.reviewed_at});
    if (!id) return id.status();
  }
  auto actions = TreatyActions(set);
  if (!actions) return actions.status();
  if (actions->empty()) return Status::Ok();
  SourceInfo source;
  source.kind = "edit";
  source.origin = "edit " + std::to_string(set.id) + " by " + set.author;
  source.sha256 = "edit-" + std::to_string(set.id);  // one source per change set
  source.title = set.note;
  auto source_id = InsertSource(source);
  if (!source_id) return source_id.status();
  domain::TreatyBatch batch;
  batch.kind = "edit";
  batch.evidence = std::move(*actions);
  return InsertBatch(*source_id, batch);
}

Result<ChangeSet> SqlStore::AddDraft(const ChangeSet& draft, bool publish, const std::string& origin) {
  if (draft.author.empty()) return InvalidArgument("a change set needs its author");
  if (draft.values.empty()) return InvalidArgument("a change set needs at least one value");
  for (const EditValue& v : draft.values) {
    if (v.kind.empty() || v.entity_id.empty() || v.field.empty()) {
      return InvalidArgument("every value of a change set needs its kind, entity and field");
    }
    if (v.kind == kCountryProfile && v.value.empty()) return InvalidArgument("a profile revision needs text");
  }
  if (auto actions = TreatyActions(draft); !actions) return actions.status();
  Transaction tx(*conn_);
  OCTOPUS_RETURN_IF_ERROR(tx.status());
  ChangeSet stored = draft;
  stored.created_at = NowUtc();
  stored.status = publish ? "published" : "draft";
  stored.reviewer.clear();
  stored.reviewed_at = publish ? stored.created_at : std::string();
  auto id = conn_->Insert(
      "INSERT INTO edits (author, created_at, note, status, reviewer, reviewed_at) VALUES (?, ?, ?, ?, NULL, ?)",
      {stored.author, stored.created_at, stored.note, stored.status,
       publish ? Value(stored.reviewed_at) : Value(nullptr)});
  if (!id) return id.status();
  stored.id = *id;
  for (EditValue& v : stored.values) {
    auto vid = conn_->Insert(
        "INSERT INTO edit_values (edit_id, kind, entity_id, field, value, before) VALUES (?, ?, ?, ?, ?, ?)",
        {stored.id, v.kind, v.entity_id, v.field, v.value, OptionalText(v.before)});
    if (!vid) return vid.status();
    v.id = *vid;
  }
  OCTOPUS_RETURN_IF_ERROR(AuditValues(stored, stored.author, origin, publish ? "publish" : "draft"));
  if (publish) OCTOPUS_RETURN_IF_ERROR(ApplyPublished(stored));
  OCTOPUS_RETURN_IF_ERROR(tx.Commit());
  return stored;
}

Result<std::vector<ChangeSet>> SqlStore::Drafts() {
  return ChangeSets("edits.status = 'draft'", {}, "id");
}

Result<ChangeSet> SqlStore::ChangeSetById(int64_t id) {
  auto sets = ChangeSets("edits.id = ?", {id}, "id");
  if (!sets) return sets.status();
  if (sets->empty()) return NotFound("no change set " + std::to_string(id));
  return std::move(sets->front());
}

Result<ChangeSet> SqlStore::Review(int64_t id, const std::string& reviewer, const std::string& origin,
                                   const std::string& status, std::initializer_list<const char*> actions) {
  if (reviewer.empty()) return InvalidArgument("a review needs its reviewer");
  Transaction tx(*conn_);
  OCTOPUS_RETURN_IF_ERROR(tx.status());
  auto set = ChangeSetById(id);
  if (!set) return set.status();
  if (set->author == reviewer) {
    return InvalidArgument("change set " + std::to_string(id) + " is " + reviewer +
                           "'s own: another reviewer must review it");
  }
  if (set->status != "draft") {
    return Status(StatusCode::kConflict, "change set " + std::to_string(id) + " is " + set->status + " already");
  }
  set->status = status;
  set->reviewer = reviewer;
  set->reviewed_at = NowUtc();
  auto updated = conn_->Query(
      "UPDATE edits SET status = ?, reviewer = ?, reviewed_at = ? WHERE id = ? AND status = 'draft'",
      {set->status, set->reviewer, set->reviewed_at, id});
  if (!updated) return updated.status();
  for (const char* action : actions) OCTOPUS_RETURN_IF_ERROR(AuditValues(*set, reviewer, origin, action));
  if (status == "published") OCTOPUS_RETURN_IF_ERROR(ApplyPublished(*set));
  OCTOPUS_RETURN_IF_ERROR(tx.Commit());
  return set;
}

Result<ChangeSet> SqlStore::Approve(int64_t id, const std::string& reviewer, const std::string& origin) {
  return Review(id, reviewer, origin, "published", {"approve", "publish"});
}

Result<ChangeSet> SqlStore::Reject(int64_t id, const std::string& reviewer, const std::string& origin) {
  return Review(id, reviewer, origin, "rejected", {"reject"});
}

Result<std::vector<ChangeSet>> SqlStore::PublishedEdits() {
  return ChangeSets("edits.status = 'published'", {}, "reviewed_at, id");
}

Result<int64_t> SqlStore::PublishedEditCount() {
  auto rows = conn_->Query("SELECT COUNT(*) FROM edits WHERE status = 'published'");
  if (!rows) return rows.status();
  return AsInt(rows->front()[0]);
}

}  // namespace

std::string EditAuditEntity(const ChangeSet& set, const EditValue& value) {
  // The name a profile revision's own entry uses.
  if (value.kind == kCountryProfile) return "profile:" + value.entity_id;
  std::string id = value.entity_id;
  if (id == kb::kNewEntity) {
    if (auto kind = kb::KindFromName(value.kind)) id = kb::NewEntityId(set.id, *kind);
  }
  return value.kind + ":" + id;
}

std::unique_ptr<Store> MakeSqlStore(std::unique_ptr<Connection> conn) {
  return std::make_unique<SqlStore>(std::move(conn));
}

// ------------------------------------------------------------ restrictions

Status SqlStore::SetRestricted(const Restriction& what, bool restricted, const std::string& actor,
                               const std::string& origin) {
  if (what.subject != "document" && what.subject != "entity") {
    return InvalidArgument("a restriction is about a document or an entity, not '" + what.subject + "'");
  }
  if (what.ref.empty()) return InvalidArgument("a restriction needs the id of its " + what.subject);
  if (actor.empty() || origin.empty()) return InvalidArgument("a restriction needs its actor and origin");
  Transaction tx(*conn_);
  OCTOPUS_RETURN_IF_ERROR(tx.status());
  if (what.subject == "document") {
    int64_t id = 0;
    auto [end, ec] = std::from_chars(what.ref.data(), what.ref.data() + what.ref.size(), id);
    if (ec != std::errc() || end != what.ref.data() + what.ref.size() || id <= 0) {
      return InvalidArgument("a document is named by its id (a positive number), not '" + what.ref + "'");
    }
    auto doc = conn_->Query("SELECT 1 FROM documents WHERE id = ?", {id});
    if (!doc) return doc.status();
    if (doc->empty()) return NotFound("no document with id " + what.ref);
  }
  auto before = conn_->Query(
      "SELECT restricted FROM restrictions WHERE subject = ? AND ref = ? ORDER BY id DESC LIMIT 1",
      {what.subject, what.ref});
  if (!before) return before.status();
  const bool was = !before->empty() && AsInt(before->front()[0]) == 1;
  const std::string at = NowUtc();
  auto ins = conn_->Insert(
      "INSERT INTO restrictions (subject, ref, restricted, actor, at) VALUES (?, ?, ?, ?, ?)",
      {what.subject, what.ref, int64_t{restricted ? 1 : 0}, actor, at});
  if (!ins) return ins.status();
  auto audit = AppendAudit(AuditEntry::Of(actor, origin, restricted ? "restrict" : "release",
                                          what.subject + ":" + what.ref, "restricted",
                                          was ? "restricted" : "public",
                                          restricted ? "restricted" : "public"));
  if (!audit) return audit.status();
  return tx.Commit();
}

Result<std::vector<Restriction>> SqlStore::Restrictions() {
  auto rows = conn_->Query(
      "SELECT r.subject, r.ref FROM restrictions r WHERE r.restricted = 1 AND r.id = "
      "(SELECT max(l.id) FROM restrictions l WHERE l.subject = r.subject AND l.ref = r.ref) "
      "ORDER BY r.subject, r.ref");
  if (!rows) return rows.status();
  std::vector<Restriction> out;
  for (const Row& r : *rows) out.push_back({AsText(r[0]), AsText(r[1])});
  return out;
}

Result<int64_t> SqlStore::LastRestrictionId() {
  auto rows = conn_->Query("SELECT COALESCE(max(id), 0) FROM restrictions");
  if (!rows) return rows.status();
  return AsInt((*rows)[0][0]);
}

namespace {

constexpr const char* kContactColumns =
    "id, iso2, authority, unit, phone, email, hours, languages, last_verified, source, author, "
    "created_at";

CountryContact ToContact(const Row& r) {
  CountryContact c;
  c.id = AsInt(r[0]);
  c.iso2 = AsText(r[1]);
  c.authority = AsText(r[2]);
  c.unit = AsText(r[3]);
  c.phone = AsText(r[4]);
  c.email = AsText(r[5]);
  c.hours = AsText(r[6]);
  c.languages = AsText(r[7]);
  c.last_verified = AsText(r[8]);
  c.source = AsText(r[9]);
  c.author = AsText(r[10]);
  c.created_at = AsText(r[11]);
  return c;
}

Result<std::optional<CountryContact>> LatestContact(Connection& conn, const std::string& iso2) {
  auto rows = conn.Query(std::string("SELECT ") + kContactColumns +
                             " FROM country_contacts WHERE iso2 = ? ORDER BY id DESC LIMIT 1",
                         {iso2});
  if (!rows) return rows.status();
  if (rows->empty()) return std::optional<CountryContact>();
  return std::optional<CountryContact>(ToContact(rows->front()));
}

}  // namespace

std::string ContactSummary(const CountryContact& c) {
  std::string out;
  for (const auto& [name, value] :
       {std::pair{"authority", &c.authority}, std::pair{"unit", &c.unit}, std::pair{"phone", &c.phone},
        std::pair{"email", &c.email}, std::pair{"hours", &c.hours}, std::pair{"languages", &c.languages},
        std::pair{"last verified", &c.last_verified}, std::pair{"source", &c.source}}) {
    if (value->empty()) continue;
    if (!out.empty()) out += " \u00b7 ";
    out += std::string(name) + ": " + *value;
  }
  return out;
}

Result<CountryContact> SqlStore::AddCountryContact(const CountryContact& contact,
                                                   const std::string& origin) {
  const std::string& code = contact.iso2;
  if (code.size() != 2 || !std::isupper(static_cast<unsigned char>(code[0])) ||
      !std::isupper(static_cast<unsigned char>(code[1]))) {
    return InvalidArgument("country: an ISO 3166-1 alpha-2 code in capitals, not '" + code + "'");
  }
  const std::pair<const char*, const std::string*> fields[] = {
      {"authority", &contact.authority}, {"unit", &contact.unit},     {"phone", &contact.phone},
      {"email", &contact.email},         {"hours", &contact.hours},   {"languages", &contact.languages},
      {"last_verified", &contact.last_verified}, {"source", &contact.source},
      {"author", &contact.author}};
  for (const auto& [name, value] : fields) {
    for (char ch : *value) {
      if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) {
        return InvalidArgument(std::string(name) + ": one line of text, without control characters");
      }
    }
  }
  for (const auto& [name, value] : {std::pair{"authority", &contact.authority},
                                    std::pair{"source", &contact.source},
                                    std::pair{"author", &contact.author}}) {
    if (text::Trim(*value).empty()) return InvalidArgument(std::string(name) + ": required");
  }
  if (!Date::Parse(contact.last_verified).ok()) {
    return InvalidArgument("last_verified: a date (YYYY-MM-DD), not '" + contact.last_verified + "'");
  }
  if (origin.empty()) return InvalidArgument("a contact needs the origin of the change");
  Transaction tx(*conn_);
  OCTOPUS_RETURN_IF_ERROR(tx.status());
  auto previous = LatestContact(*conn_, code);
  if (!previous) return previous.status();
  CountryContact stored = contact;
  stored.created_at = NowUtc();
  auto id = conn_->Insert(
      "INSERT INTO country_contacts (iso2, authority, unit, phone, email, hours, languages, "
      "last_verified, source, author, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {code, contact.authority, contact.unit, contact.phone, contact.email, contact.hours,
       contact.languages, contact.last_verified, contact.source, contact.author, stored.created_at});
  if (!id) return id.status();
  stored.id = *id;
  auto audit = AppendAudit(AuditEntry::Of(
      contact.author, origin, "contact.set", "contact:" + code, "",
      *previous ? std::optional<std::string>(ContactSummary(**previous)) : std::nullopt,
      ContactSummary(stored)));
  if (!audit) return audit.status();
  OCTOPUS_RETURN_IF_ERROR(tx.Commit());
  return stored;
}

Result<std::optional<CountryContact>> SqlStore::CountryContactOf(const std::string& iso2,
                                                                 kb::Visibility visibility) {
  if (visibility != kb::Visibility::kRestricted) return std::optional<CountryContact>();
  return LatestContact(*conn_, iso2);
}

}  // namespace octopus::store
