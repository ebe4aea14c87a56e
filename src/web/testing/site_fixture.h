#pragma once
/// Test support: a site over a fresh SQLite store holding the shipped
/// reference data (and, for SiteWithRecordsTest, the fixture documents of
/// src/web/testdata ingested through service::Ingestor), reading the
/// knowledge base service::Knowledge builds from what the store holds, with
/// a fixed "today" and a store generation checked on every request.

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "core/testing/gunzip.h"
#include "kb/knowledge.h"
#include "service/ingest.h"
#include "service/knowledge.h"
#include "service/registry.h"
#include "store/store.h"
#include "web/site.h"

namespace octopus::web::test_support {


inline const domain::Date kToday = *domain::Date::Make(2023, 8, 15);

/// The fixture documents, in src/web/testdata: a news page of 2010–2011 and
/// the July–September 2023 quarterly update, written in the programme's
/// shapes.
inline const char* const kFixtureDocuments[] = {"news_2010_2011.txt", "update_2023q3.txt"};

/// Ingests the fixture documents into the registry's store; the first failure.
inline Status IngestFixtureDocuments(service::Registry& registry) {
  service::Ingestor ingestor(registry);
  for (const char* name : kFixtureDocuments) {
    auto r = ingestor.IngestFile(std::string(OCTOPUS_TEST_SOURCE_DIR) + "/src/web/testdata/" + name);
    if (!r) return r.status();
  }
  return Status::Ok();
}

class SiteTestBase : public ::testing::Test {
 protected:
  SiteTestBase(domain::Date today, bool with_records) : today_(today), with_records_(with_records) {}

  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("octopus_site_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->test_suite_name() + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto store = store::OpenStore((dir_ / "test.db").string());
    ASSERT_TRUE(store.ok()) << store.status().message();
    store_ = std::move(*store);
    auto registry = service::Registry::Open(*store_, OCTOPUS_TEST_DATA_DIR);
    ASSERT_TRUE(registry.ok()) << registry.status().message();
    registry_ = std::move(*registry);
    if (with_records_) {
      const Status ingested = IngestFixtureDocuments(*registry_);
      ASSERT_TRUE(ingested.ok()) << ingested.message();
    }
    auto knowledge = service::Knowledge::Open(*store_, OCTOPUS_TEST_DATA_DIR);
    ASSERT_TRUE(knowledge.ok()) << knowledge.status().message();
    knowledge_ = std::move(*knowledge);
    ASSERT_TRUE(knowledge_->Rebuild().ok());
    SiteOptions options;
    options.generation_check_interval = std::chrono::milliseconds(0);
    options.today = [today = today_] { return today; };
    options.log = [this](std::string_view line) { log_.emplace_back(line); };
    options.knowledge = [this](kb::Visibility v) { return knowledge_->Current(v); };
    Configure(options);
    auto site = Site::Open(*registry_, std::string(OCTOPUS_TEST_SOURCE_DIR) + "/templates",
                           std::string(OCTOPUS_TEST_SOURCE_DIR) + "/static", options);
    ASSERT_TRUE(site.ok()) << site.status().message();
    site_ = std::move(*site);
  }
  void TearDown() override {
    site_.reset();
    knowledge_.reset();
    registry_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  /// A test's own site options (accounts, authentication), set last.
  virtual void Configure(SiteOptions&) {}

  Response Get(const std::string& target) {
    Request r;
    r.target = target;
    return site_->Handle(r);
  }

  domain::Date today_;
  bool with_records_;
  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<service::Registry> registry_;
  std::unique_ptr<service::Knowledge> knowledge_;
  std::unique_ptr<Site> site_;
  std::vector<std::string> log_;
};

/// The site over the fixture documents, today 15 August 2023.
class SiteWithRecordsTest : public SiteTestBase {
 protected:
  SiteWithRecordsTest() : SiteTestBase(kToday, true) {}
};

}  // namespace octopus::web::test_support
