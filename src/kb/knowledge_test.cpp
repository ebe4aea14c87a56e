#include "kb/knowledge.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include "ingest/extract.h"
#include "ingest/reader.h"
#include "ingest/sha256.h"
#include "kb/internal/names.h"
#include "kb/internal/resolve.h"
#include "kb/internal/thresholds.h"

namespace octopus::kb {
namespace {

Claim Said(std::string field, std::string value, std::string stated_on, int64_t document, int line) {
  Claim c;
  c.entity_id = "cybereast";
  c.field = std::move(field);
  c.value = std::move(value);
  c.source.document_id = document;
  c.source.line = line;
  c.source.stated_on = std::move(stated_on);
  return c;
}

Entity Project(std::vector<Claim> claims) {
  Entity e;
  e.id = "cybereast";
  e.kind = Kind::kProject;
  e.claims = std::move(claims);
  Derive(e);
  return e;
}

TEST(KnowledgeTest, KindNamesAndPathsRoundTrip) {
  for (Kind k : kKinds) {
    EXPECT_EQ(KindFromName(KindName(k)), k);
    EXPECT_FALSE(KindPath(k).empty());
  }
  EXPECT_EQ(KindFromName("projects"), std::nullopt);
}

TEST(KnowledgeTest, RestrictionsMarkTheClaimsOfRestrictedDocumentsAndEntitiesKnownOnlyFromThem) {
  KnowledgeBase kb;
  kb.entities.push_back(Project({Said("budget_amount", "5330000", "2023-09-30", 1, 10),
                                 Said("budget_amount", "6000000", "2023-12-31", 2, 4)}));
  Entity secret = Project({Said("name", "Quiet project", "2023-09-30", 2, 7)});
  secret.id = "quiet";
  kb.entities.push_back(secret);
  Entity marked = Project({Said("name", "Marked project", "2023-09-30", 1, 12)});
  marked.id = "marked";
  kb.entities.push_back(marked);
  ApplyRestrictions(kb, {2}, {"marked"});
  EXPECT_FALSE(kb.entities[0].restricted) << "a public document gives it too";
  EXPECT_FALSE(kb.entities[0].claims[0].source.restricted);
  EXPECT_TRUE(kb.entities[0].claims[1].source.restricted);
  EXPECT_TRUE(kb.entities[1].restricted) << "only a restricted document gives it";
  EXPECT_TRUE(kb.entities[2].restricted) << "marked";
}

TEST(KnowledgeTest, ThePublicViewHasNoRestrictedEntityClaimOrRelation) {
  KnowledgeBase kb;
  kb.entities.push_back(Project({Said("budget_amount", "5330000", "2023-09-30", 1, 10),
                                 Said("budget_amount", "6000000", "2023-12-31", 2, 4)}));
  Entity quiet = Project({Said("name", "Quiet project", "2023-09-30", 2, 7)});
  quiet.id = "quiet";
  kb.entities.push_back(quiet);
  Entity activity;
  activity.id = "a1";
  activity.kind = Kind::kActivity;
  activity.claims = {Said("title", "Workshop", "2023-09-30", 1, 20), Said("projects", "quiet", "2023-09-30", 1, 20),
                     Said("projects", "cybereast", "2023-09-30", 1, 20)};
  for (Claim& c : activity.claims) c.entity_id = "a1";
  Derive(activity);
  kb.entities.push_back(activity);
  ApplyRestrictions(kb, {2}, {});
  EXPECT_EQ(kb.visibility, Visibility::kRestricted);
  ASSERT_EQ(kb.entities[0].value("budget_amount"), "6000000");

  const KnowledgeBase view = PublicView(kb);
  EXPECT_EQ(view.visibility, Visibility::kPublic);
  EXPECT_EQ(view.Find("quiet"), nullptr);
  const Entity* project = view.Find("cybereast");
  ASSERT_NE(project, nullptr);
  EXPECT_EQ(project->value("budget_amount"), "5330000");
  EXPECT_TRUE(project->field("budget_amount")->history.empty());
  EXPECT_EQ(project->claims.size(), 1u);
  const Entity* workshop = view.Find("a1");
  ASSERT_NE(workshop, nullptr);
  EXPECT_EQ(workshop->values("projects"), std::vector<std::string>{"cybereast"});
  EXPECT_EQ(workshop->label, "Workshop");
  // The full snapshot is untouched.
  EXPECT_EQ(kb.entities.size(), 3u);
  EXPECT_EQ(kb.entities[0].value("budget_amount"), "6000000");
}

TEST(KnowledgeTest, AnEditorsNoValueSupersedesTheDocumentsValueWhichStaysInTheHistory) {
  Claim cleared = Said("scope", std::string(kNoValue), "2026-12-01T10:00:00Z", 0, 0);
  cleared.source.author = "ana@example.org";
  cleared.source.edit_id = 7;
  Entity e = Project({Said("scope", "Eastern Partnership region", "2023-09-30", 1, 10), cleared});
  const Field* f = e.field("scope");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(f->current.size(), 1u);
  EXPECT_EQ(f->current[0].value, "");
  ASSERT_EQ(f->history.size(), 1u);
  EXPECT_EQ(f->history[0].value, "Eastern Partnership region");
  EXPECT_EQ(e.value("scope"), "");
  EXPECT_TRUE(e.values("scope").empty());
}

TEST(KnowledgeTest, AgreeingClaimsMergeIntoOneValueCitingBoth) {
  Entity e = Project({Said("budget_amount", "5330000", "2023-09-30", 1, 10),
                      Said("budget_amount", "5330000", "2023-09-30", 1, 40)});
  const Field* f = e.field("budget_amount");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(f->current.size(), 1u);
  EXPECT_EQ(f->current[0].claims.size(), 2u);
  EXPECT_FALSE(f->conflict);
  EXPECT_TRUE(f->history.empty());
}

TEST(KnowledgeTest, LaterDatedClaimSupersedesAndTheEarlierValueIsHistory) {
  Entity e = Project({Said("budget_amount", "6000000", "2024-03-31", 2, 5),
                      Said("budget_amount", "5330000", "2023-09-30", 1, 10)});
  EXPECT_EQ(e.value("budget_amount"), "6000000");
  const Field* f = e.field("budget_amount");
  ASSERT_EQ(f->history.size(), 1u);
  EXPECT_EQ(f->history[0].value, "5330000");
  EXPECT_EQ(f->history[0].stated_on, "2023-09-30");
}

TEST(KnowledgeTest, ContradictoryClaimsOfTheSameDateAreAConflictShowingBoth) {
  Entity e = Project({Said("budget_amount", "5330000", "2023-09-30", 1, 10),
                      Said("budget_amount", "5500000", "2023-09-30", 2, 3)});
  const Field* f = e.field("budget_amount");
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(f->conflict);
  EXPECT_EQ(e.values("budget_amount"), (std::vector<std::string>{"5330000", "5500000"}));
}

TEST(KnowledgeTest, AnUndatedClaimNeverSupersedesADatedOne) {
  Entity e = Project({Said("status", "ended", "", 3, 1), Said("status", "running", "2023-09-30", 1, 2)});
  EXPECT_EQ(e.value("status"), "running");
  EXPECT_FALSE(e.field("status")->conflict);
}

TEST(KnowledgeTest, ADayWithinAMonthOfTheSameDateRefinesItAndItsPrecisionFollows) {
  Entity e;
  e.id = "a1";
  e.kind = Kind::kActivity;
  Claim month = Said("start", "2025-07", "2025-06-30", 1, 4), day = Said("start", "2025-07-08", "2025-06-30", 1, 9);
  Claim coarse = Said("precision", "month", "2025-06-30", 1, 4), fine = Said("precision", "day", "2025-06-30", 1, 9);
  month.source.record_id = coarse.source.record_id = 11;
  day.source.record_id = fine.source.record_id = 12;
  e.claims = {month, day, coarse, fine, Said("end", "2025-08-10", "2025-06-30", 1, 4),
              Said("end", "2025-08", "2025-06-30", 1, 9)};
  Derive(e);
  EXPECT_EQ(e.values("start"), std::vector<std::string>{"2025-07-08"});
  EXPECT_FALSE(e.field("start")->conflict);
  EXPECT_EQ(e.field("start")->history[0].value, "2025-07");
  EXPECT_EQ(e.values("precision"), std::vector<std::string>{"day"});
  EXPECT_FALSE(e.field("precision")->conflict);
  EXPECT_EQ(e.values("end"), std::vector<std::string>{"2025-08-10"});
  // Two days are a contradiction.
  e.claims.push_back(Said("start", "2025-07-09", "2025-06-30", 2, 1));
  Derive(e);
  EXPECT_TRUE(e.field("start")->conflict);
  EXPECT_TRUE(e.field("precision")->conflict);
}

TEST(KnowledgeTest, SetFieldsTakeTheUnionInOrderOfFirstStatement) {
  Entity e = Project({Said("countries", "GE", "2023-09-30", 1, 1), Said("countries", "AM", "2023-09-30", 1, 2),
                      Said("countries", "GE", "2024-03-31", 2, 1)});
  EXPECT_EQ(e.values("countries"), (std::vector<std::string>{"GE", "AM"}));
  EXPECT_FALSE(e.field("countries")->conflict);
}

TEST(KnowledgeTest, LabelIsTheNameAndTheUrlFollowsTheKind) {
  Entity e = Project({Said("name", "CyberEast", "2023-09-30", 1, 1)});
  EXPECT_EQ(e.label, "CyberEast");
  EXPECT_EQ(e.url(), "/projects/cybereast");
}

TEST(KnowledgeTest, ReferringFindsEntitiesWhoseRelationNamesTheId) {
  KnowledgeBase kb;
  Entity a;
  a.id = "a1";
  a.kind = Kind::kActivity;
  a.claims = {Said("projects", "cybereast", "2023-09-30", 1, 4)};
  Derive(a);
  kb.entities.push_back(a);
  EXPECT_EQ(kb.Referring(Kind::kActivity, "projects", "cybereast").size(), 1u);
  EXPECT_TRUE(kb.Referring(Kind::kActivity, "projects", "octopus").empty());
  EXPECT_NE(kb.Find("a1"), nullptr);
}

}  // namespace
}  // namespace octopus::kb

namespace octopus::kb {
namespace {

namespace fs = std::filesystem;
const fs::path kData = OCTOPUS_TEST_DATA_DIR;

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

const Directory& Names() {
  static const Directory d = [] {
    auto r = Directory::Parse(Slurp(kData / "projects.csv"), Slurp(kData / "organisations.csv"));
    if (!r.ok()) throw std::runtime_error(r.status().message());
    return std::move(*r);
  }();
  return d;
}

// A document as the store keeps it: ingest's extraction of `bytes`.
DocumentInput Ingest(int64_t id, const std::string& bytes, const std::string& label, const std::string& date = "") {
  static const domain::Gazetteer places = [] {
    auto r = domain::Gazetteer::LoadFile((kData / "countries.csv").string());
    if (!r.ok()) throw std::runtime_error(r.status().message());
    return std::move(*r);
  }();
  static const treaty::Catalog treaties = [] {
    auto r = treaty::Catalog::LoadFile((kData / "treaties.json").string());
    if (!r.ok()) throw std::runtime_error(r.status().message());
    return std::move(*r);
  }();
  auto text = ingest::ReadDocument(bytes);
  EXPECT_TRUE(text.ok()) << text.status().message();
  DocumentInput d;
  d.id = id;
  d.sha256 = ingest::Sha256Hex(bytes);
  d.label = label;
  if (!text.ok()) return d;
  if (!date.empty()) text->date = date;
  const ingest::Extraction e = ingest::Extract(*text, {places, treaties});
  d.date = e.document.date.value_or("");
  d.period_start = e.document.period_start.value_or("");
  d.period_end = e.document.period_end.value_or("");
  int64_t record = id * 1000;
  for (const ingest::Record& r : e.records) {
    d.records.push_back(RecordInput{++record, r.kind, r.line, r.fields.dump()});
  }
  return d;
}

DocumentInput Seed(int64_t id, const std::string& name) {
  return Ingest(id, Slurp(kData / "seeds" / name), "seeds/" + name);
}

// A document given directly as records (kind, line, fields as JSON).
DocumentInput Records(int64_t id, std::string date, std::vector<std::tuple<std::string, int, std::string>> rs) {
  DocumentInput d;
  d.id = id;
  d.sha256 = internal::ShortHash({"fixture", std::to_string(id)});
  d.label = "fixture " + std::to_string(id);
  d.date = std::move(date);
  int64_t n = id * 1000;
  for (auto& [kind, line, fields] : rs) d.records.push_back(RecordInput{++n, kind, line, fields});
  return d;
}

std::vector<const Entity*> Titled(const KnowledgeBase& kb, Kind kind, const std::string& words) {
  std::vector<const Entity*> out;
  for (const Entity* e : kb.OfKind(kind)) {
    if (internal::NameKey(e->label).find(internal::NameKey(words)) != std::string::npos) out.push_back(e);
  }
  return out;
}

// Two quarters of an update, in the shape of the programme's quarterly update,
// written for these tests.
const char kSpringUpdate[] = R"(CYBERCRIME@COE UPDATE

April - June 2025

UPDATE: CyberEast

CyberEast basics

Duration: June 2019 – December 2026

Budget: EUR 6.2 million

Funding: Joint project of the European Union and the Council of Europe

Participating countries: Armenia, Georgia, Moldova

Inventory of activities (April - June 2025)

May 2025

CyberEast	Workshop on data protection safeguards for investigators, Chisinau, Moldova, <i>in person</i> , 12-13 May
CyberEast	Workshop on data protection safeguards for investigators, Yerevan, Armenia, <i>in person</i> , 14-15 May

Coming next (July - September 2025)

July 2025

CyberEast	Regional exercise on tracing virtual currency transactions, Tbilisi, Georgia, <i>in person</i> , July
)";

const char kSummerUpdate[] = R"(CYBERCRIME@COE UPDATE

July - September 2025

UPDATE: CyberEast

CyberEast basics

Duration: June 2019 – December 2026

Budget: EUR 6.8 million

Funding: Joint project of the European Union and the Council of Europe

Participating countries: Armenia, Georgia, Moldova

TBILISI, GEORGIA, 8-10 July

In person | Regional exercise on tracing virtual currency transactions

From 8 to 10 July 2025, CyberEast brought together investigators and prosecutors from the region in Tbilisi to follow the money through a simulated case involving virtual currency transactions.

Inventory of activities (July - September 2025)

July 2025

CyberEast	Regional exercise on tracing virtual currency transactions, Tbilisi, Georgia, <i>in person</i> , 8-10 July
)";

std::vector<DocumentInput> Quarters() { return {Ingest(1, kSpringUpdate, "spring"), Ingest(2, kSummerUpdate, "summer")}; }

TEST(DirectoryTest, NamesAcronymsAndAliasesDenoteTheSameRow) {
  const Directory& d = Names();
  ASSERT_NE(d.Project("GLACY+"), nullptr);
  EXPECT_EQ(d.Project("GLACY+")->id, "glacy-plus");
  EXPECT_EQ(d.Project("glacy plus")->id, "glacy-plus");
  EXPECT_EQ(d.Project("Global Action on Cybercrime Extended")->id, "glacy-plus");
  EXPECT_EQ(d.Project("GLACY")->id, "glacy");
  EXPECT_EQ(d.Project("Cybercrime@Octopus")->id, "octopus");
  EXPECT_EQ(d.Project("iPROCEEDS 2")->id, "iproceeds-2");
  EXPECT_EQ(d.Project("C-PROC"), nullptr);
  EXPECT_EQ(d.Organisation("C-PROC")->id, "c-proc");
  EXPECT_EQ(d.Organisation("USA")->id, "united-states");
  EXPECT_EQ(d.Organisation("Unknown Agency"), nullptr);
}

TEST(DirectoryTest, BadRowsNameTheFileLineAndField) {
  const std::string header = "id,name,acronym,aliases\n";
  auto r = Directory::Parse(header + "Not A Slug,Name,,\n", header);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("projects.csv:2"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("id"), std::string::npos);
  r = Directory::Parse(header, header + "a,Alpha,,\nb,Beta,,Alpha\n");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("organisations.csv:3: field aliases"), std::string::npos)
      << r.status().message();
  EXPECT_FALSE(Directory::Parse(header + "a,Alpha\n", header).ok());
  EXPECT_FALSE(Directory::Parse("name\n", header).ok());
}

TEST(KbIdsTest, Fnv1aIsTheStandardFunction) {
  EXPECT_EQ(internal::Fnv1a64(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(internal::Fnv1a64("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(internal::ShortHash({"a"}).size(), 12u);
  EXPECT_NE(internal::ShortHash({"a", "b"}), internal::ShortHash({"ab"}));
}

TEST(KbIdsTest, SlugsReadPlus) {
  EXPECT_EQ(internal::Slug("GLACY+"), "glacy-plus");
  EXPECT_EQ(internal::Slug("Cybercrime@EAP III"), "cybercrime-eap-iii");
  EXPECT_EQ(Names().Project("Cybercrime EAP II")->id, "cybercrime-eap-ii");
  EXPECT_EQ(internal::Slug("--"), "");
}

internal::ActivityKey Act(std::string title, std::string project, std::string country, std::string start,
                          std::string end, std::string precision = "day") {
  internal::ActivityKey k;
  k.title = std::move(title);
  if (!project.empty()) k.projects = {project};
  if (!country.empty()) k.countries = {country};
  k.span = internal::SpanOf(start, end, precision);
  return k;
}

TEST(ActivityRulesTest, TwoWorkshopsOfOneProjectInOneWeekInTwoCountriesAreTwo) {
  EXPECT_FALSE(internal::MatchActivities(Act("Workshop on electronic evidence", "cybereast", "MD", "2025-05-12", "2025-05-13"),
                                         Act("Workshop on electronic evidence", "cybereast", "AM", "2025-05-12", "2025-05-14")));
}

TEST(ActivityRulesTest, AConferenceNamingItsYearIsTheConferenceAnnounced) {
  auto m = internal::MatchActivities(Act("Octopus Conference", "octopus", "RO", "2023-12-13", "2023-12-15"),
                                     Act("Octopus Conference 2023", "", "RO", "2023-12-13", "2023-12-15"));
  ASSERT_TRUE(m);
  EXPECT_DOUBLE_EQ(m->similarity, 1.0);
  EXPECT_NE(m->rule.find("project given by one, overlapping span, same country"), std::string::npos) << m->rule;
}

TEST(ActivityRulesTest, WhenOnlyOneNamesAProjectTitlesMustAgreeMoreClosely) {
  // Dice 0.67: enough within a project, not across a missing one.
  const auto a = Act("Closing conference project", "iproceeds-2", "RO", "2023-12-14", "");
  auto b = Act("Closing conference region", "iproceeds-2", "RO", "2023-12-14", "");
  EXPECT_TRUE(internal::MatchActivities(a, b));
  b.projects.clear();
  EXPECT_FALSE(internal::MatchActivities(a, b));
  EXPECT_FALSE(internal::MatchActivities(Act("Octopus Conference", "octopus", "RO", "2023-12-13", "2023-12-15"),
                                         Act("Octopus Conference", "glacy-plus", "RO", "2023-12-13", "2023-12-15")));
}

TEST(ActivityRulesTest, AMonthContainsADayOfIt) {
  EXPECT_TRUE(internal::MatchActivities(Act("Regional exercise on virtual currency", "cybereast", "GE", "2025-07", "", "month"),
                                        Act("Regional exercise on virtual currencies", "cybereast", "GE", "2025-07-08", "2025-07-10")));
  EXPECT_FALSE(internal::MatchActivities(Act("Regional exercise on virtual currency", "cybereast", "GE", "2025-07", "", "month"),
                                         Act("Regional exercise on virtual currency", "cybereast", "GE", "2025-08-08", "2025-08-10")));
}

TEST(ActivityRulesTest, TitlesJustBelowTheThresholdAreDifferentActivities) {
  // 3 common words of 4 and 6: Dice 0.6 is enough; 2 of 4 and 5 (0.44) is not.
  const auto a = Act("Workshop cybercrime legislation review", "glacy-plus", "GH", "2025-03-03", "2025-03-04");
  const auto b = Act("Workshop cybercrime legislation drafting judges prosecutors", "glacy-plus", "GH", "2025-03-03", "2025-03-03");
  const auto c = Act("Workshop cybercrime strategy prosecutors police", "glacy-plus", "GH", "2025-03-03", "2025-03-03");
  ASSERT_GE(internal::TitleSimilarity(a.title, b.title), internal::kActivityTitleSimilarity);
  EXPECT_TRUE(internal::MatchActivities(a, b));
  ASSERT_LT(internal::TitleSimilarity(a.title, c.title), internal::kActivityTitleSimilarity);
  EXPECT_FALSE(internal::MatchActivities(a, c));
}

TEST(ActivityRulesTest, WithoutAPlaceTitlesMustAgreeMoreClosely) {
  auto a = Act("Workshop cybercrime legislation review", "glacy-plus", "", "2025-03-03", "2025-03-04");
  auto b = Act("Workshop cybercrime legislation drafting judges prosecutors", "glacy-plus", "GH", "2025-03-03", "2025-03-03");
  EXPECT_FALSE(internal::MatchActivities(a, b));
  b.title = "Workshop on cybercrime legislation review 2025";
  EXPECT_TRUE(internal::MatchActivities(a, b));
}

TEST(ActivityRulesTest, UndatedActivitiesNeedTheSameTitle) {
  auto a = Act("Launch of the training platform", "octopus", "RO", "", "");
  auto b = Act("Launch of the online training platform", "octopus", "RO", "2025-12", "", "month");
  EXPECT_FALSE(internal::MatchActivities(a, b));
  b.title = "Launch of the training platform";
  EXPECT_TRUE(internal::MatchActivities(a, b));
}

TEST(ActivityRulesTest, TypeIsTheFirstTypeWordOfTheTitle) {
  EXPECT_EQ(internal::ActivityType("Advisory mission on legislation"), "advisory mission");
  EXPECT_EQ(internal::ActivityType("Training of Trainers: introductory workshop"), "training");
  EXPECT_EQ(internal::ActivityType("Desk study on legislation (part of the wider advisory mission)"), "desk study");
  EXPECT_EQ(internal::ActivityType("Regional Meeting with partners"), "meeting");
  EXPECT_EQ(internal::ActivityType("Publication of resources"), "");
  EXPECT_EQ(internal::ActivityType("Launch of the online training platform"), "");
  EXPECT_EQ(internal::ActivityType("Review of the training strategy, workshop"), "workshop");
}

TEST(ActivityRulesTest, StatusFollowsTheSectionAndWhatTheTextSays) {
  EXPECT_EQ(internal::ActivityStatus("inventory", "Workshop", std::nullopt, ""), "held");
  EXPECT_EQ(internal::ActivityStatus("coming_next", "Workshop", std::nullopt, ""), "planned");
  EXPECT_EQ(internal::ActivityStatus("save_the_date", "Conference", std::nullopt, ""), "planned");
  EXPECT_EQ(internal::ActivityStatus("inventory", "Workshop (postponed)", std::nullopt, ""), "postponed");
  EXPECT_EQ(internal::ActivityStatus("coming_next", "Workshop, cancelled", std::nullopt, ""), "cancelled");
  const auto may = internal::SpanOf("2025-05-12", "2025-05-13", "day");
  EXPECT_EQ(internal::ActivityStatus("prose", "Workshop", may, "2025-06-01"), "held");
  EXPECT_EQ(internal::ActivityStatus("prose", "Workshop", may, "2025-04-30"), "planned");
  EXPECT_EQ(internal::ActivityStatus("prose", "Workshop", may, "2025-05-12"), "");
  EXPECT_EQ(internal::ActivityStatus("prose", "Workshop", may, ""), "");
}

TEST(NewsRulesTest, AnItemReportsAnActivityOfItsProjectPlaceAndDays) {
  internal::NewsKey news{"Regional exercise on virtual currency tracing", {"cybereast"}, "2025-07-14", std::nullopt,
                         {"Tbilisi"}, {"GE"}};
  const auto exercise = Act("Regional exercise on tracing virtual currency", "cybereast", "GE", "2025-07-08", "2025-07-10");
  auto rule = internal::NewsReports(news, exercise);
  ASSERT_TRUE(rule);
  EXPECT_NE(rule->find("same country"), std::string::npos) << *rule;
  EXPECT_FALSE(internal::NewsReports(news, Act(exercise.title, "cybereast", "AM", "2025-07-08", "2025-07-10")));
  EXPECT_FALSE(internal::NewsReports(news, Act(exercise.title, "cybersouth", "GE", "2025-07-08", "2025-07-10")));
  news.date = "2025-09-01";  // more than kNewsReportDays after
  EXPECT_FALSE(internal::NewsReports(news, exercise));
  news.event = internal::SpanOf("2025-07-09", "", "day");
  EXPECT_TRUE(internal::NewsReports(news, exercise));
}

TEST(ResourceRulesTest, PublicationsAreResourcesAndAgendasAreNot) {
  EXPECT_EQ(internal::ResourceType("Guide on electronic evidence (English)"), "guideline");
  EXPECT_EQ(internal::ResourceLanguage("Guide on electronic evidence (English)"), "en");
  EXPECT_EQ(internal::ResourceType("Study on cyberviolence"), "study");
  EXPECT_EQ(internal::ResourceLanguage("Guidelines: Arabic / Spanish / French"), "");
  EXPECT_EQ(internal::ResourceType("Agenda"), "");
  EXPECT_EQ(internal::ResourceType("List of participants"), "");
}

TEST(KbBuildTest, AComingNextActivityReportedNextQuarterIsOneHeldActivityWithBothSources) {
  const KnowledgeBase kb = Build(Quarters(), Names());
  const auto exercise = Titled(kb, Kind::kActivity, "exercise on tracing virtual currency");
  ASSERT_EQ(exercise.size(), 1u);
  const Entity& a = *exercise[0];
  EXPECT_EQ(a.value("status"), "held");
  ASSERT_NE(a.field("status"), nullptr);
  ASSERT_EQ(a.field("status")->history.size(), 1u);
  EXPECT_EQ(a.field("status")->history[0].value, "planned");
  EXPECT_EQ(a.value("start"), "2025-07-08");
  EXPECT_EQ(a.value("end"), "2025-07-10");
  EXPECT_EQ(a.field("start")->history[0].value, "2025-07");
  std::set<int64_t> documents;
  for (const Claim& c : a.claims) documents.insert(c.source.document_id);
  EXPECT_EQ(documents, (std::set<int64_t>{1, 2}));
  EXPECT_EQ(a.values("projects"), std::vector<std::string>{"cybereast"});
  EXPECT_EQ(a.value("type"), "exercise");
  const auto later = std::find_if(a.claims.begin(), a.claims.end(),
                                  [](const Claim& c) { return c.source.document_id == 2; });
  EXPECT_NE(later->rule.find("same project, overlapping span"), std::string::npos) << later->rule;
}

TEST(KbBuildTest, TwoWorkshopsOfOneWeekInTwoCountriesStayTwo) {
  const KnowledgeBase kb = Build(Quarters(), Names());
  const auto workshops = Titled(kb, Kind::kActivity, "data protection safeguards");
  ASSERT_EQ(workshops.size(), 2u);
  EXPECT_NE(workshops[0]->id, workshops[1]->id);
  EXPECT_NE(workshops[0]->values("countries"), workshops[1]->values("countries"));
}

TEST(KbBuildTest, ABudgetRevisedInALaterDocumentShowsTheLaterValueAndItsHistory) {
  const KnowledgeBase kb = Build(Quarters(), Names());
  const Entity* p = kb.Find("cybereast");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->kind, Kind::kProject);
  EXPECT_EQ(p->value("budget_amount"), "6800000");
  EXPECT_EQ(p->value("budget_currency"), "EUR");
  const Field* f = p->field("budget_amount");
  ASSERT_EQ(f->history.size(), 1u);
  EXPECT_EQ(f->history[0].value, "6200000");
  EXPECT_EQ(f->history[0].stated_on, "2025-06-30");
  EXPECT_FALSE(f->conflict);
  EXPECT_EQ(p->values("funders"), (std::vector<std::string>{"council-of-europe", "european-union"}));
  ASSERT_NE(kb.Find("european-union"), nullptr);
  EXPECT_EQ(kb.Find("european-union")->kind, Kind::kOrganisation);
}

TEST(KbBuildTest, ANewsItemAboutAnActivityNamesIt) {
  const KnowledgeBase kb = Build(Quarters(), Names());
  const auto exercise = Titled(kb, Kind::kActivity, "exercise on tracing virtual currency");
  const auto news = Titled(kb, Kind::kNewsItem, "exercise on tracing virtual currency");
  ASSERT_EQ(exercise.size(), 1u);
  ASSERT_EQ(news.size(), 1u);
  EXPECT_EQ(news[0]->values("activities"), std::vector<std::string>{exercise[0]->id});
  EXPECT_EQ(kb.Referring(Kind::kNewsItem, "activities", exercise[0]->id).size(), 1u);
}

// Two project pages published on the same day that disagree on the budget.
const char kProjectPage[] = R"(CyberEast

The project supports the countries of the Eastern Partnership region in building cyber resilience and criminal justice capacities.

Duration: June 2019 – December 2026

Budget: EUR 7.1 million

Funding: Joint project of the European Union and the Council of Europe

Participating countries: Armenia, Azerbaijan, Georgia, Republic of Moldova, Ukraine
)";

const char kOtherProjectPage[] = R"(CyberEast

Criminal justice authorities of the region work together on electronic evidence.

Duration: June 2019 – December 2026

Budget: EUR 7.3 million

Funding: Joint project of the European Union and the Council of Europe
)";

std::vector<DocumentInput> QuartersAndPages() {
  std::vector<DocumentInput> docs = Quarters();
  docs.push_back(Ingest(3, kProjectPage, "https://example.org/cybereast", "2025-10-15"));
  docs.push_back(Ingest(4, kOtherProjectPage, "https://example.org/cybereast-2", "2025-10-15"));
  return docs;
}

TEST(KbBuildTest, ContradictoryClaimsOfTheSameDateAreAConflict) {
  const KnowledgeBase kb = Build(QuartersAndPages(), Names());
  const Entity* p = kb.Find("cybereast");
  ASSERT_NE(p, nullptr);
  const Field* f = p->field("budget_amount");
  EXPECT_TRUE(f->conflict);
  EXPECT_EQ(p->values("budget_amount"), (std::vector<std::string>{"7100000", "7300000"}));
  EXPECT_EQ(f->history.size(), 2u) << "6200000 and 6800000 before";
  EXPECT_EQ(f->current[0].stated_on, "2025-10-15");
  EXPECT_EQ(p->claims.back().source.document_label.substr(0, 20), "https://example.org/");
  EXPECT_EQ(p->value("name"), "CyberEast");
}

EditInput Edit(int64_t id, std::string published_at, std::vector<EditInput::Value> values) {
  EditInput e;
  e.id = id;
  e.author = "editor@example.org";
  e.published_at = std::move(published_at);
  e.values = std::move(values);
  return e;
}

TEST(KbEditTest, AnEditorsValueSupersedesTheDocumentsAndTheirClaimsStayInTheHistory) {
  const KnowledgeBase kb = Build(QuartersAndPages(), Names(),
                                 {Edit(7, "2026-03-02T10:00:00Z",
                                       {{Kind::kProject, "cybereast", "budget_amount", "7250000"}})});
  const Entity* p = kb.Find("cybereast");
  ASSERT_NE(p, nullptr);
  const Field* f = p->field("budget_amount");
  ASSERT_NE(f, nullptr);
  EXPECT_FALSE(f->conflict);
  EXPECT_EQ(p->values("budget_amount"), std::vector<std::string>{"7250000"});
  std::vector<std::string> before;
  for (const FieldValue& v : f->history) before.push_back(v.value);
  EXPECT_EQ(before, (std::vector<std::string>{"6200000", "6800000", "7100000", "7300000"}));
  const Claim& edit = p->claims[f->current[0].claims[0]];
  EXPECT_EQ(edit.source.author, "editor@example.org");
  EXPECT_EQ(edit.source.edit_id, 7);
  EXPECT_EQ(edit.source.document_id, 0);
  EXPECT_EQ(edit.source.stated_on, "2026-03-02T10:00:00Z");
  EXPECT_EQ(edit.rule, "edited by editor@example.org");
}

TEST(KbEditTest, AnEditPublishedTheSameDayAsADocumentStillSupersedesIt) {
  const KnowledgeBase kb = Build(QuartersAndPages(), Names(),
                                 {Edit(3, "2025-10-15T09:00:00Z",
                                       {{Kind::kProject, "cybereast", "budget_amount", "7300000"}})});
  EXPECT_EQ(kb.Find("cybereast")->values("budget_amount"), std::vector<std::string>{"7300000"});
  EXPECT_FALSE(kb.Find("cybereast")->field("budget_amount")->conflict);
}

TEST(KbEditTest, AnEditCreatesTheActivityItDescribes) {
  const size_t before = Build(Quarters(), Names()).OfKind(Kind::kActivity).size();
  const KnowledgeBase kb = Build(
      Quarters(), Names(),
      {Edit(11, "2026-03-02T10:00:00Z",
            {{Kind::kActivity, std::string(kNewEntity), "title", "Regional workshop on e-evidence"},
             {Kind::kActivity, std::string(kNewEntity), "projects", "cybereast"},
             {Kind::kActivity, std::string(kNewEntity), "countries", "GE"},
             {Kind::kActivity, std::string(kNewEntity), "countries", "AM"},
             {Kind::kActivity, std::string(kNewEntity), "start", "2026-04"}})});
  EXPECT_EQ(kb.OfKind(Kind::kActivity).size(), before + 1);
  const Entity* a = kb.Find(NewEntityId(11, Kind::kActivity));
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->kind, Kind::kActivity);
  EXPECT_EQ(a->label, "Regional workshop on e-evidence");
  EXPECT_EQ(a->values("countries"), (std::vector<std::string>{"AM", "GE"}));
  EXPECT_EQ(a->value("start"), "2026-04");
  const auto of_project = kb.Referring(Kind::kActivity, "projects", "cybereast");
  EXPECT_TRUE(std::find(of_project.begin(), of_project.end(), a) != of_project.end());
}

TEST(KbEditTest, AValueForAnotherKindUnderAnEntitysIdIsNotRead) {
  const KnowledgeBase kb = Build(Quarters(), Names(),
                                 {Edit(2, "2026-03-02T10:00:00Z",
                                       {{Kind::kActivity, "cybereast", "title", "Not a project"}})});
  EXPECT_EQ(kb.Find("cybereast")->kind, Kind::kProject);
  EXPECT_EQ(kb.Find("cybereast")->value("title"), "");
}

const std::string kContributions = R"({"name":"Octopus Project","section":"prose","contributions":[
  {"contributor":"The Government of Japan, through its Ministry of Justice","countries":["JP"],"amount":250000,
   "currency":"EUR","count":1,"line":7,"span":"The Government of Japan, through its Ministry of Justice, made a contribution of EUR 250,000 to the Octopus Project"},
  {"contributor":"The Kingdom of Nowhere","amount":1200.5,"currency":"EUR","line":9,"span":"The Kingdom of Nowhere contributed EUR 1,200.50"}]})";

TEST(KbBuildTest, ContributionsInAProjectRecordGoFromTheirDonorToTheProject) {
  const KnowledgeBase kb = Build({Records(1, "2025-02-01", {{"project", 6, kContributions}}),
                                  Records(2, "2025-03-01", {{"project", 2, kContributions}})},
                                 Names());
  const auto contributions = kb.OfKind(Kind::kContribution);
  ASSERT_EQ(contributions.size(), 2u);
  const auto japan = kb.Referring(Kind::kContribution, "donor", "japan");
  ASSERT_EQ(japan.size(), 1u);
  EXPECT_EQ(japan[0]->value("project"), "octopus");
  EXPECT_EQ(japan[0]->value("amount"), "250000");
  EXPECT_EQ(japan[0]->value("currency"), "EUR");
  EXPECT_EQ(japan[0]->field("amount")->current[0].claims.size(), 2u) << "both documents state it";
  const auto& claim = japan[0]->claims.front();
  EXPECT_EQ(claim.source.line, 7);
  EXPECT_NE(claim.source.quote.find("EUR 250,000"), std::string::npos);
  const Entity* donor = kb.Find("japan");
  ASSERT_NE(donor, nullptr);
  EXPECT_EQ(donor->claims.front().rule, "organisation named in 'The Government of Japan, through its Ministry of Justice'");
  const auto other = kb.Referring(Kind::kContribution, "donor", "the-kingdom-of-nowhere");
  ASSERT_EQ(other.size(), 1u);
  EXPECT_EQ(other[0]->value("amount"), "1200.5");
  EXPECT_EQ(kb.Find("octopus")->kind, Kind::kProject);
}

TEST(KbBuildTest, AProjectNamedByAnAliasIsTheDirectorysProjectAndTheAliasIsKept) {
  const KnowledgeBase kb = Build({Records(1, "2025-02-01", {{"project", 3, R"({"name":"Cybercrime@Octopus","start":"2021-01"})"}}),
                                  Records(2, "2025-03-01", {{"project", 5, R"({"name":"OCTOPUS","end":"2027-12"})"}})},
                                 Names());
  ASSERT_EQ(kb.OfKind(Kind::kProject).size(), 1u);
  const Entity* p = kb.Find("octopus");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->value("name"), "Octopus Project");
  EXPECT_EQ(p->values("aliases"), std::vector<std::string>{"Cybercrime@Octopus"});
  EXPECT_EQ(p->value("acronym"), "Octopus");
  EXPECT_EQ(p->claims.front().rule, "project alias 'Cybercrime@Octopus'");
  EXPECT_EQ(p->claims.back().rule, "project acronym");
  EXPECT_EQ(p->url(), "/projects/octopus");
}

TEST(KbBuildTest, ARecordThatCannotBeReadIsSkipped) {
  const KnowledgeBase kb = Build({Records(1, "2025-01-01", {{"project", 1, "not json"}, {"activity", 2, "[1]"},
                                                            {"news_item", 3, R"({"title": 5})"}})},
                                 Names());
  EXPECT_TRUE(kb.entities.empty());
}

TEST(KbBuildTest, AnyBytesAsRecordsOrDirectoryTablesNeverCrash) {
  std::mt19937 random(7);
  const std::string alphabet = "{}[]\":,0123456789.-eE tnrufalse\"name\"title\"start\"\xff\xc3|\n#";
  std::vector<std::string> kinds = {"project", "activity", "news_item", "link"};
  for (int i = 0; i < 300; ++i) {
    std::string bytes;
    const size_t n = random() % 120;
    for (size_t k = 0; k < n; ++k) bytes += alphabet[random() % alphabet.size()];
    const KnowledgeBase kb = Build({Records(1, "2025", {{kinds[i % 4], i, bytes}})}, Names());
    for (const Entity& e : kb.entities) EXPECT_FALSE(e.id.empty());
    auto d = Directory::Parse(bytes, bytes);
    if (!d.ok()) continue;
    for (const Directory::Name& row : d->projects()) EXPECT_EQ(internal::Slug(row.id), row.id);
  }
  // Well-formed records whose fields have the wrong types.
  const KnowledgeBase kb = Build(
      {Records(1, "2025", {{"activity", 1, R"({"title":"Workshop","projects":"CyberEast","start":7,"places":[1,null]})"},
                           {"project", 2, R"({"name":"CyberEast","budget_amount":"lots","funders":{"a":1},"contributions":[1,{"amount":3}]})"}})},
      Names());
  ASSERT_NE(kb.Find("cybereast"), nullptr);
  EXPECT_EQ(kb.Find("cybereast")->value("budget_amount"), "");
  ASSERT_EQ(kb.OfKind(Kind::kActivity).size(), 1u);
  EXPECT_EQ(kb.OfKind(Kind::kActivity)[0]->values("projects"), std::vector<std::string>{"cybereast"});
  EXPECT_EQ(kb.OfKind(Kind::kActivity)[0]->value("start"), "");
}

// Every field and claim of every entity, as text, for comparing two builds.
std::string Dump(const KnowledgeBase& kb) {
  std::ostringstream out;
  for (const Entity& e : kb.entities) {
    out << KindName(e.kind) << ' ' << e.id << ' ' << e.label << '\n';
    for (const Field& f : e.fields) {
      out << "  " << f.name << (f.conflict ? " conflict" : "") << ':';
      for (const FieldValue& v : f.current) out << " [" << v.value << ' ' << v.stated_on << ' ' << v.claims.size() << ']';
      out << " history:";
      for (const FieldValue& v : f.history) out << " [" << v.value << ' ' << v.stated_on << ']';
      out << '\n';
    }
    for (const Claim& c : e.claims) {
      out << "  - " << c.field << '=' << c.value << " @" << c.source.document_id << ':' << c.source.line << ' '
          << c.source.record_id << ' ' << c.source.edit_id << ' ' << c.source.stated_on << ' ' << c.source.section
          << " (" << c.rule << ")\n";
    }
  }
  return out.str();
}

TEST(KbBuildTest, AnyOrderOfTheDocumentsAndEditsGivesTheSameEntities) {
  std::vector<DocumentInput> docs = QuartersAndPages();
  docs.push_back(Seed(5, "003_4b1784b32edbbd16.txt"));
  // Two edits published in the same second (a conflict, as two documents of
  // one date would be), and one creating an activity.
  std::vector<EditInput> edits = {
      Edit(4, "2026-03-02T10:00:00Z", {{Kind::kProject, "cybereast", "budget_amount", "7250000"}}),
      Edit(5, "2026-03-02T10:00:00Z", {{Kind::kProject, "cybereast", "budget_amount", "7260000"}}),
      Edit(6, "2026-03-01T08:00:00Z",
           {{Kind::kActivity, std::string(kNewEntity), "title", "Desk study on cybercrime law"},
            {Kind::kActivity, std::string(kNewEntity), "projects", "cybereast"}})};
  const std::string expected = Dump(Build(docs, Names(), edits));
  ASSERT_NE(expected.find("budget_amount conflict: [7250000 2026-03-02T10:00:00Z 1] [7260000 2026-03-02T10:00:00Z 1]"),
            std::string::npos)
      << expected;
  std::mt19937 random(20251201);
  for (int i = 0; i < 50; ++i) {
    std::shuffle(docs.begin(), docs.end(), random);
    for (DocumentInput& d : docs) std::shuffle(d.records.begin(), d.records.end(), random);
    std::shuffle(edits.begin(), edits.end(), random);
    ASSERT_EQ(Dump(Build(docs, Names(), edits)), expected) << "permutation " << i;
  }
}

TEST(KbBuildTest, IdsDoNotDependOnDocumentOrRecordIds) {
  std::vector<DocumentInput> a = Quarters();
  std::vector<DocumentInput> b = Quarters();
  for (DocumentInput& d : b) {
    d.id += 100;
    for (RecordInput& r : d.records) r.id += 7;
  }
  std::vector<std::string> ia, ib;
  for (const Entity& e : Build(a, Names()).entities) ia.push_back(e.id);
  for (const Entity& e : Build(b, Names()).entities) ib.push_back(e.id);
  EXPECT_EQ(ia, ib);
}

class KbSeedTest : public ::testing::Test {
 protected:
  static const KnowledgeBase& Update() {
    static const KnowledgeBase kb = Build({Seed(1, "003_4b1784b32edbbd16.txt")}, Names());
    return kb;
  }
  static const KnowledgeBase& NewsPage() {
    static const KnowledgeBase kb = Build({Seed(2, "000_d03e5a92182abe11.txt")}, Names());
    return kb;
  }
};

TEST_F(KbSeedTest, TheQuarterlyUpdateGivesItsFiveProjectsWithBudgets) {
  std::vector<std::string> ids;
  for (const Entity* p : Update().OfKind(Kind::kProject)) {
    ids.push_back(p->id);
    EXPECT_FALSE(p->value("budget_amount").empty()) << p->id;
    EXPECT_EQ(p->value("budget_currency"), "EUR") << p->id;
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"cybereast", "cybersouth", "glacy-plus", "iproceeds-2", "octopus"}));
  EXPECT_EQ(Update().Find("glacy-plus")->value("budget_amount"), "18890000");
  EXPECT_EQ(Update().Find("iproceeds-2")->value("budget_amount"), "4945000");
  EXPECT_EQ(Update().Find("octopus")->value("budget_amount"), "10000000");
}

TEST_F(KbSeedTest, TheQuarterlyUpdateGivesItsActivitiesWithTheSaveTheDateEntriesAttached) {
  const auto activities = Update().OfKind(Kind::kActivity);
  size_t listed = 0, save_the_date = 0;
  for (const Entity* a : activities) {
    std::set<std::string> sections;
    for (const Claim& c : a->claims) sections.insert(c.source.section);
    listed += sections.count("inventory") || sections.count("coming_next");
    if (sections.count("save_the_date")) {
      ++save_the_date;
      EXPECT_TRUE(sections.count("coming_next")) << a->label;
    }
  }
  EXPECT_EQ(listed, 118u);
  EXPECT_EQ(save_the_date, 3u);
  const auto conference = Titled(Update(), Kind::kActivity, "Octopus Conference");
  ASSERT_EQ(conference.size(), 1u);
  EXPECT_EQ(conference[0]->value("start"), "2023-12-13");
  EXPECT_EQ(conference[0]->value("status"), "planned");
}

TEST_F(KbSeedTest, TheNewsPageGivesOneNewsItemPerItem) {
  EXPECT_EQ(NewsPage().OfKind(Kind::kNewsItem).size(), 83u);
}

}  // namespace
}  // namespace octopus::kb
