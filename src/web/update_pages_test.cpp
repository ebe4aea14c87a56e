// The quarterly update on the site and the subscription pages, through
// Site::Handle over the fixture documents (the July–September 2023 update
// among them) and the knowledge base the knowledge service builds from them,
// with today fixed at 15 August 2023.
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "service/knowledge.h"
#include "service/registry.h"
#include "store/store.h"
#include "web/internal/rate_limit.h"
#include "web/site.h"
#include "web/testing/site_fixture.h"

namespace octopus::web {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

using test_support::kToday;

class UpdatePagesTest : public test_support::SiteWithRecordsTest {
 protected:
  std::unique_ptr<Site> OpenSite(
      std::function<Result<std::shared_ptr<const kb::KnowledgeBase>>(kb::Visibility)> knowledge) {
    SiteOptions options;
    options.generation_check_interval = std::chrono::milliseconds(0);
    options.today = [] { return kToday; };
    options.knowledge = std::move(knowledge);
    auto site = Site::Open(*registry_, std::string(OCTOPUS_TEST_SOURCE_DIR) + "/templates",
                           std::string(OCTOPUS_TEST_SOURCE_DIR) + "/static", options);
    EXPECT_TRUE(site.ok()) << site.status().message();
    return site.ok() ? std::move(*site) : nullptr;
  }

  Response Post(const std::string& target, const std::string& body) {
    Request r;
    r.method = "POST";
    r.target = target;
    r.headers["content-type"] = "application/x-www-form-urlencoded";
    r.body = body;
    return site_->Handle(r);
  }

  /// The anti-forgery token of the subscription form, as the page gives it to `peer`.
  static std::string Csrf(Site& site, const std::string& peer = "") {
    Request r{"GET", "/subscribe", {}, "", ""};
    r.peer = peer;
    const Response form = site.Handle(r);
    const std::string before = "name=\"csrf\" value=\"";
    const size_t at = form.body.find(before);
    EXPECT_NE(at, std::string::npos) << form.body;
    if (at == std::string::npos) return "";
    const size_t start = at + before.size();
    return form.body.substr(start, form.body.find('"', start) - start);
  }
  /// A subscription form body for `email` (already percent-encoded) with a valid token.
  std::string SubscribeForm(const std::string& email) {
    return "email=" + email + "&csrf=" + Csrf(*site_);
  }

  /// The one subscriber on file.
  store::Subscriber OnlySubscriber() {
    auto all = store_->Subscribers("");
    EXPECT_TRUE(all.ok());
    EXPECT_EQ(all->size(), 1u);
    return all->empty() ? store::Subscriber{} : all->front();
  }

};

TEST_F(UpdatePagesTest, JsonIssueListsTheQuartersActivities) {
  const Response r = Get("/updates/2023Q3.json");
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 500);
  EXPECT_EQ(r.content_type, update::ContentType(update::Format::kJson));
  const json j = json::parse(r.body, nullptr, false);
  ASSERT_FALSE(j.is_discarded());
  EXPECT_NE(r.body.find("Workshop on financial investigations in T"), std::string::npos);
  EXPECT_NE(r.body.find("Online training for judges of Turkiye on electronic evidence"),
            std::string::npos);
}

TEST_F(UpdatePagesTest, JsonIssueLinksEachActivityToItsEntityPage) {
  const json j = json::parse(Get("/api/v1/updates/2023Q3").body, nullptr, false);
  ASSERT_TRUE(j.is_object());
  size_t linked = 0;
  for (const auto& group : j["inventory"]) {
    for (const auto& a : group["activities"]) {
      EXPECT_EQ(a["url"].get<std::string>(), "/activities/" + a["id"].get<std::string>());
      ++linked;
    }
  }
  EXPECT_GT(linked, 0u);
}

TEST_F(UpdatePagesTest, ASiteWithoutAKnowledgeBaseSaysTheIssueIsUnavailable) {
  site_ = OpenSite(nullptr);
  ASSERT_NE(site_, nullptr);
  for (const char* target : {"/updates", "/updates/2023Q3", "/updates/2023Q3.md", "/api/v1/updates/2023Q3"}) {
    const Response r = Get(target);
    EXPECT_EQ(r.status, 503) << target;
  }
}

TEST_F(UpdatePagesTest, MarkdownAndHtmlIssuesCarryTheirContentTypes) {
  const Response md = Get("/updates/2023Q3.md");
  EXPECT_EQ(md.status, 200);
  EXPECT_EQ(md.content_type, update::ContentType(update::Format::kMarkdown));
  EXPECT_NE(md.body.find("Online training for judges"), std::string::npos);
  const Response html = Get("/updates/2023Q3.html");
  EXPECT_EQ(html.status, 200);
  EXPECT_EQ(html.content_type, "text/html; charset=utf-8");
  EXPECT_NE(html.body.find("<!DOCTYPE html>"), std::string::npos);
  const Response txt = Get("/updates/2023Q3.txt");
  EXPECT_EQ(txt.status, 200);
  EXPECT_EQ(txt.content_type, update::ContentType(update::Format::kText));
}

TEST_F(UpdatePagesTest, IssuePageShowsTheIssueInsideTheSite) {
  const Response r = Get("/updates/2023Q3");
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 500);
  EXPECT_NE(r.body.find("<nav aria-label=\"Main\">"), std::string::npos);
  EXPECT_NE(r.body.find("Online training for judges"), std::string::npos);
  EXPECT_NE(r.body.find("href=\"/updates/2023Q3.pdf\""), std::string::npos);
  EXPECT_EQ(r.body.find("<!DOCTYPE"), std::string::npos) << "a document inside the page";
}

TEST_F(UpdatePagesTest, MalformedQuarterIsABadRequestNamingTheParameter) {
  for (const char* target : {"/updates/2023Q5", "/updates/last-quarter", "/updates/2023Q3.docx"}) {
    const Response r = Get(target);
    EXPECT_EQ(r.status, 400) << target;
    EXPECT_NE(r.body.find("issue"), std::string::npos) << target;
  }
  EXPECT_EQ(Get("/api/v1/updates/2023Q9").status, 400);
}

TEST_F(UpdatePagesTest, QuarterWithNothingRecordedIsAnHonestEmptyIssue) {
  const Response r = Get("/updates/1999Q1.md");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body.find("Online training for judges"), std::string::npos);
}

TEST_F(UpdatePagesTest, UpdatesListLinksTheQuartersThatHaveRecords) {
  const Response r = Get("/updates");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("href=\"/updates/2023Q3\""), std::string::npos);
  EXPECT_EQ(r.body.find("href=\"/updates/1999Q1\""), std::string::npos);
}

TEST_F(UpdatePagesTest, ApiGivesTheIssueAsJson) {
  const Response r = Get("/api/v1/updates/2023Q3");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_NE(r.body.find("Online training for judges"), std::string::npos);
}

TEST_F(UpdatePagesTest, OpenApiDescribesTheIssueEndpointWithoutANotFound) {
  const json doc = json::parse(Get("/api/v1/openapi.json").body, nullptr, false);
  ASSERT_FALSE(doc.is_discarded());
  const json& responses = doc["paths"]["/api/v1/updates/{quarter}"]["get"]["responses"];
  EXPECT_TRUE(responses.contains("200"));
  EXPECT_TRUE(responses.contains("400"));
  EXPECT_FALSE(responses.contains("404"));
  EXPECT_FALSE(doc["paths"].contains("/subscribe"));
}

TEST_F(UpdatePagesTest, PdfIsServedOrRefusedWithAReason) {
  const Response r = Get("/updates/2023Q3.pdf");
  if (update::PdfRendererAvailable()) {
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.content_type, "application/pdf");
    EXPECT_TRUE(r.body.starts_with("%PDF"));
  } else {
    EXPECT_EQ(r.status, 503);
    EXPECT_NE(r.body.find("weasyprint"), std::string::npos);
  }
}

TEST_F(UpdatePagesTest, SubscribeConfirmUnsubscribeChangesTheSubscribersStatus) {
  const Response form = Get("/subscribe");
  EXPECT_EQ(form.status, 200);
  EXPECT_NE(form.body.find("<form method=\"post\" action=\"/subscribe\">"), std::string::npos);

  const Response requested = Post("/subscribe", SubscribeForm("reader%40example.org"));
  EXPECT_EQ(requested.status, 200);
  EXPECT_NE(requested.body.find("confirmation link was sent"), std::string::npos);
  EXPECT_NE(requested.body.find("mail is not configured"), std::string::npos);
  store::Subscriber s = OnlySubscriber();
  EXPECT_EQ(s.email, "reader@example.org");
  EXPECT_EQ(s.status, "pending");

  // Opening the link (as a mail scanner does) only shows the button.
  const Response button = Get("/subscribe/confirm?token=" + s.token);
  EXPECT_EQ(button.status, 200);
  EXPECT_NE(button.body.find("<form method=\"post\" action=\"/subscribe/confirm?token=" + s.token),
            std::string::npos);
  EXPECT_EQ(OnlySubscriber().status, "pending");
  EXPECT_EQ(Post("/subscribe/confirm?token=" + s.token, "").status, 200);
  EXPECT_EQ(OnlySubscriber().status, "confirmed");
  // The link works once.
  EXPECT_EQ(Post("/subscribe/confirm?token=" + s.token, "").status, 404);

  // Asking again says the same thing and changes nothing.
  const Response again = Post("/subscribe", SubscribeForm("reader%40example.org"));
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(again.body, requested.body);
  EXPECT_EQ(OnlySubscriber().status, "confirmed");

  // The confirmation token does not unsubscribe; the unsubscribe token does.
  EXPECT_EQ(Post("/unsubscribe?token=" + s.token, "List-Unsubscribe=One-Click").status, 404);
  const Response page = Get("/unsubscribe?token=" + s.unsubscribe_token);
  EXPECT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("<form method=\"post\""), std::string::npos);
  EXPECT_EQ(OnlySubscriber().status, "confirmed");

  const Response done =
      Post("/unsubscribe?token=" + s.unsubscribe_token, "List-Unsubscribe=One-Click");
  EXPECT_EQ(done.status, 200);
  EXPECT_EQ(OnlySubscriber().status, "unsubscribed");
  // Final: the old confirmation link does not bring the subscription back.
  EXPECT_EQ(Post("/subscribe/confirm?token=" + s.token, "").status, 404);
  EXPECT_EQ(OnlySubscriber().status, "unsubscribed");
}

TEST_F(UpdatePagesTest, AFormPostedFromAnotherSiteIsRefused) {
  Request r;
  r.method = "POST";
  r.target = "/subscribe";
  r.body = SubscribeForm("reader%40example.org");
  r.headers = {{"origin", "https://evil.example"}, {"host", "octopus.example.org"}};
  EXPECT_EQ(site_->Handle(r).status, 403);
  r.headers["origin"] = "https://octopus.example.org";
  EXPECT_EQ(site_->Handle(r).status, 200);
  EXPECT_EQ(OnlySubscriber().email, "reader@example.org");
}

TEST_F(UpdatePagesTest, ASubscriptionWithoutTheFormsTokenOrWithAWrongOneIsRefused) {
  const std::string good = Csrf(*site_);
  ASSERT_FALSE(good.empty());
  // No token, an empty one, one altered, one of another client, one made up.
  std::string altered = good;
  altered.back() = altered.back() == '0' ? '1' : '0';
  const std::string other_client = Csrf(*site_, "198.51.100.9");
  const std::string seconds = good.substr(0, good.find('.'));
  for (const std::string& body :
       {std::string("email=reader%40example.org"), std::string("email=reader%40example.org&csrf="),
        "email=reader%40example.org&csrf=" + altered,
        "email=reader%40example.org&csrf=" + other_client,
        "email=reader%40example.org&csrf=" + seconds + "." + std::string(64, 'a'),
        "email=reader%40example.org&csrf=" + std::string(5000, '9')}) {
    const Response r = Post("/subscribe", body);
    EXPECT_EQ(r.status, 403) << body;
    EXPECT_NE(r.body.find("form has expired"), std::string::npos);
    // The refusal shows the form again, with a token that works.
    EXPECT_NE(r.body.find("name=\"csrf\" value=\""), std::string::npos);
  }
  auto none = store_->Subscribers("");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  // The page's own token is accepted.
  EXPECT_EQ(Post("/subscribe", "email=reader%40example.org&csrf=" + good).status, 200);
  EXPECT_EQ(OnlySubscriber().email, "reader@example.org");
}

TEST_F(UpdatePagesTest, AFormTokenExpiresAndIsBoundToItsFormAndClient) {
  const internal::FormTokens tokens(std::chrono::hours(2));
  const auto t0 = std::chrono::system_clock::now();
  const std::string token = tokens.Issue("subscribe", "192.0.2.1", t0);
  EXPECT_TRUE(tokens.Check(token, "subscribe", "192.0.2.1", t0 + std::chrono::minutes(119)));
  EXPECT_FALSE(tokens.Check(token, "subscribe", "192.0.2.1", t0 + std::chrono::minutes(121)));
  EXPECT_FALSE(tokens.Check(token, "subscribe", "192.0.2.1", t0 - std::chrono::minutes(5)));
  EXPECT_FALSE(tokens.Check(token, "login", "192.0.2.1", t0));
  EXPECT_FALSE(tokens.Check(token, "subscribe", "192.0.2.10", t0));
  // Another process (another key) does not accept it.
  const internal::FormTokens restarted;
  EXPECT_FALSE(restarted.Check(token, "subscribe", "192.0.2.1", t0));
  for (std::string_view junk : {"", ".", "1.", ".abc", "-5.ab", "99999999999999999999999.ab",
                                "12a.ab", "\xff\xfe"}) {
    EXPECT_FALSE(tokens.Check(junk, "subscribe", "192.0.2.1", t0)) << junk;
  }
}

TEST_F(UpdatePagesTest, OneClientAskingTooOftenIsToldToWaitAndOneAddressIsNotMailedAgain) {
  int limited = 0;
  for (int i = 0; i < 12; ++i) {
    Request r;
    r.method = "POST";
    r.target = "/subscribe";
    r.peer = "192.0.2.7";
    r.body = "email=reader" + std::to_string(i) + "%40example.org&csrf=" + Csrf(*site_, r.peer);
    const Response answer = site_->Handle(r);
    if (answer.status == 429) {
      ++limited;
      EXPECT_EQ(answer.Header("Retry-After"), "600");
    } else {
      EXPECT_EQ(answer.status, 200);
    }
  }
  EXPECT_EQ(limited, 2);
  auto all = store_->Subscribers("");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 10u);
}

TEST_F(UpdatePagesTest, AProgramAddressOrAnRtlOverrideIsNotAnAddress) {
  EXPECT_EQ(Post("/subscribe", SubscribeForm("%7C%2Fbin%2Fsh%40example.org")).status, 400);
  EXPECT_EQ(Post("/subscribe", SubscribeForm("evil%E2%80%AEgro.elpmaxe%40example.org")).status, 400);
  auto all = store_->Subscribers("");
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->empty());
}

TEST_F(UpdatePagesTest, UnknownTokensAreNotFound) {
  EXPECT_EQ(Post("/subscribe/confirm?token=nosuchtoken", "").status, 404);
  EXPECT_EQ(Post("/unsubscribe?token=nosuchtoken", "List-Unsubscribe=One-Click").status, 404);
  EXPECT_EQ(Get("/subscribe/confirm").status, 400);
}

TEST_F(UpdatePagesTest, ScriptInTheEmailFieldIsEscapedInTheErrorPage) {
  const Response r = Post("/subscribe", SubscribeForm("%3Cscript%3Ealert(1)%3C%2Fscript%3E"));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body.find("<script>"), std::string::npos);
  EXPECT_NE(r.body.find("&lt;script&gt;"), std::string::npos);
  auto all = store_->Subscribers("");
  ASSERT_TRUE(all.ok());
  EXPECT_TRUE(all->empty());
}

TEST_F(UpdatePagesTest, AConfirmationIsQueuedNotMailedDuringTheRequest) {
  SiteOptions options;
  options.today = [] { return kToday; };
  options.log = [this](std::string_view line) { log_.emplace_back(line); };
  // Nothing listens on port 1: the relay cannot be reached.
  options.mail = update::MailSettings{"127.0.0.1:1", "update@example.org",
                                      "https://octopus.example.org", "", ""};
  auto site = Site::Open(*registry_, std::string(OCTOPUS_TEST_SOURCE_DIR) + "/templates",
                         std::string(OCTOPUS_TEST_SOURCE_DIR) + "/static", options);
  ASSERT_TRUE(site.ok()) << site.status().message();
  const Response form = (*site)->Handle(Request{"GET", "/subscribe", {}, "", ""});
  EXPECT_EQ(form.status, 200);
  EXPECT_EQ(form.body.find("Mail is not configured"), std::string::npos);
  const auto start = std::chrono::steady_clock::now();
  const Response r = (*site)->Handle(
      Request{"POST", "/subscribe", {}, "email=reader%2Bupdate%40example.org&csrf=" + Csrf(**site), ""});
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("confirmation link was sent"), std::string::npos);
  const store::Subscriber s = OnlySubscriber();
  EXPECT_EQ(s.email, "reader+update@example.org");
  EXPECT_EQ(s.status, "pending");
  EXPECT_EQ(*store_->OutboxDepth(), 1);
  auto due = store_->DueMail("3000-01-01T00:00:00Z", 10);
  ASSERT_TRUE(due.ok());
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ(due->front().recipient, "reader+update@example.org");
  EXPECT_NE(due->front().message.find("Subject:"), std::string::npos);
}

TEST_F(UpdatePagesTest, PostIsRefusedWhereNoFormIsTaken) {
  const Response r = Post("/updates", "x=1");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.Header("Allow"), "GET, HEAD");
}

}  // namespace
}  // namespace octopus::web
