// Credentials (argon2id, tokens, TOTP against RFC 6238's vectors, back-off)
// and accounts over a real SQLite store with a clock the tests move.
#include "auth/accounts.h"
#include "auth/credentials.h"

#include <gtest/gtest.h>

#include "core/testing/temp_dir.h"

namespace octopus::auth {
namespace {

using namespace std::chrono_literals;

// RFC 6238 appendix B: the SHA-1 secret is the ASCII "12345678901234567890".
constexpr std::string_view kRfcSecretBase32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

TEST(CredentialsTest, TotpMatchesTheRfc6238TestVectors) {
  const std::pair<int64_t, const char*> vectors[] = {
      {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
      {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"},
  };
  for (const auto& [t, code] : vectors) {
    auto got = TotpCode(kRfcSecretBase32, t, 8);
    ASSERT_TRUE(got.ok()) << got.status().message();
    EXPECT_EQ(*got, code) << "T=" << t;
  }
}

TEST(CredentialsTest, TotpAcceptsTheNeighbouringStepsOnlyAndRefusesBadSecrets) {
  const int64_t t = 1111111111;
  const std::string now = *TotpCode(kRfcSecretBase32, t, 6);
  EXPECT_TRUE(VerifyTotp(kRfcSecretBase32, now, t));
  EXPECT_TRUE(VerifyTotp(kRfcSecretBase32, *TotpCode(kRfcSecretBase32, t - 30, 6), t));
  EXPECT_FALSE(VerifyTotp(kRfcSecretBase32, *TotpCode(kRfcSecretBase32, t - 90, 6), t));
  EXPECT_FALSE(VerifyTotp(kRfcSecretBase32, "12345", t));
  EXPECT_FALSE(TotpCode("not base32!", t).ok());
  EXPECT_EQ(NewTotpSecret().size(), 32u);
}

TEST(CredentialsTest, OtpauthUriNamesIssuerAccountAndSecret) {
  EXPECT_EQ(OtpauthUri("Octopus", "ana@example.org", "ABC"),
            "otpauth://totp/Octopus:ana%40example.org?secret=ABC&issuer=Octopus"
            "&algorithm=SHA1&digits=6&period=30");
}

TEST(CredentialsTest, V2_1_1_PasswordsShorterThan12AreRefused) {
  const CommonPasswords none = CommonPasswords::FromText("");
  EXPECT_FALSE(CheckPasswordPolicy("elevenchars", none).ok());
  EXPECT_TRUE(CheckPasswordPolicy("twelve chars", none).ok());
  // Characters, not bytes: eleven accented letters are still too short.
  EXPECT_FALSE(CheckPasswordPolicy("ééééééééééé", none).ok());
  EXPECT_FALSE(CheckPasswordPolicy(std::string(129, 'x'), none).ok());
}

TEST(CredentialsTest, V2_1_7_PasswordsOnTheShippedCommonListAreRefused) {
  auto list = CommonPasswords::Load(std::string(OCTOPUS_SOURCE_DATA_DIR) + "/common-passwords.txt");
  ASSERT_TRUE(list.ok()) << list.status().message();
  EXPECT_GT(list->size(), 10000u);
  EXPECT_TRUE(list->Contains("password"));
  const Status st = CheckPasswordPolicy("QWERTY123456", *list);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("common"), std::string::npos);
  EXPECT_TRUE(CheckPasswordPolicy("violet kettle drums at noon", *list).ok());
}

TEST(CredentialsTest, V2_4_1_PasswordsAreStoredAsArgon2id) {
  auto hash = HashPassword("correct horse battery");
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(hash->starts_with("$argon2id$v=19$")) << *hash;
  EXPECT_EQ(hash->find("correct horse"), std::string::npos);
  EXPECT_TRUE(VerifyPassword(*hash, "correct horse battery"));
  EXPECT_FALSE(VerifyPassword(*hash, "correct horse batterY"));
  EXPECT_FALSE(PasswordNeedsRehash(*hash));
  EXPECT_TRUE(PasswordNeedsRehash("$2y$10$notargon"));
  EXPECT_NE(*HashPassword("correct horse battery"), *hash) << "salted";
}

TEST(CredentialsTest, TokensAre256RandomBitsKeptAsTheirHash) {
  const std::string a = RandomToken(), b = RandomToken();
  EXPECT_EQ(a.size(), 64u);
  EXPECT_NE(a, b);
  EXPECT_EQ(TokenHash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(ConstantTimeEquals(a, a));
  EXPECT_FALSE(ConstantTimeEquals(a, b));
  EXPECT_FALSE(ConstantTimeEquals(a, a.substr(1)));
}

TEST(CredentialsTest, BackoffIsFreeForThreeFailuresThenDoublesUpToFifteenMinutes) {
  EXPECT_EQ(BackoffDelay(3), 0s);
  EXPECT_EQ(BackoffDelay(4), 1s);
  EXPECT_EQ(BackoffDelay(5), 2s);
  EXPECT_EQ(BackoffDelay(8), 16s);
  EXPECT_EQ(BackoffDelay(40), 900s);
}

TEST(CredentialsTest, SessionCookieIsHostPrefixedAndSecureOverHttpsOnly) {
  AccountOptions https;
  https.base_url = "https://octopus.example.org";
  EXPECT_EQ(SessionCookie(https, "abc"),
            "__Host-octopus_session=abc; Path=/; HttpOnly; SameSite=Lax; Secure");
  AccountOptions local;
  local.base_url = "http://127.0.0.1:8080";
  EXPECT_EQ(SessionCookie(local, "abc"), "octopus_session=abc; Path=/; HttpOnly; SameSite=Lax");
  EXPECT_EQ(SessionIdFromCookies(local, "theme=dark; octopus_session=abc; x=1"), "abc");
  EXPECT_EQ(SessionIdFromCookies(https, "octopus_session=abc"), "");
  EXPECT_NE(ExpiredSessionCookie(local).find("Max-Age=0"), std::string::npos);
}

class AccountsTest : public ::testing::Test {
 protected:
  AccountsTest() {
    options_.common_passwords =
        std::make_shared<const CommonPasswords>(CommonPasswords::FromText("password123456\n"));
    options_.now = [this] { return now_; };
  }

  // A user with `password` set through a set-password link.
  store::User UserWithPassword(const std::string& email, Role role, const std::string& password) {
    auto user = accounts_.AddUser(email, role);
    EXPECT_TRUE(user.ok()) << user.status().message();
    auto token = accounts_.IssueLink(*user, "set-password");
    auto set = accounts_.SetPassword(*token, password);
    EXPECT_TRUE(set.ok()) << set.status().message();
    return *set;
  }

  static std::unique_ptr<store::Store> Open(const test_support::TempDir& dir) {
    auto s = store::OpenStore((dir.path() / "octopus.db").string());
    if (!s.ok()) throw std::runtime_error(s.status().message());
    return std::move(*s);
  }

  test_support::TempDir dir_;
  std::unique_ptr<store::Store> store_ = Open(dir_);
  AccountOptions options_;
  Clock::time_point now_ = Clock::from_time_t(1717243200);  // 2024-06-01T12:00:00Z
  Accounts accounts_{*store_, options_};
};

TEST_F(AccountsTest, SetPasswordLinkIsSingleUseAndKeptOnlyAsAHash) {
  auto user = accounts_.AddUser("Ana@Example.org", Role::kEditor);
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->email, "ana@example.org");
  auto token = accounts_.IssueLink(*user, "set-password");
  ASSERT_TRUE(token.ok());
  EXPECT_TRUE(store_->AccountTokenByHash(TokenHash(*token)).ok());
  EXPECT_FALSE(store_->AccountTokenByHash(*token).ok());
  EXPECT_TRUE(accounts_.CheckLink(*token).ok()) << "checking does not use it";
  EXPECT_EQ(accounts_.SetPassword(*token, "short").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(accounts_.SetPassword(*token, "password123456").status().code(),
            StatusCode::kInvalidArgument);
  ASSERT_TRUE(accounts_.SetPassword(*token, "a long enough secret").ok());
  EXPECT_EQ(accounts_.SetPassword(*token, "another long secret").status().code(),
            StatusCode::kNotFound);
  EXPECT_TRUE(store_->UserByEmail("ana@example.org")->password_hash.starts_with("$argon2id$"));
}

TEST_F(AccountsTest, ResetLinkExpiresAfterAnHour) {
  auto user = accounts_.AddUser("ana@example.org", Role::kEditor);
  auto token = accounts_.IssueLink(*user, "reset");
  now_ += 59min;
  EXPECT_TRUE(accounts_.CheckLink(*token).ok());
  now_ += 1min;
  EXPECT_EQ(accounts_.CheckLink(*token).status().code(), StatusCode::kNotFound);
}

TEST_F(AccountsTest, V2_2_1_RepeatedFailuresSlowTheAccountAndTheAddress) {
  UserWithPassword("ana@example.org", Role::kEditor, "a long enough secret");
  for (int i = 0; i < kFreeFailures + 1; ++i) {
    auto out = accounts_.Login("ana@example.org", "wrong wrong wrong", "", "192.0.2.7");
    ASSERT_TRUE(out.ok());
    EXPECT_FALSE(out->signed_in);
    EXPECT_EQ(out->retry_after, 0s) << "attempt " << i;
  }
  // The right password is not even checked while the account waits.
  auto held = accounts_.Login("ana@example.org", "a long enough secret", "", "198.51.100.1");
  EXPECT_FALSE(held->signed_in);
  EXPECT_EQ(held->retry_after, 1s);
  // The address waits too, for any account.
  auto other = accounts_.Login("bob@example.org", "whatever it is", "", "192.0.2.7");
  EXPECT_FALSE(other->signed_in);
  EXPECT_GT(other->retry_after, 0s);
  now_ += 1s;
  auto after = accounts_.Login("ana@example.org", "a long enough secret", "", "198.51.100.1");
  EXPECT_TRUE(after->signed_in) << after->error;
  EXPECT_EQ(store_->LoginFailuresOf("account:ana@example.org")->failures, 0);
}

TEST_F(AccountsTest, UnknownAddressAndWrongPasswordGetTheSameAnswer) {
  UserWithPassword("ana@example.org", Role::kEditor, "a long enough secret");
  auto wrong = accounts_.Login("ana@example.org", "not the secret", "", "");
  auto unknown = accounts_.Login("nobody@example.org", "not the secret", "", "");
  EXPECT_EQ(wrong->error, unknown->error);
  ASSERT_TRUE(accounts_.Disable("ana@example.org").ok());
  auto disabled = accounts_.Login("ana@example.org", "a long enough secret", "", "");
  EXPECT_FALSE(disabled->signed_in);
  EXPECT_EQ(disabled->error, wrong->error);
}

TEST_F(AccountsTest, V3_2_1_LoginIssuesANewSessionId) {
  UserWithPassword("ana@example.org", Role::kReviewer, "a long enough secret");
  auto first = accounts_.Login("ana@example.org", "a long enough secret", "", "");
  auto second = accounts_.Login("ana@example.org", "a long enough secret", "", "");
  ASSERT_TRUE(first->signed_in && second->signed_in);
  EXPECT_NE(first->session_id, second->session_id);
  EXPECT_EQ(first->session_id.size(), 64u);
  EXPECT_NE(first->principal.csrf_token, second->principal.csrf_token);
  EXPECT_FALSE(store_->SessionByHash(first->session_id).ok()) << "stored hashed";
  auto p = accounts_.Authenticate(first->session_id);
  EXPECT_EQ(p->role, Role::kReviewer);
  EXPECT_EQ(p->email, "ana@example.org");
  EXPECT_EQ(p->session_label, first->principal.session_label);
}

TEST_F(AccountsTest, V3_3_1_LogoutEndsTheSessionServerSide) {
  UserWithPassword("ana@example.org", Role::kEditor, "a long enough secret");
  auto in = accounts_.Login("ana@example.org", "a long enough secret", "", "");
  ASSERT_TRUE(accounts_.Authenticate(in->session_id)->signed_in());
  ASSERT_TRUE(accounts_.Logout(in->session_id).ok());
  EXPECT_FALSE(accounts_.Authenticate(in->session_id)->signed_in());
  EXPECT_TRUE(store_->SessionByHash(TokenHash(in->session_id))->ended_at.has_value());
}

TEST_F(AccountsTest, V3_3_2_IdleAndAbsoluteTimeouts) {
  UserWithPassword("ana@example.org", Role::kEditor, "a long enough secret");
  auto idle = accounts_.Login("ana@example.org", "a long enough secret", "", "");
  now_ += 29min;
  EXPECT_TRUE(accounts_.Authenticate(idle->session_id)->signed_in());
  now_ += 29min;  // 29 min since it was last seen
  EXPECT_TRUE(accounts_.Authenticate(idle->session_id)->signed_in());
  now_ += 30min;
  EXPECT_FALSE(accounts_.Authenticate(idle->session_id)->signed_in());

  auto busy = accounts_.Login("ana@example.org", "a long enough secret", "", "");
  for (int i = 0; i < 12 * 3 - 1; ++i) {
    now_ += 20min;
    EXPECT_TRUE(accounts_.Authenticate(busy->session_id)->signed_in()) << i;
  }
  now_ += 20min;  // 12 h after login, however busy
  EXPECT_FALSE(accounts_.Authenticate(busy->session_id)->signed_in());
}

TEST_F(AccountsTest, V2_8_1_TotpIsAskedForAndChecked) {
  const store::User user = UserWithPassword("ana@example.org", Role::kEditor, "a long enough secret");
  const std::string secret = NewTotpSecret();
  const int64_t t = Clock::to_time_t(now_);
  const std::string wrong = *TotpCode(secret, t + 3600);
  EXPECT_FALSE(accounts_.EnableTotp(user.id, secret, wrong).ok());
  ASSERT_TRUE(accounts_.EnableTotp(user.id, secret, *TotpCode(secret, t)).ok());
  auto without = accounts_.Login("ana@example.org", "a long enough secret", "", "");
  EXPECT_FALSE(without->signed_in);
  EXPECT_TRUE(without->totp_required);
  auto bad = accounts_.Login("ana@example.org", "a long enough secret", wrong, "");
  EXPECT_FALSE(bad->signed_in);
  auto good = accounts_.Login("ana@example.org", "a long enough secret", *TotpCode(secret, t), "");
  EXPECT_TRUE(good->signed_in) << good->error;
}

TEST_F(AccountsTest, DisablingEndsTheSessionsAndRoleChangesApplyAtOnce) {
  UserWithPassword("ana@example.org", Role::kEditor, "a long enough secret");
  auto in = accounts_.Login("ana@example.org", "a long enough secret", "", "");
  ASSERT_TRUE(accounts_.SetRole("ana@example.org", Role::kAdministrator).ok());
  EXPECT_EQ(accounts_.Authenticate(in->session_id)->role, Role::kAdministrator);
  ASSERT_TRUE(accounts_.Disable("ana@example.org").ok());
  EXPECT_FALSE(accounts_.Authenticate(in->session_id)->signed_in());
}

}  // namespace
}  // namespace octopus::auth
