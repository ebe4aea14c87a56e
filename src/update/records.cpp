#include "update/internal/records.h"

#include <algorithm>
#include <cctype>
#include <charconv>
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

std::optional<double> ParseAmount(std::string_view raw) {
  // Digits, one decimal point, thousands commas, and an optional "million".
  std::string text = text::ToLowerAscii(text::Trim(raw));
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

std::string NormaliseMode(std::string_view raw) {
  std::string mode = text::ToLowerAscii(text::Trim(raw));
  std::replace(mode.begin(), mode.end(), '-', ' ');
  std::replace(mode.begin(), mode.end(), '_', ' ');
  if (mode == "in person" || mode == "online" || mode == "hybrid") return mode;
  return {};
}

namespace {

std::string Str(const json& j, const char* key) {
  const auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return {};
  return OneLine(it->get<std::string>());
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
  if (it->is_string()) return ParseAmount(it->get<std::string>());
  return std::nullopt;
}

}  // namespace

TreatyRecords ReadTreatyRecords(const std::vector<store::RecordRow>& rows) {
  TreatyRecords set;
  for (const auto& row : rows) {
    if (row.kind != "treaty_action" && row.kind != "treaty_figure") continue;
    const json j = json::parse(row.fields_json, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      ++set.skipped;
      continue;
    }
    if (row.kind == "treaty_action") {
      TreatyActionRecord t;
      t.id = row.id;
      t.state = Str(j, "state");
      t.treaty = Str(j, "treaty");
      // The registry's code (`action` is the action as the text words it); records stored
      // before the code had a field of its own carry it as `action`.
      t.action = text::ToLowerAscii(Str(j, j.contains("action_code") ? "action_code" : "action"));
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
  return set;
}

}  // namespace octopus::update::internal
