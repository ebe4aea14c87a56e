// Search over the entities the knowledge service builds from the fixture
// documents: query parsing, accent-insensitive and
// phrase and prefix matching, parameters checked by name, facets labelled and
// counted consistently, pagination.
#include "search/search.h"

#include <gtest/gtest.h>

#include <map>

#include "core/testing/temp_dir.h"
#include "service/knowledge.h"
#include "store/testing/record_fixtures.h"

namespace octopus::search {
namespace {

using store::SearchTerm;

std::string Describe(const std::vector<SearchTerm>& terms) {
  std::string out;
  for (const auto& t : terms) out += "[" + t.text + (t.prefix ? "*" : "") + "]";
  return out;
}

TEST(ParseQueryTest, WordsPhrasesAndPrefixes) {
  const std::pair<const char*, const char*> cases[] = {
      {"", ""},
      {"   ", ""},
      {"Tonga", "[Tonga]"},
      {"cyber* legislation", "[cyber*][legislation]"},
      {"\"electronic evidence\" Turkiye", "[electronic evidence][Turkiye]"},
      {"\"unterminated phrase", "[unterminated phrase]"},
      {"a\"b c\"", "[a][b c]"},
      {"* - ( ) \"\" :", ""},
      {"NEAR(a title:x", "[NEAR(a][title:x]"},
      {"GLACY+", "[GLACY+]"},
      {"T\u00fcrkiye**", "[T\u00fcrkiye*]"},
  };
  for (const auto& [q, want] : cases) EXPECT_EQ(Describe(ParseQuery(q)), want) << q;
  std::string many;
  for (int i = 0; i < 40; ++i) many += "w" + std::to_string(i) + " ";
  EXPECT_EQ(ParseQuery(many).size(), kMaxTerms);
}

class SearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto g = domain::Gazetteer::LoadFile(std::string(OCTOPUS_TEST_DATA_DIR) + "/countries.csv");
    ASSERT_TRUE(g.ok()) << g.status().message();
    gazetteer_ = std::move(*g);
    auto s = store::OpenStore((dir_.path() / "search.db").string());
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
    ASSERT_TRUE(test_support::AddRecordFixtures(*store_).ok());
    // The documents' entities, as the knowledge service builds them.
    auto k = service::Knowledge::Open(*store_, OCTOPUS_TEST_DATA_DIR);
    ASSERT_TRUE(k.ok()) << k.status().message();
    auto current = (*k)->Current(kb::Visibility::kRestricted);
    ASSERT_TRUE(current.ok()) << current.status().message();
    knowledge_ = *current;
  }

  Result<Request> Parse(std::map<std::string, std::string> params) {
    return RequestFrom(
        [&](std::string_view name) -> std::optional<std::string> {
          auto it = params.find(std::string(name));
          if (it == params.end()) return std::nullopt;
          return it->second;
        },
        gazetteer_);
  }

  EntityResults Run(std::map<std::string, std::string> params) {
    auto r = Parse(std::move(params));
    EXPECT_TRUE(r.ok()) << r.status().message();
    if (!r.ok()) return {};
    EntitySearcher s(*store_, gazetteer_, knowledge_);
    auto results = s.Run(*r);
    EXPECT_TRUE(results.ok()) << results.status().message();
    return results.ok() ? *results : EntityResults{};
  }

  test_support::TempDir dir_;
  domain::Gazetteer gazetteer_;
  std::unique_ptr<store::Store> store_;
  std::shared_ptr<const kb::KnowledgeBase> knowledge_;
};

// The entity's text as the index reads it.
std::string TextOf(const EntityHit& h) {
  EXPECT_NE(h.entity, nullptr) << h.entity_id;
  if (!h.entity) return {};
  return h.entity->label + " " + h.entity->value("body") + " " + h.entity->value("scope");
}

TEST_F(SearchTest, TurkiyeWithoutTheAccentFindsEveryEntitySpellingIt) {
  const EntityResults r = Run({{"q", "Turkiye"}});
  EXPECT_EQ(r.total, 4);
  int with_accent = 0, without = 0;
  for (const EntityHit& h : r.hits) {
    const std::string text = TextOf(h);
    with_accent += text.find("T\u00fcrkiye") != std::string::npos;
    without += text.find("Turkiye") != std::string::npos;
  }
  EXPECT_EQ(with_accent, 3);
  EXPECT_EQ(without, 1);
  // The matched word is marked in the title, whichever spelling it has.
  EXPECT_NE(r.hits[0].title_marked.find(std::string(1, store::kMarkOpen) + "T"), std::string::npos);
}

TEST_F(SearchTest, PhraseAndPrefixQueries) {
  EXPECT_EQ(Run({{"q", "\"electronic evidence\""}}).total, 3);
  EXPECT_EQ(Run({{"q", "\"evidence electronic\""}}).total, 0);
  EXPECT_EQ(Run({{"q", "legisl*"}}).total, 3);
  EXPECT_EQ(Run({{"q", "legisl"}}).total, 0);
  const EntityResults tonga = Run({{"q", "Tonga workshop"}});
  ASSERT_EQ(tonga.total, 1);
  ASSERT_NE(tonga.hits[0].entity, nullptr);
  EXPECT_EQ(tonga.hits[0].entity->values("countries"), std::vector<std::string>{"TO"});
  EXPECT_EQ(tonga.hits[0].kind, kb::Kind::kNewsItem);
  EXPECT_EQ(tonga.hits[0].url, "/news/" + tonga.hits[0].entity_id);
  EXPECT_EQ(Unmarked(tonga.hits[0].title_marked),
            "Pacific regional workshop on cybercrime (Tonga, 27-29 April 2011)");
}

TEST_F(SearchTest, FacetsAreLabelledAndEachCountIsTheResultsOfItsFilter) {
  const EntityResults r = Run({{"q", "cybercrime"}});
  ASSERT_GT(r.total, 0);
  ASSERT_EQ(r.facets.size(), 5u);
  std::map<std::string, std::string> param_of = {
      {"kind", "kind"}, {"country", "country"}, {"project", "project"}, {"year", "year"},
      {"mode", "mode"}};
  bool saw_country_label = false;
  for (const Facet& f : r.facets) {
    for (const FacetValue& v : f.values) {
      const EntityResults narrowed = Run({{"q", "cybercrime"}, {param_of.at(f.name), v.value}});
      EXPECT_EQ(narrowed.total, v.count) << f.name << "=" << v.value;
      if (f.name == "country" && v.value == "TO") {
        EXPECT_EQ(v.label, "Tonga");
        saw_country_label = true;
      }
      if (f.name == "kind" && v.value == "news_item") {
        EXPECT_EQ(v.label, "news");
      }
    }
  }
  EXPECT_TRUE(saw_country_label);
  // A chosen value is marked, and its facet still lists the other values.
  const EntityResults activities = Run({{"kind", "activities"}});
  EXPECT_EQ(activities.total, 6);
  const Facet& kind = activities.facets[0];
  ASSERT_EQ(kind.name, "kind");
  EXPECT_EQ(kind.values.size(), 4u);  // activities, news, projects, organisations
  for (const FacetValue& v : kind.values) EXPECT_EQ(v.selected, v.value == "activity");
}

TEST_F(SearchTest, FiltersTakeNamesCodesAndDates) {
  EXPECT_EQ(Run({{"country", "Turkey"}}).total, 4);  // two activities, a news item, a project
  const EntityResults tr = Run({{"country", "T\u00fcrkiye"}, {"kind", "activity"}});
  EXPECT_EQ(tr.total, 2);
  EXPECT_EQ(tr.request.country, "TR");
  EXPECT_EQ(Run({{"project", "glacy+"}, {"kind", "activity"}}).total, 3);
  EXPECT_EQ(Run({{"project", "glacy-plus"}, {"kind", "activity"}}).total, 3);
  EXPECT_EQ(Run({{"mode", "In-Person"}}).total, 3);
  EXPECT_EQ(Run({{"year", "2011"}}).total, 2);
  const EntityResults window = Run({{"from", "2023-10"}, {"to", "2023-11"}, {"kind", "activity"}});
  EXPECT_EQ(window.request.from, "2023-10-01");
  EXPECT_EQ(window.request.to, "2023-11-30");
  EXPECT_EQ(window.total, 3);
}

TEST_F(SearchTest, MalformedParametersAreRefusedByName) {
  const std::pair<std::map<std::string, std::string>, const char*> cases[] = {
      {{{"page", "0"}}, "page:"},
      {{{"page", "two"}}, "page:"},
      {{{"per_page", "1000"}}, "per_page:"},
      {{{"per_page", "5x"}}, "per_page:"},
      {{{"year", "11"}}, "year:"},
      {{{"mode", "by pigeon"}}, "mode:"},
      {{{"kind", "treaty_action"}}, "kind:"},
      {{{"kind", "contribution"}}, "kind:"},
      {{{"country", "Atlantis"}}, "country:"},
      {{{"from", "2023-13"}}, "from:"},
      {{{"to", "yesterday"}}, "to:"},
      {{{"from", "2023-10"}, {"to", "2023-09"}}, "to:"},
      {{{"q", std::string(501, 'a')}}, "q:"},
  };
  for (const auto& [params, prefix] : cases) {
    auto r = Parse(params);
    ASSERT_FALSE(r.ok()) << prefix;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_TRUE(r.status().message().starts_with(prefix)) << r.status().message();
  }
}

TEST_F(SearchTest, PagesSplitTheResultsWithoutLosingAny) {
  const EntityResults all = Run({{"per_page", "100"}});
  // 4 news items, 6 activities, 3 projects, 2 organisations.
  ASSERT_EQ(all.total, 15);
  std::vector<std::string> seen;
  for (int page = 1; page <= 3; ++page) {
    const EntityResults r = Run({{"per_page", "5"}, {"page", std::to_string(page)}});
    EXPECT_EQ(r.total, 15);
    EXPECT_EQ(r.pages(), 3);
    for (const EntityHit& h : r.hits) seen.push_back(h.entity_id);
  }
  ASSERT_EQ(seen.size(), 15u);
  for (size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], all.hits[i].entity_id);
  EXPECT_TRUE(Run({{"per_page", "5"}, {"page", "4"}}).hits.empty());
  // Without a query, newest first; a news item's body stands in for the snippet.
  ASSERT_NE(all.hits[0].entity, nullptr);
  EXPECT_EQ(all.hits[0].entity->value("start"), "2023-11-29");
  const EntityResults news = Run({{"kind", "news"}});
  ASSERT_EQ(news.total, 4);
  EXPECT_EQ(news.hits[0].label, "United Kingdom ratifies the Convention on Cybercrime");
  EXPECT_TRUE(news.hits[0].snippet.starts_with("The United Kingdom deposited"))
      << news.hits[0].snippet;
}

TEST_F(SearchTest, OrganisationsAreFoundByNameWithTheirUrls) {
  const EntityResults orgs = Run({{"kind", "organisations"}});
  EXPECT_EQ(orgs.request.kind, "organisation");
  ASSERT_EQ(orgs.total, 2);
  const EntityResults eu = Run({{"q", "\"European Union\""}, {"kind", "organisation"}});
  ASSERT_EQ(eu.total, 1);
  EXPECT_EQ(eu.hits[0].url, "/organisations/european-union");
  EXPECT_EQ(Unmarked(eu.hits[0].title_marked), "European Union");
  // A project's facet value is its id, labelled with its name.
  const kb::Entity* glacy = knowledge_->Find("glacy-plus");
  ASSERT_NE(glacy, nullptr);
  const EntityResults activities = Run({{"kind", "activity"}});
  bool labelled = false;
  for (const Facet& f : activities.facets) {
    if (f.name != "project") continue;
    for (const FacetValue& v : f.values) {
      if (v.value == "glacy-plus") labelled = v.label == glacy->label && v.count == 3;
    }
  }
  EXPECT_TRUE(labelled);
}

}  // namespace
}  // namespace octopus::search
