#include "ingest/extract.h"

#include <algorithm>
#include <optional>
#include <string>

#include "core/text.h"
#include "ingest/internal/mentions.h"
#include "ingest/internal/recognisers.h"
#include "ingest/internal/shapes.h"
#include "ingest/internal/statements.h"
#include "ingest/internal/treaty_chart.h"

namespace octopus::ingest {

using nlohmann::json;

std::string_view ShapeName(Shape s) {
  switch (s) {
    case Shape::kNewsPage:
      return "news_page";
    case Shape::kQuarterlyUpdate:
      return "quarterly_update";
    case Shape::kUnknown:
      break;
  }
  return "unknown";
}

namespace {

// The shape of a document whose lines are `cl`, cleaned once for both scores.
Shape ShapeOf(const internal::CleanLines& cl) {
  const int update = internal::QuarterlyUpdateScore(cl);
  const int news = internal::NewsPageScore(cl);
  if (update >= 4 && update >= news) return Shape::kQuarterlyUpdate;
  if (news >= 2) return Shape::kNewsPage;
  return Shape::kUnknown;
}

}  // namespace

Shape DetectShape(const TextDocument& doc) { return ShapeOf(internal::CleanLines(doc)); }

namespace {

// The layouts that match `doc`, best first. A quarterly update reads the
// whole document when it matches; otherwise the news reader is tried, and
// matches when it finds a dated item (the later site's listing has no
// brackets to score: its date lines are found by reading).
std::vector<internal::LayoutResult> Layouts(const TextDocument& doc, const internal::CleanLines& cl,
                                            const internal::MentionFinder& finder) {
  std::vector<internal::LayoutResult> out;
  // An activity sheet has its own field names ("Title …", "Date …"): nothing else reads it.
  if (internal::LayoutResult sheet = internal::ExtractActivitySheet(doc, cl, finder); !sheet.recognisers.empty()) {
    out.push_back(std::move(sheet));
    return out;
  }
  if (ShapeOf(cl) == Shape::kQuarterlyUpdate) {
    out.push_back(internal::ExtractQuarterlyUpdate(doc, cl, finder));
    return out;
  }
  internal::LayoutResult news = internal::ExtractNewsPage(doc, cl, finder);
  const bool found = std::any_of(news.extraction.records.begin(), news.extraction.records.end(),
                                 [](const Record& r) { return r.kind == "news_item"; });
  if (found) {
    out.push_back(std::move(news));
    return out;
  }
  // A page of one item or one event: each recogniser reports nothing when its layout is absent.
  // A page with a news dateline is a news item, even when its title names an event: the date
  // under its title is when it was published, not when an event took place.
  if (internal::LayoutResult item = internal::ExtractNewsItemPage(doc, cl, finder); !item.recognisers.empty()) {
    out.push_back(std::move(item));
  } else if (internal::LayoutResult event = internal::ExtractConferencePage(doc, cl, finder);
             !event.recognisers.empty()) {
    out.push_back(std::move(event));
  }
  return out;
}

// An undated text that reports an event concluded ("The conference has concluded in
// Bucharest", "the workshop came to an end", "la conférence s'est achevée") was written on or
// after the event's last day. When the text dates its events with one last day only, that day is
// the earliest its "now" can be: the figures it states with no date of their own are as of it,
// and say why. Nothing is done when the events' last days differ or none is dated.
void DateFiguresByAConcludedEvent(std::vector<Record>& records) {
  static constexpr std::string_view kConcluded[] = {
      "has concluded", "have concluded", "concluded in", "concluded on", "concluded its", "came to an end",
      "has come to an end", "has ended", "has closed", "drew to a close", "s'est achevé", "s\u2019est achevé",
      "s'est terminé", "s\u2019est terminé", "a pris fin", "s'est clôturé", "s\u2019est clôturé"};
  int concluded_line = 0;
  std::optional<std::string> last_day;
  bool several = false;
  for (const Record& r : records) {
    if (r.kind != "activity") continue;
    const std::string span = r.fields.value("span", "");
    for (std::string_view cue : kConcluded) {
      if (concluded_line == 0 && span.find(cue) != std::string::npos) concluded_line = r.line;
    }
    const auto end = r.fields.find("end");
    if (end == r.fields.end() || !end->is_string() || end->get<std::string>().size() != 10) continue;
    // An event the text looks forward to ("will be held", "the next meeting") dates no "now".
    const std::string low = text::ToLowerAscii(" " + span + " ");
    bool ahead = false;
    for (std::string_view cue : {" will ", " shall ", "upcoming", " next ", " to be held", " sera ", " aura lieu", " prochain"}) {
      ahead = ahead || low.find(cue) != std::string::npos;
    }
    if (ahead) continue;
    if (last_day && *last_day != end->get<std::string>()) several = true;
    last_day = end->get<std::string>();
  }
  if (concluded_line == 0 || !last_day || several) return;
  for (Record& r : records) {
    if (r.kind != "treaty_figure" || !r.fields.value("as_of", json()).is_null()) continue;
    r.fields["as_of"] = *last_day;
    r.fields["as_of_basis"] = "the text (line " + std::to_string(concluded_line) +
                              ") reports its event concluded: written on or after the event's last day";
  }
}

}  // namespace

Extraction Extract(const TextDocument& doc, const ExtractContext& ctx) {
  const internal::MentionFinder finder(ctx.gazetteer, ctx.catalog, internal::LooksFrench(doc.lines));
  const internal::CleanLines cl(doc);
  std::vector<internal::LayoutResult> layouts = Layouts(doc, cl, finder);

  Extraction e;
  std::vector<internal::ItemSpan> items;
  // A line is left to the statement pass when no layout placed it.
  std::vector<bool> unplaced(doc.lines.size(), layouts.empty());
  for (size_t k = 0; k < layouts.size(); ++k) {
    internal::LayoutResult& l = layouts[k];
    if (k == 0) e.document = l.extraction.document;
    for (std::string& name : l.recognisers) e.document.recognisers.push_back(std::move(name));
    for (Record& r : l.extraction.records) e.records.push_back(std::move(r));
    for (internal::ItemSpan& item : l.items) items.push_back(std::move(item));
    std::vector<bool> left(doc.lines.size(), false);
    for (const NotUnderstood& nu : l.extraction.not_understood) {
      if (nu.line >= 1 && static_cast<size_t>(nu.line) <= left.size()) left[static_cast<size_t>(nu.line - 1)] = true;
    }
    for (size_t i = 0; i < unplaced.size(); ++i) unplaced[i] = k == 0 ? left[i] : unplaced[i] && left[i];
  }
  if (layouts.empty()) e.document.shape = std::string(ShapeName(Shape::kUnknown));
  if (doc.date) {
    e.document.date = doc.date;
    e.document.date_basis = doc.date_basis;
  }
  if (!doc.source_url.empty()) e.document.source_url = doc.source_url;

  // The document's date: its own (metadata, the caller), else its layout's;
  // an issue's "now" is the end of its period; a page of no dated items may
  // date itself on a line of its own.
  std::optional<internal::PartialDate> document_date;
  if (e.document.date) document_date = internal::ParseIsoDate(*e.document.date);
  if (!document_date && e.document.period_end) document_date = internal::ParseIsoDate(*e.document.period_end);
  if (!document_date && items.empty()) {
    document_date = internal::DatelineOf(cl);
    if (document_date) {
      e.document.date = document_date->Iso();
      e.document.date_basis = "dateline";
    }
  }
  // A republished text: its original's publisher and date; the original's date dates the
  // text when nothing else does ("now" in it is then).
  if (auto original = internal::RepublicationOf(cl)) {
    if (!original->publisher.empty()) e.document.original_publisher = original->publisher;
    if (original->date) e.document.original_date = original->date->Iso();
    if (!document_date && original->date) {
      document_date = original->date;
      e.document.date = original->date->Iso();
      e.document.date_basis = "the original publication's date";
    }
  }
  std::vector<bool> used;
  for (Record& r : internal::ExtractStatements(doc, cl, items, finder, document_date, &used)) {
    e.records.push_back(std::move(r));
  }
  // A treaty chart pasted as text: its rows are the Treaty Office's record of each State.
  std::vector<Record> chart = internal::ExtractChartRows(doc, cl, finder, &used);
  if (!chart.empty()) {
    e.document.recognisers.push_back("treaty_chart");
    if (layouts.empty()) e.document.shape = "treaty_chart";
    for (Record& r : chart) e.records.push_back(std::move(r));
  }
  bool project_page = false;
  for (Record& r : internal::NonTreatyStatements(doc, cl, finder, items, e)) {
    project_page = project_page || (r.kind == "project" && r.fields.value("section", "") == "page");
    // The lines a record was read from are understood.
    if (r.line >= 1 && static_cast<size_t>(r.line) <= used.size()) used[static_cast<size_t>(r.line - 1)] = true;
    e.records.push_back(std::move(r));
  }
  // A page headed by a project's name over its basics.
  if (project_page) {
    e.document.recognisers.push_back("project_page");
    if (layouts.empty() && e.document.shape == ShapeName(Shape::kUnknown)) e.document.shape = "project_page";
  }
  if (!document_date) DateFiguresByAConcludedEvent(e.records);
  for (size_t i = 0; i < unplaced.size(); ++i) {
    if (unplaced[i] && !cl.blank[i] && !used[i]) e.not_understood.push_back({static_cast<int>(i + 1), cl.clean[i]});
  }

  std::stable_sort(e.records.begin(), e.records.end(),
                   [](const Record& a, const Record& b) { return a.line < b.line; });
  internal::CheckTruncation(doc, e);
  return e;
}

}  // namespace octopus::ingest
