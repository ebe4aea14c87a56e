// Treaty references, entry-into-force periods, action kinds and the rules' JSON form.
#include "domain/treaty.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "domain/treaty_json.h"

namespace octopus::domain {
namespace {

Date D(const char* iso) {
  auto d = Date::Parse(iso);
  EXPECT_TRUE(d.ok()) << iso;
  return d.ok() ? *d : Date();
}

struct NumberCase {
  const char* text;
  int number;
};

TEST(TreatyRefTest, ParseTreatyNumberReadsEveryAcceptedSpelling) {
  const NumberCase cases[] = {{"185", 185},         {"ETS 185", 185},
                              {"CETS 185", 185},    {"ETS-185", 185},
                              {"ets185", 185},      {"CETS No. 224", 224},
                              {"CETS no 224", 224}, {"ETS No.185", 185},
                              {"cets_201", 201},    {"  ETS 108  ", 108},
                              {"STE 185", 185},     {"STCE no 224", 224},
                              {"CETS 0224", 224},   {"9", 9}};
  for (const NumberCase& c : cases) {
    EXPECT_EQ(ParseTreatyNumber(c.text), c.number) << "'" << c.text << "'";
  }
}

TEST(TreatyRefTest, ParseTreatyNumberGivesZeroWithoutATreatyNumber) {
  const NumberCase cases[] = {{"", 0},
                              {"   ", 0},
                              {"ETS", 0},
                              {"CETS No.", 0},
                              {"garbage", 0},
                              {"Budapest Convention", 0},
                              {"UNCC", 0},
                              {"185a", 0},
                              {"ETS 18 5", 0},
                              {"ETS 185/2001", 0},
                              {"12345", 0},
                              {"1.85", 0},
                              {"ETS \xC2\xBD", 0}};
  for (const NumberCase& c : cases) {
    EXPECT_EQ(ParseTreatyNumber(c.text), c.number) << "'" << c.text << "'";
  }
}

using Kind = Period::Kind;

struct ApplyCase {
  const char* what;
  Period period;
  const char* from;
  const char* expected;
};

// Deposit → entry into force, both printed in the sources cited in data/treaties/rules.md.
TEST(PeriodTest, FirstDayAfterMonthsReproducesTheDatesSourcesPrint) {
  const ApplyCase cases[] = {
      {"ETS 185 Austria", {Kind::kFirstDayAfterMonths, 3}, "2012-06-13", "2012-10-01"},
      {"ETS 185 Belgium", {Kind::kFirstDayAfterMonths, 3}, "2012-08-20", "2012-12-01"},
      {"ETS 185 Czech Republic", {Kind::kFirstDayAfterMonths, 3}, "2013-08-22", "2013-12-01"},
      {"ETS 185 Andorra", {Kind::kFirstDayAfterMonths, 3}, "2016-11-16", "2017-03-01"},
      // 30 Nov + 3 months ends on 28 Feb (clamped); the next month starts 1 March.
      {"ETS 185 Australia", {Kind::kFirstDayAfterMonths, 3}, "2012-11-30", "2013-03-01"},
      {"ETS 185 Nigeria", {Kind::kFirstDayAfterMonths, 3}, "2022-07-06", "2022-11-01"},
      {"ETS 185 Cote d'Ivoire", {Kind::kFirstDayAfterMonths, 3}, "2024-07-29", "2024-11-01"},
      {"ETS 185 New Zealand", {Kind::kFirstDayAfterMonths, 3}, "2025-08-28", "2025-12-01"},
      {"ETS 185 Benin", {Kind::kFirstDayAfterMonths, 3}, "2024-06-20", "2024-10-01"},
      {"ETS 185 United Kingdom", {Kind::kFirstDayAfterMonths, 3}, "2011-05-25", "2011-09-01"},
      {"ETS 185 Azerbaijan", {Kind::kFirstDayAfterMonths, 3}, "2010-03-15", "2010-07-01"},
      {"ETS 185 itself, Lithuania the fifth",
       {Kind::kFirstDayAfterMonths, 3},
       "2004-03-18",
       "2004-07-01"},
      {"ETS 185 Curacao extension", {Kind::kFirstDayAfterMonths, 3}, "2024-06-27", "2024-10-01"},
      {"ETS 189 San Marino", {Kind::kFirstDayAfterMonths, 3}, "2019-03-08", "2019-07-01"},
      {"ETS 108 Argentina", {Kind::kFirstDayAfterMonths, 3}, "2019-02-25", "2019-06-01"},
      {"deposit on the 1st", {Kind::kFirstDayAfterMonths, 3}, "2012-06-01", "2012-10-01"},
      {"deposit on 31 Dec", {Kind::kFirstDayAfterMonths, 3}, "2012-12-31", "2013-04-01"},
      {"six months (ETS 108 denunciation)",
       {Kind::kFirstDayAfterMonths, 6},
       "2019-02-25",
       "2019-09-01"}};
  for (const ApplyCase& c : cases) {
    EXPECT_EQ(c.period.Apply(D(c.from)).ToIso(), c.expected) << c.what;
  }
}

// "on the ninetieth day after the date of deposit": the deposit date plus 90 days.
TEST(PeriodTest, NthDayAfterReproducesTheDatesSourcesPrint) {
  const ApplyCase cases[] = {
      // UNCAC (same wording): 30th instrument 2005-09-15, in force 2005-12-14.
      {"UNCAC", {Kind::kNthDayAfter, 90}, "2005-09-15", "2005-12-14"},
      // UNTOC (same wording): 40th instrument 2003-07-01, in force 2003-09-29.
      {"UNTOC", {Kind::kNthDayAfter, 90}, "2003-07-01", "2003-09-29"},
      {"UNCC, across a year end", {Kind::kNthDayAfter, 90}, "2025-10-26", "2026-01-24"},
      {"UNCC, across 29 February", {Kind::kNthDayAfter, 90}, "2027-12-31", "2028-03-30"},
      {"30th day", {Kind::kNthDayAfter, 30}, "2011-01-31", "2011-03-02"}};
  for (const ApplyCase& c : cases) {
    EXPECT_EQ(c.period.Apply(D(c.from)).ToIso(), c.expected) << c.what;
  }
}

TEST(PeriodTest, FirstDayAfterMonthsAlwaysGivesAFirstOfMonthAfterThePeriod) {
  const Period p{Kind::kFirstDayAfterMonths, 3};
  for (Date d = D("2011-01-01"); d <= D("2013-12-31"); d = d.AddDays(1)) {
    const Date eif = p.Apply(d);
    ASSERT_EQ(eif.day(), 1) << d.ToIso();
    ASSERT_GT(eif, d.AddMonths(3)) << d.ToIso();
    ASSERT_LE(eif, d.AddMonths(3).FirstOfNextMonth()) << d.ToIso();
    // Never more than four months, never three or less.
    ASSERT_LE(eif, d.AddMonths(4)) << d.ToIso();
    ASSERT_GT(eif.days() - d.days(), 85) << d.ToIso();
  }
}

TEST(PeriodTest, NthDayAfterIsExactlyNDaysLater) {
  for (int n : {1, 30, 90, 365}) {
    const Period p{Kind::kNthDayAfter, n};
    for (Date d = D("2024-12-01"); d <= D("2025-03-31"); d = d.AddDays(1)) {
      ASSERT_EQ(p.Apply(d).days() - d.days(), n) << d.ToIso();
    }
  }
}

TEST(PeriodTest, LaterDepositNeverGivesAnEarlierDate) {
  for (const Period p : {Period{Kind::kFirstDayAfterMonths, 3}, Period{Kind::kNthDayAfter, 90}}) {
    Date prev = p.Apply(D("2011-01-01"));
    for (Date d = D("2011-01-02"); d <= D("2012-12-31"); d = d.AddDays(1)) {
      const Date cur = p.Apply(d);
      ASSERT_LE(prev, cur) << d.ToIso();
      prev = cur;
    }
  }
}

TEST(PeriodTest, DescribeSaysHowTheDelayIsCounted) {
  EXPECT_EQ((Period{Kind::kFirstDayAfterMonths, 3}).Describe(),
            "first day of the month following 3 months after");
  EXPECT_EQ((Period{Kind::kNthDayAfter, 90}).Describe(), "90th day after");
}

TEST(ActionKindTest, NamesRoundTripForEveryKind) {
  const ActionKind all[] = {ActionKind::kSignature,
                            ActionKind::kDefinitiveSignature,
                            ActionKind::kRatification,
                            ActionKind::kAcceptance,
                            ActionKind::kApproval,
                            ActionKind::kAccession,
                            ActionKind::kInvitation,
                            ActionKind::kDenunciation,
                            ActionKind::kTerritorialExtension,
                            ActionKind::kReservation,
                            ActionKind::kDeclaration,
                            ActionKind::kEntryIntoForce};
  std::set<std::string_view> names;
  for (ActionKind k : all) {
    const std::string_view name = ActionKindName(k);
    EXPECT_FALSE(name.empty());
    EXPECT_TRUE(names.insert(name).second) << "duplicate name " << name;
    const auto parsed = ParseActionKind(name);
    ASSERT_TRUE(parsed.has_value()) << name;
    EXPECT_EQ(*parsed, k) << name;
  }
}

TEST(ActionKindTest, ParsesTheFactsFileSpellingOfAnInvitation) {
  EXPECT_EQ(ParseActionKind("invitation_to_accede"), ActionKind::kInvitation);
}

TEST(ActionKindTest, RejectsUnknownNames) {
  for (const char* name : {"", "Ratification", "ratified", "count_parties", "signature "}) {
    EXPECT_FALSE(ParseActionKind(name).has_value()) << "'" << name << "'";
  }
}

TEST(ActionKindTest, ConsentsAreTheInstrumentsThatBind) {
  EXPECT_TRUE(IsConsent(ActionKind::kRatification));
  EXPECT_TRUE(IsConsent(ActionKind::kAcceptance));
  EXPECT_TRUE(IsConsent(ActionKind::kApproval));
  EXPECT_TRUE(IsConsent(ActionKind::kAccession));
  EXPECT_TRUE(IsConsent(ActionKind::kDefinitiveSignature));
  EXPECT_FALSE(IsConsent(ActionKind::kSignature));
  EXPECT_FALSE(IsConsent(ActionKind::kInvitation));
  EXPECT_FALSE(IsConsent(ActionKind::kDenunciation));
  EXPECT_FALSE(IsConsent(ActionKind::kTerritorialExtension));
  EXPECT_FALSE(IsConsent(ActionKind::kReservation));
  EXPECT_FALSE(IsConsent(ActionKind::kDeclaration));
  EXPECT_FALSE(IsConsent(ActionKind::kEntryIntoForce));
}

// --- Treaty rules as JSON -------------------------------------------------

void ExpectSamePeriod(const std::optional<Period>& a, const std::optional<Period>& b,
                      const char* what) {
  ASSERT_EQ(a.has_value(), b.has_value()) << what;
  if (!a) return;
  EXPECT_EQ(a->kind, b->kind) << what;
  EXPECT_EQ(a->count, b->count) << what;
}

void ExpectSameConsentRule(const ConsentRule& a, const ConsentRule& b, const char* what) {
  EXPECT_EQ(a.allowed, b.allowed) << what;
  EXPECT_EQ(a.requires_invitation, b.requires_invitation) << what;
  EXPECT_EQ(a.only_after_entry_into_force, b.only_after_entry_into_force) << what;
  ExpectSamePeriod(a.period, b.period, what);
  EXPECT_EQ(a.article, b.article) << what;
  EXPECT_EQ(a.text, b.text) << what;
}

void ExpectSameTreaty(const Treaty& a, const Treaty& b) {
  EXPECT_EQ(a.ref, b.ref);
  EXPECT_EQ(a.number, b.number);
  EXPECT_EQ(a.aliases, b.aliases);
  EXPECT_EQ(a.title, b.title);
  EXPECT_EQ(a.short_title, b.short_title);
  EXPECT_EQ(a.opened, b.opened);
  EXPECT_EQ(a.opened_place, b.opened_place);
  EXPECT_EQ(a.parent, b.parent);
  EXPECT_EQ(a.signature_requires_ratification, b.signature_requires_ratification);
  EXPECT_EQ(a.entry_into_force.threshold, b.entry_into_force.threshold);
  EXPECT_EQ(a.entry_into_force.min_member_states, b.entry_into_force.min_member_states);
  EXPECT_EQ(a.entry_into_force.count_reio, b.entry_into_force.count_reio);
  ExpectSamePeriod(a.entry_into_force.period, b.entry_into_force.period, "entry_into_force");
  EXPECT_EQ(a.entry_into_force.article, b.entry_into_force.article);
  EXPECT_EQ(a.entry_into_force.text, b.entry_into_force.text);
  ExpectSameConsentRule(a.later_consent, b.later_consent, "later_consent");
  ExpectSameConsentRule(a.accession, b.accession, "accession");
  EXPECT_EQ(a.invitation_validity_years, b.invitation_validity_years);
  ExpectSamePeriod(a.denunciation, b.denunciation, "denunciation");
  EXPECT_EQ(a.stated_entry_into_force, b.stated_entry_into_force);
  EXPECT_EQ(a.stated_entry_into_force_source, b.stated_entry_into_force_source);
  EXPECT_EQ(a.sources, b.sources);
  EXPECT_EQ(a.completeness, b.completeness);
}

// Every field set, none at its default.
Treaty FullTreaty() {
  Treaty t;
  t.ref = "ETS 189";
  t.number = 189;
  t.aliases = {"First Additional Protocol", "Protocole additionnel \xC3\xA0 la Convention"};
  t.title = "Additional Protocol to the Convention on Cybercrime";
  t.short_title = "First Protocol";
  t.opened = D("2003-01-28");
  t.opened_place = "Strasbourg";
  t.parent = "ETS 185";
  t.signature_requires_ratification = false;
  t.entry_into_force = {5,
                        2,
                        false,
                        Period{Kind::kFirstDayAfterMonths, 3},
                        "Art. 10(1)",
                        "the first day of the month following \"three\" months"};
  t.later_consent = {false,        true,   true, Period{Kind::kFirstDayAfterMonths, 4},
                     "Art. 10(2)", "later"};
  t.accession = {true, true, true, Period{Kind::kNthDayAfter, 30}, "Art. 11", "accession"};
  t.invitation_validity_years = 5;
  t.denunciation = Period{Kind::kFirstDayAfterMonths, 6};
  t.stated_entry_into_force = D("2006-03-01");
  t.stated_entry_into_force_source = "Wikipedia";
  t.sources = {"https://example.org/a", "https://example.org/b"};
  t.completeness = "facts only";
  return t;
}

// Optional parts absent.
Treaty SparseTreaty() {
  Treaty t;
  t.ref = "UNCC";
  t.number = 0;
  t.title = "United Nations Convention against Cybercrime";
  t.opened = D("2025-10-25");
  t.entry_into_force = {40, 0, false, Period{Kind::kNthDayAfter, 90}, "Art. 65(1)", ""};
  t.later_consent.period = std::nullopt;
  t.accession.period = std::nullopt;
  return t;
}

TEST(TreatyJsonTest, RoundTripKeepsEveryField) {
  for (const Treaty& t : {FullTreaty(), SparseTreaty()}) {
    SCOPED_TRACE(t.ref);
    const std::string json = TreatyToJson(t);
    const auto back = TreatyFromJson(json);
    ASSERT_TRUE(back.ok()) << back.status().message() << "\n" << json;
    ExpectSameTreaty(*back, t);
    EXPECT_EQ(TreatyToJson(*back), json);
  }
}

TEST(TreatyJsonTest, EveryShippedTreatyRoundTrips) {
  std::ifstream in(std::string(OCTOPUS_TEST_DATA_DIR) + "/treaties.json");
  ASSERT_TRUE(in) << "cannot read treaties.json";
  const nlohmann::json all = nlohmann::json::parse(in);
  ASSERT_GE(all.at("treaties").size(), 7u);
  for (const auto& entry : all.at("treaties")) {
    const auto t = TreatyFromJson(entry.dump());
    ASSERT_TRUE(t.ok()) << t.status().message();
    const auto back = TreatyFromJson(TreatyToJson(*t));
    ASSERT_TRUE(back.ok()) << back.status().message();
    SCOPED_TRACE(t->ref);
    ExpectSameTreaty(*back, *t);
  }
}

TEST(TreatyJsonTest, ReadsTheShippedEts185Rule) {
  std::ifstream in(std::string(OCTOPUS_TEST_DATA_DIR) + "/treaties.json");
  const nlohmann::json all = nlohmann::json::parse(in);
  for (const auto& entry : all.at("treaties")) {
    if (entry.at("ref") != "ETS 185") continue;
    const auto t = TreatyFromJson(entry.dump());
    ASSERT_TRUE(t.ok()) << t.status().message();
    EXPECT_EQ(t->number, 185);
    EXPECT_EQ(t->opened, D("2001-11-23"));
    EXPECT_EQ(t->entry_into_force.threshold, 5);
    EXPECT_EQ(t->entry_into_force.min_member_states, 3);
    ASSERT_TRUE(t->entry_into_force.period.has_value());
    EXPECT_EQ(t->entry_into_force.period->kind, Kind::kFirstDayAfterMonths);
    EXPECT_EQ(t->entry_into_force.period->count, 3);
    EXPECT_TRUE(t->accession.requires_invitation);
    EXPECT_EQ(t->invitation_validity_years, 5);
    EXPECT_EQ(t->stated_entry_into_force, D("2004-07-01"));
    return;
  }
  FAIL() << "ETS 185 not in treaties.json";
}

TEST(TreatyJsonTest, InvalidJsonIsAParseError) {
  const auto t = TreatyFromJson("{\"ref\": ");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kParseError);
  EXPECT_NE(t.status().message().find("invalid JSON"), std::string::npos) << t.status().message();
}

struct MalformedCase {
  const char* what;
  const char* json_pointer;  ///< the field to change
  nlohmann::json value;      ///< its new value; discarded → the field is removed
  const char* field;         ///< the error must name it
};

const nlohmann::json kRemoved = nlohmann::json(nlohmann::json::value_t::discarded);

TEST(TreatyJsonTest, MalformedRuleIsAParseErrorNamingTheField) {
  const MalformedCase cases[] = {
      {"opening date that does not exist", "/opened", "2001-13-01", "opened"},
      {"opening date in another format", "/opened", "23/11/2001", "opened"},
      {"stated entry into force that does not exist", "/stated_entry_into_force", "2004-07-32",
       "stated_entry_into_force"},
      {"unknown period kind", "/entry_into_force/period/kind", "weekly", "period kind"},
      {"period count too large", "/entry_into_force/period/count", 1001, "count"},
      {"missing title", "/title", kRemoved, "title"},
      {"missing ref", "/ref", kRemoved, "ref"},
      {"missing entry_into_force", "/entry_into_force", kRemoved, "entry_into_force"},
      {"missing period", "/later_consent/period", kRemoved, "period"},
      {"threshold written as a word", "/entry_into_force/threshold", "five", "threshold"},
      {"title given as a number", "/title", 185, "title"}};
  for (const MalformedCase& c : cases) {
    nlohmann::json j = nlohmann::json::parse(TreatyToJson(FullTreaty()));
    const nlohmann::json::json_pointer ptr(c.json_pointer);
    if (c.value.is_discarded()) {
      j[ptr.parent_pointer()].erase(ptr.back());
    } else {
      j[ptr] = c.value;
    }
    const auto t = TreatyFromJson(j.dump());
    if (t.ok()) {
      ADD_FAILURE() << c.what << ": accepted";
      continue;
    }
    EXPECT_EQ(t.status().code(), StatusCode::kParseError) << c.what;
    EXPECT_NE(t.status().message().find(c.field), std::string::npos)
        << c.what << ": " << t.status().message();
  }
}

TEST(TreatyJsonTest, ABadPeriodErrorSaysWhichRuleItBelongsTo) {
  // A treaty has up to four periods; "period count out of range" alone does not
  // tell the editor of treaties.json which one to fix.
  nlohmann::json j = nlohmann::json::parse(TreatyToJson(FullTreaty()));
  j["accession"]["period"]["count"] = -3;
  const auto t = TreatyFromJson(j.dump());
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("accession"), std::string::npos) << t.status().message();
}

}  // namespace
}  // namespace octopus::domain
