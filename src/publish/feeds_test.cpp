// Feeds: the iCalendar text parsed back (unfolded, unescaped) gives the events
// that went in; fuzzy dates are marked, undated activities left out; the Atom
// feed is well-formed XML (libxml2) whatever the text holds.
#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <libxml/tree.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/text.h"
#include "publish/atom.h"
#include "publish/icalendar.h"

namespace octopus::publish {
namespace {

domain::RecordFacts Activity(const std::string& json) {
  auto r = domain::ReadRecord("activity", json);
  EXPECT_TRUE(r.ok()) << r.status().message();
  return r.ok() ? *r : domain::RecordFacts{};
}

/// A parsed VEVENT: property name (without parameters) → {parameters, value}.
using Props = std::map<std::string, std::pair<std::string, std::string>>;

std::string Unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      const char n = s[++i];
      out.push_back(n == 'n' || n == 'N' ? '\n' : n);
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

/// Parses iCalendar text strictly enough for a test: CRLF only, unfolding,
/// every line within 75 octets and valid UTF-8.
std::vector<Props> ParseEvents(const std::string& ics) {
  std::vector<std::string> physical;
  size_t at = 0;
  while (at < ics.size()) {
    const size_t crlf = ics.find("\r\n", at);
    EXPECT_NE(crlf, std::string::npos) << "text after the last CRLF";
    if (crlf == std::string::npos) break;
    physical.push_back(ics.substr(at, crlf - at));
    at = crlf + 2;
  }
  std::vector<std::string> logical;
  for (const std::string& line : physical) {
    EXPECT_LE(line.size(), 75u) << line;
    EXPECT_TRUE(text::IsValidUtf8(line)) << line;
    EXPECT_EQ(line.find('\n'), std::string::npos);
    EXPECT_EQ(line.find('\r'), std::string::npos);
    if (!line.empty() && line[0] == ' ') {
      EXPECT_FALSE(logical.empty());
      if (!logical.empty()) logical.back() += line.substr(1);
    } else {
      logical.push_back(line);
    }
  }
  EXPECT_FALSE(logical.empty());
  if (logical.empty()) return {};
  EXPECT_EQ(logical.front(), "BEGIN:VCALENDAR");
  EXPECT_EQ(logical.back(), "END:VCALENDAR");
  std::vector<Props> events;
  bool in_event = false;
  for (const std::string& l : logical) {
    if (l == "BEGIN:VEVENT") {
      events.emplace_back();
      in_event = true;
      continue;
    }
    if (l == "END:VEVENT") {
      in_event = false;
      continue;
    }
    if (!in_event) continue;
    const size_t colon = l.find(':');
    const std::string head = l.substr(0, colon);
    const size_t semi = head.find(';');
    events.back()[head.substr(0, semi)] = {semi == std::string::npos ? "" : head.substr(semi + 1),
                                           Unescape(l.substr(colon + 1))};
  }
  return events;
}

TEST(ICalendarTest, EventsRoundTripThroughTheText) {
  const domain::RecordFacts exact = Activity(
      R"({"projects":["CyberEast"],"title":"Regional workshop; cybercrime, e-evidence","places":["Tbilisi"],"countries":["GE"],"mode":"in person","start":"2023-11-29","end":"2023-12-01","precision":"day"})");
  const domain::RecordFacts by = Activity(
      R"({"projects":["GLACY+"],"title":"Advisory mission","places":["Accra"],"start":null,"end":"2023-10","precision":"by"})");
  const domain::RecordFacts mid = Activity(
      R"({"projects":["GLACY+"],"title":"Support to the 24/7 point of contact","start":"2023-11","end":"2023-11","precision":"mid"})");
  const domain::RecordFacts tbc_month = Activity(
      R"({"title":"Conference","start":"2023-12","end":null,"precision":"tbc"})");
  const domain::RecordFacts tbc = Activity(
      R"({"title":"Regional conference","start":null,"end":null,"precision":"tbc"})");

  EXPECT_FALSE(ActivityEvent(5, tbc, "").has_value());
  Calendar cal;
  cal.name = "Octopus activities";
  cal.stamp = "20230901T000000Z";
  int id = 1;
  for (const auto* a : {&exact, &by, &mid, &tbc_month}) {
    auto e = ActivityEvent(id++, *a, "");
    ASSERT_TRUE(e.has_value());
    cal.events.push_back(*e);
  }
  const std::string ics = RenderICalendar(cal);
  const std::vector<Props> events = ParseEvents(ics);
  ASSERT_EQ(events.size(), 4u);

  const Props& e0 = events[0];
  EXPECT_EQ(e0.at("UID").second, "activity-1@octopus");
  EXPECT_EQ(e0.at("DTSTART"), std::make_pair(std::string("VALUE=DATE"), std::string("20231129")));
  EXPECT_EQ(e0.at("DTEND"), std::make_pair(std::string("VALUE=DATE"), std::string("20231202")));
  EXPECT_EQ(e0.at("SUMMARY").second, "Regional workshop; cybercrime, e-evidence");
  EXPECT_EQ(e0.at("LOCATION").second, "Tbilisi");
  EXPECT_EQ(e0.at("STATUS").second, "CONFIRMED");
  EXPECT_EQ(e0.at("DTSTAMP").second, "20230901T000000Z");
  EXPECT_EQ(e0.at("X-OCTOPUS-DATE-PRECISION").second, "day");

  const Props& e1 = events[1];
  EXPECT_EQ(e1.at("DTSTART").second, "20231001");
  EXPECT_EQ(e1.at("DTEND").second, "20231101");
  EXPECT_EQ(e1.at("SUMMARY").second, "Advisory mission [by October 2023]");
  EXPECT_NE(e1.at("DESCRIPTION").second.find("not an exact date"), std::string::npos);
  EXPECT_EQ(e1.at("CATEGORIES").second, "GLACY+");

  EXPECT_EQ(events[2].at("SUMMARY").second,
            "Support to the 24/7 point of contact [mid-November 2023]");
  EXPECT_EQ(events[2].at("DTEND").second, "20231201");
  EXPECT_EQ(events[3].at("STATUS").second, "TENTATIVE");
  EXPECT_EQ(events[3].at("SUMMARY").second, "Conference [December 2023 (TBC)]");
}

TEST(ICalendarTest, ACancelledEventIsCancelledEvenWhenItsDateIsToBeConfirmed) {
  Calendar cal;
  cal.stamp = "20230901T000000Z";
  for (bool tentative : {false, true}) {
    CalendarEvent e;
    e.uid = std::string("cancelled-") + (tentative ? "tbc" : "dated") + "@octopus";
    e.first = e.last = *domain::Date::Make(2023, 10, 4);
    e.summary = "Workshop";
    e.tentative = tentative;
    e.cancelled = true;
    cal.events.push_back(e);
  }
  const std::vector<Props> events = ParseEvents(RenderICalendar(cal));
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].at("STATUS").second, "CANCELLED");
  EXPECT_EQ(events[1].at("STATUS").second, "CANCELLED");
}

TEST(ICalendarTest, LongLinesFoldWithoutSplittingCharacters) {
  const std::string title =
      "Atelier r\u00e9gional sur la cybercriminalit\u00e9 et les preuves \u00e9lectroniques "
      "pour les juges et procureurs de T\u00fcrkiye, G\u00e9orgie et Moldavie \u2013 2e \u00e9dition";
  const std::string folded = FoldLine("SUMMARY:" + EscapeCalendarText(title));
  EXPECT_NE(folded.find("\r\n "), std::string::npos);
  Calendar cal;
  cal.stamp = "20230901T000000Z";
  cal.events.push_back(*ActivityEvent(
      9, Activity(R"({"title":")" + title + R"(","start":"2023-10-02","precision":"day"})"), ""));
  const auto events = ParseEvents(RenderICalendar(cal));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].at("SUMMARY").second, title);
  EXPECT_EQ(events[0].at("DTEND").second, "20231003");
  EXPECT_EQ(EscapeCalendarText("a\\b;c,d\ne"), "a\\\\b\\;c\\,d\\ne");
}

struct XmlDocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};

std::string ChildText(xmlNode* parent, const char* name) {
  for (xmlNode* n = parent->children; n; n = n->next) {
    if (n->type == XML_ELEMENT_NODE && std::string(reinterpret_cast<const char*>(n->name)) == name) {
      xmlChar* content = xmlNodeGetContent(n);
      std::string out = content ? reinterpret_cast<const char*>(content) : "";
      xmlFree(content);
      return out;
    }
  }
  return "";
}

TEST(AtomTest, FeedIsWellFormedXmlWhateverTheTextHolds) {
  AtomFeed feed;
  feed.id = "tag:octopus,2009:news";
  feed.title = "Octopus news";
  feed.self_link = "/news.atom";
  feed.alternate_link = "/news";
  const std::string nasty = "<script>alert('x')</script> & \"T\u00fcrkiye\"\x01\x1f ]]>";
  feed.entries.push_back({"tag:octopus,2009:news/1", nasty, "/news/1?a=1&b=2",
                          AtomDate("2011-04-29"), nasty, {"GLACY+", "<b>"}});
  feed.entries.push_back({"tag:octopus,2009:news/2", "Second", "/news/2", AtomDate("2011-05-25"),
                          "", {}});
  const std::string xml = RenderAtom(feed);
  EXPECT_EQ(xml.find("<script"), std::string::npos);

  std::unique_ptr<xmlDoc, XmlDocFree> doc(xmlReadMemory(
      xml.data(), static_cast<int>(xml.size()), "feed.xml", "utf-8", XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING));
  ASSERT_NE(doc, nullptr) << xml;
  xmlNode* root = xmlDocGetRootElement(doc.get());
  ASSERT_NE(root, nullptr);
  EXPECT_STREQ(reinterpret_cast<const char*>(root->name), "feed");
  ASSERT_NE(root->ns, nullptr);
  EXPECT_STREQ(reinterpret_cast<const char*>(root->ns->href), "http://www.w3.org/2005/Atom");
  EXPECT_EQ(ChildText(root, "updated"), "2011-05-25T00:00:00Z");  // the newest entry
  EXPECT_EQ(ChildText(root, "title"), "Octopus news");
  std::vector<xmlNode*> entries;
  for (xmlNode* n = root->children; n; n = n->next) {
    if (n->type == XML_ELEMENT_NODE && std::string(reinterpret_cast<const char*>(n->name)) == "entry") {
      entries.push_back(n);
    }
  }
  ASSERT_EQ(entries.size(), 2u);
  // The text comes back as it went in, less the control characters XML cannot carry.
  const std::string clean = "<script>alert('x')</script> & \"T\u00fcrkiye\" ]]>";
  EXPECT_EQ(ChildText(entries[0], "title"), clean);
  EXPECT_EQ(ChildText(entries[0], "summary"), clean);
  EXPECT_EQ(ChildText(entries[0], "id"), "tag:octopus,2009:news/1");
  EXPECT_EQ(ChildText(entries[1], "summary"), "");  // left out when empty
}

TEST(AtomTest, TextThatIsNotUtf8KeepsOnlyItsAsciiBytes) {
  EXPECT_EQ(XmlText("ok \xff\xfe <"), "ok  &lt;");
  EXPECT_EQ(XmlText(std::string("tab\tline\nnul\0x", 14)), "tab\tline\nnulx");
}

}  // namespace
}  // namespace octopus::publish
