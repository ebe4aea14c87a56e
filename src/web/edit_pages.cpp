// Editing on the site and the review queue. Handlers run under the site's
// lock, like every handler of the route table; a successful POST empties the
// site's page cache (site.cpp), and the knowledge service rebuilds on the
// next read because its stamp counts the published edits.
#include <algorithm>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/text.h"
#include "ingest/values.h"
#include "service/knowledge.h"
#include "service/registry.h"
#include "web/internal/edit_handlers.h"
#include "web/internal/entity_handlers.h"
#include "web/internal/entity_views.h"
#include "web/internal/account_handlers.h"

namespace octopus::web::internal {

namespace {

using nlohmann::json;

/// How a form field is read.
enum class Type {
  kText,          ///< as typed, trimmed
  kLongText,      ///< the same, in a text area
  kList,          ///< comma-separated values of a set field (places)
  kWhen,          ///< a date phrase: start, end, precision, as_written
  kDate,          ///< a date phrase giving one date (its start, else its end)
  kAmount,        ///< an amount; its currency goes to the form's kCurrency field
  kCurrency,      ///< an ISO 4217 code
  kCountries,     ///< countries by name or code, comma-separated
  kProjects,      ///< projects by name, acronym or id, comma-separated
  kProject,       ///< one project
  kOrganisation,  ///< one organisation by name, acronym or id
  kLink,          ///< an http(s) URL
  kStatus,        ///< an activity's status
  kCountry,       ///< one country by name or code
  kAction,        ///< a treaty action (domain::ActionKindName)
  kEventDate,     ///< the day, month or year something happened
  kSource,        ///< the URL or citation of the source that states it
};

struct FormField {
  std::string_view name;  ///< the input and, but for kWhen, the claim's field
  std::string_view label;
  Type type;
  bool required;  ///< for a new entity
  std::string_view help;
};

constexpr std::string_view kDateHelp = "As you would write it: 3 October 2023, by October 2023, mid-November, TBC";
constexpr std::string_view kListHelp = "Separated by commas";

constexpr FormField kProjectForm[] = {
    {"name", "Name", Type::kText, true, ""},
    {"acronym", "Acronym", Type::kText, false, ""},
    {"start", "Start", Type::kDate, false, kDateHelp},
    {"end", "End", Type::kDate, false, kDateHelp},
    {"budget_amount", "Budget", Type::kAmount, false, "EUR 5 400 000 or 5.4 million"},
    {"budget_currency", "Budget currency", Type::kCurrency, false, "EUR, USD, GBP"},
    {"countries", "Countries", Type::kCountries, false, kListHelp},
    {"scope", "Scope", Type::kLongText, false, ""},
};
constexpr FormField kActivityForm[] = {
    {"title", "Title", Type::kText, true, ""},
    {"type", "Type", Type::kText, false, "workshop, training, conference, advisory mission, …"},
    {"projects", "Projects", Type::kProjects, false, kListHelp},
    {"places", "Places", Type::kList, false, kListHelp},
    {"countries", "Countries", Type::kCountries, false, kListHelp},
    {"mode", "Mode", Type::kText, false, "in person, online, hybrid"},
    {"when", "When", Type::kWhen, false, kDateHelp},
    {"status", "Status", Type::kStatus, false, "planned, held, postponed or cancelled"},
};
constexpr FormField kNewsForm[] = {
    {"title", "Title", Type::kText, true, ""},
    {"date", "Date", Type::kDate, true, kDateHelp},
    {"place", "Place", Type::kText, false, ""},
    {"countries", "Countries", Type::kCountries, false, kListHelp},
    {"projects", "Projects", Type::kProjects, false, kListHelp},
    {"body", "Text", Type::kLongText, false, ""},
    {"source_url", "Published at", Type::kLink, false, "https://…"},
};
constexpr FormField kOrganisationForm[] = {
    {"name", "Name", Type::kText, true, ""},
    {"acronym", "Acronym", Type::kText, false, ""},
};
constexpr FormField kContributionForm[] = {
    {"donor", "Donor", Type::kOrganisation, true, "An organisation the site knows"},
    {"project", "Project", Type::kProject, true, ""},
    {"amount", "Amount", Type::kAmount, false, "EUR 250 000"},
    {"currency", "Currency", Type::kCurrency, false, "EUR, USD, GBP"},
    {"date", "Date", Type::kDate, false, kDateHelp},
};
constexpr FormField kResourceForm[] = {
    {"title", "Title", Type::kText, true, ""},
    {"type", "Type", Type::kText, false, "guide, study, report, manual, training material, …"},
    {"language", "Language", Type::kText, false, "ISO 639-1: en, fr, …"},
    {"link", "Link", Type::kLink, false, "https://…"},
    {"date", "Date", Type::kDate, false, kDateHelp},
    {"projects", "Projects", Type::kProjects, false, kListHelp},
};
constexpr FormField kTreatyActionForm[] = {
    {"state", "State", Type::kCountry, true, ""},
    {"action", "Action", Type::kAction, true,
     "signature, ratification, acceptance, approval, accession, denunciation, reservation, declaration, …"},
    {"date", "Date", Type::kEventDate, true, "The day, month or year the source gives: 6 June 2012"},
    {"source", "Source", Type::kSource, true,
     "The URL or citation of the document that states it (a depositary notification, an official journal)"},
};
constexpr FormField kProfileForm[] = {
    {"markdown", "Profile (Markdown)", Type::kLongText, true, ""},
};

std::span<const FormField> FormOf(kb::Kind kind) {
  switch (kind) {
    case kb::Kind::kProject: return kProjectForm;
    case kb::Kind::kActivity: return kActivityForm;
    case kb::Kind::kNewsItem: return kNewsForm;
    case kb::Kind::kOrganisation: return kOrganisationForm;
    case kb::Kind::kContribution: return kContributionForm;
    case kb::Kind::kResource: return kResourceForm;
  }
  return kProjectForm;
}

bool IsSet(Type t) { return t == Type::kList || t == Type::kCountries || t == Type::kProjects; }

std::vector<std::string> SplitList(std::string_view typed) {
  std::vector<std::string> out;
  for (std::string_view part : text::Split(typed, ',')) {
    std::string item(text::Trim(part));
    if (!item.empty() && std::find(out.begin(), out.end(), item) == out.end()) out.push_back(std::move(item));
  }
  return out;
}

/// The entity of `kind` a name, acronym, alias or id denotes; nullptr if none.
const kb::Entity* Named(const kb::KnowledgeBase& kb, kb::Kind kind, const std::string& name) {
  bool by_name = false;
  return EntityNamed(kb, kind, name, &by_name);
}

/// What the page is about: an entity of a kind (existing or new) or a profile.
struct Subject {
  std::optional<kb::Kind> kind;     ///< nullopt: a country profile
  const kb::Entity* entity = nullptr;  ///< nullptr: a new entity (or a profile)
  const domain::Country* country = nullptr;  ///< a profile's country
  const domain::Treaty* treaty = nullptr;    ///< a treaty action's treaty
  std::string profile;               ///< the profile's latest text
  std::span<const FormField> form;
  std::string action;                ///< the form's URL
  std::string heading;
};

/// How the page shows a field's current value in the form.
std::string Shown(const Context& c, const kb::KnowledgeBase& kb, const Subject& s, const FormField& f) {
  if (s.country) return s.profile;
  if (!s.entity) return {};
  const kb::Entity& e = *s.entity;
  auto label_of = [&](const std::string& id) {
    const kb::Entity* other = kb.Find(id);
    return other ? other->label : id;
  };
  std::vector<std::string> items;
  switch (f.type) {
    case Type::kWhen: {
      if (!e.value("as_written").empty()) return e.value("as_written");
      const std::string start = e.value("start"), end = e.value("end");
      return end.empty() || end == start ? start : start + " – " + end;
    }
    case Type::kCountries:
      for (const std::string& iso2 : e.values(f.name)) {
        const domain::Country* country = c.registry.gazetteer().ByIso2(iso2);
        items.push_back(country ? country->name_en : iso2);
      }
      return text::Join(items, ", ");
    case Type::kProjects:
      for (const std::string& id : e.values(f.name)) items.push_back(label_of(id));
      return text::Join(items, ", ");
    case Type::kList: return text::Join(e.values(f.name), ", ");
    case Type::kProject:
    case Type::kOrganisation: return e.value(f.name).empty() ? std::string() : label_of(e.value(f.name));
    default: return e.value(f.name);
  }
}

/// One value the form gives, for the change set.
struct Given {
  std::string field, value;
};

/// Reads one changed field into claim values; InvalidArgument for the error
/// shown beside it.
Result<std::vector<Given>> Read(const Context& c, const kb::KnowledgeBase& kb, const FormField& f,
                                const std::string& typed, const Target& form, const Subject& s) {
  std::vector<Given> out;
  switch (f.type) {
    case Type::kText:
    case Type::kLongText: out.push_back({std::string(f.name), typed}); break;
    case Type::kList:
      for (std::string& item : SplitList(typed)) out.push_back({std::string(f.name), std::move(item)});
      break;
    case Type::kWhen: {
      auto d = ingest::ParseTypedDate(typed, c.today.year());
      if (!d) return d.status();
      for (auto [field, value] : {std::pair{"start", d->start}, std::pair{"end", d->end},
                                  std::pair{"precision", d->precision}, std::pair{"as_written", d->as_written}}) {
        if (!value.empty()) out.push_back({field, value});
      }
      break;
    }
    case Type::kDate: {
      auto d = ingest::ParseTypedDate(typed, c.today.year());
      if (!d) return d.status();
      const std::string& day = !d->start.empty() ? d->start : d->end;
      if (day.empty()) return InvalidArgument("'" + typed + "' gives no date; leave the field empty instead");
      out.push_back({std::string(f.name), day});
      break;
    }
    case Type::kAmount: {
      const FormField* currency = nullptr;
      for (const FormField& other : s.form) {
        if (other.type == Type::kCurrency) currency = &other;
      }
      const std::string code =
          currency ? std::string(text::Trim(form.Param(currency->name).value_or(""))) : std::string();
      auto amount = ingest::ParseTypedAmount(typed, code);
      if (!amount) return amount.status();
      if (!code.empty() && code != amount->currency) {
        return InvalidArgument("the amount is in " + amount->currency + " but the currency says " + code);
      }
      out.push_back({std::string(f.name), amount->amount});
      if (currency) out.push_back({std::string(currency->name), amount->currency});
      break;
    }
    case Type::kCurrency: {
      const bool code = typed.size() == 3 && std::all_of(typed.begin(), typed.end(), [](char ch) {
                          return ch >= 'A' && ch <= 'Z';
                        });
      if (!code) return InvalidArgument("'" + typed + "' is not a currency code such as EUR or USD");
      out.push_back({std::string(f.name), typed});
      break;
    }
    case Type::kCountries:
      for (const std::string& item : SplitList(typed)) {
        const domain::Country* country = c.registry.gazetteer().Find(item);
        if (!country) return InvalidArgument("'" + item + "' is not a country the site knows");
        out.push_back({std::string(f.name), country->iso2});
      }
      break;
    case Type::kProjects:
    case Type::kProject: {
      const std::vector<std::string> items =
          f.type == Type::kProject ? std::vector<std::string>{typed} : SplitList(typed);
      for (const std::string& item : items) {
        const kb::Entity* p = Named(kb, kb::Kind::kProject, item);
        if (!p) return InvalidArgument("no project '" + item + "' is known");
        out.push_back({std::string(f.name), p->id});
      }
      break;
    }
    case Type::kOrganisation: {
      const kb::Entity* o = Named(kb, kb::Kind::kOrganisation, typed);
      if (!o) return InvalidArgument("no organisation '" + typed + "' is known");
      out.push_back({std::string(f.name), o->id});
      break;
    }
    case Type::kLink:
      if (!(typed.starts_with("https://") || typed.starts_with("http://")) ||
          typed.find_first_of(" \t\r\n") != std::string::npos) {
        return InvalidArgument("'" + typed + "' is not a web address (https://…)");
      }
      out.push_back({std::string(f.name), typed});
      break;
    case Type::kStatus:
      if (typed != "planned" && typed != "held" && typed != "postponed" && typed != "cancelled") {
        return InvalidArgument("the status is one of planned, held, postponed, cancelled");
      }
      out.push_back({std::string(f.name), typed});
      break;
    case Type::kCountry: {
      const domain::Country* country = c.registry.gazetteer().Find(typed);
      if (!country) return InvalidArgument("'" + typed + "' is not a country the site knows");
      out.push_back({std::string(f.name), country->iso2});
      break;
    }
    case Type::kAction: {
      std::string name = text::ToLowerAscii(typed);
      std::replace(name.begin(), name.end(), ' ', '_');
      auto action = domain::ParseActionKind(name);
      if (!action) return InvalidArgument("'" + typed + "' is not a treaty action the registry knows");
      out.push_back({std::string(f.name), std::string(domain::ActionKindName(*action))});
      break;
    }
    case Type::kEventDate: {
      auto d = ingest::ParseTypedDate(typed, c.today.year());
      if (!d) return d.status();
      const bool one = (d->precision == "day" || d->precision == "month" || d->precision == "year") &&
                       !d->start.empty() && d->start == d->end;
      if (!one) return InvalidArgument("give the one day, month or year the source states, not '" + typed + "'");
      out.push_back({std::string(f.name), d->start});
      break;
    }
    case Type::kSource:
      if (typed.starts_with("http://") || typed.starts_with("https://")) {
        if (typed.find_first_of(" \t\r\n") != std::string::npos) {
          return InvalidArgument("'" + typed + "' is not a web address");
        }
      } else if (typed.size() < 8) {
        return InvalidArgument("name the source: its URL, or a citation such as \"Notification JJ7249C, 1 June 2011\"");
      }
      out.push_back({std::string(f.name), typed});
      break;
  }
  return out;
}

/// What the form says, as a change set; the errors by field when it says
/// something that cannot be read (then nothing is to be stored).
struct Reading {
  store::ChangeSet set;
  std::map<std::string, std::string> errors;  ///< field name → message; "" for the form
};

Reading ReadForm(const Context& c, const kb::KnowledgeBase& kb, const Subject& s, const Target& form) {
  Reading r;
  r.set.author = c.principal.email;
  r.set.note = std::string(text::Trim(form.Param("note").value_or("")));
  std::string kind, entity;
  if (s.kind) {
    kind = std::string(kb::KindName(*s.kind));
    entity = s.entity ? s.entity->id : std::string(kb::kNewEntity);
  } else if (s.country) {
    kind = std::string(store::kCountryProfile);
    entity = s.country->iso2;
  } else {
    // A treaty action is about the State it names: its error is the field's.
    kind = std::string(store::kTreatyAction);
    const domain::Country* state = c.registry.gazetteer().Find(text::Trim(form.Param("state").value_or("")));
    entity = s.treaty->ref + "/" + (state ? state->iso2 : std::string());
  }
  for (const FormField& f : s.form) {
    // A field the form does not send is left as it is.
    const std::optional<std::string> sent = form.Param(f.name);
    const std::string typed(text::Trim(sent.value_or("")));
    const std::string shown = Shown(c, kb, s, f);
    if (!sent || typed == shown) {
      if (typed.empty() && f.required && !s.entity) r.errors[std::string(f.name)] = "this field is required";
      continue;
    }
    if (typed.empty()) {
      // Emptied: the editor says the field has no value (kb::kNoValue); the
      // documents' values stay in its history. Only a single value that is
      // not required, and read as one field, can be cleared.
      const bool clearable = s.entity && !f.required && !IsSet(f.type) && f.type != Type::kWhen &&
                             f.type != Type::kCurrency && !s.entity->value(f.name).empty();
      if (!clearable) {
        r.errors[std::string(f.name)] =
            "this value cannot be emptied here: give the value that is right";
        continue;
      }
      r.set.values.push_back({0, kind, entity, std::string(f.name), std::string(kb::kNoValue),
                              s.entity->value(f.name)});
      continue;
    }
    auto given = Read(c, kb, f, typed, form, s);
    if (!given) {
      r.errors[std::string(f.name)] = given.status().message();
      continue;
    }
    for (Given& g : *given) {
      if (s.treaty && g.field == "state") continue;  // in the entity id
      std::optional<std::string> before;
      if (s.country && !s.profile.empty()) before = s.profile;
      if (s.entity) {
        const std::vector<std::string> now = s.entity->values(g.field);
        // A set field takes the values it does not hold yet.
        if (IsSet(f.type) && std::find(now.begin(), now.end(), g.value) != now.end()) continue;
        if (!now.empty()) before = text::Join(now, IsSet(f.type) ? ", " : " | ");
        if (!IsSet(f.type) && now.size() == 1 && now.front() == g.value) continue;
      }
      // An amount gives its currency, which the currency field may give too.
      const bool given_twice = std::any_of(r.set.values.begin(), r.set.values.end(), [&](const store::EditValue& v) {
        return v.field == g.field && v.value == g.value;
      });
      if (!given_twice) r.set.values.push_back({0, kind, entity, g.field, g.value, before});
    }
  }
  if (r.errors.empty() && r.set.values.empty()) r.errors[""] = "nothing was changed";
  return r;
}

Response WithStatus(Response r, int status) {
  r.status = status;
  return r;
}

Response Forbidden(const Context& c, const std::string& message) {
  auto page = c.Page("error", {{"title", "Forbidden"}, {"status", 403}, {"reason", "Forbidden"}, {"message", message}});
  if (!page) return WithStatus(ErrorResponse(InvalidArgument(message), false, c.templates, c.stylesheet), 403);
  return WithStatus(std::move(*page), 403);
}

/// The answer for a request that may not go on: a reader's GET is sent to
/// sign in, a reader's POST and a role below `needed` are refused, a POST
/// failing CheckStateChange too.
/// nullopt when it may go on; `form` gets the POST's form.
std::optional<Response> Gate(const Context& c, auth::Role needed, Target& form) {
  if (!c.principal.signed_in() && c.method == "POST") return Forbidden(c, "sign in to change anything");
  if (!c.principal.signed_in()) {
    Response r;
    r.status = 303;
    r.body = "Sign in first\n";
    r.headers.push_back({"Location", "/login?next=" + PercentEncode(c.target.path)});
    return r;
  }
  if (!auth::Allows(c.principal.role, needed)) {
    return Forbidden(c, "this page is for the " + std::string(auth::RoleName(needed)) + " role and above");
  }
  if (c.method != "POST") return std::nullopt;
  auto parsed = ParseForm(c.body);
  if (!parsed) return Forbidden(c, parsed.status().message());
  if (Status st = CheckStateChange(c, *parsed); !st.ok()) return Forbidden(c, st.message());
  form = std::move(*parsed);
  return std::nullopt;
}

/// The subject {kind} and {id} name; NotFound when there is none.
Result<Subject> SubjectOf(const Context& c, const kb::KnowledgeBase& kb) {
  const std::string& path = c.path.at("kind");
  const std::string& id = c.path.at("id");
  Subject s;
  s.action = "/edit/" + PercentEncode(path) + "/" + PercentEncode(id);
  if (path == "treaties") {
    s.treaty = c.registry.catalog().Resolve(id);
    if (!s.treaty) return NotFound("no treaty '" + id + "'");
    s.form = kTreatyActionForm;
    s.heading = "A treaty action under " + s.treaty->ref;
    return s;
  }
  if (path == "countries") {
    s.country = c.registry.gazetteer().ByIso2(id);
    if (!s.country) return NotFound("no country '" + id + "'");
    auto revisions = c.registry.store().ProfileRevisions(s.country->iso2);
    if (!revisions) return revisions.status();
    if (!revisions->empty()) s.profile = revisions->front().markdown;
    s.form = kProfileForm;
    s.heading = "Profile of " + s.country->name_en;
    return s;
  }
  for (kb::Kind kind : kb::kKinds) {
    if (kb::KindPath(kind) != path) continue;
    s.kind = kind;
    s.form = FormOf(kind);
    if (id == kb::kNewEntity) {
      s.heading = "New " + FieldLabel(kb::KindName(kind));
      return s;
    }
    s.entity = kb.Find(id);
    if (!s.entity || s.entity->kind != kind) return NotFound("no " + std::string(kb::KindName(kind)) + " '" + id + "'");
    s.heading = "Edit " + s.entity->label;
    return s;
  }
  return NotFound("nothing to edit at /edit/" + path);
}

Result<Response> ShowForm(const Context& c, const kb::KnowledgeBase& kb, const Subject& s, const Target* typed,
                          const std::map<std::string, std::string>& errors) {
  json fields = json::array();
  for (const FormField& f : s.form) {
    const std::string name(f.name);
    const auto error = errors.find(name);
    fields.push_back({{"name", name},
                      {"label", std::string(f.label)},
                      {"help", std::string(f.help)},
                      {"long", f.type == Type::kLongText},
                      {"required", f.required && !s.entity},
                      {"value", typed ? typed->Param(f.name).value_or("") : Shown(c, kb, s, f)},
                      {"error", error == errors.end() ? json(nullptr) : json(error->second)}});
  }
  const auto general = errors.find("");
  return c.Page("edit", {{"title", s.heading},
                         {"heading", s.heading},
                         {"action", s.action},
                         {"csrf", c.principal.csrf_token},
                         {"fields", std::move(fields)},
                         {"note", typed ? typed->Param("note").value_or("") : std::string()},
                         {"has_errors", !errors.empty()},
                         {"error", general == errors.end() ? json(nullptr) : json(general->second)},
                         {"entity_href", s.entity ? json(s.entity->url()) : json(nullptr)}});
}

const service::EditPolicy& Policy() {
  // Read once: the file ships with the site's data.
  static const service::EditPolicy policy = [] {
    auto loaded = service::EditPolicy::Load(service::FindDataDir());
    return loaded ? std::move(*loaded) : service::EditPolicy{};
  }();
  return policy;
}

std::string Origin(const Context& c) {
  return c.principal.session_label.empty() ? "site" : c.principal.session_label;
}

/// Where a published change set's first value can be seen.
std::string HrefOf(const store::ChangeSet& set) {
  if (set.values.empty()) return "/";
  const store::EditValue& v = set.values.front();
  if (v.kind == store::kCountryProfile) return "/countries/" + v.entity_id;
  if (v.kind == store::kTreatyAction) return "/treaties/" + PercentEncode(v.entity_id.substr(0, v.entity_id.rfind('/')));
  auto kind = kb::KindFromName(v.kind);
  if (!kind) return "/";
  const std::string id = v.entity_id == kb::kNewEntity ? kb::NewEntityId(set.id, *kind) : v.entity_id;
  return "/" + std::string(kb::KindPath(*kind)) + "/" + PercentEncode(id);
}

}  // namespace

std::string EditHref(const kb::Entity& entity) {
  return "/edit/" + std::string(kb::KindPath(entity.kind)) + "/" + PercentEncode(entity.id);
}

Result<Response> EditPage(Context& c) {
  Target form;
  if (auto refused = Gate(c, auth::Role::kEditor, form)) return std::move(*refused);
  auto kb = c.Knowledge();
  if (!kb) return kb.status();
  auto subject = SubjectOf(c, **kb);
  if (!subject) return subject.status();
  if (c.method != "POST") return ShowForm(c, **kb, *subject, nullptr, {});
  Reading reading = ReadForm(c, **kb, *subject, form);
  if (!reading.errors.empty()) {
    auto page = ShowForm(c, **kb, *subject, &form, reading.errors);
    if (page) page->status = 400;
    return page;
  }
  auto stored = service::SubmitEdit(c.registry.store(), Policy(), reading.set, Origin(c));
  if (!stored) return stored.status();
  const bool published = stored->status == "published";
  // A publication is read at once by the next page.
  if (published) {
    if (auto rebuilt = c.Knowledge(); !rebuilt) return rebuilt.status();
  }
  return c.Page("edit_done", {{"title", published ? "Published" : "Draft saved"},
                              {"published", published},
                              {"id", std::to_string(stored->id)},
                              {"href", published ? json(HrefOf(*stored)) : json(nullptr)}});
}

Result<Response> ReviewPage(Context& c) {
  Target form;
  if (auto refused = Gate(c, auth::Role::kReviewer, form)) return std::move(*refused);
  store::Store& store = c.registry.store();
  json message = nullptr;
  if (c.method == "POST") {
    const std::string id_text = form.Param("id").value_or("");
    const std::string decision = form.Param("decision").value_or("");
    int64_t id = 0;
    const bool numeric = !id_text.empty() && id_text.size() < 18 &&
                         std::all_of(id_text.begin(), id_text.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
    if (numeric) id = std::stoll(id_text);
    if (id <= 0 || (decision != "approve" && decision != "reject")) {
      return InvalidArgument("a review needs a change set id and decision=approve or reject");
    }
    auto own = store.ChangeSetById(id);
    if (!own) return own.status();
    if (own->author == c.principal.email) return Forbidden(c, "your own edit is reviewed by another reviewer");
    auto reviewed = service::ReviewEdit(store, id, decision == "approve", c.principal.email, Origin(c));
    if (!reviewed) return reviewed.status();
    if (reviewed->status == "published") {
      if (auto rebuilt = c.Knowledge(); !rebuilt) return rebuilt.status();
      message = json{{"text", fmt::format("Change set {} is published.", id)}, {"href", HrefOf(*reviewed)}};
    } else {
      message = json{{"text", fmt::format("Change set {} is rejected.", id)}, {"href", nullptr}};
    }
  }
  auto drafts = store.Drafts();
  if (!drafts) return drafts.status();
  json items = json::array();
  for (const store::ChangeSet& d : *drafts) {
    json values = json::array();
    for (const store::EditValue& v : d.values) {
      values.push_back({{"entity", store::EditAuditEntity(d, v)},
                        {"new", v.entity_id == kb::kNewEntity},
                        {"field", FieldLabel(v.field)},
                        {"before", v.before ? json(*v.before) : json(nullptr)},
                        {"after", v.value.empty() ? std::string("no value") : v.value}});
    }
    items.push_back({{"id", std::to_string(d.id)},
                     {"author", d.author},
                     {"created_at", d.created_at},
                     {"note", d.note},
                     {"own", d.author == c.principal.email},
                     {"values", std::move(values)}});
  }
  return c.Page("review", {{"title", "Review"},
                           {"csrf", c.principal.csrf_token},
                           {"message", std::move(message)},
                           {"drafts", std::move(items)},
                           {"has_drafts", !drafts->empty()}});
}

}  // namespace octopus::web::internal

namespace octopus::web::internal {

namespace {

struct ContactField {
  const char* name;
  const char* label;
  std::string store::CountryContact::*member;
  bool required;
  const char* help;
};

constexpr ContactField kContactFields[] = {
    {"authority", "Authority", &store::CountryContact::authority, true, "the authority hosting the point of contact"},
    {"unit", "Unit", &store::CountryContact::unit, false, ""},
    {"phone", "Phone", &store::CountryContact::phone, false, ""},
    {"email", "E-mail", &store::CountryContact::email, false, ""},
    {"hours", "Hours", &store::CountryContact::hours, false, "e.g. 24/7"},
    {"languages", "Languages", &store::CountryContact::languages, false, ""},
    {"last_verified", "Last verified", &store::CountryContact::last_verified, true, "YYYY-MM-DD"},
    {"source", "Source", &store::CountryContact::source, true, "the URL or citation the details come from"},
};

}  // namespace

Result<Response> ContactPage(Context& c) {
  Target form;
  if (auto refused = Gate(c, auth::Role::kEditor, form)) return std::move(*refused);
  std::string code = c.path.at("iso2");
  for (char& ch : code) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  const domain::Country* country = c.registry.gazetteer().ByIso2(code);
  if (!country) return NotFound("unknown country code '" + c.path.at("iso2") + "'");
  auto current = c.registry.store().CountryContactOf(country->iso2, c.Visibility());
  if (!current) return current.status();
  store::CountryContact contact = current->value_or(store::CountryContact{});
  std::string error;
  if (c.method == "POST") {
    for (const ContactField& f : kContactFields) {
      const std::string typed = form.Param(f.name).value_or("");
      contact.*f.member = std::string(text::Trim(typed));
    }
    contact.iso2 = country->iso2;
    contact.author = c.principal.email;
    auto stored = c.registry.store().AddCountryContact(contact, Origin(c));
    if (stored) {
      Response r;
      r.status = 303;
      r.body = "Stored\n";
      r.headers.push_back({"Location", "/countries/" + country->iso2});
      return r;
    }
    if (stored.status().code() != StatusCode::kInvalidArgument) return stored.status();
    error = "Nothing was stored: " + stored.status().message();
  }
  nlohmann::json fields = nlohmann::json::array();
  for (const ContactField& f : kContactFields) {
    fields.push_back({{"name", f.name},
                      {"label", f.label},
                      {"value", contact.*f.member},
                      {"required", f.required},
                      {"help", std::string(f.help)},
                      {"long", false},
                      {"error", nullptr}});
  }
  auto page = c.Page("edit", {{"title", "24/7 point of contact: " + country->name_en},
                              {"heading", "24/7 point of contact of " + country->name_en},
                              {"entity_href", "/countries/" + country->iso2},
                              {"error", error.empty() ? nlohmann::json(nullptr) : nlohmann::json(error)},
                              {"has_errors", !error.empty()},
                              {"direct", true},
                              {"action", "/countries/" + country->iso2 + "/contact"},
                              {"csrf", c.principal.csrf_token},
                              {"fields", std::move(fields)},
                              {"note", ""}});
  if (page && !error.empty()) page->status = 400;
  return page;
}

}  // namespace octopus::web::internal
