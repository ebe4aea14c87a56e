/// An activity sheet of the joint programmes' database:
///   Title CyberCrime@EAP - Activities under Expected Result 2 in 2011: …
///   Activities:
///   1) Legal opinion on the draft amendments (May)
///   2) Regional seminar on international cooperation (5-6 September, Chisinau, Moldova)
///   Date 01/03/2011 - 31/12/2011
///   Countries CoE Members: Armenia / Azerbaijan / …
///   Project Purpose 2 - 2011/DGHL/JP/2523   Eastern Partnership - Cooperation against Cybercrime (Cyber@EAP)
/// The listed activities take their year from the sheet's period when it lies in one year.

#include <algorithm>

#include "core/text.h"
#include "ingest/internal/recognisers.h"

namespace octopus::ingest::internal {

namespace {

using nlohmann::json;

// "2) Title (when, place)" → number, rest; "" when the line is no numbered entry.
std::string NumberedEntry(std::string_view s) {
  size_t k = 0;
  while (k < s.size() && k < 3 && s[k] >= '0' && s[k] <= '9') ++k;
  if (k == 0 || k >= s.size() || (s[k] != ')' && s[k] != '.')) return "";
  return std::string(text::Trim(s.substr(k + 1)));
}

std::string After(std::string_view s, std::string_view key) {
  return std::string(text::Trim(s.substr(key.size())));
}

}  // namespace

LayoutResult ExtractActivitySheet(const TextDocument& doc, const MentionFinder& finder) {
  return ExtractActivitySheet(doc, CleanLines(doc), finder);
}

LayoutResult ExtractActivitySheet(const TextDocument&, const CleanLines& cl, const MentionFinder& finder) {
  LayoutResult out;
  const auto& clean = cl.clean;
  std::optional<size_t> title_at, date_at, countries_at, purpose_at;
  std::optional<DatePhrase> period;
  for (size_t i = 0; i < clean.size(); ++i) {
    if (cl.blank[i]) continue;
    const std::string& s = clean[i];
    if (!title_at && text::StartsWith(s, "Title ")) title_at = i;
    if (!date_at && text::StartsWith(s, "Date ")) {
      if (auto p = ParseDatePhrase(After(s, "Date "), 0); p && p->year_given && p->start && p->end) {
        period = p;
        date_at = i;
      }
    }
    if (!countries_at && text::StartsWith(s, "Countries ")) countries_at = i;
    if (!purpose_at && text::StartsWith(s, "Project Purpose")) purpose_at = i;
  }
  if (!title_at || !date_at) return out;
  const std::string title = After(clean[*title_at], "Title ");
  const int year = period->start->year == period->end->year ? period->start->year : 0;

  // The project: the one the title names, its reference and long name from the purpose line.
  const auto named = finder.Projects(title);
  std::vector<std::string> projects;
  if (!named.empty()) {
    const std::string name = title.substr(named[0].begin, named[0].end - named[0].begin);
    projects.push_back(named[0].id);
    json f = EmptyProjectFields(name, "activity_sheet");
    if (countries_at) {
      const std::string c = After(clean[*countries_at], "Countries ");
      f["countries"] = MentionFinder::Ids(finder.Countries(c));
      // "Others: Belarus" continues the list on the next line.
      size_t n = *countries_at + 1;
      while (n < clean.size() && cl.blank[n]) ++n;
      if (n < clean.size() && text::StartsWith(clean[n], "Others:")) {
        auto more = MentionFinder::Ids(finder.Countries(clean[n]));
        auto all = f["countries"].get<std::vector<std::string>>();
        all.insert(all.end(), more.begin(), more.end());
        std::sort(all.begin(), all.end());
        all.erase(std::unique(all.begin(), all.end()), all.end());
        f["countries"] = all;
      }
    }
    if (purpose_at) {
      const std::string& p = clean[*purpose_at];
      // "2011/DGHL/JP/2523": digits, slash-separated capitals, digits.
      for (const std::string& word : text::Split(p, ' ')) {
        if (std::count(word.begin(), word.end(), '/') >= 2 && word.size() >= 8 && word[0] >= '0' && word[0] <= '9') {
          f["reference"] = word;
          break;
        }
      }
      f["purpose"] = p;
    }
    Record r;
    r.kind = "project";
    r.line = static_cast<int>(*title_at + 1);
    r.fields = std::move(f);
    out.extraction.records.push_back(std::move(r));
  }

  for (size_t i = 0; i < clean.size(); ++i) {
    if (cl.blank[i]) continue;
    const std::string entry = NumberedEntry(clean[i]);
    if (entry.empty() || entry.back() != ')') continue;
    const size_t open = entry.rfind('(');
    if (open == std::string::npos || open == 0) continue;
    std::vector<std::string> parts = SplitOutsideParens(entry.substr(open + 1, entry.size() - open - 2), ',');
    if (parts.empty()) continue;
    auto when = ParseDatePhrase(parts.front(), year != 0 ? year : 2000);
    if (!when || !when->start) continue;
    const bool resolved = when->year_given || year != 0;
    const std::string as_written = parts.front();
    parts.erase(parts.begin());
    const std::string what(text::Trim(std::string_view(entry).substr(0, open)));
    std::string place_text;
    for (const auto& p : parts) place_text += p + ", ";
    auto countries = MentionFinder::Ids(finder.Countries(place_text.empty() ? what : place_text));
    Record r;
    r.kind = "activity";
    r.line = static_cast<int>(i + 1);
    r.fields = json::object({{"projects", projects},
                             {"title", what},
                             {"places", parts},
                             {"countries", countries},
                             {"mode", nullptr},
                             {"start", resolved ? IsoOrNull(when->start) : json(nullptr)},
                             {"end", resolved ? IsoOrNull(when->end) : json(nullptr)},
                             {"precision", when->precision},
                             {"as_written", as_written},
                             {"section", "activity_sheet"}});
    if (!when->year_given && resolved) r.fields["date_basis"] = "year from the activity period";
    out.extraction.records.push_back(std::move(r));
  }
  out.extraction.document.title = title;
  out.extraction.document.period_start = period->start->Iso();
  out.extraction.document.period_end = period->end->Iso();
  ItemSpan span;
  span.first = *title_at;
  span.end = clean.size();
  span.year = year;
  span.headings = {*title_at};
  out.items.push_back(std::move(span));
  out.extraction.document.shape = "activity_sheet";
  out.recognisers.push_back("activity_sheet");
  return out;
}

}  // namespace octopus::ingest::internal
