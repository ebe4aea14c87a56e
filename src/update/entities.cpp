#include "update/internal/entities.h"

#include <algorithm>
#include <tuple>

#include "core/text.h"

namespace octopus::update::internal {

namespace {

using kb::Entity;
using kb::Kind;

/// A field's value as one line; "" when the field has none.
std::string Text(const Entity& e, std::string_view field) { return OneLine(e.value(field)); }

/// A date field. Where same-day sources contradict each other, the widest
/// reading: the earliest for a start, the latest for an end, so that the span
/// shown contains every date a source gives.
std::optional<IsoDate> DateOf(const Entity& e, std::string_view field, bool earliest) {
  std::optional<IsoDate> best;
  for (const std::string& v : e.values(field)) {
    const auto d = IsoDate::Parse(v);
    if (!d) continue;
    if (!best || (earliest ? d->lo < best->lo : d->hi > best->hi)) best = d;
  }
  return best;
}

std::vector<std::string> Lines(const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const auto& v : values) {
    if (std::string line = OneLine(v); !line.empty()) out.push_back(std::move(line));
  }
  return out;
}

/// How a related entity is shown: a project by its short name, anything else
/// by its label; a value that is no entity's id is shown as stated.
std::string Display(const kb::KnowledgeBase& knowledge, const std::string& value) {
  const Entity* other = knowledge.Find(value);
  if (!other) return OneLine(value);
  return other->kind == Kind::kProject ? ProjectName(*other) : OneLine(other->label);
}

std::vector<std::string> Displays(const kb::KnowledgeBase& knowledge,
                                  const std::vector<std::string>& values) {
  std::vector<std::string> out;
  for (const auto& v : values) out.push_back(Display(knowledge, v));
  return out;
}

/// The entities of a kind in the order sources first state them; claims are
/// in time order, so an entity's first claim is its first statement.
std::vector<const Entity*> InSourceOrder(const kb::KnowledgeBase& knowledge, Kind kind) {
  std::vector<const Entity*> out = knowledge.OfKind(kind);
  auto key = [](const Entity* e) {
    if (e->claims.empty()) return std::tuple(true, std::string(), int64_t{0}, 0, e->id);
    const kb::Source& s = e->claims.front().source;
    return std::tuple(false, s.stated_on, s.document_id, s.line, e->id);
  };
  std::stable_sort(out.begin(), out.end(),
                   [&](const Entity* a, const Entity* b) { return key(a) < key(b); });
  return out;
}

bool IsTitle(std::string_view field) { return field == "title" || field == "also_titled"; }

Activity ReadActivity(const kb::KnowledgeBase& knowledge, const Entity& e) {
  Activity a;
  a.id = e.id;
  a.url = e.url();
  a.title = Text(e, "title");
  // Where the lists and an announcement word it differently (a second
  // wording is an "also_titled" claim), the latest list's wording; a
  // save-the-date entry keeps its own, below.
  for (auto it = e.claims.rbegin(); it != e.claims.rend(); ++it) {
    if (IsTitle(it->field) && text::ToLowerAscii(it->source.section) != "save_the_date" &&
        !OneLine(it->value).empty()) {
      a.title = OneLine(it->value);
      break;
    }
  }
  a.mode = NormaliseMode(e.value("mode"));
  a.as_written = Text(e, "as_written");
  a.status = text::ToLowerAscii(Text(e, "status"));
  a.project_ids = e.values("projects");
  a.projects = Displays(knowledge, a.project_ids);
  a.places = Lines(e.values("places"));
  a.countries = Lines(e.values("countries"));
  a.start = DateOf(e, "start", true);
  a.end = DateOf(e, "end", false);
  if (auto p = domain::ParsePrecision(text::ToLowerAscii(Text(e, "precision")))) {
    a.precision = *p;
  } else if (a.start && a.start->grain != IsoDate::Grain::kDay) {
    a.precision = a.start->grain == IsoDate::Grain::kYear ? domain::Precision::kYear
                                                          : domain::Precision::kMonth;
  }
  for (const kb::Claim& c : e.claims) {
    Mention m{text::ToLowerAscii(c.source.section), IsoDate::Parse(c.source.stated_on)};
    const bool known = std::any_of(a.mentions.begin(), a.mentions.end(), [&](const Mention& x) {
      return x.section == m.section && x.stated_on.has_value() == m.stated_on.has_value() &&
             (!x.stated_on || (x.stated_on->lo == m.stated_on->lo && x.stated_on->hi == m.stated_on->hi));
    });
    // The latest title a save-the-date list gives.
    if (IsTitle(c.field) && m.section == "save_the_date") a.save_the_date_title = OneLine(c.value);
    if (!known) a.mentions.push_back(std::move(m));
  }
  return a;
}

News ReadNews(const kb::KnowledgeBase& knowledge, const Entity& e) {
  News n;
  n.id = e.id;
  n.url = e.url();
  n.title = Text(e, "title");
  n.place = Text(e, "place");
  n.event_place = Text(e, "event_place");
  n.body = std::string(text::Trim(e.value("body")));
  n.as_written = Text(e, "as_written");
  n.section = Text(e, "section");
  if (n.section.empty()) {
    for (const kb::Claim& c : e.claims) {
      if (c.field == "title" && !c.source.section.empty()) n.section = OneLine(c.source.section);
    }
  }
  n.date = DateOf(e, "date", true);
  n.event_start = DateOf(e, "event_start", true);
  n.event_end = DateOf(e, "event_end", false);
  n.countries = Lines(e.values("countries"));
  n.project_ids = e.values("projects");
  n.projects = Displays(knowledge, n.project_ids);
  n.treaties = Lines(e.values("treaties"));
  return n;
}

/// The values of a scalar field as the sources stated it by `as_of` (ISO):
/// the latest statements made on or before that day; the current values when
/// no source had stated it by then. Several values are a conflict.
std::vector<const kb::FieldValue*> AsOf(const kb::Field& f, const std::string& as_of) {
  std::vector<const kb::FieldValue*> all, out;
  for (const auto& v : f.current) all.push_back(&v);
  for (const auto& v : f.history) all.push_back(&v);
  std::optional<std::string> latest;
  for (const kb::FieldValue* v : all) {
    // A reduced date ("2023-09") compares below every day of its month.
    if (!as_of.empty() && v->stated_on > as_of) continue;
    if (!latest || v->stated_on > *latest) latest = v->stated_on;
  }
  if (!latest) {
    for (const auto& v : f.current) out.push_back(&v);
    return out;
  }
  for (const kb::FieldValue* v : all) {
    if (v->stated_on == *latest) out.push_back(v);
  }
  return out;
}

Project ReadProject(const kb::KnowledgeBase& knowledge, const Entity& e,
                    const std::string& as_of) {
  Project p;
  p.id = e.id;
  p.url = e.url();
  p.name = ProjectName(e);
  p.scope = Text(e, "scope");
  p.status = Text(e, "status");
  p.budget_currency = Text(e, "budget_currency");
  p.duration_text = Text(e, "duration");
  p.budget_text = Text(e, "budget");
  p.funding_text = Text(e, "funding");
  p.start = DateOf(e, "start", true);
  p.end = DateOf(e, "end", false);
  if (const kb::Field* f = e.field("budget_amount")) {
    for (const kb::FieldValue* v : AsOf(*f, as_of)) {
      if (const auto amount = ParseAmount(v->value)) p.budget_conflict.push_back(*amount);
    }
    if (p.budget_conflict.size() == 1) {
      p.budget_amount = p.budget_conflict.front();
      p.budget_conflict.clear();
    }
  }
  p.funders = Displays(knowledge, e.values("funders"));
  p.countries = Lines(e.values("countries"));
  for (const char* field : {"members", "projects"}) {
    for (auto& m : Displays(knowledge, e.values(field))) p.members.push_back(std::move(m));
  }
  std::vector<std::string> names = e.values("aliases");
  names.push_back(e.value("name"));
  names.push_back(e.value("acronym"));
  for (const auto& name : names) {
    const std::string key = ProjectKey(name);
    if (!key.empty() && std::find(p.keys.begin(), p.keys.end(), key) == p.keys.end()) {
      p.keys.push_back(key);
    }
  }
  return p;
}

Contribution ReadContribution(const kb::KnowledgeBase& knowledge, const Entity& e) {
  Contribution c;
  c.id = e.id;
  c.donor = Display(knowledge, e.value("donor"));
  c.project_id = e.value("project");
  if (const kb::Field* f = e.field("amount"); f && f->current.size() == 1) {
    c.amount = ParseAmount(f->current.front().value);
  }
  c.currency = Text(e, "currency");
  c.date = DateOf(e, "date", true);
  return c;
}

}  // namespace

std::string ProjectName(const kb::Entity& project) {
  // The quote of a name claim is the name as the source wrote it; a long one
  // is a sentence about the project rather than its name.
  constexpr size_t kLongestName = 80;
  for (auto it = project.claims.rbegin(); it != project.claims.rend(); ++it) {
    if (it->field != "name") continue;
    std::string written = OneLine(it->source.quote);
    if (!written.empty() && written.size() <= kLongestName) return written;
    break;
  }
  std::string acronym = OneLine(project.value("acronym"));
  return acronym.empty() ? OneLine(project.label) : acronym;
}

std::optional<domain::Date> Activity::Lo() const {
  if (start) return start->lo;
  // "by 30 July" bounds only the end; "TBC" with an end month bounds both.
  if (end && precision != domain::Precision::kBy) return end->lo;
  return std::nullopt;
}

std::optional<domain::Date> Activity::Hi() const {
  if (end) return end->hi;
  if (start) return start->hi;
  return std::nullopt;
}

std::optional<domain::Date> Activity::Anchor() const {
  if (start) return start->lo;
  if (end) return end->lo;
  return std::nullopt;
}

bool Activity::ListedIn(std::string_view section, domain::Date from, domain::Date to) const {
  return std::any_of(mentions.begin(), mentions.end(), [&](const Mention& m) {
    return m.section == section && m.stated_on && m.stated_on->hi >= from && m.stated_on->hi <= to;
  });
}

bool Activity::MentionedIn(domain::Date from, domain::Date to) const {
  return std::any_of(mentions.begin(), mentions.end(), [&](const Mention& m) {
    return m.stated_on && m.stated_on->hi >= from && m.stated_on->hi <= to;
  });
}

bool Activity::SaveTheDateOnly() const {
  return !mentions.empty() && std::all_of(mentions.begin(), mentions.end(), [](const Mention& m) {
    return m.section == "save_the_date";
  });
}

Entities ReadEntities(const kb::KnowledgeBase& knowledge, std::optional<domain::Date> as_of) {
  Entities out;
  const std::string day = as_of ? as_of->ToIso() : std::string();
  for (const Entity* e : InSourceOrder(knowledge, Kind::kProject)) {
    Project p = ReadProject(knowledge, *e, day);
    if (!p.name.empty()) out.projects.push_back(std::move(p));
  }
  for (const Entity* e : InSourceOrder(knowledge, Kind::kActivity)) {
    Activity a = ReadActivity(knowledge, *e);
    if (!a.title.empty()) out.activities.push_back(std::move(a));
  }
  for (const Entity* e : InSourceOrder(knowledge, Kind::kNewsItem)) {
    News n = ReadNews(knowledge, *e);
    if (!n.title.empty()) out.news.push_back(std::move(n));
  }
  for (const Entity* e : InSourceOrder(knowledge, Kind::kContribution)) {
    out.contributions.push_back(ReadContribution(knowledge, *e));
  }
  return out;
}

}  // namespace octopus::update::internal
