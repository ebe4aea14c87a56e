#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <set>
#include <thread>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "service/registry.h"
#include "store/store.h"
#include "web/internal/page_cache.h"
#include "web/internal/routes.h"
#include "web/internal/views.h"
#include "web/site.h"
#include "web/testing/site_fixture.h"

namespace octopus::web {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const domain::Date kToday = *domain::Date::Make(2024, 6, 1);

/// A fresh SQLite database in a temp directory with the shipped reference
/// data, and a site over it that checks the store's generation on every request.
class SiteTest : public test_support::SiteTestBase {
 protected:
  SiteTest() : SiteTestBase(kToday, false) {}

  Response Get(const std::string& target, const std::string& method = "GET") {
    Request r;
    r.method = method;
    r.target = target;
    return site_->Handle(r);
  }

  static json ParseJson(const Response& r) {
    json j = json::parse(r.body, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r.body.substr(0, 200);
    return j;
  }

  /// The row of a State in a chart page, from its <tr> to its </tr>.
  static std::string Row(const std::string& html, const std::string& iso2) {
    const size_t start = html.find("id=\"state-" + iso2 + "\"");
    if (start == std::string::npos) return "";
    return html.substr(start, html.find("</tr>", start) - start);
  }

};

void ExpectCleanHtml(const Response& r, const std::string& what) {
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8") << what;
  EXPECT_EQ(r.body.find("{{"), std::string::npos) << what;
  EXPECT_EQ(r.body.find("}}"), std::string::npos) << what;
  EXPECT_NE(r.body.find("</html>"), std::string::npos) << what;
}

TEST_F(SiteTest, HomeShowsTodaysTreatyFiguresAndOnlySectionsWithData) {
  const Response r = Get("/");
  ASSERT_EQ(r.status, 200) << r.body;
  ExpectCleanHtml(r, "/");
  EXPECT_NE(r.body.find("Treaty figures today"), std::string::npos);
  EXPECT_NE(r.body.find("1 June 2024"), std::string::npos);
  EXPECT_NE(r.body.find("href=\"&#x2F;treaties&#x2F;ETS-185\""), std::string::npos);
  EXPECT_NE(r.body.find("Sources on record"), std::string::npos);
  // Nothing else is in the store: no empty news or activity sections.
  EXPECT_EQ(r.body.find("<section class=\"news\""), std::string::npos);
  EXPECT_EQ(r.body.find("<section class=\"activities\""), std::string::npos);
  EXPECT_EQ(r.body.find("Latest news"), std::string::npos);
  EXPECT_EQ(r.Header("Cache-Control"), "no-cache");
  EXPECT_NE(r.Header("Content-Security-Policy").find("default-src 'none'"), std::string::npos);
  EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff");
}

TEST_F(SiteTest, TreatyListLinksEveryTreaty) {
  const Response r = Get("/treaties");
  ASSERT_EQ(r.status, 200);
  ExpectCleanHtml(r, "/treaties");
  for (const auto& t : registry_->catalog().all()) {
    EXPECT_NE(r.body.find("&#x2F;treaties&#x2F;" + internal::TreatySlug(t)), std::string::npos)
        << t.ref;
  }
}

TEST_F(SiteTest, ChartOfEts185On20110601ShowsThirtyOnePartiesAndTheUkRow) {
  const Response r = Get("/treaties/185?as_of=2011-06-01");
  ASSERT_EQ(r.status, 200) << r.body;
  ExpectCleanHtml(r, "chart");
  EXPECT_NE(r.body.find("<dd class=\"count\">31</dd>"), std::string::npos);
  const std::string uk = Row(r.body, "GB");
  ASSERT_FALSE(uk.empty());
  EXPECT_NE(uk.find("United Kingdom"), std::string::npos);
  EXPECT_NE(uk.find("2011-05-25"), std::string::npos);
  EXPECT_NE(uk.find("2011-09-01"), std::string::npos);
  EXPECT_NE(uk.find("ratification"), std::string::npos);
  EXPECT_NE(uk.find("class=\"s-consented-not-yet-in-force\""), std::string::npos);
  // Dates the sources leave open are shown as ranges, never as a single day.
  EXPECT_NE(r.body.find("2001-11-23 \u2013 2011-06-01"), std::string::npos);
  EXPECT_EQ(r.body.find("2001-11-23/2011-06-01"), std::string::npos);
  EXPECT_NE(r.body.find("Member States of the Council of Europe"), std::string::npos);
  EXPECT_NE(r.body.find("Non-member States of the Council of Europe"), std::string::npos);
  EXPECT_NE(r.body.find("<svg"), std::string::npos);
  EXPECT_NE(r.body.find("Rules"), std::string::npos);
  EXPECT_NE(r.body.find("Art. 36(3)"), std::string::npos);
  EXPECT_NE(r.body.find(registry_->catalog().Resolve("185")->completeness.substr(0, 20)),
            std::string::npos);
}

TEST_F(SiteTest, ChartPageCountryPageAndApiShowEachStatesFlagsWithTheirSource) {
  const Response r = Get("/treaties/185");
  ASSERT_EQ(r.status, 200) << r.body;
  ExpectCleanHtml(r, "chart");
  const std::string az = Row(r.body, "AZ");
  ASSERT_FALSE(az.empty());
  EXPECT_NE(az.find("class=\"flag\""), std::string::npos) << az;
  EXPECT_NE(az.find("territorial application (as of 2015-12-03)"), std::string::npos) << az;
  EXPECT_NE(az.find("coe185_chart_2015-12-03.csv:"), std::string::npos) << az;
  // The 2004 chart's marks carry the source's own warning.
  EXPECT_NE(az.find("the source warns"), std::string::npos) << az;

  const json api = ParseJson(Get("/api/v1/treaties/185"));
  bool listed = false;
  for (const json& s : api["flags_by_state"]) listed = listed || (s["iso2"] == "AZ" && !s["flags"].empty());
  EXPECT_TRUE(listed);
  const json status = ParseJson(Get("/api/v1/treaties/185/status"));
  bool found = false;
  for (const json& s : status["states"]) {
    if (s["iso2"] != "AZ") continue;
    for (const json& f : s["flags"]) {
      if (f["flag"] != "R" || f["as_of"] != "2015-12-03") continue;
      found = true;
      EXPECT_EQ(f["meaning"], "reservation");
      EXPECT_NE(f["source"]["origin"].get<std::string>().find("coe185_chart_2015-12-03.csv"), std::string::npos);
      EXPECT_GT(f["source"]["line"].get<int>(), 0);
    }
  }
  EXPECT_TRUE(found);

  const Response country = Get("/countries/AZ");
  ASSERT_EQ(country.status, 200);
  EXPECT_NE(country.body.find("reservation (as of 2015-12-03)"), std::string::npos);
}

TEST_F(SiteTest, TreatyReferencesInEveryForm) {
  for (const char* ref : {"185", "ETS-185", "ETS%20185", "CETS-224", "UNCC", "Budapest%20Convention"}) {
    EXPECT_EQ(Get(std::string("/treaties/") + ref).status, 200) << ref;
    EXPECT_EQ(Get(std::string("/api/v1/treaties/") + ref).status, 200) << ref;
  }
}

TEST_F(SiteTest, ApiAnswersParseAndCarryTheEngineCounts) {
  const Response list = Get("/api/v1/treaties");
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.content_type, "application/json");
  const json l = ParseJson(list);
  EXPECT_EQ(l["count"].get<size_t>(), registry_->catalog().all().size());
  EXPECT_EQ(l["as_of"], "2024-06-01");

  const json status = ParseJson(Get("/api/v1/treaties/185/status?as_of=2011-06-01"));
  EXPECT_EQ(status["consents"]["min"], 31);
  EXPECT_EQ(status["consents"]["max"], 31);
  bool uk = false;
  for (const auto& s : status["states"]) {
    if (s["iso2"] == "GB") {
      uk = true;
      EXPECT_EQ(s["entry_into_force"], "2011-09-01");
    }
  }
  EXPECT_TRUE(uk);

  const json one = ParseJson(Get("/api/v1/treaties/ETS-185?as_of=2011-06-01"));
  EXPECT_EQ(one["ref"], "ETS 185");
  EXPECT_EQ(one["consents"]["min"], 31);
  EXPECT_EQ(one["links"]["page"], "/treaties/ETS-185");

  const json timeline = ParseJson(Get("/api/v1/treaties/185/timeline"));
  ASSERT_TRUE(timeline["timeline"].is_array());
  EXPECT_GT(timeline["timeline"].size(), 10u);
}

TEST_F(SiteTest, EveryTreatyShowsAHeadlineCountWithItsBasisOnHomePageTreatyPageAndApi) {
  const Response home = Get("/");
  ASSERT_EQ(home.status, 200);
  for (const auto& t : registry_->catalog().all()) {
    const std::string slug = internal::TreatySlug(t);
    const json api = ParseJson(Get("/api/v1/treaties/" + slug));
    ASSERT_TRUE(api.contains("headline")) << t.ref;
    const json& h = api["headline"];
    const std::string text = h["text"].get<std::string>();
    ASSERT_FALSE(text.empty()) << t.ref;
    EXPECT_FALSE(h["basis"].get<std::string>().empty()) << t.ref;
    if (h["exact"].get<bool>()) {
      // Only where a complete list covers the date (the Second Protocol's full
      // party table, of 2025-11-14 or later, dates every act before it).
      EXPECT_EQ(t.ref, "CETS 224");
      EXPECT_EQ(api["consents"]["max"], api["consents"]["min"]) << t.ref;
      EXPECT_NE(h["sentence"].get<std::string>().find("complete list"), std::string::npos) << t.ref;
    } else {
      EXPECT_NE(h["sentence"].get<std::string>().find("named on record"), std::string::npos) << t.ref;
      EXPECT_TRUE(api["consents"]["open"].get<bool>()) << t.ref;
      EXPECT_TRUE(api["consents"]["max"].is_null()) << t.ref;
    }
    const Response page = Get("/treaties/" + slug);
    ASSERT_EQ(page.status, 200) << t.ref;
    EXPECT_NE(page.body.find("<dd class=\"count\">" + text + "</dd>"), std::string::npos) << t.ref;
    EXPECT_NE(page.body.find("named on record"), std::string::npos) << t.ref;
    if (!registry_->Analyse(t.ref)->states().empty()) {
      EXPECT_NE(home.body.find("<span class=\"count\">" + text + "</span>"), std::string::npos) << t.ref;
    }
  }
  // Convention 108: the Council of Europe's 55 of 23 May 2019, not a closed count of a few.
  const json c108 = ParseJson(Get("/api/v1/treaties/108"));
  EXPECT_EQ(c108["headline"]["value"], 55);
  EXPECT_EQ(c108["headline"]["as_of"], "2019-05-23");
}

TEST_F(SiteTest, ExportsAsCsvAndJson) {
  const Response csv = Get("/treaties/185.csv?as_of=2011-06-01");
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.content_type, "text/csv; charset=utf-8");
  EXPECT_NE(csv.body.find("state,coe_member,signature"), std::string::npos);
  EXPECT_NE(csv.body.find("United Kingdom"), std::string::npos);
  EXPECT_NE(csv.Header("Content-Disposition").find("ETS-185_2011-06-01.csv"), std::string::npos);
  const Response j = Get("/treaties/ETS-185.json?as_of=2011-06-01");
  ASSERT_EQ(j.status, 200);
  EXPECT_EQ(ParseJson(j)["consents"]["min"], 31);
}

TEST_F(SiteTest, OpenApiDescribesExactlyTheMachineEndpoints) {
  const json doc = ParseJson(Get("/api/v1/openapi.json"));
  EXPECT_EQ(doc["openapi"], "3.0.3");
  std::set<std::string> documented, served;
  for (const auto& [path, item] : doc["paths"].items()) documented.insert(path);
  for (const auto& route : internal::Routes()) {
    if (route.kind != internal::RouteKind::kPage && route.kind != internal::RouteKind::kAsset &&
        route.kind != internal::RouteKind::kForm) {
      served.insert(std::string(route.pattern));
    }
  }
  EXPECT_EQ(documented, served);
  for (const char* p : {"/api/v1/treaties", "/api/v1/treaties/{ref}", "/api/v1/treaties/{ref}/status",
                        "/api/v1/treaties/{ref}/timeline", "/api/v1/openapi.json", "/healthz"}) {
    EXPECT_TRUE(documented.count(p)) << p;
  }
  // Every $ref points at a schema that exists.
  const std::string text = doc.dump();
  for (size_t at = text.find("#/components/schemas/"); at != std::string::npos;
       at = text.find("#/components/schemas/", at + 1)) {
    const size_t start = at + std::string("#/components/schemas/").size();
    const std::string name = text.substr(start, text.find('"', start) - start);
    EXPECT_TRUE(doc["components"]["schemas"].contains(name)) << name;
  }
}

TEST_F(SiteTest, OpenApiDocumentsEntityEndpointsWithTheirShapesAndErrors) {
  const json doc = ParseJson(Get("/api/v1/openapi.json"));
  const json& item = doc["paths"]["/api/v1/organisations/{id}"]["get"];
  EXPECT_EQ(item["responses"]["200"]["content"]["application/json"]["schema"]["$ref"],
            "#/components/schemas/Entity");
  for (const char* status : {"400", "404", "503"}) EXPECT_TRUE(item["responses"].contains(status)) << status;
  EXPECT_EQ(item["parameters"][0]["schema"]["type"], "string");
  EXPECT_EQ(doc["paths"]["/api/v1/contributions"]["get"]["responses"]["200"]["content"]["application/json"]
               ["schema"]["$ref"],
            "#/components/schemas/EntityList");
  // Every operation rejects an unknown parameter; errors outside /api/ are the HTML error page.
  for (const auto& [path, op] : doc["paths"].items()) {
    EXPECT_TRUE(op["get"]["responses"].contains("400")) << path;
  }
  EXPECT_TRUE(doc["paths"]["/activities.csv"]["get"]["responses"]["400"]["content"].contains("text/html"));
  const json& source = doc["components"]["schemas"]["EntitySource"];
  EXPECT_EQ(source["additionalProperties"], false);
  for (const char* field : {"document", "line", "quote", "rule"}) {
    EXPECT_TRUE(source["properties"].contains(field)) << field;
  }
}

TEST_F(SiteTest, HealthAndStylesheet) {
  const Response h = Get("/healthz");
  EXPECT_EQ(h.status, 200);
  EXPECT_EQ(h.body, "ok\n");
  const Response css = Get("/static/style.css?v=abc");
  EXPECT_EQ(css.status, 200);
  EXPECT_EQ(css.content_type, "text/css; charset=utf-8");
  EXPECT_EQ(css.Header("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_NE(css.body.find("font"), std::string::npos);
  // Pages link the stylesheet with its content hash, so the long cache is safe.
  EXPECT_NE(Get("/").body.find("style.css?v&#x3D;"), std::string::npos);
}

TEST_F(SiteTest, UnknownPathsAre404InTheRightShape) {
  const Response page = Get("/nowhere");
  EXPECT_EQ(page.status, 404);
  ExpectCleanHtml(page, "404 page");
  EXPECT_NE(page.body.find("404 Not Found"), std::string::npos);
  EXPECT_NE(page.body.find("no page at &#x2F;nowhere"), std::string::npos);

  const Response api = Get("/api/v1/nowhere");
  EXPECT_EQ(api.status, 404);
  EXPECT_EQ(api.content_type, "application/json");
  EXPECT_TRUE(ParseJson(api)["error"].is_string());

  EXPECT_EQ(Get("/treaties/999").status, 404);
  EXPECT_EQ(Get("/treaties/").status, 404);
  const Response unknown = Get("/api/v1/treaties/999/status");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_NE(ParseJson(unknown)["error"].get<std::string>().find("unknown treaty"),
            std::string::npos);
}

TEST_F(SiteTest, MalformedParametersAre400WithAMessage) {
  const Response page = Get("/treaties/185?as_of=2011-02-30");
  EXPECT_EQ(page.status, 400);
  ExpectCleanHtml(page, "400 page");
  EXPECT_NE(page.body.find("as_of: no such date &#39;2011-02-30&#39;"), std::string::npos);

  const Response api = Get("/api/v1/treaties/185/status?as_of=yesterday");
  EXPECT_EQ(api.status, 400);
  const json j = ParseJson(api);
  EXPECT_EQ(j["status"], 400);
  EXPECT_EQ(j["code"], "invalid argument");
  EXPECT_NE(j["error"].get<std::string>().find("malformed date 'yesterday'"), std::string::npos);

  EXPECT_EQ(Get("/api/v1/treaties/185/status?asof=2011-06-01").status, 400);
  EXPECT_EQ(Get("/treaties/185?as_of=2011-06-01&as_of=2012-01-01").status, 400);
  EXPECT_EQ(Get("/api/v1/treaties/185/timeline?as_of=2011-06-01").status, 400);
  EXPECT_EQ(Get("/treaties/185?as_of=%ZZ").status, 400);
  EXPECT_EQ(Get("/treaties/%FF").status, 400);
  // An empty as_of (the form submitted blank) means today.
  EXPECT_EQ(Get("/treaties/185?as_of=").status, 200);
}

TEST_F(SiteTest, PagesIgnoreParametersTheyDoNotTakeWhileTheApiAndExportsRefuseThem) {
  const Response news = Get("/news");
  ASSERT_EQ(news.status, 200);
  const size_t entries = site_->cache_stats().entries;
  const Response shared = Get("/news?fbclid=IwAR0abc&utm_source=newsletter&utm_source=again");
  EXPECT_EQ(shared.status, 200);
  EXPECT_EQ(shared.body, news.body);
  EXPECT_EQ(site_->cache_stats().entries, entries);  // one page, however it is spelt
  EXPECT_EQ(Get("/?lang=fr").status, 200);
  EXPECT_EQ(Get("/treaties/185?ref=home").body, Get("/treaties/185").body);
  // What a page takes is still read strictly.
  EXPECT_EQ(Get("/treaties/185?as_of=2011-02-30&utm_medium=x").status, 400);
  EXPECT_EQ(Get("/treaties/185?as_of=2011-06-01&as_of=2012-01-01&fbclid=1").status, 400);
  EXPECT_EQ(Get("/treaties/185?fbclid=%ZZ").status, 400);  // not a URL at all
  // Programs get told.
  const Response api = Get("/api/v1/news?fbclid=1");
  EXPECT_EQ(api.status, 400);
  EXPECT_NE(ParseJson(api)["error"].get<std::string>().find("unknown query parameter 'fbclid'"),
            std::string::npos);
  EXPECT_EQ(Get("/activities.csv?utm_source=x").status, 400);
}

TEST_F(SiteTest, OnlyGetAndHead) {
  const Response r = Get("/treaties", "POST");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.Header("Allow"), "GET, HEAD");
  EXPECT_EQ(Get("/treaties", "HEAD").status, 200);
}

TEST_F(SiteTest, InjectedMarkupAndTemplateSyntaxNeverComeBackRaw) {
  // Through every query parameter of every route (and an unknown one), and
  // through every path parameter.
  const std::string payload = "%3Cscript%3Ealert(1)%3C%2Fscript%3E%7B%7Bx%7D%7D%22%27%3E";
  std::vector<std::string> targets;
  for (const auto& route : internal::Routes()) {
    std::string path(route.pattern);
    std::string with_payload = path;
    if (const size_t open = path.find("{ref}"); open != std::string::npos) {
      path.replace(open, 5, "185");
      with_payload.replace(open, 5, payload);
      targets.push_back(with_payload);
    }
    std::string_view params = route.params;
    while (!params.empty()) {
      const size_t space = params.find(' ');
      targets.push_back(path + "?" + std::string(params.substr(0, space)) + "=" + payload);
      params = space == std::string_view::npos ? std::string_view() : params.substr(space + 1);
    }
    targets.push_back(path + "?q=" + payload);
    targets.push_back(path + "?" + payload + "=1");
  }
  targets.push_back("/" + payload);
  targets.push_back("/api/v1/" + payload);
  for (const auto& target : targets) {
    const Response r = Get(target);
    EXPECT_EQ(r.body.find("<script"), std::string::npos) << target;
    if (r.content_type == "application/json") {
      // JSON is data, not a template: strings may hold the braces, never '<'.
      EXPECT_EQ(r.body.find('<'), std::string::npos) << target;
      EXPECT_FALSE(json::parse(r.body, nullptr, false).is_discarded()) << target;
    } else {
      EXPECT_EQ(r.body.find("{{"), std::string::npos) << target;
      EXPECT_EQ(r.body.find("}}"), std::string::npos) << target;
    }
    EXPECT_GE(r.status, 200) << target;
    EXPECT_LT(r.status, 500) << target;
  }
  EXPECT_TRUE(log_.empty());
}

TEST_F(SiteTest, CachedUntilTheStoreChanges) {
  const std::string target = "/treaties/185?as_of=2020-01-01";
  const Response first = Get(target);
  ASSERT_EQ(first.status, 200);
  EXPECT_TRUE(Row(first.body, "MC").empty());
  const Response again = Get(target);
  EXPECT_EQ(again.body, first.body);
  EXPECT_FALSE(first.Header("ETag").empty());
  EXPECT_EQ(again.Header("ETag"), first.Header("ETag"));

  Request conditional{"GET", target, {{"if-none-match", first.Header("ETag")}}, "", ""};
  const Response not_modified = site_->Handle(conditional);
  EXPECT_EQ(not_modified.status, 304);
  EXPECT_TRUE(not_modified.body.empty());

  const int consents_before =
      ParseJson(Get("/api/v1/treaties/185?as_of=2020-01-01"))["consents"]["min"].get<int>();
  // Another writer adds a chart row: the next request sees it.
  auto imported = registry_->ImportText(
      "# status as of: 2019-12-31\n"
      "state,coe_member,signature,ratification_or_accession,entry_into_force,notes_flags,kind\n"
      "Monaco,yes,2017-03-17,2019-03-13,,,ratification\n",
      "test-chart.csv", "ETS 185");
  ASSERT_TRUE(imported.ok()) << imported.status().message();
  const Response after = Get(target);
  ASSERT_EQ(after.status, 200);
  EXPECT_NE(after.Header("ETag"), first.Header("ETag"));
  EXPECT_NE(Row(after.body, "MC").find("2019-03-13"), std::string::npos);
  EXPECT_EQ(ParseJson(Get("/api/v1/treaties/185?as_of=2020-01-01"))["consents"]["min"].get<int>(),
            consents_before + 1);

  // Invalidate() drops the cache for writes made through this process.
  site_->Invalidate();
  EXPECT_EQ(Get(target).body, after.body);
}

TEST_F(SiteTest, CachedPagesAreGzippedForClientsThatAcceptIt) {
  const std::string target = "/treaties/185";
  const Response plain = Get(target);
  ASSERT_EQ(plain.status, 200);
  EXPECT_EQ(plain.Header("Content-Encoding"), "");
  EXPECT_EQ(plain.Header("Vary"), "Accept-Encoding");

  Request asks{"GET", target, {{"accept-encoding", "br, gzip;q=0.8"}}, "", ""};
  const Response packed = site_->Handle(asks);
  ASSERT_EQ(packed.status, 200);
  EXPECT_EQ(packed.Header("Content-Encoding"), "gzip");
  EXPECT_EQ(packed.Header("Vary"), "Accept-Encoding");
  EXPECT_EQ(packed.content_type, plain.content_type);
  EXPECT_LT(packed.body.size(), plain.body.size() / 3);
  EXPECT_EQ(octopus::test_support::Gunzip(packed.body), plain.body);
  // Two representations, two entity tags; each revalidates as itself.
  ASSERT_FALSE(packed.Header("ETag").empty());
  EXPECT_NE(packed.Header("ETag"), plain.Header("ETag"));
  Request revalidate{"GET", target,
                     {{"accept-encoding", "gzip"}, {"if-none-match", packed.Header("ETag")}}, "", ""};
  const Response not_modified = site_->Handle(revalidate);
  EXPECT_EQ(not_modified.status, 304);
  EXPECT_TRUE(not_modified.body.empty());
  EXPECT_EQ(not_modified.Header("Content-Encoding"), "");
  EXPECT_EQ(not_modified.Header("ETag"), packed.Header("ETag"));
  Request stale{"GET", target, {{"if-none-match", packed.Header("ETag")}}, "", ""};
  EXPECT_EQ(site_->Handle(stale).status, 200);  // the plain body is another representation

  Request refuses{"GET", target, {{"accept-encoding", "gzip;q=0, *"}}, "", ""};
  EXPECT_EQ(site_->Handle(refuses).Header("Content-Encoding"), "");
  // A small answer is not worth compressing.
  Request health{"GET", "/healthz", {{"accept-encoding", "gzip"}}, "", ""};
  EXPECT_EQ(site_->Handle(health).Header("Content-Encoding"), "");
}

TEST_F(SiteTest, UnexpectedExceptionsBecomeALogged500) {
  SiteOptions options;
  options.today = []() -> domain::Date { throw std::runtime_error("clock broke"); };
  options.log = [this](std::string_view line) { log_.emplace_back(line); };
  auto site = Site::Open(*registry_, std::string(OCTOPUS_TEST_SOURCE_DIR) + "/templates",
                         std::string(OCTOPUS_TEST_SOURCE_DIR) + "/static", options);
  ASSERT_TRUE(site.ok());
  Request page{"GET", "/treaties", {}, "", ""};
  const Response r = (*site)->Handle(page);
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("clock broke"), std::string::npos);  // details go to the log only
  Request api{"GET", "/api/v1/treaties", {}, "", ""};
  const Response j = (*site)->Handle(api);
  EXPECT_EQ(j.status, 500);
  EXPECT_EQ(ParseJson(j)["status"], 500);
  ASSERT_EQ(log_.size(), 2u);
  EXPECT_NE(log_[0].find("GET /treaties: clock broke"), std::string::npos);
}

TEST_F(SiteTest, MissingTemplatesAreAnIoErrorNamingThem) {
  auto site = Site::Open(*registry_, (dir_ / "none").string(),
                         std::string(OCTOPUS_TEST_SOURCE_DIR) + "/static");
  ASSERT_FALSE(site.ok());
  EXPECT_EQ(site.status().code(), StatusCode::kIoError);
  EXPECT_NE(site.status().message().find("OCTOPUS_TEMPLATE_DIR"), std::string::npos);
}

TEST(ViewsTest, IntervalsReadHonestly) {
  EXPECT_EQ(internal::ShowInterval("2011-09-01"), "2011-09-01");
  EXPECT_EQ(internal::ShowInterval("2001-11-23/2011-06-01"), "2001-11-23 \u2013 2011-06-01");
  EXPECT_EQ(internal::ShowInterval("../2011-06-01"), "on or before 2011-06-01");
  EXPECT_EQ(internal::ShowInterval("2011-06-02/.."), "on or after 2011-06-02");
  EXPECT_EQ(internal::ShowInterval(nullptr), "");
  EXPECT_EQ(internal::ShowRangesIn("enters into force 2007-06-01/2011-10-01)"),
            "enters into force 2007-06-01 \u2013 2011-10-01)");
  EXPECT_EQ(internal::ShowRangesIn("a/b 2011-06-01/x"), "a/b 2011-06-01/x");
  EXPECT_EQ(internal::ShowRange({30, 31}), "30\u201331");
  EXPECT_EQ(internal::ShowRange({31, 31}), "31");
  EXPECT_EQ(internal::ShowRange({44, 45, true}), "44+");
}

TEST(RouteMatchTest, PatternsWithSuffixes) {
  std::map<std::string, std::string> p;
  const internal::Route* r = internal::Match("/treaties/ETS-185.csv", p);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->pattern, "/treaties/{ref}.csv");
  EXPECT_EQ(p.at("ref"), "ETS-185");
  r = internal::Match("/treaties/185", p);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->pattern, "/treaties/{ref}");
  r = internal::Match("/api/v1/treaties/UNCC/timeline", p);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(p.at("ref"), "UNCC");
  EXPECT_EQ(internal::Match("/treaties/.csv", p)->pattern, "/treaties/{ref}");
  EXPECT_EQ(internal::Match("/api/v1/treaties/185/other", p), nullptr);
  EXPECT_EQ(internal::Match("", p), nullptr);
  EXPECT_EQ(internal::Match("/", p)->pattern, "/");
}

TEST_F(SiteTest, EverySpellingOfOneUrlIsOneCacheEntry) {
  ASSERT_EQ(Get("/treaties/185?as_of=2011-06-01").status, 200);
  const auto first = site_->cache_stats();
  EXPECT_EQ(first.entries, 1u);
  const std::vector<std::string> spellings = {
      "/treaties/185?as_of=2011-06-01#top", "/treaties/18%35?as_of=2011-06-01",
      "/%74reaties/185?as_of=2011%2D06-01", "/treaties/185?as%5Fof=2011-06-01#x#y",
      "/treaties/185?&as_of=2011-06-01&",
  };
  for (const auto& target : spellings) EXPECT_EQ(Get(target).status, 200) << target;
  const auto after = site_->cache_stats();
  EXPECT_EQ(after.entries, 1u);
  EXPECT_EQ(after.hits - first.hits, spellings.size());
}

TEST_F(SiteTest, OnlyCachedAnswersComeFromMemory) {
  Request r;
  r.target = "/treaties/185";
  EXPECT_EQ(site_->HandleFromMemory(r), nullptr);
  EXPECT_EQ(Get("/treaties/185").status, 200);
  const auto cached = site_->HandleFromMemory(r);
  ASSERT_NE(cached, nullptr);
  EXPECT_EQ(cached->status, 200);
  r.target = "/healthz";
  ASSERT_NE(site_->HandleFromMemory(r), nullptr);
  r.target = "/nowhere";
  ASSERT_NE(site_->HandleFromMemory(r), nullptr);
  EXPECT_EQ(site_->HandleFromMemory(r)->status, 404);
}

TEST_F(SiteTest, RequestsFromManyThreadsGetTheAnswersOneThreadGets) {
  const std::vector<std::string> targets = {
      "/treaties/185?as_of=2011-06-01", "/api/v1/treaties/185", "/treaties", "/",
      "/api/v1/treaties/185/status?as_of=2005-01-01", "/treaties/CETS-224", "/healthz"};
  std::vector<std::string> expected;
  for (const auto& t : targets) expected.push_back(Get(t).body);
  site_->Invalidate();
  std::vector<std::thread> threads;
  std::atomic<int> wrong{0};
  for (int t = 0; t < 6; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 14; ++i) {
        const size_t k = static_cast<size_t>(t + i) % targets.size();
        if (i % 5 == 0) site_->Invalidate();
        const Response r = Get(targets[k]);
        if (r.status != 200 || r.body != expected[k]) ++wrong;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong.load(), 0);
}

std::shared_ptr<const Response> BodyOf(size_t bytes) {
  Response r;
  r.body.assign(bytes, 'x');
  return std::make_shared<const Response>(std::move(r));
}

TEST(PageCacheTest, StaysWithinItsBytesDroppingTheLeastRecentlyUsed) {
  internal::PageCache cache(3000);
  for (const char* key : {"a", "b", "c"}) cache.Put(key, BodyOf(700), cache.Find(key).epoch);
  EXPECT_EQ(cache.stats().entries, 3u);
  ASSERT_NE(cache.Find("a").hit, nullptr);  // "b" is now the least recently used
  cache.Put("d", BodyOf(700), cache.Find("d").epoch);
  EXPECT_LE(cache.stats().bytes, 3000u);
  EXPECT_EQ(cache.Find("b").hit, nullptr);
  EXPECT_NE(cache.Find("a").hit, nullptr);
  EXPECT_NE(cache.Find("d").hit, nullptr);
  cache.Put("huge", BodyOf(5000), cache.Find("huge").epoch);
  EXPECT_EQ(cache.Find("huge").hit, nullptr);
}

TEST(PageCacheTest, AnAnswerRenderedBeforeAClearIsNotKept) {
  internal::PageCache cache(1 << 20);
  const uint64_t epoch = cache.Find("page").epoch;
  cache.Clear();
  cache.Put("page", BodyOf(10), epoch);
  EXPECT_EQ(cache.Find("page").hit, nullptr);
  cache.Put("page", BodyOf(10), cache.Find("page").epoch);
  EXPECT_NE(cache.Find("page").hit, nullptr);
}

TEST(CacheKeyTest, SpellingsAgreeAndDaysAndVariantsDiffer) {
  auto key = [](std::string_view target, std::string_view day, std::string_view variant) {
    return internal::CacheKey(*ParseTarget(target), day, variant);
  };
  EXPECT_EQ(key("/news?year=2020&country=TR", "d", ""), key("/n%65ws?country=TR&year=2020#f", "d", ""));
  EXPECT_NE(key("/news?year=2020", "d", ""), key("/news?year=2021", "d", ""));
  EXPECT_NE(key("/news", "d1", ""), key("/news", "d2", ""));
  EXPECT_NE(key("/news", "d", ""), key("/news", "d", "editor"));
  EXPECT_NE(key("/news?a=b%26c", "d", ""), key("/news?a=b&c", "d", ""));
}

}  // namespace
}  // namespace octopus::web
