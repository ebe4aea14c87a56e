#include "domain/record.h"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/text.h"

namespace octopus::domain {

namespace {

using nlohmann::json;

constexpr std::string_view kEnDash = "\u2013";

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return !s.empty();
}

/// Text without control characters (tab and newline become spaces).
std::string Clean(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (u == '\t' || u == '\n' || u == '\r') {
      out.push_back(' ');
    } else if (u >= 0x20 && u != 0x7f) {
      out.push_back(c);
    }
  }
  return out;
}

std::string Text(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? Clean(it->get<std::string>()) : std::string();
}

std::vector<std::string> List(const json& j, const char* key) {
  std::vector<std::string> out;
  const auto it = j.find(key);
  if (it == j.end() || !it->is_array()) return out;
  for (const auto& v : *it) {
    if (v.is_string() && !v.get<std::string>().empty()) out.push_back(Clean(v.get<std::string>()));
  }
  return out;
}

std::optional<ReducedDate> DateField(const json& j, const char* key) {
  const std::string text = Text(j, key);
  if (text.empty()) return std::nullopt;
  auto d = ReducedDate::Parse(text);
  if (!d) return std::nullopt;
  return *d;
}

void Append(std::string& body, std::string_view text) {
  if (text.empty()) return;
  if (!body.empty()) body += ". ";
  body += text;
}

using text::Join;

std::string MonthYear(const Date& d) {
  return fmt::format("{} {}", MonthName(d.month()), d.year());
}

/// "27–29 April 2011", "29 November – 1 December 2023", "27 April 2011".
std::string DaySpan(Date a, Date b) {
  if (a == b) return a.ToLongEnglish();
  if (a.year() == b.year() && a.month() == b.month()) {
    return fmt::format("{}{}{} {} {}", a.day(), kEnDash, b.day(), MonthName(a.month()), a.year());
  }
  if (a.year() == b.year()) {
    return fmt::format("{} {} {} {} {} {}", a.day(), MonthName(a.month()), kEnDash, b.day(),
                       MonthName(b.month()), b.year());
  }
  return a.ToLongEnglish() + " " + std::string(kEnDash) + " " + b.ToLongEnglish();
}

/// A reduced date as read: "3 October 2023", "October 2023", "2023".
std::string ShowReduced(const ReducedDate& d) {
  switch (d.precision) {
    case Precision::kDay: return d.first.ToLongEnglish();
    case Precision::kMonth: return MonthYear(d.first);
    default: return std::to_string(d.first.year());
  }
}

/// The span a start and end cover, whichever precision each has.
std::string ShowSpan(const ReducedDate& a, const std::optional<ReducedDate>& b) {
  if (!b || b->text == a.text) return ShowReduced(a);
  if (a.precision == Precision::kDay && b->precision == Precision::kDay) {
    return DaySpan(a.first, b->first);
  }
  if (a.precision == Precision::kMonth && b->precision == Precision::kMonth &&
      a.first.year() == b->first.year()) {
    return fmt::format("{}{}{} {}", MonthName(a.first.month()), kEnDash,
                       MonthName(b->first.month()), a.first.year());
  }
  return ShowReduced(a) + " " + std::string(kEnDash) + " " + ShowReduced(*b);
}

}  // namespace

Result<ReducedDate> ReducedDate::Parse(std::string_view text) {
  auto bad = [&] {
    return InvalidArgument("malformed date '" + std::string(text) +
                           "' (expected YYYY-MM-DD, YYYY-MM or YYYY)");
  };
  ReducedDate d;
  d.text = std::string(text);
  if (text.size() == 10) {
    auto day = Date::Parse(text);
    if (!day) return day.status();
    d.first = d.last = *day;
    d.precision = Precision::kDay;
    return d;
  }
  if (text.size() == 7 && text[4] == '-' && AllDigits(text.substr(0, 4)) &&
      AllDigits(text.substr(5, 2))) {
    const int year = std::stoi(std::string(text.substr(0, 4)));
    const int month = std::stoi(std::string(text.substr(5, 2)));
    auto first = Date::Make(year, month, 1);
    if (!first) return bad();
    d.first = *first;
    d.last = first->LastOfMonth();
    d.precision = Precision::kMonth;
    return d;
  }
  if (text.size() == 4 && AllDigits(text)) {
    auto first = Date::Make(std::stoi(std::string(text)), 1, 1);
    if (!first) return bad();
    d.first = *first;
    d.last = *Date::Make(first->year(), 12, 31);
    d.precision = Precision::kYear;
    return d;
  }
  return bad();
}

bool IsSearchableKind(std::string_view kind) {
  for (std::string_view k : kSearchableKinds) {
    if (k == kind) return true;
  }
  return false;
}

std::string KindLabel(std::string_view kind) {
  if (kind == "news_item") return "news";
  if (kind == "treaty_action") return "treaty action";
  if (kind == "treaty_figure") return "treaty figure";
  return std::string(kind);
}

int RecordFacts::year() const {
  if (lo) return lo->year();
  if (start) return start->first.year();
  return 0;
}

std::string RecordFacts::sort_date() const { return lo ? lo->ToIso() : std::string(); }

Result<RecordFacts> ReadRecord(std::string_view kind, std::string_view fields_json) {
  const json j = json::parse(fields_json, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return ParseError("record of kind '" + std::string(kind) + "': fields are not a JSON object");
  }
  RecordFacts r;
  r.kind = std::string(kind);
  r.countries = List(j, "countries");
  r.projects = List(j, "projects");
  if (kind == "news_item") {
    r.title = Text(j, "title");
    r.start = DateField(j, "date");
    for (const char* key : {"place", "event_place"}) {
      std::string p = Text(j, key);
      const bool seen = std::any_of(r.places.begin(), r.places.end(), [&](const std::string& q) {
        return text::FoldKey(q) == text::FoldKey(p);
      });
      if (!p.empty() && !seen) r.places.push_back(std::move(p));
    }
    r.treaties = List(j, "treaties");
    r.summary = Text(j, "body");
    Append(r.body, Join(r.places, ", "));
    Append(r.body, r.summary);
  } else if (kind == "activity") {
    r.title = Text(j, "title");
    r.start = DateField(j, "start");
    r.end = DateField(j, "end");
    r.places = List(j, "places");
    r.mode = Text(j, "mode");
    r.precision = ParsePrecision(Text(j, "precision")).value_or(Precision::kDay);
    Append(r.body, Join(r.places, ", "));
    Append(r.body, Join(r.projects, ", "));
    Append(r.body, r.mode);
  } else if (kind == "project") {
    r.title = Text(j, "name");
    // A project belongs to its own project facet.
    if (!r.title.empty()) r.projects = {r.title};
    r.start = DateField(j, "start");
    r.end = DateField(j, "end");
    r.summary = Text(j, "scope");
    Append(r.body, r.summary);
    Append(r.body, Join(List(j, "funders"), ", "));
  } else if (kind == "treaty_action") {
    r.title = fmt::format("{} {} {}", Text(j, "state"), Text(j, "action"), Text(j, "treaty"));
    r.start = DateField(j, "date");
  } else if (kind == "treaty_figure") {
    const auto count = j.find("count");
    r.title = fmt::format("{} {}: {}", Text(j, "treaty"), Text(j, "measure"),
                          count != j.end() && count->is_number_integer() ? count->dump() : "?");
    r.start = DateField(j, "as_of");
  } else if (kind == "link") {
    r.title = Text(j, "caption");
  }
  if (r.start) {
    r.lo = r.start->first;
    r.hi = r.end ? r.end->last : r.start->last;
  } else if (r.end) {
    // "By October": the end is all the source gives.
    r.lo = r.end->precision == Precision::kDay ? r.end->first.FirstOfMonth() : r.end->first;
    r.hi = r.end->last;
  }
  if (r.lo && r.hi && *r.hi < *r.lo) r.hi = r.lo;
  if (text::Trim(r.title).empty()) r.title = "Untitled " + KindLabel(kind);
  return r;
}

std::string DescribeWhen(const RecordFacts& r) {
  const std::optional<ReducedDate>& any = r.start ? r.start : r.end;
  switch (r.precision) {
    case Precision::kBy:
      if (r.end) return "by " + ShowReduced(*r.end);
      if (r.start) return "by " + ShowReduced(*r.start);
      return "date not given";
    case Precision::kMid:
      if (any) return fmt::format("mid-{}", MonthYear(any->first));
      return "date not given";
    case Precision::kTbc:
    case Precision::kTbd:
      if (r.start) return ShowSpan(*r.start, r.end) + " (TBC)";
      if (r.end) return ShowReduced(*r.end) + " (TBC)";
      return "TBC";
    default:
      break;
  }
  if (r.start) return ShowSpan(*r.start, r.end);
  if (r.end) return "until " + ShowReduced(*r.end);
  return "date not given";
}

}  // namespace octopus::domain
