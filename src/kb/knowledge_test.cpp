#include "kb/knowledge.h"

#include <gtest/gtest.h>

namespace octopus::kb {
namespace {

Claim Said(std::string field, std::string value, std::string stated_on, int64_t document, int line) {
  Claim c;
  c.entity_id = "cybereast";
  c.field = std::move(field);
  c.value = std::move(value);
  c.source.document_id = document;
  c.source.line = line;
  c.source.stated_on = std::move(stated_on);
  return c;
}

Entity Project(std::vector<Claim> claims) {
  Entity e;
  e.id = "cybereast";
  e.kind = Kind::kProject;
  e.claims = std::move(claims);
  Derive(e);
  return e;
}

TEST(KnowledgeTest, KindNamesAndPathsRoundTrip) {
  for (Kind k : kKinds) {
    EXPECT_EQ(KindFromName(KindName(k)), k);
    EXPECT_FALSE(KindPath(k).empty());
  }
  EXPECT_EQ(KindFromName("projects"), std::nullopt);
}

TEST(KnowledgeTest, AgreeingClaimsMergeIntoOneValueCitingBoth) {
  Entity e = Project({Said("budget_amount", "5330000", "2023-09-30", 1, 10),
                      Said("budget_amount", "5330000", "2023-09-30", 1, 40)});
  const Field* f = e.field("budget_amount");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(f->current.size(), 1u);
  EXPECT_EQ(f->current[0].claims.size(), 2u);
  EXPECT_FALSE(f->conflict);
  EXPECT_TRUE(f->history.empty());
}

TEST(KnowledgeTest, LaterDatedClaimSupersedesAndTheEarlierValueIsHistory) {
  Entity e = Project({Said("budget_amount", "6000000", "2024-03-31", 2, 5),
                      Said("budget_amount", "5330000", "2023-09-30", 1, 10)});
  EXPECT_EQ(e.value("budget_amount"), "6000000");
  const Field* f = e.field("budget_amount");
  ASSERT_EQ(f->history.size(), 1u);
  EXPECT_EQ(f->history[0].value, "5330000");
  EXPECT_EQ(f->history[0].stated_on, "2023-09-30");
}

TEST(KnowledgeTest, ContradictoryClaimsOfTheSameDateAreAConflictShowingBoth) {
  Entity e = Project({Said("budget_amount", "5330000", "2023-09-30", 1, 10),
                      Said("budget_amount", "5500000", "2023-09-30", 2, 3)});
  const Field* f = e.field("budget_amount");
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(f->conflict);
  EXPECT_EQ(e.values("budget_amount"), (std::vector<std::string>{"5330000", "5500000"}));
}

TEST(KnowledgeTest, AnUndatedClaimNeverSupersedesADatedOne) {
  Entity e = Project({Said("status", "ended", "", 3, 1), Said("status", "running", "2023-09-30", 1, 2)});
  EXPECT_EQ(e.value("status"), "running");
  EXPECT_FALSE(e.field("status")->conflict);
}

TEST(KnowledgeTest, SetFieldsTakeTheUnionInOrderOfFirstStatement) {
  Entity e = Project({Said("countries", "GE", "2023-09-30", 1, 1), Said("countries", "AM", "2023-09-30", 1, 2),
                      Said("countries", "GE", "2024-03-31", 2, 1)});
  EXPECT_EQ(e.values("countries"), (std::vector<std::string>{"GE", "AM"}));
  EXPECT_FALSE(e.field("countries")->conflict);
}

TEST(KnowledgeTest, LabelIsTheNameAndTheUrlFollowsTheKind) {
  Entity e = Project({Said("name", "CyberEast", "2023-09-30", 1, 1)});
  EXPECT_EQ(e.label, "CyberEast");
  EXPECT_EQ(e.url(), "/projects/cybereast");
}

TEST(KnowledgeTest, ReferringFindsEntitiesWhoseRelationNamesTheId) {
  KnowledgeBase kb;
  Entity a;
  a.id = "a1";
  a.kind = Kind::kActivity;
  a.claims = {Said("projects", "cybereast", "2023-09-30", 1, 4)};
  Derive(a);
  kb.entities.push_back(a);
  EXPECT_EQ(kb.Referring(Kind::kActivity, "projects", "cybereast").size(), 1u);
  EXPECT_TRUE(kb.Referring(Kind::kActivity, "projects", "octopus").empty());
  EXPECT_NE(kb.Find("a1"), nullptr);
}

}  // namespace
}  // namespace octopus::kb
