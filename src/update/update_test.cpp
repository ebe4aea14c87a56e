// The quarterly update composed from a knowledge base like that of the
// July–September 2023 issue (seed 003), built here from claims with
// kb::Derive, and from the treaty records of the store: every activity, every
// project's basics and the engine's treaty figures must come out, in every
// format; an activity several sources speak of comes out once; an empty
// quarter gives a short valid issue; the HTML parses cleanly; the PDF reads back.
// Subscribers confirm by link and leave by one click; issues reach exactly the
// confirmed ones through a real SMTP listener on the loopback.
#include "update/update.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <gumbo.h>
#include <netinet/in.h>
#include <poll.h>
#include <sodium.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "core/html_escape.h"
#include "core/testing/smtp_sink.h"
#include "core/testing/temp_dir.h"
#include "core/text.h"
#include "kb/knowledge.h"
#include "service/ingest.h"
#include "service/knowledge.h"
#include "service/registry.h"
#include "store/store.h"
#include "update/internal/records.h"
#include "update/mailing.h"

namespace octopus::update {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using test_support::TempDir;
using test_support::SmtpSink;

domain::Date D(const char* iso) { return *domain::Date::Parse(iso); }

// ---------------------------------------------------------------- the fixture

struct Fixture {
  std::vector<json> activities, projects, news, actions, figures;
};

json Activity(std::vector<std::string> projects, std::string title, std::vector<std::string> places,
              std::vector<std::string> countries, json mode, json start, json end,
              std::string precision, json as_written = nullptr) {
  json a = {{"projects", projects}, {"title", title}, {"places", places}, {"countries", countries},
            {"mode", mode},         {"start", start}, {"end", end},       {"precision", precision}};
  if (!as_written.is_null()) a["as_written"] = as_written;
  return a;
}

// ---------------------------------------------------------------- claims

/// Entities made of claims, derived as the knowledge base derives them.
class Claims {
 public:
  static kb::Source From(int64_t document, int line, std::string stated_on,
                         std::string section = "") {
    kb::Source s;
    s.document_id = document;
    s.record_id = document * 1000 + line;
    s.line = line;
    s.stated_on = std::move(stated_on);
    s.section = std::move(section);
    s.document_label = "document " + std::to_string(document);
    return s;
  }

  void Say(kb::Kind kind, const std::string& id, std::string field, std::string value,
           const kb::Source& source) {
    kb::Entity& e = entities_[{kind, id}];
    e.id = id;
    e.kind = kind;
    kb::Claim c;
    c.entity_id = id;
    c.field = std::move(field);
    c.value = std::move(value);
    c.source = source;
    c.rule = e.claims.empty() ? "new entity" : "same id";
    e.claims.push_back(std::move(c));
  }

  /// Every entity derived, ordered by kind and id.
  kb::KnowledgeBase Derived() const {
    kb::KnowledgeBase out;
    for (const auto& [key, entity] : entities_) {
      kb::Entity e = entity;
      kb::Derive(e);
      out.entities.push_back(std::move(e));
    }
    return out;
  }

 private:
  std::map<std::pair<kb::Kind, std::string>, kb::Entity> entities_;
};

/// "GLACY+" → "glacy-plus", "Octopus Project" → "octopus-project".
std::string Slug(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    } else if (c == '+') {
      out += out.empty() || out.back() == '-' ? "plus" : "-plus";
    } else if (!out.empty() && out.back() != '-') {
      out.push_back('-');
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

Fixture Seed003() {
  Fixture f;
  // The quarter's activities (inventory of activities, July – September 2023).
  f.activities = {
      Activity({"GLACY+"},
               "Advisory Mission on Search, Seizure and Confiscation of Online Crime Proceeds", {},
               {"DO"}, "in person", "2023-07-03", "2023-07-05", "day"),
      Activity(
          {"Octopus"},
          "Regional Caribbean Workshop in promoting the universality of the Budapest Convention",
          {"Port of Spain"}, {"TT"}, "hybrid", "2023-07-05", "2023-07-06", "day"),
      Activity({"GLACY+"}, "FOSI Training course", {"LATAM"}, {}, "online", "2023-07-17",
               "2023-08-25", "day"),
      Activity({"iPROCEEDS-2"},
               "INTERPOL International Child Sexual Exploitation (ICSE) Database Training",
               {"Lyon"}, {"FR"}, nullptr, "2023-07-26", "2023-07-27", "day"),
      Activity({"Octopus"}, "East Africa Legislative Summit on the Budapest Convention", {"Arusha"},
               {"TZ"}, "in person", "2023-07-26", "2023-07-28", "day"),
      Activity({"GLACY+"}, "Desk study on cybercrime and electronic evidence legislation", {},
               {"MZ"}, "online", nullptr, "2023-07-30", "by", "by 30 July"),
      Activity({"CyberSouth"},
               "Finalization of the basic judicial training course on cybercrime and electronic "
               "evidence",
               {}, {"LB"}, "online", "2023-07", "2023-09", "range", "July-September"),
      Activity({"Octopus"}, "Second Summit Conference on cybernetic issues", {"Buenos Aires"},
               {"AR"}, "in person", "2023-08-02", "2023-08-03", "day"),
      Activity({"C-PROC"}, "Underground Economy Conference with Team CYMRU", {"Prague"}, {"CZ"},
               "in-person", "2023-09-04", "2023-09-07", "day"),
      Activity({"CyberEast"},
               "Advanced training for investigators with the Academy of the Ministry of Finance",
               {}, {"GE"}, "in person", "2023-09-11", "2023-09-15", "day"),
      Activity({"Octopus", "T-CY"}, "International Symposium on Cybercrime Response", {"Seoul"},
               {"KR"}, "in person", "2023-09-13", "2023-09-15", "day"),
      Activity({"GLACY+", "OCWAR-C", "iPROCEEDS-2"},
               "Regional CSIRT/LEA Inter-agency Co-operation Exercise by GLACY+ and OCWAR-C", {},
               {"MU"}, nullptr, "2023-09-25", "2023-09-29", "day"),
      Activity({"Octopus"}, "Publication of additional resources on the cyberviolence portal", {},
               {}, "online", "2023-09", "2023-09", "month"),
      // Coming next (October – December 2023), fuzzy dates as written.
      Activity({"GLACY+"}, "Desk study on data protection bill", {}, {"MZ"}, "in person", nullptr,
               "2023-10", "by", "by October"),
      Activity({"Octopus project"}, "Advisory mission on legislation", {}, {"SC"}, nullptr,
               "2023-10", nullptr, "tbc", "October TBC"),
      Activity({"GLACY+"}, "Awareness workshop with policy makers on Budapest Convention", {},
               {"BJ"}, "in person", "2023-11", nullptr, "mid"),
      Activity({"GLACY+"}, "Advisory mission on cybercrime legislation", {}, {"MR"}, nullptr,
               "2023-11-29", "2023-12-01", "day", "29 November–1 December"),
      Activity({"C-PROC"}, "Octopus Conference", {"Bucharest"}, {"RO"}, nullptr, "2023-12-13",
               "2023-12-15", "day"),
      Activity({"iPROCEEDS-2"}, "iPROCEEDS-2 Project Closing Meeting", {"Bucharest"}, {"RO"},
               nullptr, "2023-12-14", "2023-12-14", "day"),
      Activity({"Octopus project"}, "Launching event, CYBERKOP action", {"Pristina"}, {"XK"},
               nullptr, nullptr, nullptr, "tbc", "TBC"),
  };
  f.projects = {
      {{"name", "Octopus Project"},
       {"start", "2021-01"},
       {"end", "2027-12"},
       {"scope", "Global"},
       {"budget_amount", 10000000},
       {"budget_currency", "EUR"},
       {"funders",
        {"Canada", "Hungary", "Iceland", "Italy", "Japan", "Netherlands", "United Kingdom", "USA"}},
       {"countries", json::array()}},
      {{"name", "CyberEast"},
       {"start", "2019-06"},
       {"end", "2023-12"},
       {"scope", "Eastern Partnership region"},
       {"budget_amount", 5330000},
       {"budget_currency", "EUR"},
       {"funders", {"European Union", "Council of Europe"}},
       {"countries", {"AM", "AZ", "BY", "GE", "MD", "UA"}}},
      {{"name", "iPROCEEDS-2"},
       {"start", "2020-01"},
       {"end", "2023-12"},
       {"scope", "South-eastern Europe and Turkiye"},
       {"budget_amount", 4945000},
       {"budget_currency", "EUR"},
       {"funders", {"European Union", "Council of Europe"}},
       {"countries", {"AL", "BA", "ME", "MK", "RS", "TR", "XK"}}},
      {{"name", "CyberSouth"},
       {"start", "2017-07"},
       {"end", "2023-12"},
       {"scope", "Southern Neighbourhood region"},
       {"budget_amount", 5005000},
       {"budget_currency", "EUR"},
       {"funders", {"European Union", "Council of Europe"}},
       {"countries", {"DZ", "JO", "LB", "MA", "TN"}}},
      {{"name", "GLACY+"},
       {"start", "2016-03"},
       {"end", "2024-02"},
       {"scope", "Global"},
       {"budget_amount", 18890000},
       {"budget_currency", "EUR"},
       {"funders", {"European Union", "Council of Europe"}},
       {"countries", {"BJ", "BF", "BR", "CV"}}},
  };
  f.news = {
      {{"title",
        "Japan becomes 2nd state to ratify the Second Additional Protocol to the Convention on "
        "Cybercrime"},
       {"date", "2023-08-10"},
       {"place", "Strasbourg, France"},
       {"event_start", nullptr},
       {"event_end", nullptr},
       {"event_place", nullptr},
       {"countries", {"JP"}},
       {"projects", json::array()},
       {"treaties", {"CETS 224"}},
       {"body", "Japan became the second state to ratify the Second Additional Protocol."}},
      {{"title", "Underground Economy Conference 2023"},
       {"date", "2023-09-07"},
       {"place", "Prague, Czech Republic"},
       {"event_start", "2023-09-04"},
       {"event_end", "2023-09-07"},
       {"event_place", "Prague, Czech Republic"},
       {"countries", {"CZ", "US", "FR", "DE", "JP"}},
       {"projects", {"C-PROC"}},
       {"treaties", json::array()},
       {"body", "Around 500 experts from over 80 countries.\n\nA second paragraph."}},
      {{"title", "US makes two voluntary contributions to the Octopus Project"},
       {"date", "2023-09-18"},
       {"event_start", "2023-09-18"},
       {"event_end", "2023-09-28"},
       {"as_written", "18 and 28 September"},
       {"place", "Strasbourg, France"},
       {"countries", {"US"}},
       {"projects", {"Octopus"}},
       {"treaties", json::array()},
       {"body", "USD 508,371.23 and USD 799,110."}},
      {{"title", "The Octopus Conference 2023: Registration is now Open!"},
       {"date", "2023-09-20"},
       {"place", "Strasbourg, France"},
       {"event_start", "2023-12-13"},
       {"event_end", "2023-12-15"},
       {"event_place", "Bucharest, Romania"},
       {"countries", {"RO"}},
       {"projects", {"Octopus"}},
       {"treaties", json::array()},
       {"body", "Registration is open."}},
  };
  f.actions = {
      {{"state", "KI"},
       {"treaty", "ETS 185"},
       {"action", "invitation"},
       {"date", "2023-07-03"},
       {"entry_into_force", nullptr}},
      {{"state", "JP"},
       {"treaty", "CETS 224"},
       {"action", "ratification"},
       {"date", "2023-08-10"},
       {"entry_into_force", nullptr}},
  };
  f.figures = {
      {{"treaty", "ETS 185"}, {"measure", "parties"}, {"count", 68}, {"as_of", "2023-09-30"}},
      {{"treaty", "ETS 185"}, {"measure", "observers"}, {"count", 21}, {"as_of", "2023-09-30"}},
      {{"treaty", "ETS 185"},
       {"measure", "observer_organisations"},
       {"count", 11},
       {"as_of", "2023-09-30"}},
      {{"treaty", "ETS 185"},
       {"measure", "laws_broadly_in_line"},
       {"count", 45},
       {"as_of", "2023-09-30"}},
  };
  return f;
}

/// A string field of a record ("" when absent or not a string).
std::string Str(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<std::string> Strs(const json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end()) return {};
  if (it->is_string()) return {it->get<std::string>()};
  std::vector<std::string> out;
  if (it->is_array()) {
    for (const auto& v : *it) {
      if (v.is_string()) out.push_back(v.get<std::string>());
    }
  }
  return out;
}

/// The claims the fixture's records make, as one document stated on
/// `stated_on` makes them: every record its own entity, except that a project
/// is one entity however many records describe it and an activity or news
/// item names its projects by their entity ids.
kb::KnowledgeBase FromFixture(const Fixture& f, int64_t document = 1,
                              const std::string& stated_on = "2023-09") {
  Claims claims;
  auto project_id = [&](const std::string& name) {
    for (const auto& p : f.projects) {
      if (internal::ProjectKey(Str(p, "name")) == internal::ProjectKey(name)) {
        return Slug(Str(p, "name"));
      }
    }
    return name;  // no project entity has it
  };
  int line = 0;
  auto scalars = [&](kb::Kind kind, const std::string& id, const json& j, const kb::Source& at,
                     std::initializer_list<const char*> fields) {
    for (const char* field : fields) {
      if (!Str(j, field).empty()) claims.Say(kind, id, field, Str(j, field), at);
    }
  };
  for (const auto& p : f.projects) {
    const kb::Source at = Claims::From(document, ++line, stated_on, "projects");
    const std::string id = Slug(Str(p, "name"));
    scalars(kb::Kind::kProject, id, p, at, {"name", "start", "end", "scope", "budget_currency"});
    if (p.contains("budget_amount") && p["budget_amount"].is_number()) {
      claims.Say(kb::Kind::kProject, id, "budget_amount",
                 std::to_string(p["budget_amount"].get<int64_t>()), at);
    }
    for (const auto& funder : Strs(p, "funders")) {
      claims.Say(kb::Kind::kOrganisation, Slug(funder), "name", funder, at);
      claims.Say(kb::Kind::kProject, id, "funders", Slug(funder), at);
    }
    for (const auto& c : Strs(p, "countries")) claims.Say(kb::Kind::kProject, id, "countries", c, at);
    for (const auto& m : Strs(p, "projects")) {
      claims.Say(kb::Kind::kProject, id, "members", project_id(m), at);
    }
  }
  for (const auto& n : f.news) {
    const kb::Source at = Claims::From(document, ++line, stated_on, Str(n, "section"));
    const std::string id = "news-" + std::to_string(document) + "-" + std::to_string(line);
    scalars(kb::Kind::kNewsItem, id, n, at,
            {"title", "date", "place", "event_start", "event_end", "event_place", "body",
             "as_written"});
    for (const auto& c : Strs(n, "countries")) claims.Say(kb::Kind::kNewsItem, id, "countries", c, at);
    for (const auto& t : Strs(n, "treaties")) claims.Say(kb::Kind::kNewsItem, id, "treaties", t, at);
    for (const auto& p : Strs(n, "projects")) {
      claims.Say(kb::Kind::kNewsItem, id, "projects", project_id(p), at);
    }
  }
  line += static_cast<int>(f.actions.size() + f.figures.size());
  for (const auto& a : f.activities) {
    const kb::Source at = Claims::From(document, ++line, stated_on, Str(a, "section"));
    const std::string id = "activity-" + std::to_string(document) + "-" + std::to_string(line);
    scalars(kb::Kind::kActivity, id, a, at,
            {"title", "mode", "start", "end", "precision", "as_written", "status"});
    for (const auto& p : Strs(a, "places")) claims.Say(kb::Kind::kActivity, id, "places", p, at);
    for (const auto& c : Strs(a, "countries")) claims.Say(kb::Kind::kActivity, id, "countries", c, at);
    for (const auto& p : Strs(a, "projects")) {
      claims.Say(kb::Kind::kActivity, id, "projects", project_id(p), at);
    }
  }
  return claims.Derived();
}

class UpdateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::OpenStore((dir_.path() / "update.db").string());
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
    auto r = service::Registry::Open(*store_, OCTOPUS_TEST_DATA_DIR);
    ASSERT_TRUE(r.ok()) << r.status().message();
    registry_ = std::move(*r);
  }

  // Stores the fixture as the ingest would (one document, its records, and the
  // treaty evidence derived from its treaty actions) and makes the knowledge
  // base of its claims.
  void Load(const Fixture& f) {
    knowledge_ = FromFixture(f);
    std::vector<store::RecordRow> rows;
    int line = 0;
    auto add = [&](const char* kind, const std::vector<json>& items) {
      for (const auto& j : items) rows.push_back({0, 0, kind, ++line, j.dump()});
    };
    add("project", f.projects);
    add("news_item", f.news);
    add("treaty_action", f.actions);
    add("treaty_figure", f.figures);
    add("activity", f.activities);
    domain::TreatyBatch derived;
    derived.kind = "document";
    for (const auto& a : f.actions) {
      domain::Evidence e;
      e.treaty = a["treaty"];
      e.state = a["state"];
      e.action = *domain::ParseActionKind(a["action"].get<std::string>());
      e.lo = e.hi = D(a["date"].get<std::string>().c_str());
      e.source = {"seeds/003.txt", 1, "fixture"};
      derived.evidence.push_back(e);
    }
    store::SourceInfo src;
    src.kind = "document";
    src.origin = "seeds/003_4b1784b32edbbd16.txt";
    src.sha256 = "fixture-" + std::to_string(++loads_);
    store::DocumentRow doc;
    doc.path = src.origin;
    doc.format = "text";
    doc.shape = "newsletter";
    doc.period_start = "2023-07";
    doc.period_end = "2023-09";
    doc.report_json = "{}";
    auto added = store_->AddDocument(src, doc, rows, derived);
    ASSERT_TRUE(added.ok()) << added.status().message();
  }

  UpdateIssue Build(const char* quarter, const ComposeOptions& options = {}) {
    auto issue = BuildIssue(*registry_, knowledge_, *Quarter::Parse(quarter), options);
    EXPECT_TRUE(issue.ok()) << issue.status().message();
    return issue.ok() ? std::move(*issue) : UpdateIssue{};
  }

  TempDir dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<service::Registry> registry_;
  kb::KnowledgeBase knowledge_;
  int loads_ = 0;
};

/// Titles of the fixture activities that overlap [from, to] (or, for undated
/// ones, none).
std::multiset<std::string> TitlesBetween(const Fixture& f, const char* from, const char* to) {
  std::multiset<std::string> out;
  for (const auto& j : f.activities) {
    const json& s = j["start"].is_null() ? j["end"] : j["start"];
    const json& e = j["end"].is_null() ? j["start"] : j["end"];
    if (s.is_null()) continue;
    auto lo = internal::IsoDate::Parse(s.get<std::string>());
    auto hi = internal::IsoDate::Parse(e.get<std::string>());
    if (lo->lo <= D(to) && hi->hi >= D(from)) out.insert(j["title"].get<std::string>());
  }
  return out;
}

/// The elements of a list, in no order: a set field's values from one
/// statement are ordered by the knowledge base, not as the source wrote them.
std::multiset<std::string> Bag(const std::vector<std::string>& v) { return {v.begin(), v.end()}; }

std::multiset<std::string> Titles(const std::vector<MonthGroup>& groups) {
  std::multiset<std::string> out;
  for (const auto& g : groups) {
    for (const auto& a : g.activities) out.insert(a.title);
  }
  return out;
}

// ---------------------------------------------------------------- structure

TEST(QuarterTest, ParsesNamesAndBoundsQuarters) {
  auto q = Quarter::Parse("2023Q3");
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->first(), D("2023-07-01"));
  EXPECT_EQ(q->last(), D("2023-09-30"));
  EXPECT_EQ(q->Label(), "July – September 2023");
  EXPECT_EQ(q->Next(), (Quarter{2023, 4}));
  EXPECT_EQ(q->Next().Next(), (Quarter{2024, 1}));
  EXPECT_EQ(Quarter::Parse("2024-q1")->last(), D("2024-03-31"));
  EXPECT_EQ(Quarter::Of(D("2023-12-31")).ToString(), "2023Q4");
  for (const char* bad : {"", "2023", "2023Q5", "2023Q0", "23Q3", "2023Q3x", "Q3 2023"}) {
    EXPECT_FALSE(Quarter::Parse(bad).ok()) << bad;
  }
}

TEST(QuarterTest, IssuePathsNameAQuarterAndAFormat) {
  auto plain = ParseIssuePath("2023Q3");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->quarter, (Quarter{2023, 3}));
  EXPECT_EQ(plain->format, Format::kHtml);
  EXPECT_EQ(ParseIssuePath("2023Q3.pdf")->format, Format::kPdf);
  EXPECT_EQ(ParseIssuePath("2024Q1.md")->quarter, (Quarter{2024, 1}));
  EXPECT_EQ(ParseIssuePath("2023Q3.txt")->format, Format::kText);
  EXPECT_EQ(ContentType(ParseIssuePath("2023Q3.json")->format), "application/json");
  for (const char* bad : {"", ".pdf", "2023Q3.docx", "2023Q3.pdf.pdf", "../2023Q3"}) {
    EXPECT_FALSE(ParseIssuePath(bad).ok()) << bad;
  }
}

TEST(RecordsTest, ProjectKeysMatchTheNamesSourcesUse) {
  using internal::ProjectKey;
  EXPECT_EQ(ProjectKey("Octopus Project"), ProjectKey("Octopus project"));
  EXPECT_EQ(ProjectKey("Octopus"), ProjectKey("Octopus project"));
  EXPECT_EQ(ProjectKey("iPROCEEDS-2"), ProjectKey("i-PROCEEDS-2"));
  EXPECT_NE(ProjectKey("GLACY+"), ProjectKey("GLACY"));
  EXPECT_NE(ProjectKey("GLACY+"), ProjectKey("GLACY-e"));
}

TEST(RecordsTest, ReadsTheTreatyRecordsAndSkipsWhatItCannotRead) {
  const std::vector<store::RecordRow> rows = {
      {1, 1, "activity", 1, R"({"title":"T","start":"2023-10"})"},
      {2, 1, "treaty_action", 2,
       R"({"state":"KI","treaty":"ETS 185","action":"Invitation","date":"2023-07-03"})"},
      {3, 1, "treaty_action", 3, "not json"},
      {4, 1, "treaty_figure", 4,
       R"({"treaty":"ETS 185","measure":"Parties","count":"68","as_of":"2023-09-30"})"},
      {5, 1, "treaty_figure", 5, R"({"treaty":"ETS 185","measure":"parties","count":"many"})"},
      {6, 1, "link", 6, R"({"url":"#"})"},
  };
  const internal::TreatyRecords set = internal::ReadTreatyRecords(rows);
  ASSERT_EQ(set.actions.size(), 1u);
  EXPECT_EQ(set.actions[0].action, "invitation");
  EXPECT_EQ(set.actions[0].date->lo, D("2023-07-03"));
  ASSERT_EQ(set.figures.size(), 1u);
  EXPECT_EQ(set.figures[0].measure, "parties");
  EXPECT_EQ(set.figures[0].count, 68);
  EXPECT_EQ(set.skipped, 2);  // the unreadable action and the figure without a count
}

TEST(RecordsTest, AmountsAndModesAreReadInTheFormsSourcesWriteThem) {
  EXPECT_EQ(internal::ParseAmount("4.945 million"), 4945000.0);
  EXPECT_EQ(internal::ParseAmount("10,000,000"), 10000000.0);
  EXPECT_EQ(internal::ParseAmount("508371.23"), 508371.23);
  EXPECT_FALSE(internal::ParseAmount("about ten").has_value());
  EXPECT_FALSE(internal::ParseAmount("").has_value());
  EXPECT_EQ(internal::NormaliseMode("In-Person"), "in person");
  EXPECT_EQ(internal::NormaliseMode("in_person"), "in person");
  EXPECT_EQ(internal::NormaliseMode("Online"), "online");
  EXPECT_EQ(internal::NormaliseMode("by video"), "");
}

TEST_F(UpdateTest, EveryActivityOfTheQuarterIsInItsMonthOfTheInventory) {
  const Fixture f = Seed003();
  Load(f);
  const UpdateIssue issue = Build("2023Q3");
  EXPECT_EQ(Titles(issue.inventory), TitlesBetween(f, "2023-07-01", "2023-09-30"));
  EXPECT_EQ(issue.ActivityCount(), 13u);
  ASSERT_EQ(issue.inventory.size(), 3u);
  EXPECT_EQ(issue.inventory[0].label, "July 2023");
  EXPECT_EQ(issue.inventory[1].label, "August 2023");
  EXPECT_EQ(issue.inventory[2].label, "September 2023");
  // A span starting in July is listed in July, day-precise dates before fuzzy ones.
  std::vector<std::string> july;
  for (const auto& a : issue.inventory[0].activities) july.push_back(a.when);
  EXPECT_EQ(july,
            (std::vector<std::string>{"3–5 July", "5–6 July", "17 July – 25 August", "26–27 July",
                                      "26–28 July", "July-September", "by 30 July"}));
  const ActivityEntry& seoul = issue.inventory[2].activities[2];
  EXPECT_EQ(seoul.title, "International Symposium on Cybercrime Response");
  // A project entity by its name; a name no project entity has, as given.
  EXPECT_EQ(Bag(seoul.projects), (std::multiset<std::string>{"Octopus Project", "T-CY"}));
  EXPECT_EQ(seoul.url, "/activities/" + seoul.id);
  EXPECT_EQ(seoul.places, (std::vector<std::string>{"Seoul"}));
  EXPECT_EQ(seoul.mode, "in person");
  EXPECT_EQ(seoul.start, D("2023-09-13"));
  EXPECT_EQ(seoul.end, D("2023-09-15"));
  // "in-person" is read as "in person"; an unknown mode stays unknown.
  EXPECT_EQ(issue.inventory[2].activities[0].mode, "in person");
  EXPECT_EQ(issue.inventory[2].activities.back().when, "September");
}

TEST_F(UpdateTest, EachProjectSectionHasItsBasicsStoriesAndActivities) {
  const Fixture f = Seed003();
  Load(f);
  const UpdateIssue issue = Build("2023Q3");
  ASSERT_EQ(issue.projects.size(), 5u);
  std::map<std::string, const ProjectEntry*> by_name;
  for (const auto& p : issue.projects) by_name[p.name] = &p;
  for (const auto& j : f.projects) {
    const std::string name = j["name"];
    ASSERT_TRUE(by_name.count(name)) << name;
    const ProjectEntry& p = *by_name[name];
    EXPECT_EQ(p.budget_amount, j["budget_amount"].get<double>()) << name;
    EXPECT_EQ(p.budget_currency, "EUR");
    EXPECT_EQ(Bag(p.funders), Bag(j["funders"].get<std::vector<std::string>>())) << name;
  }
  const ProjectEntry& octopus = *by_name["Octopus Project"];
  EXPECT_EQ(octopus.budget, "EUR 10 million");
  EXPECT_EQ(octopus.duration, "January 2021 – December 2027");
  EXPECT_EQ(by_name["iPROCEEDS-2"]->budget, "EUR 4.945 million");
  EXPECT_EQ(by_name["CyberEast"]->countries,
            (std::vector<std::string>{"Armenia", "Azerbaijan", "Belarus", "Georgia", "Moldova",
                                      "Ukraine"}));
  // Activities recorded under "Octopus" and "Octopus project" belong to "Octopus Project".
  std::multiset<std::string> octopus_titles;
  for (const auto& a : octopus.activities) octopus_titles.insert(a.title);
  EXPECT_EQ(
      octopus_titles,
      (std::multiset<std::string>{
          "Regional Caribbean Workshop in promoting the universality of the Budapest Convention",
          "East Africa Legislative Summit on the Budapest Convention",
          "Second Summit Conference on cybernetic issues",
          "International Symposium on Cybercrime Response",
          "Publication of additional resources on the cyberviolence portal"}));
  ASSERT_EQ(octopus.stories.size(), 2u);
  EXPECT_EQ(octopus.stories[0].title,
            "US makes two voluntary contributions to the Octopus Project");
  EXPECT_EQ(by_name["GLACY+"]->activities.size(), 4u);
  EXPECT_EQ(by_name["iPROCEEDS-2"]->activities.size(), 2u);
  // The inventory of projects lists the same five with their basics.
  ASSERT_EQ(issue.project_inventory.size(), 5u);
  EXPECT_EQ(issue.project_inventory[4].name, "GLACY+");
  EXPECT_EQ(issue.project_inventory[4].budget, "EUR 18.89 million");
  EXPECT_TRUE(issue.project_inventory[4].activities.empty());
}

TEST_F(UpdateTest, TreatyFiguresAreTheEnginesOnTheQuartersLastDay) {
  Load(Seed003());
  const UpdateIssue issue = Build("2023Q3");
  ASSERT_GE(issue.treaties.size(), 2u);
  const TreatyFigures& bc = issue.treaties[0];
  EXPECT_EQ(bc.ref, "ETS 185");
  EXPECT_EQ(bc.as_of, D("2023-09-30"));
  EXPECT_EQ(bc.opened, D("2001-11-23"));
  auto analysis = registry_->Analyse("ETS 185");
  ASSERT_TRUE(analysis.ok());
  EXPECT_EQ(bc.parties, analysis->Consents(D("2023-09-30")));
  EXPECT_GT(bc.parties.min, 40);
  // Kiribati, invited on 3 July 2023, counts among the invited on 30 September.
  EXPECT_EQ(analysis->StatusOf("KI", D("2023-09-30")).kind, treaty::StatusKind::kInvited);
  EXPECT_GE(bc.invited.min, 1);
  const UpdateIssue before = Build("2023Q2");
  EXPECT_EQ(before.treaties[0].invited.max + 1, bc.invited.max);
  // Observers are stated, not computed.
  EXPECT_EQ(bc.observers, 21);
  EXPECT_EQ(bc.observer_organisations, 11);
  // The source's "68 Parties" is kept beside the engine's count.
  ASSERT_FALSE(bc.stated.empty());
  EXPECT_EQ(bc.stated[0].measure, "parties");
  EXPECT_EQ(bc.stated[0].count, 68);
  EXPECT_EQ(bc.stated[0].engine_value, bc.parties.ToString());
  // The Second Protocol is there because Japan ratified it this quarter.
  EXPECT_EQ(issue.treaties[1].ref, "CETS 224");
  EXPECT_EQ(issue.treaties[1].parties, registry_->Analyse("CETS 224")->Consents(D("2023-09-30")));
  // Totals add up what the engine counted.
  ASSERT_EQ(issue.treaty_totals.size(), 6u);
  EXPECT_EQ(issue.treaty_totals[4].label, "Observer States");
  EXPECT_EQ(issue.treaty_totals[5].label, "Laws broadly in line (as stated)");
  EXPECT_EQ(issue.treaty_totals[5].value, "45");
  // The Parties total is the best-supported figure: the source's 68 of 30
  // September, beside the count the registry names.
  EXPECT_EQ(bc.headline, "68");
  EXPECT_EQ(bc.headline_basis, "stated");
  EXPECT_EQ(bc.headline_sentence, "68 — stated in a document on record on 30 September 2023; " +
                                      std::to_string(bc.parties.min) + " named on record");
  EXPECT_EQ(issue.treaty_totals[0].value, bc.headline);
  EXPECT_EQ(issue.treaty_totals[3].value,
            (treaty::Range{bc.parties.min + bc.signatories.min + bc.invited.min,
                           bc.parties.max + bc.signatories.max + bc.invited.max, bc.parties.open})
                .ToString());
  // Every treaty of the registry has its headline with its basis.
  ASSERT_EQ(issue.treaties.size(), registry_->catalog().all().size());
  for (const auto& t : issue.treaties) {
    EXPECT_FALSE(t.headline.empty()) << t.ref;
    EXPECT_FALSE(t.headline_basis.empty()) << t.ref;
    EXPECT_EQ(t.headline_sentence.rfind(t.headline + " — ", 0), 0u) << t.ref << ": " << t.headline_sentence;
  }
  // Where the parties are "at least", so are the other counts.
  EXPECT_EQ(bc.signatories.open, bc.parties.open);
  EXPECT_EQ(bc.invited.open, bc.parties.open);
}

TEST_F(UpdateTest, HighlightsAreTheTreatyActionsAndLargestEventsUnlessEditorsGiveThem) {
  Load(Seed003());
  const UpdateIssue issue = Build("2023Q3");
  ASSERT_GE(issue.highlights.size(), 4u);
  EXPECT_EQ(issue.highlights[0].kind, "treaty_action");
  EXPECT_EQ(issue.highlights[0].text,
            "Kiribati invited to accede to the Budapest Convention (3 July 2023)");
  EXPECT_EQ(issue.highlights[1].kind, "treaty_action");
  EXPECT_NE(issue.highlights[1].text.find("Japan ratifies"), std::string::npos);
  // The event with most countries comes first.
  EXPECT_EQ(issue.highlights[2].kind, "event");
  EXPECT_EQ(issue.highlights[2].text, "Underground Economy Conference 2023");

  ComposeOptions options;
  options.highlights = {"Octopus Conference 2023", "  ", "Kiribati invited"};
  const UpdateIssue edited = Build("2023Q3", options);
  ASSERT_EQ(edited.highlights.size(), 2u);
  EXPECT_EQ(edited.highlights[0].text, "Octopus Conference 2023");
  EXPECT_EQ(edited.highlights[1].kind, "editor");
}

TEST_F(UpdateTest, ComingNextKeepsFuzzyDatesAsWrittenAndSaveTheDateAnnouncesEvents) {
  const Fixture f = Seed003();
  Load(f);
  const UpdateIssue issue = Build("2023Q3");
  std::map<std::string, std::string> when;
  for (const auto& g : issue.coming_next) {
    for (const auto& a : g.activities) when[a.title] = g.label + ": " + a.when;
  }
  EXPECT_EQ(when["Desk study on data protection bill"], "October 2023: by October");
  EXPECT_EQ(when["Advisory mission on legislation"], "October 2023: October TBC");
  EXPECT_EQ(when["Awareness workshop with policy makers on Budapest Convention"],
            "November 2023: mid-November");
  EXPECT_EQ(when["Advisory mission on cybercrime legislation"],
            "November 2023: 29 November–1 December");
  EXPECT_EQ(when["Octopus Conference"], "December 2023: 13–15 December");
  // Undated, announced by the issue of this quarter: listed without a month.
  EXPECT_EQ(when["Launching event, CYBERKOP action"], "Date to be confirmed: TBC");
  EXPECT_EQ(issue.coming_next.back().label, "Date to be confirmed");
  EXPECT_EQ(when.size(), 7u);

  // The conference the news announced is listed once, under the activity's title.
  ASSERT_EQ(issue.save_the_date.size(), 2u);
  EXPECT_EQ(issue.save_the_date[0].title, "Octopus Conference");
  EXPECT_EQ(issue.save_the_date[0].when, "13–15 December 2023");
  EXPECT_EQ(issue.save_the_date[0].place, "Bucharest, Romania");
  EXPECT_EQ(issue.save_the_date[1].title, "iPROCEEDS-2 Project Closing Meeting");
  EXPECT_EQ(issue.save_the_date[1].when, "14 December 2023");

  // The next quarter's issue lists the same activities in its inventory.
  const UpdateIssue q4 = Build("2023Q4");
  EXPECT_EQ(Titles(q4.inventory), TitlesBetween(f, "2023-10-01", "2023-12-31"));
}

TEST_F(UpdateTest, NewsGoesToTheTreatyProjectOrGeneralSection) {
  Load(Seed003());
  const UpdateIssue issue = Build("2023Q3");
  ASSERT_EQ(issue.treaty_news.size(), 1u);
  EXPECT_EQ(issue.treaty_news[0].dateline, "Strasbourg, France, 10 August");
  ASSERT_EQ(issue.other_news.size(), 1u);
  EXPECT_EQ(issue.other_news[0].title, "Underground Economy Conference 2023");
  EXPECT_EQ(issue.other_news[0].dateline, "Prague, Czech Republic, 4–7 September");
  EXPECT_TRUE(issue.joint_news.empty());
  // Two days are not a span: the date stays as the source wrote it.
  EXPECT_EQ(issue.projects[0].stories[0].dateline, "Strasbourg, France, 18 and 28 September");
}

// ---------------------------------------------------------------- entities

TEST_F(UpdateTest, AnActivityAnnouncedSavedTheDateAndReportedIsListedOnceInEachIssue) {
  using kb::Kind;
  Claims c;
  const kb::Source project = Claims::From(1, 2, "2023-09", "projects");
  c.Say(Kind::kProject, "cybereast", "name", "CyberEast", project);
  c.Say(Kind::kProject, "cybereast", "start", "2019-06", project);
  c.Say(Kind::kProject, "cybereast", "end", "2024-06", project);
  // The September issue plans it and saves its date; the December issue reports it held.
  const std::string id = "a1";
  for (const auto& [at, title, status] :
       {std::tuple{Claims::From(1, 30, "2023-09", "coming_next"),
                   "Regional meeting on electronic evidence", "planned"},
        std::tuple{Claims::From(1, 4, "2023-09", "save_the_date"),
                   "Regional Meeting on e-Evidence 2023", ""},
        std::tuple{Claims::From(2, 12, "2023-12", "inventory"),
                   "Regional meeting on electronic evidence", "held"}}) {
    // The first wording is its title, another one an "also_titled" claim.
    c.Say(Kind::kActivity, id, at.section == "save_the_date" ? "title" : "also_titled", title, at);
    c.Say(Kind::kActivity, id, "start", "2023-11-20", at);
    c.Say(Kind::kActivity, id, "end", "2023-11-21", at);
    c.Say(Kind::kActivity, id, "places", "Tbilisi", at);
    c.Say(Kind::kActivity, id, "countries", "GE", at);
    if (at.section != "save_the_date") c.Say(Kind::kActivity, id, "projects", "cybereast", at);
    if (*status) c.Say(Kind::kActivity, id, "status", status, at);
  }
  knowledge_ = c.Derived();

  const UpdateIssue q3 = Build("2023Q3");
  ASSERT_EQ(q3.coming_next.size(), 1u);
  ASSERT_EQ(q3.coming_next[0].activities.size(), 1u);
  EXPECT_EQ(q3.coming_next[0].activities[0].id, id);
  EXPECT_EQ(q3.coming_next[0].activities[0].projects, (std::vector<std::string>{"CyberEast"}));
  EXPECT_EQ(q3.coming_next[0].activities[0].where, "Tbilisi, Georgia");
  EXPECT_EQ(q3.ActivityCount(), 0u);
  // The save-the-date list announces it under the title it gives.
  ASSERT_EQ(q3.save_the_date.size(), 1u);
  EXPECT_EQ(q3.save_the_date[0].title, "Regional Meeting on e-Evidence 2023");
  EXPECT_EQ(q3.save_the_date[0].when, "20–21 November 2023");

  const UpdateIssue q4 = Build("2023Q4");
  ASSERT_EQ(q4.ActivityCount(), 1u);
  const ActivityEntry& held = q4.inventory[0].activities[0];
  EXPECT_EQ(held.id, id);
  EXPECT_EQ(held.title, "Regional meeting on electronic evidence");
  EXPECT_EQ(held.status, "");  // held as planned: nothing to say
  ASSERT_EQ(q4.projects.size(), 1u);
  EXPECT_EQ(q4.projects[0].activities.size(), 1u);
  EXPECT_TRUE(q4.coming_next.empty());
  EXPECT_EQ(q4.activity_totals[0].value, "1");
}

TEST_F(UpdateTest, AnActivityReportedPostponedSaysSoWhereItIsListed) {
  using kb::Kind;
  Claims c;
  for (const auto& [at, status] : {std::pair{Claims::From(1, 8, "2023-09", "coming_next"), "planned"},
                                   std::pair{Claims::From(2, 9, "2023-12", "inventory"), "postponed"}}) {
    c.Say(Kind::kActivity, "a2", "title", "Workshop on cybercrime statistics", at);
    c.Say(Kind::kActivity, "a2", "start", "2023-10-10", at);
    c.Say(Kind::kActivity, "a2", "end", "2023-10-10", at);
    c.Say(Kind::kActivity, "a2", "status", status, at);
  }
  knowledge_ = c.Derived();
  const UpdateIssue q4 = Build("2023Q4");
  ASSERT_EQ(q4.ActivityCount(), 1u);
  EXPECT_EQ(q4.inventory[0].activities[0].status, "postponed");
  EXPECT_NE(RenderText(q4).find("Workshop on cybercrime statistics, 10 October, postponed"),
            std::string::npos);
  EXPECT_EQ(ToJson(q4)["inventory"][0]["activities"][0]["status"], "postponed");
}

TEST_F(UpdateTest, SourcesThatDisagreeOnTheDatesGiveTheSpanContainingEveryDate) {
  using kb::Kind;
  Claims c;
  const kb::Source one = Claims::From(1, 5, "2023-09", "inventory");
  const kb::Source other = Claims::From(2, 7, "2023-09", "inventory");
  c.Say(Kind::kActivity, "a3", "title", "Training of trainers", one);
  c.Say(Kind::kActivity, "a3", "start", "2023-09-04", one);
  c.Say(Kind::kActivity, "a3", "end", "2023-09-06", one);
  c.Say(Kind::kActivity, "a3", "start", "2023-09-05", other);
  c.Say(Kind::kActivity, "a3", "end", "2023-09-08", other);
  knowledge_ = c.Derived();
  ASSERT_TRUE(knowledge_.Find("a3")->field("start")->conflict);
  const UpdateIssue q3 = Build("2023Q3");
  ASSERT_EQ(q3.ActivityCount(), 1u);
  EXPECT_EQ(q3.inventory[0].activities[0].start, D("2023-09-04"));
  EXPECT_EQ(q3.inventory[0].activities[0].end, D("2023-09-08"));
}

/// A project described by a September and a December document, with a
/// contribution of October.
kb::KnowledgeBase RevisedProject(const std::string& december_budget, const char* december) {
  using kb::Kind;
  Claims c;
  const kb::Source sep = Claims::From(1, 3, "2023-09", "projects");
  const kb::Source dec = Claims::From(2, 3, december, "projects");
  c.Say(Kind::kOrganisation, "japan", "name", "Japan", sep);
  c.Say(Kind::kOrganisation, "united-states", "name", "United States", dec);
  for (const kb::Source& at : {sep, dec}) {
    c.Say(Kind::kProject, "octopus", "name", "Octopus Project", at);
    c.Say(Kind::kProject, "octopus", "start", "2021-01", at);
    c.Say(Kind::kProject, "octopus", "end", "2027-12", at);
    c.Say(Kind::kProject, "octopus", "budget_currency", "EUR", at);
  }
  c.Say(Kind::kProject, "octopus", "budget_amount", "10000000", sep);
  c.Say(Kind::kProject, "octopus", "budget_amount", december_budget, dec);
  c.Say(Kind::kProject, "octopus", "funders", "japan", sep);
  c.Say(Kind::kProject, "octopus", "funders", "united-states", dec);
  const kb::Source news = Claims::From(3, 1, "2023-10-18", "");
  c.Say(Kind::kContribution, "c1", "donor", "united-states", news);
  c.Say(Kind::kContribution, "c1", "project", "octopus", news);
  c.Say(Kind::kContribution, "c1", "amount", "508371.23", news);
  c.Say(Kind::kContribution, "c1", "currency", "USD", news);
  c.Say(Kind::kContribution, "c1", "date", "2023-10-18", news);
  return c.Derived();
}

TEST_F(UpdateTest, AProjectDescribedTwiceIsOneSectionWithTheBudgetStatedByTheQuarterAndItsContributions) {
  knowledge_ = RevisedProject("11500000", "2023-12");
  const UpdateIssue q4 = Build("2023Q4");
  ASSERT_EQ(q4.projects.size(), 1u);
  const ProjectEntry& p = q4.projects[0];
  EXPECT_EQ(p.id, "octopus");
  EXPECT_EQ(p.url, "/projects/octopus");
  EXPECT_EQ(p.budget, "EUR 11.5 million");
  EXPECT_EQ(Bag(p.funders), (std::multiset<std::string>{"Japan", "United States"}));
  ASSERT_EQ(p.contributions.size(), 1u);
  EXPECT_EQ(p.contributions[0].donor, "United States");
  EXPECT_EQ(p.contributions[0].amount, 508371.23);
  EXPECT_EQ(p.contributions[0].text, "United States: USD 508,371.23 (18 October 2023)");
  EXPECT_NE(RenderMarkdown(q4).find("**Contributions:** United States: USD 508,371.23 (18 October 2023)"),
            std::string::npos);
  ASSERT_EQ(q4.project_inventory.size(), 1u);
  // The September issue, composed now, shows the budget as it stood then, and
  // no contribution made after it.
  const UpdateIssue q3 = Build("2023Q3");
  ASSERT_EQ(q3.projects.size(), 1u);
  EXPECT_EQ(q3.projects[0].budget, "EUR 10 million");
  EXPECT_EQ(q3.projects[0].budget_amount, 10000000.0);
  EXPECT_TRUE(q3.projects[0].contributions.empty());
}

TEST_F(UpdateTest, SameDaySourcesThatContradictEachOtherOnABudgetAreBothShown) {
  knowledge_ = RevisedProject("5500000", "2023-09");
  ASSERT_TRUE(knowledge_.Find("octopus")->field("budget_amount")->conflict);
  const UpdateIssue q3 = Build("2023Q3");
  ASSERT_EQ(q3.projects.size(), 1u);
  EXPECT_FALSE(q3.projects[0].budget_amount.has_value());
  EXPECT_EQ(q3.projects[0].budget, "EUR 10 million or EUR 5.5 million (sources differ)");
}

TEST_F(UpdateTest, ActivitiesListAProjectByItsAcronymAndCountUnderIt) {
  using kb::Kind;
  Claims c;
  const kb::Source at = Claims::From(1, 2, "2023-09", "inventory");
  c.Say(Kind::kProject, "glacy-plus", "name", "Global Action on Cybercrime Extended", at);
  c.Say(Kind::kProject, "glacy-plus", "acronym", "GLACY+", at);
  c.Say(Kind::kProject, "glacy-plus", "start", "2016-03", at);
  c.Say(Kind::kProject, "glacy-plus", "end", "2024-02", at);
  for (const char* id : {"a4", "a5"}) {
    c.Say(Kind::kActivity, id, "title", std::string("Advisory mission ") + id, at);
    c.Say(Kind::kActivity, id, "start", "2023-08-01", at);
    c.Say(Kind::kActivity, id, "projects", "glacy-plus", at);
  }
  knowledge_ = c.Derived();
  const UpdateIssue q3 = Build("2023Q3");
  ASSERT_EQ(q3.projects.size(), 1u);
  EXPECT_EQ(q3.projects[0].name, "GLACY+");
  EXPECT_EQ(ProjectTitle(q3.projects[0]), "Update: GLACY+");
  EXPECT_EQ(q3.inventory[0].activities[0].projects, (std::vector<std::string>{"GLACY+"}));
  bool counted = false;
  for (const auto& row : q3.activity_totals) counted = counted || (row.label == "GLACY+" && row.value == "2");
  EXPECT_TRUE(counted);
}

// ---------------------------------------------------------------- formats

/// The Markdown's sections: "## title" → the lines under it (up to the next "## ").
std::map<std::string, std::vector<std::string>> MarkdownSections(const std::string& md) {
  std::map<std::string, std::vector<std::string>> out;
  std::string current;
  std::istringstream in(md);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("## ", 0) == 0) {
      current = line.substr(3);
      out[current];
    } else if (!current.empty()) {
      out[current].push_back(line);
    }
  }
  return out;
}

std::string UnescapeMd(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) ++i;
    out.push_back(s[i]);
  }
  return out;
}

/// Titles of the activities in a Markdown list: "- **PROJECTS** \| Title, …".
std::multiset<std::string> MarkdownActivityTitles(const std::vector<std::string>& lines,
                                                  const std::multiset<std::string>& known) {
  std::multiset<std::string> out;
  for (const auto& line : lines) {
    if (line.rfind("- ", 0) != 0) continue;
    const size_t bar = line.find(" \\| ");
    const std::string text =
        UnescapeMd(bar == std::string::npos ? line.substr(2) : line.substr(bar + 4));
    // The longest known title the line starts with.
    std::string best;
    for (const auto& t : known) {
      if (text.rfind(t + ",", 0) == 0 && t.size() > best.size()) best = t;
    }
    out.insert(best.empty() ? text : best);
  }
  return out;
}

TEST_F(UpdateTest, MarkdownReadsBackToTheSameActivitiesProjectsAndFigures) {
  const Fixture f = Seed003();
  Load(f);
  const UpdateIssue issue = Build("2023Q3");
  const std::string md = RenderMarkdown(issue);
  const auto sections = MarkdownSections(md);
  const std::multiset<std::string> expected = TitlesBetween(f, "2023-07-01", "2023-09-30");
  ASSERT_TRUE(sections.count(InventoryTitle(issue))) << md;
  EXPECT_EQ(MarkdownActivityTitles(sections.at(InventoryTitle(issue)), expected), expected);
  for (const auto& p : issue.projects) {
    ASSERT_TRUE(sections.count(UnescapeMd(ProjectTitle(p))) || sections.count(ProjectTitle(p)))
        << p.name;
  }
  const auto& inventory = sections.at(std::string(kProjectInventoryTitle));
  std::map<std::string, std::string> budget_of, funding_of;
  std::string project;
  for (const auto& line : inventory) {
    if (line.rfind("### ", 0) == 0) project = UnescapeMd(line.substr(4));
    if (line.rfind("- **Budget:** ", 0) == 0) budget_of[project] = UnescapeMd(line.substr(14));
    if (line.rfind("- **Funding:** ", 0) == 0) funding_of[project] = UnescapeMd(line.substr(15));
  }
  EXPECT_EQ(budget_of.size(), 5u);
  EXPECT_EQ(budget_of["CyberSouth"], "EUR 5.005 million");
  EXPECT_EQ(funding_of["Octopus Project"],
            "Canada, Hungary, Iceland, Italy, Japan, Netherlands, United Kingdom, USA");
  const auto& figures = sections.at(UnescapeMd(TreatyFiguresTitle(issue)));
  const std::string parties_line =
      "- **Parties as of 30 September 2023:** " + issue.treaties[0].headline_sentence;
  EXPECT_NE(std::find(figures.begin(), figures.end(), parties_line), figures.end()) << md;
  const std::string named_line =
      "- **Parties named on record as of 30 September 2023:** " + issue.treaties[0].parties.ToString();
  EXPECT_NE(std::find(figures.begin(), figures.end(), named_line), figures.end()) << md;
}

/// Text content of a gumbo node.
void AppendText(const GumboNode* node, std::string& out) {
  if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE) {
    out += node->v.text.text;
    return;
  }
  if (node->type != GUMBO_NODE_ELEMENT) return;
  const GumboVector& children = node->v.element.children;
  for (unsigned i = 0; i < children.length; ++i) {
    AppendText(static_cast<const GumboNode*>(children.data[i]), out);
  }
}

void Collect(const GumboNode* node, GumboTag tag, std::vector<const GumboNode*>& out) {
  if (node->type != GUMBO_NODE_ELEMENT) return;
  if (node->v.element.tag == tag) out.push_back(node);
  const GumboVector& children = node->v.element.children;
  for (unsigned i = 0; i < children.length; ++i) {
    Collect(static_cast<const GumboNode*>(children.data[i]), tag, out);
  }
}

/// The HTML parsed with gumbo: its parse errors and, per section (a table
/// cell opened by an <h2>), the text of its list items.
struct ParsedHtml {
  unsigned errors = 0;
  std::map<std::string, std::vector<std::string>> items;
  std::vector<std::string> headings;
  bool has_script = false;
};

ParsedHtml ParseHtml(const std::string& html) {
  ParsedHtml p;
  GumboOptions options = kGumboDefaultOptions;
  std::unique_ptr<GumboOutput, void (*)(GumboOutput*)> out(
      gumbo_parse_with_options(&options, html.data(), html.size()),
      [](GumboOutput* o) { gumbo_destroy_output(&kGumboDefaultOptions, o); });
  p.errors = out->errors.length;
  std::vector<const GumboNode*> cells, scripts, headings;
  Collect(out->root, GUMBO_TAG_TD, cells);
  Collect(out->root, GUMBO_TAG_SCRIPT, scripts);
  p.has_script = !scripts.empty();
  for (const GumboNode* td : cells) {
    std::vector<const GumboNode*> h2, li;
    Collect(td, GUMBO_TAG_H2, h2);
    if (h2.size() != 1) continue;
    std::string title;
    AppendText(h2[0], title);
    p.headings.push_back(title);
    Collect(td, GUMBO_TAG_LI, li);
    auto& items = p.items[title];
    for (const GumboNode* n : li) {
      std::string t;
      AppendText(n, t);
      items.push_back(t);
    }
  }
  return p;
}

TEST_F(UpdateTest, HtmlParsesWithoutErrorsAndListsEveryActivity) {
  const Fixture f = Seed003();
  Load(f);
  UpdateIssue issue = Build("2023Q3");
  issue.unsubscribe_url = "https://example.org/unsubscribe?t=abc&x=1";
  const std::string html = RenderHtml(issue);
  const ParsedHtml p = ParseHtml(html);
  EXPECT_EQ(p.errors, 0u);
  EXPECT_FALSE(p.has_script);
  EXPECT_EQ(html.find("<style"), std::string::npos);
  EXPECT_NE(html.find("<meta charset=\"utf-8\">"), std::string::npos);
  ASSERT_TRUE(p.items.count(InventoryTitle(issue)));
  std::multiset<std::string> titles;
  const std::multiset<std::string> expected = TitlesBetween(f, "2023-07-01", "2023-09-30");
  for (const auto& item : p.items.at(InventoryTitle(issue))) {
    const size_t bar = item.find(" | ");
    const std::string text = bar == std::string::npos ? item : item.substr(bar + 3);
    std::string best;
    for (const auto& t : expected) {
      if (text.rfind(t + ",", 0) == 0 && t.size() > best.size()) best = t;
    }
    titles.insert(best.empty() ? text : best);
  }
  EXPECT_EQ(titles, expected);
  const std::vector<std::string> want = {
      HighlightsTitle(issue),       std::string(kSaveTheDateTitle),
      TreatyFiguresTitle(issue),    "Update: Octopus Project",
      "Update: CyberEast",          "Update: iPROCEEDS-2",
      "Update: CyberSouth",         "Update: GLACY+",
      std::string(kOtherNewsTitle), InventoryTitle(issue),
      ComingNextTitle(issue),       std::string(kProjectInventoryTitle),
      std::string(kTotalsTitle)};
  EXPECT_EQ(p.headings, want);
  // The print layout: the same sections, in blocks rather than table cells.
  const std::string page = RenderHtml(issue, HtmlLayout::kPage);
  EXPECT_EQ(ParseHtml(page).errors, 0u);
  EXPECT_EQ(page.find("role=\"presentation\" width=\"640\""), std::string::npos);
  std::vector<std::string> page_headings;
  {
    GumboOptions options = kGumboDefaultOptions;
    std::unique_ptr<GumboOutput, void (*)(GumboOutput*)> out(
        gumbo_parse_with_options(&options, page.data(), page.size()),
        [](GumboOutput* o) { gumbo_destroy_output(&kGumboDefaultOptions, o); });
    std::vector<const GumboNode*> h2;
    Collect(out->root, GUMBO_TAG_H2, h2);
    for (const GumboNode* n : h2) {
      std::string t;
      AppendText(n, t);
      page_headings.push_back(t);
    }
  }
  EXPECT_EQ(page_headings, want);
  EXPECT_NE(
      html.find("href=\"https:&#x2F;&#x2F;example.org&#x2F;unsubscribe?t&#x3D;abc&amp;x&#x3D;1\""),
      std::string::npos);
}

TEST_F(UpdateTest, HostileTextIsEscapedInEveryFormat) {
  Fixture f;
  f.activities = {Activity({"<b>X</b>"}, "<script>alert(1)</script> *bold* [link](javascript:x)",
                           {"A & B"}, {}, "online", "2023-08-01", "2023-08-01", "day"),
                  Activity({"P"}, "Line\n## Injected heading\r\n- injected item", {}, {}, nullptr,
                           "2023-08-02", "2023-08-02", "day")};
  Load(f);
  const UpdateIssue issue = Build("2023Q3");
  const std::string html = RenderHtml(issue);
  const ParsedHtml p = ParseHtml(html);
  EXPECT_EQ(p.errors, 0u);
  EXPECT_FALSE(p.has_script);
  const auto& items = p.items.at(InventoryTitle(issue));
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0],
            "<b>X</b> | <script>alert(1)</script> *bold* [link](javascript:x), A & B, "
            "online, 1 August");
  const std::string md = RenderMarkdown(issue);
  EXPECT_NE(md.find("\\<script\\>alert(1)\\</script\\> \\*bold\\* \\[link\\](javascript:x)"),
            std::string::npos)
      << md;
  // A line break in a field cannot start a heading or an item of its own.
  EXPECT_NE(md.find("- **P** \\| Line \\#\\# Injected heading - injected item, 2 August\n"),
            std::string::npos)
      << md;
  const std::string text = RenderText(issue);
  EXPECT_NE(text.find("- P | Line ## Injected heading - injected item, 2 August\n"),
            std::string::npos)
      << text;
}

/// Every heading has content before the next heading of the same or a higher level.
void ExpectNoEmptyHeadings(const std::string& md) {
  std::vector<std::string> lines;
  std::istringstream in(md);
  for (std::string line; std::getline(in, line);) {
    if (!text::Trim(line).empty()) lines.push_back(line);
  }
  auto level = [](const std::string& l) {
    size_t n = 0;
    while (n < l.size() && l[n] == '#') ++n;
    return n > 0 && n < l.size() && l[n] == ' ' ? n : 0;
  };
  for (size_t i = 0; i < lines.size(); ++i) {
    const size_t h = level(lines[i]);
    if (h == 0) continue;
    ASSERT_LT(i + 1, lines.size()) << "heading at the end: " << lines[i];
    const size_t next = level(lines[i + 1]);
    EXPECT_TRUE(next == 0 || next > h) << "empty heading: " << lines[i];
    EXPECT_NE(lines[i + 1], "---") << "empty heading: " << lines[i];
  }
}

TEST_F(UpdateTest, AQuarterWithoutActivitiesIsAValidIssueWithoutEmptyHeadings) {
  for (bool loaded : {false, true}) {
    if (loaded) Load(Seed003());
    const UpdateIssue issue = Build("2019Q1");
    EXPECT_EQ(issue.ActivityCount(), 0u);
    EXPECT_TRUE(issue.coming_next.empty());
    EXPECT_TRUE(issue.activity_totals.empty());
    // Every treaty the registry follows, the Budapest Convention first.
    ASSERT_EQ(issue.treaties.size(), registry_->catalog().all().size());
    EXPECT_EQ(issue.treaties[0].parties, registry_->Analyse("ETS 185")->Consents(D("2019-03-31")));
    // Projects running then (CyberSouth, GLACY+) keep their sections.
    EXPECT_EQ(issue.projects.size(), loaded ? 2u : 0u);
    const std::string md = RenderMarkdown(issue);
    ExpectNoEmptyHeadings(md);
    EXPECT_NE(md.find("No activities are recorded for January – March 2019."), std::string::npos);
    EXPECT_EQ(md.find(std::string(kSaveTheDateTitle)), std::string::npos);
    EXPECT_EQ(md.find("Coming next"), std::string::npos);
    const ParsedHtml p = ParseHtml(RenderHtml(issue));
    EXPECT_EQ(p.errors, 0u);
    for (const auto& [title, items] : p.items) EXPECT_FALSE(title.empty());
    const std::string text = RenderText(issue);
    EXPECT_NE(text.find(InventoryTitle(issue) + "\n"), std::string::npos);
    EXPECT_EQ(text.find("Highlights"), std::string::npos);
  }
}

TEST_F(UpdateTest, TextAndJsonCarryTheSameSections) {
  Load(Seed003());
  const UpdateIssue issue = Build("2023Q3");
  const std::string text = RenderText(issue);
  for (const std::string& title :
       {HighlightsTitle(issue), InventoryTitle(issue), ComingNextTitle(issue),
        std::string(kProjectInventoryTitle), std::string(kTotalsTitle)}) {
    EXPECT_NE(text.find("\n" + title + "\n="), std::string::npos) << title;
  }
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    size_t columns = 0;
    for (char c : line) columns += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    // Long words (URLs) may overflow; nothing in the fixture is that long.
    EXPECT_LE(columns, 78u) << line;
  }
  const json j = ToJson(issue);
  EXPECT_EQ(j["quarter"], "2023Q3");
  EXPECT_EQ(j["treaties"][0]["parties"]["min"], issue.treaties[0].parties.min);
  size_t n = 0;
  for (const auto& g : j["inventory"]) n += g["activities"].size();
  EXPECT_EQ(n, issue.ActivityCount());
  EXPECT_EQ(j["inventory"][0]["month"], "2023-07");
}

/// PATH pointing first at a directory whose "weasyprint" is `script`, for
/// the life of the object.
class FakeWeasyprint {
 public:
  FakeWeasyprint(const fs::path& dir, const std::string& script) {
    fs::create_directories(dir);
    const fs::path program = dir / "weasyprint";
    std::ofstream(program) << "#!/bin/sh\n" << script << "\n";
    fs::permissions(program, fs::perms::owner_all);
    const char* path = std::getenv("PATH");
    saved_ = path ? path : "";
    setenv("PATH", (dir.string() + ":" + saved_).c_str(), 1);
  }
  ~FakeWeasyprint() { setenv("PATH", saved_.c_str(), 1); }
  FakeWeasyprint(const FakeWeasyprint&) = delete;
  FakeWeasyprint& operator=(const FakeWeasyprint&) = delete;

 private:
  std::string saved_;
};

TEST(PdfLimitsTest, ARenderPastItsTimeLimitIsKilledAndSaysSo) {
  octopus::test_support::TempDir dir;
  FakeWeasyprint fake(dir.path() / "bin", "exec sleep 30");
  PdfLimits limits;
  limits.run = std::chrono::milliseconds(300);
  const auto start = std::chrono::steady_clock::now();
  auto pdf = HtmlToPdf("<p>x</p>", limits);
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(pdf.ok());
  EXPECT_EQ(pdf.status().code(), StatusCode::kIoError);
  EXPECT_NE(pdf.status().message().find("took longer than 300 ms"), std::string::npos)
      << pdf.status().message();
  EXPECT_LT(took, std::chrono::seconds(5));
}

TEST(PdfLimitsTest, RendersBeyondTheConcurrencyLimitWaitThenGiveUp) {
  octopus::test_support::TempDir dir;
  // Writes a stand-in PDF after a second; the output is the last argument.
  FakeWeasyprint fake(dir.path() / "bin",
                      "sleep 1; for last; do :; done; printf '%%PDF-1.4 stand-in' > \"$last\"");
  PdfLimits limits;
  limits.concurrent = 1;
  limits.wait = std::chrono::milliseconds(100);
  std::atomic<int> ok{0}, busy{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i) {
    threads.emplace_back([&] {
      auto pdf = HtmlToPdf("<p>x</p>", limits);
      if (pdf.ok() && pdf->rfind("%PDF-", 0) == 0) ++ok;
      if (!pdf.ok() && pdf.status().message().find("busy") != std::string::npos) ++busy;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(busy.load(), 2);
}

/// A stand-in weasyprint that writes "%PDF-1.4 <its input's first line>" and
/// counts its runs, one line each, in `count`.
std::string CountingRenderer(const fs::path& count) {
  return "echo run >> '" + count.string() +
         "'; for last; do :; done; in=\"\"; for a; do [ \"$a\" = \"$last\" ] || in=$a; done; "
         "printf '%%PDF-1.4 %s' \"$(head -n1 \"$in\")\" > \"$last\"";
}

size_t Runs(const fs::path& count) {
  std::ifstream in(count);
  size_t n = 0;
  for (std::string line; std::getline(in, line);) ++n;
  return n;
}

size_t KeptPdfs(const fs::path& dir) {
  size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir)) n += e.path().extension() == ".pdf";
  return n;
}

TEST(PdfCacheTest, TheSameHtmlIsRenderedOnceEvenAfterTheCacheIsOpenedAgain) {
  octopus::test_support::TempDir dir;
  const fs::path count = dir.path() / "runs";
  FakeWeasyprint fake(dir.path() / "bin", CountingRenderer(count));
  {
    auto cache = PdfCache::Open(dir.path() / "pdfs");
    ASSERT_TRUE(cache.ok()) << cache.status().message();
    auto first = (*cache)->Render("<p>one</p>");
    ASSERT_TRUE(first.ok()) << first.status().message();
    EXPECT_EQ(*first, "%PDF-1.4 <p>one</p>");
    auto again = (*cache)->Render("<p>one</p>");
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, *first);
    EXPECT_EQ(Runs(count), 1u);
    EXPECT_EQ((*cache)->hits(), 1u);
    EXPECT_EQ((*cache)->renders(), 1u);
  }
  // A new process over the same directory: still no second render.
  auto reopened = PdfCache::Open(dir.path() / "pdfs");
  ASSERT_TRUE(reopened.ok());
  auto kept = (*reopened)->Render("<p>one</p>");
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(*kept, "%PDF-1.4 <p>one</p>");
  EXPECT_EQ(Runs(count), 1u);
  // Other content is other file.
  auto other = (*reopened)->Render("<p>two</p>");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(*other, "%PDF-1.4 <p>two</p>");
  EXPECT_EQ(Runs(count), 2u);
  EXPECT_EQ(KeptPdfs(dir.path() / "pdfs"), 2u);
}

TEST(PdfCacheTest, PastItsBoundTheLeastRecentlyUsedPdfGoesFirst) {
  octopus::test_support::TempDir dir;
  const fs::path count = dir.path() / "runs";
  FakeWeasyprint fake(dir.path() / "bin", CountingRenderer(count));
  // Each stand-in PDF is 17 bytes: two fit, three do not.
  auto cache = PdfCache::Open(dir.path() / "pdfs", 40);
  ASSERT_TRUE(cache.ok());
  PdfCache& c = **cache;
  ASSERT_TRUE(c.Render("<p>a</p>").ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_TRUE(c.Render("<p>b</p>").ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_TRUE(c.Render("<p>a</p>").ok());  // used again: now the most recent
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_TRUE(c.Render("<p>c</p>").ok());  // over the bound: b goes
  EXPECT_EQ(Runs(count), 3u);
  EXPECT_EQ(KeptPdfs(dir.path() / "pdfs"), 2u);
  ASSERT_TRUE(c.Render("<p>a</p>").ok());
  EXPECT_EQ(Runs(count), 3u) << "a was used recently and is still kept";
  ASSERT_TRUE(c.Render("<p>b</p>").ok());
  EXPECT_EQ(Runs(count), 4u) << "b was the least recently used and had to be rendered again";
}

TEST(PdfCacheTest, AFailedRenderIsReportedAndKeepsNothing) {
  octopus::test_support::TempDir dir;
  FakeWeasyprint fake(dir.path() / "bin", "echo 'no fonts' >&2; exit 3");
  auto cache = PdfCache::Open(dir.path() / "pdfs");
  ASSERT_TRUE(cache.ok());
  auto pdf = (*cache)->Render("<p>x</p>");
  ASSERT_FALSE(pdf.ok());
  EXPECT_NE(pdf.status().message().find("exit 3"), std::string::npos) << pdf.status().message();
  EXPECT_TRUE(fs::is_empty(dir.path() / "pdfs"));
}

TEST(PdfCacheTest, ADirectoryThatCannotBeCreatedIsAClearError) {
  octopus::test_support::TempDir dir;
  std::ofstream(dir.path() / "file") << "x";
  auto cache = PdfCache::Open(dir.path() / "file" / "pdfs");
  ASSERT_FALSE(cache.ok());
  EXPECT_EQ(cache.status().code(), StatusCode::kIoError);
  EXPECT_NE(cache.status().message().find("PDF cache"), std::string::npos) << cache.status().message();
}

TEST_F(UpdateTest, PdfOpensWithPdftotextAndHasTheSectionTitles) {
  if (!PdfRendererAvailable()) GTEST_SKIP() << "weasyprint is not installed (scripts/setup)";
  if (std::system("command -v pdftotext >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "pdftotext is not installed (poppler-utils)";
  }
  Load(Seed003());
  auto pdf = ComposeUpdate(*registry_, knowledge_, *Quarter::Parse("2023Q3"), Format::kPdf);
  ASSERT_TRUE(pdf.ok()) << pdf.status().message();
  ASSERT_EQ(pdf->rfind("%PDF-", 0), 0u);
  const fs::path file = dir_.path() / "issue.pdf";
  const fs::path txt = dir_.path() / "issue.txt";
  {
    std::ofstream out(file, std::ios::binary);
    out << *pdf;
  }
  const std::string cmd = "pdftotext -enc UTF-8 '" + file.string() + "' '" + txt.string() + "'";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  std::ifstream in(txt);
  std::stringstream ss;
  ss << in.rdbuf();
  // Lines may wrap: compare with runs of white space collapsed.
  std::string flat;
  for (char c : ss.str()) {
    const bool space = c == ' ' || c == '\n' || c == '\f';
    if (space && (flat.empty() || flat.back() == ' ')) continue;
    flat.push_back(space ? ' ' : c);
  }
  const UpdateIssue issue = Build("2023Q3");
  for (const std::string& title :
       {HighlightsTitle(issue), std::string(kSaveTheDateTitle), TreatyFiguresTitle(issue),
        InventoryTitle(issue), ComingNextTitle(issue), std::string(kProjectInventoryTitle),
        std::string(kTotalsTitle), std::string("Update: GLACY+"),
        std::string("Kiribati invited to accede")}) {
    EXPECT_NE(flat.find(title), std::string::npos) << title;
  }
}

TEST_F(UpdateTest, TheSeedIssueIngestedFromItsTextComesBackWhole) {
  service::Ingestor ingestor(*registry_);
  auto ingested = ingestor.IngestFile(std::string(OCTOPUS_TEST_SOURCE_DIR) +
                                      "/data/seeds/003_4b1784b32edbbd16.txt");
  ASSERT_TRUE(ingested.ok()) << ingested.status().message();
  ASSERT_TRUE(ingested->stored);
  // The entities the knowledge service builds from the stored document.
  auto service = service::Knowledge::Open(*store_, OCTOPUS_TEST_DATA_DIR);
  ASSERT_TRUE(service.ok()) << service.status().message();
  {
    auto current = (*service)->Current(kb::Visibility::kPublic);
    ASSERT_TRUE(current.ok()) << current.status().message();
    knowledge_ = **current;
  }
  const UpdateIssue issue = Build("2023Q3");

  // Every activity the source listed is in the section it listed it in.
  auto rows = store_->Records("activity");
  ASSERT_TRUE(rows.ok());
  std::map<std::string, std::multiset<std::string>> by_section;
  for (const auto& r : *rows) {
    const json j = json::parse(r.fields_json);
    by_section[j.value("section", "")].insert(j.at("title").get<std::string>());
  }
  ASSERT_GT(by_section["inventory"].size(), 40u);
  EXPECT_EQ(Titles(issue.inventory), by_section["inventory"]);
  EXPECT_EQ(Titles(issue.coming_next), by_section["coming_next"]);
  std::multiset<std::string> save;
  for (const auto& s : issue.save_the_date) save.insert(s.title);
  EXPECT_EQ(save, by_section["save_the_date"]);
  // Each save-the-date entry is the coming-next activity it announces: every
  // activity entity is listed once, in the inventory or in coming next.
  size_t coming = 0;
  for (const auto& g : issue.coming_next) coming += g.activities.size();
  EXPECT_EQ(issue.ActivityCount() + coming, knowledge_.OfKind(kb::Kind::kActivity).size());
  EXPECT_EQ(issue.ActivityCount() + coming,
            by_section["inventory"].size() + by_section["coming_next"].size());

  // Every project, with its budget and its funders by their names in the
  // directory; the joint initiatives block is no project and has no basics.
  auto projects = store_->Records("project");
  ASSERT_TRUE(projects.ok());
  std::map<std::string, const ProjectEntry*> inventory;
  for (const auto& p : issue.project_inventory) inventory[p.name] = &p;
  size_t named = 0;
  for (const auto& r : *projects) {
    const json j = json::parse(r.fields_json);
    const std::string name = j.at("name");
    if (j.contains("projects") && j["projects"].size() >= 2) {
      EXPECT_FALSE(inventory.count(name)) << name;
      continue;
    }
    ++named;
    ASSERT_TRUE(inventory.count(name)) << name;
    EXPECT_EQ(inventory[name]->budget_amount, j.at("budget_amount").get<double>()) << name;
    std::vector<std::string> funders;
    for (const std::string& f : j.at("funders").get<std::vector<std::string>>()) {
      const kb::Directory::Name* known = (*service)->directory().Organisation(f);
      funders.push_back(known ? known->name : f);
    }
    EXPECT_EQ(Bag(inventory[name]->funders), Bag(funders)) << name;
  }
  EXPECT_EQ(inventory.size(), 5u);
  EXPECT_GE(named, 5u);
  EXPECT_EQ(issue.projects.size(), 5u);
  EXPECT_TRUE(issue.joint.name.empty());

  // Every news item of the quarter is told once, in one section.
  auto news = store_->Records("news_item");
  ASSERT_TRUE(news.ok());
  std::multiset<std::string> told;
  auto tell = [&](const std::vector<Story>& stories) {
    for (const auto& s : stories) told.insert(s.id);
  };
  tell(issue.treaty_news);
  tell(issue.joint_news);
  tell(issue.other_news);
  for (const auto& p : issue.projects) tell(p.stories);
  std::multiset<std::string> expected;
  for (const kb::Entity* e : knowledge_.OfKind(kb::Kind::kNewsItem)) expected.insert(e->id);
  EXPECT_EQ(told, expected);
  EXPECT_GE(news->size(), expected.size());

  // The figures are the engine's; the source's are kept beside them.
  EXPECT_EQ(issue.treaties[0].parties, registry_->Analyse("ETS 185")->Consents(D("2023-09-30")));
  EXPECT_EQ(issue.treaties[0].observers, 21);
  EXPECT_EQ(issue.highlights[0].text,
            "Kiribati invited to accede to the Budapest Convention (3 July 2023)");
  EXPECT_EQ(ParseHtml(RenderHtml(issue)).errors, 0u);
}

// ---------------------------------------------------------------- mailing

/// A minimal SMTP server on 127.0.0.1 (a free port), accepting every message
/// and keeping it with its envelope. Enough of RFC 5321 for libcurl.
/// A header's value in a message ("" when absent).
std::string Header(const std::string& message, const std::string& name) {
  std::istringstream in(message);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) break;
    if (text::ToLowerAscii(line.substr(0, name.size() + 1)) == text::ToLowerAscii(name) + ":") {
      return std::string(text::Trim(line.substr(name.size() + 1)));
    }
  }
  return "";
}

/// The decoded body of the MIME part of this content type.
std::string Part(const std::string& message, const std::string& content_type) {
  const size_t at = message.find("Content-Type: " + content_type);
  if (at == std::string::npos) return "";
  const size_t start = message.find("\r\n\r\n", at) + 4;
  const size_t end = message.find("\r\n--", start);
  std::string b64;
  for (char ch :
       message.substr(start, end == std::string::npos ? std::string::npos : end - start)) {
    if (ch != '\r' && ch != '\n') b64.push_back(ch);
  }
  std::string out(b64.size(), '\0');
  size_t len = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), b64.data(),
                        b64.size(), nullptr, &len, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return "";
  }
  out.resize(len);
  return out;
}

std::string TokenOf(const std::string& url) {
  const size_t at = url.find("token=");
  if (at == std::string::npos) return "";
  std::string token = url.substr(at + 6);
  if (const size_t end = token.find_first_of(">&\" \r\n"); end != std::string::npos) {
    token.resize(end);
  }
  return token;
}

/// Settings for a relay on the loopback, links to a local site.
MailSettings LocalRelay(int port) {
  MailSettings s;
  s.smtp = "127.0.0.1:" + std::to_string(port);
  s.from = "update@example.org";
  s.base_url = "http://127.0.0.1:8080";
  return s;
}

TEST(MailingTest, AddressesWithHeaderInjectionOrNoDomainAreRefused) {
  for (const char* good : {"a@example.org", "first.last+tag@sub.example.co.uk", "root@localhost"}) {
    EXPECT_TRUE(IsValidEmail(good)) << good;
  }
  for (const char* bad : {"", "a", "@example.org", "a@", "a@b", "a b@example.org",
                          "a@example.org\r\nBcc: x@example.org", "<a@example.org>",
                          "a@@example.org", "a@example..org", "a@.example.org"}) {
    EXPECT_FALSE(IsValidEmail(bad)) << bad;
  }
  MailSettings s = LocalRelay(25);
  s.base_url = "https://octopus.example.org/";
  EXPECT_TRUE(CheckMailSettings(s).ok());
  s.smtp = "smtps://mail.example.org:465";
  EXPECT_TRUE(CheckMailSettings(s).ok());
  s.smtp = "user@mail.example.org";
  EXPECT_FALSE(CheckMailSettings(s).ok());
  s.smtp = "127.0.0.1:25";
  EXPECT_EQ(UnsubscribeUrl(s, "ab"), "https://octopus.example.org/unsubscribe?token=ab");
  s.base_url = "javascript:alert(1)";
  EXPECT_FALSE(CheckMailSettings(s).ok());
}

TEST_F(UpdateTest, ConfirmationLinkMailedToTheAddressConfirmsTheSubscription) {
  SmtpSink sink;
  const MailSettings settings = LocalRelay(sink.port());
  EXPECT_EQ(RequestSubscription(*store_, "not an address").status().code(),
            StatusCode::kInvalidArgument);
  auto s = RequestSubscription(*store_, "  Reader@Example.org ");
  ASSERT_TRUE(s.ok()) << s.status().message();
  EXPECT_EQ(s->email, "reader@example.org");
  EXPECT_EQ(s->status, "pending");
  ASSERT_TRUE(SendConfirmation(*s, settings).ok());
  const auto messages = sink.messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].to, (std::vector<std::string>{"<reader@example.org>"}));
  const std::string body = Part(messages[0].data, "text/plain");
  const size_t at = body.find("http://127.0.0.1:8080/subscribe/confirm?token=");
  ASSERT_NE(at, std::string::npos) << body;
  const std::string token = TokenOf(body.substr(at, body.find('\n', at) - at));
  EXPECT_EQ(token, s->token);
  // Not confirmed yet: an issue goes to no one.
  EXPECT_TRUE(store_->Subscribers("confirmed")->empty());
  auto confirmed = ConfirmSubscription(*store_, token);
  ASSERT_TRUE(confirmed.ok()) << confirmed.status().message();
  EXPECT_EQ(confirmed->status, "confirmed");
  EXPECT_EQ(ConfirmSubscription(*store_, std::string(64, 'f')).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(Unsubscribe(*store_, "' OR 1=1 --").status().code(), StatusCode::kNotFound);
}

TEST_F(UpdateTest, ALoginIsNeverSentToARelayThatOffersNoTls) {
  SmtpSink sink;  // offers neither STARTTLS nor AUTH
  MailSettings settings = LocalRelay(sink.port());
  settings.username = "relay-user";
  settings.password = "relay-secret";
  auto s = RequestSubscription(*store_, "reader@example.org");
  ASSERT_TRUE(s.ok()) << s.status().message();
  const Status sent = SendConfirmation(*s, settings);
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.code(), StatusCode::kIoError);
  EXPECT_NE(sent.message().find("does not offer TLS"), std::string::npos) << sent.message();
  EXPECT_TRUE(sink.messages().empty());
  for (const std::string& line : sink.commands()) {
    EXPECT_NE(text::ToLowerAscii(line.substr(0, 4)), "auth") << line;
    EXPECT_EQ(line.find("relay-secret"), std::string::npos) << line;
  }
  // Without a login the same relay is used as it is.
  settings.username.clear();
  settings.password.clear();
  EXPECT_TRUE(SendConfirmation(*s, settings).ok());
  EXPECT_EQ(sink.messages().size(), 1u);
}

TEST_F(UpdateTest, IssueGoesToConfirmedSubscribersOnlyEachWithAWorkingUnsubscribeLink) {
  Load(Seed003());
  SmtpSink sink;
  const MailSettings settings = LocalRelay(sink.port());
  std::map<std::string, std::string> token_of;
  for (const char* email : {"a@example.org", "b@example.org", "c@example.org"}) {
    auto s = RequestSubscription(*store_, email);
    ASSERT_TRUE(s.ok()) << s.status().message();
    ASSERT_TRUE(ConfirmSubscription(*store_, s->token).ok());
    token_of["<" + std::string(email) + ">"] = s->unsubscribe_token;
    // The confirmation token does not unsubscribe.
    EXPECT_EQ(Unsubscribe(*store_, s->token).status().code(), StatusCode::kNotFound);
  }
  ASSERT_TRUE(Unsubscribe(*store_, token_of["<b@example.org>"]).ok());
  ASSERT_TRUE(RequestSubscription(*store_, "pending@example.org").ok());  // never confirmed

  auto report = SendIssue(*registry_, knowledge_, *Quarter::Parse("2023Q3"), settings);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->sent, 2);
  EXPECT_TRUE(report->failed.empty());
  auto messages = sink.messages();
  ASSERT_EQ(messages.size(), 2u);
  std::set<std::string> recipients;
  for (const auto& m : messages) {
    ASSERT_EQ(m.to.size(), 1u);
    const std::string& to = m.to[0];
    recipients.insert(to);
    EXPECT_EQ(m.from, "<update@example.org>");
    EXPECT_EQ(Header(m.data, "To"), to);
    const std::string url = "http://127.0.0.1:8080/unsubscribe?token=" + token_of[to];
    EXPECT_EQ(Header(m.data, "List-Unsubscribe"), "<" + url + ">");
    EXPECT_EQ(Header(m.data, "List-Unsubscribe-Post"), "List-Unsubscribe=One-Click");
    EXPECT_EQ(Header(m.data, "Subject").rfind("=?UTF-8?B?", 0), 0u);
    // Both parts carry the issue and the subscriber's own link.
    const std::string html = Part(m.data, "text/html");
    const std::string plain = Part(m.data, "text/plain");
    EXPECT_EQ(ParseHtml(html).errors, 0u);
    EXPECT_NE(html.find("Inventory of activities"), std::string::npos);
    EXPECT_NE(html.find(text::EscapeHtml(url)), std::string::npos);
    EXPECT_NE(plain.find("Unsubscribe: " + url), std::string::npos);
  }
  EXPECT_EQ(recipients, (std::set<std::string>{"<a@example.org>", "<c@example.org>"}));

  // The link works: following a's, the next issue reaches c alone.
  const std::string a_token =
      TokenOf(Header(messages[0].to[0] == "<a@example.org>" ? messages[0].data : messages[1].data,
                     "List-Unsubscribe"));
  auto gone = Unsubscribe(*store_, a_token);
  ASSERT_TRUE(gone.ok()) << gone.status().message();
  EXPECT_EQ(gone->email, "a@example.org");
  // The same issue again reaches nobody twice.
  auto again = SendIssue(*registry_, knowledge_, *Quarter::Parse("2023Q3"), settings);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->sent, 0);
  EXPECT_EQ(again->already_queued, 1);
  EXPECT_EQ(sink.messages().size(), 2u);
  auto next = SendIssue(*registry_, knowledge_, *Quarter::Parse("2023Q4"), settings);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->sent, 1);
  messages = sink.messages();
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_EQ(messages[2].to, (std::vector<std::string>{"<c@example.org>"}));
}

TEST_F(UpdateTest, AQueuedConfirmationIsQueuedOnceAndAFailedOneWaitsForItsBackOff) {
  int closed_port = 0;
  {
    SmtpSink closed;
    closed_port = closed.port();
  }
  auto s = RequestSubscription(*store_, "reader@example.org");
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(*QueueConfirmation(*store_, *s, LocalRelay(closed_port)));
  EXPECT_FALSE(*QueueConfirmation(*store_, *s, LocalRelay(closed_port)));  // the same link
  auto failed = DeliverDueMail(*store_, LocalRelay(closed_port), 10);
  ASSERT_TRUE(failed.ok()) << failed.status().message();
  EXPECT_EQ(failed->sent, 0);
  EXPECT_EQ(failed->failed.size(), 1u);
  EXPECT_EQ(*store_->OutboxDepth(), 1);
  // Not due again before its back-off.
  SmtpSink sink;
  auto early = DeliverDueMail(*store_, LocalRelay(sink.port()), 10);
  ASSERT_TRUE(early.ok());
  EXPECT_EQ(early->sent + static_cast<int>(early->failed.size()), 0);
  EXPECT_TRUE(sink.messages().empty());
  EXPECT_EQ(*store_->OutboxDepth(), 1);
}

TEST(EmailAddressTest, OnlyAddressesARelayTakesAreAccepted) {
  EXPECT_EQ(NormaliseEmail("Reader.Name+update@Example.ORG"), "reader.name+update@example.org");
  EXPECT_EQ(NormaliseEmail("a@b\xc3\xbc" "cher.example"), "a@xn--bcher-kva.example");
  EXPECT_EQ(NormaliseEmail("a@localhost"), "a@localhost");
  for (const char* bad :
       {"|/bin/sh@example.org", "a/b@example.org", "\"quoted\"@example.org", "a@example",
        "a..b@example.org", ".a@example.org", "a@-example.org", "a@example.org.",
        "a\xe2\x80\xae@example.org", "a@exa\xe2\x80\xae" "mple.org", "a@ex\xe2\x80\x8b" "ample.org",
        "caf\xc3\xa9" "@example.org", "a b@example.org", "a@b@example.org", "@example.org"}) {
    EXPECT_FALSE(NormaliseEmail(bad).has_value()) << bad;
  }
  EXPECT_FALSE(NormaliseEmail(std::string(65, 'a') + "@example.org").has_value());
}

TEST_F(UpdateTest, SendingToAnUnreachableRelayReportsEveryRecipient) {
  int port = 0;
  {
    SmtpSink closed;  // a port that was free a moment ago, now closed again
    port = closed.port();
  }
  auto s = RequestSubscription(*store_, "a@example.org");
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(ConfirmSubscription(*store_, s->token).ok());
  const MailSettings settings = LocalRelay(port);
  auto report = SendIssue(*registry_, knowledge_, *Quarter::Parse("2023Q3"), settings);
  ASSERT_TRUE(report.ok()) << report.status().message();
  EXPECT_EQ(report->sent, 0);
  ASSERT_EQ(report->failed.size(), 1u);
  EXPECT_EQ(report->failed[0].rfind("a@example.org: SMTP", 0), 0u) << report->failed[0];
}

}  // namespace
}  // namespace octopus::update
