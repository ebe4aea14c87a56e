// The engine on small synthetic registries: each rule of a treaty's final
// clauses, partial dates, conflicts, and the properties every answer keeps.
#include "treaty/engine.h"

#include <gtest/gtest.h>

#include <random>

namespace octopus::treaty {
namespace {

using domain::ActionKind;
using domain::Date;
using domain::Evidence;

Date D(const char* iso) { return *Date::Parse(iso); }

const domain::Gazetteer& Countries() {
  static const domain::Gazetteer g = [] {
    auto r = domain::Gazetteer::LoadFile(std::string(OCTOPUS_TEST_DATA_DIR) + "/countries.csv");
    EXPECT_TRUE(r.ok()) << r.status().message();
    return std::move(*r);
  }();
  return g;
}

domain::Period Months(int n) { return {domain::Period::Kind::kFirstDayAfterMonths, n}; }

// A Council of Europe treaty in the ETS 185 mould: 5 consents incl. 3 members.
domain::Treaty CoeTreaty() {
  domain::Treaty t;
  t.ref = "ETS 185";
  t.number = 185;
  t.title = "Convention on Cybercrime";
  t.opened = D("2001-11-23");
  t.entry_into_force = {5, 3, true, Months(3), "Art. 36(3)", ""};
  t.later_consent.period = Months(3);
  t.accession.period = Months(3);
  t.accession.requires_invitation = true;
  t.invitation_validity_years = 5;
  t.denunciation = Months(3);
  return t;
}

Evidence Act(const char* state, ActionKind kind, const char* lo, const char* hi = nullptr) {
  Evidence e;
  e.treaty = "ETS 185";
  e.state = state;
  e.action = kind;
  if (lo) e.lo = D(lo);
  e.hi = hi ? D(hi) : e.lo;
  e.source = {"test", 1, ""};
  return e;
}

Evidence NotBy(const char* state, ActionKind kind, const char* date) {
  Evidence e = Act(state, kind, date);
  e.negative = true;
  e.hi.reset();
  return e;
}

std::vector<Evidence> FirstFive() {
  return {Act("AL", ActionKind::kRatification, "2002-06-20"),
          Act("HR", ActionKind::kRatification, "2002-10-17"),
          Act("EE", ActionKind::kRatification, "2003-05-12"),
          Act("HU", ActionKind::kRatification, "2003-12-04"),
          Act("LT", ActionKind::kRatification, "2004-03-18")};
}

TEST(EntryIntoForceTest, TreatyEntersIntoForceFirstDayOfMonthAfterThreeMonthsFromFifthConsent) {
  const Analysis a(CoeTreaty(), FirstFive(), {}, Countries());
  ASSERT_TRUE(a.entry_into_force().date);
  EXPECT_EQ(a.entry_into_force().date->ToString(), "2004-07-01");
  EXPECT_EQ(a.entry_into_force().threshold_reached->ToString(), "2004-03-18");
  for (const char* s : {"AL", "HR", "EE", "HU", "LT"}) {
    EXPECT_EQ(a.states().at(s).entry_into_force->ToString(), "2004-07-01") << s;
  }
}

TEST(EntryIntoForceTest, ThresholdNeedsThreeMemberStates) {
  // Four non-members and one member: five consents, but only one member State.
  std::vector<Evidence> ev = {Act("US", ActionKind::kRatification, "2002-01-10"),
                              Act("JP", ActionKind::kRatification, "2002-02-10"),
                              Act("CA", ActionKind::kRatification, "2002-03-10"),
                              Act("ZA", ActionKind::kRatification, "2002-04-10"),
                              Act("AL", ActionKind::kRatification, "2002-06-20")};
  EXPECT_FALSE(Analysis(CoeTreaty(), ev, {}, Countries()).entry_into_force().date);
  ev.push_back(Act("HR", ActionKind::kRatification, "2002-10-17"));
  ev.push_back(Act("EE", ActionKind::kRatification, "2003-05-12"));
  const Analysis a(CoeTreaty(), ev, {}, Countries());
  ASSERT_TRUE(a.entry_into_force().date);
  // The third member State (Estonia, 2003-05-12) completes the condition.
  EXPECT_EQ(a.entry_into_force().date->ToString(), "2003-09-01");
  EXPECT_EQ(a.states().at("US").entry_into_force->ToString(), "2003-09-01");
}

TEST(EntryIntoForceTest, LaterRatificationTakesEffectFirstDayOfFourthMonth) {
  struct Case {
    const char* deposit;
    const char* eif;
  };
  // Printed examples (rules.md) and month-end edges.
  const Case cases[] = {{"2012-06-13", "2012-10-01"}, {"2012-08-20", "2012-12-01"},
                        {"2012-11-30", "2013-03-01"}, {"2022-07-06", "2022-11-01"},
                        {"2011-05-25", "2011-09-01"}, {"2010-03-15", "2010-07-01"},
                        {"2009-03-09", "2009-07-01"}, {"2013-12-31", "2014-04-01"},
                        {"2015-01-01", "2015-05-01"}, {"2004-03-31", "2004-07-01"}};
  for (const Case& c : cases) {
    auto ev = FirstFive();
    ev.push_back(Act("GB", ActionKind::kRatification, c.deposit));
    const Analysis a(CoeTreaty(), ev, {}, Countries());
    ASSERT_TRUE(a.states().at("GB").entry_into_force) << c.deposit;
    EXPECT_EQ(a.states().at("GB").entry_into_force->ToString(), c.eif) << c.deposit;
  }
}

TEST(EntryIntoForceTest, ConsentBeforeTheTreatyIsInForceWaitsForIt) {
  auto ev = FirstFive();
  ev.push_back(Act("GB", ActionKind::kRatification, "2004-04-10"));  // after the 5th, EIF 2004-08-01
  ev.push_back(Act("RO", ActionKind::kRatification, "2004-01-10"));  // before the 5th → the treaty's date
  const Analysis a(CoeTreaty(), ev, {}, Countries());
  EXPECT_EQ(a.states().at("GB").entry_into_force->ToString(), "2004-08-01");
  // Romania is now the 5th consent: the treaty enters into force on 2004-05-01.
  EXPECT_EQ(a.entry_into_force().date->ToString(), "2004-05-01");
  EXPECT_EQ(a.states().at("RO").entry_into_force->ToString(), "2004-05-01");
  EXPECT_EQ(a.states().at("LT").entry_into_force->ToString(), "2004-07-01");
}

TEST(EntryIntoForceTest, NinetiethDayRuleCountsDaysNotMonths) {
  domain::Treaty t;
  t.ref = "ETS 185";
  t.title = "day-based";
  t.opened = D("2025-10-25");
  t.entry_into_force = {3, 0, false, domain::Period{domain::Period::Kind::kNthDayAfter, 90}, "", ""};
  std::vector<Evidence> ev = {Act("VN", ActionKind::kRatification, "2026-01-05"),
                              Act("QA", ActionKind::kRatification, "2026-01-06"),
                              Act("EU", ActionKind::kApproval, "2026-01-07"),
                              Act("AZ", ActionKind::kRatification, "2026-02-01")};
  const Analysis a(t, ev, {}, Countries());
  ASSERT_TRUE(a.entry_into_force().date);
  // The EU's instrument is not counted: the third is Azerbaijan's, +90 days.
  EXPECT_EQ(a.entry_into_force().date->ToString(), "2026-05-02");
  // No later-consent rule known: only instruments within the threshold get a date.
  EXPECT_FALSE(a.states().at("EU").entry_into_force.has_value() &&
               !a.states().at("EU").entry_into_force->exact());
}

TEST(PartialDataTest, ConsentOnOrBeforeADateGivesARangeOfCounts) {
  auto ev = FirstFive();
  ev.push_back(Act("IS", ActionKind::kRatification, nullptr, "2011-06-01"));
  const Analysis a(CoeTreaty(), ev, {}, Countries());
  // No complete list covers these dates: States no source names may have
  // consented too, so the counts have no known top.
  EXPECT_EQ(a.Consents(D("2010-01-01")), (Range{5, 6, true}));
  EXPECT_EQ(a.Consents(D("2011-06-01")), (Range{6, 6, true}));
  EXPECT_EQ(a.Consents(D("2010-01-01")).ToString(), "5+");
  // Had Iceland consented first, Hungary's 2003-12-04 deposit would have been
  // the fifth: the treaty's own entry into force is a range too.
  EXPECT_EQ(a.entry_into_force().date->ToString(), "2004-04-01/2004-07-01");
  EXPECT_EQ(a.states().at("IS").entry_into_force->ToString(), "2004-04-01/2011-10-01");
  const StateStatus st = a.StatusOf("IS", D("2010-01-01"));
  ASSERT_TRUE(st.or_kind);
}

TEST(PartialDataTest, CompleteListIsEvidenceAboutEveryState) {
  // A notification on 2011-06-01 lists six contracting States; Austria, which
  // ratified later, is not on it, so its undated consent comes after that date.
  auto ev = FirstFive();
  ev.push_back(Act("AT", ActionKind::kRatification, nullptr, "2013-01-01"));
  domain::Snapshot snap;
  snap.treaty = "ETS 185";
  snap.as_of = D("2011-06-01");
  snap.contracting = {"AL", "HR", "EE", "HU", "LT", "NO"};
  snap.signatories = {"AT"};
  const Analysis a(CoeTreaty(), ev, {snap}, Countries());
  EXPECT_EQ(a.states().at("AT").consent->ToString(), "2011-06-02/2013-01-01");
  EXPECT_EQ(a.states().at("NO").consent->ToString(), "2001-11-23/2011-06-01");
  EXPECT_EQ(a.Consents(D("2011-06-01")), (Range{6, 6}));
  EXPECT_EQ(a.StatusOf("AT", D("2011-06-01")).kind, StatusKind::kSigned);
}

TEST(PartialDataTest, StatedEntryIntoForceBoundsTheDeposit) {
  auto ev = FirstFive();
  Evidence e = Act("US", ActionKind::kEntryIntoForce, "2007-01-01");
  ev.push_back(e);
  const Analysis a(CoeTreaty(), ev, {}, Countries());
  ASSERT_TRUE(a.states().at("US").consent);
  EXPECT_EQ(a.states().at("US").consent->ToString(), "2006-09-01/2006-09-30");
  EXPECT_EQ(a.states().at("US").entry_into_force->ToString(), "2007-01-01");
}

TEST(ConflictTest, SourcesThatDisagreeAreReportedNotChosen) {
  auto ev = FirstFive();
  ev.push_back(Act("AM", ActionKind::kRatification, "2006-10-12"));
  ev.push_back(Act("AM", ActionKind::kRatification, "2006-10-20"));
  const Analysis a(CoeTreaty(), ev, {}, Countries());
  ASSERT_EQ(a.conflicts().size(), 1u);
  EXPECT_EQ(a.conflicts()[0].state, "AM");
  EXPECT_EQ(a.conflicts()[0].sources.size(), 2u);
  // Both dates stay possible.
  EXPECT_EQ(a.states().at("AM").consent->ToString(), "2006-10-12/2006-10-20");
}

TEST(ConflictTest, NotYetRatifiedContradictingADatedRatificationIsReported) {
  auto ev = FirstFive();
  ev.push_back(Act("FR", ActionKind::kRatification, "2006-01-10"));
  ev.push_back(NotBy("FR", ActionKind::kRatification, "2007-02-01"));
  const Analysis a(CoeTreaty(), ev, {}, Countries());
  ASSERT_EQ(a.conflicts().size(), 1u);
  EXPECT_EQ(a.states().at("FR").consent->ToString(), "2006-01-10");
}

TEST(StatusTest, EveryStatusOnItsDate) {
  auto ev = FirstFive();
  ev.push_back(Act("GB", ActionKind::kSignature, "2001-11-23"));
  ev.push_back(Act("GB", ActionKind::kRatification, "2011-05-25"));
  ev.push_back(Act("KI", ActionKind::kInvitation, "2023-07-03"));
  ev.push_back(Act("HU", ActionKind::kDenunciation, "2030-01-15"));
  const Analysis a(CoeTreaty(), ev, {}, Countries());
  EXPECT_EQ(a.StatusOf("GB", D("2001-11-22")).text, "not signed");
  EXPECT_EQ(a.StatusOf("GB", D("2001-11-23")).text, "signed");
  EXPECT_EQ(a.StatusOf("GB", D("2011-05-25")).text,
            "consented, not yet in force (enters into force 2011-09-01)");
  // A status on a date after the last word carries that word's date.
  EXPECT_EQ(a.StatusOf("GB", D("2011-09-01")).text, "party in force — last on record 2011-05-25");
  EXPECT_EQ(a.StatusOf("KI", D("2023-07-03")).text, "invited, valid until 2028-07-03");
  EXPECT_EQ(a.StatusOf("KI", D("2028-07-03")).kind, StatusKind::kInvitationLapsed);
  EXPECT_EQ(a.StatusOf("HU", D("2030-05-01")).text,
            "denounced, effective 2030-05-01 — last on record 2030-01-15");
  EXPECT_EQ(a.StatusOf("HU", D("2030-04-30")).kind, StatusKind::kInForce);
  EXPECT_EQ(a.InForce(D("2030-04-30")).max - a.InForce(D("2030-05-01")).max, 1);
  EXPECT_EQ(a.StatusOf("ZZ", D("2030-05-01")).kind, StatusKind::kNotSigned);
}

TEST(DenunciationTest, DenunciationEndsPartyStatusOnTheDateTheTreatysRuleGives) {
  domain::Treaty t = CoeTreaty();
  t.denunciation = Months(6);
  auto ev = FirstFive();
  ev.push_back(Act("EE", ActionKind::kDenunciation, "2031-02-10"));
  const Analysis a(t, ev, {}, Countries());
  // Six months after 10 February end on 10 August; the first day of the next month is 1 September.
  ASSERT_TRUE(a.states().at("EE").denunciation_effective.has_value());
  EXPECT_EQ(a.states().at("EE").denunciation_effective->ToString(), "2031-09-01");
  EXPECT_EQ(a.StatusOf("EE", D("2031-08-31")).kind, StatusKind::kInForce);
  EXPECT_EQ(a.StatusOf("EE", D("2031-09-01")).kind, StatusKind::kDenounced);
  EXPECT_EQ(a.InForce(D("2031-08-31")).min - a.InForce(D("2031-09-01")).min, 1);
}

TEST(DenunciationTest, WithoutTheRuleTextTheEffectiveDateIsUnknownNotGuessed) {
  domain::Treaty t = CoeTreaty();
  t.denunciation.reset();
  auto ev = FirstFive();
  ev.push_back(Act("HR", ActionKind::kDenunciation, "2031-02-10"));
  const Analysis a(t, ev, {}, Countries());
  const StateRecord& hr = a.states().at("HR");
  EXPECT_TRUE(hr.denunciation_rule_unknown);
  // Before the denunciation nothing changes.
  EXPECT_EQ(a.StatusOf("HR", D("2031-02-09")).kind, StatusKind::kInForce);
  EXPECT_FALSE(a.StatusOf("HR", D("2031-02-09")).or_kind.has_value());
  // From it, the State may still be bound or not: both readings, and the text says why.
  const StateStatus later = a.StatusOf("HR", D("2035-01-01"));
  ASSERT_TRUE(later.or_kind.has_value());
  EXPECT_NE(later.kind, *later.or_kind);
  EXPECT_NE(later.text.find("effective date unknown (denunciation rule not obtained)"), std::string::npos)
      << later.text;
  // The count holds both: at least four in force, possibly five.
  const Range r = a.InForce(D("2035-01-01"));
  EXPECT_EQ(r.min, 4);
  EXPECT_EQ(r.max, 5);
}

TEST(FlagsTest, FlagsAreKeptPerStateForTheirTreatyOnly) {
  Analysis a(CoeTreaty(), FirstFive(), {}, Countries());
  domain::StateFlag r{"ETS 185", "AL", "R", "reservation", D("2015-12-03"), "", {"chart.csv", 4, "R."}};
  domain::StateFlag other{"ETS 189", "AL", "D", "declaration", std::nullopt, "", {"other.csv", 2, "D."}};
  a.AddFlags({r, other});
  ASSERT_EQ(a.FlagsOf("AL").size(), 1u);
  EXPECT_EQ(a.FlagsOf("AL")[0].flag, "R");
  EXPECT_EQ(a.FlagsOf("AL")[0].source.line, 4);
  EXPECT_TRUE(a.FlagsOf("HR").empty());
  // A flag changes no count.
  EXPECT_EQ(a.InForce(D("2010-01-01")), Analysis(CoeTreaty(), FirstFive(), {}, Countries()).InForce(D("2010-01-01")));
}

// Property tests over random registries: the invariants every answer keeps.
class EnginePropertyTest : public ::testing::TestWithParam<unsigned> {};

TEST_P(EnginePropertyTest, CountsAndDatesKeepTheRulesInvariants) {
  std::mt19937 rng(GetParam());
  const char* states[] = {"AL", "AM", "AT", "AZ", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI",
                          "FR", "GE", "DE", "GR", "HU", "IS", "IT", "LV", "US", "JP", "CA", "AU",
                          "CL", "SN", "MA", "NG", "GH", "TO"};
  std::vector<Evidence> ev;
  const Date opened = D("2001-11-23");
  std::uniform_int_distribution<int> day(0, 8000);
  std::uniform_int_distribution<int> coin(0, 9);
  for (const char* s : states) {
    const int kind = coin(rng);
    Date dep = opened.AddDays(day(rng));
    if (kind < 6) {
      Evidence e = Act(s, ActionKind::kRatification, dep.ToIso().c_str());
      if (kind == 5) e.lo.reset(), e.hi = dep;  // only "on or before"
      ev.push_back(e);
    } else if (kind < 8) {
      ev.push_back(Act(s, ActionKind::kSignature, dep.ToIso().c_str()));
    }
  }
  const Analysis a(CoeTreaty(), ev, {}, Countries());
  Range last_consents, last_in_force;
  for (const TimelinePoint& p : a.Timeline()) {
    // Counts never decrease without a denunciation; min ≤ max.
    EXPECT_GE(p.consents.min, last_consents.min);
    EXPECT_GE(p.consents.max, last_consents.max);
    EXPECT_GE(p.in_force.min, last_in_force.min);
    EXPECT_GE(p.in_force.max, last_in_force.max);
    EXPECT_LE(p.consents.min, p.consents.max);
    EXPECT_LE(p.in_force.max, p.consents.max);
    if (p.in_force.min != last_in_force.min || p.in_force.max != last_in_force.max) {
      // Entry into force happens on a first day of a month under this rule.
      EXPECT_EQ(p.date.day(), 1) << p.date.ToIso();
    }
    last_consents = p.consents;
    last_in_force = p.in_force;
  }
  if (!a.entry_into_force().date) return;
  const Date treaty_eif = a.entry_into_force().date->lo.value_or(opened);
  for (const auto& [iso, rec] : a.states()) {
    if (!rec.entry_into_force) continue;
    // A State's entry into force is never before the treaty's, nor before its deposit + 3 months.
    EXPECT_GE(*rec.entry_into_force->lo, treaty_eif) << iso;
    if (rec.consent && rec.consent->lo) {
      EXPECT_GT(*rec.entry_into_force->lo, rec.consent->lo->AddMonths(3).AddDays(-1)) << iso;
      EXPECT_EQ(rec.entry_into_force->lo->day(), 1) << iso;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(RandomRegistries, EnginePropertyTest, ::testing::Range(1u, 41u));

TEST(IntervalTest, ParsesEveryWrittenForm) {
  EXPECT_EQ(ParseInterval("2011-09-01")->ToString(), "2011-09-01");
  EXPECT_EQ(ParseInterval("2011-09")->ToString(), "2011-09-01/2011-09-30");
  EXPECT_EQ(ParseInterval("2012")->ToString(), "2012-01-01/2012-12-31");
  EXPECT_EQ(ParseInterval("../2011-06-01")->ToString(), "../2011-06-01");
  EXPECT_EQ(ParseInterval("2011-06-02/..")->ToString(), "2011-06-02/..");
  EXPECT_FALSE(ParseInterval("2011-06-02/2011-06-01").ok());
  EXPECT_FALSE(ParseInterval("1 June 2011").ok());
  EXPECT_FALSE(ParseInterval("2011-13").ok());
}

namespace {

// A State's true acts in a random world, and what the rule makes of them.
struct TrueState {
  std::string iso;
  std::optional<Date> signature, consent, eif;
  bool accession = false;
};

StatusKind TrueKind(const TrueState& t, Date on) {
  if (t.eif && *t.eif <= on) return StatusKind::kInForce;
  if (t.consent && *t.consent <= on) return StatusKind::kConsented;
  if (t.signature && *t.signature <= on) return StatusKind::kSigned;
  return StatusKind::kNotSigned;
}

}  // namespace

// Random worlds seen through random sources: exact dates, "on or before",
// months, stated entries into force, "not yet by", charts with empty cells,
// complete lists of names, and States no source names. Whatever the engine
// prints must hold the truth.
class SoundnessPropertyTest : public ::testing::TestWithParam<unsigned> {};

TEST_P(SoundnessPropertyTest, EveryPrintedRangeHoldsTheTruthAndOnlyACompleteListMakesACountExact) {
  std::mt19937 rng(GetParam());
  auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
  domain::Treaty treaty = CoeTreaty();
  treaty.stated_entry_into_force = D("2004-07-01");
  treaty.stated_entry_into_force_source = "test";
  const Date treaty_eif = D("2004-07-01");
  const char* pool[] = {"AM", "AT", "AZ", "BE", "BG", "CY", "CZ", "DK", "FI", "FR", "GE", "DE",
                        "GR", "IS", "IT", "LV", "US", "JP", "CA", "AU", "CL", "SN", "MA", "NG",
                        "GH", "TO", "PE", "BR", "PH", "AR"};
  std::vector<TrueState> world;
  for (const auto& e : FirstFive()) {
    TrueState t{e.state, std::nullopt, e.lo, treaty_eif, false};
    world.push_back(t);
  }
  const Date after_threshold = D("2004-03-19");
  for (const char* iso : pool) {
    TrueState t;
    t.iso = iso;
    const int k = pick(10);
    if (k < 7) {
      const Date consent = after_threshold.AddDays(pick(8000));
      t.consent = consent;
      t.accession = pick(2) == 0;
      if (!t.accession) t.signature = treaty.opened.AddDays(pick(static_cast<int>(consent.days() - treaty.opened.days()) + 1));
      t.eif = std::max(treaty_eif, Months(3).Apply(consent));
    } else if (k < 9) {
      t.signature = treaty.opened.AddDays(pick(9000));
    }
    world.push_back(t);
  }

  std::vector<Evidence> ev = FirstFive();
  for (size_t i = 5; i < world.size(); ++i) {
    const TrueState& t = world[i];
    if (pick(6) == 0) continue;  // no source names this State
    auto add = [&](ActionKind kind, std::optional<Date> lo, std::optional<Date> hi) {
      Evidence e;
      e.treaty = treaty.ref;
      e.state = t.iso;
      e.action = kind;
      e.lo = lo;
      e.hi = hi;
      e.source = {"random", 1, ""};
      ev.push_back(e);
    };
    auto not_by = [&](ActionKind kind, Date d) {
      Evidence e;
      e.treaty = treaty.ref;
      e.state = t.iso;
      e.action = kind;
      e.negative = true;
      e.lo = d;
      e.source = {"random", 2, ""};
      ev.push_back(e);
    };
    const ActionKind consent_kind = t.accession ? ActionKind::kAccession : ActionKind::kRatification;
    if (t.consent) {
      switch (pick(5)) {
        case 0: add(consent_kind, t.consent, t.consent); break;
        case 1: add(consent_kind, std::nullopt, t.consent->AddDays(pick(900))); break;
        case 2: add(consent_kind, t.consent->FirstOfMonth(), t.consent->LastOfMonth()); break;
        case 3: add(ActionKind::kEntryIntoForce, t.eif, t.eif); break;
        default: break;
      }
      if (pick(3) == 0) not_by(ActionKind::kRatification, t.consent->AddDays(-1 - pick(2000)));
    } else if (pick(2) == 0) {
      not_by(ActionKind::kRatification, treaty.opened.AddDays(pick(9000)));
    }
    if (t.signature && pick(2) == 0) add(ActionKind::kSignature, t.signature, t.signature);
    if (!t.signature && !t.consent && pick(3) == 0) {
      not_by(ActionKind::kSignature, treaty.opened.AddDays(pick(9000)));
    }
  }
  std::vector<domain::Snapshot> snaps;
  std::optional<Date> list_date;
  if (pick(2) == 0) {
    domain::Snapshot s;
    s.treaty = treaty.ref;
    s.as_of = treaty.opened.AddDays(1000 + pick(7000));
    s.source = {"complete list", 0, ""};
    for (const TrueState& t : world) {
      if (t.consent && *t.consent <= s.as_of) s.contracting.push_back(t.iso);
      else if (t.signature && *t.signature <= s.as_of) s.signatories.push_back(t.iso);
    }
    list_date = s.as_of;
    snaps.push_back(s);
  }

  const Analysis a(treaty, ev, snaps, Countries());
  for (const TrueState& t : world) {
    auto it = a.states().find(t.iso);
    if (it == a.states().end()) continue;
    const StateRecord& rec = it->second;
    auto holds = [&](const std::optional<Interval>& iv, const std::optional<Date>& truth, const char* what) {
      if (!iv || !truth) return;
      EXPECT_TRUE(!iv->lo || *iv->lo <= *truth) << t.iso << " " << what << " " << iv->ToString() << " truth " << truth->ToIso();
      EXPECT_TRUE(!iv->hi || *truth <= *iv->hi) << t.iso << " " << what << " " << iv->ToString() << " truth " << truth->ToIso();
    };
    holds(rec.consent, t.consent, "consent");
    holds(rec.signature, t.signature, "signature");
    holds(rec.entry_into_force, t.eif, "entry into force");
    if (!t.consent) {
      EXPECT_FALSE(rec.consent && rec.consent->hi) << t.iso << " has no consent";
    }
  }
  for (Date d = treaty.opened; d <= D("2027-01-01"); d = d.AddDays(17 + pick(20))) {
    int consents = 0, in_force = 0;
    for (const TrueState& t : world) {
      consents += t.consent && *t.consent <= d ? 1 : 0;
      in_force += t.eif && *t.eif <= d ? 1 : 0;
    }
    const Range c = a.Consents(d), f = a.InForce(d);
    EXPECT_TRUE(c.Admits(consents)) << d.ToIso() << " consents " << c.ToString() << " truth " << consents;
    EXPECT_TRUE(f.Admits(in_force)) << d.ToIso() << " in force " << f.ToString() << " truth " << in_force;
    if (c.exact()) {
      EXPECT_TRUE(list_date && *list_date == d) << d.ToIso() << " exact " << c.ToString();
    }
    for (const TrueState& t : world) {
      const StateStatus st = a.StatusOf(t.iso, d);
      if (!st.decided || st.or_kind) continue;
      EXPECT_EQ(st.kind, TrueKind(t, d)) << t.iso << " on " << d.ToIso() << ": " << st.text;
    }
  }
  if (list_date) {
    int truth = 0;
    for (const TrueState& t : world) truth += t.consent && *t.consent <= *list_date ? 1 : 0;
    EXPECT_EQ(a.Consents(*list_date), (Range{truth, truth})) << list_date->ToIso();
  }
}

INSTANTIATE_TEST_SUITE_P(RandomWorlds, SoundnessPropertyTest, ::testing::Range(1u, 61u));

}  // namespace
}  // namespace octopus::treaty
