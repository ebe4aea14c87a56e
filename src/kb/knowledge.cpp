#include "kb/knowledge.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>

namespace octopus::kb {

namespace {

struct FieldSpec {
  std::string_view name;
  bool set;
};

// The fields of each kind in the order pages show them. A field a claim names
// that is not listed here is kept, after these, as a scalar.
const std::vector<FieldSpec>& Schema(Kind kind) {
  static const std::vector<FieldSpec> kProject = {
      {"name", false},      {"acronym", false},       {"aliases", true},   {"phase", false},
      {"start", false},     {"end", false},           {"duration", false}, {"budget_amount", false},
      {"budget_currency", false}, {"funders", true},  {"implementers", true}, {"countries", true},
      {"scope", false},     {"status", false}};
  static const std::vector<FieldSpec> kActivity = {
      {"title", false},  {"also_titled", true}, {"type", false},      {"projects", true}, {"organisers", true}, {"places", true},
      {"countries", true}, {"mode", false},    {"start", false},   {"end", false},
      {"precision", false}, {"as_written", false}, {"status", false}};
  static const std::vector<FieldSpec> kNewsItem = {
      {"title", false},       {"date", false},      {"place", false},    {"event_start", false},
      {"event_end", false},   {"event_place", false}, {"countries", true}, {"projects", true},
      {"treaties", true},     {"activities", true}, {"body", false},     {"source_url", false}};
  static const std::vector<FieldSpec> kOrganisation = {
      {"name", false}, {"acronym", false}, {"aliases", true}};
  static const std::vector<FieldSpec> kContribution = {
      {"donor", false}, {"project", false}, {"amount", false}, {"currency", false},
      {"date", false},  {"description", false}};
  static const std::vector<FieldSpec> kResource = {
      {"title", false}, {"type", false},     {"language", false}, {"link", false},
      {"date", false},  {"projects", true}};
  switch (kind) {
    case Kind::kProject: return kProject;
    case Kind::kActivity: return kActivity;
    case Kind::kNewsItem: return kNewsItem;
    case Kind::kOrganisation: return kOrganisation;
    case Kind::kContribution: return kContribution;
    case Kind::kResource: return kResource;
  }
  return kProject;
}

// "2023", "2023-10" or "2023-10-03".
bool IsoDate(const std::string& v) {
  if (v.size() != 4 && v.size() != 7 && v.size() != 10) return false;
  for (size_t i = 0; i < v.size(); ++i) {
    const bool dash = i == 4 || i == 7;
    if (dash ? v[i] != '-' : (v[i] < '0' || v[i] > '9')) return false;
  }
  return true;
}

// Claims of unknown date sort first: they never supersede a dated claim.
bool Earlier(const Claim& a, const Claim& b) {
  return std::tie(a.source.stated_on, a.source.document_id, a.source.edit_id, a.source.line, a.field, a.value) <
         std::tie(b.source.stated_on, b.source.document_id, b.source.edit_id, b.source.line, b.field, b.value);
}

Field DeriveField(std::string_view name, bool set, const std::vector<Claim>& claims) {
  Field field{std::string(name), set, {}, false, {}};
  // Values in order of their first claim; claims are already in time order.
  std::vector<FieldValue> values;
  for (size_t i = 0; i < claims.size(); ++i) {
    if (claims[i].field != name) continue;
    auto it = std::find_if(values.begin(), values.end(),
                           [&](const FieldValue& v) { return v.value == claims[i].value; });
    if (it == values.end()) {
      values.push_back(FieldValue{claims[i].value, {}, {}});
      it = values.end() - 1;
    }
    it->claims.push_back(i);
    it->stated_on = std::max(it->stated_on, claims[i].source.stated_on);
  }
  if (set || values.size() <= 1) {
    field.current = std::move(values);
    return field;
  }
  std::string latest;
  for (const FieldValue& v : values) latest = std::max(latest, v.stated_on);
  for (FieldValue& v : values) {
    (v.stated_on == latest ? field.current : field.history).push_back(std::move(v));
  }
  // A date and a more precise date within it ("2023-10", "2023-10-10") do not
  // contradict each other: the precise one is current.
  std::vector<FieldValue> refined;
  for (size_t i = 0; i < field.current.size();) {
    const std::string& v = field.current[i].value;
    const bool coarser = IsoDate(v) && std::any_of(field.current.begin(), field.current.end(), [&](const FieldValue& o) {
      return IsoDate(o.value) && o.value.size() > v.size() && o.value.compare(0, v.size() + 1, v + "-") == 0;
    });
    if (coarser) {
      field.history.push_back(std::move(field.current[i]));
      field.current.erase(field.current.begin() + static_cast<std::ptrdiff_t>(i));
    } else {
      ++i;
    }
  }
  std::stable_sort(field.history.begin(), field.history.end(),
                   [](const FieldValue& a, const FieldValue& b) { return a.stated_on < b.stated_on; });
  field.conflict = field.current.size() > 1;
  return field;
}

// The record ids of the claims behind a field's current values.
std::vector<int64_t> CurrentRecords(const Field& f, const std::vector<Claim>& claims) {
  std::vector<int64_t> out;
  for (const FieldValue& v : f.current) {
    for (size_t i : v.claims) out.push_back(claims[i].source.record_id);
  }
  return out;
}

// An activity's precision describes its start: among precisions of the same
// date, the one stated with the current start is current.
void PrecisionFollowsStart(Entity& entity) {
  Field* precision = nullptr;
  const Field* start = nullptr;
  for (Field& f : entity.fields) {
    if (f.name == "precision") precision = &f;
    if (f.name == "start") start = &f;
  }
  if (!precision || !start || !precision->conflict || start->conflict) return;
  const std::vector<int64_t> records = CurrentRecords(*start, entity.claims);
  auto with_start = [&](const FieldValue& v) {
    return std::any_of(v.claims.begin(), v.claims.end(), [&](size_t i) {
      return std::find(records.begin(), records.end(), entity.claims[i].source.record_id) != records.end();
    });
  };
  // No precision stated with the current start: the contradiction stands.
  if (std::none_of(precision->current.begin(), precision->current.end(), with_start)) return;
  std::vector<FieldValue> kept;
  for (FieldValue& v : precision->current) (with_start(v) ? kept : precision->history).push_back(std::move(v));
  precision->current = std::move(kept);
  std::stable_sort(precision->history.begin(), precision->history.end(),
                   [](const FieldValue& a, const FieldValue& b) { return a.stated_on < b.stated_on; });
  precision->conflict = precision->current.size() > 1;
}

}  // namespace

std::string_view KindName(Kind kind) {
  switch (kind) {
    case Kind::kProject: return "project";
    case Kind::kActivity: return "activity";
    case Kind::kNewsItem: return "news_item";
    case Kind::kOrganisation: return "organisation";
    case Kind::kContribution: return "contribution";
    case Kind::kResource: return "resource";
  }
  return "project";
}

std::optional<Kind> KindFromName(std::string_view name) {
  for (Kind k : kKinds) {
    if (KindName(k) == name) return k;
  }
  return std::nullopt;
}

std::string_view KindPath(Kind kind) {
  switch (kind) {
    case Kind::kProject: return "projects";
    case Kind::kActivity: return "activities";
    case Kind::kNewsItem: return "news";
    case Kind::kOrganisation: return "organisations";
    case Kind::kContribution: return "contributions";
    case Kind::kResource: return "resources";
  }
  return "projects";
}

const Field* Entity::field(std::string_view name) const {
  for (const Field& f : fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

std::string Entity::value(std::string_view name) const {
  const Field* f = field(name);
  return f && !f->current.empty() ? f->current.front().value : std::string();
}

std::vector<std::string> Entity::values(std::string_view name) const {
  std::vector<std::string> out;
  if (const Field* f = field(name)) {
    for (const FieldValue& v : f->current) {
      if (!v.value.empty()) out.push_back(v.value);  // an editor's "no value" is none
    }
  }
  return out;
}

std::string Entity::url() const {
  return "/" + std::string(KindPath(kind)) + "/" + id;
}

const Entity* KnowledgeBase::Find(std::string_view id) const {
  for (const Entity& e : entities) {
    if (e.id == id) return &e;
  }
  return nullptr;
}

std::vector<const Entity*> KnowledgeBase::OfKind(Kind kind) const {
  std::vector<const Entity*> out;
  for (const Entity& e : entities) {
    if (e.kind == kind) out.push_back(&e);
  }
  return out;
}

std::vector<const Entity*> KnowledgeBase::Referring(Kind kind, std::string_view field,
                                                    std::string_view id) const {
  std::vector<const Entity*> out;
  for (const Entity& e : entities) {
    if (e.kind != kind) continue;
    const Field* f = e.field(field);
    if (f && std::any_of(f->current.begin(), f->current.end(),
                         [&](const FieldValue& v) { return v.value == id; })) {
      out.push_back(&e);
    }
  }
  return out;
}

void Derive(Entity& entity) {
  std::stable_sort(entity.claims.begin(), entity.claims.end(), Earlier);
  entity.fields.clear();
  const std::vector<FieldSpec>& schema = Schema(entity.kind);
  for (const FieldSpec& spec : schema) {
    Field f = DeriveField(spec.name, spec.set, entity.claims);
    if (!f.current.empty()) entity.fields.push_back(std::move(f));
  }
  // Fields outside the schema, in order of their first claim.
  std::vector<std::string> others;
  for (const Claim& c : entity.claims) {
    const bool known = std::any_of(schema.begin(), schema.end(),
                                   [&](const FieldSpec& s) { return s.name == c.field; });
    if (!known && std::find(others.begin(), others.end(), c.field) == others.end()) {
      others.push_back(c.field);
    }
  }
  for (const std::string& name : others) entity.fields.push_back(DeriveField(name, false, entity.claims));
  PrecisionFollowsStart(entity);

  entity.label = entity.value("name");
  if (entity.label.empty()) entity.label = entity.value("title");
  if (entity.label.empty()) entity.label = entity.value("description");
  if (entity.label.empty()) entity.label = entity.id;
}

}  // namespace octopus::kb

namespace octopus::kb {

void ApplyRestrictions(KnowledgeBase& kb, const std::vector<int64_t>& documents,
                       const std::vector<std::string>& entities) {
  const std::set<int64_t> docs(documents.begin(), documents.end());
  const std::set<std::string, std::less<>> marked(entities.begin(), entities.end());
  for (Entity& e : kb.entities) {
    bool from_documents = false, all_restricted = true;
    for (Claim& c : e.claims) {
      if (c.source.document_id == 0) continue;
      c.source.restricted = docs.count(c.source.document_id) > 0;
      from_documents = true;
      all_restricted = all_restricted && c.source.restricted;
    }
    e.restricted = marked.count(e.id) > 0 || (from_documents && all_restricted);
  }
}

KnowledgeBase PublicView(const KnowledgeBase& kb) {
  std::set<std::string, std::less<>> hidden;
  for (const Entity& e : kb.entities) {
    if (e.restricted) hidden.insert(e.id);
  }
  KnowledgeBase out;
  out.visibility = Visibility::kPublic;
  out.entities.reserve(kb.entities.size());
  for (const Entity& e : kb.entities) {
    if (e.restricted) continue;
    // A claim of a restricted document, or one naming a restricted entity
    // (a relation), is not shown.
    auto is_hidden = [&](const Claim& c) { return c.source.restricted || hidden.count(c.value) > 0; };
    if (std::none_of(e.claims.begin(), e.claims.end(), is_hidden)) {
      out.entities.push_back(e);
      continue;
    }
    Entity copy;
    copy.id = e.id;
    copy.kind = e.kind;
    for (const Claim& c : e.claims) {
      if (!is_hidden(c)) copy.claims.push_back(c);
    }
    if (copy.claims.empty()) continue;
    Derive(copy);
    out.entities.push_back(std::move(copy));
  }
  return out;
}

}  // namespace octopus::kb
