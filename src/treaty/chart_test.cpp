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

TEST(ChartFlagsTest, ChartLettersBecomeFlagsNamedByTheLegendAndDatedByThePrintedStatus) {
  const std::string text =
      std::string("# status as of: 01/02/2019 (2019-02-01)\n"
                  "# legend: R.=Reservations D.=Declarations A.=Authorities T.=Territorial application\n") +
      kHeader + "Malta,yes,2001-11-23,2012-04-12,2012-08-01,R. A. T.,ratification\nLatvia,yes,2001-11-23,,,,\n";
  auto b = ParseChart(text, "flags.csv", F().catalog, F().gazetteer, "185");
  ASSERT_TRUE(b.ok()) << b.status().message();
  ASSERT_EQ(b->flags.size(), 3u);
  EXPECT_EQ(b->flags[0].state, "MT");
  EXPECT_EQ(b->flags[0].flag, "R");
  EXPECT_EQ(b->flags[0].meaning, "reservation");
  EXPECT_EQ(b->flags[1].meaning, "authority");
  EXPECT_EQ(b->flags[2].meaning, "territorial application");
  EXPECT_EQ(b->flags[2].as_of->ToIso(), "2019-02-01");
  EXPECT_EQ(b->flags[2].source.origin, "flags.csv");
  EXPECT_EQ(b->flags[2].source.line, 4);
  EXPECT_TRUE(b->flags[2].caveat.empty());
}

TEST(ChartFlagsTest, MarksTheSourceCallsUnreliableKeepTheSourcesWarningAndNoDate) {
  const std::string text =
      std::string("# status as of: 2003-03-03\n"
                  "# the marks in the flag columns are not filtered by the status date; treat them as unreliable\n") +
      kHeader + "Malta,yes,2001-11-23,,,X x2,\n";
  auto b = ParseChart(text, "old.csv", F().catalog, F().gazetteer, "185");
  ASSERT_TRUE(b.ok()) << b.status().message();
  ASSERT_EQ(b->flags.size(), 1u);
  EXPECT_EQ(b->flags[0].flag, "X");
  EXPECT_NE(b->flags[0].meaning.find("2 mark"), std::string::npos) << b->flags[0].meaning;
  EXPECT_NE(b->flags[0].caveat.find("unreliable"), std::string::npos);
  EXPECT_FALSE(b->flags[0].as_of.has_value());
}

TEST(ChartFlagsTest, DeclarationNotesBecomeFlagsWithTheRowsOwnSourceButNotANegatedWord) {
  const std::string text = std::string("# status as of: compiled from many sources\n") + kHeader +
                           "Malta,yes,,2019-05-06,,\"src=https://example.org/mt/declarations?x=1 ; a reservation "
                           "under Art. 9 came with the instrument\",ratification\n"
                           "Latvia,yes,2019-05-06,,,src=https://example.org/lv ; signed without reservation as to "
                           "ratification,\n"
                           "Poland,yes,2019-05-06,,,(R); reservations/declarations: Yes,\n";
  auto b = ParseChart(text, "compiled.csv", F().catalog, F().gazetteer, "185");
  ASSERT_TRUE(b.ok()) << b.status().message();
  ASSERT_EQ(b->flags.size(), 2u);
  // Malta: the URL's "declarations" is not read; the note's reservation is.
  EXPECT_EQ(b->flags[0].state, "MT");
  EXPECT_EQ(b->flags[0].flag, "R");
  EXPECT_EQ(b->flags[0].source.origin, "https://example.org/mt/declarations?x=1");
  EXPECT_NE(b->flags[0].source.quote.find("compiled.csv:3"), std::string::npos);
  EXPECT_FALSE(b->flags[0].as_of.has_value());
  // Poland: the source does not say which of the two.
  EXPECT_EQ(b->flags[1].state, "PL");
  EXPECT_EQ(b->flags[1].flag, "R/D");
}

TEST(ChartFlagsTest, DatedDeclarationStatementsBecomeFlagsWithTheirDay) {
  const std::string text =
      "treaty,state,event,date,count_or_value,statement,source_url,notes\n"
      "ETS185,Malta,declaration,2020-03-04,,Malta designated its authority under Art. 27,https://example.org/d,\n";
  auto b = ParseFacts(text, "facts.csv", F().catalog, F().gazetteer);
  ASSERT_TRUE(b.ok()) << b.status().message();
  ASSERT_EQ(b->flags.size(), 1u);
  EXPECT_EQ(b->flags[0].flag, "D");
  EXPECT_EQ(b->flags[0].as_of->ToIso(), "2020-03-04");
  EXPECT_EQ(b->flags[0].source.origin, "https://example.org/d");
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

TEST(ChartTest, UnprintedStatusDateIsTheLatestActNeverALaterEntryIntoForce) {
  // The list does not print its date; its latest deposit is 2006-10-12, and it
  // prints an entry into force of 2007-02-01 that may lie after it was drawn up.
  const std::string text =
      std::string("# status as of: not printed; the latest date shown is an entry into force\n# CUT OFF: yes\n") +
      kHeader + "Armenia,,2001-11-23,2006-10-12,2007-02-01,,ratification\nBelgium,,2001-11-23,,,,\n";
  auto b = ParseChart(text, "c.csv", F().catalog, F().gazetteer, "185");
  ASSERT_TRUE(b.ok()) << b.status().message();
  ASSERT_TRUE(b->as_of);
  EXPECT_EQ(b->as_of->ToIso(), "2006-10-12");
  for (const auto& e : b->evidence) {
    if (e.negative) {
      EXPECT_EQ(e.lo->ToIso(), "2006-10-12") << e.state;
    }
  }
}

TEST(ChartTest, HedgedStatusDateIsNotTakenAsTheListsDate) {
  const std::string text =
      std::string("# status as of: not stated; snapshot from 2023-11-16 or later\n") + kHeader +
      "Albania,,2019-01-28,2023-03-01,,,\nAndorra,,2019-02-05,,,,\n";
  auto b = ParseChart(text, "c.csv", F().catalog, F().gazetteer, "223");
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(b->as_of->ToIso(), "2023-03-01");
}

TEST(ChartTest, RowWithItsOwnSourceKeepsTheUrlAndSaysNothingOfItsEmptyCells) {
  const std::string text =
      std::string("# status as of: n/a (gathered from single sources)\n# complete: no\n") + kHeader +
      "Chile,no,,2017-04-20,2017-08-01,src=https://example.org/chile ; registered 20 April,accession\n"
      "Peru,no,,,2019-12-01,src=https://example.org/peru,\n";
  auto b = ParseChart(text, "c.csv", F().catalog, F().gazetteer, "185");
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_FALSE(b->complete);
  EXPECT_TRUE(b->snapshots.empty());
  bool peru_bound = false;
  for (const auto& e : b->evidence) {
    EXPECT_FALSE(e.negative) << e.state;
    EXPECT_EQ(e.source.origin, e.state == "CL" ? "https://example.org/chile" : "https://example.org/peru");
    EXPECT_NE(e.source.quote.find("c.csv:"), std::string::npos);
    // Peru's row dates only its entry into force: kept as that source's statement.
    if (e.state == "PE" && e.action == ActionKind::kEntryIntoForce) peru_bound = e.lo->ToIso() == "2019-12-01";
  }
  EXPECT_TRUE(peru_bound);
}

TEST(ChartTest, ColumnsAfterTheSeventhAreNotRead) {
  const std::string text = std::string("# status as of: 2015-12-03\n") +
                           "state,coe_member,signature,ratification_or_accession,entry_into_force,"
                           "notes_flags,kind,last_on_record,sources\n"
                           "Greece,yes,2001-11-23,,,signed,,2015-12-03,https://example.org/chart\n";
  auto b = ParseChart(text, "c.csv", F().catalog, F().gazetteer, "185");
  ASSERT_TRUE(b.ok()) << b.status().message();
  EXPECT_EQ(b->rows, 1);
}

TEST(ChartTest, CountsInTheCommentsAreStatedFiguresWithTheirDays) {
  const std::string text =
      std::string("# Counts from the news: 40 Parties (year only, 2016), 41 (Ruritania 2017-03-02), "
                  "43 Parties/3 signatories/9 invited (2019-05-06)\n") +
      kHeader + "Chile,no,,2017-04-20,,src=https://example.org/chile,accession\n";
  auto b = ParseChart(text, "c.csv", F().catalog, F().gazetteer, "185");
  ASSERT_TRUE(b.ok()) << b.status().message();
  std::vector<std::string> got;
  for (const auto& f : b->figures) got.push_back(f.measure + "=" + std::to_string(f.count) + "@" + f.as_of->ToIso());
  EXPECT_EQ(got, (std::vector<std::string>{"parties=41@2017-03-02", "parties=43@2019-05-06",
                                           "signatories=3@2019-05-06", "invited=9@2019-05-06"}));
}

TEST(ConflictListTest, EachHeadingIsAConflictWithItsValuesAndUrls) {
  const std::string text =
      "# Disagreements\n\n## A. Dates\n\n### 1. Chile, ETS 185: date of deposit\n"
      "- **2017-04-20**: the depositary says so: https://example.org/a\n"
      "- **2017-04-21**: a ministry says \"today\" (https://example.org/b).\n"
      "- **Used:** 2017-04-20.\n\n### 2. UN Convention against Cybercrime\n"
      "- a headline says ratify: https://example.org/c\n"
      "- the depositary lists **signatories**:\n  https://example.org/d\n"
      "## B. Single sources\n- one source only: https://example.org/e\n";
  auto list = ParseConflictList(text, "conflicts.md", F().catalog, F().gazetteer);
  ASSERT_TRUE(list.ok()) << list.status().message();
  ASSERT_EQ(list->size(), 2u);
  const Conflict& chile = (*list)[0].conflict;
  EXPECT_EQ((*list)[0].treaty, "ETS 185");
  EXPECT_EQ(chile.state, "CL");
  EXPECT_EQ(chile.what, "date of deposit");
  EXPECT_NE(chile.detail.find("2017-04-20 vs 2017-04-21"), std::string::npos) << chile.detail;
  EXPECT_NE(chile.detail.find("used: 2017-04-20"), std::string::npos) << chile.detail;
  ASSERT_EQ(chile.sources.size(), 2u);
  EXPECT_EQ(chile.sources[1].origin, "https://example.org/b");
  EXPECT_EQ((*list)[1].treaty, "UNCC");
  EXPECT_EQ((*list)[1].conflict.sources.size(), 2u);
}

TEST(ConflictListTest, HeadingNamingNoKnownTreatyIsAnErrorWithItsLine) {
  auto list = ParseConflictList("### 1. Chile, Treaty of Nowhere: date\n", "x.md", F().catalog, F().gazetteer);
  ASSERT_FALSE(list.ok());
  EXPECT_NE(list.status().message().find("x.md:1"), std::string::npos);
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
