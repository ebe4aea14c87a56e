#pragma once
/// Test support: a site over a fresh SQLite store holding the shipped
/// reference data (and, for SiteWithRecordsTest, the record fixtures), the
/// small knowledge base of EntityFixtures(), with a
/// fixed "today" and a store generation checked on every request.

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "kb/knowledge.h"
#include "service/registry.h"
#include "store/store.h"
#include "store/testing/record_fixtures.h"
#include "web/site.h"

namespace octopus::web::test_support {

inline const domain::Date kToday = *domain::Date::Make(2023, 8, 15);

/// A small knowledge base built from claims the way readers get one: a
/// project ("cybereast") whose budget was revised, its donor and implementer,
/// a contribution ("c-eu-1"), an activity planned then held ("a-tbilisi") and
/// a resource ("r-guide"), from two documents.
inline kb::KnowledgeBase EntityFixtures() {
  kb::KnowledgeBase kb;
  auto entity = [&](std::string id, kb::Kind kind) -> kb::Entity& {
    kb::Entity e;
    e.id = std::move(id);
    e.kind = kind;
    kb.entities.push_back(std::move(e));
    return kb.entities.back();
  };
  auto say = [](kb::Entity& e, std::string field, std::string value, std::string stated_on,
                int64_t document, int line) {
    kb::Claim c;
    c.entity_id = e.id;
    c.field = std::move(field);
    c.value = std::move(value);
    c.source.document_id = document;
    c.source.line = line;
    c.source.stated_on = std::move(stated_on);
    c.source.document_label = document == 1 ? "https://example.org/update-q2.pdf" : "Update, third quarter";
    c.source.quote = c.value;
    c.rule = "new entity";
    e.claims.push_back(std::move(c));
  };
  kb::Entity& p = entity("cybereast", kb::Kind::kProject);
  say(p, "name", "CyberEast", "2023-06-30", 1, 12);
  say(p, "budget_amount", "4945000", "2023-06-30", 1, 14);
  say(p, "budget_amount", "5450000", "2023-09-30", 2, 42);
  say(p, "budget_currency", "EUR", "2023-06-30", 1, 14);
  say(p, "funders", "european-union", "2023-06-30", 1, 15);
  say(p, "implementers", "council-of-europe", "2023-06-30", 1, 15);
  say(p, "countries", "GE", "2023-06-30", 1, 16);
  kb::Entity& eu = entity("european-union", kb::Kind::kOrganisation);
  say(eu, "name", "European Union", "2023-06-30", 1, 15);
  kb::Entity& coe = entity("council-of-europe", kb::Kind::kOrganisation);
  say(coe, "name", "Council of Europe", "2023-06-30", 1, 15);
  kb::Entity& c = entity("c-eu-1", kb::Kind::kContribution);
  say(c, "donor", "european-union", "2023-06-30", 1, 15);
  say(c, "project", "cybereast", "2023-06-30", 1, 15);
  say(c, "amount", "4500000", "2023-06-30", 1, 15);
  say(c, "currency", "EUR", "2023-06-30", 1, 15);
  kb::Entity& a = entity("a-tbilisi", kb::Kind::kActivity);
  say(a, "title", "Workshop on electronic evidence", "2023-06-30", 1, 30);
  say(a, "projects", "cybereast", "2023-06-30", 1, 30);
  say(a, "countries", "GE", "2023-06-30", 1, 30);
  say(a, "start", "2023-10-04", "2023-06-30", 1, 30);
  say(a, "status", "planned", "2023-06-30", 1, 30);
  say(a, "status", "held", "2023-09-30", 2, 50);
  kb::Entity& r = entity("r-guide", kb::Kind::kResource);
  say(r, "title", "Guide on electronic evidence", "2023-09-30", 2, 70);
  say(r, "projects", "cybereast", "2023-09-30", 2, 70);
  for (kb::Entity& e : kb.entities) kb::Derive(e);
  std::sort(kb.entities.begin(), kb.entities.end(), [](const kb::Entity& x, const kb::Entity& y) {
    return std::tie(x.kind, x.id) < std::tie(y.kind, y.id);
  });
  return kb;
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
      ASSERT_TRUE(octopus::test_support::AddRecordFixtures(*store_).ok());
    }
    SiteOptions options;
    options.generation_check_interval = std::chrono::milliseconds(0);
    options.today = [today = today_] { return today; };
    options.log = [this](std::string_view line) { log_.emplace_back(line); };
    options.knowledge = [kb = std::make_shared<const kb::KnowledgeBase>(EntityFixtures())]()
        -> Result<std::shared_ptr<const kb::KnowledgeBase>> { return kb; };
    Configure(options);
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

  /// Changes the site's options before it opens (the store and registry are open).
  virtual void Configure(SiteOptions&) {}

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
