#include "update/internal/records.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <nlohmann/json.hpp>

#include "core/text.h"

namespace octopus::update::internal {

using nlohmann::json;

std::optional<IsoDate> IsoDate::Parse(std::string_view text) {
  text = text::Trim(text);
  auto number = [&](size_t pos, size_t len) -> int {
    if (pos + len > text.size()) return -1;
    int v = 0;
    for (size_t i = pos; i < pos + len; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(text[i]))) return -1;
      v = v * 10 + (text[i] - '0');
    }
    return v;
  };
  const int year = number(0, 4);
  if (year < 1) return std::nullopt;
  if (text.size() == 4) {
    return IsoDate{*domain::Date::Make(year, 1, 1), *domain::Date::Make(year, 12, 31),
                   Grain::kYear};
  }
  if (text.size() < 7 || text[4] != '-') return std::nullopt;
  const int month = number(5, 2);
  const auto first = domain::Date::Make(year, month, 1);
  if (!first) return std::nullopt;
  if (text.size() == 7) return IsoDate{*first, first->LastOfMonth(), Grain::kMonth};
  if (text.size() != 10 || text[7] != '-') return std::nullopt;
  const auto day = domain::Date::Make(year, month, number(8, 2));
  if (!day) return std::nullopt;
  return IsoDate{*day, *day, Grain::kDay};
}

std::optional<domain::Date> ActivityRecord::Lo() const {
  if (start) return start->lo;
  // "by 30 July" bounds only the end; "TBC" with an end month bounds both.
  if (end && precision != domain::Precision::kBy) return end->lo;
  return std::nullopt;
}

std::optional<domain::Date> ActivityRecord::Hi() const {
  if (end) return end->hi;
  if (start) return start->hi;
  return std::nullopt;
}

std::optional<domain::Date> ActivityRecord::Anchor() const {
  if (start) return start->lo;
  if (end) return end->lo;
  return std::nullopt;
}

std::string ProjectKey(std::string_view name) {
  std::string out;
  for (const std::string& word : text::Split(text::ToLowerAscii(name), ' ')) {
    if (word == "project" || word == "projects") continue;
    for (char c : word) {
      if (std::isalnum(static_cast<unsigned char>(c)) || c == '+') out.push_back(c);
    }
  }
  return out;
}

std::string OneLine(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : text::Trim(s)) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

namespace {

std::string Str(const json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return {};
  return OneLine(it->get<std::string>());
}

// A field of several paragraphs (a news body): line breaks kept.
std::string Paragraphs(const json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return {};
  return std::string(text::Trim(it->get<std::string>()));
}

std::vector<std::string> Strs(const json& j, const char* key) {
  std::vector<std::string> out;
  const auto it = j.find(key);
  if (it == j.end()) return out;
  if (it->is_string()) {
    if (std::string one = OneLine(it->get<std::string>()); !one.empty()) out.push_back(one);
    return out;
  }
  if (!it->is_array()) return out;
  for (const auto& v : *it) {
    if (v.is_string() && !text::Trim(v.get<std::string>()).empty()) {
      out.push_back(OneLine(v.get<std::string>()));
    }
  }
  return out;
}

std::optional<IsoDate> DateField(const json& j, const char* key) {
  const std::string s = Str(j, key);
  if (s.empty()) return std::nullopt;
  return IsoDate::Parse(s);
}

std::optional<double> Number(const json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end()) return std::nullopt;
  if (it->is_number()) return it->get<double>();
  if (it->is_string()) {
    // "4.945", "10,000,000" or "4.945 million": digits, one decimal point,
    // thousands commas, and an optional "million".
    std::string text = text::ToLowerAscii(text::Trim(it->get<std::string>()));
    double scale = 1;
    for (const std::string_view suffix : {"million", "m"}) {
      if (text.size() > suffix.size() && text.ends_with(suffix)) {
        text.resize(text.size() - suffix.size());
        scale = 1e6;
        break;
      }
    }
    std::string digits;
    for (char c : text) {
      if (std::isdigit(static_cast<unsigned char>(c)) || c == '.')
        digits.push_back(c);
      else if (c != ',' && c != ' ')
        return std::nullopt;
    }
    double v = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
    return v * scale;
  }
  return std::nullopt;
}

std::string NormaliseMode(std::string mode) {
  mode = text::ToLowerAscii(mode);
  std::replace(mode.begin(), mode.end(), '-', ' ');
  if (mode == "in person" || mode == "online" || mode == "hybrid") return mode;
  return {};
}

// A save-the-date entry is kept beside the same activity in an inventory.
std::string ActivityKey(const ActivityRecord& a) {
  std::string key = a.section == "save_the_date" ? "save|" : "";
  key += text::FoldKey(a.title);
  key += '|';
  if (a.start) key += a.start->lo.ToIso();
  key += '|';
  if (a.end) key += a.end->hi.ToIso();
  for (const auto& c : a.countries) key += '|' + c;
  return key;
}

// Keeps the last of each key, in the order of first appearance.
template <typename T, typename KeyFn>
std::vector<T> LatestOfEach(std::vector<T> items, KeyFn key) {
  std::map<std::string, size_t> position;
  std::vector<T> out;
  for (auto& item : items) {
    const std::string k = key(item);
    const auto it = position.find(k);
    if (it == position.end()) {
      position.emplace(k, out.size());
      out.push_back(std::move(item));
    } else {
      out[it->second] = std::move(item);
    }
  }
  return out;
}

// Later non-empty values win; lists keep the longest seen.
void MergeInto(ProjectRecord& into, ProjectRecord&& from) {
  auto text = [](std::string& a, std::string& b) {
    if (!b.empty()) a = std::move(b);
  };
  auto list = [](std::vector<std::string>& a, std::vector<std::string>& b) {
    if (b.size() > a.size()) a = std::move(b);
  };
  text(into.scope, from.scope);
  text(into.budget_currency, from.budget_currency);
  text(into.duration_text, from.duration_text);
  text(into.budget_text, from.budget_text);
  text(into.funding_text, from.funding_text);
  if (from.start) into.start = from.start;
  if (from.end) into.end = from.end;
  if (from.budget_amount) into.budget_amount = from.budget_amount;
  list(into.funders, from.funders);
  list(into.countries, from.countries);
  list(into.members, from.members);
}

std::vector<ProjectRecord> MergeProjects(std::vector<ProjectRecord> projects) {
  std::map<std::string, size_t> position;
  std::vector<ProjectRecord> out;
  for (auto& p : projects) {
    const auto [it, fresh] = position.emplace(ProjectKey(p.name), out.size());
    if (fresh)
      out.push_back(std::move(p));
    else
      MergeInto(out[it->second], std::move(p));
  }
  return out;
}

}  // namespace

RecordSet ReadRecords(const std::vector<store::RecordRow>& rows,
                      const std::vector<store::DocumentRow>& documents) {
  RecordSet set;
  for (const auto& d : documents) {
    if (!d.period_end) continue;
    if (auto end = IsoDate::Parse(*d.period_end))
      set.document_period_end.emplace_back(d.id, end->hi);
  }
  for (const auto& row : rows) {
    const json j = json::parse(row.fields_json, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      ++set.skipped;
      continue;
    }
    if (row.kind == "news_item") {
      NewsRecord n;
      n.id = row.id;
      n.document_id = row.document_id;
      n.title = Str(j, "title");
      n.place = Str(j, "place");
      n.event_place = Str(j, "event_place");
      n.body = Paragraphs(j, "body");
      n.date = DateField(j, "date");
      n.event_start = DateField(j, "event_start");
      n.event_end = DateField(j, "event_end");
      n.countries = Strs(j, "countries");
      n.projects = Strs(j, "projects");
      n.treaties = Strs(j, "treaties");
      n.section = Str(j, "section");
      n.as_written = Str(j, "as_written");
      if (n.title.empty()) {
        ++set.skipped;
        continue;
      }
      set.news.push_back(std::move(n));
    } else if (row.kind == "activity") {
      ActivityRecord a;
      a.id = row.id;
      a.document_id = row.document_id;
      a.title = Str(j, "title");
      a.mode = NormaliseMode(Str(j, "mode"));
      a.as_written = Str(j, "as_written");
      a.section = text::ToLowerAscii(Str(j, "section"));
      a.projects = Strs(j, "projects");
      a.places = Strs(j, "places");
      a.countries = Strs(j, "countries");
      a.start = DateField(j, "start");
      a.end = DateField(j, "end");
      const std::string precision = text::ToLowerAscii(Str(j, "precision"));
      if (auto p = domain::ParsePrecision(precision)) {
        a.precision = *p;
      } else if (a.start && a.start->grain != IsoDate::Grain::kDay) {
        a.precision = a.start->grain == IsoDate::Grain::kYear ? domain::Precision::kYear
                                                              : domain::Precision::kMonth;
      }
      if (a.title.empty()) {
        ++set.skipped;
        continue;
      }
      set.activities.push_back(std::move(a));
    } else if (row.kind == "project") {
      ProjectRecord p;
      p.id = row.id;
      p.name = Str(j, "name");
      p.scope = Str(j, "scope");
      p.start = DateField(j, "start");
      p.end = DateField(j, "end");
      p.budget_amount = Number(j, "budget_amount");
      p.budget_currency = Str(j, "budget_currency");
      p.funders = Strs(j, "funders");
      p.countries = Strs(j, "countries");
      p.members = Strs(j, "projects");
      p.duration_text = Str(j, "duration");
      p.budget_text = Str(j, "budget");
      p.funding_text = Str(j, "funding");
      if (ProjectKey(p.name).empty()) {
        ++set.skipped;
        continue;
      }
      set.projects.push_back(std::move(p));
    } else if (row.kind == "treaty_action") {
      TreatyActionRecord t;
      t.id = row.id;
      t.state = Str(j, "state");
      t.treaty = Str(j, "treaty");
      t.action = text::ToLowerAscii(Str(j, "action"));
      t.date = DateField(j, "date");
      t.entry_into_force = DateField(j, "entry_into_force");
      t.reported = DateField(j, "reported");
      set.actions.push_back(std::move(t));
    } else if (row.kind == "treaty_figure") {
      TreatyFigureRecord f;
      f.id = row.id;
      f.treaty = Str(j, "treaty");
      f.measure = text::ToLowerAscii(Str(j, "measure"));
      const auto count = Number(j, "count");
      f.as_of_text = Str(j, "as_of");
      f.as_of = IsoDate::Parse(f.as_of_text);
      const auto at_least = j.find("at_least");
      f.at_least = at_least != j.end() && at_least->is_boolean() && at_least->get<bool>();
      if (!count || f.measure.empty()) {
        ++set.skipped;
        continue;
      }
      f.count = static_cast<int>(*count);
      set.figures.push_back(std::move(f));
    }
  }
  set.activities = LatestOfEach(std::move(set.activities), ActivityKey);
  set.projects = MergeProjects(std::move(set.projects));
  return set;
}

}  // namespace octopus::update::internal
