#pragma once
/// Extractors: a TextDocument becomes records (news items, activities,
/// projects, treaty actions and figures, links) and the list of lines that
/// were not understood. The document's shape is recognised from its content:
/// a news page (items dated by a bracketed line, or the later listing shape)
/// or a quarterly update (period, "UPDATE:" sections, inventory of activities).
///
/// Every function here takes untrusted text and never throws or crashes;
/// nothing is guessed: a field the source does not give is null.

#include <string_view>

#include "domain/country.h"
#include "ingest/document.h"
#include "treaty/catalog.h"

namespace octopus::ingest {

enum class Shape { kNewsPage, kQuarterlyUpdate, kUnknown };
std::string_view ShapeName(Shape s);  ///< "news_page", "quarterly_update", "unknown"

/// The names the extractors resolve: countries through the gazetteer shared
/// with the treaty registry, treaties through the treaty catalog.
struct ExtractContext {
  const domain::Gazetteer& gazetteer;
  const treaty::Catalog& catalog;
};

Shape DetectShape(const TextDocument& doc);

/// Extracts the records of `doc`. Fills `document.shape`, `period_*`,
/// `title` and `truncated`; the caller sets path, sha256 and format.
/// Records come in source line order.
Extraction Extract(const TextDocument& doc, const ExtractContext& ctx);

}  // namespace octopus::ingest
