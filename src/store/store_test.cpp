// The SQLite store on a temporary file: creation and migrations, the pragmas it
// relies on, round trips of everything it keeps, idempotence by content hash,
// and all-or-nothing writes.
#include "store/store.h"

#include <gtest/gtest.h>

#include "core/testing/temp_dir.h"
#include "store/testing/knowledge_fixtures.h"
#include "store/testing/record_fixtures.h"

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>
#include <tuple>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "store/migrations.h"
#include "store/sqlite/sqlite_connection.h"
#include "store/sqlite/sqlite_pool.h"

namespace octopus::store {
namespace {

namespace fs = std::filesystem;
using domain::ActionKind;
using domain::Date;
using domain::Precision;

Date D(const char* iso) { return *Date::Parse(iso); }

using octopus::test_support::TempDir;

domain::Treaty MakeTreaty(const std::string& ref, int number) {
  domain::Treaty t;
  t.ref = ref;
  t.number = number;
  t.title = "Treaty " + ref;
  t.opened = D("2001-11-23");
  t.entry_into_force.threshold = 5;
  t.entry_into_force.period = domain::Period{domain::Period::Kind::kFirstDayAfterMonths, 3};
  return t;
}

SourceInfo Source(const std::string& sha, const std::string& origin = "chart.csv") {
  SourceInfo s;
  s.kind = "chart";
  s.origin = origin;
  s.sha256 = sha;
  s.title = "a chart";
  s.as_of = D("2015-12-03");
  s.complete = true;
  return s;
}

domain::Evidence Ev(const std::string& treaty, const std::string& state, ActionKind action,
                    std::optional<Date> lo, std::optional<Date> hi, int line) {
  domain::Evidence e;
  e.treaty = treaty;
  e.state = state;
  e.action = action;
  e.lo = lo;
  e.hi = hi;
  e.source = {"chart.csv", line, "quote of line " + std::to_string(line)};
  return e;
}

// A batch using every field of every kind of record.
domain::TreatyBatch FullBatch() {
  domain::TreatyBatch b;
  b.kind = "chart";
  b.treaty = "ETS 185";
  b.as_of = D("2015-12-03");
  b.complete = true;
  b.rows = 4;

  b.evidence.push_back(
      Ev("ETS 185", "AT", ActionKind::kSignature, D("2001-11-23"), D("2001-11-23"), 10));
  b.evidence.push_back(
      Ev("ETS 185", "AT", ActionKind::kRatification, D("2012-06-13"), D("2012-06-13"), 10));
  // A month only.
  domain::Evidence month =
      Ev("ETS 185", "BE", ActionKind::kAccession, D("2012-08-01"), D("2012-08-31"), 11);
  month.precision = Precision::kMonth;
  b.evidence.push_back(month);
  // A bound only ("on or before"), inferred kind.
  domain::Evidence by =
      Ev("ETS 185", "AL", ActionKind::kApproval, std::nullopt, D("2011-06-01"), 12);
  by.precision = Precision::kBy;
  by.kind_known = false;
  b.evidence.push_back(by);
  // Negative evidence: had not ratified by the chart's date.
  domain::Evidence negative =
      Ev("ETS 185", "AD", ActionKind::kRatification, D("2015-12-03"), std::nullopt, 13);
  negative.negative = true;
  b.evidence.push_back(negative);
  // Accents and quotes survive.
  domain::Evidence quoted =
      Ev("ETS 185", "TR", ActionKind::kDefinitiveSignature, D("2010-11-10"), D("2010-11-10"), 14);
  quoted.source.quote = "T\xC3\xBCrkiye, \"as printed\", 10/11/2010";
  quoted.precision = Precision::kYear;
  b.evidence.push_back(quoted);

  domain::Snapshot snap;
  snap.treaty = "ETS 185";
  snap.as_of = D("2011-06-01");
  snap.contracting = {"AL", "AM", "GB"};
  snap.signatories = {"AT", "BE"};
  snap.source = {"notification.csv", 7, "complete lists as of 2011-06-01 (JJ7249C)"};
  b.snapshots.push_back(snap);

  domain::StatedFigure undated;
  undated.treaty = "ETS 185";
  undated.measure = "signatories";
  undated.count = 2;
  undated.source = {"facts.csv", 3, "two have signed"};
  b.figures.push_back(undated);
  domain::StatedFigure parties;
  parties.treaty = "ETS 185";
  parties.measure = "parties";
  parties.count = 69;
  parties.as_of = D("2024-02-07");
  parties.source = {"https://www.coe.int/x", 4, "69 States are Parties"};
  b.figures.push_back(parties);
  domain::StatedFigure month_fig;
  month_fig.treaty = "ETS 185";
  month_fig.measure = "invited";
  month_fig.count = 22;
  month_fig.as_of = D("2024-09-30");
  month_fig.precision = Precision::kMonth;
  month_fig.source = {"https://www.coe.int/y", 5, "22 invited"};
  b.figures.push_back(month_fig);

  b.flags.push_back({"ETS 185", "AT", "R", "reservation", D("2015-12-03"), "", {"chart.csv", 10, "R. D. A."}});
  b.flags.push_back({"ETS 185", "BE", "X", "3 mark(s)", std::nullopt, "flags unreliable per the source",
                     {"https://example.org/be", 11, "chart.csv:11: X x3"}});
  b.stated_eif.push_back({"ETS 185", "AT", D("2012-10-01"), {"chart.csv", 10, "Austria,..."}});
  b.stated_eif.push_back({"ETS 185", "BE", D("2012-12-01"), {"chart.csv", 11, "Belgium,..."}});
  return b;
}

void ExpectSameSource(const domain::SourceRef& got, const domain::SourceRef& want) {
  EXPECT_EQ(got.origin, want.origin);
  EXPECT_EQ(got.line, want.line) << want.origin;
  EXPECT_EQ(got.quote, want.quote) << want.origin;
}

void ExpectSameEvidence(const domain::Evidence& got, const domain::Evidence& want) {
  SCOPED_TRACE(want.state + " " + std::string(domain::ActionKindName(want.action)));
  EXPECT_EQ(got.treaty, want.treaty);
  EXPECT_EQ(got.state, want.state);
  EXPECT_EQ(got.action, want.action);
  EXPECT_EQ(got.lo, want.lo);
  EXPECT_EQ(got.hi, want.hi);
  EXPECT_EQ(got.negative, want.negative);
  EXPECT_EQ(got.precision, want.precision);
  EXPECT_EQ(got.kind_known, want.kind_known);
  ExpectSameSource(got.source, want.source);
}

void ExpectSameRegistry(const RegistryData& got, const domain::TreatyBatch& want) {
  ASSERT_EQ(got.evidence.size(), want.evidence.size());
  for (size_t i = 0; i < want.evidence.size(); ++i)
    ExpectSameEvidence(got.evidence[i], want.evidence[i]);

  ASSERT_EQ(got.snapshots.size(), want.snapshots.size());
  for (size_t i = 0; i < want.snapshots.size(); ++i) {
    const auto& g = got.snapshots[i];
    const auto& w = want.snapshots[i];
    EXPECT_EQ(g.treaty, w.treaty);
    EXPECT_EQ(g.as_of, w.as_of);
    EXPECT_EQ(g.contracting, w.contracting);
    EXPECT_EQ(g.signatories, w.signatories);
    SCOPED_TRACE("snapshot source");
    ExpectSameSource(g.source, w.source);
  }

  ASSERT_EQ(got.figures.size(), want.figures.size());
  for (size_t i = 0; i < want.figures.size(); ++i) {
    const auto& g = got.figures[i];
    const auto& w = want.figures[i];
    SCOPED_TRACE(w.measure);
    EXPECT_EQ(g.treaty, w.treaty);
    EXPECT_EQ(g.measure, w.measure);
    EXPECT_EQ(g.count, w.count);
    EXPECT_EQ(g.as_of, w.as_of);
    EXPECT_EQ(g.precision, w.precision);
    ExpectSameSource(g.source, w.source);
  }

  ASSERT_EQ(got.flags.size(), want.flags.size());
  for (size_t i = 0; i < want.flags.size(); ++i) {
    const auto& g = got.flags[i];
    const auto& w = want.flags[i];
    SCOPED_TRACE(w.state + " " + w.flag);
    EXPECT_EQ(g.treaty, w.treaty);
    EXPECT_EQ(g.state, w.state);
    EXPECT_EQ(g.flag, w.flag);
    EXPECT_EQ(g.meaning, w.meaning);
    EXPECT_EQ(g.as_of, w.as_of);
    EXPECT_EQ(g.caveat, w.caveat);
    ExpectSameSource(g.source, w.source);
  }

  ASSERT_EQ(got.stated_eif.size(), want.stated_eif.size());
  for (size_t i = 0; i < want.stated_eif.size(); ++i) {
    const auto& g = got.stated_eif[i];
    const auto& w = want.stated_eif[i];
    SCOPED_TRACE(w.state);
    EXPECT_EQ(g.treaty, w.treaty);
    EXPECT_EQ(g.state, w.state);
    EXPECT_EQ(g.date, w.date);
    ExpectSameSource(g.source, w.source);
  }
}

size_t CountAll(const RegistryData& r) {
  return r.evidence.size() + r.snapshots.size() + r.figures.size() + r.stated_eif.size() + r.flags.size();
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override { db_ = (dir_.path() / "octopus.db").string(); }

  // Opens the store and gives it two treaties to refer to.
  std::unique_ptr<Store> OpenWithTreaties() {
    auto s = OpenStore(db_);
    EXPECT_TRUE(s.ok()) << s.status().message();
    if (!s.ok()) return nullptr;
    SourceInfo rules;
    rules.kind = "rules";
    rules.origin = "data/treaties.json";
    rules.sha256 = "rules-sha";
    const Status st =
        (*s)->PutTreaties(rules, {MakeTreaty("ETS 185", 185), MakeTreaty("CETS 224", 224)});
    EXPECT_TRUE(st.ok()) << st.message();
    return std::move(*s);
  }

  std::unique_ptr<SqliteConnection> Raw() {
    auto c = SqliteConnection::Open(db_);
    EXPECT_TRUE(c.ok()) << c.status().message();
    return c.ok() ? std::move(*c) : nullptr;
  }

  TempDir dir_;
  std::string db_;
};

TEST_F(StoreTest, NewFileIsCreatedAndMigratedToTheLatestVersion) {
  ASSERT_FALSE(fs::exists(db_));
  auto store = OpenStore(db_);
  ASSERT_TRUE(store.ok()) << store.status().message();
  EXPECT_TRUE(fs::exists(db_));
  EXPECT_EQ((*store)->backend(), "sqlite");

  const auto& migrations = Migrations("sqlite");
  ASSERT_EQ(migrations.size(), 15u);
  EXPECT_EQ(migrations.front().name, "001_registry");
  EXPECT_EQ(migrations[1].name, "002_documents");
  EXPECT_EQ(migrations[2].name, "003_search");
  EXPECT_EQ(migrations[3].name, "004_subscribers");
  EXPECT_EQ(migrations[4].name, "005_profiles");
  EXPECT_EQ(migrations[5].name, "006_document_source");
  EXPECT_EQ(migrations[6].name, "007_reread_shipped_treaty_data");
  EXPECT_EQ(migrations[7].name, "008_treaty_flags");
  EXPECT_EQ(migrations[8].name, "009_knowledge");
  EXPECT_EQ(migrations[9].name, "010_audit");
  EXPECT_EQ(migrations[10].name, "011_accounts");
  EXPECT_EQ(migrations[11].name, "012_edits");
  EXPECT_EQ(migrations[12].name, "013_outbox");
  EXPECT_EQ(migrations.back().name, "015_restricted");

  auto conn = Raw();
  auto rows = conn->Query("SELECT version, name FROM schema_migrations ORDER BY version", {});
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), migrations.size());
  for (size_t i = 0; i < migrations.size(); ++i) {
    EXPECT_EQ(AsInt((*rows)[i][0]), migrations[i].version);
    EXPECT_EQ(AsText((*rows)[i][1]), migrations[i].name);
  }
  // Every table of every migration exists.
  for (const char* table :
       {"sources", "treaties", "treaty_evidence", "treaty_snapshots", "treaty_snapshot_states",
        "treaty_figures", "treaty_stated_eif", "documents", "records", "subscribers",
        "profile_revisions", "treaty_flags",
        "entities", "claims", "knowledge_meta", "entity_text", "entity_entries", "entity_facets",
        "entity_names", "outbox", "subscriber_secrets"}) {
    auto t = conn->Query("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                         {std::string(table)});
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(t->size(), 1u) << table;
  }
  // The record index of 003 is gone (014): the entity index took its place.
  for (const char* table : {"search_text", "search_entries", "search_facets"}) {
    auto t = conn->Query("SELECT 1 FROM sqlite_master WHERE name = ?", {std::string(table)});
    ASSERT_TRUE(t.ok());
    EXPECT_TRUE(t->empty()) << table;
  }
  // Migrating again is a no-op that reports the same version.
  auto again = (*store)->Migrate();
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_EQ(*again, migrations.back().version);
}

TEST_F(StoreTest, ReopeningKeepsTheDataAndDoesNotMigrateAgain) {
  const domain::TreatyBatch batch = FullBatch();
  std::vector<Row> applied_before;
  {
    auto store = OpenWithTreaties();
    ASSERT_TRUE(store);
    auto added = store->AddBatch(Source("sha-1"), batch);
    ASSERT_TRUE(added.ok()) << added.status().message();
    ASSERT_TRUE(*added);
    auto rows = Raw()->Query(
        "SELECT version, name, applied_at FROM schema_migrations ORDER BY version", {});
    ASSERT_TRUE(rows.ok());
    applied_before = *rows;
  }
  auto store = OpenStore(db_);
  ASSERT_TRUE(store.ok()) << store.status().message();
  auto rows =
      Raw()->Query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version", {});
  ASSERT_TRUE(rows.ok());
  EXPECT_EQ(*rows, applied_before);

  auto treaties = (*store)->Treaties();
  ASSERT_TRUE(treaties.ok());
  ASSERT_EQ(treaties->size(), 2u);
  auto sources = (*store)->Sources();
  ASSERT_TRUE(sources.ok());
  EXPECT_EQ(sources->size(), 2u);  // the rules and the chart
  auto data = (*store)->Registry("ETS 185");
  ASSERT_TRUE(data.ok()) << data.status().message();
  EXPECT_EQ(CountAll(*data),
            CountAll({batch.evidence, batch.snapshots, batch.stated_eif, batch.figures, batch.flags}));
}

TEST_F(StoreTest, JournalIsWalAndForeignKeysAreEnforced) {
  ASSERT_TRUE(OpenStore(db_).ok());
  auto conn = Raw();
  auto journal = conn->Query("PRAGMA journal_mode", {});
  ASSERT_TRUE(journal.ok()) << journal.status().message();
  ASSERT_EQ(journal->size(), 1u);
  EXPECT_EQ(AsText((*journal)[0][0]), "wal");
  auto fk = conn->Query("PRAGMA foreign_keys", {});
  ASSERT_TRUE(fk.ok()) << fk.status().message();
  ASSERT_EQ(fk->size(), 1u);
  EXPECT_EQ(AsInt((*fk)[0][0]), 1);
  // And it is not only the setting: a dangling reference is refused.
  auto bad = conn->Insert(
      "INSERT INTO treaty_stated_eif (treaty_ref, state, date, source_id) VALUES (?, ?, ?, ?)",
      {std::string("ETS 999"), std::string("AT"), std::string("2012-10-01"), int64_t{424242}});
  EXPECT_FALSE(bad.ok());
}

TEST_F(StoreTest, AddBatchStoresEveryFieldAndRegistryReturnsItUnchanged) {
  auto store = OpenWithTreaties();
  ASSERT_TRUE(store);
  const domain::TreatyBatch batch = FullBatch();
  auto added = store->AddBatch(Source("sha-full"), batch);
  ASSERT_TRUE(added.ok()) << added.status().message();
  EXPECT_TRUE(*added);

  auto data = store->Registry("ETS 185");
  ASSERT_TRUE(data.ok()) << data.status().message();
  ExpectSameRegistry(*data, batch);
}

TEST_F(StoreTest, AddBatchRecordsItsSource) {
  auto store = OpenWithTreaties();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->AddBatch(Source("sha-src", "data/treaties/coe185.csv"), FullBatch()).ok());
  auto has = store->HasSource("sha-src");
  ASSERT_TRUE(has.ok());
  EXPECT_TRUE(*has);
  auto none = store->HasSource("sha-other");
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(*none);

  auto sources = store->Sources();
  ASSERT_TRUE(sources.ok());
  ASSERT_EQ(sources->size(), 2u);
  const SourceInfo& s = sources->back();
  EXPECT_GT(s.id, sources->front().id);
  EXPECT_EQ(s.kind, "chart");
  EXPECT_EQ(s.origin, "data/treaties/coe185.csv");
  EXPECT_EQ(s.sha256, "sha-src");
  EXPECT_EQ(s.title, "a chart");
  EXPECT_EQ(s.as_of, D("2015-12-03"));
  EXPECT_TRUE(s.complete);
  // "YYYY-MM-DDTHH:MM:SSZ"
  ASSERT_EQ(s.imported_at.size(), 20u) << s.imported_at;
  EXPECT_TRUE(Date::Parse(s.imported_at.substr(0, 10)).ok()) << s.imported_at;
  EXPECT_EQ(s.imported_at[10], 'T');
  EXPECT_EQ(s.imported_at.back(), 'Z');
  const SourceInfo& rules = sources->front();
  EXPECT_EQ(rules.kind, "rules");
  EXPECT_FALSE(rules.as_of.has_value());
  EXPECT_FALSE(rules.complete);
}

TEST_F(StoreTest, RegistryFiltersByTreatyAndGivesEverythingForAnEmptyRef) {
  auto store = OpenWithTreaties();
  ASSERT_TRUE(store);
  domain::TreatyBatch other;
  other.evidence.push_back(
      Ev("CETS 224", "RS", ActionKind::kRatification, D("2023-02-09"), D("2023-02-09"), 44));
  other.stated_eif.push_back({"CETS 224", "RS", D("2023-06-01"), {"x.csv", 44, "Serbia"}});
  ASSERT_TRUE(store->AddBatch(Source("sha-185"), FullBatch()).ok());
  ASSERT_TRUE(store->AddBatch(Source("sha-224"), other).ok());

  auto ets185 = store->Registry("ETS 185");
  auto cets224 = store->Registry("CETS 224");
  auto all = store->Registry("");
  auto unknown = store->Registry("ETS 999");
  ASSERT_TRUE(ets185.ok() && cets224.ok() && all.ok() && unknown.ok());
  const domain::TreatyBatch full = FullBatch();
  EXPECT_EQ(ets185->evidence.size(), full.evidence.size());
  ASSERT_EQ(cets224->evidence.size(), 1u);
  EXPECT_EQ(cets224->evidence[0].state, "RS");
  EXPECT_EQ(cets224->stated_eif.size(), 1u);
  EXPECT_TRUE(cets224->snapshots.empty());
  EXPECT_TRUE(cets224->figures.empty());
  EXPECT_EQ(CountAll(*all), CountAll(*ets185) + CountAll(*cets224));
  EXPECT_EQ(CountAll(*unknown), 0u);
}

TEST_F(StoreTest, SameContentTwiceIsStoredOnce) {
  auto store = OpenWithTreaties();
  ASSERT_TRUE(store);
  const domain::TreatyBatch batch = FullBatch();
  auto first = store->AddBatch(Source("sha-same", "first.csv"), batch);
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_TRUE(*first);
  auto sources_before = store->Sources();
  auto data_before = store->Registry("");
  ASSERT_TRUE(sources_before.ok() && data_before.ok());

  // Same hash, another origin: still the same content.
  auto second = store->AddBatch(Source("sha-same", "copy-of-first.csv"), batch);
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_FALSE(*second);

  auto sources_after = store->Sources();
  auto data_after = store->Registry("");
  ASSERT_TRUE(sources_after.ok() && data_after.ok());
  EXPECT_EQ(sources_after->size(), sources_before->size());
  EXPECT_EQ(sources_after->back().origin, "first.csv");
  EXPECT_EQ(CountAll(*data_after), CountAll(*data_before));
}

// Which record of a batch names a treaty the store does not know.
enum class Dangling { kEvidence, kSnapshot, kFigure, kStatedEif };

class StoreAtomicityTest : public StoreTest, public ::testing::WithParamInterface<Dangling> {};

TEST_P(StoreAtomicityTest, BatchNamingAnUnknownTreatyFailsAndLeavesNothing) {
  auto store = OpenWithTreaties();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->AddBatch(Source("sha-earlier"), FullBatch()).ok());
  auto sources_before = store->Sources();
  auto data_before = store->Registry("");
  ASSERT_TRUE(sources_before.ok() && data_before.ok());

  // Good records first, so that a non-atomic store would keep some of them.
  domain::TreatyBatch bad = FullBatch();
  switch (GetParam()) {
    case Dangling::kEvidence:
      bad.evidence.push_back(
          Ev("ETS 999", "AT", ActionKind::kRatification, D("2012-06-13"), D("2012-06-13"), 99));
      break;
    case Dangling::kSnapshot:
      bad.snapshots.push_back(bad.snapshots.front());
      bad.snapshots.back().treaty = "ETS 999";
      break;
    case Dangling::kFigure:
      bad.figures.push_back(bad.figures.front());
      bad.figures.back().treaty = "ETS 999";
      break;
    case Dangling::kStatedEif:
      bad.stated_eif.push_back({"ETS 999", "AT", D("2012-10-01"), {"x.csv", 1, ""}});
      break;
  }
  auto added = store->AddBatch(Source("sha-bad"), bad);
  EXPECT_FALSE(added.ok());
  if (!added.ok()) {
    EXPECT_NE(added.status().message().find("FOREIGN KEY"), std::string::npos)
        << added.status().message();
  }

  auto has = store->HasSource("sha-bad");
  ASSERT_TRUE(has.ok());
  EXPECT_FALSE(*has) << "the failed batch's source row was kept";
  auto sources_after = store->Sources();
  auto data_after = store->Registry("");
  ASSERT_TRUE(sources_after.ok() && data_after.ok());
  EXPECT_EQ(sources_after->size(), sources_before->size());
  EXPECT_EQ(data_after->evidence.size(), data_before->evidence.size());
  EXPECT_EQ(data_after->snapshots.size(), data_before->snapshots.size());
  EXPECT_EQ(data_after->figures.size(), data_before->figures.size());
  EXPECT_EQ(data_after->stated_eif.size(), data_before->stated_eif.size());

  // The store is usable afterwards: no transaction was left open.
  auto good = store->AddBatch(Source("sha-good"), FullBatch());
  ASSERT_TRUE(good.ok()) << good.status().message();
  EXPECT_TRUE(*good);
}

INSTANTIATE_TEST_SUITE_P(EachRecordKind, StoreAtomicityTest,
                         ::testing::Values(Dangling::kEvidence, Dangling::kSnapshot,
                                           Dangling::kFigure, Dangling::kStatedEif),
                         [](const ::testing::TestParamInfo<Dangling>& info) {
                           switch (info.param) {
                             case Dangling::kEvidence:
                               return "Evidence";
                             case Dangling::kSnapshot:
                               return "Snapshot";
                             case Dangling::kFigure:
                               return "Figure";
                             case Dangling::kStatedEif:
                               return "StatedEif";
                           }
                           return "Unknown";
                         });

TEST_F(StoreTest, PutTreatiesStoresTheRulesAndReplacesThemByRef) {
  auto store = OpenWithTreaties();
  ASSERT_TRUE(store);
  domain::Treaty un = MakeTreaty("UNCC", 0);
  un.entry_into_force.period = domain::Period{domain::Period::Kind::kNthDayAfter, 90};
  domain::Treaty changed = MakeTreaty("ETS 185", 185);
  changed.title = "Convention on Cybercrime";
  changed.aliases = {"Budapest Convention"};
  SourceInfo rules;
  rules.kind = "rules";
  rules.origin = "data/treaties.json";
  rules.sha256 = "rules-sha-2";
  ASSERT_TRUE(store->PutTreaties(rules, {un, changed}).ok());

  auto treaties = store->Treaties();
  ASSERT_TRUE(treaties.ok()) << treaties.status().message();
  ASSERT_EQ(treaties->size(), 3u);
  // Numbered treaties in number order, then the others.
  EXPECT_EQ((*treaties)[0].ref, "ETS 185");
  EXPECT_EQ((*treaties)[0].title, "Convention on Cybercrime");
  EXPECT_EQ((*treaties)[0].aliases, std::vector<std::string>{"Budapest Convention"});
  EXPECT_EQ((*treaties)[1].ref, "CETS 224");
  EXPECT_EQ((*treaties)[2].ref, "UNCC");
  ASSERT_TRUE((*treaties)[2].entry_into_force.period.has_value());
  EXPECT_EQ((*treaties)[2].entry_into_force.period->kind, domain::Period::Kind::kNthDayAfter);
  EXPECT_EQ((*treaties)[2].entry_into_force.period->count, 90);

  // The same rules file again adds no source.
  auto before = store->Sources();
  ASSERT_TRUE(store->PutTreaties(rules, {un, changed}).ok());
  auto after = store->Sources();
  ASSERT_TRUE(before.ok() && after.ok());
  EXPECT_EQ(after->size(), before->size());
}

DocumentRow Doc(const std::string& path) {
  DocumentRow d;
  d.path = path;
  d.format = "html";
  d.shape = "newsletter";
  d.period_start = "2024-01";
  d.truncated = true;
  d.report_json = R"({"lines":120,"unused":[3,4]})";
  return d;
}

TEST_F(StoreTest, AddDocumentStoresTheDocumentItsRecordsAndDerivedEvidence) {
  auto store = OpenWithTreaties();
  ASSERT_TRUE(store);
  const std::vector<RecordRow> records = {
      {0, 0, "treaty_action", 12, R"({"state":"BJ","action":"accession"})"},
      {0, 0, "news_item", 3, R"({"title":"Benin accedes"})"},
      {0, 0, "news_item", 1, R"({"title":"T\u00fcrkiye"})"},
  };
  domain::TreatyBatch derived;
  derived.kind = "document";
  derived.evidence.push_back(
      Ev("ETS 185", "BJ", ActionKind::kAccession, D("2024-06-20"), D("2024-06-20"), 12));
  SourceInfo src = Source("sha-doc", "news/2024-06.html");
  src.kind = "document";
  auto added = store->AddDocument(src, Doc("news/2024-06.html"), records, derived);
  ASSERT_TRUE(added.ok()) << added.status().message();
  EXPECT_TRUE(*added);

  auto docs = store->Documents();
  ASSERT_TRUE(docs.ok()) << docs.status().message();
  ASSERT_EQ(docs->size(), 1u);
  const DocumentRow& d = docs->front();
  EXPECT_GT(d.id, 0);
  EXPECT_EQ(d.path, "news/2024-06.html");
  EXPECT_EQ(d.format, "html");
  EXPECT_EQ(d.shape, "newsletter");
  EXPECT_EQ(d.period_start, std::optional<std::string>("2024-01"));
  EXPECT_FALSE(d.period_end.has_value());
  EXPECT_TRUE(d.truncated);
  EXPECT_EQ(d.report_json, R"({"lines":120,"unused":[3,4]})");

  auto all = store->Records("");
  ASSERT_TRUE(all.ok()) << all.status().message();
  ASSERT_EQ(all->size(), 3u);
  // In line order within the document.
  EXPECT_EQ((*all)[0].line, 1);
  EXPECT_EQ((*all)[1].line, 3);
  EXPECT_EQ((*all)[2].line, 12);
  for (const RecordRow& r : *all) {
    EXPECT_EQ(r.document_id, d.id);
    EXPECT_GT(r.id, 0);
  }
  EXPECT_EQ((*all)[0].fields_json, R"({"title":"T\u00fcrkiye"})");
  EXPECT_EQ((*all)[2].kind, "treaty_action");
  EXPECT_EQ((*all)[2].fields_json, R"({"state":"BJ","action":"accession"})");

  auto news = store->Records("news_item");
  ASSERT_TRUE(news.ok());
  EXPECT_EQ(news->size(), 2u);
  auto none = store->Records("project");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());

  auto data = store->Registry("ETS 185");
  ASSERT_TRUE(data.ok());
  ASSERT_EQ(data->evidence.size(), 1u);
  ExpectSameEvidence(data->evidence[0], derived.evidence[0]);

  // The same bytes again: nothing new.
  auto again = store->AddDocument(src, Doc("elsewhere.html"), records, derived);
  ASSERT_TRUE(again.ok()) << again.status().message();
  EXPECT_FALSE(*again);
  auto docs2 = store->Documents();
  auto all2 = store->Records("");
  auto data2 = store->Registry("");
  ASSERT_TRUE(docs2.ok() && all2.ok() && data2.ok());
  EXPECT_EQ(docs2->size(), 1u);
  EXPECT_EQ(all2->size(), 3u);
  EXPECT_EQ(data2->evidence.size(), 1u);
}

TEST_F(StoreTest, DocumentKeepsItsOwnDateItsBasisAndItsSourceUrl) {
  auto store = OpenWithTreaties();
  ASSERT_TRUE(store);
  DocumentRow dated = Doc("news/benin.html");
  dated.date = "2024-06";
  dated.date_basis = "html metadata";
  dated.source_url = "https://www.coe.int/en/web/cybercrime/-/benin-accedes";
  SourceInfo src = Source("sha-dated", "news/benin.html");
  src.kind = "document";
  auto added = store->AddDocument(src, dated, {}, {});
  ASSERT_TRUE(added.ok()) << added.status().message();
  SourceInfo src2 = Source("sha-undated", "notes.txt");
  src2.kind = "document";
  ASSERT_TRUE(store->AddDocument(src2, Doc("notes.txt"), {}, {}).ok());

  auto docs = store->Documents();
  ASSERT_TRUE(docs.ok()) << docs.status().message();
  ASSERT_EQ(docs->size(), 2u);
  EXPECT_EQ((*docs)[0].date, std::optional<std::string>("2024-06"));
  EXPECT_EQ((*docs)[0].date_basis, "html metadata");
  EXPECT_EQ((*docs)[0].source_url, "https://www.coe.int/en/web/cybercrime/-/benin-accedes");
  // Unknown stays unknown: no date, no basis, no URL.
  EXPECT_FALSE((*docs)[1].date.has_value());
  EXPECT_EQ((*docs)[1].date_basis, "");
  EXPECT_EQ((*docs)[1].source_url, "");
  auto one = store->Document((*docs)[0].id);
  ASSERT_TRUE(one.ok()) << one.status().message();
  EXPECT_EQ(one->source_url, (*docs)[0].source_url);
  EXPECT_EQ(one->date, (*docs)[0].date);
}

TEST_F(StoreTest, ADocumentAddedRestrictedIsRestrictedByTheTransactionThatStoresIt) {
  auto store = OpenWithTreaties();
  ASSERT_TRUE(store);
  store->SetAuditOrigin("cli", "octopus ingest --restricted field-notes.txt");
  DocumentRow doc = Doc("field-notes.txt");
  doc.restricted = true;
  SourceInfo src = Source("sha-restricted", "field-notes.txt");
  src.kind = "document";
  ASSERT_TRUE(store->AddDocument(src, doc, {}, {}).ok());
  SourceInfo open_src = Source("sha-public", "bulletin.txt");
  open_src.kind = "document";
  ASSERT_TRUE(store->AddDocument(open_src, Doc("bulletin.txt"), {}, {}).ok());

  auto docs = store->Documents();
  ASSERT_TRUE(docs.ok());
  ASSERT_EQ(docs->size(), 2u);
  const std::string id = std::to_string((*docs)[0].id);
  auto restricted = store->Restrictions();
  ASSERT_TRUE(restricted.ok()) << restricted.status().message();
  ASSERT_EQ(restricted->size(), 1u) << "only the document added restricted";
  EXPECT_EQ((*restricted)[0].subject, "document");
  EXPECT_EQ((*restricted)[0].ref, id);
  AuditQuery q;
  q.entity = "document:" + id;
  auto audit = store->Audit(q);
  ASSERT_TRUE(audit.ok());
  std::set<std::string> actions;
  for (const AuditEntry& e : *audit) {
    actions.insert(e.action);
    EXPECT_EQ(e.origin, "octopus ingest --restricted field-notes.txt");
  }
  EXPECT_EQ(actions, (std::set<std::string>{"ingest", "restrict"}));
}

TEST_F(StoreTest, AddDocumentThatFailsHalfWayStoresNothing) {
  auto store = OpenWithTreaties();
  ASSERT_TRUE(store);
  auto sources_before = store->Sources();
  ASSERT_TRUE(sources_before.ok());
  // The second record's kind breaks the table's CHECK constraint.
  const std::vector<RecordRow> records = {{0, 0, "news_item", 1, "{}"},
                                          {0, 0, "no_such_kind", 2, "{}"}};
  SourceInfo src = Source("sha-doc-bad", "bad.html");
  src.kind = "document";
  auto added = store->AddDocument(src, Doc("bad.html"), records, {});
  EXPECT_FALSE(added.ok());

  auto has = store->HasSource("sha-doc-bad");
  auto docs = store->Documents();
  auto recs = store->Records("");
  auto sources_after = store->Sources();
  ASSERT_TRUE(has.ok() && docs.ok() && recs.ok() && sources_after.ok());
  EXPECT_FALSE(*has);
  EXPECT_TRUE(docs->empty());
  EXPECT_TRUE(recs->empty());
  EXPECT_EQ(sources_after->size(), sources_before->size());
  AuditQuery ingests;
  ingests.action = "ingest";
  auto audited = store->Audit(ingests);
  ASSERT_TRUE(audited.ok());
  EXPECT_TRUE(audited->empty());  // a change not stored is not in the audit either

  // Derived evidence naming an unknown treaty undoes the document too.
  domain::TreatyBatch derived;
  derived.evidence.push_back(
      Ev("ETS 999", "BJ", ActionKind::kAccession, std::nullopt, std::nullopt, 1));
  auto added2 = store->AddDocument(src, Doc("bad.html"), {{0, 0, "news_item", 1, "{}"}}, derived);
  EXPECT_FALSE(added2.ok());
  auto docs2 = store->Documents();
  ASSERT_TRUE(docs2.ok());
  EXPECT_TRUE(docs2->empty());
}

class KnowledgeStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    store_ = OpenWithTreaties();
    ASSERT_TRUE(store_);
    ASSERT_TRUE(test_support::AddRecordFixtures(*store_).ok());
    auto k = test_support::FixtureKnowledge(*store_);
    ASSERT_TRUE(k.ok()) << k.status().message();
    kb_ = std::move(*k);
  }

  void Put(const std::string& stamp = "stamp-1") {
    const Status st = store_->PutKnowledge(kb_, stamp);
    ASSERT_TRUE(st.ok()) << st.message();
  }

  EntityPage Find(const RecordQuery& q) {
    auto page = store_->FindEntities(q);
    EXPECT_TRUE(page.ok()) << page.status().message();
    return page.ok() ? *page : EntityPage{};
  }

  std::unique_ptr<Store> store_;
  kb::KnowledgeBase kb_;
};

void ExpectSameKnowledge(const kb::KnowledgeBase& got, const kb::KnowledgeBase& want) {
  ASSERT_EQ(got.entities.size(), want.entities.size());
  for (size_t i = 0; i < want.entities.size(); ++i) {
    const kb::Entity& g = got.entities[i];
    const kb::Entity& w = want.entities[i];
    SCOPED_TRACE(w.id);
    EXPECT_EQ(g.id, w.id);
    EXPECT_EQ(g.kind, w.kind);
    EXPECT_EQ(g.label, w.label);
    ASSERT_EQ(g.claims.size(), w.claims.size());
    for (size_t c = 0; c < w.claims.size(); ++c) {
      const kb::Claim& gc = g.claims[c];
      const kb::Claim& wc = w.claims[c];
      EXPECT_GT(gc.id, 0);
      EXPECT_EQ(gc.entity_id, w.id);
      EXPECT_EQ(gc.field, wc.field);
      EXPECT_EQ(gc.value, wc.value);
      EXPECT_EQ(gc.rule, wc.rule);
      EXPECT_EQ(gc.source.document_id, wc.source.document_id);
      EXPECT_EQ(gc.source.record_id, wc.source.record_id);
      EXPECT_EQ(gc.source.line, wc.source.line);
      EXPECT_EQ(gc.source.quote, wc.source.quote);
      EXPECT_EQ(gc.source.stated_on, wc.source.stated_on);
      EXPECT_EQ(gc.source.section, wc.source.section);
      EXPECT_EQ(gc.source.document_label, wc.source.document_label);
    }
    ASSERT_EQ(g.fields.size(), w.fields.size());
    for (size_t f = 0; f < w.fields.size(); ++f) {
      EXPECT_EQ(g.fields[f].name, w.fields[f].name);
      EXPECT_EQ(g.values(g.fields[f].name), w.values(w.fields[f].name));
    }
  }
}

TEST_F(KnowledgeStoreTest, EntitiesAndClaimsRoundTripWithEverySourceField) {
  auto before = store_->KnowledgeStamp();
  ASSERT_TRUE(before.ok()) << before.status().message();
  EXPECT_EQ(*before, "");
  auto empty = store_->Knowledge();
  ASSERT_TRUE(empty.ok()) << empty.status().message();
  EXPECT_TRUE(empty->entities.empty());

  // One claim with a history and a conflict; one with no record and no document.
  kb::Entity& glacy = kb_.entities[static_cast<size_t>(
      std::find_if(kb_.entities.begin(), kb_.entities.end(),
                   [](const kb::Entity& e) { return e.id == "glacy-plus"; }) -
      kb_.entities.begin())];
  kb::Claim revised = glacy.claims.front();
  revised.field = "budget_amount";
  revised.value = "19500000";
  revised.source.stated_on = "2024-01-15";
  revised.source.section = "projects";
  revised.source.quote = "a revised budget of EUR 19.5 million";
  revised.rule = "project name";
  glacy.claims.push_back(revised);
  kb::Claim unsourced = revised;
  unsourced.field = "aliases";
  unsourced.value = "GLACY Plus";
  unsourced.source = {0, 0, 0, "", "", "", "data/projects.csv", "", 0};
  unsourced.rule = "project alias 'GLACY Plus'";
  glacy.claims.push_back(unsourced);
  kb::Derive(glacy);
  Put("stamp-1");

  auto got = store_->Knowledge();
  ASSERT_TRUE(got.ok()) << got.status().message();
  ExpectSameKnowledge(*got, kb_);
  const kb::Entity* g = got->Find("glacy-plus");
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->value("budget_amount"), "19500000");
  ASSERT_NE(g->field("budget_amount"), nullptr);
  ASSERT_EQ(g->field("budget_amount")->history.size(), 1u);
  EXPECT_EQ(g->field("budget_amount")->history[0].value, "18890000");
  EXPECT_EQ(g->values("aliases"), std::vector<std::string>{"GLACY Plus"});
  EXPECT_EQ(got->Referring(kb::Kind::kActivity, "projects", "glacy-plus").size(), 3u);
  // Kinds in their declared order, ids within a kind.
  EXPECT_EQ(got->entities.front().kind, kb::Kind::kProject);
  EXPECT_EQ(got->entities.back().kind, kb::Kind::kOrganisation);
  auto stamp = store_->KnowledgeStamp();
  ASSERT_TRUE(stamp.ok());
  EXPECT_EQ(*stamp, "stamp-1");

  // Putting again replaces, never adds.
  Put("stamp-2");
  auto again = store_->Knowledge();
  ASSERT_TRUE(again.ok());
  ExpectSameKnowledge(*again, kb_);
  EXPECT_EQ(*store_->KnowledgeStamp(), "stamp-2");
  RecordQuery all;
  EXPECT_EQ(Find(all).total, static_cast<int>(kb_.entities.size()));
}

TEST_F(KnowledgeStoreTest, AnEditsClaimKeepsItsAuthorAndChangeSet) {
  ChangeSet draft;
  draft.author = "ana@example.org";
  draft.values = {{0, "project", kb_.entities.front().id, "scope", "A scope only the edit states", std::nullopt}};
  auto stored = store_->AddDraft(draft, true, "test");
  ASSERT_TRUE(stored.ok()) << stored.status().message();
  kb::Claim c;
  c.entity_id = kb_.entities.front().id;
  c.field = "scope";
  c.value = "A scope only the edit states";
  c.source.stated_on = stored->reviewed_at;
  c.source.author = "ana@example.org";
  c.source.edit_id = stored->id;
  c.rule = "edited by ana@example.org";
  kb_.entities.front().claims.push_back(c);
  Put();
  auto back = store_->Knowledge();
  ASSERT_TRUE(back.ok()) << back.status().message();
  const kb::Entity* e = back->Find(c.entity_id);
  ASSERT_NE(e, nullptr);
  auto it = std::find_if(e->claims.begin(), e->claims.end(),
                         [&](const kb::Claim& x) { return x.value == c.value; });
  ASSERT_NE(it, e->claims.end());
  EXPECT_EQ(it->source.author, "ana@example.org");
  EXPECT_EQ(it->source.edit_id, stored->id);
  EXPECT_EQ(it->source.document_id, 0);
  // Claims of documents have neither.
  EXPECT_EQ(e->claims.front().source.edit_id, 0);
}

TEST_F(KnowledgeStoreTest, AFailingPutKnowledgeLeavesThePreviousKnowledge) {
  Put("good");
  auto good = store_->Knowledge();
  ASSERT_TRUE(good.ok());
  RecordQuery tonga;
  tonga.terms = {{"Tonga", false}};
  const int tonga_hits = Find(tonga).total;
  ASSERT_GT(tonga_hits, 0);

  // A claim citing a document the store does not hold, after every other write.
  kb::KnowledgeBase dangling = kb_;
  dangling.entities.back().claims.back().source.document_id = 987654;
  // Two entities with one id.
  kb::KnowledgeBase twice = kb_;
  twice.entities.push_back(twice.entities.front());
  kb::KnowledgeBase empty;
  for (const kb::KnowledgeBase* bad : {&dangling, &twice}) {
    const Status st = store_->PutKnowledge(*bad, "bad");
    EXPECT_FALSE(st.ok());
    auto now = store_->Knowledge();
    ASSERT_TRUE(now.ok());
    ExpectSameKnowledge(*now, *good);
    EXPECT_EQ(*store_->KnowledgeStamp(), "good");
    EXPECT_EQ(Find(tonga).total, tonga_hits);
  }
  // An empty knowledge base is a valid one.
  ASSERT_TRUE(store_->PutKnowledge(empty, "empty").ok());
  EXPECT_TRUE(store_->Knowledge()->entities.empty());
  EXPECT_EQ(Find(tonga).total, 0);
}

std::vector<std::string> Labels(const EntityPage& page) {
  std::vector<std::string> out;
  for (const EntityHit& h : page.hits) out.push_back(h.label);
  return out;
}

TEST_F(KnowledgeStoreTest, ARestrictedEntityIsLeftOutOfReadersResultsTotalsAndFacets) {
  for (kb::Entity& e : kb_.entities) {
    if (e.id == "iproceeds-2") e.restricted = true;
  }
  Put();
  auto loaded = store_->Knowledge();
  ASSERT_TRUE(loaded.ok());
  ASSERT_NE(loaded->Find("iproceeds-2"), nullptr);
  EXPECT_TRUE(loaded->Find("iproceeds-2")->restricted) << "kept in the store";
  RecordQuery q;
  q.terms = {{"Turkiye", false}};
  q.facets = {"kind"};
  const EntityPage reader = Find(q);
  q.visibility = kb::Visibility::kRestricted;
  const EntityPage practitioner = Find(q);
  EXPECT_EQ(practitioner.total, 4);
  EXPECT_EQ(reader.total, 3);
  ASSERT_EQ(reader.hits.size(), 3u);
  for (const EntityHit& h : reader.hits) EXPECT_NE(h.entity_id, "iproceeds-2");
  auto count_of = [](const EntityPage& page, const std::string& value) {
    for (const auto& [facet, counts] : page.facets) {
      for (const FacetCount& c : counts) {
        if (facet == "kind" && c.value == value) return c.count;
      }
    }
    return 0;
  };
  EXPECT_EQ(count_of(practitioner, "project"), 1);
  EXPECT_EQ(count_of(reader, "project"), 0);
  RecordQuery by_filter;
  by_filter.filters = {{"project", "iproceeds-2"}};
  EXPECT_EQ(Find(by_filter).hits.size(), static_cast<size_t>(Find(by_filter).total));
}

TEST_F(KnowledgeStoreTest, TheTextOfARestrictedDocumentIsNotIndexedForReaders) {
  // A claim of a restricted document on a public entity: its words are not
  // found by readers, nor shown in snippets.
  for (kb::Entity& e : kb_.entities) {
    if (e.id != "iproceeds-2") continue;
    kb::Claim c = e.claims.front();
    c.field = "scope";
    c.value = "Zyzzogeton confidential remarks";
    c.source.stated_on = "2099-01-01";
    c.source.restricted = true;
    e.claims.push_back(c);
    kb::Derive(e);
  }
  Put();
  RecordQuery q;
  q.terms = {{"Zyzzogeton", false}};
  EXPECT_EQ(Find(q).total, 0);
  q.terms = {{"Turkiye", false}};
  for (const EntityHit& h : Find(q).hits) EXPECT_EQ(h.snippet.find("Zyzzogeton"), std::string::npos);
  auto loaded = store_->Knowledge();
  ASSERT_TRUE(loaded.ok());
  const kb::Entity* e = loaded->Find("iproceeds-2");
  ASSERT_NE(e, nullptr);
  EXPECT_TRUE(std::any_of(e->claims.begin(), e->claims.end(), [](const kb::Claim& c) { return c.source.restricted; }));
}

TEST_F(KnowledgeStoreTest, RestrictionsAreALogWithTheirAuditAndTheLatestStateCounts) {
  auto docs = store_->Documents();
  ASSERT_TRUE(docs.ok() && !docs->empty());
  const std::string doc = std::to_string(docs->front().id);
  EXPECT_EQ(*store_->LastRestrictionId(), 0);
  ASSERT_TRUE(store_->SetRestricted({"document", doc}, true, "cli", "octopus restrict").ok());
  ASSERT_TRUE(store_->SetRestricted({"entity", "r1"}, true, "cli", "octopus restrict").ok());
  ASSERT_TRUE(store_->SetRestricted({"entity", "r1"}, false, "cli", "octopus release").ok());
  auto now = store_->Restrictions();
  ASSERT_TRUE(now.ok());
  ASSERT_EQ(now->size(), 1u);
  EXPECT_EQ((*now)[0].subject, "document");
  EXPECT_EQ((*now)[0].ref, doc);
  EXPECT_GT(*store_->LastRestrictionId(), 0);
  EXPECT_EQ(store_->SetRestricted({"document", "999999"}, true, "cli", "x").code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->SetRestricted({"document", "12abc"}, true, "cli", "x").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->SetRestricted({"user", "x"}, true, "cli", "x").code(), StatusCode::kInvalidArgument);
  AuditQuery q;
  q.entity = "entity:r1";
  auto audit = store_->Audit(q);
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 2u);
  EXPECT_EQ((*audit)[0].action, "release");
  EXPECT_EQ((*audit)[0].before, std::optional<std::string>("restricted"));
  EXPECT_EQ((*audit)[0].after, std::optional<std::string>("public"));
}

TEST_F(StoreTest, AContactIsKeptAsRevisionsAuditedAndGivenOnlyForRestrictedVisibility) {
  auto store = OpenWithTreaties();
  ASSERT_TRUE(store);
  CountryContact k;
  k.iso2 = "GE";
  k.authority = "Cybercrime Division";
  k.unit = "Duty desk";
  k.phone = "+995 32 000 0000";
  k.hours = "24/7";
  k.last_verified = "2026-11-20";
  k.source = "https://example.org/poc";
  k.author = "ed@example.org";
  auto first = store->AddCountryContact(k, "session 1");
  ASSERT_TRUE(first.ok()) << first.status().message();
  k.unit = "Night desk";
  ASSERT_TRUE(store->AddCountryContact(k, "session 2").ok());
  auto shown = store->CountryContactOf("GE", kb::Visibility::kRestricted);
  ASSERT_TRUE(shown.ok() && shown->has_value());
  EXPECT_EQ((*shown)->unit, "Night desk");
  EXPECT_EQ((*shown)->source, "https://example.org/poc");
  auto hidden = store->CountryContactOf("GE", kb::Visibility::kPublic);
  ASSERT_TRUE(hidden.ok());
  EXPECT_FALSE(hidden->has_value());
  EXPECT_FALSE(store->CountryContactOf("FR", kb::Visibility::kRestricted)->has_value());
  AuditQuery q;
  q.entity = "contact:GE";
  auto audit = store->Audit(q);
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 2u);
  EXPECT_EQ((*audit)[0].action, "contact.set");
  EXPECT_EQ((*audit)[0].origin, "session 2");
  ASSERT_TRUE((*audit)[0].before && (*audit)[0].after);
  EXPECT_NE((*audit)[0].before->find("Duty desk"), std::string::npos);
  EXPECT_NE((*audit)[0].after->find("Night desk"), std::string::npos);
  EXPECT_FALSE((*audit)[1].before.has_value());
  // Bad input: nothing stored.
  for (auto bad : {+[](CountryContact& c) { c.iso2 = "ge"; }, +[](CountryContact& c) { c.authority = " "; },
                   +[](CountryContact& c) { c.last_verified = "last week"; }, +[](CountryContact& c) { c.source = ""; },
                   +[](CountryContact& c) { c.phone = "1\n2"; }}) {
    CountryContact c = k;
    bad(c);
    EXPECT_EQ(store->AddCountryContact(c, "x").status().code(), StatusCode::kInvalidArgument);
  }
  EXPECT_EQ(store->Audit(q)->size(), 2u);
}

TEST_F(KnowledgeStoreTest, FindEntitiesRanksLabelsFirstAndMarksTheMatches) {
  Put();
  for (const char* word : {"Turkiye", "T\u00fcrkiye", "TURKIYE"}) {
    RecordQuery q;
    q.terms = {{word, false}};
    const EntityPage page = Find(q);
    // Two activities and a news item name it in their title, a project in its scope.
    ASSERT_EQ(page.total, 4) << word;
    ASSERT_EQ(page.hits.size(), 4u);
    EXPECT_EQ(page.hits.back().entity_id, "iproceeds-2") << word;
    EXPECT_EQ(page.hits.back().kind, kb::Kind::kProject);
    EXPECT_NE(page.hits[0].title_marked.find(std::string(1, kMarkOpen)), std::string::npos);
    EXPECT_NE(page.hits.back().snippet.find(std::string(1, kMarkOpen) + "T"), std::string::npos);
  }
  RecordQuery phrase;
  phrase.terms = {{"electronic evidence", false}};
  EXPECT_EQ(Find(phrase).total, 3);
  phrase.terms = {{"evidence electronic", false}};
  EXPECT_EQ(Find(phrase).total, 0);
  RecordQuery prefix;
  prefix.terms = {{"legisl", true}};
  EXPECT_EQ(Find(prefix).total, 3);
  // An organisation is found by its name.
  RecordQuery union_;
  union_.terms = {{"European Union", false}};
  union_.filters = {{"kind", "organisation"}};
  const EntityPage eu = Find(union_);
  ASSERT_EQ(eu.total, 1);
  EXPECT_EQ(eu.hits[0].entity_id, "european-union");
  for (const char* odd : {"\"", "AND", "title:x", "NEAR(a b)", "*", "-"}) {
    RecordQuery q;
    q.terms = {{odd, false}};
    EXPECT_TRUE(store_->FindEntities(q).ok()) << odd;
  }
}

TEST_F(KnowledgeStoreTest, CountriesAreFoundByTheirNamesAndLatestProfileAndOutliveARebuild) {
  Put();
  ASSERT_TRUE(store_->PutCountries({{"GE", "Georgia", {"G\u00e9orgie", "GEO"}},
                                    {"TR", "T\u00fcrkiye", {"Turquie", "TUR", "Turkey"}}})
                  .ok());
  auto search = [&](const std::string& word) {
    RecordQuery q;
    q.terms = {{word, false}};
    q.facets = {"kind"};
    return Find(q);
  };
  const EntityPage georgia = search("Georgia");
  ASSERT_EQ(georgia.total, 1);
  EXPECT_TRUE(georgia.hits[0].country);
  EXPECT_EQ(georgia.hits[0].entity_id, "GE");
  EXPECT_EQ(georgia.hits[0].label, "Georgia");
  ASSERT_EQ(georgia.facets[0].second.size(), 1u);
  EXPECT_EQ(georgia.facets[0].second[0].value, "country");
  EXPECT_EQ(search("Georgie").total, 1);  // another name, without its accent
  // Türkiye: the country and the entities naming it; the country's filter gives its count.
  const EntityPage turkiye = search("Turkiye");
  RecordQuery countries;
  countries.terms = {{"Turkiye", false}};
  countries.filters = {{"kind", "country"}};
  EXPECT_EQ(Find(countries).total, 1);
  int counted = 0;
  for (const FacetCount& f : turkiye.facets[0].second) counted += f.count;
  EXPECT_EQ(counted, turkiye.total);

  // The profile's latest text is searched, the one it replaced no longer.
  EXPECT_EQ(search("cassation").total, 0);
  ASSERT_TRUE(store_->AddProfileRevision("GE", "The court of cassation hears appeals.", "Ana", "").ok());
  EXPECT_EQ(search("cassation").total, 1);
  ASSERT_TRUE(store_->AddProfileRevision("GE", "Prosecutors handle electronic evidence.", "Ana", "").ok());
  EXPECT_EQ(search("cassation").total, 0);
  const EntityPage prosecutors = search("Prosecutors");
  EXPECT_TRUE(std::any_of(prosecutors.hits.begin(), prosecutors.hits.end(),
                          [](const EntityHit& h) { return h.country && h.entity_id == "GE"; }));
  // Rebuilding the entities leaves the countries.
  Put("stamp-2");
  EXPECT_EQ(search("Georgia").total, 1);
  // Replacing the countries replaces them.
  ASSERT_TRUE(store_->PutCountries({{"TR", "T\u00fcrkiye", {}}}).ok());
  EXPECT_EQ(search("Georgia").total, 0);
}

TEST_F(KnowledgeStoreTest, EntityFacetCountsEqualTheResultsTheirFilterGives) {
  Put();
  const std::vector<std::string> facets = {"kind", "country", "project", "year", "mode"};
  const std::vector<std::vector<std::pair<std::string, std::string>>> base_filters = {
      {}, {{"kind", "activity"}}, {{"country", "tr"}}, {{"project", "GLACY+"}, {"kind", "activity"}}};
  for (const auto& base : base_filters) {
    for (const char* text : {"", "cybercrime"}) {
      RecordQuery q;
      if (*text) q.terms = {{text, false}};
      q.filters = base;
      q.facets = facets;
      const EntityPage page = Find(q);
      ASSERT_EQ(page.facets.size(), facets.size());
      for (const auto& [facet, counts] : page.facets) {
        for (const FacetCount& c : counts) {
          RecordQuery narrowed = q;
          narrowed.facets.clear();
          std::erase_if(narrowed.filters, [&](const auto& f) { return f.first == facet; });
          narrowed.filters.emplace_back(facet, c.value);
          EXPECT_EQ(Find(narrowed).total, c.count) << facet << "=" << c.value << " over " << text;
          EXPECT_GT(c.count, 0);
        }
      }
    }
  }
  RecordQuery all;
  all.facets = {"kind", "project"};
  const EntityPage page = Find(all);
  // 3 projects, 6 activities, 4 news items, 2 organisations.
  EXPECT_EQ(page.total, 15);
  ASSERT_EQ(page.facets[0].second.size(), 4u);
  EXPECT_EQ(page.facets[0].second[0].value, "activity");
  EXPECT_EQ(page.facets[0].second[0].count, 6);
  // A project's facet value is its id, its label the project's name.
  bool saw_glacy = false;
  for (const FacetCount& c : page.facets[1].second) {
    if (c.value != "glacy-plus") continue;
    saw_glacy = true;
    EXPECT_EQ(c.label, "GLACY+");
    EXPECT_EQ(c.count, 4);  // three activities and the project
  }
  EXPECT_TRUE(saw_glacy);
  // The filter takes the id or the name, not another name.
  for (const char* name : {"glacy-plus", "glacy+", "GLACY+"}) {
    RecordQuery q;
    q.filters = {{"project", name}};
    EXPECT_EQ(Find(q).total, 4) << name;
  }
  RecordQuery other;
  other.filters = {{"project", "glacy"}};
  EXPECT_EQ(Find(other).total, 0);
  // Or by an alias the project's claims give it.
  for (kb::Entity& e : kb_.entities) {
    if (e.id != "glacy-plus") continue;
    kb::Claim alias = e.claims.front();
    alias.field = "aliases";
    alias.value = "GLACY Plus";
    e.claims.push_back(alias);
    kb::Derive(e);
  }
  Put("with-alias");
  RecordQuery by_alias;
  by_alias.filters = {{"project", "Glacy plus"}, {"kind", "activity"}};
  EXPECT_EQ(Find(by_alias).total, 3);
}

TEST_F(KnowledgeStoreTest, EntityDateWindowKeepsActivitiesThatMayFallWithinIt) {
  Put();
  RecordQuery q;
  q.filters = {{"kind", "activity"}};
  q.order = RecordQuery::Order::kOldest;
  q.from = "2023-10-01";
  q.to = "2023-11-30";
  // "By October", mid-November, and 29 November – 1 December; not the TBC one.
  EXPECT_EQ(Labels(Find(q)),
            (std::vector<std::string>{"Advisory mission on cybercrime legislation",
                                      "Support to the 24/7 point of contact",
                                      "Regional workshop on cybercrime and electronic evidence"}));
  q.from = q.to = "";
  EXPECT_EQ(Labels(Find(q)).back(), "Regional conference on international cooperation");
  q.order = RecordQuery::Order::kNewest;
  q.limit = 2;
  q.offset = 1;
  const EntityPage newest = Find(q);
  EXPECT_EQ(newest.total, 6);
  EXPECT_EQ(Labels(newest), (std::vector<std::string>{"Support to the 24/7 point of contact",
                                                      "Advisory mission on cybercrime legislation"}));
}

// The order, snippets, total and facet counts of the statements a search ran
// before the memory index (every condition in one SQL statement per
// measure), for queries of words without filters: what FindEntities must
// still give.
struct OneStatementPage {
  int total = 0;
  std::vector<std::tuple<std::string, std::string, std::string>> hits;  // id, snippet, title
  std::map<std::string, std::vector<std::tuple<std::string, int, std::string>>> facets;
};

OneStatementPage ByOneStatement(SqliteConnection& conn, const RecordQuery& q,
                                const std::vector<std::string>& facets) {
  OneStatementPage out;
  std::string match;
  for (const SearchTerm& t : q.terms) match += (match.empty() ? "\"" : " \"") + t.text + "\"";
  const std::string where =
      std::string(q.visibility == kb::Visibility::kRestricted
                      ? " WHERE 1 = 1"
                      : " WHERE e.id NOT IN (SELECT entry FROM entry_restrictions)") +
      " AND e.id IN (SELECT rowid FROM entity_text WHERE entity_text MATCH ?)";
  auto n = conn.Query("SELECT count(*) FROM entity_entries e" + where, {match});
  EXPECT_TRUE(n.ok());
  if (n.ok()) out.total = static_cast<int>(AsInt((*n)[0][0]));
  const char* order = q.order == RecordQuery::Order::kRank
                          ? " ORDER BY bm25(entity_text, 5.0, 1.0), e.entity_id"
                          : q.order == RecordQuery::Order::kOldest
                                ? " ORDER BY e.sort_date = '', e.sort_date, e.entity_id"
                                : " ORDER BY e.sort_date DESC, e.entity_id DESC";
  auto rows = conn.Query(
      "SELECT e.entity_id, snippet(entity_text, 1, char(2), char(3), '\u2026', 24), "
      "highlight(entity_text, 0, char(2), char(3)) "
      "FROM entity_text JOIN entity_entries e ON e.id = entity_text.rowid" +
          where + " AND entity_text MATCH ?" + order + " LIMIT ? OFFSET ?",
      {match, match, int64_t{q.limit}, int64_t{q.offset}});
  EXPECT_TRUE(rows.ok());
  if (rows.ok()) {
    for (const Row& r : *rows) out.hits.emplace_back(AsText(r[0]), AsText(r[1]), AsText(r[2]));
  }
  for (const std::string& facet : facets) {
    auto counts = conn.Query(
        "SELECT min(f.value), count(*), min(f.label) FROM entity_facets f "
        "JOIN entity_entries e ON e.id = f.entry" +
            where + " AND f.facet = ? GROUP BY f.key ORDER BY count(*) DESC, f.key LIMIT 100",
        {match, facet});
    EXPECT_TRUE(counts.ok());
    if (!counts.ok()) continue;
    for (const Row& r : *counts) {
      out.facets[facet].emplace_back(AsText(r[0]), static_cast<int>(AsInt(r[1])), AsText(r[2]));
    }
  }
  return out;
}

TEST_F(KnowledgeStoreTest, SearchGivesTheOrderSnippetsTotalsAndCountsOfOneStatementPerMeasure) {
  for (kb::Entity& e : kb_.entities) {
    if (e.id == "iproceeds-2") e.restricted = true;
  }
  Put();
  auto conn = Raw();
  ASSERT_TRUE(conn);
  const std::vector<std::string> facets = {"kind", "country", "project", "year", "mode"};
  int compared = 0;
  for (const char* word : {"cybercrime", "Turkiye", "workshop", "evidence", "the"}) {
    for (auto order : {RecordQuery::Order::kRank, RecordQuery::Order::kNewest, RecordQuery::Order::kOldest}) {
      for (auto visibility : {kb::Visibility::kPublic, kb::Visibility::kRestricted}) {
        for (int offset : {0, 2}) {
          RecordQuery q;
          q.terms = {{word, false}};
          q.order = order;
          q.visibility = visibility;
          q.limit = 3;
          q.offset = offset;
          q.facets = facets;
          const EntityPage page = Find(q);
          const OneStatementPage want = ByOneStatement(*conn, q, facets);
          SCOPED_TRACE(std::string(word) + " order " + std::to_string(static_cast<int>(order)) +
                       " offset " + std::to_string(offset));
          EXPECT_EQ(page.total, want.total);
          ASSERT_EQ(page.hits.size(), want.hits.size());
          for (size_t i = 0; i < want.hits.size(); ++i) {
            EXPECT_EQ(page.hits[i].entity_id, std::get<0>(want.hits[i]));
            EXPECT_EQ(page.hits[i].snippet, std::get<1>(want.hits[i]));
            EXPECT_EQ(page.hits[i].title_marked, std::get<2>(want.hits[i]));
          }
          ASSERT_EQ(page.facets.size(), facets.size());
          for (const auto& [facet, counts] : page.facets) {
            auto it = want.facets.find(facet);
            const size_t expected = it == want.facets.end() ? 0 : it->second.size();
            ASSERT_EQ(counts.size(), expected) << facet;
            for (size_t i = 0; i < counts.size(); ++i) {
              EXPECT_EQ(counts[i].value, std::get<0>(it->second[i])) << facet;
              EXPECT_EQ(counts[i].count, std::get<1>(it->second[i])) << facet;
              EXPECT_EQ(counts[i].label, std::get<2>(it->second[i])) << facet;
            }
          }
          compared += want.total > 0 ? 1 : 0;
        }
      }
    }
  }
  EXPECT_GT(compared, 40) << "most of the queries find something";
}

TEST_F(KnowledgeStoreTest, AQueryWithNoHitGivesNoResultNoTotalAndEmptyFacets) {
  Put();
  RecordQuery q;
  q.terms = {{"quokkaphone", false}, {"marmalade", false}};
  q.facets = {"kind", "country", "year"};
  const EntityPage page = Find(q);
  EXPECT_EQ(page.total, 0);
  EXPECT_TRUE(page.hits.empty());
  ASSERT_EQ(page.facets.size(), 3u);
  for (const auto& [facet, counts] : page.facets) EXPECT_TRUE(counts.empty()) << facet;
  q.terms = {{"quokka", true}};
  EXPECT_EQ(Find(q).total, 0);
}

TEST_F(KnowledgeStoreTest, ARareWordFindsExactlyTheEntitiesThatHoldIt) {
  std::set<std::string> holders;
  for (kb::Entity& e : kb_.entities) {
    if (e.kind != kb::Kind::kActivity || holders.size() == 2) continue;
    kb::Claim c = e.claims.front();
    c.field = "scope";
    c.value = "notes on the axolotl tabletop exercise";
    e.claims.push_back(c);
    kb::Derive(e);
    holders.insert(e.id);
  }
  ASSERT_EQ(holders.size(), 2u);
  Put();
  RecordQuery q;
  q.terms = {{"axolotl", false}};
  q.facets = {"kind"};
  const EntityPage page = Find(q);
  EXPECT_EQ(page.total, 2);
  std::set<std::string> found;
  for (const EntityHit& h : page.hits) {
    found.insert(h.entity_id);
    EXPECT_NE(h.snippet.find(std::string(1, kMarkOpen) + "axolotl"), std::string::npos) << h.snippet;
  }
  EXPECT_EQ(found, holders);
  ASSERT_EQ(page.facets.size(), 1u);
  ASSERT_EQ(page.facets[0].second.size(), 1u);
  EXPECT_EQ(page.facets[0].second[0].value, "activity");
  EXPECT_EQ(page.facets[0].second[0].count, 2);
}

TEST_F(KnowledgeStoreTest, EveryFacetCountEqualsItsFilteredTotalAndReadersNeverCountRestrictedEntries) {
  std::set<std::string> restricted;
  for (kb::Entity& e : kb_.entities) {
    if (e.id == "iproceeds-2" || (e.kind == kb::Kind::kActivity && restricted.size() < 2)) {
      e.restricted = true;
      restricted.insert(e.id);
    }
  }
  Put();
  const std::vector<std::string> facets = {"kind", "country", "project", "year", "mode"};
  for (auto visibility : {kb::Visibility::kPublic, kb::Visibility::kRestricted}) {
    for (const char* word : {"", "cybercrime", "workshop"}) {
      RecordQuery q;
      if (*word) q.terms = {{word, false}};
      q.facets = facets;
      q.visibility = visibility;
      q.limit = 1000;
      const EntityPage page = Find(q);
      int restricted_hits = 0;
      for (const EntityHit& h : page.hits) restricted_hits += restricted.count(h.entity_id) ? 1 : 0;
      if (visibility == kb::Visibility::kPublic) {
        EXPECT_EQ(restricted_hits, 0) << word;
      }
      int kinds = 0;
      for (const auto& [facet, counts] : page.facets) {
        for (const FacetCount& c : counts) {
          if (facet == "kind") kinds += c.count;
          RecordQuery narrowed = q;
          narrowed.facets.clear();
          narrowed.filters = {{facet, c.value}};
          const EntityPage n = Find(narrowed);
          EXPECT_EQ(n.total, c.count) << facet << "=" << c.value << " over '" << word << "'";
          EXPECT_EQ(static_cast<int>(n.hits.size()), c.count);
          if (visibility == kb::Visibility::kPublic) {
            for (const EntityHit& h : n.hits) EXPECT_EQ(restricted.count(h.entity_id), 0u) << h.entity_id;
          }
        }
      }
      EXPECT_EQ(kinds, page.total) << "every entity has one kind";
    }
  }
  RecordQuery everything;
  const int readers = Find(everything).total;
  everything.visibility = kb::Visibility::kRestricted;
  EXPECT_EQ(Find(everything).total, readers + static_cast<int>(restricted.size()));
}

TEST_F(KnowledgeStoreTest, SearchFollowsEachPutKnowledgeRestrictionAndRelease) {
  Put();
  RecordQuery q;
  q.terms = {{"Turkiye", false}};
  q.facets = {"kind"};
  const EntityPage before = Find(q);
  ASSERT_GT(before.total, 1);
  const std::string first = before.hits.front().entity_id;
  // Restricted, under the same stamp: the next query already leaves it out.
  for (kb::Entity& e : kb_.entities) {
    if (e.id == first) e.restricted = true;
  }
  Put();
  const EntityPage restricted = Find(q);
  EXPECT_EQ(restricted.total, before.total - 1);
  for (const EntityHit& h : restricted.hits) EXPECT_NE(h.entity_id, first);
  int counted = 0;
  for (const FacetCount& c : restricted.facets[0].second) counted += c.count;
  EXPECT_EQ(counted, restricted.total);
  // Released: found again, and counted.
  for (kb::Entity& e : kb_.entities) {
    if (e.id == first) e.restricted = false;
  }
  Put("stamp-2");
  const EntityPage released = Find(q);
  EXPECT_EQ(released.total, before.total);
  EXPECT_EQ(released.hits.front().entity_id, first);
  // Gone from the knowledge: gone from the search.
  std::erase_if(kb_.entities, [&](const kb::Entity& e) { return e.id == first; });
  Put("stamp-3");
  EXPECT_EQ(Find(q).total, before.total - 1);
  // Another connection's rebuild is seen too.
  auto other = OpenStore(db_);
  ASSERT_TRUE(other.ok());
  auto full = test_support::FixtureKnowledge(*store_);
  ASSERT_TRUE(full.ok());
  ASSERT_TRUE((*other)->PutKnowledge(*full, "stamp-4").ok());
  EXPECT_EQ(Find(q).total, before.total);
}

TEST_F(StoreTest, RecordAndDocumentLookupsAndNotFound) {
  auto store = OpenWithTreaties();
  ASSERT_TRUE(store);
  ASSERT_TRUE(test_support::AddRecordFixtures(*store).ok());
  auto news = store->Records("news_item");
  ASSERT_TRUE(news.ok());
  auto one = store->Record(news->front().id);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->fields_json, news->front().fields_json);
  auto doc = store->Document(one->document_id);
  ASSERT_TRUE(doc.ok());
  EXPECT_EQ(doc->path, "seeds/000_news.txt");
  auto of_doc = store->DocumentRecords(doc->id);
  ASSERT_TRUE(of_doc.ok());
  EXPECT_EQ(of_doc->size(), test_support::NewsPageRecords().size());
  EXPECT_EQ(store->Record(99999).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store->Document(99999).status().code(), StatusCode::kNotFound);
}

TEST_F(StoreTest, MigratingFromVersion6DropsWhatTheShippedTreatyFilesGaveSoTheyAreReadAgain) {
  {
    auto store = OpenWithTreaties();
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->AddBatch(Source("sha-shipped", "data/treaties/coe185.csv"), FullBatch()).ok());
    ASSERT_TRUE(store->AddBatch(Source("sha-mine", "my-chart.csv"), FullBatch()).ok());
  }
  ASSERT_TRUE(Raw()->ExecScript("DELETE FROM schema_migrations WHERE version >= 7").ok());
  auto store = OpenStore(db_);
  ASSERT_TRUE(store.ok()) << store.status().message();
  auto shipped = (*store)->HasSource("sha-shipped");
  auto mine = (*store)->HasSource("sha-mine");
  auto rules = (*store)->HasSource("rules-sha");
  ASSERT_TRUE(shipped.ok() && mine.ok() && rules.ok());
  EXPECT_FALSE(*shipped);
  EXPECT_TRUE(*mine);
  EXPECT_TRUE(*rules);
  auto data = (*store)->Registry("ETS 185");
  ASSERT_TRUE(data.ok());
  // What the user's own import gave is still there, once.
  ExpectSameRegistry(*data, FullBatch());
}

TEST_F(StoreTest, MigratingFromVersion7AddsTheFlagTableAndReadsTheShippedFilesAgain) {
  {
    auto store = OpenWithTreaties();
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->AddBatch(Source("sha-shipped", "data/treaties/coe185.csv"), FullBatch()).ok());
    ASSERT_TRUE(store->AddBatch(Source("sha-mine", "my-chart.csv"), FullBatch()).ok());
  }
  // A database of version 7: no flag table yet.
  ASSERT_TRUE(Raw()->ExecScript("DELETE FROM schema_migrations WHERE version >= 8; DROP TABLE treaty_flags").ok());
  auto store = OpenStore(db_);
  ASSERT_TRUE(store.ok()) << store.status().message();
  auto shipped = (*store)->HasSource("sha-shipped");
  auto mine = (*store)->HasSource("sha-mine");
  ASSERT_TRUE(shipped.ok() && mine.ok());
  EXPECT_FALSE(*shipped);
  EXPECT_TRUE(*mine);
  auto data = (*store)->Registry("ETS 185");
  ASSERT_TRUE(data.ok()) << data.status().message();
  // The user's import keeps its evidence; a file imported now keeps its flags.
  EXPECT_EQ(data->evidence.size(), FullBatch().evidence.size());
  EXPECT_TRUE(data->flags.empty());
  ASSERT_TRUE((*store)->AddBatch(Source("sha-again", "data/treaties/coe185.csv"), FullBatch()).ok());
  auto again = (*store)->Registry("ETS 185");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->flags.size(), FullBatch().flags.size());
}

TEST_F(StoreTest, SubscribersArePendingUntilConfirmedAndLeaveByTheirOwnSingleUseTokens) {
  auto s = OpenStore(db_);
  ASSERT_TRUE(s.ok()) << s.status().message();
  Store& store = **s;
  auto a = store.AddSubscriber("a@example.org", "token-a", "leave-a", "2999-01-01T00:00:00Z");
  ASSERT_TRUE(a.ok()) << a.status().message();
  EXPECT_EQ(a->status, "pending");
  EXPECT_EQ(a->unsubscribe_token, "leave-a");
  EXPECT_EQ(a->token_expires_at, "2999-01-01T00:00:00Z");
  EXPECT_FALSE(a->created_at.empty());
  EXPECT_FALSE(a->confirmed_at.has_value());
  ASSERT_TRUE(store.AddSubscriber("b@example.org", "token-b", "leave-b", "").ok());

  // The unsubscribe token does not confirm.
  EXPECT_EQ(store.SetSubscriberStatus("leave-a", "confirmed").status().code(),
            StatusCode::kNotFound);
  auto confirmed = store.SetSubscriberStatus("token-a", "confirmed");
  ASSERT_TRUE(confirmed.ok()) << confirmed.status().message();
  EXPECT_EQ(confirmed->email, "a@example.org");
  EXPECT_TRUE(confirmed->confirmed_at.has_value());
  EXPECT_NE(confirmed->token, "token-a");
  auto list = store.Subscribers("confirmed");
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->front().unsubscribe_token, "leave-a");
  // Used once.
  EXPECT_EQ(store.SetSubscriberStatus("token-a", "confirmed").status().code(),
            StatusCode::kNotFound);

  // Subscribing a confirmed address again changes nothing.
  auto again = store.AddSubscriber("a@example.org", "token-a2", "leave-a2", "");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->status, "confirmed");
  EXPECT_EQ(again->unsubscribe_token, "leave-a");

  // The confirmation token does not unsubscribe; the unsubscribe one does, once.
  EXPECT_EQ(store.SetSubscriberStatus("token-b", "unsubscribed").status().code(),
            StatusCode::kNotFound);
  auto gone = store.SetSubscriberStatus("leave-a", "unsubscribed");
  ASSERT_TRUE(gone.ok());
  EXPECT_TRUE(gone->unsubscribed_at.has_value());
  EXPECT_TRUE(store.Subscribers("confirmed")->empty());
  EXPECT_EQ(store.SetSubscriberStatus("leave-a", "unsubscribed").status().code(),
            StatusCode::kNotFound);
  // Coming back after leaving starts a new pending subscription with new tokens.
  auto back = store.AddSubscriber("a@example.org", "token-a3", "leave-a3", "");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->status, "pending");
  EXPECT_EQ(back->token, "token-a3");
  EXPECT_FALSE(back->unsubscribed_at.has_value());
  EXPECT_EQ(store.Subscribers("")->size(), 2u);
  EXPECT_EQ(store.SetSubscriberStatus("token-b", "deleted").status().code(),
            StatusCode::kInvalidArgument);
}

TEST_F(StoreTest, AnExpiredConfirmationTokenConfirmsNothing) {
  auto s = OpenStore(db_);
  ASSERT_TRUE(s.ok()) << s.status().message();
  ASSERT_TRUE((*s)->AddSubscriber("late@example.org", "token-late", "leave-late",
                                  "2000-01-01T00:00:00Z")
                  .ok());
  EXPECT_EQ((*s)->SetSubscriberStatus("token-late", "confirmed").status().code(),
            StatusCode::kNotFound);
}

TEST_F(StoreTest, TheOutboxKeepsEachMessageOnceUntilSentOrGivenUp) {
  auto s = OpenStore(db_);
  ASSERT_TRUE(s.ok()) << s.status().message();
  Store& store = **s;
  OutboxMessage m;
  m.kind = "confirmation";
  m.recipient = "a@example.org";
  m.message = "Subject: x\r\n\r\nbody\r\n";
  m.dedup_key = "confirm:1:t";
  ASSERT_TRUE(*store.EnqueueMail(m));
  EXPECT_FALSE(*store.EnqueueMail(m));  // the same key again: not queued
  m.dedup_key = "confirm:2:t";
  m.recipient = "b@example.org";
  m.next_attempt_at = "2999-01-01T00:00:00Z";
  ASSERT_TRUE(*store.EnqueueMail(m));
  EXPECT_EQ(*store.OutboxDepth(), 2);

  const std::string now = "2100-01-01T00:00:00Z";
  auto due = store.DueMail(now, 10);
  ASSERT_TRUE(due.ok()) << due.status().message();
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ(due->front().recipient, "a@example.org");
  const int64_t id = due->front().id;
  ASSERT_TRUE(*store.MarkMailAttempt(id, 0, "2100-01-01T00:01:00Z"));
  // A second sender that read the same row cannot claim it too.
  EXPECT_FALSE(*store.MarkMailAttempt(id, 0, "2100-01-01T00:01:30Z"));
  EXPECT_TRUE(store.DueMail(now, 10)->empty());  // its next attempt is later
  ASSERT_TRUE(store.MarkMailFailed(id, "relay down", false).ok());
  auto retry = store.DueMail("2100-01-01T00:02:00Z", 10);
  ASSERT_EQ(retry->size(), 1u);
  EXPECT_EQ(retry->front().attempts, 1);
  EXPECT_EQ(retry->front().last_error, "relay down");
  ASSERT_TRUE(store.MarkMailSent(id).ok());
  EXPECT_FALSE(*store.MarkMailAttempt(id, 1, "2100-01-01T00:03:00Z"));  // sent: not claimed
  EXPECT_TRUE(store.DueMail("2100-01-01T00:02:00Z", 10)->empty());
  EXPECT_EQ(*store.OutboxDepth(), 1);
  // Survives reopening; a message given up is no longer due.
  s->reset();
  auto reopened = OpenStore(db_);
  ASSERT_TRUE(reopened.ok());
  auto later = (*reopened)->DueMail("3000-01-01T00:00:00Z", 10);
  ASSERT_EQ(later->size(), 1u);
  ASSERT_TRUE((*reopened)->MarkMailFailed(later->front().id, "no such user", true).ok());
  EXPECT_EQ(*(*reopened)->OutboxDepth(), 0);
}

TEST_F(StoreTest, IntegrityCheckIsOkOnASeededDatabase) {
  {
    auto s = OpenWithTreaties();
    ASSERT_NE(s, nullptr);
    ASSERT_TRUE(octopus::test_support::AddRecordFixtures(*s).ok());
  }
  auto raw = Raw();
  ASSERT_NE(raw, nullptr);
  auto rows = raw->Query("PRAGMA integrity_check", {});
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ(AsText((*rows)[0][0]), "ok");
}

TEST_F(StoreTest, ProfileRevisionsRoundTripNewestFirstPerCountry) {
  auto s = OpenStore(db_);
  ASSERT_TRUE(s.ok()) << s.status().message();
  Store& store = **s;
  auto first = store.AddProfileRevision("FR", "# France\n\nFirst text.\n", "Ana", "initial");
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(first->number, 1);
  EXPECT_EQ(first->iso2, "FR");
  EXPECT_FALSE(first->created_at.empty());
  ASSERT_TRUE(store.AddProfileRevision("DE", "Germany.", "Ben", "").ok());
  auto second = store.AddProfileRevision("FR", "Second text.", "Chloé", "update after ratification");
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_EQ(second->number, 2);

  auto fr = store.ProfileRevisions("FR");
  ASSERT_TRUE(fr.ok()) << fr.status().message();
  ASSERT_EQ(fr->size(), 2u);
  EXPECT_EQ((*fr)[0].markdown, "Second text.");
  EXPECT_EQ((*fr)[0].author, "Chloé");
  EXPECT_EQ((*fr)[0].note, "update after ratification");
  EXPECT_EQ((*fr)[0].number, 2);
  EXPECT_EQ((*fr)[1].markdown, "# France\n\nFirst text.\n");
  EXPECT_EQ((*fr)[1].author, "Ana");
  EXPECT_EQ((*fr)[1].number, 1);

  auto de = store.ProfileRevisions("DE");
  ASSERT_TRUE(de.ok());
  ASSERT_EQ(de->size(), 1u);
  EXPECT_EQ(de->front().markdown, "Germany.");
  auto last = store.LastProfileRevisionId();
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(*last, second->id);
  auto none = store.ProfileRevisions("IT");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_F(StoreTest, AnEmptyProfileRevisionIsRefusedAndNothingIsStored) {
  auto s = OpenStore(db_);
  ASSERT_TRUE(s.ok()) << s.status().message();
  auto empty = (*s)->AddProfileRevision("FR", "", "Ana", "");
  EXPECT_FALSE(empty.ok());
  auto fr = (*s)->ProfileRevisions("FR");
  ASSERT_TRUE(fr.ok());
  EXPECT_TRUE(fr->empty());
}


TEST_F(StoreTest, UsersRoundTripAndAnEmailHasOneAccount) {
  auto s = OpenStore(db_);
  ASSERT_TRUE(s.ok()) << s.status().message();
  Store& store = **s;
  User ana;
  ana.email = "ana@example.org";
  ana.role = "editor";
  auto added = store.AddUser(ana);
  ASSERT_TRUE(added.ok()) << added.status().message();
  EXPECT_GT(added->id, 0);
  EXPECT_FALSE(added->created_at.empty());
  EXPECT_EQ(store.AddUser(ana).status().code(), StatusCode::kConflict);
  ana.role = "owner";
  EXPECT_EQ(store.AddUser(ana).status().code(), StatusCode::kInvalidArgument);

  User changed = *added;
  changed.role = "administrator";
  changed.password_hash = "$argon2id$v=19$m=65536,t=2,p=1$x$y";
  changed.disabled = true;
  changed.totp_secret = "ABCDEF";
  ASSERT_TRUE(store.UpdateUser(changed).ok());
  auto read = store.UserByEmail("ana@example.org");
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read->role, "administrator");
  EXPECT_EQ(read->password_hash, changed.password_hash);
  EXPECT_TRUE(read->disabled);
  EXPECT_EQ(read->totp_secret, "ABCDEF");
  EXPECT_EQ(store.UserByEmail("bob@example.org").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store.Users()->size(), 1u);
}

TEST_F(StoreTest, AnAccountTokenIsUsedOnce) {
  auto s = OpenStore(db_);
  ASSERT_TRUE(s.ok()) << s.status().message();
  Store& store = **s;
  User ana;
  ana.email = "ana@example.org";
  ana.role = "reader";
  auto user = store.AddUser(ana);
  AccountToken t;
  t.user_id = user->id;
  t.token_hash = "hash-1";
  t.purpose = "reset";
  t.expires_at = "2024-06-01T13:00:00Z";
  auto stored = store.AddAccountToken(t);
  ASSERT_TRUE(stored.ok()) << stored.status().message();
  EXPECT_EQ(*store.UseAccountToken(stored->id, "2024-06-01T12:10:00Z"), true);
  EXPECT_EQ(*store.UseAccountToken(stored->id, "2024-06-01T12:20:00Z"), false);
  EXPECT_EQ(store.AccountTokenByHash("hash-1")->used_at, "2024-06-01T12:10:00Z");
  t.purpose = "login";
  EXPECT_EQ(store.AddAccountToken(t).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(StoreTest, SessionsEndOneByOneOrAllForAUser) {
  auto s = OpenStore(db_);
  ASSERT_TRUE(s.ok()) << s.status().message();
  Store& store = **s;
  User ana;
  ana.email = "ana@example.org";
  ana.role = "editor";
  auto user = store.AddUser(ana);
  SessionRow row;
  row.user_id = user->id;
  row.created_at = row.last_seen_at = "2024-06-01T12:00:00Z";
  row.csrf_token = "csrf";
  row.id_hash = "h1";
  auto one = store.AddSession(row);
  row.id_hash = "h2";
  auto two = store.AddSession(row);
  ASSERT_TRUE(one.ok() && two.ok());
  ASSERT_TRUE(store.TouchSession(one->id, "2024-06-01T12:05:00Z").ok());
  EXPECT_EQ(store.SessionByHash("h1")->last_seen_at, "2024-06-01T12:05:00Z");
  ASSERT_TRUE(store.EndSession(one->id, "2024-06-01T12:06:00Z").ok());
  ASSERT_TRUE(store.EndUserSessions(user->id, "2024-06-01T12:07:00Z").ok());
  EXPECT_EQ(store.SessionByHash("h1")->ended_at, "2024-06-01T12:06:00Z");
  EXPECT_EQ(store.SessionByHash("h2")->ended_at, "2024-06-01T12:07:00Z");
  EXPECT_EQ(store.SessionByHash("h3").status().code(), StatusCode::kNotFound);
}

TEST_F(StoreTest, LoginFailuresCountInARowAndSurviveAReopen) {
  {
    auto s = OpenStore(db_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    EXPECT_EQ((*s)->AddLoginFailure("address:192.0.2.7", "2024-06-01T12:00:00Z")->failures, 1);
    auto second = (*s)->AddLoginFailure("address:192.0.2.7", "2024-06-01T12:00:05Z");
    EXPECT_EQ(second->failures, 2);
    EXPECT_EQ(second->last_failure_at, "2024-06-01T12:00:05Z");
  }
  auto s = OpenStore(db_);
  EXPECT_EQ((*s)->LoginFailuresOf("address:192.0.2.7")->failures, 2);
  ASSERT_TRUE((*s)->ClearLoginFailures("address:192.0.2.7").ok());
  EXPECT_EQ((*s)->LoginFailuresOf("address:192.0.2.7")->failures, 0);
}

TEST_F(StoreTest, AuditEntriesAreAppendedAndReadNewestFirstWithFilters) {
  auto s = OpenStore(db_);
  ASSERT_TRUE(s.ok()) << s.status().message();
  Store& store = **s;
  auto first = store.AppendAudit(AuditEntry::Of("ana@example.org", "session 3f9a", "edit",
                                        "project:cybereast", "budget", "4945000", "5200000"));
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_GT(first->id, 0);
  EXPECT_EQ(first->at.size(), 20u);  // 2026-12-01T15:04:05Z
  ASSERT_TRUE(store
                  .AppendAudit(AuditEntry::Of("cli", "octopus user add ben@example.org --role editor",
                                      "user.add", "user:ben@example.org", "role", std::nullopt,
                                      "editor"))
                  .ok());
  ASSERT_TRUE(store
                  .AppendAudit(AuditEntry::Of("ingest", "octopus ingest news.html", "ingest", "document:7",
                                      "", std::nullopt, std::nullopt))
                  .ok());

  auto all = store.Audit({});
  ASSERT_TRUE(all.ok()) << all.status().message();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].action, "ingest");
  EXPECT_FALSE((*all)[0].before.has_value());
  EXPECT_FALSE((*all)[0].after.has_value());
  EXPECT_EQ((*all)[2].before, std::optional<std::string>("4945000"));
  EXPECT_EQ((*all)[2].after, std::optional<std::string>("5200000"));

  AuditQuery q;
  q.actor = "ana@example.org";
  auto by_actor = store.Audit(q);
  ASSERT_TRUE(by_actor.ok());
  ASSERT_EQ(by_actor->size(), 1u);
  EXPECT_EQ(by_actor->front().field, "budget");

  q = {};
  q.entity = "user:";
  auto by_prefix = store.Audit(q);
  ASSERT_TRUE(by_prefix.ok());
  ASSERT_EQ(by_prefix->size(), 1u);
  EXPECT_EQ(by_prefix->front().action, "user.add");

  q = {};
  q.limit = 1;
  q.before_id = (*all)[0].id;
  auto paged = store.Audit(q);
  ASSERT_TRUE(paged.ok());
  ASSERT_EQ(paged->size(), 1u);
  EXPECT_EQ(paged->front().action, "user.add");

  q = {};
  q.from = q.to = first->at.substr(0, 10);
  auto window = store.Audit(q);
  ASSERT_TRUE(window.ok());
  EXPECT_EQ(window->size(), 3u);
  q = {};
  q.to = "2000-01-01";
  auto before = store.Audit(q);
  ASSERT_TRUE(before.ok());
  EXPECT_TRUE(before->empty());
}

TEST_F(StoreTest, StoredDocumentsImportsAndProfileRevisionsAreAuditedInTheirTransaction) {
  auto s = OpenStore(db_);
  ASSERT_TRUE(s.ok()) << s.status().message();
  Store& store = **s;
  store.SetAuditOrigin("cli ana", "octopus ingest news/2024-06.html");
  SourceInfo src = Source("sha-audited", "news/2024-06.html");
  src.kind = "document";
  ASSERT_TRUE(store.AddDocument(src, Doc("news/2024-06.html"), {{0, 0, "news_item", 1, "{}"}}, {}).ok());
  ASSERT_TRUE(store.AddProfileRevision("FR", "First.", "Ana", "").ok());
  ASSERT_TRUE(store.AddProfileRevision("FR", "Second.", "Ana", "").ok());
  // The same content again changes nothing and is not audited again.
  ASSERT_FALSE(*store.AddDocument(src, Doc("again.html"), {}, {}));

  auto all = store.Audit({});
  ASSERT_TRUE(all.ok()) << all.status().message();
  ASSERT_EQ(all->size(), 3u);
  const AuditEntry& ingest = (*all)[2];
  EXPECT_EQ(ingest.action, "ingest");
  EXPECT_EQ(ingest.actor, "cli ana");
  EXPECT_EQ(ingest.origin, "octopus ingest news/2024-06.html");
  EXPECT_TRUE(ingest.entity.starts_with("document:")) << ingest.entity;
  ASSERT_TRUE(ingest.after.has_value());
  EXPECT_NE(ingest.after->find("news/2024-06.html"), std::string::npos) << *ingest.after;
  EXPECT_NE(ingest.after->find("1 records"), std::string::npos) << *ingest.after;
  EXPECT_EQ((*all)[1].entity, "profile:FR");
  EXPECT_FALSE((*all)[1].before.has_value());
  EXPECT_EQ((*all)[0].before, std::optional<std::string>("First."));
  EXPECT_EQ((*all)[0].after, std::optional<std::string>("Second."));
}

TEST_F(StoreTest, AnAuditEntryWithoutActorIsRefused) {
  auto s = OpenStore(db_);
  ASSERT_TRUE(s.ok()) << s.status().message();
  auto r = (*s)->AppendAudit(AuditEntry::Of("", "x", "edit", "project:x", "", std::nullopt, std::nullopt));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("actor"), std::string::npos);
  auto all = (*s)->Audit({});
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->empty());
}

TEST_F(StoreTest, TheAuditCannotBeChangedOrDeletedEvenBySql) {
  auto s = OpenStore(db_);
  ASSERT_TRUE(s.ok()) << s.status().message();
  ASSERT_TRUE(
      (*s)->AppendAudit(AuditEntry::Of("cli", "test", "edit", "project:x", "", std::nullopt, "1")).ok());
  auto conn = Raw();
  EXPECT_FALSE(conn->Query("UPDATE audit SET after = '2'", {}).ok());
  EXPECT_FALSE(conn->Query("DELETE FROM audit", {}).ok());
  auto all = (*s)->Audit({});
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ(all->front().after, std::optional<std::string>("1"));
}

ChangeSet Budget(std::string author, std::string value) {
  ChangeSet c;
  c.author = std::move(author);
  c.note = "budget revised by the donors' board";
  c.values = {{0, "project", "cybereast", "budget_amount", std::move(value), "4945000"}};
  return c;
}

TEST_F(StoreTest, ADraftIsStoredWithItsValuesAndAuditedUntilAnotherReviewerPublishesIt) {
  auto s = OpenStore(db_);
  ASSERT_TRUE(s.ok()) << s.status().message();
  Store& store = **s;
  ChangeSet draft = Budget("ana@example.org", "5200000");
  draft.values.push_back({0, "activity", "new", "title", "Workshop on e-evidence", std::nullopt});
  auto stored = store.AddDraft(draft, false, "session 3f9a");
  ASSERT_TRUE(stored.ok()) << stored.status().message();
  EXPECT_EQ(stored->status, "draft");
  EXPECT_EQ(stored->values.size(), 2u);
  auto drafts = store.Drafts();
  ASSERT_TRUE(drafts.ok()) << drafts.status().message();
  ASSERT_EQ(drafts->size(), 1u);
  EXPECT_EQ(drafts->front().values[0].before, std::optional<std::string>("4945000"));
  EXPECT_EQ(drafts->front().values[1].before, std::nullopt);
  EXPECT_TRUE(store.PublishedEdits()->empty());
  EXPECT_EQ(*store.PublishedEditCount(), 0);

  // The author may not approve it.
  auto own = store.Approve(stored->id, "ana@example.org", "session 3f9a");
  ASSERT_FALSE(own.ok());
  EXPECT_EQ(own.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store.Drafts()->size(), 1u);

  auto approved = store.Approve(stored->id, "ben@example.org", "session 77c1");
  ASSERT_TRUE(approved.ok()) << approved.status().message();
  EXPECT_EQ(approved->status, "published");
  EXPECT_EQ(approved->reviewer, "ben@example.org");
  EXPECT_TRUE(store.Drafts()->empty());
  auto published = store.PublishedEdits();
  ASSERT_EQ(published->size(), 1u);
  EXPECT_EQ(published->front().values[0].value, "5200000");
  EXPECT_EQ(*store.PublishedEditCount(), 1);
  // Published once: a second review is a conflict.
  EXPECT_EQ(store.Reject(stored->id, "cleo@example.org", "x").status().code(), StatusCode::kConflict);

  AuditQuery q;
  q.entity = "project:cybereast";
  auto audit = store.Audit(q);
  ASSERT_TRUE(audit.ok());
  std::vector<std::string> actions;
  for (const AuditEntry& e : *audit) {
    actions.push_back(e.action + " " + e.actor);
    EXPECT_EQ(e.field, "budget_amount");
    EXPECT_EQ(e.before, std::optional<std::string>("4945000"));
    EXPECT_EQ(e.after, std::optional<std::string>("5200000"));
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"publish ben@example.org", "approve ben@example.org",
                                               "draft ana@example.org"}));
  q.entity = "activity:" + kb::NewEntityId(stored->id, kb::Kind::kActivity);
  EXPECT_EQ(store.Audit(q)->size(), 3u);
}

TEST_F(StoreTest, TheStoreRefusesAReviewByTheAuthorEvenBySql) {
  auto s = OpenStore(db_);
  ASSERT_TRUE(s.ok()) << s.status().message();
  auto stored = (*s)->AddDraft(Budget("ana@example.org", "5200000"), false, "test");
  ASSERT_TRUE(stored.ok());
  auto conn = Raw();
  EXPECT_FALSE(conn->Query("UPDATE edits SET status = 'published', reviewer = author", {}).ok());
  EXPECT_EQ((*s)->Drafts()->size(), 1u);
}

TEST_F(StoreTest, ARejectedDraftIsNeverPublished) {
  auto s = OpenStore(db_);
  ASSERT_TRUE(s.ok()) << s.status().message();
  auto stored = (*s)->AddDraft(Budget("ana@example.org", "5200000"), false, "test");
  ASSERT_TRUE(stored.ok());
  auto rejected = (*s)->Reject(stored->id, "ben@example.org", "test");
  ASSERT_TRUE(rejected.ok()) << rejected.status().message();
  EXPECT_EQ(rejected->status, "rejected");
  EXPECT_TRUE((*s)->Drafts()->empty());
  EXPECT_TRUE((*s)->PublishedEdits()->empty());
  AuditQuery q;
  q.action = "reject";
  EXPECT_EQ((*s)->Audit(q)->size(), 1u);
}

TEST_F(StoreTest, AChangeSetWithABadValueStoresNothing) {
  auto s = OpenStore(db_);
  ASSERT_TRUE(s.ok()) << s.status().message();
  ChangeSet bad = Budget("ana@example.org", "5200000");
  bad.values.push_back({0, "project", "cybereast", "", "x", std::nullopt});
  auto r = (*s)->AddDraft(bad, false, "test");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE((*s)->AddDraft(Budget("", "1"), false, "test").ok());
  EXPECT_TRUE((*s)->Drafts()->empty());
  EXPECT_TRUE((*s)->Audit({})->empty());
}

TEST_F(StoreTest, AProfileEditThatPublishesDirectlyIsAProfileRevision) {
  auto s = OpenStore(db_);
  ASSERT_TRUE(s.ok()) << s.status().message();
  ChangeSet profile;
  profile.author = "ana@example.org";
  profile.note = "typo";
  profile.values = {{0, std::string(kCountryProfile), "GE", "markdown", "Georgia ratified in 2012.", "Georgia ratifed in 2012."}};
  auto stored = (*s)->AddDraft(profile, true, "test");
  ASSERT_TRUE(stored.ok()) << stored.status().message();
  EXPECT_EQ(stored->status, "published");
  EXPECT_EQ(stored->reviewer, "");
  auto revisions = (*s)->ProfileRevisions("GE");
  ASSERT_TRUE(revisions.ok());
  ASSERT_EQ(revisions->size(), 1u);
  EXPECT_EQ(revisions->front().markdown, "Georgia ratified in 2012.");
  EXPECT_EQ(revisions->front().author, "ana@example.org");
  AuditQuery q;
  q.entity = "profile:GE";
  ASSERT_EQ((*s)->Audit(q)->size(), 1u);
  EXPECT_EQ((*s)->Audit(q)->front().action, "publish");
}

TEST_F(StoreTest, AnApprovedTreatyActionIsRegistryEvidenceWithTheSourceTheEditorCited) {
  auto s = OpenWithTreaties();
  ASSERT_TRUE(s);
  Store& store = *s;
  ChangeSet action;
  action.author = "ana@example.org";
  action.note = "notification of the depositary";
  action.values = {{0, std::string(kTreatyAction), "ETS 185/GE", "action", "ratification", std::nullopt},
                   {0, std::string(kTreatyAction), "ETS 185/GE", "date", "2012-06-06", std::nullopt},
                   {0, std::string(kTreatyAction), "ETS 185/GE", "source", "https://example.org/jj1234", std::nullopt}};
  // Without its source, nothing is stored.
  ChangeSet unsourced = action;
  unsourced.values.pop_back();
  EXPECT_EQ(store.AddDraft(unsourced, false, "test").status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(store.Drafts()->empty());

  auto stored = store.AddDraft(action, false, "test");
  ASSERT_TRUE(stored.ok()) << stored.status().message();
  EXPECT_TRUE(store.Registry("ETS 185")->evidence.empty()) << "a draft is no evidence";
  ASSERT_TRUE(store.Approve(stored->id, "ben@example.org", "test").ok());
  auto registry = store.Registry("ETS 185");
  ASSERT_TRUE(registry.ok()) << registry.status().message();
  ASSERT_EQ(registry->evidence.size(), 1u);
  const domain::Evidence& e = registry->evidence.front();
  EXPECT_EQ(e.state, "GE");
  EXPECT_EQ(e.action, domain::ActionKind::kRatification);
  EXPECT_EQ(e.lo, *Date::Parse("2012-06-06"));
  EXPECT_EQ(e.hi, *Date::Parse("2012-06-06"));
  EXPECT_EQ(e.source.origin, "https://example.org/jj1234");
  EXPECT_EQ(e.source.quote, "edited by ana@example.org: notification of the depositary");
}

TEST_F(StoreTest, OpenStoreRejectsAnEmptyPathAndAnUnbuiltBackend) {
  auto empty = OpenStore("");
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().code(), StatusCode::kInvalidArgument);
  auto pg = OpenStore("postgresql://localhost/octopus");
  ASSERT_FALSE(pg.ok());
  EXPECT_EQ(pg.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(pg.status().message().find("PostgreSQL"), std::string::npos);
}

TEST_F(StoreTest, OpenStoreInAMissingDirectoryIsAnIoErrorNamingThePath) {
  const std::string path = (dir_.path() / "no" / "such" / "dir" / "x.db").string();
  auto s = OpenStore(path);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kIoError);
  EXPECT_NE(s.status().message().find(path), std::string::npos) << s.status().message();
}

// --- Transaction --------------------------------------------------------

class TransactionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto c = SqliteConnection::Open((dir_.path() / "tx.db").string());
    ASSERT_TRUE(c.ok()) << c.status().message();
    conn_ = std::move(*c);
    ASSERT_TRUE(conn_
                    ->ExecScript("CREATE TABLE parent (id INTEGER PRIMARY KEY);"
                                 "CREATE TABLE t (x INTEGER);"
                                 "CREATE TABLE child (p INTEGER REFERENCES parent(id) "
                                 "DEFERRABLE INITIALLY DEFERRED);")
                    .ok());
  }

  int64_t Count(const char* table) {
    auto rows = conn_->Query(std::string("SELECT COUNT(*) FROM ") + table, {});
    EXPECT_TRUE(rows.ok()) << rows.status().message();
    return rows.ok() ? AsInt((*rows)[0][0]) : -1;
  }

  TempDir dir_;
  std::unique_ptr<SqliteConnection> conn_;
};

TEST_F(TransactionTest, RollsBackWhenNotCommitted) {
  {
    Transaction tx(*conn_);
    ASSERT_TRUE(tx.status().ok()) << tx.status().message();
    ASSERT_TRUE(conn_->Insert("INSERT INTO t (x) VALUES (?)", {int64_t{1}}).ok());
    ASSERT_TRUE(conn_->Insert("INSERT INTO t (x) VALUES (?)", {int64_t{2}}).ok());
    EXPECT_EQ(Count("t"), 2);
  }
  EXPECT_EQ(Count("t"), 0);
  // No transaction is left open.
  EXPECT_TRUE(conn_->Begin().ok());
  EXPECT_TRUE(conn_->Rollback().ok());
}

TEST_F(TransactionTest, KeepsTheWritesWhenCommitted) {
  {
    Transaction tx(*conn_);
    ASSERT_TRUE(tx.status().ok());
    ASSERT_TRUE(conn_->Insert("INSERT INTO t (x) VALUES (?)", {int64_t{1}}).ok());
    ASSERT_TRUE(tx.Commit().ok());
  }
  EXPECT_EQ(Count("t"), 1);
}

TEST_F(TransactionTest, RollsBackWhenCommitFails) {
  // driver.h: "Rolls back unless Commit() succeeded." A deferred foreign key
  // makes COMMIT itself fail; SQLite then leaves the transaction open.
  {
    Transaction tx(*conn_);
    ASSERT_TRUE(tx.status().ok());
    ASSERT_TRUE(conn_->Insert("INSERT INTO t (x) VALUES (?)", {int64_t{1}}).ok());
    ASSERT_TRUE(conn_->Insert("INSERT INTO child (p) VALUES (?)", {int64_t{7}}).ok());
    EXPECT_FALSE(tx.Commit().ok());
  }
  EXPECT_EQ(Count("t"), 0) << "the failed transaction's writes are still visible";
  const Status begin = conn_->Begin();
  EXPECT_TRUE(begin.ok()) << "a transaction was left open: " << begin.message();
  if (begin.ok()) (void)conn_->Rollback();
}

// --- SqlitePool ---------------------------------------------------------

class SqlitePoolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = (dir_.path() / "pool.db").string();
    auto p = SqlitePool::Open(db_, 4);
    ASSERT_TRUE(p.ok()) << p.status().message();
    pool_ = std::move(*p);
    ASSERT_TRUE(pool_->ExecScript("CREATE TABLE t (x INTEGER)").ok());
  }

  int64_t Count(Connection& c) {
    auto rows = c.Query("SELECT COUNT(*) FROM t", {});
    EXPECT_TRUE(rows.ok()) << rows.status().message();
    return rows.ok() ? AsInt((*rows)[0][0]) : -1;
  }

  TempDir dir_;
  std::string db_;
  std::unique_ptr<SqlitePool> pool_;
};

TEST_F(SqlitePoolTest, ReadsAnswerAtOnceWhileAnotherConnectionHoldsTheWriteLock) {
  ASSERT_TRUE(pool_->Insert("INSERT INTO t (x) VALUES (?)", {int64_t{1}}).ok());
  auto other = SqliteConnection::Open(db_);
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE((*other)->Begin().ok());
  ASSERT_TRUE((*other)->Insert("INSERT INTO t (x) VALUES (?)", {int64_t{2}}).ok());
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(Count(*pool_), 1);  // the last committed state
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(500));
  ASSERT_TRUE((*other)->Rollback().ok());
}

TEST_F(SqlitePoolTest, AWriteWaitsOutALockHeldLongerThanOneBusyWait) {
  const int64_t retries_before = SqliteBusyRetries();
  auto other = SqliteConnection::Open(db_);
  ASSERT_TRUE(other.ok());
  ASSERT_TRUE((*other)->Begin().ok());
  std::thread holder([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    EXPECT_TRUE((*other)->Commit().ok());
  });
  const auto inserted = pool_->Insert("INSERT INTO t (x) VALUES (?)", {int64_t{1}});
  holder.join();
  ASSERT_TRUE(inserted.ok()) << inserted.status().message();
  EXPECT_EQ(Count(*pool_), 1);
  EXPECT_GE(SqliteBusyRetries() - retries_before, 1);
}

TEST_F(SqlitePoolTest, ATransactionReadsItsOwnWritesAndOthersSeeThemAfterCommit) {
  std::mutex mu;
  std::condition_variable cv;
  int step = 0;
  auto advance_to = [&](int s) {
    std::lock_guard lock(mu);
    step = s;
    cv.notify_all();
  };
  auto wait_for = [&](int s) {
    std::unique_lock lock(mu);
    cv.wait(lock, [&] { return step >= s; });
  };
  std::thread writer([&] {
    Transaction tx(*pool_);
    ASSERT_TRUE(tx.status().ok());
    ASSERT_TRUE(pool_->Insert("INSERT INTO t (x) VALUES (?)", {int64_t{7}}).ok());
    EXPECT_EQ(Count(*pool_), 1);
    advance_to(1);
    wait_for(2);
    EXPECT_TRUE(tx.Commit().ok());
    advance_to(3);
  });
  wait_for(1);
  EXPECT_EQ(Count(*pool_), 0);
  advance_to(2);
  wait_for(3);
  EXPECT_EQ(Count(*pool_), 1);
  writer.join();
}

TEST_F(SqlitePoolTest, TransactionsOfManyThreadsAreAllKept) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        Transaction tx(*pool_);
        ASSERT_TRUE(tx.status().ok()) << tx.status().message();
        ASSERT_TRUE(pool_->Insert("INSERT INTO t (x) VALUES (?)", {int64_t{t * 100 + i}}).ok());
        ASSERT_GE(Count(*pool_), 1);
        ASSERT_TRUE(tx.Commit().ok());
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(Count(*pool_), 100);
}

TEST_F(SqlitePoolTest, AWriteSentAsAQueryRunsOnTheWriter) {
  ASSERT_TRUE(pool_->Insert("INSERT INTO t (x) VALUES (?)", {int64_t{1}}).ok());
  ASSERT_TRUE(pool_->Query("DELETE FROM t WHERE x = ?", {int64_t{1}}).ok());
  EXPECT_EQ(Count(*pool_), 0);
}

}  // namespace
}  // namespace octopus::store
