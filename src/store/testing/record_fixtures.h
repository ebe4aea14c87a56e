#pragma once
/// Test support: two ingested documents with realistic records, in the shapes
/// the extractors store — the 2009–2011 news page and the July–September 2023
/// quarterly update — stored through Store::AddDocument.

#include <string>
#include <vector>

#include "store/store.h"

namespace octopus::test_support {

/// Lines of the fixture records the tests refer to.
inline constexpr int kTongaNewsLine = 10;
inline constexpr int kUkNewsLine = 20;

/// The news page: four news items, the links and a treaty action under them.
inline std::vector<store::RecordRow> NewsPageRecords() {
  return {
      {0, 0, "news_item", kTongaNewsLine,
       R"j({"title":"Pacific regional workshop on cybercrime (Tonga, 27-29 April 2011)",
        "date":"2011-04-29","place":"Nuku'alofa","event_start":"2011-04-27",
        "event_end":"2011-04-29","event_place":"Tonga","countries":["TO"],
        "projects":["Global Project on Cybercrime"],"treaties":["ETS 185"],
        "body":"The Government of Tonga hosted a regional workshop on cybercrime legislation and the Budapest Convention for Pacific Island States."})j"},
      {0, 0, "link", kTongaNewsLine + 2, R"j({"caption":"Agenda"})j"},
      {0, 0, "link", kTongaNewsLine + 3, R"j({"caption":"List of participants"})j"},
      {0, 0, "news_item", kUkNewsLine,
       R"j({"title":"United Kingdom ratifies the Convention on Cybercrime",
        "date":"2011-05-25","place":"Strasbourg","event_start":null,"event_end":null,
        "event_place":null,"countries":["GB"],"projects":[],"treaties":["ETS 185"],
        "body":"The United Kingdom deposited its instrument of ratification. 31 States are now Parties."})j"},
      {0, 0, "treaty_action", kUkNewsLine + 1,
       R"j({"state":"GB","treaty":"ETS 185","action":"ratification","date":"2011-05-25",
        "entry_into_force":"2011-09-01"})j"},
      {0, 0, "news_item", 30,
       R"j({"title":"Octopus Interface conference on cooperation against cybercrime",
        "date":"2010-03-25","place":"Strasbourg","event_start":"2010-03-23",
        "event_end":"2010-03-25","event_place":"Strasbourg","countries":["FR"],
        "projects":["Global Project on Cybercrime"],"treaties":["ETS 185"],
        "body":"Some 300 cybercrime experts from 65 countries met in Strasbourg."})j"},
      {0, 0, "news_item", 40,
       R"j({"title":"Workshop on cybercrime legislation in T\u00fcrkiye","date":"2010-06-10",
        "place":"Ankara","countries":["TR"],"projects":[],"treaties":[],
        "body":"Judges and prosecutors discussed electronic evidence."})j"},
  };
}

/// The quarterly update: activities with fuzzy dates, projects, a figure.
inline std::vector<store::RecordRow> QuarterlyUpdateRecords() {
  return {
      {0, 0, "treaty_figure", 5,
       R"j({"treaty":"ETS 185","measure":"parties","count":68,"as_of":"2023-09-30"})j"},
      {0, 0, "activity", 101,
       R"j({"projects":["iPROCEEDS-2"],"title":"Workshop on financial investigations in T\u00fcrkiye",
        "places":["Ankara"],"countries":["TR"],"mode":"in person","start":"2023-09-12",
        "end":"2023-09-14","precision":"day"})j"},
      {0, 0, "activity", 102,
       R"j({"projects":["iPROCEEDS-2"],"title":"Online training for judges of Turkiye on electronic evidence",
        "places":[],"countries":["TR"],"mode":"online","start":"2023-07-05","end":"2023-07-05",
        "precision":"day"})j"},
      {0, 0, "activity", 103,
       R"j({"projects":["GLACY+"],"title":"Advisory mission on cybercrime legislation",
        "places":["Accra"],"countries":["GH"],"mode":null,"start":null,"end":"2023-10",
        "precision":"by"})j"},
      {0, 0, "activity", 104,
       R"j({"projects":["GLACY+"],"title":"Regional conference on international cooperation",
        "places":["Dakar"],"countries":["SN"],"mode":"in person","start":null,"end":null,
        "precision":"tbc"})j"},
      {0, 0, "activity", 105,
       R"j({"projects":["GLACY+","Octopus"],"title":"Support to the 24/7 point of contact",
        "places":["Manila"],"countries":["PH"],"mode":"hybrid","start":"2023-11","end":"2023-11",
        "precision":"mid"})j"},
      {0, 0, "activity", 106,
       R"j({"projects":["CyberEast"],"title":"Regional workshop on cybercrime and electronic evidence",
        "places":["Tbilisi"],"countries":["GE"],"mode":"in person","start":"2023-11-29",
        "end":"2023-12-01","precision":"day"})j"},
      {0, 0, "project", 201,
       R"j({"name":"GLACY+","start":"2016-03","end":"2024-02","scope":"Global Action on Cybercrime Extended: capacities of criminal justice authorities worldwide",
        "budget_amount":18890000,"budget_currency":"EUR","funders":["European Union","Council of Europe"],
        "countries":["GH","SN","PH","TO"]})j"},
      {0, 0, "project", 202,
       R"j({"name":"iPROCEEDS-2","start":"2020-01","end":"2023-12","scope":"Targeting crime proceeds on the Internet in South-eastern Europe and T\u00fcrkiye",
        "budget_amount":4950000,"budget_currency":"EUR","funders":["European Union"],
        "countries":["AL","BA","ME","MK","RS","TR","XK"]})j"},
      {0, 0, "project", 203,
       R"j({"name":"CyberEast","start":"2019-06","end":"2024-06","scope":"Action on cybercrime for cyber resilience in the Eastern Partnership region",
        "budget_amount":null,"budget_currency":null,"funders":["European Union"],
        "countries":["AM","AZ","GE","MD","UA"]})j"},
      {0, 0, "link", 300, R"j({"caption":"Octopus Platform"})j"},
  };
}

/// Stores both documents; returns the first failure.
inline Status AddRecordFixtures(store::Store& store) {
  struct Doc {
    const char* sha;
    const char* path;
    const char* shape;
    const char* start;
    const char* end;
    std::vector<store::RecordRow> records;
  };
  const Doc docs[] = {
      {"fixture-news", "seeds/000_news.txt", "news", "2009-01", "2011-06", NewsPageRecords()},
      {"fixture-update", "seeds/003_update.txt", "update", "2023-07", "2023-09",
       QuarterlyUpdateRecords()},
  };
  for (const Doc& d : docs) {
    store::SourceInfo source;
    source.kind = "document";
    source.origin = d.path;
    source.sha256 = d.sha;
    source.title = d.path;
    store::DocumentRow row;
    row.path = d.path;
    row.format = "text";
    row.shape = d.shape;
    row.period_start = d.start;
    row.period_end = d.end;
    row.report_json = R"({"lines":400,"unused":[]})";
    auto added = store.AddDocument(source, row, d.records, {});
    if (!added) return added.status();
  }
  return Status::Ok();
}

}  // namespace octopus::test_support
