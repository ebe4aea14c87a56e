// Accounts on the site through Site::Handle with the real session
// authenticator: sign in and out, cookies, CSRF and Origin checks, the
// administrators' pages and the audit they write. Tests named V<n>_<n>_<n>
// check the OWASP ASVS 4.0 item of that number.
#include <algorithm>

#include <gtest/gtest.h>

#include "auth/accounts.h"
#include "core/html_escape.h"
#include "web/accounts.h"
#include "web/internal/routes.h"
#include "web/site.h"
#include "web/testing/site_fixture.h"

namespace octopus::web {
namespace {

using namespace std::chrono_literals;
using auth::Role;

constexpr const char* kSite = "http://octopus.test";
constexpr const char* kPassword = "plum orchard in winter";

class AccountPagesTest : public test_support::SiteTestBase {
 protected:
  AccountPagesTest() : SiteTestBase(test_support::kToday, false) {}

  void Configure(SiteOptions& options) override {
    accounts_.base_url = kSite;
    accounts_.common_passwords = std::make_shared<const auth::CommonPasswords>(
        auth::CommonPasswords::FromText("password1234\n"));
    accounts_.now = [this] { return now_; };
    options.accounts = accounts_;
    auto sessions = store::OpenStore((dir_ / "test.db").string());
    ASSERT_TRUE(sessions.ok());
    options.authenticate = SessionAuthenticator(
        std::shared_ptr<store::Store>(std::move(*sessions)), accounts_,
        [this](std::string_view line) { log_.emplace_back(line); });
  }

  void MakeUser(const std::string& email, Role role) {
    auth::Accounts accounts(*store_, accounts_);
    auto user = accounts.AddUser(email, role);
    ASSERT_TRUE(user.ok()) << user.status().message();
    auto token = accounts.IssueLink(*user, "set-password");
    ASSERT_TRUE(accounts.SetPassword(*token, kPassword).ok());
  }

  Response Send(const std::string& method, const std::string& target, const std::string& body,
                const std::string& cookie, const std::string& origin = kSite) {
    Request r;
    r.method = method;
    r.target = target;
    r.body = body;
    r.peer = "192.0.2.10";
    r.headers["host"] = "octopus.test";
    if (!cookie.empty()) r.headers["cookie"] = cookie;
    if (!origin.empty()) r.headers["origin"] = origin;
    return site_->Handle(r);
  }
  Response Post(const std::string& target, const std::string& body, const std::string& cookie = "",
                const std::string& origin = kSite) {
    return Send("POST", target, body, cookie, origin);
  }
  Response GetAs(const std::string& target, const std::string& cookie) {
    return Send("GET", target, "", cookie, "");
  }

  /// Signs in; the cookie to send back ("octopus_session=…"), "" on failure.
  std::string Login(const std::string& email, const std::string& password = kPassword) {
    const Response r = Post("/login", "email=" + PercentEncode(email) + "&password=" +
                                          PercentEncode(password));
    EXPECT_EQ(r.status, 303) << r.body;
    const std::string set = r.Header("Set-Cookie");
    return set.substr(0, set.find(';'));
  }

  /// The CSRF token a signed-in page embeds in its forms.
  std::string CsrfOf(const std::string& cookie) {
    const std::string body = GetAs("/account", cookie).body;
    const std::string marker = "name=\"csrf\" value=\"";
    const size_t at = body.find(marker);
    if (at == std::string::npos) return "";
    const size_t start = at + marker.size();
    return body.substr(start, body.find('"', start) - start);
  }

  std::vector<store::AuditEntry> AuditOf(const std::string& action) {
    store::AuditQuery q;
    q.action = action;
    return *store_->Audit(q);
  }

  auth::AccountOptions accounts_;
  auth::Clock::time_point now_ = auth::Clock::from_time_t(1692100800);  // 2023-08-15T12:00:00Z
};

TEST_F(AccountPagesTest, V3_4_1_to_5_CookieAttributes) {
  MakeUser("ana@example.org", Role::kEditor);
  const Response r = Post("/login", "email=ana%40example.org&password=plum+orchard+in+winter");
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.Header("Location"), "/account");
  const std::string cookie = r.Header("Set-Cookie");
  EXPECT_TRUE(cookie.starts_with("octopus_session=")) << cookie;
  EXPECT_NE(cookie.find("; HttpOnly"), std::string::npos) << "V3.4.2";
  EXPECT_NE(cookie.find("; SameSite=Lax"), std::string::npos) << "V3.4.3";
  EXPECT_NE(cookie.find("; Path=/"), std::string::npos) << "V3.4.5";
  // A plain http:// setup: no Secure (the browser would drop the cookie).
  EXPECT_EQ(cookie.find("Secure"), std::string::npos);
  const std::string id = cookie.substr(cookie.find('=') + 1, 64);
  EXPECT_EQ(id.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(id.size(), 64u) << "256 bits";
}

TEST_F(AccountPagesTest, V3_2_1_LoginIssuesANewSessionId) {
  MakeUser("ana@example.org", Role::kEditor);
  const std::string first = Login("ana@example.org");
  // Signing in again while holding a session ends the old one.
  const Response again = Post("/login", "email=ana%40example.org&password=plum+orchard+in+winter",
                              first);
  ASSERT_EQ(again.status, 303);
  const std::string second = again.Header("Set-Cookie").substr(0, again.Header("Set-Cookie").find(';'));
  EXPECT_NE(first, second);
  EXPECT_EQ(GetAs("/account", first).status, 303);
  EXPECT_EQ(GetAs("/account", second).status, 200);
}

TEST_F(AccountPagesTest, SignedInPagesNameTheUserAndAreNeverShared) {
  MakeUser("ana@example.org", Role::kEditor);
  const Response anonymous = Get("/");
  EXPECT_NE(anonymous.body.find("href=\"/login\""), std::string::npos);
  const std::string cookie = Login("ana@example.org");
  const Response mine = GetAs("/", cookie);
  ASSERT_EQ(mine.status, 200);
  EXPECT_NE(mine.body.find("ana@example.org"), std::string::npos);
  EXPECT_NE(mine.body.find("action=\"/logout\""), std::string::npos);
  EXPECT_EQ(mine.Header("Cache-Control"), "private, no-store");
  EXPECT_EQ(Get("/").body.find("ana@example.org"), std::string::npos) << "a cached page leaked";
}

TEST_F(AccountPagesTest, V3_3_1_LogoutEndsTheSessionServerSide) {
  MakeUser("ana@example.org", Role::kEditor);
  const std::string cookie = Login("ana@example.org");
  const std::string csrf = CsrfOf(cookie);
  ASSERT_FALSE(csrf.empty());
  // GET never changes state: the session is still open after it.
  EXPECT_EQ(GetAs("/logout", cookie).status, 200);
  EXPECT_EQ(GetAs("/account", cookie).status, 200);
  const Response out = Post("/logout", "csrf=" + csrf, cookie);
  ASSERT_EQ(out.status, 303) << out.body;
  EXPECT_NE(out.Header("Set-Cookie").find("Max-Age=0"), std::string::npos);
  // The same cookie replayed is a reader's: the server ended the session.
  const Response replay = GetAs("/account", cookie);
  EXPECT_EQ(replay.status, 303);
  EXPECT_EQ(replay.Header("Location"), "/login?next=%2Faccount");
  ASSERT_EQ(AuditOf("logout").size(), 1u);
  EXPECT_EQ(AuditOf("logout")[0].actor, "ana@example.org");
  EXPECT_TRUE(AuditOf("logout")[0].origin.starts_with("session "));
}

TEST_F(AccountPagesTest, V3_3_2_IdleAndAbsoluteTimeouts) {
  MakeUser("ana@example.org", Role::kEditor);
  const std::string cookie = Login("ana@example.org");
  now_ += 25min;
  EXPECT_EQ(GetAs("/account", cookie).status, 200);
  now_ += 31min;
  EXPECT_EQ(GetAs("/account", cookie).status, 303) << "idle for 31 minutes";
  const std::string busy = Login("ana@example.org");
  for (int i = 0; i < 47; ++i) {
    now_ += 15min;
    ASSERT_EQ(GetAs("/account", busy).status, 200) << i;
  }
  now_ += 15min;
  EXPECT_EQ(GetAs("/account", busy).status, 303) << "12 hours after signing in";
}

TEST_F(AccountPagesTest, V2_2_1_RepeatedFailuresSlowTheAccountAndTheAddress) {
  MakeUser("ana@example.org", Role::kEditor);
  for (int i = 0; i < auth::kFreeFailures + 1; ++i) {
    const Response r = Post("/login", "email=ana%40example.org&password=not+it");
    EXPECT_EQ(r.status, 400) << i;
    EXPECT_NE(r.body.find("the e-mail address or the password is wrong"), std::string::npos);
  }
  const Response held = Post("/login", "email=ana%40example.org&password=plum+orchard+in+winter");
  EXPECT_EQ(held.status, 429);
  EXPECT_EQ(held.Header("Retry-After"), "1");
  EXPECT_TRUE(held.Header("Set-Cookie").empty());
  EXPECT_EQ(AuditOf("login.failed").size(), static_cast<size_t>(auth::kFreeFailures + 1));
  EXPECT_EQ(AuditOf("login.failed")[0].origin, "web 192.0.2.10");
  now_ += 1s;
  EXPECT_FALSE(Login("ana@example.org").empty());
  EXPECT_EQ(AuditOf("login").size(), 1u);
}

TEST_F(AccountPagesTest, V4_1_1_AdminPagesRefuseOtherRoles) {
  MakeUser("ed@example.org", Role::kReviewer);
  MakeUser("root@example.org", Role::kAdministrator);
  const std::string editor = Login("ed@example.org");
  const std::string admin = Login("root@example.org");
  for (const char* page : {"/admin", "/admin/users", "/admin/audit", "/admin/audit.csv",
                           "/admin/no-such-page"}) {
    const Response reader = GetAs(page, "");
    EXPECT_EQ(reader.status, 303) << page;
    EXPECT_EQ(reader.Header("Location"), "/login?next=" + PercentEncode(page)) << page;
    const Response other = GetAs(page, editor);
    EXPECT_EQ(other.status, 403) << page;
    EXPECT_NE(other.body.find("administrator"), std::string::npos) << page;
    const Response ok = GetAs(page, admin);
    EXPECT_EQ(ok.status, std::string_view(page) == "/admin/no-such-page" ? 404 : 200) << page;
  }
}

TEST_F(AccountPagesTest, V4_2_2_PostWithoutCsrfTokenIsRefused) {
  MakeUser("root@example.org", Role::kAdministrator);
  const std::string admin = Login("root@example.org");
  const std::string add = "op=add&email=new%40example.org&role=editor";
  const Response none = Post("/admin/users", add, admin);
  EXPECT_EQ(none.status, 403);
  EXPECT_NE(none.body.find("security token"), std::string::npos);
  EXPECT_EQ(Post("/admin/users", add + "&csrf=" + std::string(64, 'a'), admin).status, 403);
  EXPECT_EQ(store_->UserByEmail("new@example.org").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Post("/admin/users", add + "&csrf=" + CsrfOf(admin), admin).status, 200);
  EXPECT_TRUE(store_->UserByEmail("new@example.org").ok());
}

TEST_F(AccountPagesTest, V4_2_2_CrossOriginPostIsRefused) {
  MakeUser("root@example.org", Role::kAdministrator);
  const std::string admin = Login("root@example.org");
  const std::string add = "op=add&email=new%40example.org&role=editor&csrf=" + CsrfOf(admin);
  const Response cross = Post("/admin/users", add, admin, "http://evil.test");
  EXPECT_EQ(cross.status, 403);
  EXPECT_NE(cross.body.find("another site"), std::string::npos);
  // Without Origin the Referer decides; without either the request is refused.
  Request r;
  r.method = "POST";
  r.target = "/admin/users";
  r.body = add;
  r.headers = {{"host", "octopus.test"}, {"cookie", admin}, {"referer", "http://evil.test/x"}};
  EXPECT_EQ(site_->Handle(r).status, 403);
  r.headers.erase("referer");
  EXPECT_EQ(site_->Handle(r).status, 403);
  EXPECT_EQ(Post("/login", "email=root%40example.org&password=plum+orchard+in+winter", "",
                 "http://evil.test").status,
            403);
  EXPECT_EQ(store_->UserByEmail("new@example.org").status().code(), StatusCode::kNotFound);
  r.headers["referer"] = std::string(kSite) + "/admin/users";
  EXPECT_EQ(site_->Handle(r).status, 200);
}

TEST_F(AccountPagesTest, AdminAddsAUserWhoSetsAPasswordThroughTheLinkAndSignsIn) {
  MakeUser("root@example.org", Role::kAdministrator);
  const std::string admin = Login("root@example.org");
  const Response added = Post("/admin/users",
                              "op=add&email=Eve%40Example.org&role=reviewer&csrf=" + CsrfOf(admin),
                              admin);
  ASSERT_EQ(added.status, 200) << added.body;
  const std::string marker = EscapeHtml("http://octopus.test/password/set?token=");
  const size_t at = added.body.find(marker);
  ASSERT_NE(at, std::string::npos) << added.body;
  const std::string token = added.body.substr(at + marker.size(), 64);
  // Showing the form does not use the link.
  EXPECT_EQ(Get("/password/set?token=" + token).status, 200);
  EXPECT_EQ(Get("/password/set?token=" + token).status, 200);
  const Response weak = Post("/password/set", "token=" + token + "&password=short&confirm=short");
  EXPECT_EQ(weak.status, 400);
  EXPECT_NE(weak.body.find("at least 12"), std::string::npos);
  const Response set = Post("/password/set", "token=" + token +
                                                 "&password=seven+blue+herons&confirm=seven+blue+herons");
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_EQ(Get("/password/set?token=" + token).status, 404) << "used once";
  EXPECT_FALSE(Login("eve@example.org", "seven blue herons").empty());

  const auto adds = AuditOf("user.add");
  ASSERT_EQ(adds.size(), 1u);
  EXPECT_EQ(adds[0].actor, "root@example.org");
  EXPECT_EQ(adds[0].entity, "user:eve@example.org");
  EXPECT_EQ(adds[0].after, "reviewer");
  EXPECT_EQ(AuditOf("user.password").size(), 1u);
}

TEST_F(AccountPagesTest, AdminChangesARoleAndDisablesAnAccountWithBeforeAndAfterAudited) {
  MakeUser("root@example.org", Role::kAdministrator);
  MakeUser("ed@example.org", Role::kEditor);
  const std::string admin = Login("root@example.org");
  const std::string editor = Login("ed@example.org");
  const std::string csrf = CsrfOf(admin);
  ASSERT_EQ(Post("/admin/users", "op=role&email=ed%40example.org&role=reviewer&csrf=" + csrf, admin)
                .status,
            200);
  EXPECT_EQ(store_->UserByEmail("ed@example.org")->role, "reviewer");
  ASSERT_EQ(AuditOf("user.role").size(), 1u);
  EXPECT_EQ(AuditOf("user.role")[0].before, "editor");
  EXPECT_EQ(AuditOf("user.role")[0].after, "reviewer");
  ASSERT_EQ(Post("/admin/users", "op=disable&email=ed%40example.org&csrf=" + csrf, admin).status,
            200);
  EXPECT_EQ(GetAs("/account", editor).status, 303) << "a disabled account's session ended";
  EXPECT_EQ(Post("/admin/users", "op=role&email=ed%40example.org&role=owner&csrf=" + csrf, admin)
                .status,
            400);
}

TEST_F(AccountPagesTest, AuditPageFiltersPagesAndExportsCsv) {
  MakeUser("root@example.org", Role::kAdministrator);
  const std::string admin = Login("root@example.org");
  const std::string csrf = CsrfOf(admin);
  for (int i = 0; i < 55; ++i) {
    ASSERT_EQ(Post("/admin/users",
                   "op=add&email=u" + std::to_string(i) + "%40example.org&role=reader&csrf=" + csrf,
                   admin)
                  .status,
              200);
  }
  const Response page = GetAs("/admin/audit?action=user.add", admin);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("user:u54@example.org"), std::string::npos);
  EXPECT_EQ(page.body.find("user:u4@example.org<"), std::string::npos) << "on the next page";
  const std::string marker = EscapeHtml("before=");
  const size_t older = page.body.find(marker);
  ASSERT_NE(older, std::string::npos);
  const size_t start = older + marker.size();
  const std::string before = page.body.substr(start, page.body.find('"', start) - start);
  const Response next = GetAs("/admin/audit?action=user.add&before=" + before, admin);
  EXPECT_NE(next.body.find("user:u4@example.org<"), std::string::npos);
  EXPECT_EQ(next.body.find("user:u54@example.org"), std::string::npos);

  const Response csv = GetAs("/admin/audit.csv?action=user.add&entity=user%3Au1%40example.org", admin);
  ASSERT_EQ(csv.status, 200);
  EXPECT_EQ(csv.content_type, "text/csv; charset=utf-8");
  EXPECT_TRUE(csv.body.starts_with("id,at,actor,origin,action,entity,field,before,after\r\n"));
  EXPECT_NE(csv.body.find(",root@example.org,session "), std::string::npos);
  EXPECT_NE(csv.body.find(",user.add,user:u1@example.org,role,,reader\r\n"), std::string::npos);
  EXPECT_EQ(std::count(csv.body.begin(), csv.body.end(), '\n'), 2);
  EXPECT_EQ(GetAs("/admin/audit?from=yesterday", admin).status, 400);
}

TEST_F(AccountPagesTest, PasswordResetGivesTheSameAnswerWhateverTheAddress) {
  MakeUser("ana@example.org", Role::kEditor);
  const Response known = Post("/password/reset", "email=ana%40example.org");
  const Response unknown = Post("/password/reset", "email=nobody%40example.org");
  EXPECT_EQ(known.status, 200);
  EXPECT_EQ(known.status, unknown.status);
  EXPECT_EQ(known.body, unknown.body);
}

TEST_F(AccountPagesTest, V2_8_1_TotpEnabledOnTheAccountPageIsAskedForAtSignIn) {
  MakeUser("ana@example.org", Role::kEditor);
  const std::string cookie = Login("ana@example.org");
  const Response page = GetAs("/account", cookie);
  const std::string marker = "name=\"secret\" value=\"";
  const size_t at = page.body.find(marker);
  ASSERT_NE(at, std::string::npos);
  const std::string secret = page.body.substr(at + marker.size(), 32);
  EXPECT_NE(page.body.find(EscapeHtml("otpauth://totp/Octopus:ana%40example.org?secret=" + secret)),
            std::string::npos);
  const std::string code = *auth::TotpCode(secret, auth::Clock::to_time_t(now_));
  const Response on = Post("/account", "csrf=" + CsrfOf(cookie) + "&secret=" + secret + "&code=" + code,
                           cookie);
  ASSERT_EQ(on.status, 200) << on.body;
  EXPECT_EQ(on.body.find(secret), std::string::npos) << "the key is shown once";
  const Response ask = Post("/login", "email=ana%40example.org&password=plum+orchard+in+winter");
  EXPECT_EQ(ask.status, 200);
  EXPECT_NE(ask.body.find("name=\"totp\""), std::string::npos);
  const Response in = Post("/login", "email=ana%40example.org&password=plum+orchard+in+winter&totp=" +
                                         code);
  EXPECT_EQ(in.status, 303) << in.body;
}

}  // namespace
}  // namespace octopus::web
