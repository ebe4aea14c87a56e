#include "ingest/internal/treaty_chart.h"

#include <string>

#include "core/text.h"
#include "ingest/internal/action_wording.h"

namespace octopus::ingest::internal {

namespace {

using nlohmann::json;

constexpr size_t kMinRows = 3;  // fewer rows are dates in a table, not a chart

struct Row {
  size_t line = 0;
  std::string state;
  std::optional<PartialDate> signature, consent, entry_into_force;
  bool accession = false;
  std::vector<std::string> flags;  ///< "R", "D", "A", … the row marks
};

bool IsFirstOfMonth(const std::optional<PartialDate>& d) { return d && d->day == 1; }

// The row a line is, if it starts with a State and then gives chart dates.
std::optional<Row> ReadRow(std::string_view raw, const std::string& clean, const MentionFinder& finder) {
  Row row;
  if (raw.find('\t') != std::string_view::npos) {
    std::vector<std::string> cells = text::Split(raw, '\t');
    for (std::string& c : cells) c = std::string(text::Trim(c));
    if (cells.size() < 3) return std::nullopt;
    const domain::Country* c = finder.gazetteer().Find(cells[0]);
    if (!c) return std::nullopt;
    row.state = c->iso2;
    row.signature = ParseDayMonthYear(cells[1]);
    row.consent = ParseDayMonthYear(cells[2]);
    if (cells.size() > 3) row.entry_into_force = ParseDayMonthYear(cells[3]);
    if (!row.signature && !row.consent) return std::nullopt;
    if ((!cells[1].empty() && !row.signature) || (!cells[2].empty() && !row.consent)) return std::nullopt;
    if (cells.size() > 4) row.accession = text::FoldKey(cells[4]) == "a";
    static constexpr const char* kFlags[] = {"R", "D", "A", "T", "C", "O"};
    for (size_t k = 0; k < std::size(kFlags) && 5 + k < cells.size(); ++k) {
      if (text::FoldKey(cells[5 + k]) == "x") row.flags.push_back(kFlags[k]);
    }
    return row;
  }
  // Run together: the State's name, then dates, then perhaps the Notes' "a".
  std::vector<std::string> words = text::Split(clean, ' ');
  size_t first_date = words.size();
  for (size_t k = 0; k < words.size(); ++k) {
    if (ParseDayMonthYear(words[k])) {
      first_date = k;
      break;
    }
  }
  if (first_date == 0 || first_date == words.size()) return std::nullopt;
  std::string name;
  for (size_t k = 0; k < first_date; ++k) name += (k ? " " : "") + words[k];
  const domain::Country* c = finder.gazetteer().Find(name);
  if (!c) return std::nullopt;
  row.state = c->iso2;
  std::vector<PartialDate> dates;
  size_t k = first_date;
  for (; k < words.size(); ++k) {
    auto d = ParseDayMonthYear(words[k]);
    if (!d) break;
    dates.push_back(*d);
  }
  for (; k < words.size(); ++k) {
    const std::string f = text::FoldKey(words[k]);
    if (f == "a") {
      row.accession = true;
    } else if (!f.empty() && f != "x") {
      return std::nullopt;  // more than a chart's notes: prose
    }
  }
  if (dates.size() > 3) return std::nullopt;
  if (dates.size() == 3) {
    row.signature = dates[0];
    row.consent = dates[1];
    row.entry_into_force = dates[2];
  } else if (dates.size() == 2 && (row.accession || (IsFirstOfMonth(dates[1]) && !IsFirstOfMonth(dates[0])))) {
    row.consent = dates[0];
    row.entry_into_force = dates[1];
  } else if (dates.size() == 2) {
    row.signature = dates[0];
    row.consent = dates[1];
  } else if (row.accession) {
    row.consent = dates[0];
  } else {
    row.signature = dates[0];
  }
  return row;
}

}  // namespace

std::optional<PartialDate> ParseDayMonthYear(std::string_view s) {
  s = text::Trim(s);
  int part[3] = {0, 0, 0};
  size_t digits[3] = {0, 0, 0};
  size_t k = 0;
  for (char c : s) {
    if (c == '/') {
      if (++k > 2) return std::nullopt;
    } else if (c >= '0' && c <= '9') {
      if (++digits[k] > 4) return std::nullopt;
      part[k] = part[k] * 10 + (c - '0');
    } else {
      return std::nullopt;
    }
  }
  if (k != 2 || digits[0] == 0 || digits[0] > 2 || digits[1] == 0 || digits[1] > 2 || digits[2] != 4) {
    return std::nullopt;
  }
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const int day = part[0], month = part[1], year = part[2];
  if (month < 1 || month > 12 || day < 1 || day > kDays[month - 1] || year < 1900) return std::nullopt;
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (month == 2 && day == 29 && !leap) return std::nullopt;
  return PartialDate{year, month, day};
}

std::vector<Record> ExtractChartRows(const TextDocument& doc, const CleanLines& lines, const MentionFinder& finder,
                                     std::vector<bool>* used) {
  std::vector<Row> rows;
  std::optional<PartialDate> status;
  size_t status_line = 0;
  for (size_t i = 0; i < doc.lines.size(); ++i) {
    if (lines.blank[i]) continue;
    if (!status && lines.clean[i].size() < 80 && text::FoldKey(lines.clean[i]).rfind("status as of", 0) == 0) {
      std::string_view rest = text::Trim(std::string_view(lines.clean[i]).substr(12));
      if (!rest.empty() && rest.front() == ':') rest = text::Trim(rest.substr(1));
      status = ParseDayMonthYear(rest);
      if (!status) status = ParseExactDay(rest);
      status_line = i;
      continue;
    }
    if (auto row = ReadRow(doc.lines[i], lines.clean[i], finder)) {
      row->line = i;
      rows.push_back(std::move(*row));
    }
  }
  if (rows.size() < kMinRows) return {};
  // The treaty: the one named above the first row.
  std::string treaty;
  for (size_t i = 0; i < rows.front().line && treaty.empty(); ++i) {
    if (lines.blank[i]) continue;
    if (auto t = finder.Treaties(lines.clean[i]); !t.empty()) treaty = t.front().id;
  }
  if (treaty.empty()) return {};
  if (used) {
    for (const Row& r : rows) (*used)[r.line] = true;
    if (status) (*used)[status_line] = true;
  }
  std::vector<Record> out;
  auto add = [&](const Row& row, const char* action, const std::optional<PartialDate>& date,
                 const std::optional<PartialDate>& eif) {
    Record r;
    r.kind = "treaty_action";
    r.line = static_cast<int>(row.line + 1);
    r.fields = json::object({{"state", row.state},
                             {"treaty", treaty},
                             {"action", ActionName(action)},
                             {"action_code", action},
                             {"date", IsoOrNull(date)},
                             {"entry_into_force", IsoOrNull(eif)},
                             {"reported", IsoOrNull(status)},
                             {"span", lines.clean[row.line]},
                             {"chart", true}});
    if (!row.flags.empty()) r.fields["flags"] = row.flags;
    out.push_back(std::move(r));
  };
  for (const Row& row : rows) {
    if (row.signature) add(row, "signature", row.signature, std::nullopt);
    if (row.consent) add(row, row.accession ? "accession" : "ratification", row.consent, row.entry_into_force);
  }
  return out;
}

}  // namespace octopus::ingest::internal
