// Chart and facts files: what each row says to the registry.
#include "treaty/chart.h"

#include <gtest/gtest.h>

namespace octopus::treaty {
namespace {

using domain::ActionKind;

struct Fixture {
  domain::Gazetteer gazetteer =
      *domain::Gazetteer::LoadFile(std::string(OCTOPUS_TEST_DATA_DIR) + "/countries.csv");
  Catalog catalog = *Catalog::LoadFile(std::string(OCTOPUS_TEST_DATA_DIR) + "/treaties.json");
};

const Fixture& F() {
  static const Fixture f;
  return f;
}

constexpr const char* kHeader =
    "state,coe_member,signature,ratification_or_accession,entry_into_force,notes_flags,kind\n";

TEST(ChartTest, TreatyIsReadFromTheCommentsWhenNotGiven) {
  const std::string text = std::string("# chart: Treaty Office chart, CETS No.: 185\n") + kHeader +
                           "Albania,yes,2001-11-23,2002-06-20,2004-07-01,,ratification\n";
  auto b = ParseChart(text, "c.csv", F().catalog, F().gazetteer);
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(b->treaty, "ETS 185");
  ASSERT_EQ(b->stated_eif.size(), 1u);
  EXPECT_EQ(b->stated_eif[0].date.ToIso(), "2004-07-01");
}

TEST(ChartTest, EmptyCellsOfADatedChartSayTheActionHadNotHappenedYet) {
  const std::string text = std::string("# status as of: 18/6/2004 (2004-06-18)\n# CUT OFF: yes\n") +
                           kHeader + "Armenia,yes,2001-11-23,,,,\nAzerbaijan,yes,,,,,\n";
  auto b = ParseChart(text, "c.csv", F().catalog, F().gazetteer, "185");
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(b->as_of->ToIso(), "2004-06-18");
  EXPECT_FALSE(b->complete);
  EXPECT_TRUE(b->snapshots.empty());
  int negatives = 0;
  for (const auto& e : b->evidence) {
    if (e.negative) {
      ++negatives;
      EXPECT_EQ(e.lo->ToIso(), "2004-06-18");
    }
  }
  // Armenia: not ratified; Azerbaijan: neither signed nor ratified.
  EXPECT_EQ(negatives, 3);
}

TEST(ChartTest, TruncatedRowSaysNothingAboutWhatIsMissing) {
  const std::string text = std::string("# status as of: 2004-06-18\n") + kHeader +
                           "Iceland,yes,2001-11-30,,,(row truncated in source),\n";
  auto b = ParseChart(text, "c.csv", F().catalog, F().gazetteer, "185");
  ASSERT_TRUE(b.ok());
  for (const auto& e : b->evidence) EXPECT_FALSE(e.negative);
}

TEST(ChartTest, CompleteChartBecomesASnapshot) {
  const std::string text = std::string("# status as of: 2025-11-14\n# CUT OFF: no\n") + kHeader +
                           "Japan,,2022-05-12,2023-08-10,,(R),ratification\n"
                           "Serbia,,2022-05-12,2023-02-09,,(R),ratification\n"
                           "Albania,,2023-02-27,,,,\n";
  auto b = ParseChart(text, "c.csv", F().catalog, F().gazetteer, "CETS 224");
  ASSERT_TRUE(b.ok()) << b.status().message();
  ASSERT_EQ(b->snapshots.size(), 1u);
  EXPECT_EQ(b->snapshots[0].contracting, (std::vector<std::string>{"JP", "RS"}));
  EXPECT_EQ(b->snapshots[0].signatories, (std::vector<std::string>{"AL"}));
}

TEST(ChartTest, NotificationListsAreCompleteEvidence) {
  const std::string text =
      std::string("# source: notification Tr./185-67\n# status as of: 2011-06-01\n"
                  "# CUT OFF: no for the two lists\n") +
      kHeader + "United Kingdom,,,2011-05-25,2011-09-01,contracting; ratified,ratification\n"
                "Albania,,,,,contracting,\nAustria,,,,,signatory,\n";
  auto b = ParseChart(text, "n.csv", F().catalog, F().gazetteer);
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(b->kind, "notification");
  ASSERT_EQ(b->snapshots.size(), 1u);
  EXPECT_EQ(b->snapshots[0].contracting, (std::vector<std::string>{"GB", "AL"}));
  EXPECT_EQ(b->snapshots[0].signatories, (std::vector<std::string>{"AT"}));
}

TEST(ChartTest, ReducedPrecisionDatesAreIntervals) {
  const std::string text = std::string(kHeader) + "Philippines,,,2018,,,accession\n" +
                           "Armenia,,,2020-07,,,ratification\n";
  auto b = ParseChart(text, "c.csv", F().catalog, F().gazetteer, "185");
  ASSERT_TRUE(b.ok()) << b.status().message();
  ASSERT_EQ(b->evidence.size(), 2u);
  EXPECT_EQ(b->evidence[0].action, ActionKind::kAccession);
  EXPECT_EQ(b->evidence[0].precision, domain::Precision::kYear);
  EXPECT_EQ(b->evidence[1].hi->ToIso(), "2020-07-31");
}

TEST(ChartTest, BadRowsNameFileLineAndField) {
  struct Case {
    const char* row;
    const char* expected;
  };
  const Case cases[] = {
      {"Albania,yes,2001-11-23,2002-13-20,,,ratification", "c.csv:2: field 'ratification_or_accession'"},
      {"Atlantis,yes,2001-11-23,,,,", "c.csv:2: field 'state': unknown State 'Atlantis'"},
      {"Albania,yes,2003-11-23,2002-06-20,,,ratification", "before signing"},
      {"Albania,yes,,2000-06-20,,,ratification", "before the treaty opened"},
      {"Albania,maybe,,,,,", "field 'coe_member'"},
      {"Albania,yes,,2002-06-20,,,ratifed", "field 'kind'"},
      {"Albania,yes,,2002-06-20", "expected 7 fields"},
  };
  for (const Case& c : cases) {
    auto b = ParseChart(std::string(kHeader) + c.row + "\n", "c.csv", F().catalog, F().gazetteer, "185");
    ASSERT_FALSE(b.ok()) << c.row;
    EXPECT_NE(b.status().message().find(c.expected), std::string::npos) << b.status().message();
  }
}

TEST(FactsTest, EventsBecomeEvidenceFiguresOrAreListedAsUnused) {
  const std::string text =
      "treaty,state,event,date,count_or_value,statement,source_url,notes\n"
      "ETS185,Grenada,invitation_to_accede,2024-02-07,,invited,https://example.org/a,\n"
      "ETS185,,count_parties,2024-02-07,parties=69;signed=2;invited=22,69 Parties,https://example.org/a,\n"
      "ETS185,Canada,ratification_announced,2015-07-08,,announced,https://example.org/b,\n"
      "UNCC,,adoption,2024-12-24,,adopted,https://example.org/c,\n";
  ASSERT_TRUE(LooksLikeFacts(text));
  auto b = ParseFacts(text, "facts.csv", F().catalog, F().gazetteer);
  ASSERT_TRUE(b.ok()) << b.status().message();
  ASSERT_EQ(b->evidence.size(), 2u);
  EXPECT_EQ(b->evidence[0].action, ActionKind::kInvitation);
  EXPECT_EQ(b->evidence[0].source.origin, "https://example.org/a");
  EXPECT_EQ(b->evidence[1].action, ActionKind::kRatification);
  EXPECT_FALSE(b->evidence[1].lo);
  EXPECT_EQ(b->evidence[1].hi->ToIso(), "2015-07-08");
  ASSERT_EQ(b->figures.size(), 3u);
  EXPECT_EQ(b->figures[0].measure, "parties");
  EXPECT_EQ(b->figures[0].count, 69);
  ASSERT_EQ(b->unused.size(), 1u);
  EXPECT_NE(b->unused[0].find("facts.csv:5"), std::string::npos);
}

}  // namespace
}  // namespace octopus::treaty
