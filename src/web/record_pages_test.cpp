// The pages, API, feeds and exports over the knowledge base's entities, on the
// fixture documents (src/web/testdata: a news page of 2010–2011 and the
// July–September 2023 update) ingested and built into entities the way the
// program does it, with today fixed at 15 August 2023.
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "kb/knowledge.h"
#include "service/ingest.h"
#include "service/knowledge.h"
#include "service/registry.h"
#include "store/migrations.h"
#include "store/sqlite/sqlite_connection.h"
#include "store/store.h"
#include "web/internal/entity_views.h"
#include "web/internal/routes.h"
#include "web/site.h"
#include "web/templates.h"
#include "web/testing/site_fixture.h"

namespace octopus::web {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using test_support::kToday;

// What the fixture documents give, as the knowledge base builds it.
constexpr int kFixtureNews = 6;
constexpr int kFixtureActivities = 10;
constexpr int kFixtureProjects = 4;

class RecordPagesTest : public test_support::SiteWithRecordsTest {
 protected:
  /// A 200 page, checked for leftover template syntax.
  std::string Page(const std::string& target) {
    const Response r = Get(target);
    EXPECT_EQ(r.status, 200) << target << "\n" << r.body.substr(0, 500);
    EXPECT_EQ(r.content_type, "text/html; charset=utf-8") << target;
    EXPECT_EQ(r.body.find("{{"), std::string::npos) << target;
    return r.body;
  }

  json Api(const std::string& target, int status = 200) {
    const Response r = Get(target);
    EXPECT_EQ(r.status, status) << target << "\n" << r.body.substr(0, 500);
    EXPECT_EQ(r.content_type, "application/json") << target;
    json j = json::parse(r.body, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << target;
    return j;
  }

  /// The id of the one news item naming `country`.
  std::string NewsId(const std::string& country) {
    const json j = Api("/api/v1/news?country=" + country);
    EXPECT_EQ(j["items"].size(), 1u) << country;
    return j["items"].empty() ? "" : j["items"][0]["id"].get<std::string>();
  }

  /// The id of the entity of an API list (/api/v1/{list}) whose label starts so.
  std::string IdOf(const std::string& list, const std::string& label) {
    const json j = Api("/api/v1/" + list + (list == "resources" ? "" : "?per_page=100"));
    for (const json& item : j[list == "resources" ? "resources" : "items"]) {
      if (item["label"].get<std::string>().starts_with(label)) return item["id"];
    }
    ADD_FAILURE() << "no " << list << " labelled " << label;
    return "";
  }

  /// The id of the record of `kind` whose fields hold `words`.
  int64_t RecordId(const std::string& kind, const std::string& words) {
    auto records = store_->Records(kind);
    EXPECT_TRUE(records.ok());
    for (const store::RecordRow& r : *records) {
      if (r.fields_json.find(words) != std::string::npos) return r.id;
    }
    ADD_FAILURE() << "no " << kind << " record with " << words;
    return 0;
  }

  /// The values of an entity's field (from its JSON), and the lines of their sources.
  static std::vector<std::string> Values(const json& entity, const std::string& field) {
    std::vector<std::string> out;
    for (const json& f : entity["fields"]) {
      if (f["name"] != field) continue;
      for (const json& v : f["values"]) out.push_back(v["value"]);
    }
    return out;
  }
  static std::vector<int> Lines(const json& entity, const std::string& field) {
    std::vector<int> out;
    for (const json& f : entity["fields"]) {
      if (f["name"] != field) continue;
      for (const json& v : f["values"]) {
        for (const json& s : v["sources"]) out.push_back(s["line"]);
      }
    }
    std::sort(out.begin(), out.end());
    return out;
  }
};

size_t Count(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST_F(RecordPagesTest, HomeShowsLatestNewsAndWhatComesNext) {
  const std::string home = Page("/");
  EXPECT_NE(home.find("Latest news"), std::string::npos);
  EXPECT_NE(home.find("Japan makes a voluntary contribution to the Octopus Project"), std::string::npos);
  EXPECT_NE(home.find("Coming next"), std::string::npos);
  const size_t next = home.find("Coming next");
  // From today on, soonest first; July's training is past.
  const size_t sept = home.find("12\u201314 September 2023", next);
  const size_t by_oct = home.find("by October 2023", next);
  const size_t mid_nov = home.find("mid-November 2023", next);
  EXPECT_NE(sept, std::string::npos);
  EXPECT_LT(sept, by_oct);
  EXPECT_LT(by_oct, mid_nov);
  EXPECT_EQ(home.find("Online training for judges"), std::string::npos);
  EXPECT_NE(home.find("Treaty figures today"), std::string::npos);
}

TEST_F(RecordPagesTest, NewsListsByYearNewestFirstWithFiltersEachItemLinkingToItsEntity) {
  const std::string all = Page("/news");
  const size_t y2023 = all.find("<h2>2023</h2>"), y2011 = all.find("<h2>2011</h2>"),
               y2010 = all.find("<h2>2010</h2>");
  ASSERT_NE(y2023, std::string::npos);
  EXPECT_LT(y2023, y2011);
  EXPECT_LT(y2011, y2010);
  EXPECT_LT(all.find("United Kingdom ratified"), all.find("Pacific regional workshop"));
  EXPECT_EQ(Count(all, "class=\"record news-item\""), static_cast<size_t>(kFixtureNews));
  const std::string tonga_id = NewsId("TO");
  EXPECT_NE(all.find("href=\"&#x2F;news&#x2F;" + tonga_id + "\""), std::string::npos);
  // Each item names the document and line it comes from.
  EXPECT_NE(all.find("news_2010_2011.txt, line 3</span>"), std::string::npos);

  const std::string tonga = Page("/news?country=TO");
  EXPECT_EQ(Count(tonga, "class=\"record news-item\""), 1u);
  EXPECT_NE(tonga.find("Pacific regional workshop on cybercrime (Tonga, 27-29 April 2011)"),
            std::string::npos);
  EXPECT_EQ(Count(Page("/news?year=2010"), "class=\"record news-item\""), 2u);
  EXPECT_EQ(Count(Page("/news?project=iPROCEEDS-2"), "class=\"record news-item\""), 1u);
  EXPECT_EQ(Count(Page("/news?project=iproceeds-2"), "class=\"record news-item\""), 1u);

  const std::string found = Page("/news?q=turkiye");
  EXPECT_EQ(Count(found, "class=\"record news-item\""), 2u);
  EXPECT_NE(found.find("<mark>T\u00fcrkiye</mark>"), std::string::npos);

  const std::string paged = Page("/news?per_page=1&page=2");
  EXPECT_NE(paged.find("Page 2 of 6"), std::string::npos);
  EXPECT_NE(paged.find("rel=\"prev\""), std::string::npos);
  EXPECT_NE(paged.find("page&#x3D;3"), std::string::npos);

  EXPECT_EQ(Get("/news?year=11").status, 400);
  EXPECT_EQ(Get("/news?country=Atlantis").status, 400);
  // Not a news filter: ignored by the page, as a tracking parameter is.
  EXPECT_EQ(Page("/news?mode=online"), Page("/news"));
}

TEST_F(RecordPagesTest, NewsItemShowsEachFieldWithItsSourceAndAnOldRecordNumberMovesThere) {
  const std::string tonga = NewsId("TO");
  const std::string page = Page("/news/" + tonga);
  EXPECT_NE(page.find("news_2010_2011.txt, line 3"), std::string::npos);
  EXPECT_NE(page.find("<p>The Government of Tonga hosted a regional workshop"), std::string::npos);
  // Paragraphs as the source separates them.
  EXPECT_NE(page.find("<p>Delegations from eight island States compared their draft laws.</p>"),
            std::string::npos);
  EXPECT_NE(page.find("href=\"&#x2F;countries&#x2F;TO\""), std::string::npos);
  // The activity it reports, linked.
  EXPECT_NE(page.find("Activities it reports"), std::string::npos);

  const json item = Api("/api/v1/news/" + tonga);
  EXPECT_EQ(item["kind"], "news_item");
  EXPECT_EQ(item["url"], "/news/" + tonga);
  EXPECT_EQ(Values(item, "countries"), std::vector<std::string>{"TO"});
  EXPECT_EQ(Lines(item, "date"), std::vector<int>{3});

  // An old link by record number moves to the news item its record became.
  const int64_t record = RecordId("news_item", "Government of Tonga");
  const Response moved = Get("/news/" + std::to_string(record));
  EXPECT_EQ(moved.status, 301);
  EXPECT_EQ(moved.Header("Location"), "/news/" + tonga);
  EXPECT_EQ(Get("/api/v1/news/" + std::to_string(record)).Header("Location"), "/api/v1/news/" + tonga);
  // A record that is no news item, or none at all: not found.
  EXPECT_EQ(Get("/news/" + std::to_string(RecordId("link", "Agenda"))).status, 404);
  EXPECT_EQ(Get("/news/999999").status, 404);
  EXPECT_EQ(Get("/news/abc").status, 404);
  EXPECT_EQ(Get("/news/-1").status, 404);
  EXPECT_EQ(Api("/api/v1/news/999999", 404)["status"], 404);
}

TEST_F(RecordPagesTest, CalendarGroupsByMonthAndShowsFuzzyDatesHonestly) {
  const std::string cal = Page("/activities");
  const size_t july = cal.find("<h2>July 2023</h2>"), sept = cal.find("<h2>September 2023</h2>"),
               oct = cal.find("<h2>October 2023</h2>"), nov = cal.find("<h2>November 2023</h2>"),
               tbc = cal.find("<h2>Date to be confirmed</h2>");
  ASSERT_NE(july, std::string::npos);
  EXPECT_LT(cal.find("<h2>March 2010</h2>"), july);
  EXPECT_LT(july, sept);
  EXPECT_LT(sept, oct);
  EXPECT_LT(oct, nov);
  EXPECT_LT(nov, tbc);
  EXPECT_NE(cal.find("by October 2023"), std::string::npos);
  EXPECT_NE(cal.find("mid-November 2023"), std::string::npos);
  EXPECT_NE(cal.find(">TBC<"), std::string::npos);
  EXPECT_NE(cal.find("29 November \u2013 1 December 2023"), std::string::npos);
  EXPECT_NE(cal.find("class=\"when fuzzy\""), std::string::npos);
  EXPECT_NE(cal.find("cancelled"), std::string::npos);
  EXPECT_EQ(Count(cal, "class=\"record activity\""), static_cast<size_t>(kFixtureActivities));

  EXPECT_EQ(Count(Page("/activities?mode=online"), "class=\"record activity\""), 2u);
  EXPECT_EQ(Count(Page("/activities?mode=in+person"), "class=\"record activity\""), 3u);
  EXPECT_EQ(Count(Page("/activities?project=GLACY%2B"), "class=\"record activity\""), 4u);
  EXPECT_EQ(Count(Page("/activities?country=Turkey"), "class=\"record activity\""), 2u);
  const std::string window = Page("/activities?from=2023-10&to=2023-11");
  EXPECT_EQ(Count(window, "class=\"record activity\""), 3u);
  EXPECT_EQ(window.find("Date to be confirmed"), std::string::npos);

  EXPECT_EQ(Get("/activities?mode=carrier-pigeon").status, 400);
  EXPECT_EQ(Get("/activities?from=2023-13").status, 400);
  EXPECT_EQ(Get("/activities?from=2023-12&to=2023-01").status, 400);

  const json api = Api("/api/v1/activities?country=GH&to=2023-11");
  ASSERT_EQ(api["items"].size(), 1u);
  EXPECT_EQ(api["items"][0]["when"], "by October 2023");
  EXPECT_EQ(api["items"][0]["precision"], "by");
  EXPECT_EQ(api["items"][0]["status"], "planned");
  EXPECT_TRUE(api["items"][0]["start"].is_null());
  EXPECT_EQ(api["items"][0]["date_hi"], "2023-10-31");
  EXPECT_EQ(Api("/api/v1/activities?mode=hybrid")["total"], 1);
}

TEST_F(RecordPagesTest, ProjectsListOneEntryPerProjectAndAProjectIsAtItsId) {
  const std::string list = Page("/projects");
  EXPECT_NE(list.find("Global Action on Cybercrime Extended"), std::string::npos);
  EXPECT_NE(list.find("EUR 18,890,000"), std::string::npos);
  EXPECT_NE(list.find("href=\"&#x2F;projects&#x2F;glacy-plus\""), std::string::npos);
  EXPECT_EQ(Count(list, "class=\"record project\""), static_cast<size_t>(kFixtureProjects));

  const Response moved = Get("/projects/GLACY%2B");
  EXPECT_EQ(moved.status, 301);
  EXPECT_EQ(moved.Header("Location"), "/projects/glacy-plus");
  const std::string glacy = Page("/projects/glacy-plus");
  EXPECT_NE(glacy.find("<h1>Global Action on Cybercrime Extended</h1>"), std::string::npos);
  EXPECT_EQ(Count(glacy, "<li><a href=\"&#x2F;activities&#x2F;"), 4u);
  // Named by an activity and described by its own basics.
  const std::string octopus = Page("/projects/octopus");
  EXPECT_EQ(Count(octopus, "<li><a href=\"&#x2F;activities&#x2F;"), 1u);
  EXPECT_EQ(Get("/projects/Nothing%20Such").status, 404);

  const json api = Api("/api/v1/projects");
  EXPECT_EQ(api["total"], kFixtureProjects);
  EXPECT_EQ(api["items"].size(), static_cast<size_t>(kFixtureProjects));
  const json one = Api("/api/v1/projects/glacy-plus");
  EXPECT_EQ(Values(one, "budget_amount"), std::vector<std::string>{"18890000"});
  EXPECT_EQ(Get("/api/v1/projects/GLACY%2B").Header("Location"), "/api/v1/projects/glacy-plus");
  EXPECT_EQ(Api("/api/v1/projects/none", 404)["status"], 404);
  EXPECT_EQ(Api("/api/v1/projects?per_page=3&page=2")["items"].size(), 1u);
}

TEST_F(RecordPagesTest, NewsItemCitesTheUrlItsDocumentWasPublishedAtInsteadOfTheLocalPath) {
  service::IngestOptions opts;
  opts.date = "2024-06-20";
  opts.source_url = "https://www.coe.int/en/web/cybercrime/-/fiji-accedes";
  service::Ingestor ingestor(*registry_);
  auto ingested = ingestor.IngestBytes(
      "Fiji acceded to the Convention on Cybercrime (20 June 2024, Strasbourg)\n\n"
      "[20 June 2024, Strasbourg] Fiji deposited its instrument of accession to the Convention on "
      "Cybercrime.\n",
      "/tmp/downloads/fiji.txt", opts);
  ASSERT_TRUE(ingested.ok()) << ingested.status().message();
  const std::string id = NewsId("FJ");

  const std::string page = Page("/news/" + id);
  EXPECT_NE(page.find("href=\"https:&#x2F;&#x2F;www.coe.int&#x2F;en&#x2F;web&#x2F;cybercrime&#x2F;-&#x2F;fiji-accedes\""),
            std::string::npos);
  EXPECT_NE(page.find("2024-06-20"), std::string::npos);
  EXPECT_EQ(page.find("downloads"), std::string::npos);  // the local path is not the citation
  const json item = Api("/api/v1/news/" + id);
  const json& source = item["fields"][0]["values"][0]["sources"][0];
  EXPECT_EQ(source["document"], "https://www.coe.int/en/web/cybercrime/-/fiji-accedes");
  EXPECT_EQ(source["href"], "https://www.coe.int/en/web/cybercrime/-/fiji-accedes");
  EXPECT_EQ(source["stated_on"], "2024-06-20");
  // A document without a URL still names the file it was read from.
  const json seed = Api("/api/v1/news/" + NewsId("TO"));
  const json& seed_source = seed["fields"][0]["values"][0]["sources"][0];
  EXPECT_TRUE(seed_source["href"].is_null());
  EXPECT_TRUE(seed_source["document"].get<std::string>().ends_with("news_2010_2011.txt"));
}

TEST_F(RecordPagesTest, AProjectDescribedTwiceIsOneProjectWithTheSourcesOfBoth) {
  // iPROCEEDS-2 is described in its own section and in the inventory of projects.
  const std::string list = Page("/projects");
  EXPECT_EQ(Count(list, ">iPROCEEDS-2</a>"), 1u);
  const json api = Api("/api/v1/projects");
  bool found = false;
  for (const json& p : api["items"]) {
    if (p["id"] != "iproceeds-2") continue;
    found = true;
    ASSERT_EQ(p["sources"].size(), 1u);
    EXPECT_EQ(p["sources"][0]["lines"], "33, 104");
    // Both state the budget: one value, both sources.
    EXPECT_EQ(Values(p, "budget_amount"), std::vector<std::string>{"4950000"});
    EXPECT_EQ(Lines(p, "budget_amount"), (std::vector<int>{33, 104}));
  }
  EXPECT_TRUE(found);
  const Response csv = Get("/projects.csv");
  EXPECT_EQ(Count(csv.body, "\r\niproceeds-2,"), 1u);
  EXPECT_NE(Page("/countries/AL").find("iPROCEEDS-2"), std::string::npos);
}

TEST_F(RecordPagesTest, CountryBringsTreatiesProjectsActivitiesAndNewsTogether) {
  const std::string tr = Page("/countries/TR");
  EXPECT_NE(tr.find("<h1>T\u00fcrkiye"), std::string::npos);
  EXPECT_NE(tr.find("ETS 185"), std::string::npos);
  EXPECT_NE(tr.find("iPROCEEDS-2"), std::string::npos);
  EXPECT_EQ(Count(tr, "class=\"record activity\""), 2u);
  EXPECT_NE(tr.find("Workshop on cybercrime legislation in T\u00fcrkiye (Ankara, 10 June 2010)"),
            std::string::npos);
  EXPECT_EQ(Page("/countries/tr"), tr);

  const json gb = Api("/api/v1/countries/GB");
  EXPECT_EQ(gb["name"], "United Kingdom");
  EXPECT_EQ(gb["as_of"], "2023-08-15");
  bool found = false;
  for (const json& t : gb["treaties"]) {
    if (t["ref"] != "ETS 185") continue;
    found = true;
    EXPECT_EQ(t["consent"], "2011-05-25");
  }
  EXPECT_TRUE(found);
  ASSERT_EQ(gb["news"].size(), 1u);
  EXPECT_EQ(gb["news"][0]["kind"], "news_item");
  const json tr_api = Api("/api/v1/countries/TR");
  EXPECT_EQ(tr_api["activities"].size(), 2u);
  EXPECT_EQ(tr_api["projects"][0]["href"], "/projects/iproceeds-2");
  EXPECT_EQ(Get("/countries/ZZ").status, 404);
  EXPECT_EQ(Api("/api/v1/countries/Narnia", 404)["status"], 404);
}

TEST_F(RecordPagesTest, CountryPageShowsTheLatestProfileRevisionRenderedSafely) {
  // No profile yet: no profile section, and null in the API.
  EXPECT_EQ(Page("/countries/TR").find("class=\"profile\""), std::string::npos);
  EXPECT_TRUE(Api("/api/v1/countries/TR")["profile"].is_null());

  ASSERT_TRUE(store_->AddProfileRevision("TR", "Old text.", "Ana", "first").ok());
  ASSERT_TRUE(store_
                  ->AddProfileRevision("TR",
                                       "## Legislation\n\n| Law | Year |\n|---|---|\n| 5651 | 2007 |\n\n"
                                       "<script>alert(1)</script>\n\n[bad](javascript:alert(1))\n",
                                       "Ben", "tables")
                  .ok());
  const std::string tr = Page("/countries/TR");
  EXPECT_NE(tr.find("<h2>Legislation</h2>"), std::string::npos);
  EXPECT_NE(tr.find("<td>5651</td>"), std::string::npos);
  EXPECT_EQ(tr.find("Old text."), std::string::npos);
  EXPECT_EQ(tr.find("<script"), std::string::npos);
  EXPECT_EQ(tr.find("javascript:"), std::string::npos);
  EXPECT_NE(tr.find("Revision 2 of 2, by Ben on"), std::string::npos);
  EXPECT_NE(tr.find("href=\"&#x2F;countries&#x2F;TR&#x2F;history\""), std::string::npos);

  const json j = Api("/api/v1/countries/TR");
  ASSERT_TRUE(j["profile"].is_object());
  EXPECT_EQ(j["profile"]["revision"], 2);
  EXPECT_EQ(j["profile"]["author"], "Ben");
  EXPECT_NE(j["profile"]["markdown"].get<std::string>().find("## Legislation"), std::string::npos);
  EXPECT_NE(j["profile"]["html"].get<std::string>().find("<table>"), std::string::npos);
  EXPECT_FALSE(j["profile"]["created_at"].get<std::string>().empty());

  const std::string history = Page("/countries/TR/history");
  const size_t second = history.find("Revision 2"), first = history.find("Revision 1");
  ASSERT_NE(second, std::string::npos);
  EXPECT_LT(second, first);
  EXPECT_NE(history.find("by Ana"), std::string::npos);
  EXPECT_NE(history.find(": first"), std::string::npos);
  EXPECT_NE(Page("/countries/GB/history").find("No profile has been written"), std::string::npos);
  EXPECT_EQ(Get("/countries/ZZ/history").status, 404);
}

TEST_F(RecordPagesTest, ResourcesListThePublicationsTheDocumentsLinkToWithTheirSources) {
  const std::string page = Page("/resources");
  EXPECT_EQ(Count(page, "class=\"record resource\""), 1u);
  EXPECT_NE(page.find(">Guide on the ratification of the Convention on Cybercrime</a>"), std::string::npos);
  EXPECT_NE(page.find("news_2010_2011.txt, line 20"), std::string::npos);
  const std::string id = Api("/api/v1/resources")["resources"][0]["id"];
  EXPECT_NE(page.find("href=\"&#x2F;resources&#x2F;" + id + "\""), std::string::npos);
  EXPECT_NE(Page("/").find("<a href=\"/resources\">Resources</a>"), std::string::npos);

  const json all = Api("/api/v1/resources");
  ASSERT_EQ(all["count"], 1);
  EXPECT_EQ(all["resources"][0]["label"], "Guide on the ratification of the Convention on Cybercrime");
  EXPECT_EQ(Lines(all["resources"][0], "title"), std::vector<int>{20});
  EXPECT_EQ(Api("/api/v1/resources?q=guide")["count"], 1);
  // "Agenda" is a link, not a publication.
  EXPECT_EQ(Api("/api/v1/resources?q=agenda")["count"], 0);

  const std::string none = Page("/resources?q=nothing-like-this");
  EXPECT_NE(none.find("No resource matches"), std::string::npos);
  // Not a parameter of this page: ignored, the list shown whole.
  EXPECT_EQ(Page("/resources?page=2"), Page("/resources"));
}

TEST_F(RecordPagesTest, CountryListCountsTheEntitiesNamingEachCountry) {
  const std::string page = Page("/countries");
  EXPECT_NE(page.find(">Tonga</a> <span class=\"count\">2</span>"), std::string::npos);
  EXPECT_NE(page.find(">Albania</a> <span class=\"count\">1</span>"), std::string::npos);
  EXPECT_NE(page.find(">New Zealand</a></li>"), std::string::npos);  // named by no entity
  const json j = Api("/api/v1/countries");
  EXPECT_EQ(j["count"].get<size_t>(), registry_->gazetteer().all().size());
  for (const json& c : j["countries"]) {
    const std::string code = c["iso2"];
    if (code == "TR" || code == "NZ") {
      EXPECT_EQ(c["entities"], code == "TR" ? 5 : 0) << code;
    }
  }
}

TEST_F(RecordPagesTest, SearchRanksHighlightsAndCountsFacetsOverEntities) {
  const std::string page = Page("/search?q=Turkiye");
  EXPECT_NE(page.find("7 results"), std::string::npos);
  EXPECT_NE(page.find("<mark>T\u00fcrkiye</mark>"), std::string::npos);
  EXPECT_NE(page.find("<mark>Turkiye</mark>"), std::string::npos);
  EXPECT_NE(page.find("class=\"facet facet-kind\""), std::string::npos);

  const json j = Api("/api/v1/search?q=Turkiye");
  EXPECT_EQ(j["total"], 7);  // the country, three activities, two news items, a project
  ASSERT_EQ(j["results"].size(), 7u);
  for (const json& r : j["results"]) {
    for (const char* key : {"kind", "id", "title", "url", "snippet"}) {
      EXPECT_TRUE(r[key].is_string()) << key;
    }
    EXPECT_EQ(r["sources"].empty(), r["kind"] == "country") << r["title"];
    EXPECT_EQ(r["snippet"].get<std::string>().find('\x02'), std::string::npos);
  }
  int kinds = 0;
  for (const json& v : j["facets"]["kind"]) {
    kinds += v["count"].get<int>();
    EXPECT_EQ(Api("/api/v1/search?q=Turkiye&kind=" + v["value"].get<std::string>())["total"],
              v["count"]);
  }
  EXPECT_EQ(kinds, 7);
  EXPECT_EQ(Api("/api/v1/search?q=%22electronic%20evidence%22")["total"], 3);
  EXPECT_EQ(Api("/api/v1/search?q=legisl*")["total"], 5);
  EXPECT_EQ(Api("/api/v1/search?q=Turkiye&per_page=1000", 400)["status"], 400);
  EXPECT_EQ(Api("/api/v1/search?kind=treaty", 400)["status"], 400);
  EXPECT_EQ(Page("/search").find("<mark>"), std::string::npos);
}

TEST_F(RecordPagesTest, SearchFindsACountrysPageByItsNameAndItsProfile) {
  const json j = Api("/api/v1/search?q=Georgia");
  bool country = false;
  for (const json& r : j["results"]) {
    if (r["kind"] != "country" || r["id"] != "GE") continue;
    country = true;
    EXPECT_EQ(r["url"], "/countries/GE");
    EXPECT_EQ(r["title"], "Georgia");
  }
  EXPECT_TRUE(country);
  // Its kind is a facet like the others: the count is what the filter gives.
  for (const json& v : j["facets"]["kind"]) {
    EXPECT_EQ(Api("/api/v1/search?q=Georgia&kind=" + v["value"].get<std::string>())["total"], v["count"]);
  }
  // Georgia, and South Georgia and the South Sandwich Islands.
  EXPECT_EQ(Api("/api/v1/search?q=Georgia&kind=country")["total"], 2);
  EXPECT_NE(Page("/search?q=Georgia").find("href=\"&#x2F;countries&#x2F;GE\""), std::string::npos);
  // The profile's words find it too, once written.
  EXPECT_EQ(Api("/api/v1/search?q=cassation")["total"], 0);
  ASSERT_TRUE(store_->AddProfileRevision("GE", "The court of cassation hears appeals.", "Ana", "").ok());
  const json profile = Api("/api/v1/search?q=cassation");
  ASSERT_EQ(profile["total"], 1);
  EXPECT_EQ(profile["results"][0]["url"], "/countries/GE");
}

struct XmlDocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};

TEST_F(RecordPagesTest, FeedsAndExportsGiveOneEntryPerEntity) {
  const Response atom = Get("/news.atom");
  ASSERT_EQ(atom.status, 200);
  EXPECT_EQ(atom.content_type, "application/atom+xml; charset=utf-8");
  std::unique_ptr<xmlDoc, XmlDocFree> doc(
      xmlReadMemory(atom.body.data(), static_cast<int>(atom.body.size()), "news.atom", "utf-8",
                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
  ASSERT_NE(doc, nullptr) << atom.body;
  EXPECT_STREQ(reinterpret_cast<const char*>(xmlDocGetRootElement(doc.get())->name), "feed");
  EXPECT_EQ(Count(atom.body, "<entry>"), static_cast<size_t>(kFixtureNews));
  EXPECT_NE(atom.body.find("<updated>2011-05-25T00:00:00Z</updated>"), std::string::npos);
  EXPECT_NE(atom.body.find("tag:octopus,2009:news/" + NewsId("TO")), std::string::npos);

  const Response ics = Get("/activities.ics");
  ASSERT_EQ(ics.status, 200);
  EXPECT_EQ(ics.content_type, "text/calendar; charset=utf-8");
  EXPECT_EQ(Count(ics.body, "BEGIN:VEVENT"), 9u);  // the undated TBC one is left out…
  std::string unfolded = ics.body;
  for (size_t at = unfolded.find("\r\n "); at != std::string::npos; at = unfolded.find("\r\n ", at)) {
    unfolded.erase(at, 3);
  }
  EXPECT_NE(unfolded.find("1 activity without any date (TBC) is left out"), std::string::npos);
  EXPECT_EQ(Count(ics.body, "\n"), Count(ics.body, "\r\n"));
  EXPECT_NE(ics.body.find("DTSTART;VALUE=DATE:20231001"), std::string::npos);
  EXPECT_NE(ics.body.find("[by October 2023]"), std::string::npos);
  // Planned activities are tentative, the cancelled one cancelled, the others held or reported.
  EXPECT_EQ(Count(ics.body, "STATUS:TENTATIVE"), 3u);
  EXPECT_EQ(Count(ics.body, "STATUS:CANCELLED"), 1u);
  EXPECT_EQ(Count(ics.body, "STATUS:CONFIRMED"), 5u);
  EXPECT_NE(ics.body.find("UID:activity-" + IdOf("activities", "Regional workshop on cybercrime and") +
                          "@octopus"),
            std::string::npos);
  EXPECT_EQ(Count(Get("/activities.ics?project=CyberEast").body, "BEGIN:VEVENT"), 1u);
  EXPECT_EQ(Get("/activities.ics?mode=x").status, 400);

  const Response csv = Get("/activities.csv");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.content_type, "text/csv; charset=utf-8");
  EXPECT_EQ(Count(csv.body, "\r\n"), static_cast<size_t>(kFixtureActivities) + 1);
  EXPECT_TRUE(csv.body.starts_with("id,title,projects,places,countries,mode,start,end,precision"));
  EXPECT_NE(csv.body.find(",,2023-10,by,by October 2023,2023-10-01,2023-10-31,planned,"), std::string::npos);
  EXPECT_NE(csv.body.find(",29 November \u2013 1 December 2023,"), std::string::npos);
  EXPECT_NE(csv.body.find("update_2023q3.txt (line 23, 84)"), std::string::npos);  // save the date and coming next

  const json activities = json::parse(Get("/activities.json?country=TR").body);
  EXPECT_EQ(activities["count"], 2);
  const Response projects = Get("/projects.csv");
  EXPECT_EQ(Count(projects.body, "\r\n"), static_cast<size_t>(kFixtureProjects) + 1);
  EXPECT_NE(projects.body.find("glacy-plus,Global Action on Cybercrime Extended,2016-03,2024-02,"),
            std::string::npos);
  EXPECT_NE(projects.body.find(",18890000,EUR,Council of Europe; European Union,"), std::string::npos);
  EXPECT_EQ(json::parse(Get("/projects.json").body)["count"], kFixtureProjects);
  EXPECT_NE(projects.Header("Content-Disposition").find("projects.csv"), std::string::npos);
}

TEST_F(RecordPagesTest, TextThatASpreadsheetWouldRunIsNeutralisedInEveryCsvExport) {
  store::SourceInfo source;
  source.kind = "document";
  source.origin = "seeds/hostile.txt";
  source.sha256 = "fixture-hostile";
  store::DocumentRow row;
  row.path = source.origin;
  row.format = "text";
  row.shape = "update";
  row.report_json = R"({"lines":3,"unused":[]})";
  const std::vector<store::RecordRow> records = {
      {0, 0, "activity", 1,
       R"j({"projects":["CyberEast"],"title":"=HYPERLINK(\"http://evil.example\",\"Open\")",
        "places":["@Tbilisi"],"countries":["GE"],"mode":"online","start":"2023-08-01",
        "end":"2023-08-01","precision":"day"})j"},
      {0, 0, "project", 2,
       R"j({"name":"Hostile","start":"2020-01","end":"2021-01","scope":"+cmd|' /C calc'!A0",
        "budget_amount":-5,"budget_currency":"EUR","funders":["-Someone"],"countries":["GE"]})j"},
  };
  ASSERT_TRUE(store_->AddDocument(source, row, records, {}).ok());
  site_->Invalidate();

  const Response activities = Get("/activities.csv");
  ASSERT_EQ(activities.status, 200);
  EXPECT_NE(activities.body.find(",\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Open\"\")\","),
            std::string::npos)
      << activities.body;
  EXPECT_NE(activities.body.find(",'@Tbilisi,"), std::string::npos) << activities.body;
  EXPECT_EQ(activities.body.find(",=HYPERLINK"), std::string::npos);

  const Response projects = Get("/projects.csv");
  ASSERT_EQ(projects.status, 200);
  EXPECT_NE(projects.body.find(",'+cmd|' /C calc'!A0,-5,EUR,"), std::string::npos)
      << projects.body;
}

TEST_F(RecordPagesTest, OpenApiDocumentsEveryListFeedAndExport) {
  const json doc = Api("/api/v1/openapi.json");
  for (const char* p :
       {"/api/v1/news", "/api/v1/news/{id}", "/api/v1/activities", "/api/v1/projects",
        "/api/v1/projects/{name}", "/api/v1/countries/{iso2}", "/api/v1/search",
        "/api/v1/treaties/{ref}/status", "/api/v1/treaties/{ref}/timeline", "/news.atom",
        "/activities.ics", "/activities.csv", "/activities.json", "/projects.csv",
        "/projects.json", "/api/v1/resources"}) {
    ASSERT_TRUE(doc["paths"].contains(p)) << p;
    EXPECT_TRUE(doc["paths"][p]["get"]["responses"].contains("200")) << p;
  }
  bool per_page = false;
  for (const json& param : doc["paths"]["/api/v1/news"]["get"]["parameters"]) {
    if (param["name"] == "per_page") {
      per_page = true;
      EXPECT_EQ(param["schema"]["type"], "integer");
    }
  }
  EXPECT_TRUE(per_page);
  EXPECT_TRUE(doc["paths"]["/api/v1/countries/{iso2}"]["get"]["responses"].contains("404"));
  EXPECT_TRUE(doc["paths"]["/api/v1/search"]["get"]["responses"].contains("400"));
  EXPECT_TRUE(doc["paths"]["/api/v1/news/{id}"]["get"]["responses"].contains("301"));
  EXPECT_EQ(doc["paths"]["/api/v1/news"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/ItemList");
}

TEST_F(RecordPagesTest, TreatyStatusAsOfAndTimelineApis) {
  const json status = Api("/api/v1/treaties/ETS-185/status?as_of=2011-06-01");
  EXPECT_EQ(status["consents"]["min"], 31);
  EXPECT_FALSE(Api("/api/v1/treaties/ETS-185/timeline")["timeline"].empty());
  EXPECT_EQ(Api("/api/v1/treaties/ETS-185/status?as_of=2011-13-01", 400)["status"], 400);
  EXPECT_EQ(Api("/api/v1/treaties/ETS-999/timeline", 404)["status"], 404);
}

/// A document whose every text field is markup, to go through every page.
std::vector<store::RecordRow> HostileRecords(const std::string& p) {
  const std::string s = "\"" + p + "\"";
  return {
      {0, 0, "news_item", 1,
       "{\"title\":" + s + ",\"date\":\"2023-08-20\",\"place\":" + s + ",\"event_start\":\"2023-08-20\","
       "\"event_end\":null,\"event_place\":" + s + ",\"countries\":[" + s + ",\"TR\"],"
       "\"projects\":[" + s + "],\"treaties\":[" + s + "],\"body\":" + s + "}"},
      {0, 0, "link", 2, "{\"caption\":" + s + "}"},
      {0, 0, "activity", 3,
       "{\"projects\":[" + s + "],\"title\":" + s + ",\"places\":[" + s + "],\"countries\":[" + s +
       ",\"TR\"],\"mode\":" + s + ",\"start\":\"2023-09\",\"end\":null,\"precision\":\"month\"}"},
      {0, 0, "project", 4,
       "{\"name\":" + s + ",\"start\":\"2023-01\",\"end\":null,\"scope\":" + s +
       ",\"budget_amount\":5,\"budget_currency\":" + s + ",\"funders\":[" + s + "],\"countries\":[" +
       s + ",\"TR\"]}"},
  };
}

TEST_F(RecordPagesTest, MarkupInEveryFieldAndParameterNeverComesBackUnescaped) {
  const std::string payload = "<script>alert(1)</script>{{x}}\\\"'&";
  store::SourceInfo source;
  source.kind = "document";
  source.origin = "hostile.html";
  source.sha256 = "hostile";
  store::DocumentRow doc;
  doc.path = payload;
  doc.format = payload;
  doc.shape = payload;
  doc.period_start = payload;
  doc.report_json = "{}";
  auto added = store_->AddDocument(source, doc, HostileRecords(payload), {});
  ASSERT_TRUE(added.ok()) << added.status().message();
  const json news = Api("/api/v1/news?q=script");
  ASSERT_EQ(news["items"].size(), 1u);
  const std::string news_id = news["items"][0]["id"];
  const std::string encoded =
      "%3Cscript%3Ealert(1)%3C%2Fscript%3E%7B%7Bx%7D%7D%5C%22%27%26";

  std::vector<std::string> targets;
  for (const auto& route : internal::Routes()) {
    std::string path(route.pattern);
    for (const auto& [param, value] : {std::pair{"{ref}", std::string("185")},
                                       std::pair{"{id}", news_id},
                                       std::pair{"{name}", encoded},
                                       std::pair{"{iso2}", std::string("TR")}}) {
      if (const size_t at = path.find(param); at != std::string::npos) {
        path.replace(at, std::string(param).size(), value);
      }
    }
    targets.push_back(path);
    std::string_view params = route.params;
    while (!params.empty()) {
      const size_t space = params.find(' ');
      targets.push_back(path + "?" + std::string(params.substr(0, space)) + "=" + encoded);
      params = space == std::string_view::npos ? std::string_view() : params.substr(space + 1);
    }
  }
  for (const std::string& extra : std::vector<std::string>{"/search?q=script", "/search?q=alert", "/news?q=script", "/activities?country=TR",
        "/countries/TR", "/projects/" + encoded, "/api/v1/search?q=script"}) {
    targets.push_back(extra);
  }
  int pages_with_payload = 0;
  for (const std::string& target : targets) {
    const Response r = Get(target);
    EXPECT_LT(r.status, 500) << target;
    if (r.content_type.starts_with("text/html") || r.content_type == "application/json" ||
        r.content_type.starts_with("application/atom+xml") || r.content_type.starts_with("application/xml")) {
      EXPECT_EQ(r.body.find("<script"), std::string::npos) << target;
      if (r.content_type.starts_with("text/html")) {
        EXPECT_EQ(r.body.find("{{x}}"), std::string::npos) << target;
      }
      if (r.status == 200 && (r.body.find("&lt;script&gt;") != std::string::npos ||
                              r.body.find("\\u003cscript") != std::string::npos)) {
        ++pages_with_payload;
      }
    } else {
      // CSV and iCalendar carry the text as data; never as a page a browser renders.
      EXPECT_TRUE(r.content_type.starts_with("text/csv") ||
                  r.content_type.starts_with("text/calendar") ||
                  r.content_type.starts_with("text/css") ||
                  r.content_type.starts_with("text/plain"))
          << target << " " << r.content_type;
      EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff");
    }
  }
  // The payload did reach the pages (escaped): the test is not vacuous.
  EXPECT_GT(pages_with_payload, 10);
  EXPECT_TRUE(log_.empty());
}


TEST_F(RecordPagesTest, EntityPagesShowTheKnowledgeBaseWithSources) {
  const std::string tbilisi = IdOf("activities", "Regional workshop on cybercrime and electronic evidence");
  const std::string activity = Page("/activities/" + tbilisi);
  EXPECT_NE(activity.find("<h1>Regional workshop on cybercrime and electronic evidence</h1>"), std::string::npos);
  EXPECT_NE(activity.find("<strong>planned</strong>"), std::string::npos);
  // Announced in "save the date" and listed in "coming next": one activity, both sources.
  EXPECT_NE(activity.find("update_2023q3.txt, line 23"), std::string::npos);
  EXPECT_NE(activity.find("update_2023q3.txt, line 84"), std::string::npos);
  const std::string eu = Page("/organisations/european-union");
  EXPECT_NE(eu.find("Funds"), std::string::npos);
  EXPECT_NE(eu.find("CyberEast"), std::string::npos);
  const std::string resource = IdOf("resources", "Guide on the ratification");
  EXPECT_NE(Page("/resources/" + resource).find("news_2010_2011.txt, line 20"), std::string::npos);
  // An id of another kind is not found under this kind's URL.
  EXPECT_EQ(Get("/organisations/cybereast").status, 404);
  EXPECT_EQ(Get("/activities/no-such-activity").status, 404);
}

TEST_F(RecordPagesTest, EntityApiGivesFieldsSourcesHistoryAndPaginatedLists) {
  const std::string tbilisi = IdOf("activities", "Regional workshop on cybercrime and electronic evidence");
  const json a = Api("/api/v1/activities/" + tbilisi);
  EXPECT_EQ(a["kind"], "activity");
  EXPECT_EQ(a["url"], "/activities/" + tbilisi);
  EXPECT_EQ(Values(a, "status"), std::vector<std::string>{"planned"});
  EXPECT_EQ(Lines(a, "status"), (std::vector<int>{23, 84}));
  EXPECT_EQ(Values(a, "projects"), std::vector<std::string>{"cybereast"});
  const json orgs = Api("/api/v1/organisations?per_page=1");
  EXPECT_EQ(orgs["total"], 4);
  EXPECT_EQ(orgs["pages"], 4);
  ASSERT_EQ(orgs["items"].size(), 1u);
  EXPECT_EQ(orgs["items"][0]["label"], "Council of Europe");
  EXPECT_EQ(Api("/api/v1/organisations?per_page=1&page=2")["items"][0]["label"], "European Union");
  EXPECT_EQ(Api("/api/v1/contributions")["total"], 0);
  EXPECT_EQ(Api("/api/v1/organisations/cybereast", 404)["status"], 404);
  EXPECT_EQ(Api("/api/v1/organisations?per_page=0", 400)["status"], 400);
  EXPECT_EQ(Api("/api/v1/resources/" + IdOf("resources", "Guide"))["label"],
            "Guide on the ratification of the Convention on Cybercrime");
}

// ------------------------------------------------ a database from before entities

/// Copies the rows of `columns` of `table` (those `where` keeps) from one
/// database to another.
void CopyRows(store::Connection& from, store::Connection& to, const std::string& table,
              const std::string& columns, const std::string& where) {
  auto rows = from.Query("SELECT " + columns + " FROM " + table + where + " ORDER BY id");
  ASSERT_TRUE(rows.ok()) << rows.status().message();
  const size_t n = std::count(columns.begin(), columns.end(), ',') + 1;
  std::string marks = "?";
  for (size_t i = 1; i < n; ++i) marks += ", ?";
  for (const store::Row& r : *rows) {
    auto ins = to.Insert("INSERT INTO " + table + " (" + columns + ") VALUES (" + marks + ")", r);
    ASSERT_TRUE(ins.ok()) << table << ": " << ins.status().message();
  }
}

TEST_F(RecordPagesTest, ADatabaseOfSchema008MigratesAndTheSiteShowsTheSameContent) {
  // A database at schema 008 holding the fixture documents and their records
  // as that schema stored them (no entities, no claims).
  const std::string old_path = (dir_ / "schema008.db").string();
  {
    auto old_db = store::SqliteConnection::Open(old_path);
    ASSERT_TRUE(old_db.ok()) << old_db.status().message();
    ASSERT_TRUE((*old_db)->ExecScript("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, "
                                      "name TEXT NOT NULL, applied_at TEXT NOT NULL)").ok());
    for (const store::Migration& m : store::Migrations("sqlite")) {
      if (m.version > 8) break;
      ASSERT_TRUE((*old_db)->ExecScript(m.sql).ok()) << m.name;
      ASSERT_TRUE((*old_db)->Insert("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                                    {int64_t{m.version}, std::string(m.name), std::string("2023-08-01T00:00:00Z")})
                      .ok());
    }
    auto current = store::SqliteConnection::Open((dir_ / "test.db").string());
    ASSERT_TRUE(current.ok()) << current.status().message();
    CopyRows(**current, **old_db, "sources", "id, kind, origin, sha256, title, as_of, complete, imported_at",
             " WHERE kind = 'document'");
    CopyRows(**current, **old_db, "documents",
             "id, source_id, path, format, shape, period_start, period_end, truncated, report_json, date, "
             "date_basis, source_url",
             "");
    CopyRows(**current, **old_db, "records", "id, document_id, kind, line, fields_json", "");
    auto entities = (*old_db)->Query("SELECT count(*) FROM sqlite_master WHERE name = 'entities'", {});
    ASSERT_TRUE(entities.ok());
    ASSERT_EQ(store::AsInt((*entities)[0][0]), 0);
  }

  // The current code opens it: it migrates, and the knowledge is built on first read.
  auto old_store = store::OpenStore(old_path);
  ASSERT_TRUE(old_store.ok()) << old_store.status().message();
  auto registry = service::Registry::Open(**old_store, OCTOPUS_TEST_DATA_DIR);
  ASSERT_TRUE(registry.ok()) << registry.status().message();
  auto knowledge = service::Knowledge::Open(**old_store, OCTOPUS_TEST_DATA_DIR);
  ASSERT_TRUE(knowledge.ok()) << knowledge.status().message();
  SiteOptions options;
  options.today = [] { return kToday; };
  options.knowledge = [k = knowledge->get()](kb::Visibility v) { return k->Current(v); };
  auto site = Site::Open(**registry, std::string(OCTOPUS_TEST_SOURCE_DIR) + "/templates",
                         std::string(OCTOPUS_TEST_SOURCE_DIR) + "/static", options);
  ASSERT_TRUE(site.ok()) << site.status().message();
  auto old_get = [&](const std::string& target) {
    Request r;
    r.target = target;
    return (*site)->Handle(r);
  };

  for (const char* target : {"/api/v1/projects?per_page=100", "/api/v1/activities?per_page=100",
                             "/api/v1/news?per_page=100", "/projects", "/activities", "/news?per_page=100",
                             "/countries/TR"}) {
    const Response now = Get(target), migrated = old_get(target);
    ASSERT_EQ(migrated.status, 200) << target << "\n" << migrated.body.substr(0, 300);
    EXPECT_EQ(migrated.body, now.body) << target;
  }
  const json projects = json::parse(old_get("/api/v1/projects").body);
  EXPECT_EQ(projects["total"], kFixtureProjects);
  EXPECT_EQ(json::parse(old_get("/api/v1/activities").body)["total"], kFixtureActivities);
  EXPECT_EQ(json::parse(old_get("/api/v1/news").body)["total"], kFixtureNews);
}

// ------------------------------------------------ entity view models

namespace entity_views {

using internal::ActivityModel;
using internal::ContributionModel;
using internal::CountrySections;
using internal::EntityJson;
using internal::OrganisationModel;
using internal::ProjectModel;
using internal::ResourceModel;

std::string Name(std::string_view iso2) {
  if (iso2 == "GE") return "Georgia";
  if (iso2 == "AM") return "Armenia";
  return std::string(iso2);
}

/// Builds entities from claims the way a reader does: claims, then Derive.
class EntityViewsTest : public ::testing::Test {
 protected:
  kb::Claim& Say(const std::string& entity, const std::string& field, const std::string& value,
                 const std::string& stated_on, int64_t document, int line,
                 const std::string& quote = "") {
    kb::Entity& e = Get(entity);
    kb::Claim c;
    c.entity_id = entity;
    c.field = field;
    c.value = value;
    c.source.document_id = document;
    c.source.line = line;
    c.source.stated_on = stated_on;
    c.source.quote = quote;
    c.source.document_label = document == 1 ? "https://example.org/update-2023q2.pdf" : "Update, third quarter";
    c.rule = "new entity";
    e.claims.push_back(std::move(c));
    return e.claims.back();
  }

  const kb::KnowledgeBase& Kb() {
    for (kb::Entity& e : kb_.entities) kb::Derive(e);
    std::sort(kb_.entities.begin(), kb_.entities.end(), [](const kb::Entity& a, const kb::Entity& b) {
      return std::tie(a.kind, a.id) < std::tie(b.kind, b.id);
    });
    return kb_;
  }

  void Add(const std::string& id, kb::Kind kind) {
    kb::Entity e;
    e.id = id;
    e.kind = kind;
    kb_.entities.push_back(std::move(e));
  }

  kb::Entity& Get(const std::string& id) {
    for (kb::Entity& e : kb_.entities) {
      if (e.id == id) return e;
    }
    ADD_FAILURE() << "no entity " << id;
    return kb_.entities.front();
  }

  /// A project, a donor and implementer, a contribution, three activities, a
  /// news item and a resource, from two documents.
  void Programme() {
    Add("cybereast", kb::Kind::kProject);
    Say("cybereast", "name", "CyberEast", "2023-06-30", 1, 12, "CyberEast project");
    Say("cybereast", "name", "CyberEast", "2023-09-30", 2, 40);
    Say("cybereast", "budget_amount", "4945000", "2023-06-30", 1, 14, "EUR 4.945 million");
    Say("cybereast", "budget_amount", "5450000", "2023-09-30", 2, 42, "EUR 5.45 million");
    Say("cybereast", "budget_currency", "EUR", "2023-06-30", 1, 14);
    Say("cybereast", "funders", "european-union", "2023-06-30", 1, 15);
    Say("cybereast", "implementers", "council-of-europe", "2023-06-30", 1, 15);
    Say("cybereast", "countries", "GE", "2023-06-30", 1, 16);
    Say("cybereast", "start", "2019-06", "2023-09-30", 2, 43, "June 2019");
    Say("cybereast", "start", "2019-07", "2023-09-30", 2, 44, "July 2019");
    Add("european-union", kb::Kind::kOrganisation);
    Say("european-union", "name", "European Union", "2023-06-30", 1, 15);
    Add("council-of-europe", kb::Kind::kOrganisation);
    Say("council-of-europe", "name", "Council of Europe", "2023-06-30", 1, 15);
    Add("c1", kb::Kind::kContribution);
    Say("c1", "donor", "european-union", "2023-06-30", 1, 15);
    Say("c1", "project", "cybereast", "2023-06-30", 1, 15);
    Say("c1", "amount", "4500000", "2023-06-30", 1, 15);
    Say("c1", "currency", "EUR", "2023-06-30", 1, 15);
    Add("a-tbilisi", kb::Kind::kActivity);
    Say("a-tbilisi", "title", "Workshop on electronic evidence", "2023-06-30", 1, 30);
    Say("a-tbilisi", "projects", "cybereast", "2023-06-30", 1, 30);
    Say("a-tbilisi", "countries", "GE", "2023-06-30", 1, 30);
    Say("a-tbilisi", "start", "2023-10-04", "2023-06-30", 1, 30);
    Say("a-tbilisi", "status", "planned", "2023-06-30", 1, 30, "Coming next");
    Say("a-tbilisi", "status", "held", "2023-09-30", 2, 50, "Inventory of activities");
    Add("a-yerevan", kb::Kind::kActivity);
    Say("a-yerevan", "title", "Regional meeting", "2023-06-30", 1, 31);
    Say("a-yerevan", "projects", "cybereast", "2023-06-30", 1, 31);
    Say("a-yerevan", "countries", "AM", "2023-06-30", 1, 31);
    Say("a-yerevan", "countries", "GE", "2023-06-30", 1, 31);
    Say("a-yerevan", "start", "2022-03", "2023-06-30", 1, 31);
    Add("a-undated", kb::Kind::kActivity);
    Say("a-undated", "title", "Desk study", "2023-06-30", 1, 32);
    Say("a-undated", "projects", "cybereast", "2023-06-30", 1, 32);
    Add("n1", kb::Kind::kNewsItem);
    Say("n1", "title", "Judges trained in Tbilisi", "2023-10-06", 2, 60);
    Say("n1", "date", "2023-10-06", "2023-10-06", 2, 60);
    Say("n1", "projects", "cybereast", "2023-10-06", 2, 60);
    Say("n1", "activities", "a-tbilisi", "2023-10-06", 2, 61);
    Add("r1", kb::Kind::kResource);
    Say("r1", "title", "Guide on electronic evidence", "2023-09-30", 2, 70);
    Say("r1", "projects", "cybereast", "2023-09-30", 2, 70);
  }

  kb::KnowledgeBase kb_;
};

TEST_F(EntityViewsTest, EachFieldShowsTheDocumentAndLineOfEverySourceThatStatesIt) {
  Programme();
  const kb::KnowledgeBase& k = Kb();
  const json m = EntityJson(k, *k.Find("cybereast"), Name);
  ASSERT_EQ(m["fields"][0]["name"], "name");
  const json& sources = m["fields"][0]["values"][0]["sources"];
  ASSERT_EQ(sources.size(), 2u);
  EXPECT_EQ(sources[0]["document"], "https://example.org/update-2023q2.pdf");
  EXPECT_EQ(sources[0]["href"], "https://example.org/update-2023q2.pdf");
  EXPECT_EQ(sources[0]["line"], 12);
  EXPECT_EQ(sources[0]["quote"], "CyberEast project");
  EXPECT_EQ(sources[1]["document"], "Update, third quarter");
  EXPECT_TRUE(sources[1]["href"].is_null());
  EXPECT_EQ(sources[1]["line"], 40);
  EXPECT_EQ(m["url"], "/projects/cybereast");
  EXPECT_EQ(m["claims"], 10);
}

TEST_F(EntityViewsTest, RelatedEntitiesAndCountriesShowByNameWithLinks) {
  Programme();
  const kb::KnowledgeBase& k = Kb();
  const json m = EntityJson(k, *k.Find("cybereast"), Name);
  bool funders = false, countries = false;
  for (const json& f : m["fields"]) {
    if (f["name"] == "funders") {
      funders = true;
      EXPECT_EQ(f["label"], "Funded by");
      EXPECT_EQ(f["values"][0]["text"], "European Union");
      EXPECT_EQ(f["values"][0]["href"], "/organisations/european-union");
    }
    if (f["name"] == "countries") {
      countries = true;
      EXPECT_EQ(f["values"][0]["text"], "Georgia");
      EXPECT_EQ(f["values"][0]["href"], "/countries/GE");
    }
  }
  EXPECT_TRUE(funders);
  EXPECT_TRUE(countries);
}

TEST_F(EntityViewsTest, AValueOutsideARelationIsShownAsWrittenEvenWhenItSpellsAnId) {
  Programme();
  Say("european-union", "acronym", "cybereast", "2023-06-30", 1, 15);
  const kb::KnowledgeBase& k = Kb();
  const json m = EntityJson(k, *k.Find("european-union"), Name);
  bool acronym = false;
  for (const json& f : m["fields"]) {
    if (f["name"] != "acronym") continue;
    acronym = true;
    EXPECT_EQ(f["values"][0]["text"], "cybereast");
    EXPECT_TRUE(f["values"][0]["href"].is_null());
  }
  EXPECT_TRUE(acronym);
}

TEST_F(EntityViewsTest, ProjectBudgetShowsTheLaterValueWithTheEarlierOneAsHistory) {
  Programme();
  const kb::KnowledgeBase& k = Kb();
  const json m = ProjectModel(k, *k.Find("cybereast"), Name);
  ASSERT_FALSE(m["budget"].is_null());
  EXPECT_EQ(m["budget"]["text"], json::array({"EUR 5,450,000"}));
  EXPECT_EQ(m["budget"]["sources"][0]["line"], 42);
  ASSERT_EQ(m["budget"]["history"].size(), 1u);
  EXPECT_EQ(m["budget"]["history"][0]["text"], "EUR 4,945,000");
  EXPECT_EQ(m["budget"]["history"][0]["stated_on"], "2023-06-30");
  EXPECT_EQ(m["budget"]["history"][0]["sources"][0]["quote"], "EUR 4.945 million");
}

TEST_F(EntityViewsTest, ContradictoryClaimsOfOneDateShowSideBySideAsAConflict) {
  Programme();
  const kb::KnowledgeBase& k = Kb();
  const json m = ProjectModel(k, *k.Find("cybereast"), Name);
  EXPECT_TRUE(m["has_conflicts"]);
  EXPECT_EQ(m["conflicts"], json::array({"start"}));
  ASSERT_EQ(m["conflicting_fields"].size(), 1u);
  const json& values = m["conflicting_fields"][0]["values"];
  ASSERT_EQ(values.size(), 2u);
  EXPECT_EQ(values[0]["value"], "2019-06");
  EXPECT_EQ(values[0]["sources"][0]["line"], 43);
  EXPECT_EQ(values[1]["value"], "2019-07");
  EXPECT_EQ(values[1]["sources"][0]["line"], 44);
}

TEST_F(EntityViewsTest, ProjectActivitiesGoByYearNewestFirstThenByCountryWithUndatedLast) {
  Programme();
  const kb::KnowledgeBase& k = Kb();
  const json m = ProjectModel(k, *k.Find("cybereast"), Name);
  EXPECT_EQ(m["activities_total"], 3);
  const json& years = m["activities_by_year"];
  ASSERT_EQ(years.size(), 3u);
  EXPECT_EQ(years[0]["year"], "2023");
  ASSERT_EQ(years[0]["countries"].size(), 1u);
  EXPECT_EQ(years[0]["countries"][0]["name"], "Georgia");
  EXPECT_EQ(years[0]["countries"][0]["activities"][0]["href"], "/activities/a-tbilisi");
  EXPECT_EQ(years[1]["year"], "2022");
  // An activity in two countries is listed under each.
  ASSERT_EQ(years[1]["countries"].size(), 2u);
  EXPECT_EQ(years[1]["countries"][0]["name"], "Armenia");
  EXPECT_EQ(years[1]["countries"][1]["name"], "Georgia");
  EXPECT_EQ(years[1]["countries"][1]["activities"][0]["label"], "Regional meeting");
  EXPECT_TRUE(years[2]["year"].is_null());
  EXPECT_EQ(years[2]["label"], "Undated");
  EXPECT_EQ(years[2]["countries"][0]["activities"][0]["label"], "Desk study");
}

TEST_F(EntityViewsTest, ProjectPageListsItsContributionsNewsAndResources) {
  Programme();
  const kb::KnowledgeBase& k = Kb();
  const json m = ProjectModel(k, *k.Find("cybereast"), Name);
  ASSERT_EQ(m["contributions"].size(), 1u);
  EXPECT_EQ(m["contributions"][0]["donor"], "European Union");
  EXPECT_EQ(m["contributions"][0]["donor_href"], "/organisations/european-union");
  EXPECT_EQ(m["contributions"][0]["amount"], "EUR 4,500,000");
  ASSERT_EQ(m["news"].size(), 1u);
  EXPECT_EQ(m["news"][0]["href"], "/news/n1");
  EXPECT_EQ(m["news"][0]["when"], "2023-10-06");
  ASSERT_EQ(m["resources"].size(), 1u);
  EXPECT_EQ(m["resources"][0]["label"], "Guide on electronic evidence");
}

TEST_F(EntityViewsTest, ActivityShowsItsStatusWithHistoryItsProjectsAndTheNewsReportingIt) {
  Programme();
  const kb::KnowledgeBase& k = Kb();
  const json m = ActivityModel(k, *k.Find("a-tbilisi"), Name);
  ASSERT_FALSE(m["status"].is_null());
  EXPECT_EQ(m["status"]["values"][0]["value"], "held");
  EXPECT_EQ(m["status"]["values"][0]["sources"][0]["quote"], "Inventory of activities");
  ASSERT_EQ(m["status"]["history"].size(), 1u);
  EXPECT_EQ(m["status"]["history"][0]["value"], "planned");
  ASSERT_EQ(m["projects"].size(), 1u);
  EXPECT_EQ(m["projects"][0]["label"], "CyberEast");
  ASSERT_EQ(m["news"].size(), 1u);
  EXPECT_EQ(m["news"][0]["label"], "Judges trained in Tbilisi");
  EXPECT_TRUE(ActivityModel(k, *k.Find("a-undated"), Name)["status"].is_null());
}

TEST_F(EntityViewsTest, OrganisationShowsWhatItFundsWithItsContributionsAndWhatItImplements) {
  Programme();
  const kb::KnowledgeBase& k = Kb();
  const json eu = OrganisationModel(k, *k.Find("european-union"), Name);
  ASSERT_EQ(eu["funds"].size(), 1u);
  EXPECT_EQ(eu["funds"][0]["href"], "/projects/cybereast");
  ASSERT_EQ(eu["funds"][0]["contributions"].size(), 1u);
  EXPECT_EQ(eu["funds"][0]["contributions"][0]["amount"], "EUR 4,500,000");
  EXPECT_FALSE(eu["has_implements"]);
  const json coe = OrganisationModel(k, *k.Find("council-of-europe"), Name);
  EXPECT_FALSE(coe["has_funds"]);
  ASSERT_EQ(coe["implements"].size(), 1u);
  EXPECT_EQ(coe["implements"][0]["label"], "CyberEast");
}

TEST_F(EntityViewsTest, ContributionAndResourceNameTheirProjectsAndDonor) {
  Programme();
  const kb::KnowledgeBase& k = Kb();
  const json c = ContributionModel(k, *k.Find("c1"), Name);
  EXPECT_EQ(c["donor"]["label"], "European Union");
  EXPECT_EQ(c["amount_text"], "EUR 4,500,000");
  EXPECT_EQ(c["projects"][0]["href"], "/projects/cybereast");
  const json r = ResourceModel(k, *k.Find("r1"), Name);
  EXPECT_EQ(r["projects"][0]["label"], "CyberEast");
}

TEST_F(EntityViewsTest, CountrySectionsListTheProjectsAndActivitiesNamingTheCountry) {
  Programme();
  const kb::KnowledgeBase& k = Kb();
  const json ge = CountrySections(k, "GE");
  ASSERT_EQ(ge["projects"].size(), 1u);
  EXPECT_EQ(ge["projects"][0]["id"], "cybereast");
  ASSERT_EQ(ge["activities"].size(), 2u);
  EXPECT_EQ(ge["activities"][0]["id"], "a-yerevan");  // 2022 before 2023
  EXPECT_EQ(ge["activities"][1]["id"], "a-tbilisi");
  const json am = CountrySections(k, "AM");
  EXPECT_FALSE(am["has_projects"]);
  ASSERT_EQ(am["activities"].size(), 1u);
}

TEST_F(EntityViewsTest, AmountsAreGroupedAndKeepTheirDecimals) {
  EXPECT_EQ(internal::ShowAmount("4945000", "EUR"), "EUR 4,945,000");
  EXPECT_EQ(internal::ShowAmount("1200.50", ""), "1,200.50");
  EXPECT_EQ(internal::ShowAmount("999", "USD"), "USD 999");
  EXPECT_EQ(internal::ShowAmount("", "EUR"), "");
}

TEST_F(EntityViewsTest, TheEntityPageRendersSourcesHistoryAndConflicts) {
  Programme();
  const kb::KnowledgeBase& k = Kb();
  auto templates = Templates::Load(std::string(OCTOPUS_TEST_SOURCE_DIR) + "/templates");
  ASSERT_TRUE(templates.ok()) << templates.status().message();
  auto html = templates->Render("entity", ProjectModel(k, *k.Find("cybereast"), Name));
  ASSERT_TRUE(html.ok()) << html.status().message();
  EXPECT_EQ(html->find("{{"), std::string::npos);
  EXPECT_NE(html->find("<h1>CyberEast</h1>"), std::string::npos);
  EXPECT_NE(html->find("href=\"" + EscapeHtml("https://example.org/update-2023q2.pdf") + "\""), std::string::npos);
  EXPECT_NE(html->find("Update, third quarter, line 42"), std::string::npos);
  EXPECT_NE(html->find("Budget history"), std::string::npos);
  EXPECT_NE(html->find("EUR 4,945,000"), std::string::npos);
  EXPECT_NE(html->find("Sources that disagree"), std::string::npos);
  EXPECT_NE(html->find("href=\"" + EscapeHtml("/organisations/european-union") + "\""), std::string::npos);
  EXPECT_NE(html->find("href=\"" + EscapeHtml("/activities/a-tbilisi") + "\""), std::string::npos);
  auto activity = templates->Render("entity", ActivityModel(k, *k.Find("a-tbilisi"), Name));
  ASSERT_TRUE(activity.ok());
  EXPECT_NE(activity->find("<strong>held</strong>"), std::string::npos);
  EXPECT_NE(activity->find("planned"), std::string::npos);
}

}  // namespace entity_views

}  // namespace
}  // namespace octopus::web
