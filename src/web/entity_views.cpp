// View models of entities. Everything shown comes from a field's current
// values or history as kb::Derive left them; nothing here merges or chooses.
#include "web/internal/entity_views.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "core/text.h"

namespace octopus::web::internal {

namespace {

using nlohmann::json;

// Fields whose values are codes of countries.
bool IsCountryField(std::string_view field) { return field == "countries" || field == "country"; }

// Fields whose values are other entities' ids (kb::Claim: relations).
bool IsRelationField(std::string_view field) {
  for (std::string_view f :
       {"projects", "project", "activities", "funders", "implementers", "donor", "organisers"}) {
    if (field == f) return true;
  }
  return false;
}

json SourceJson(const kb::Claim& claim) {
  const kb::Source& s = claim.source;
  const bool url = s.document_label.starts_with("http://") || s.document_label.starts_with("https://");
  return {{"document_id", s.document_id},
          {"record_id", s.record_id},
          {"document", s.document_label},
          {"href", url ? json(s.document_label) : json(nullptr)},
          {"line", s.line},
          {"quote", s.quote},
          {"stated_on", s.stated_on.empty() ? json(nullptr) : json(s.stated_on)},
          {"section", s.section.empty() ? json(nullptr) : json(s.section)},
          {"rule", claim.rule},
          // An editor's claim: who and when, the day of its publication.
          {"edited", s.edit_id == 0 ? json(nullptr)
                                    : json{{"by", s.author},
                                           {"on", s.stated_on.substr(0, 10)},
                                           {"edit_id", s.edit_id}}}};
}

json ValueJson(const kb::KnowledgeBase& kb, const kb::Entity& entity, const kb::Field& field,
               const kb::FieldValue& v, const CountryNamer& country_name) {
  std::string text = v.value;
  json href = nullptr;
  if (v.value.empty()) {
    text = "no value";  // an editor cleared it (kb::kNoValue); the documents' values are its history
  } else if (IsCountryField(field.name)) {
    text = country_name(v.value);
    href = "/countries/" + v.value;
  } else if (const kb::Entity* other = IsRelationField(field.name) ? kb.Find(v.value) : nullptr;
             other && other != &entity) {
    text = other->label;
    href = other->url();
  } else if (field.name == "budget_amount" || field.name == "amount") {
    text = ShowAmount(v.value, "");
  }
  json sources = json::array();
  for (size_t i : v.claims) {
    if (i < entity.claims.size()) sources.push_back(SourceJson(entity.claims[i]));
  }
  return {{"value", v.value},
          {"text", text},
          {"href", href},
          {"stated_on", v.stated_on.empty() ? json(nullptr) : json(v.stated_on)},
          {"sources", std::move(sources)}};
}

/// The sources of every current value of a field, in claim order.
json SourcesOf(const json& field) {
  json out = json::array();
  for (const json& v : field["values"]) {
    for (const json& s : v["sources"]) out.push_back(s);
  }
  return out;
}

const json* FieldIn(const json& entity, std::string_view name) {
  for (const json& f : entity["fields"]) {
    if (f["name"] == name) return &f;
  }
  return nullptr;
}

/// The year an entity falls in, from its first dated field; "" when undated.
std::string YearOf(const kb::Entity& e) {
  for (const char* f : {"start", "date", "event_start", "end"}) {
    const std::string v = e.value(f);
    if (v.size() >= 4 && std::all_of(v.begin(), v.begin() + 4, [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); })) {
      return v.substr(0, 4);
    }
  }
  return "";
}

/// The date an entity sorts by: its start, date or event start; "" when undated.
std::string SortDate(const kb::Entity& e) {
  for (const char* f : {"start", "date", "event_start"}) {
    std::string v = e.value(f);
    if (!v.empty()) return v;
  }
  return "";
}

json Summaries(const std::vector<const kb::Entity*>& entities) {
  json out = json::array();
  for (const kb::Entity* e : entities) out.push_back(EntitySummary(*e));
  return out;
}

/// Oldest first, undated last; ties by label then id, so pages are stable.
void ByDate(std::vector<const kb::Entity*>& entities, bool newest_first) {
  std::stable_sort(entities.begin(), entities.end(), [&](const kb::Entity* a, const kb::Entity* b) {
    const std::string da = SortDate(*a), db = SortDate(*b);
    if (da.empty() != db.empty()) return db.empty();
    if (da != db) return newest_first ? da > db : da < db;
    if (a->label != b->label) return a->label < b->label;
    return a->id < b->id;
  });
}

void ByLabel(std::vector<const kb::Entity*>& entities) {
  std::stable_sort(entities.begin(), entities.end(), [](const kb::Entity* a, const kb::Entity* b) {
    return a->label != b->label ? a->label < b->label : a->id < b->id;
  });
}

/// A contribution as a line of a project or organisation page.
json ContributionLine(const kb::KnowledgeBase& kb, const kb::Entity& c) {
  const kb::Entity* donor = kb.Find(c.value("donor"));
  const kb::Entity* project = kb.Find(c.value("project"));
  const std::string date = c.value("date");
  return {{"id", c.id},
          {"href", c.url()},
          {"donor", donor ? donor->label : c.value("donor")},
          {"donor_href", donor ? json(donor->url()) : json(nullptr)},
          {"project", project ? project->label : c.value("project")},
          {"project_href", project ? json(project->url()) : json(nullptr)},
          {"amount", ShowAmount(c.value("amount"), c.value("currency"))},
          {"date", date.empty() ? json(nullptr) : json(date)},
          {"conflict", std::any_of(c.fields.begin(), c.fields.end(),
                                   [](const kb::Field& f) { return f.conflict; })}};
}

json ContributionLines(const kb::KnowledgeBase& kb, std::vector<const kb::Entity*> contributions) {
  ByDate(contributions, false);
  json out = json::array();
  for (const kb::Entity* c : contributions) out.push_back(ContributionLine(kb, *c));
  return out;
}

/// The fields whose current values contradict each other, values side by side.
json Conflicts(const json& entity) {
  json out = json::array();
  for (const json& f : entity["fields"]) {
    if (f["conflict"].get<bool>()) out.push_back(f);
  }
  return out;
}

/// The entity's model with the sections every entity page has.
json Base(const kb::KnowledgeBase& kb, const kb::Entity& e, const CountryNamer& country_name) {
  json m = EntityJson(kb, e, country_name);
  m["title"] = e.label;
  m["kind_path"] = std::string(kb::KindPath(e.kind));
  m["conflicting_fields"] = Conflicts(m);
  m["has_conflicts"] = !m["conflicting_fields"].empty();
  return m;
}

json Linked(const kb::KnowledgeBase& kb, const kb::Entity& e, std::string_view field) {
  std::vector<const kb::Entity*> out;
  for (const std::string& id : e.values(field)) {
    if (const kb::Entity* other = kb.Find(id)) out.push_back(other);
  }
  ByLabel(out);
  return Summaries(out);
}

}  // namespace

std::string ShowAmount(std::string_view amount, std::string_view currency) {
  if (amount.empty()) return "";
  const size_t dot = amount.find('.');
  const std::string_view whole = amount.substr(0, dot);
  std::string grouped;
  for (size_t i = 0; i < whole.size(); ++i) {
    if (i > 0 && (whole.size() - i) % 3 == 0) grouped.push_back(',');
    grouped.push_back(whole[i]);
  }
  if (dot != std::string_view::npos) grouped += amount.substr(dot);
  return currency.empty() ? grouped : std::string(currency) + " " + grouped;
}

std::string FieldLabel(std::string_view field) {
  static const std::map<std::string_view, std::string_view> kNames = {
      {"budget_amount", "Budget"},   {"budget_currency", "Currency"}, {"as_written", "Date as written"},
      {"type", "Kind"},              {"source_url", "Source"},       {"link", "Link"},
      {"implementers", "Implemented by"}, {"funders", "Funded by"},
  };
  if (auto it = kNames.find(field); it != kNames.end()) return std::string(it->second);
  std::string out(field);
  std::replace(out.begin(), out.end(), '_', ' ');
  if (!out.empty()) out[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[0])));
  return out;
}

json FieldJson(const kb::KnowledgeBase& kb, const kb::Entity& entity, const kb::Field& field,
               const CountryNamer& country_name) {
  json values = json::array(), history = json::array();
  for (const kb::FieldValue& v : field.current) values.push_back(ValueJson(kb, entity, field, v, country_name));
  for (const kb::FieldValue& v : field.history) history.push_back(ValueJson(kb, entity, field, v, country_name));
  const bool has_history = !history.empty();
  return {{"name", field.name},
          {"label", FieldLabel(field.name)},
          {"set", field.set},
          {"conflict", field.conflict},
          {"values", std::move(values)},
          {"history", std::move(history)},
          {"has_history", has_history}};
}

json EntityJson(const kb::KnowledgeBase& kb, const kb::Entity& entity, const CountryNamer& country_name) {
  json fields = json::array(), conflicts = json::array();
  for (const kb::Field& f : entity.fields) {
    fields.push_back(FieldJson(kb, entity, f, country_name));
    if (f.conflict) conflicts.push_back(f.name);
  }
  return {{"id", entity.id},
          {"kind", std::string(kb::KindName(entity.kind))},
          {"url", entity.url()},
          {"label", entity.label},
          {"fields", std::move(fields)},
          {"conflicts", std::move(conflicts)},
          {"claims", entity.claims.size()}};
}

json EntitySummary(const kb::Entity& e) {
  std::string when = SortDate(e);
  const std::string end = e.value("end");
  if (!when.empty() && !end.empty() && end != when) when += " \u2013 " + end;
  return {{"id", e.id},
          {"kind", std::string(kb::KindName(e.kind))},
          {"label", e.label},
          {"href", e.url()},
          {"when", when.empty() ? json(nullptr) : json(when)},
          {"status", e.value("status").empty() ? json(nullptr) : json(e.value("status"))},
          {"sources", SourceDocuments(e)}};
}

json SourceDocuments(const kb::Entity& e) {
  std::vector<std::pair<const kb::Source*, std::vector<int>>> documents;
  for (const kb::Claim& c : e.claims) {
    auto it = std::find_if(documents.begin(), documents.end(), [&](const auto& d) {
      return d.first->document_id == c.source.document_id && d.first->document_label == c.source.document_label;
    });
    if (it == documents.end()) {
      documents.push_back({&c.source, {}});
      it = documents.end() - 1;
    }
    if (std::find(it->second.begin(), it->second.end(), c.source.line) == it->second.end()) {
      it->second.push_back(c.source.line);
    }
  }
  json out = json::array();
  for (auto& [source, lines] : documents) {
    std::sort(lines.begin(), lines.end());
    std::string shown;
    for (int line : lines) shown += (shown.empty() ? "" : ", ") + std::to_string(line);
    const std::string& label = source->document_label;
    const bool url = label.starts_with("http://") || label.starts_with("https://");
    out.push_back({{"document", label}, {"href", url ? json(label) : json(nullptr)}, {"lines", shown}});
  }
  return out;
}

domain::RecordFacts EntityFacts(const kb::KnowledgeBase& kb, const kb::Entity& e) {
  json fields = json::object();
  for (const kb::Field& f : e.fields) {
    if (f.current.empty() || (!f.set && f.current.front().value.empty())) continue;  // "no value"
    auto words = [&](const std::string& value) {
      const kb::Entity* other = IsRelationField(f.name) ? kb.Find(value) : nullptr;
      return other ? other->label : value;
    };
    if (f.set) {
      json values = json::array();
      for (const kb::FieldValue& v : f.current) values.push_back(words(v.value));
      fields[f.name] = std::move(values);
    } else {
      fields[f.name] = words(f.current.front().value);
    }
  }
  if (!fields.contains("name")) fields["name"] = e.label;
  if (!fields.contains("title")) fields["title"] = e.label;
  auto facts = domain::ReadRecord(kb::KindName(e.kind), fields.dump());
  if (facts) return std::move(*facts);
  domain::RecordFacts none;
  none.kind = std::string(kb::KindName(e.kind));
  none.title = e.label;
  return none;
}

json ProjectModel(const kb::KnowledgeBase& kb, const kb::Entity& project, const CountryNamer& country_name) {
  json m = Base(kb, project, country_name);
  json budget = nullptr;
  if (const json* amount = FieldIn(m, "budget_amount")) {
    const std::string currency = project.value("budget_currency");
    json text = json::array();
    for (const json& v : (*amount)["values"]) {
      const std::string value = v["value"].get<std::string>();
      text.push_back(value.empty() ? std::string("no value") : ShowAmount(value, currency));
    }
    json history = json::array();
    for (const json& v : (*amount)["history"]) {
      const std::string value = v["value"].get<std::string>();
      history.push_back({{"text", value.empty() ? std::string("no value") : ShowAmount(value, currency)},
                         {"stated_on", v["stated_on"]},
                         {"sources", v["sources"]}});
    }
    budget = {{"text", text},
              {"conflict", (*amount)["conflict"]},
              {"sources", SourcesOf(*amount)},
              {"history", history},
              {"has_history", !history.empty()}};
  }
  m["budget"] = budget;
  m["contributions"] = ContributionLines(kb, kb.Referring(kb::Kind::kContribution, "project", project.id));
  m["has_contributions"] = !m["contributions"].empty();

  // Activities by year, newest year first and undated last; within a year by
  // country (an activity in two countries is listed under each), then those
  // that name no country.
  std::vector<const kb::Entity*> activities = kb.Referring(kb::Kind::kActivity, "projects", project.id);
  ByDate(activities, false);
  std::map<std::string, std::map<std::string, std::vector<const kb::Entity*>>> by_year;
  for (const kb::Entity* a : activities) {
    const std::vector<std::string> countries = a->values("countries");
    auto& year = by_year[YearOf(*a)];
    if (countries.empty()) year[""].push_back(a);
    for (const std::string& code : countries) year[code].push_back(a);
  }
  json years = json::array();
  auto add_year = [&](const std::string& year, const auto& countries) {
    json cs = json::array();
    for (const auto& [code, list] : countries) {
      if (code.empty()) continue;
      cs.push_back({{"country", code}, {"name", country_name(code)}, {"href", "/countries/" + code},
                    {"activities", Summaries(list)}});
    }
    if (auto none = countries.find(""); none != countries.end()) {
      cs.push_back({{"country", nullptr}, {"name", "No country named"}, {"href", nullptr},
                    {"activities", Summaries(none->second)}});
    }
    years.push_back({{"year", year.empty() ? json(nullptr) : json(year)},
                     {"label", year.empty() ? std::string("Undated") : year},
                     {"countries", std::move(cs)}});
  };
  for (auto it = by_year.rbegin(); it != by_year.rend(); ++it) {
    if (!it->first.empty()) add_year(it->first, it->second);
  }
  if (auto undated = by_year.find(""); undated != by_year.end()) add_year("", undated->second);
  m["activities_by_year"] = std::move(years);
  m["activities_total"] = activities.size();
  m["has_activities"] = !activities.empty();

  std::vector<const kb::Entity*> news = kb.Referring(kb::Kind::kNewsItem, "projects", project.id);
  ByDate(news, true);
  m["news"] = Summaries(news);
  m["has_news"] = !news.empty();
  std::vector<const kb::Entity*> resources = kb.Referring(kb::Kind::kResource, "projects", project.id);
  ByDate(resources, true);
  m["resources"] = Summaries(resources);
  m["has_resources"] = !resources.empty();
  return m;
}

json ActivityModel(const kb::KnowledgeBase& kb, const kb::Entity& activity, const CountryNamer& country_name) {
  json m = Base(kb, activity, country_name);
  json status = nullptr;
  if (const json* f = FieldIn(m, "status")) {
    status = {{"values", (*f)["values"]},
              {"conflict", (*f)["conflict"]},
              {"history", (*f)["history"]},
              {"has_history", (*f)["has_history"]}};
  }
  m["status"] = status;
  m["projects"] = Linked(kb, activity, "projects");
  m["has_projects"] = !m["projects"].empty();
  std::vector<const kb::Entity*> news = kb.Referring(kb::Kind::kNewsItem, "activities", activity.id);
  ByDate(news, true);
  m["news"] = Summaries(news);
  m["has_news"] = !news.empty();
  return m;
}

json OrganisationModel(const kb::KnowledgeBase& kb, const kb::Entity& organisation,
                       const CountryNamer& country_name) {
  json m = Base(kb, organisation, country_name);
  const std::vector<const kb::Entity*> given =
      kb.Referring(kb::Kind::kContribution, "donor", organisation.id);
  // Projects it funds: those naming it as a funder, and those it contributed to.
  std::vector<const kb::Entity*> funded = kb.Referring(kb::Kind::kProject, "funders", organisation.id);
  for (const kb::Entity* c : given) {
    const kb::Entity* p = kb.Find(c->value("project"));
    if (p && std::find(funded.begin(), funded.end(), p) == funded.end()) funded.push_back(p);
  }
  ByLabel(funded);
  json funds = json::array();
  for (const kb::Entity* p : funded) {
    std::vector<const kb::Entity*> to_project;
    for (const kb::Entity* c : given) {
      if (c->value("project") == p->id) to_project.push_back(c);
    }
    json line = EntitySummary(*p);
    line["contributions"] = ContributionLines(kb, to_project);
    funds.push_back(std::move(line));
  }
  m["funds"] = std::move(funds);
  m["has_funds"] = !m["funds"].empty();
  std::vector<const kb::Entity*> implemented =
      kb.Referring(kb::Kind::kProject, "implementers", organisation.id);
  ByLabel(implemented);
  m["implements"] = Summaries(implemented);
  m["has_implements"] = !implemented.empty();
  return m;
}

json NewsModel(const kb::KnowledgeBase& kb, const kb::Entity& news, const CountryNamer& country_name) {
  json m = Base(kb, news, country_name);
  // The body as the source wrote it, one paragraph per blank-line-separated block.
  json paragraphs = json::array();
  std::string block;
  for (const std::string& line : text::Split(news.value("body"), '\n')) {
    const std::string_view words = text::Trim(line);
    if (words.empty()) {
      if (!block.empty()) paragraphs.push_back(std::move(block));
      block.clear();
    } else {
      block += (block.empty() ? "" : " ") + std::string(words);
    }
  }
  if (!block.empty()) paragraphs.push_back(std::move(block));
  m["has_paragraphs"] = !paragraphs.empty();
  m["paragraphs"] = std::move(paragraphs);
  m["projects"] = Linked(kb, news, "projects");
  m["has_projects"] = !m["projects"].empty();
  m["reports"] = Linked(kb, news, "activities");
  m["has_reports"] = !m["reports"].empty();
  return m;
}

json ContributionModel(const kb::KnowledgeBase& kb, const kb::Entity& contribution,
                       const CountryNamer& country_name) {
  json m = Base(kb, contribution, country_name);
  m["projects"] = Linked(kb, contribution, "project");
  m["has_projects"] = !m["projects"].empty();
  const kb::Entity* donor = kb.Find(contribution.value("donor"));
  m["donor"] = donor ? EntitySummary(*donor) : json(nullptr);
  m["amount_text"] = ShowAmount(contribution.value("amount"), contribution.value("currency"));
  return m;
}

json ResourceModel(const kb::KnowledgeBase& kb, const kb::Entity& resource, const CountryNamer& country_name) {
  json m = Base(kb, resource, country_name);
  m["projects"] = Linked(kb, resource, "projects");
  m["has_projects"] = !m["projects"].empty();
  return m;
}

json CountrySections(const kb::KnowledgeBase& kb, std::string_view iso2) {
  std::vector<const kb::Entity*> projects = kb.Referring(kb::Kind::kProject, "countries", iso2);
  ByLabel(projects);
  std::vector<const kb::Entity*> activities = kb.Referring(kb::Kind::kActivity, "countries", iso2);
  ByDate(activities, false);
  return {{"projects", Summaries(projects)},
          {"activities", Summaries(activities)},
          {"has_projects", !projects.empty()},
          {"has_activities", !activities.empty()}};
}

}  // namespace octopus::web::internal
