// The registry service over a fresh SQLite store and the shipped reference
// data: loading it once, importing charts and facts all-or-nothing, and the
// comparison of printed and computed entry-into-force dates.
#include "service/registry.h"
#include "service/treaty_views.h"
#include "ingest/sha256.h"

#include <gtest/gtest.h>

#include "core/testing/temp_dir.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "core/text.h"
#include "store/store.h"

namespace octopus::service {
namespace {

namespace fs = std::filesystem;

const fs::path kDataDir = OCTOPUS_TEST_DATA_DIR;

using octopus::test_support::TempDir;

constexpr const char* kHeader =
    "state,coe_member,signature,ratification_or_accession,entry_into_force,notes_flags,kind\n";

// What the store holds, in numbers: equal before and after a refused import.
struct StoreSize {
  size_t sources = 0, evidence = 0, snapshots = 0, figures = 0, stated_eif = 0;
  friend bool operator==(const StoreSize&, const StoreSize&) = default;
};

void PrintTo(const StoreSize& s, std::ostream* os) {
  *os << "{sources " << s.sources << ", evidence " << s.evidence << ", snapshots " << s.snapshots
      << ", figures " << s.figures << ", stated_eif " << s.stated_eif << "}";
}

std::vector<fs::path> ShippedCsvFiles() {
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(kDataDir / "treaties")) {
    if (e.path().extension() == ".csv") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

class RegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = (dir_.path() / "registry.db").string();
    auto s = store::OpenStore(db_);
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
    auto r = Registry::Open(*store_, kDataDir.string());
    ASSERT_TRUE(r.ok()) << r.status().message();
    registry_ = std::move(*r);
  }

  StoreSize Size() {
    StoreSize out;
    auto sources = store_->Sources();
    auto data = store_->Registry("");
    EXPECT_TRUE(sources.ok() && data.ok());
    if (!sources.ok() || !data.ok()) return out;
    out.sources = sources->size();
    out.evidence = data->evidence.size();
    out.snapshots = data->snapshots.size();
    out.figures = data->figures.size();
    out.stated_eif = data->stated_eif.size();
    return out;
  }

  TempDir dir_;
  std::string db_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Registry> registry_;
};

TEST_F(RegistryTest, OpenLoadsTheRulesAndEveryShippedFileIntoAFreshStore) {
  auto sources = store_->Sources();
  ASSERT_TRUE(sources.ok());
  // The rules file and every CSV under data/treaties/.
  EXPECT_EQ(sources->size(), 1 + ShippedCsvFiles().size());
  EXPECT_EQ(sources->front().kind, "rules");
  for (const auto& s : *sources) {
    EXPECT_EQ(s.sha256.size(), 64u) << s.origin;
    if (s.kind != "rules") {
      EXPECT_TRUE(text::StartsWith(s.origin, "data/treaties/")) << s.origin;
    }
  }
  auto treaties = store_->Treaties();
  ASSERT_TRUE(treaties.ok());
  EXPECT_EQ(treaties->size(), 7u);
  EXPECT_EQ(registry_->catalog().all().size(), 7u);
  for (const char* ref :
       {"185", "ETS 185", "CETS 185", "ETS-185", "189", "224", "201", "108", "223", "UNCC"}) {
    EXPECT_NE(registry_->catalog().Resolve(ref), nullptr) << ref;
  }
}

TEST_F(RegistryTest, ReferenceDataIsLoadedOnceWhenOpenedAgain) {
  const StoreSize first = Size();
  {
    auto again = Registry::Open(*store_, kDataDir.string());
    ASSERT_TRUE(again.ok()) << again.status().message();
  }
  EXPECT_EQ(Size(), first);

  // And through a new connection to the same file.
  registry_.reset();
  store_.reset();
  auto s = store::OpenStore(db_);
  ASSERT_TRUE(s.ok()) << s.status().message();
  store_ = std::move(*s);
  auto r = Registry::Open(*store_, kDataDir.string());
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(Size(), first);
}

TEST_F(RegistryTest, OpenFailsWithoutReferenceData) {
  auto r = Registry::Open(*store_, (dir_.path() / "no-such-data").string());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("no-such-data"), std::string::npos) << r.status().message();
}

struct BadImport {
  const char* name;
  std::string text;
  const char* treaty;  ///< --treaty, "" for none
  const char* where;   ///< "bad.csv:LINE" (or just the file when no line applies)
  const char* field;   ///< the field the message must name, "" for none
  const char* detail;  ///< more text the message must hold
};

// Each chart has a good row before the bad one, so that a partial import would show.
const std::string kGoodRow = "Albania,yes,2001-11-23,2002-06-20,2004-07-01,,ratification\n";
const std::string kStatus = "# status as of: 2012-01-01\n";

TEST_F(RegistryTest, BadFileIsRefusedWithOneLineNamingFileLineAndFieldAndStoresNothing) {
  const BadImport cases[] = {
      {"malformed date", kStatus + kHeader + kGoodRow + "Austria,yes,2011-13-01,,,,\n", "185",
       "bad.csv:4:", "'signature'", "2011-13-01"},
      {"malformed consent date",
       kStatus + kHeader + kGoodRow + "Austria,yes,2001-11-23,13/06/2012,,,ratification\n", "185",
       "bad.csv:4:", "'ratification_or_accession'", "13/06/2012"},
      {"unknown State", kStatus + kHeader + kGoodRow + "Atlantis,yes,2001-11-23,,,,\n", "185",
       "bad.csv:4:", "'state'", "Atlantis"},
      {"ratification before signature",
       kStatus + kHeader + kGoodRow + "Austria,yes,2005-01-01,2004-01-01,,,ratification\n", "185",
       "bad.csv:4:", "'ratification_or_accession'", "2004-01-01"},
      {"consent before the treaty opened",
       kStatus + kHeader + kGoodRow + "Austria,yes,,2000-01-01,,,ratification\n", "185",
       "bad.csv:4:", "'ratification_or_accession'", "2001-11-23"},
      {"entry into force before consent",
       kStatus + kHeader + kGoodRow +
           "Austria,yes,2001-11-23,2012-06-13,2012-01-01,,ratification\n",
       "185", "bad.csv:4:", "'entry_into_force'", "2012-01-01"},
      {"unknown kind",
       kStatus + kHeader + kGoodRow + "Austria,yes,2001-11-23,2012-06-13,,,ratified!\n", "185",
       "bad.csv:4:", "'kind'", "ratified!"},
      {"wrong header",
       kStatus +
           "state,member,signature,ratification_or_accession,entry_into_force,"
           "notes_flags,kind\n" +
           kGoodRow,
       "185", "bad.csv:2:", "coe_member", "member"},
      {"missing header column",
       kStatus + "state,coe_member,signature,ratification_or_accession\n" + kGoodRow, "185",
       "bad.csv:2:", "header", ""},
      {"short row", kStatus + kHeader + kGoodRow + "Austria,yes,2001-11-23\n", "185",
       "bad.csv:4:", "fields", ""},
      {"unknown treaty, no --treaty, none in the comments", kStatus + kHeader + kGoodRow, "",
       "bad.csv", "--treaty", ""},
      {"unknown --treaty", kStatus + kHeader + kGoodRow, "999", "", "999", "unknown treaty"},
      {"facts row with an unknown State",
       "treaty,state,event,date,count_or_value,statement,source_url,notes\n"
       "ETS185,Benin,accession,2024-06-20,,ok,https://example.org,\n"
       "ETS185,Atlantis,ratification,2012-01-01,,x,https://example.org,\n",
       "", "bad.csv:3:", "'state'", "Atlantis"},
      {"facts row with an unknown treaty",
       "treaty,state,event,date,count_or_value,statement,source_url,notes\n"
       "ETS185,Benin,accession,2024-06-20,,ok,https://example.org,\n"
       "ETS999,Benin,ratification,2012-01-01,,x,https://example.org,\n",
       "", "bad.csv:3:", "'treaty'", "ETS999"}};
  for (const BadImport& c : cases) {
    SCOPED_TRACE(c.name);
    const StoreSize before = Size();
    auto r = registry_->ImportText(c.text, "bad.csv", c.treaty);
    if (r.ok()) {
      ADD_FAILURE() << "imported";
      continue;
    }
    const std::string msg = r.status().message();
    EXPECT_TRUE(text::StartsWith(msg, c.where)) << msg;
    EXPECT_NE(msg.find(c.field), std::string::npos) << msg;
    EXPECT_NE(msg.find(c.detail), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << "more than one line: " << msg;
    EXPECT_EQ(Size(), before);
    auto has = store_->HasSource(ingest::Sha256Hex(c.text));
    ASSERT_TRUE(has.ok());
    EXPECT_FALSE(*has);
  }
}

TEST_F(RegistryTest, GoodChartIsImportedOnceAndAgreesWithTheRules) {
  const std::string chart = "# status as of: 2012-01-01\n" + std::string(kHeader) + kGoodRow +
                            "Austria,yes,2001-11-23,,,,\n";
  const StoreSize before = Size();
  auto first = registry_->ImportText(chart, "mine.csv", "185");
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_TRUE(first->stored);
  EXPECT_EQ(first->origin, "mine.csv");
  EXPECT_EQ(first->kind, "chart");
  EXPECT_EQ(first->treaty, "ETS 185");
  EXPECT_EQ(first->rows, 2);
  ASSERT_TRUE(first->as_of.has_value());
  EXPECT_EQ(first->as_of->ToIso(), "2012-01-01");
  EXPECT_TRUE(first->differences.empty());
  const StoreSize after = Size();
  EXPECT_EQ(after.sources, before.sources + 1);
  EXPECT_EQ(after.evidence, before.evidence + first->evidence);
  EXPECT_EQ(after.stated_eif, before.stated_eif + 1);

  auto second = registry_->ImportText(chart, "mine-again.csv", "185");
  ASSERT_TRUE(second.ok()) << second.status().message();
  EXPECT_FALSE(second->stored);
  EXPECT_TRUE(second->differences.empty());
  EXPECT_EQ(Size(), after);
}

TEST_F(RegistryTest, ImportFileReadsTheFileAndNamesAMissingOne) {
  const fs::path file = dir_.path() / "chart.csv";
  {
    std::ofstream out(file);
    out << kStatus << kHeader << kGoodRow;
  }
  auto r = registry_->ImportFile(file.string(), "ETS 185");
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_TRUE(r->stored);
  EXPECT_EQ(r->origin, file.string());

  const std::string missing = (dir_.path() / "missing.csv").string();
  auto m = registry_->ImportFile(missing, "185");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), StatusCode::kIoError);
  EXPECT_NE(m.status().message().find(missing), std::string::npos) << m.status().message();
}

TEST_F(RegistryTest, PrintedEntryIntoForceThatDiffersFromTheRuleIsReportedWithBothValues) {
  // Austria deposited on 2012-06-13: the rule gives 2012-10-01, not 2012-09-01.
  const std::string chart = std::string(kHeader) + kGoodRow +
                            "Austria,yes,2001-11-23,2012-06-13,2012-09-01,,ratification\n";
  auto r = registry_->ImportText(chart, "wrong.csv", "185");
  ASSERT_TRUE(r.ok()) << r.status().message();
  ASSERT_EQ(r->differences.size(), 1u);
  const auto& d = r->differences[0];
  EXPECT_EQ(d.state, "AT");
  EXPECT_EQ(d.stated, "2012-09-01");
  EXPECT_EQ(d.computed, "2012-10-01");
  EXPECT_EQ(d.source.origin, "wrong.csv");
  EXPECT_EQ(d.source.line, 3);
}

TEST_F(RegistryTest, ReimportingEveryShippedFileUnderAnotherNameGivesNoDifferences) {
  const StoreSize before = Size();
  for (const fs::path& f : ShippedCsvFiles()) {
    SCOPED_TRACE(f.filename().string());
    auto text = ReadFile(f.string());
    ASSERT_TRUE(text.ok()) << text.status().message();
    auto r = registry_->ImportText(*text, "copy/" + f.filename().string());
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_FALSE(r->stored) << "the same content was stored twice";
    for (const auto& d : r->differences) {
      ADD_FAILURE() << d.source.origin << ":" << d.source.line << " " << d.state << " printed "
                    << d.stated << ", computed " << d.computed;
    }
  }
  EXPECT_EQ(Size(), before);
}

TEST_F(RegistryTest, ChartRowWithAnEmptyKindLeavesTheKindOfConsentUnknown) {
  // The chart shape leaves `kind` empty when the source does not say (the 2011
  // notification, and `treaty status --format csv` for a consent known only
  // from a list). Such a row must not become a known ratification.
  const std::string chart = std::string(kStatus) + kHeader + "Mongolia,no,,2011-10-03,,,\n";
  auto r = registry_->ImportText(chart, "kindless.csv", "185");
  ASSERT_TRUE(r.ok()) << r.status().message();
  auto a = registry_->Analyse("185");
  ASSERT_TRUE(a.ok()) << a.status().message();
  ASSERT_TRUE(a->states().count("MN"));
  const treaty::StateRecord& mn = a->states().at("MN");
  ASSERT_TRUE(mn.consent.has_value());
  EXPECT_EQ(mn.consent->ToString(), "2011-10-03");
  EXPECT_FALSE(mn.consent_kind_known)
      << "an empty kind cell was read as a known " << domain::ActionKindName(mn.consent_kind);
}

TEST_F(RegistryTest, AnalyseAnswersTheStatementsTheShippedDataDecides) {
  auto a = registry_->Analyse("ETS-185");
  ASSERT_TRUE(a.ok()) << a.status().message();
  const auto on = *domain::Date::Parse("2011-06-01");
  EXPECT_EQ(a->Consents(on), (treaty::Range{31, 31}));
  ASSERT_TRUE(a->states().count("GB"));
  ASSERT_TRUE(a->states().at("GB").entry_into_force.has_value());
  EXPECT_EQ(a->states().at("GB").entry_into_force->ToString(), "2011-09-01");
  ASSERT_TRUE(a->states().count("AZ"));
  EXPECT_EQ(a->states().at("AZ").entry_into_force->ToString(), "2010-07-01");

  auto p = registry_->Analyse("CETS 224");
  ASSERT_TRUE(p.ok()) << p.status().message();
  const auto d = *domain::Date::Parse("2023-08-10");
  EXPECT_EQ(p->Consents(d), (treaty::Range{2, 2}));
  EXPECT_EQ(p->InForce(d), (treaty::Range{0, 0}));

  auto unknown = registry_->Analyse("ETS 999");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);
}

TEST_F(RegistryTest, EveryStatedFigureAgreesWithTheRecordOrIsReportedAsAConflictWithItsSource) {
  int checked = 0;
  for (const auto& t : registry_->catalog().all()) {
    auto a = registry_->Analyse(t.ref);
    ASSERT_TRUE(a.ok()) << a.status().message();
    auto data = registry_->Data(t.ref);
    ASSERT_TRUE(data.ok());
    for (const auto& c : CheckFigures(*a, data->figures)) {
      if (c.verdict == "not comparable") continue;
      ++checked;
      if (c.verdict == "consistent") continue;
      const bool reported = std::any_of(a->conflicts().begin(), a->conflicts().end(), [&](const auto& k) {
        return k.what == "stated figure" && !k.sources.empty() && k.sources[0].origin == c.figure.source.origin &&
               k.detail.find(std::to_string(c.figure.count)) != std::string::npos;
      });
      EXPECT_TRUE(reported) << t.ref << " " << c.figure.count << " " << c.figure.measure << " from "
                            << c.figure.source.origin;
    }
  }
  EXPECT_GT(checked, 20);
}

TEST_F(RegistryTest, TheShippedConflictListIsReportedAsConflictsOfSources) {
  auto a = registry_->Analyse("ETS 185");
  ASSERT_TRUE(a.ok()) << a.status().message();
  const auto it = std::find_if(a->conflicts().begin(), a->conflicts().end(), [](const treaty::Conflict& c) {
    return c.state == "CL" && c.detail.find("compiled_2026-12_conflicts.md") != std::string::npos;
  });
  ASSERT_NE(it, a->conflicts().end());
  EXPECT_GE(it->sources.size(), 2u);
  for (const auto& src : it->sources) EXPECT_TRUE(text::StartsWith(src.origin, "http")) << src.origin;
  // Every heading of the list is one conflict, each under its treaty.
  size_t listed = 0;
  for (const auto& t : registry_->catalog().all()) {
    auto x = registry_->Analyse(t.ref);
    ASSERT_TRUE(x.ok());
    for (const auto& c : x->conflicts()) {
      listed += c.detail.find("compiled_2026-12_conflicts.md") != std::string::npos ? 1 : 0;
    }
  }
  EXPECT_EQ(listed, 12u);
}

TEST_F(RegistryTest, ShippedChartFlagsArePerStateRecordsWithTheirFileAndLine) {
  auto a = registry_->Analyse("ETS 185");
  ASSERT_TRUE(a.ok()) << a.status().message();
  // Azerbaijan's row of the 2015 chart carries "R. D. A. T.".
  std::vector<std::string> codes;
  for (const auto& f : a->FlagsOf("AZ")) {
    if (f.source.origin.find("coe185_chart_2015-12-03.csv") == std::string::npos) continue;
    codes.push_back(f.flag);
    EXPECT_GT(f.source.line, 0);
    ASSERT_TRUE(f.as_of.has_value());
    EXPECT_EQ(f.as_of->ToIso(), "2015-12-03");
  }
  EXPECT_EQ(codes, (std::vector<std::string>{"R", "D", "A", "T"}));
  // The 2004 chart's marks are shown as that source gives them, with its warning and no date.
  bool old_mark = false;
  for (const auto& f : a->FlagsOf("AZ")) {
    if (f.source.origin.find("coe185_chart_2004-06-18.csv") == std::string::npos) continue;
    old_mark = true;
    EXPECT_EQ(f.flag, "X");
    EXPECT_FALSE(f.as_of.has_value());
    EXPECT_NE(f.caveat.find("unreliable"), std::string::npos) << f.caveat;
  }
  EXPECT_TRUE(old_mark);
}

TEST_F(RegistryTest, CompiledDeclarationNotesAreFlagsWithTheRowsUrl) {
  auto a = registry_->Analyse("ETS 189");
  ASSERT_TRUE(a.ok()) << a.status().message();
  bool reservation = false;
  for (const auto& f : a->FlagsOf("MC")) {
    reservation = reservation || (f.flag == "R" && text::StartsWith(f.source.origin, "http"));
  }
  EXPECT_TRUE(reservation);
}

TEST_F(RegistryTest, ACompiledRowKeepsItsOwnSourceUrl) {
  auto a = registry_->Analyse("ETS 185");
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(a->states().count("TO"));
  bool url = false;
  for (const auto& e : a->states().at("TO").evidence) {
    url = url || (text::StartsWith(e.source.origin, "https://www.coe.int/") &&
                  e.source.quote.find("coe185_compiled_2026-12.csv") != std::string::npos);
  }
  EXPECT_TRUE(url);
}

}  // namespace
}  // namespace octopus::service
