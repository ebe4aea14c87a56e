#pragma once
/// Test support: a site over a fresh SQLite store holding the shipped
/// reference data and the record fixtures, with today fixed at 15 August 2023.

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

class SiteWithRecordsTest : public ::testing::Test {
 protected:
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
    ASSERT_TRUE(octopus::test_support::AddRecordFixtures(*store_).ok());
    SiteOptions options;
    options.generation_check_interval = std::chrono::milliseconds(0);
    options.today = [] { return kToday; };
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

  std::filesystem::path dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<service::Registry> registry_;
  std::unique_ptr<Site> site_;
  std::vector<std::string> log_;
};

}  // namespace octopus::web::test_support
