#include "ingest/extract.h"

#include <algorithm>

#include "ingest/internal/mentions.h"
#include "ingest/internal/recognisers.h"
#include "ingest/internal/shapes.h"

namespace octopus::ingest {

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

Shape DetectShape(const TextDocument& doc) {
  const int update = internal::QuarterlyUpdateScore(doc);
  const int news = internal::NewsPageScore(doc);
  if (update >= 4 && update >= news) return Shape::kQuarterlyUpdate;
  if (news >= 2) return Shape::kNewsPage;
  return Shape::kUnknown;
}

Extraction Extract(const TextDocument& doc, const ExtractContext& ctx) {
  const internal::MentionFinder finder(ctx.gazetteer, ctx.catalog, internal::LooksFrench(doc.lines));
  Extraction e;
  switch (DetectShape(doc)) {
    case Shape::kQuarterlyUpdate:
      e = internal::ExtractQuarterlyUpdate(doc, finder);
      break;
    case Shape::kNewsPage:
      e = internal::ExtractNewsPage(doc, finder);
      break;
    case Shape::kUnknown: {
      // The later site's listing shape has no brackets: the news reader finds its date lines.
      e = internal::ExtractNewsPage(doc, finder);
      const bool found = std::any_of(e.records.begin(), e.records.end(),
                                     [](const Record& r) { return r.kind == "news_item"; });
      if (!found) {
        e = Extraction{};
        e.document.shape = std::string(ShapeName(Shape::kUnknown));
        for (size_t i = 0; i < doc.lines.size(); ++i) {
          if (!internal::IsBlank(doc.lines[i])) {
            e.not_understood.push_back({static_cast<int>(i + 1), internal::CleanLine(doc.lines[i])});
          }
        }
      }
      break;
    }
  }
  std::vector<internal::ItemSpan> items;
  if (e.records.empty()) {
    for (auto* recognise : {internal::ExtractNewsItemPage, internal::ExtractConferencePage,
                            internal::ExtractActivitySheet}) {
      internal::LayoutResult r = recognise(doc, finder);
      if (r.recognisers.empty()) continue;
      for (Record& rec : r.extraction.records) e.records.push_back(std::move(rec));
      for (auto& item : r.items) items.push_back(item);
      if (e.document.title.empty()) e.document.title = r.extraction.document.title;
      if (!e.document.date) {
        e.document.date = r.extraction.document.date;
        e.document.date_basis = r.extraction.document.date_basis;
      }
      for (auto& name : r.recognisers) e.document.recognisers.push_back(name);
    }
  }
  for (Record& r : internal::NonTreatyStatements(doc, finder, items, e)) e.records.push_back(std::move(r));
  std::stable_sort(e.records.begin(), e.records.end(),
                   [](const Record& a, const Record& b) { return a.line < b.line; });
  std::stable_sort(e.not_understood.begin(), e.not_understood.end(),
                   [](const NotUnderstood& a, const NotUnderstood& b) { return a.line < b.line; });
  internal::CheckTruncation(doc, e);
  return e;
}

}  // namespace octopus::ingest
