#pragma once
/// Test support: a site over a fresh SQLite store holding the shipped
/// reference data (and, for SiteWithRecordsTest, the record fixtures), with a
/// fixed "today" and a store generation checked on every request.

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "service/registry.h"
#include "store/store.h"
#include "store/testing/record_fixtures.h"
#include "web/site.h"

namespace octopus::web::test_support {

inline const domain::Date kToday = *domain::Date::Make(2023, 8, 15);

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
      ASSERT_TRUE(octopus::test_support::AddRecordFixtures(*store_).ok());
    }
    SiteOptions options;
    options.generation_check_interval = std::chrono::milliseconds(0);
    options.today = [today = today_] { return today; };
    options.log = [this](std::string_view line) { log_.emplace_back(line); };
    auto site = Site::Open(*registry_, std::string(OCTOPUS_TEST_SOURCE_DIR) + "/templates",
                           std::string(OCTOPUS_TEST_SOURCE_DIR) + "/static", options);
    ASSERT_TRUE(site.ok()) << site.status().message();
    site_ = std::move(*site);
  }
  void TearDown() override {
    site_.reset();
    registry_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

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
  std::unique_ptr<Site> site_;
  std::vector<std::string> log_;
};

/// The site over the record fixtures, today 15 August 2023.
class SiteWithRecordsTest : public SiteTestBase {
 protected:
  SiteWithRecordsTest() : SiteTestBase(kToday, true) {}
};

}  // namespace octopus::web::test_support
