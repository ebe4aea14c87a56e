#pragma once
/// Atom 1.0 (RFC 4287) feeds. Text is escaped for XML, and characters XML 1.0
/// cannot carry are dropped, so that any record gives a well-formed feed.

#include <string>
#include <string_view>
#include <vector>

namespace octopus::publish {

struct AtomEntry {
  std::string id;       ///< an IRI, unique and permanent ("tag:octopus,2009:news/12")
  std::string title;
  std::string link;     ///< the page (relative to the feed's URL is allowed)
  std::string updated;  ///< RFC 3339 ("2011-04-29T00:00:00Z")
  std::string summary;  ///< plain text; left out when empty
  std::vector<std::string> categories;
};

struct AtomFeed {
  std::string id;
  std::string title;
  std::string self_link;       ///< the feed's own URL
  std::string alternate_link;  ///< the page it mirrors
  std::string updated;         ///< RFC 3339; the newest entry's when empty
  std::string author = "Octopus";
  std::vector<AtomEntry> entries;
};

/// The feed as UTF-8 XML.
std::string RenderAtom(const AtomFeed& feed);

/// Text for XML content and attributes: & < > " ' escaped; control characters
/// other than tab, newline and carriage return, and invalid UTF-8, dropped.
std::string XmlText(std::string_view s);

/// "YYYY-MM-DD" → "YYYY-MM-DDT00:00:00Z".
std::string AtomDate(std::string_view iso_day);

}  // namespace octopus::publish
