#include "treaty/catalog.h"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/text.h"

namespace octopus::treaty {

using nlohmann::json;
using domain::Date;

namespace {

std::optional<domain::Period> PeriodFrom(const json& j) {
  if (j.is_null()) return std::nullopt;
  domain::Period p;
  const std::string kind = j.at("kind").get<std::string>();
  if (kind == "first_day_after_months") {
    p.kind = domain::Period::Kind::kFirstDayAfterMonths;
  } else if (kind == "nth_day_after") {
    p.kind = domain::Period::Kind::kNthDayAfter;
  } else {
    throw std::invalid_argument("unknown period kind '" + kind + "'");
  }
  p.count = j.at("count").get<int>();
  if (p.count <= 0 || p.count > 1000) throw std::invalid_argument("period count out of range");
  return p;
}

json PeriodTo(const std::optional<domain::Period>& p) {
  if (!p) return nullptr;
  return {{"kind", p->kind == domain::Period::Kind::kNthDayAfter ? "nth_day_after"
                                                                  : "first_day_after_months"},
          {"count", p->count}};
}

Date DateFrom(const json& j, const char* field) {
  auto d = Date::Parse(j.at(field).get<std::string>());
  if (!d) throw std::invalid_argument(std::string(field) + ": " + d.status().message());
  return *d;
}

std::string Str(const json& j, const char* field) {
  auto it = j.find(field);
  return it == j.end() || it->is_null() ? std::string() : it->get<std::string>();
}

domain::ConsentRule ConsentFrom(const json& j) {
  domain::ConsentRule r;
  r.allowed = j.value("allowed", true);
  r.requires_invitation = j.value("requires_invitation", false);
  r.only_after_entry_into_force = j.value("only_after_entry_into_force", false);
  r.period = PeriodFrom(j.at("period"));
  r.article = Str(j, "article");
  r.text = Str(j, "text");
  return r;
}

json ConsentTo(const domain::ConsentRule& r) {
  return {{"allowed", r.allowed},           {"requires_invitation", r.requires_invitation},
          {"only_after_entry_into_force", r.only_after_entry_into_force},
          {"period", PeriodTo(r.period)}, {"article", r.article},
          {"text", r.text}};
}

domain::Treaty TreatyFrom(const json& j) {
  domain::Treaty t;
  t.ref = j.at("ref").get<std::string>();
  t.number = j.value("number", 0);
  t.aliases = j.value("aliases", std::vector<std::string>{});
  t.title = j.at("title").get<std::string>();
  t.short_title = Str(j, "short_title");
  t.opened = DateFrom(j, "opened");
  t.opened_place = Str(j, "opened_place");
  t.parent = Str(j, "parent");
  t.signature_requires_ratification = j.value("signature_requires_ratification", true);
  const json& e = j.at("entry_into_force");
  t.entry_into_force.threshold = e.value("threshold", 0);
  t.entry_into_force.min_member_states = e.value("min_member_states", 0);
  t.entry_into_force.count_reio = e.value("count_reio", true);
  t.entry_into_force.period = PeriodFrom(e.at("period"));
  t.entry_into_force.article = Str(e, "article");
  t.entry_into_force.text = Str(e, "text");
  t.later_consent = ConsentFrom(j.at("later_consent"));
  t.accession = ConsentFrom(j.at("accession"));
  if (j.contains("invitation_validity_years") && !j["invitation_validity_years"].is_null()) {
    t.invitation_validity_years = j["invitation_validity_years"].get<int>();
  }
  if (j.contains("denunciation")) t.denunciation = PeriodFrom(j["denunciation"]);
  if (j.contains("stated_entry_into_force") && !j["stated_entry_into_force"].is_null()) {
    t.stated_entry_into_force = DateFrom(j, "stated_entry_into_force");
  }
  t.stated_entry_into_force_source = Str(j, "stated_entry_into_force_source");
  t.sources = j.value("sources", std::vector<std::string>{});
  t.completeness = Str(j, "completeness");
  return t;
}

}  // namespace

std::string TreatyToJson(const domain::Treaty& t) {
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

Result<domain::Treaty> TreatyFromJson(std::string_view text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return ParseError("treaty rules: invalid JSON");
  try {
    return TreatyFrom(j);
  } catch (const std::exception& e) {
    return ParseError(std::string("treaty rules: ") + e.what());
  }
}

Result<Catalog> Catalog::FromJson(std::string_view text, std::string_view source) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return ParseError(std::string(source) + ": invalid JSON");
  if (!j.contains("treaties") || !j["treaties"].is_array()) {
    return ParseError(std::string(source) + ": missing \"treaties\" array");
  }
  std::vector<domain::Treaty> out;
  for (size_t i = 0; i < j["treaties"].size(); ++i) {
    const json& t = j["treaties"][i];
    try {
      out.push_back(TreatyFrom(t));
    } catch (const std::exception& e) {
      return ParseError(std::string(source) + ": treaty #" + std::to_string(i + 1) + " (" +
                        t.value("ref", std::string("?")) + "): " + e.what());
    }
  }
  return Catalog(std::move(out));
}

Result<Catalog> Catalog::LoadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return FromJson(ss.str(), path);
}

const domain::Treaty* Catalog::Resolve(std::string_view ref) const {
  const int number = domain::ParseTreatyNumber(ref);
  if (number > 0) {
    for (const auto& t : treaties_) {
      if (t.number == number) return &t;
    }
    return nullptr;
  }
  const std::string key = text::FoldKey(ref);
  if (key.empty()) return nullptr;
  for (const auto& t : treaties_) {
    if (text::FoldKey(t.ref) == key || text::FoldKey(t.title) == key ||
        text::FoldKey(t.short_title) == key) {
      return &t;
    }
    for (const auto& a : t.aliases) {
      if (text::FoldKey(a) == key) return &t;
    }
  }
  return nullptr;
}

Result<const domain::Treaty*> Catalog::Require(std::string_view ref) const {
  if (const auto* t = Resolve(ref)) return t;
  std::string known;
  for (const auto& t : treaties_) known += (known.empty() ? "" : ", ") + t.ref;
  return NotFound("unknown treaty '" + std::string(ref) + "' (known: " + known + ")");
}

}  // namespace octopus::treaty
