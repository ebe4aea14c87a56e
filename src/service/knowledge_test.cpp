// The knowledge service over a fresh SQLite store with the shipped data: a
// database holding only records gets its entities on first read, a new
// document changes the snapshot, an unchanged store gives the same one, and
// missing directory files are named.
#include "service/knowledge.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "core/testing/temp_dir.h"
#include "service/ingest.h"
#include "store/sqlite/sqlite_connection.h"

namespace octopus::service {
namespace {

namespace fs = std::filesystem;
using octopus::test_support::TempDir;

const fs::path kDataDir = OCTOPUS_TEST_DATA_DIR;
const std::string kSeed000 = (kDataDir / "seeds" / "000_d03e5a92182abe11.txt").string();
const std::string kSeed003 = (kDataDir / "seeds" / "003_4b1784b32edbbd16.txt").string();

class KnowledgeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = (dir_.path() / "octopus.db").string();
    auto s = store::OpenStore(db_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
    auto r = Registry::Open(*store_, kDataDir.string());
    ASSERT_TRUE(r.ok()) << r.status().message();
    registry_ = std::move(*r);
    auto k = Knowledge::Open(*store_, kDataDir.string());
    ASSERT_TRUE(k.ok()) << k.status().message();
    knowledge_ = std::move(*k);
  }

  void Ingest(const std::string& path) {
    Ingestor ingestor(*registry_);
    auto r = ingestor.IngestFile(path);
    ASSERT_TRUE(r.ok()) << r.status().message();
    ASSERT_TRUE(r->stored) << path;
  }

  std::shared_ptr<const kb::KnowledgeBase> Current(Knowledge& k) {
    auto c = k.Current(kb::Visibility::kRestricted);
    EXPECT_TRUE(c.ok()) << c.status().message();
    return c.ok() ? *c : nullptr;
  }

  int64_t Count(const std::string& sql) {
    auto conn = store::SqliteConnection::Open(db_);
    EXPECT_TRUE(conn.ok());
    auto rows = (*conn)->Query(sql, {});
    EXPECT_TRUE(rows.ok()) << rows.status().message();
    return rows.ok() ? store::AsInt(rows->front()[0]) : -1;
  }

  TempDir dir_;
  std::string db_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Registry> registry_;
  std::unique_ptr<Knowledge> knowledge_;
};

TEST_F(KnowledgeTest, ADatabaseWithOnlyRecordsGetsItsEntitiesOnFirstRead) {
  Ingest(kSeed003);
  ASSERT_TRUE(knowledge_->Rebuild().ok());
  auto built = store_->Knowledge();
  ASSERT_TRUE(built.ok()) << built.status().message();
  ASSERT_FALSE(built->entities.empty());
  // A database from before entities: its records only.
  {
    auto conn = store::SqliteConnection::Open(db_);
    ASSERT_TRUE(conn.ok());
    ASSERT_TRUE((*conn)->ExecScript("DELETE FROM entity_text; DELETE FROM entity_facets; "
                                    "DELETE FROM entity_entries; DELETE FROM claims; "
                                    "DELETE FROM entities; DELETE FROM knowledge_meta")
                    .ok());
  }
  ASSERT_EQ(Count("SELECT count(*) FROM entities"), 0);
  auto reopened = Knowledge::Open(*store_, kDataDir.string());
  ASSERT_TRUE(reopened.ok()) << reopened.status().message();
  const auto snapshot = Current(**reopened);
  ASSERT_TRUE(snapshot);
  ASSERT_EQ(snapshot->entities.size(), built->entities.size());
  for (size_t i = 0; i < snapshot->entities.size(); ++i) {
    EXPECT_EQ(snapshot->entities[i].id, built->entities[i].id);
    EXPECT_EQ(snapshot->entities[i].claims.size(), built->entities[i].claims.size());
  }
  EXPECT_EQ(Count("SELECT count(*) FROM entities"), static_cast<int64_t>(built->entities.size()));
  auto stamp = store_->KnowledgeStamp();
  ASSERT_TRUE(stamp.ok());
  EXPECT_FALSE(stamp->empty());
  // Its entities are searchable.
  store::RecordQuery q;
  q.filters = {{"kind", "project"}};
  auto page = store_->FindEntities(q);
  ASSERT_TRUE(page.ok()) << page.status().message();
  EXPECT_EQ(page->total, static_cast<int>(snapshot->OfKind(kb::Kind::kProject).size()));
}

TEST_F(KnowledgeTest, ANewDocumentChangesTheSnapshotAndAnUnchangedStoreKeepsIt) {
  Ingest(kSeed000);
  const auto first = Current(*knowledge_);
  ASSERT_TRUE(first);
  EXPECT_EQ(Current(*knowledge_), first);  // the same snapshot, not loaded again
  const auto news = first->OfKind(kb::Kind::kNewsItem).size();
  EXPECT_GT(news, 0u);

  Ingest(kSeed003);
  const auto second = Current(*knowledge_);
  ASSERT_TRUE(second);
  EXPECT_NE(second, first);
  EXPECT_GT(second->entities.size(), first->entities.size());
  EXPECT_FALSE(second->OfKind(kb::Kind::kActivity).empty());
  // The first snapshot is unchanged for whoever still holds it.
  EXPECT_EQ(first->OfKind(kb::Kind::kNewsItem).size(), news);
  // Every claim cites a stored document.
  for (const kb::Entity& e : second->entities) {
    for (const kb::Claim& c : e.claims) {
      if (c.source.document_id == 0) continue;
      EXPECT_TRUE(store_->Document(c.source.document_id).ok()) << e.id << " " << c.field;
    }
  }
}

store::ChangeSet BudgetEdit(const std::string& author, const std::string& amount) {
  store::ChangeSet c;
  c.author = author;
  c.values = {{0, "project", "cybereast", "budget_amount", amount, std::nullopt}};
  return c;
}

TEST_F(KnowledgeTest, APublicationChangesTheSnapshotAtOnceAndADraftDoesNot) {
  Ingest(kSeed003);
  auto before = Current(*knowledge_);
  ASSERT_NE(before, nullptr);
  ASSERT_NE(before->Find("cybereast"), nullptr);
  const std::string stated = before->Find("cybereast")->value("budget_amount");
  ASSERT_FALSE(stated.empty());

  auto policy = EditPolicy::Load(kDataDir.string());
  ASSERT_TRUE(policy.ok()) << policy.status().message();
  auto draft = SubmitEdit(*store_, *policy, BudgetEdit("ana@example.org", "5400000"), "test");
  ASSERT_TRUE(draft.ok()) << draft.status().message();
  EXPECT_EQ(draft->status, "draft");
  EXPECT_EQ(Current(*knowledge_), before) << "a draft is not published";

  auto own = ReviewEdit(*store_, draft->id, true, "ana@example.org", "test");
  EXPECT_EQ(own.status().code(), StatusCode::kInvalidArgument);
  auto approved = ReviewEdit(*store_, draft->id, true, "ben@example.org", "test");
  ASSERT_TRUE(approved.ok()) << approved.status().message();
  auto after = Current(*knowledge_);
  ASSERT_NE(after, before);
  const kb::Entity* p = after->Find("cybereast");
  EXPECT_EQ(p->value("budget_amount"), "5400000");
  EXPECT_EQ(p->field("budget_amount")->history.back().value, stated);
}

TEST_F(KnowledgeTest, ARestrictedDocumentOrEntityLeavesThePublicSnapshotAtOnce) {
  Ingest(kSeed000);
  Ingest(kSeed003);
  auto docs = store_->Documents();
  ASSERT_TRUE(docs.ok());
  ASSERT_EQ(docs->size(), 2u);
  auto full = Current(*knowledge_);
  ASSERT_TRUE(full);
  auto first_public = knowledge_->Current(kb::Visibility::kPublic);
  ASSERT_TRUE(first_public.ok());
  EXPECT_EQ((*first_public)->visibility, kb::Visibility::kPublic);
  EXPECT_EQ((*first_public)->entities.size(), full->entities.size()) << "nothing restricted yet";
  ASSERT_TRUE(store_->SetRestricted({"document", std::to_string(docs->back().id)}, true, "cli", "test").ok());
  const std::string some = full->entities.front().id;
  ASSERT_TRUE(store_->SetRestricted({"entity", some}, true, "cli", "test").ok());

  auto restricted = Current(*knowledge_);
  ASSERT_TRUE(restricted);
  EXPECT_NE(restricted, full) << "a restriction changes the snapshot";
  EXPECT_EQ(restricted->entities.size(), full->entities.size()) << "practitioners see everything";
  ASSERT_NE(restricted->Find(some), nullptr);
  EXPECT_TRUE(restricted->Find(some)->restricted);
  auto reader = knowledge_->Current(kb::Visibility::kPublic);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ((*reader)->Find(some), nullptr);
  EXPECT_LT((*reader)->entities.size(), restricted->entities.size());
  for (const kb::Entity& e : (*reader)->entities) {
    for (const kb::Claim& c : e.claims) {
      EXPECT_NE(c.source.document_id, docs->back().id) << e.id << " " << c.field;
    }
  }
}

TEST(EditPolicyTest, AKindPublishesDirectlyOnlyWhenListedAsDirect) {
  auto policy = EditPolicy::Parse("kind,publication\ncountry_profile,direct\nproject,review\n");
  ASSERT_TRUE(policy.ok()) << policy.status().message();
  EXPECT_TRUE(policy->PublishesDirectly("country_profile"));
  EXPECT_FALSE(policy->PublishesDirectly("project"));
  EXPECT_FALSE(policy->PublishesDirectly("activity"));
  auto bad = EditPolicy::Parse("kind,publication\nproject,soon\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("editing.csv:2"), std::string::npos) << bad.status().message();
}

TEST_F(KnowledgeTest, ThreadsReadingAtOnceShareOneSnapshot) {
  Ingest(kSeed000);
  std::vector<std::shared_ptr<const kb::KnowledgeBase>> seen(4);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < seen.size(); ++i) {
    threads.emplace_back([&, i] {
      auto c = knowledge_->Current(kb::Visibility::kRestricted);
      if (c.ok()) seen[i] = *c;
    });
  }
  for (std::thread& t : threads) t.join();
  for (const auto& s : seen) {
    ASSERT_TRUE(s);
    EXPECT_EQ(s, seen[0]);
  }
}

TEST_F(KnowledgeTest, OpenNamesAMissingDirectoryFile) {
  const fs::path empty = dir_.path() / "data";
  fs::create_directories(empty);
  auto k = Knowledge::Open(*store_, empty.string());
  ASSERT_FALSE(k.ok());
  EXPECT_NE(k.status().message().find("projects.csv"), std::string::npos) << k.status().message();
}

}  // namespace
}  // namespace octopus::service
