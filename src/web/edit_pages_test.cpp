// Editing on the site: the forms, the review queue, who may use them, and a
// publication reaching the public pages, the API and search at once. The
// site runs over the record fixtures with the real knowledge service; who
// asks is set by the test (SiteOptions::authenticate), as a session would.
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "auth/principal.h"
#include "service/knowledge.h"
#include "service/registry.h"
#include "store/store.h"
#include "store/testing/record_fixtures.h"
#include "web/site.h"
#include "web/testing/site_fixture.h"

namespace octopus::web {
namespace {

using nlohmann::json;

auth::Principal Person(int64_t id, std::string email, auth::Role role) {
  auth::Principal p;
  p.user_id = id;
  p.email = std::move(email);
  p.role = role;
  p.csrf_token = "token-" + std::to_string(id);
  p.session_label = "session " + std::to_string(id);
  return p;
}

const auth::Principal kEditor = Person(1, "ana@example.org", auth::Role::kEditor);
const auth::Principal kReviewer = Person(2, "ben@example.org", auth::Role::kReviewer);
const auth::Principal kPractitioner = Person(3, "cleo@example.org", auth::Role::kPractitioner);

class EditPagesTest : public test_support::SiteWithRecordsTest {
 protected:
  void Configure(SiteOptions& options) override {
    auto knowledge = service::Knowledge::Open(*store_, OCTOPUS_TEST_DATA_DIR);
    ASSERT_TRUE(knowledge.ok()) << knowledge.status().message();
    knowledge_ = std::move(*knowledge);
    // Pages are cached as on a real site: a publication must still show at once.
    options.generation_check_interval = std::chrono::hours(1);
    options.knowledge = [k = knowledge_.get()](kb::Visibility v) { return k->Current(v); };
    options.authenticate = [this](const Request&) { return principal_; };
  }
  void TearDown() override {
    SiteWithRecordsTest::TearDown();
    knowledge_.reset();
  }

  Response Get(const std::string& target, const auth::Principal& who = {}) {
    principal_ = who;
    Request r;
    r.target = target;
    return site_->Handle(r);
  }

  /// A POST from the site's own page, with the principal's token unless
  /// `csrf` says otherwise.
  Response Post(const std::string& target, const std::string& body, const auth::Principal& who,
                std::string origin = "http://octopus.test") {
    principal_ = who;
    Request r;
    r.method = "POST";
    r.target = target;
    r.headers["host"] = "octopus.test";
    if (!origin.empty()) r.headers["origin"] = origin;
    r.headers["content-type"] = "application/x-www-form-urlencoded";
    r.body = body;
    return site_->Handle(r);
  }

  std::string Csrf(const auth::Principal& who) { return "csrf=" + who.csrf_token; }

  std::vector<store::ChangeSet> Drafts() {
    auto d = store_->Drafts();
    EXPECT_TRUE(d.ok()) << d.status().message();
    return d.ok() ? *d : std::vector<store::ChangeSet>{};
  }

  std::unique_ptr<service::Knowledge> knowledge_;
  auth::Principal principal_;
};

TEST_F(EditPagesTest, AReaderIsSentToSignInAndOtherRolesBelowTheNeededOneAreRefused) {
  const Response reader = Get("/edit/projects/cybereast");
  EXPECT_EQ(reader.status, 303);
  EXPECT_EQ(reader.Header("Location"), "/login?next=%2Fedit%2Fprojects%2Fcybereast");
  EXPECT_EQ(Get("/edit/projects/cybereast", kPractitioner).status, 403);
  EXPECT_EQ(Get("/review", kEditor).status, 403);
  EXPECT_EQ(Post("/review", Csrf(kEditor) + "&id=1&decision=approve", kEditor).status, 403);
  EXPECT_EQ(Get("/review").status, 303);
  EXPECT_EQ(Get("/edit/projects/cybereast", kEditor).status, 200);
  EXPECT_EQ(Get("/review", kReviewer).status, 200);
}

TEST_F(EditPagesTest, APostWithoutTheTokenOrFromAnotherSiteIsRefusedAndStoresNothing) {
  const std::string body = "budget_amount=EUR+5+400+000&budget_currency=EUR";
  const size_t audited = store_->Audit({})->size();
  EXPECT_EQ(Post("/edit/projects/cybereast", body, kEditor).status, 403);
  EXPECT_EQ(Post("/edit/projects/cybereast", "csrf=token-9&" + body, kEditor).status, 403);
  EXPECT_EQ(Post("/edit/projects/cybereast", Csrf(kEditor) + "&" + body, kEditor, "https://evil.example").status,
            403);
  EXPECT_EQ(Post("/edit/projects/cybereast", Csrf(kEditor) + "&" + body, kEditor, "").status, 403);
  EXPECT_TRUE(Drafts().empty());
  EXPECT_EQ(store_->Audit({})->size(), audited);
  EXPECT_EQ(Post("/edit/projects/cybereast", Csrf(kEditor) + "&" + body, kEditor).status, 200);
  EXPECT_EQ(Drafts().size(), 1u);
}

TEST_F(EditPagesTest, FormErrorsAreShownBesideTheirFieldWithWhatWasTypedAndNothingIsStored) {
  const size_t audited = store_->Audit({})->size();
  const Response r = Post("/edit/activities/new",
                          Csrf(kEditor) +
                              "&title=Workshop+on+cyber+hygiene&when=sometime+soonish&countries=Georgia%2C+Atlantis"
                              "&projects=CyberEast&status=maybe",
                          kEditor);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("value=\"Workshop on cyber hygiene\""), std::string::npos);
  EXPECT_NE(r.body.find("value=\"sometime soonish\""), std::string::npos);
  const size_t when = r.body.find("id=\"error-when\"");
  ASSERT_NE(when, std::string::npos);
  EXPECT_NE(r.body.find("is not a date", when), std::string::npos);
  // The error follows its own field, before the next one.
  EXPECT_LT(r.body.find("id=\"field-when\""), when);
  EXPECT_LT(when, r.body.find("id=\"field-status\""));
  const size_t countries = r.body.find("id=\"error-countries\"");
  ASSERT_NE(countries, std::string::npos);
  const size_t atlantis = r.body.find("Atlantis", countries);
  ASSERT_NE(atlantis, std::string::npos);
  EXPECT_NE(r.body.find("is not a country the site knows", atlantis), std::string::npos);
  EXPECT_NE(r.body.find("id=\"error-status\""), std::string::npos);
  EXPECT_EQ(r.body.find("id=\"error-projects\""), std::string::npos);
  EXPECT_TRUE(Drafts().empty());
  EXPECT_EQ(store_->Audit({})->size(), audited);

  const Response missing = Post("/edit/activities/new", Csrf(kEditor) + "&when=TBC", kEditor);
  EXPECT_EQ(missing.status, 400);
  EXPECT_NE(missing.body.find("id=\"error-title\""), std::string::npos);
  EXPECT_TRUE(Drafts().empty());
}

TEST_F(EditPagesTest, DatesAreReadAsPeopleTypeThemByTheIngestRules) {
  struct Case {
    std::string typed;
    std::string start, end, precision;
  };
  for (const Case& c : {Case{"by October 2023", "", "2023-10", "by"},
                        Case{"mid-November", "2023-11", "2023-11", "mid"},
                        Case{"TBC", "", "", "tbc"},
                        Case{"3-5 July 2024", "2024-07-03", "2024-07-05", "day"}}) {
    const size_t before = Drafts().size();
    const Response r = Post("/edit/activities/new",
                            Csrf(kEditor) + "&title=Training+for+judges&when=" + c.typed, kEditor);
    ASSERT_EQ(r.status, 200) << c.typed << "\n" << r.body.substr(0, 2000);
    const auto drafts = Drafts();
    ASSERT_EQ(drafts.size(), before + 1) << c.typed;
    std::map<std::string, std::string> got;
    for (const store::EditValue& v : drafts.back().values) got[v.field] = v.value;
    EXPECT_EQ(got["start"], c.start) << c.typed;
    EXPECT_EQ(got["end"], c.end) << c.typed;
    EXPECT_EQ(got["precision"], c.precision) << c.typed;
    EXPECT_EQ(got["as_written"], c.typed) << c.typed;
  }
}

TEST_F(EditPagesTest, ATreatyActionNeedsItsSourceAndBecomesEvidenceOnceApproved) {
  const std::string action = Csrf(kEditor) + "&state=Georgia&action=ratification&date=6+June+2012";
  const Response unsourced = Post("/edit/treaties/185", action + "&source=", kEditor);
  EXPECT_EQ(unsourced.status, 400);
  EXPECT_NE(unsourced.body.find("id=\"error-source\""), std::string::npos);
  const Response vague = Post("/edit/treaties/185",
                              Csrf(kEditor) + "&state=Georgia&action=ratification&date=by+2012"
                                              "&source=https%3A%2F%2Fexample.org%2Fjj1",
                              kEditor);
  EXPECT_EQ(vague.status, 400);
  const size_t date_error = vague.body.find("id=\"error-date\"");
  ASSERT_NE(date_error, std::string::npos);
  EXPECT_NE(vague.body.find("give the one day, month or year", date_error), std::string::npos);
  EXPECT_TRUE(Drafts().empty());

  ASSERT_EQ(Post("/edit/treaties/185", action + "&source=https%3A%2F%2Fexample.org%2Fjj1", kEditor).status, 200);
  const auto drafts = Drafts();
  ASSERT_EQ(drafts.size(), 1u);
  EXPECT_EQ(drafts[0].values.size(), 3u);
  EXPECT_EQ(drafts[0].values[0].entity_id, "ETS 185/GE");
  ASSERT_EQ(Post("/review", Csrf(kReviewer) + "&id=" + std::to_string(drafts[0].id) + "&decision=approve", kReviewer)
                .status,
            200);
  auto registry = store_->Registry("ETS 185");
  ASSERT_TRUE(registry.ok());
  size_t cited = 0;
  for (const domain::Evidence& e : registry->evidence) {
    if (e.source.origin != "https://example.org/jj1") continue;
    ++cited;
    EXPECT_EQ(e.state, "GE");
    EXPECT_EQ(e.action, domain::ActionKind::kRatification);
    EXPECT_EQ(e.lo, domain::Date::Make(2012, 6, 6));
  }
  EXPECT_EQ(cited, 1u);
}

TEST_F(EditPagesTest, EditorsSeeAnEditLinkOnEntityPagesAndReadersDoNot) {
  const std::string link = "href=\"&#x2F;edit&#x2F;projects&#x2F;cybereast\"";
  EXPECT_EQ(Get("/projects/cybereast").body.find(link), std::string::npos);
  EXPECT_NE(Get("/projects/cybereast", kEditor).body.find(link), std::string::npos);
}

TEST_F(EditPagesTest, AnApprovedEditIsOnThePageTheApiAndInSearchAtOnce) {
  // Cached for a reader before the edit.
  const Response before = Get("/projects/cybereast");
  ASSERT_EQ(before.status, 200);
  EXPECT_EQ(before.body.find("5,400,000"), std::string::npos);
  store::RecordQuery quokka;
  quokka.terms = {{"quokka", false}};
  EXPECT_EQ(store_->FindEntities(quokka)->total, 0);

  ASSERT_EQ(Post("/edit/projects/cybereast",
                 Csrf(kEditor) + "&budget_amount=EUR+5.4+million&scope=Resilience+of+quokka+networks"
                                 "&note=revised+by+the+steering+committee",
                 kEditor)
                .status,
            200);
  const auto drafts = Drafts();
  ASSERT_EQ(drafts.size(), 1u);
  // A draft is not public.
  EXPECT_EQ(Get("/projects/cybereast").body.find("5,400,000"), std::string::npos);

  const Response queue = Get("/review", kReviewer);
  EXPECT_NE(queue.body.find("revised by the steering committee"), std::string::npos);
  EXPECT_NE(queue.body.find("5400000"), std::string::npos);
  EXPECT_NE(queue.body.find("Eastern Partnership region"), std::string::npos)
      << "the scope before";
  const std::string id = std::to_string(drafts[0].id);
  // The author may not approve it, even with the reviewer role.
  auth::Principal author = kEditor;
  author.role = auth::Role::kReviewer;
  EXPECT_EQ(Post("/review", Csrf(author) + "&id=" + id + "&decision=approve", author).status, 403);
  EXPECT_EQ(Drafts().size(), 1u);

  const Response approved = Post("/review", Csrf(kReviewer) + "&id=" + id + "&decision=approve", kReviewer);
  ASSERT_EQ(approved.status, 200) << approved.body.substr(0, 2000);
  EXPECT_TRUE(Drafts().empty());

  const Response page = Get("/projects/cybereast");
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("EUR 5,400,000"), std::string::npos);
  EXPECT_NE(page.body.find("edited by ana@example.org on "), std::string::npos);
  // The documents' claims are still there.
  EXPECT_NE(page.body.find("Eastern Partnership region"), std::string::npos);

  const json api = json::parse(Get("/api/v1/projects/cybereast").body);
  bool budget = false;
  for (const json& f : api["fields"]) {
    if (f["name"] != "budget_amount") continue;
    budget = true;
    EXPECT_EQ(f["values"][0]["value"], "5400000");
    EXPECT_EQ(f["values"][0]["sources"][0]["edited"]["by"], "ana@example.org");
  }
  EXPECT_TRUE(budget);
  // The entity index is rebuilt with the publication.
  auto found = store_->FindEntities(quokka);
  ASSERT_TRUE(found.ok()) << found.status().message();
  ASSERT_EQ(found->total, 1);
  EXPECT_EQ(found->hits[0].entity_id, "cybereast");

  store::AuditQuery q;
  q.entity = "project:cybereast";
  std::vector<std::string> budget_actions;
  auto audit = store_->Audit(q);
  ASSERT_TRUE(audit.ok()) << audit.status().message();
  for (const store::AuditEntry& e : *audit) {
    if (e.field != "budget_amount") continue;
    budget_actions.push_back(e.action + " " + e.actor + " " + e.origin);
    EXPECT_EQ(e.before, std::nullopt) << "the fixture states no budget";
    EXPECT_EQ(e.after, std::optional<std::string>("5400000"));
  }
  EXPECT_EQ(budget_actions, (std::vector<std::string>{"publish ben@example.org session 2",
                                                      "approve ben@example.org session 2",
                                                      "draft ana@example.org session 1"}));
}

TEST_F(EditPagesTest, AnEditorClearsAFieldTheDocumentsGiveAndTheirValueStaysInTheHistory) {
  ASSERT_NE(Get("/projects/cybereast").body.find("Eastern Partnership region"), std::string::npos);
  // A required field is not cleared.
  const Response refused = Post("/edit/projects/cybereast", Csrf(kEditor) + "&name=", kEditor);
  EXPECT_EQ(refused.status, 400);
  EXPECT_TRUE(Drafts().empty());

  ASSERT_EQ(Post("/edit/projects/cybereast", Csrf(kEditor) + "&scope=&note=the+scope+is+being+redefined", kEditor)
                .status,
            200);
  const auto drafts = Drafts();
  ASSERT_EQ(drafts.size(), 1u);
  ASSERT_EQ(drafts[0].values.size(), 1u);
  EXPECT_EQ(drafts[0].values[0].field, "scope");
  EXPECT_EQ(drafts[0].values[0].value, "");
  EXPECT_EQ(drafts[0].values[0].before, std::optional<std::string>("Eastern Partnership region"));
  EXPECT_NE(Get("/review", kReviewer).body.find("no value"), std::string::npos);
  ASSERT_EQ(Post("/review", Csrf(kReviewer) + "&id=" + std::to_string(drafts[0].id) + "&decision=approve", kReviewer)
                .status,
            200);

  const json api = json::parse(Get("/api/v1/projects/cybereast").body);
  bool scope = false;
  for (const json& f : api["fields"]) {
    if (f["name"] != "scope") continue;
    scope = true;
    ASSERT_EQ(f["values"].size(), 1u);
    EXPECT_EQ(f["values"][0]["value"], "");
    EXPECT_EQ(f["values"][0]["text"], "no value");
    EXPECT_EQ(f["values"][0]["sources"][0]["edited"]["by"], "ana@example.org");
    ASSERT_FALSE(f["history"].empty()) << "the documents' value is kept";
    EXPECT_EQ(f["history"][0]["value"], "Eastern Partnership region");
  }
  EXPECT_TRUE(scope);
  const Response page = Get("/projects/cybereast");
  EXPECT_NE(page.body.find("no value"), std::string::npos);
  // Search no longer finds the project by the cleared words.
  store::RecordQuery q;
  q.terms = {{"Eastern Partnership region", false}};
  q.filters = {{"kind", "project"}};
  auto found = store_->FindEntities(q);
  ASSERT_TRUE(found.ok());
  for (const auto& h : found->hits) EXPECT_NE(h.entity_id, "cybereast");
}

}  // namespace
}  // namespace octopus::web
