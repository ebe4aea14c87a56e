#include "domain/treaty_json.h"

#include <stdexcept>

#include <nlohmann/json.hpp>

namespace octopus::domain {

namespace {

using nlohmann::json;

// Field access that names the field in its error.
template <typename T>
T Get(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) throw std::invalid_argument(std::string(key) + ": missing");
  try {
    return it->get<T>();
  } catch (const json::exception& e) {
    throw std::invalid_argument(std::string(key) + ": " + e.what());
  }
}

template <typename T>
T GetOr(const json& j, const char* key, T fallback) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  return Get<T>(j, key);
}

const json& Section(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end()) throw std::invalid_argument(std::string(key) + ": missing");
  return *it;
}

// Runs `f`, prefixing any error with the rule it belongs to.
template <typename F>
auto InRule(const char* rule, F f) {
  try {
    return f();
  } catch (const std::exception& e) {
    throw std::invalid_argument(std::string(rule) + ": " + e.what());
  }
}

std::optional<Period> PeriodFrom(const json& j) {
  if (j.is_null()) return std::nullopt;
  Period p;
  const std::string kind = Get<std::string>(j, "kind");
  if (kind == "first_day_after_months") {
    p.kind = Period::Kind::kFirstDayAfterMonths;
  } else if (kind == "nth_day_after") {
    p.kind = Period::Kind::kNthDayAfter;
  } else {
    throw std::invalid_argument("unknown period kind '" + kind + "'");
  }
  p.count = Get<int>(j, "count");
  if (p.count <= 0 || p.count > 1000) throw std::invalid_argument("period count out of range");
  return p;
}

json PeriodTo(const std::optional<Period>& p) {
  if (!p) return nullptr;
  return {{"kind", p->kind == Period::Kind::kNthDayAfter ? "nth_day_after"
                                                                  : "first_day_after_months"},
          {"count", p->count}};
}

Date DateFrom(const json& j, const char* field) {
  auto d = Date::Parse(Get<std::string>(j, field));
  if (!d) throw std::invalid_argument(std::string(field) + ": " + d.status().message());
  return *d;
}

std::string Str(const json& j, const char* field) {
  auto it = j.find(field);
  return it == j.end() || it->is_null() ? std::string() : it->get<std::string>();
}

ConsentRule ConsentFrom(const json& j) {
  ConsentRule r;
  r.allowed = GetOr<bool>(j, "allowed", true);
  r.requires_invitation = GetOr<bool>(j, "requires_invitation", false);
  r.only_after_entry_into_force = GetOr<bool>(j, "only_after_entry_into_force", false);
  r.period = PeriodFrom(Section(j, "period"));
  r.article = Str(j, "article");
  r.text = Str(j, "text");
  return r;
}

json ConsentTo(const ConsentRule& r) {
  return {{"allowed", r.allowed},           {"requires_invitation", r.requires_invitation},
          {"only_after_entry_into_force", r.only_after_entry_into_force},
          {"period", PeriodTo(r.period)}, {"article", r.article},
          {"text", r.text}};
}

Treaty TreatyFrom(const json& j) {
  Treaty t;
  t.ref = Get<std::string>(j, "ref");
  t.number = GetOr<int>(j, "number", 0);
  t.aliases = GetOr<std::vector<std::string>>(j, "aliases", std::vector<std::string>{});
  t.title = Get<std::string>(j, "title");
  t.short_title = Str(j, "short_title");
  t.opened = DateFrom(j, "opened");
  t.opened_place = Str(j, "opened_place");
  t.parent = Str(j, "parent");
  t.signature_requires_ratification = GetOr<bool>(j, "signature_requires_ratification", true);
  const json& e = Section(j, "entry_into_force");
  InRule("entry_into_force", [&] {
    t.entry_into_force.threshold = GetOr<int>(e, "threshold", 0);
    t.entry_into_force.min_member_states = GetOr<int>(e, "min_member_states", 0);
    t.entry_into_force.count_reio = GetOr<bool>(e, "count_reio", true);
    t.entry_into_force.period = PeriodFrom(Section(e, "period"));
    t.entry_into_force.article = Str(e, "article");
    t.entry_into_force.text = Str(e, "text");
  });
  t.later_consent = InRule("later_consent", [&] { return ConsentFrom(Section(j, "later_consent")); });
  t.accession = InRule("accession", [&] { return ConsentFrom(Section(j, "accession")); });
  if (j.contains("invitation_validity_years") && !j["invitation_validity_years"].is_null()) {
    t.invitation_validity_years = Get<int>(j, "invitation_validity_years");
  }
  if (j.contains("denunciation")) {
    t.denunciation = InRule("denunciation", [&] { return PeriodFrom(j["denunciation"]); });
  }
  if (j.contains("stated_entry_into_force") && !j["stated_entry_into_force"].is_null()) {
    t.stated_entry_into_force = DateFrom(j, "stated_entry_into_force");
  }
  t.stated_entry_into_force_source = Str(j, "stated_entry_into_force_source");
  t.sources = GetOr<std::vector<std::string>>(j, "sources", std::vector<std::string>{});
  t.completeness = Str(j, "completeness");
  return t;
}

}  // namespace

std::string TreatyToJson(const Treaty& t) {
  json j = {{"ref", t.ref},
            {"number", t.number},
            {"aliases", t.aliases},
            {"title", t.title},
            {"short_title", t.short_title},
            {"opened", t.opened.ToIso()},
            {"opened_place", t.opened_place},
            {"parent", t.parent.empty() ? json(nullptr) : json(t.parent)},
            {"signature_requires_ratification", t.signature_requires_ratification},
            {"entry_into_force",
             {{"threshold", t.entry_into_force.threshold},
              {"min_member_states", t.entry_into_force.min_member_states},
              {"count_reio", t.entry_into_force.count_reio},
              {"period", PeriodTo(t.entry_into_force.period)},
              {"article", t.entry_into_force.article},
              {"text", t.entry_into_force.text}}},
            {"later_consent", ConsentTo(t.later_consent)},
            {"accession", ConsentTo(t.accession)},
            {"invitation_validity_years",
             t.invitation_validity_years ? json(*t.invitation_validity_years) : json(nullptr)},
            {"denunciation", PeriodTo(t.denunciation)},
            {"stated_entry_into_force", t.stated_entry_into_force
                                            ? json(t.stated_entry_into_force->ToIso())
                                            : json(nullptr)},
            {"stated_entry_into_force_source", t.stated_entry_into_force_source},
            {"sources", t.sources},
            {"completeness", t.completeness}};
  return j.dump();
}

Result<Treaty> TreatyFromJson(std::string_view text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return ParseError("treaty rules: invalid JSON");
  try {
    return TreatyFrom(j);
  } catch (const std::exception& e) {
    return ParseError(std::string("treaty rules: ") + e.what());
  }
}

}  // namespace octopus::domain
