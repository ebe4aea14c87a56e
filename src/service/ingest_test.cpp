// Ingesting documents into a fresh SQLite store with the shipped reference
// data: the seeds' treaty actions reach the registry with their sources, the
// engine's answers agree with what the seeds state, a disagreement is reported
// (never stored over), the same bytes twice change nothing, and bad input gets
// a clear error with nothing stored.
#include "service/ingest.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "core/testing/temp_dir.h"
#include "store/store.h"

namespace octopus::service {
namespace {

namespace fs = std::filesystem;
using octopus::test_support::TempDir;

const fs::path kDataDir = OCTOPUS_TEST_DATA_DIR;
const std::string kSeed000 = (kDataDir / "seeds" / "000_d03e5a92182abe11.txt").string();
const std::string kSeed003 = (kDataDir / "seeds" / "003_4b1784b32edbbd16.txt").string();

class IngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::OpenStore((dir_.path() / "octopus.db").string());
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
    auto r = Registry::Open(*store_, kDataDir.string());
    ASSERT_TRUE(r.ok()) << r.status().message();
    registry_ = std::move(*r);
  }

  IngestOutcome Ingest(const std::string& path, IngestOptions opts = {}) {
    Ingestor ingestor(*registry_);
    auto r = ingestor.IngestFile(path, opts);
    EXPECT_TRUE(r.ok()) << r.status().message();
    return r.ok() ? *r : IngestOutcome{};
  }

  std::string Write(const std::string& name, const std::string& bytes) {
    const fs::path p = dir_.path() / name;
    std::ofstream(p, std::ios::binary) << bytes;
    return p.string();
  }

  size_t DocumentCount() {
    auto d = store_->Documents();
    EXPECT_TRUE(d.ok());
    return d.ok() ? d->size() : 0;
  }

  size_t EvidenceCount() {
    auto d = store_->Registry("");
    EXPECT_TRUE(d.ok());
    return d.ok() ? d->evidence.size() : 0;
  }

  TempDir dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Registry> registry_;
};

std::string IntervalText(const std::optional<treaty::Interval>& iv) { return iv ? iv->ToString() : "none"; }

TEST_F(IngestTest, BothSeedsPutTheirTreatyActionsInTheRegistryWithTheirSources) {
  EXPECT_TRUE(Ingest(kSeed000).stored);
  EXPECT_TRUE(Ingest(kSeed003).stored);
  auto records = store_->Records("");
  ASSERT_TRUE(records.ok());
  EXPECT_GT(records->size(), 400u);

  auto a189 = registry_->Analyse("ETS 189");
  ASSERT_TRUE(a189.ok()) << a189.status().message();
  const auto& de = a189->states().at("DE");
  EXPECT_EQ(IntervalText(de.consent), "2011-06-10");
  // Computed from the extracted deposit date by the treaty's rule.
  EXPECT_EQ(IntervalText(de.entry_into_force), "2011-10-01");
  EXPECT_EQ(IntervalText(a189->states().at("FI").entry_into_force), "2011-09-01");
  bool sourced = false;
  for (const auto& e : de.evidence) sourced = sourced || (e.source.origin == kSeed000 && e.source.line == 3);
  EXPECT_TRUE(sourced) << "Germany's ratification keeps its source: the seed, line 3";

  auto a185 = registry_->Analyse("ETS 185");
  ASSERT_TRUE(a185.ok());
  EXPECT_EQ(IntervalText(a185->states().at("GB").entry_into_force), "2011-09-01");
  EXPECT_EQ(IntervalText(a185->states().at("ME").consent), "2010-03-03");
  EXPECT_EQ(IntervalText(a185->states().at("AZ").consent), "2010-03-15");
}

TEST_F(IngestTest, TheNewsPagesStatementsAgreeWithTheEngine) {
  const IngestOutcome out = Ingest(kSeed000);
  EXPECT_TRUE(out.extraction.disagreements.empty()) << ingest::ToJson(out.extraction)["disagreements"].dump();
  // "31 States are now Parties" (June 2011) and "28 States" (March 2010) fall in the engine's range.
  auto a185 = registry_->Analyse("ETS 185");
  ASSERT_TRUE(a185.ok());
  const treaty::Range june = a185->Consents(*domain::Date::Make(2011, 6, 12));
  EXPECT_LE(june.min, 31);
  EXPECT_GE(june.max, 31);
  const treaty::Range march = a185->Consents(*domain::Date::Make(2010, 3, 16));
  EXPECT_LE(march.min, 28);
  EXPECT_GE(march.max, 28);
}

TEST_F(IngestTest, AnEntryIntoForceThatDisagreesIsReportedAndNothingIsOverwritten) {
  const std::string doc = Write("uk.txt",
                                "News\n\nUnited Kingdom ratified the Convention on Cybercrime (25 May 2011, Strasbourg)\n\n"
                                "[12 June 2011, Strasbourg] United Kingdom deposited the instrument of ratification of "
                                "the Convention on Cybercrime (ETS 185) on 25 May 2011. The Convention on Cybercrime "
                                "will enter into force as regards United Kingdom on 1 August 2011.\n");
  const IngestOutcome out = Ingest(doc);
  ASSERT_EQ(out.extraction.disagreements.size(), 1u);
  const ingest::Disagreement& d = out.extraction.disagreements[0];
  EXPECT_EQ(d.what, "GB ETS 185 entry into force");
  EXPECT_EQ(d.document_value, "2011-08-01");
  EXPECT_EQ(d.registry_value, "2011-09-01");
  EXPECT_EQ(d.line, 3);
  // The stated date is kept as a statement; the computed date stays the rule's.
  auto a185 = registry_->Analyse("ETS 185");
  ASSERT_TRUE(a185.ok());
  EXPECT_EQ(IntervalText(a185->states().at("GB").entry_into_force), "2011-09-01");
}

TEST_F(IngestTest, IngestingTheSameDocumentTwiceChangesNothing) {
  EXPECT_TRUE(Ingest(kSeed003).stored);
  const size_t docs = DocumentCount(), evidence = EvidenceCount();
  const IngestOutcome again = Ingest(kSeed003);
  EXPECT_FALSE(again.stored);
  EXPECT_TRUE(again.duplicate);
  EXPECT_EQ(DocumentCount(), docs);
  EXPECT_EQ(EvidenceCount(), evidence);
}

TEST_F(IngestTest, ADryRunReportsAndStoresNothing) {
  IngestOptions opts;
  opts.dry_run = true;
  const IngestOutcome out = Ingest(kSeed000, opts);
  EXPECT_FALSE(out.stored);
  // 256 records of the page's layout, and 66 the sentences state: the events news titles and
  // bodies date (64 activities) and the projects described (2).
  EXPECT_EQ(out.extraction.records.size(), 322u);
  EXPECT_EQ(DocumentCount(), 0u);
}

TEST_F(IngestTest, TheCallersDateAndSourceUrlAreStoredWithTheDocumentAndItsReport) {
  const std::string page = Write("page.html",
      "<html><head><meta property=\"article:published_time\" content=\"2024-06-20T09:00:00Z\">"
      "</head><body><main><p>Fiji acceded to the Convention on Cybercrime.</p></main></body></html>");
  IngestOptions opts;
  opts.source_url = "https://www.coe.int/en/web/cybercrime/-/fiji";
  const IngestOutcome from_page = Ingest(page, opts);
  EXPECT_EQ(from_page.extraction.document.source_url, "https://www.coe.int/en/web/cybercrime/-/fiji");
  EXPECT_EQ(from_page.extraction.document.date, std::optional<std::string>("2024-06-20"));
  EXPECT_EQ(from_page.extraction.document.date_basis, "html metadata");

  const std::string note = Write("note.txt", "Fiji acceded to the Convention on Cybercrime.\n");
  opts.date = "2024-07-01";
  const IngestOutcome overridden = Ingest(note, opts);
  EXPECT_EQ(overridden.extraction.document.date, std::optional<std::string>("2024-07-01"));
  EXPECT_EQ(overridden.extraction.document.date_basis, "--date");
  const nlohmann::json report = ingest::ToJson(overridden.extraction);
  EXPECT_EQ(report["document"]["date"], "2024-07-01");
  EXPECT_EQ(report["document"]["source_url"], "https://www.coe.int/en/web/cybercrime/-/fiji");

  auto docs = store_->Documents();
  ASSERT_TRUE(docs.ok()) << docs.status().message();
  ASSERT_EQ(docs->size(), 2u);
  EXPECT_EQ((*docs)[0].date, std::optional<std::string>("2024-06-20"));
  EXPECT_EQ((*docs)[0].date_basis, "html metadata");
  EXPECT_EQ((*docs)[1].date, std::optional<std::string>("2024-07-01"));
  EXPECT_EQ((*docs)[1].date_basis, "--date");
  EXPECT_EQ((*docs)[1].source_url, "https://www.coe.int/en/web/cybercrime/-/fiji");
}

TEST_F(IngestTest, AMalformedDateOrSourceUrlIsRefusedWithOneClearLine) {
  const std::string note = Write("note.txt", "Fiji acceded to the Convention on Cybercrime.\n");
  Ingestor ingestor(*registry_);
  struct Case {
    std::optional<std::string> date;
    std::string url, message;
  };
  const Case cases[] = {
      {"20/06/2024", "", "malformed date '20/06/2024'"},
      {"2024-02-30", "", "no such date '2024-02-30'"},
      {"2024-6-1", "", "malformed date"},
      {std::nullopt, "ftp://example.org/a", "not an http or https URL"},
      {std::nullopt, "www.coe.int/en", "not an http or https URL"},
      {std::nullopt, "https://", "no valid host"},
      {std::nullopt, "https://www.coe.int/a b", "a character a URL cannot hold"},
      {std::nullopt, "https://user@www.coe.int/", "user information"},
      {std::nullopt, "http://www.coe.int:80x/", "malformed port"},
      {std::nullopt, "javascript:alert(1)", "not an http or https URL"},
  };
  for (const Case& c : cases) {
    IngestOptions opts;
    opts.date = c.date;
    opts.source_url = c.url;
    const Status st = CheckIngestOptions(opts);
    ASSERT_FALSE(st.ok()) << c.url;
    EXPECT_NE(st.message().find(c.message), std::string::npos) << st.message();
    EXPECT_EQ(st.message().find('\n'), std::string::npos);
    auto r = ingestor.IngestFile(note, opts);
    EXPECT_FALSE(r.ok());
  }
  IngestOptions fine;
  fine.date = "2024-02-29";
  fine.source_url = "HTTPS://www.coe.int:443/en/web/cybercrime?p=1#top";
  EXPECT_TRUE(CheckIngestOptions(fine).ok());
  EXPECT_EQ(DocumentCount(), 0u);
}

TEST_F(IngestTest, BadInputGetsAClearErrorAndStoresNothing) {
  const size_t evidence = EvidenceCount();
  Ingestor ingestor(*registry_);
  struct Case {
    std::string name, bytes, message;
  };
  const Case cases[] = {
      {"empty.txt", "", "empty file"},
      {"binary.bin", std::string("\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0", 16) + std::string(4096, '\0'), "binary"},
      {"cut.pdf", "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pa", "PDF"},
  };
  for (const Case& c : cases) {
    auto r = ingestor.IngestFile(Write(c.name, c.bytes));
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_NE(r.status().message().find(c.name), std::string::npos) << r.status().message();
    EXPECT_NE(r.status().message().find(c.message), std::string::npos) << r.status().message();
  }
  // A file over the limit is refused before it is read (sparse: no 100 MB written to disk).
  const fs::path big = dir_.path() / "big.txt";
  std::ofstream(big) << "x";
  fs::resize_file(big, 100u << 20);
  auto r = ingestor.IngestFile(big.string());
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("too large"), std::string::npos) << r.status().message();
  EXPECT_EQ(DocumentCount(), 0u);
  EXPECT_EQ(EvidenceCount(), evidence);
}

TEST_F(IngestTest, InvalidUtf8IsReadWithReplacementsAndReported) {
  const std::string doc = Write("latin1.txt",
                                "News\n\nWorkshop in Bogot\xe1 (Bogot\xe1, Colombia, 3-4 May 2011)\n\n"
                                "[5 May 2011, Strasbourg] Prosecutors from Colombia met in Bogot\xe1.\n");
  const IngestOutcome out = Ingest(doc);
  EXPECT_TRUE(out.stored);
  ASSERT_FALSE(out.extraction.document.warnings.empty());
  EXPECT_NE(out.extraction.document.warnings[0].find("invalid UTF-8"), std::string::npos);
  // The news item, and the workshop its title dates as an activity.
  ASSERT_EQ(out.extraction.records.size(), 2u);
  const auto news = std::find_if(out.extraction.records.begin(), out.extraction.records.end(),
                                 [](const ingest::Record& r) { return r.kind == "news_item"; });
  ASSERT_NE(news, out.extraction.records.end());
  const auto& item = news->fields;
  EXPECT_EQ(item["countries"], nlohmann::json::array({"CO"}));
  EXPECT_NE(item["title"].get<std::string>().find("\xef\xbf\xbd"), std::string::npos);  // U+FFFD, not a guess
}

}  // namespace
}  // namespace octopus::service
