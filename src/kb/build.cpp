#include <algorithm>
#include <cmath>
#include <cstdio>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include <nlohmann/json.hpp>

#include "core/text.h"
#include "kb/internal/names.h"
#include "kb/internal/resolve.h"
#include "kb/internal/thresholds.h"
#include "kb/knowledge.h"

namespace octopus::kb {

namespace {

using nlohmann::json;
using internal::Span;

std::string Text(const json& f, const char* key) {
  auto it = f.find(key);
  if (it == f.end() || !it->is_string()) return {};
  return std::string(text::Trim(it->get<std::string>()));
}

std::vector<std::string> Texts(const json& f, const char* key) {
  std::vector<std::string> out;
  auto it = f.find(key);
  if (it == f.end()) return out;
  if (it->is_string()) {
    std::string s(text::Trim(it->get<std::string>()));
    if (!s.empty()) out.push_back(std::move(s));
    return out;
  }
  if (!it->is_array()) return out;
  for (const json& v : *it) {
    if (!v.is_string()) continue;
    std::string s(text::Trim(v.get<std::string>()));
    if (!s.empty() && std::find(out.begin(), out.end(), s) == out.end()) out.push_back(std::move(s));
  }
  return out;
}

// Amounts as decimal digits: 4945000, 508371.23.
std::string Amount(const json& f, const char* key) {
  auto it = f.find(key);
  if (it == f.end()) return {};
  if (it->is_number_integer()) return std::to_string(it->get<int64_t>());
  if (it->is_number_float()) {
    const double v = it->get<double>();
    if (!std::isfinite(v) || v < 0) return {};
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    std::string s(buf);
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
  }
  if (it->is_string()) {
    std::string s(text::Trim(it->get<std::string>()));
    const bool digits = !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
      return (c >= '0' && c <= '9') || c == '.';
    });
    return digits ? s : std::string();
  }
  return {};
}

// A date field when it has one of the ISO shapes, else "".
std::string Date(const json& f, const char* key) {
  std::string s = Text(f, key);
  return internal::IsIsoDate(s) ? s : std::string();
}

struct Work {
  Entity entity;
  // What the activity rules compare, from every claim attached so far.
  std::vector<std::string> titles, projects, places, countries;
  std::optional<Span> span;
  std::set<std::pair<int64_t, std::string>> listed_in;  // (document, section) pairs
};

class Builder {
 public:
  explicit Builder(const Directory& directory) : directory_(directory) {}

  void Add(const DocumentInput& doc, const RecordInput& record) {
    json f = json::parse(record.fields_json, nullptr, false);
    if (f.is_discarded() || !f.is_object()) return;
    Source src;
    src.document_id = doc.id;
    src.record_id = record.id;
    src.line = record.line;
    src.stated_on = !doc.date.empty() ? doc.date : doc.period_end;
    src.section = Text(f, "section");
    src.document_label = doc.label;
    if (record.kind == "project") {
      AddProject(f, src);
    } else if (record.kind == "activity") {
      AddActivity(doc, f, src);
    } else if (record.kind == "news_item") {
      AddNews(f, src);
    } else if (record.kind == "link") {
      AddLink(doc, f, src);
    }
  }

  // An edit is added after every document: its claims never take part in
  // the resolution of the documents' records.
  void AddEdit(const EditInput& edit) {
    Source src;
    src.stated_on = edit.published_at;
    src.section = "edit";
    src.author = edit.author;
    src.edit_id = edit.id;
    src.document_label = "edit " + std::to_string(edit.id) + " by " + edit.author;
    const std::string rule = "edited by " + edit.author;
    for (const EditInput::Value& v : edit.values) {
      const std::string id = v.entity_id == kNewEntity ? NewEntityId(edit.id, v.kind) : v.entity_id;
      if (id.empty() || v.field.empty()) continue;
      Work* w = Find(id);
      if (!w) w = &Create(v.kind, id);
      // An id names one entity: a value for another kind under it is not read.
      if (w->entity.kind != v.kind) continue;
      Source s = src;
      s.quote = edit.note.empty() ? v.value : edit.note;
      if (v.value.empty()) {
        // An editor's "no value" (kNoValue): a claim of its own, which
        // supersedes the documents' values as any later claim does.
        Claim c;
        c.entity_id = w->entity.id;
        c.field = v.field;
        c.source = s;
        c.source.quote = edit.note.empty() ? "no value" : edit.note;
        c.rule = rule;
        w->entity.claims.push_back(std::move(c));
        continue;
      }
      Say(*w, v.field, v.value, s, rule);
    }
  }

  KnowledgeBase Finish() {
    for (Work& w : works_) Derive(w.entity);
    AttachNewsToActivities();
    KnowledgeBase kb;
    for (Work& w : works_) kb.entities.push_back(std::move(w.entity));
    std::sort(kb.entities.begin(), kb.entities.end(), [](const Entity& a, const Entity& b) {
      return std::tie(a.kind, a.id) < std::tie(b.kind, b.id);
    });
    return kb;
  }

 private:
  Work* Find(const std::string& id) {
    auto it = index_.find(id);
    return it == index_.end() ? nullptr : &works_[it->second];
  }

  Work& Create(Kind kind, const std::string& id) {
    index_.emplace(id, works_.size());
    works_.emplace_back();
    works_.back().entity.id = id;
    works_.back().entity.kind = kind;
    return works_.back();
  }

  // A hashed id not yet taken: the parts, then the parts and a counter.
  std::string FreshId(std::vector<std::string> parts) {
    std::string id = internal::ShortHash(parts);
    for (int n = 2; index_.count(id); ++n) {
      std::vector<std::string> more = parts;
      more.push_back(std::to_string(n));
      id = internal::ShortHash(more);
    }
    return id;
  }

  static void Say(Work& w, std::string field, std::string value, const Source& src, const std::string& rule) {
    if (value.empty()) return;
    Claim c;
    c.entity_id = w.entity.id;
    c.field = std::move(field);
    c.value = std::move(value);
    c.source = src;
    c.rule = rule;
    w.entity.claims.push_back(std::move(c));
  }

  // True when the entity has a claim of `field` stated on the same day as
  // `src` with a value other than `value`.
  static bool SaidOtherwise(const Work& w, const std::string& field, const std::string& value, const Source& src) {
    return std::any_of(w.entity.claims.begin(), w.entity.claims.end(), [&](const Claim& c) {
      return c.field == field && c.source.stated_on == src.stated_on && c.value != value;
    });
  }

  // True when a title already stated differs from `title` only in case,
  // accents or punctuation.
  static bool SpelledAlike(const Work& w, const std::string& title) {
    return std::any_of(w.entity.claims.begin(), w.entity.claims.end(), [&](const Claim& c) {
      return (c.field == "title" || c.field == "also_titled") && internal::NameKey(c.value) == internal::NameKey(title);
    });
  }

  // The organisation a name denotes, created on first mention.
  std::string Organisation(const std::string& name, const Source& src) {
    std::string id, rule, canonical;
    if (const Directory::Name* n = directory_.Organisation(name)) {
      id = n->id;
      canonical = n->name;
      rule = internal::NameRule("organisation", *n, name);
    } else if (const Directory::Name* m = internal::NamedWithin(directory_.organisations(), name)) {
      id = m->id;
      canonical = m->name;
      rule = "organisation named in '" + name + "'";
    } else if (internal::LooksLikeAName(name)) {
      id = internal::Slug(name);
      canonical = name;
      rule = "folded organisation name";
    }
    if (id.empty()) return {};
    Work* w = Find(id);
    if (!w) w = &Create(Kind::kOrganisation, id);
    Source s = src;
    s.quote = name;
    Say(*w, "name", canonical, s, rule);
    if (internal::NameKey(canonical) != internal::NameKey(name)) Say(*w, "aliases", name, s, rule);
    return id;
  }

  // The project id an activity or news record names: the directory's, else
  // a slug of the name.
  std::string ProjectId(const std::string& name) const {
    if (const Directory::Name* n = directory_.Project(name)) return n->id;
    return internal::Slug(name);
  }

  void AddProject(const json& f, Source src) {
    const std::string written = Text(f, "name");
    if (written.empty()) return;
    src.quote = written;
    std::string id, rule, canonical = written, acronym;
    if (const Directory::Name* n = directory_.Project(written)) {
      id = n->id;
      canonical = n->name;
      acronym = n->acronym;
      rule = internal::NameRule("project", *n, written);
    } else {
      // A block about several of the programme's projects ("Joint
      // initiatives") describes them, it is not one more.
      const std::string about = written + " " + Text(f, "scope") + " " + text::Join(Texts(f, "projects"), ", ");
      if (internal::MentionedNames(directory_.projects(), about).size() >= 2) return;
      if (!internal::LooksLikeAName(written)) return;
      id = internal::Slug(written);
      rule = "folded project name";
    }
    if (id.empty()) return;
    Work* w = Find(id);
    if (!w) w = &Create(Kind::kProject, id);
    Say(*w, "name", canonical, src, rule);
    if (internal::NameKey(written) != internal::NameKey(canonical) &&
        (acronym.empty() || internal::NameKey(written) != internal::NameKey(acronym))) {
      Say(*w, "aliases", written, src, rule);
    }
    if (!acronym.empty() && internal::NameKey(written) == internal::NameKey(acronym)) {
      Say(*w, "acronym", acronym, src, rule);
    }
    Say(*w, "start", Date(f, "start"), src, rule);
    Say(*w, "end", Date(f, "end"), src, rule);
    Say(*w, "duration", Text(f, "duration"), src, rule);
    const std::string amount = Amount(f, "budget_amount");
    if (!amount.empty()) {
      Source s = src;
      if (!Text(f, "budget").empty()) s.quote = Text(f, "budget");
      Say(*w, "budget_amount", amount, s, rule);
      Say(*w, "budget_currency", Text(f, "budget_currency"), s, rule);
    }
    {
      Source s = src;
      if (!Text(f, "funding").empty()) s.quote = Text(f, "funding");
      for (const std::string& funder : Texts(f, "funders")) {
        Say(*w, "funders", Organisation(funder, s), s, rule);
      }
    }
    // "C-PROC of the Council of Europe and INTERPOL" names three.
    for (const std::string& implementer : Texts(f, "implementer")) {
      Source s = src;
      s.quote = implementer;
      const auto named = internal::MentionedNames(directory_.organisations(), implementer);
      if (named.empty()) Say(*w, "implementers", Organisation(implementer, s), s, rule);
      for (const Directory::Name* n : named) Say(*w, "implementers", Organisation(n->name, s), s, rule);
    }
    for (const std::string& country : Texts(f, "countries")) Say(*w, "countries", country, src, rule);
    Say(*w, "scope", Text(f, "scope"), src, rule);
    auto contributions = f.find("contributions");
    if (contributions != f.end() && contributions->is_array()) {
      for (const json& c : *contributions) {
        if (c.is_object()) AddContribution(c, id, src);
      }
    }
  }

  void AddContribution(const json& c, const std::string& project, Source src) {
    const std::string contributor = Text(c, "contributor");
    if (contributor.empty()) return;
    if (!Text(c, "span").empty()) src.quote = Text(c, "span");
    if (c.contains("line") && c["line"].is_number_integer()) src.line = c["line"].get<int>();
    const std::string donor = Organisation(contributor, src);
    if (donor.empty()) return;
    const std::string amount = Amount(c, "amount");
    const std::string currency = amount.empty() ? std::string() : Text(c, "currency");
    // One contribution per donor, project, amount and currency.
    const std::string id = internal::ShortHash({"contribution", donor, project, amount, currency});
    Work* w = Find(id);
    const std::string rule = w ? "same donor, project and amount" : "new entity";
    if (!w) w = &Create(Kind::kContribution, id);
    Say(*w, "donor", donor, src, rule);
    Say(*w, "project", project, src, rule);
    Say(*w, "amount", amount, src, rule);
    Say(*w, "currency", currency, src, rule);
  }

  void AddActivity(const DocumentInput& doc, const json& f, Source src) {
    const std::string title = Text(f, "title");
    if (title.empty()) return;
    src.quote = title;
    // The dates are quoted in the source's own words for them.
    Source when = src;
    if (!Text(f, "as_written").empty()) when.quote = Text(f, "as_written");
    internal::ActivityKey key;
    key.title = title;
    // The column of project names may name an office or committee
    // ("C-PROC"): an organiser, not a project.
    std::vector<std::string> organisers;
    for (const std::string& p : Texts(f, "projects")) {
      if (!directory_.Project(p) && directory_.Organisation(p)) {
        organisers.push_back(p);
        continue;
      }
      const std::string id = ProjectId(p);
      if (!id.empty() && std::find(key.projects.begin(), key.projects.end(), id) == key.projects.end()) {
        key.projects.push_back(id);
      }
    }
    key.places = Texts(f, "places");
    key.countries = Texts(f, "countries");
    const std::string start = Date(f, "start"), end = Date(f, "end"), precision = Text(f, "precision");
    key.span = internal::SpanOf(start, end, precision);

    Work* match = nullptr;
    std::string rule;
    double best = -1;
    for (Work& w : works_) {
      if (w.entity.kind != Kind::kActivity) continue;
      if (internal::IsList(src.section) && w.listed_in.count({doc.id, src.section})) continue;
      internal::ActivityKey other{w.titles.front(), w.projects, w.places, w.countries, w.span};
      for (const std::string& t : w.titles) {
        other.title = t;
        auto m = internal::MatchActivities(other, key);
        if (m && m->similarity > best) {
          best = m->similarity;
          match = &w;
          rule = m->rule;
        }
      }
    }
    if (!match) {
      std::vector<std::string> projects = key.projects, countries = key.countries;
      std::sort(projects.begin(), projects.end());
      std::sort(countries.begin(), countries.end());
      match = &Create(Kind::kActivity, FreshId({"activity", internal::NameKey(title), start, end,
                                                text::Join(projects, ","), text::Join(countries, ",")}));
      rule = "new entity";
    }
    Work& w = *match;
    w.listed_in.insert({doc.id, src.section});
    if (std::find(w.titles.begin(), w.titles.end(), title) == w.titles.end()) w.titles.push_back(title);
    for (const std::string& p : key.projects) {
      if (std::find(w.projects.begin(), w.projects.end(), p) == w.projects.end()) w.projects.push_back(p);
    }
    for (const std::string& p : key.places) w.places.push_back(p);
    for (const std::string& c : key.countries) w.countries.push_back(c);
    if (key.span) w.span = w.span ? internal::Narrower(*w.span, *key.span) : *key.span;

    // Another wording of the title stated on the same day is no
    // contradiction: it is kept as another title.
    if (!SaidOtherwise(w, "title", title, src)) {
      Say(w, "title", title, src, rule);
      Say(w, "type", internal::ActivityType(title), src, rule);
    } else if (!SpelledAlike(w, title)) {
      Say(w, "also_titled", title, src, rule);
    }
    for (const std::string& p : key.projects) Say(w, "projects", p, src, rule);
    for (const std::string& o : organisers) Say(w, "organisers", Organisation(o, src), src, rule);
    for (const std::string& p : key.places) Say(w, "places", p, src, rule);
    for (const std::string& c : key.countries) Say(w, "countries", c, src, rule);
    Say(w, "mode", Text(f, "mode"), src, rule);
    Say(w, "start", start, when, rule);
    Say(w, "end", end, when, rule);
    Say(w, "precision", precision, when, rule);
    if (!SaidOtherwise(w, "as_written", Text(f, "as_written"), when)) {
      Say(w, "as_written", Text(f, "as_written"), when, rule);
    }
    Say(w, "status", internal::ActivityStatus(src.section, title + " " + Text(f, "as_written"), key.span,
                                              doc.date),
        src, rule);
  }

  void AddNews(const json& f, Source src) {
    const std::string title = Text(f, "title"), date = Date(f, "date"), body = Text(f, "body");
    if (title.empty() && body.empty()) return;
    src.quote = !title.empty() ? title : std::string(text::TruncateUtf8(body, 200));
    const std::string key = !title.empty() ? internal::NameKey(title) : internal::NameKey(src.quote);
    const std::string id = internal::ShortHash({"news_item", key, date});
    Work* w = Find(id);
    const std::string rule = w ? "same folded title and date" : "new entity";
    if (!w) w = &Create(Kind::kNewsItem, id);
    Say(*w, "title", title, src, rule);
    Say(*w, "date", date, src, rule);
    Say(*w, "place", Text(f, "place"), src, rule);
    Say(*w, "event_start", Date(f, "event_start"), src, rule);
    Say(*w, "event_end", Date(f, "event_end"), src, rule);
    Say(*w, "event_place", Text(f, "event_place"), src, rule);
    for (const std::string& c : Texts(f, "countries")) Say(*w, "countries", c, src, rule);
    for (const std::string& p : Texts(f, "projects")) Say(*w, "projects", ProjectId(p), src, rule);
    for (const std::string& t : Texts(f, "treaties")) Say(*w, "treaties", t, src, rule);
    Say(*w, "body", body, src, rule);
    Say(*w, "source_url", Text(f, "source_url"), src, rule);
  }

  void AddLink(const DocumentInput& doc, const json& f, Source src) {
    const std::string caption = Text(f, "caption");
    const std::string type = internal::ResourceType(caption);
    if (type.empty()) return;
    const std::string target = Text(f, "target");
    src.quote = caption;
    const std::string id = internal::ShortHash({"resource", internal::NameKey(caption), target});
    Work* w = Find(id);
    const std::string rule = w ? "same folded title and link" : "new entity";
    if (!w) w = &Create(Kind::kResource, id);
    Say(*w, "title", caption, src, rule);
    Say(*w, "type", type, src, rule);
    Say(*w, "language", internal::ResourceLanguage(caption), src, rule);
    Say(*w, "link", target, src, rule);
    // The date of the item the link belongs to, when the document has one.
    if (f.contains("item_line") && f["item_line"].is_number_integer()) {
      const int item_line = f["item_line"].get<int>();
      for (const RecordInput& r : doc.records) {
        if (r.kind != "news_item" || r.line != item_line) continue;
        json item = json::parse(r.fields_json, nullptr, false);
        if (item.is_object()) Say(*w, "date", Date(item, "date"), src, rule);
      }
    }
  }

  // A news item reporting an activity names it in its `activities` field.
  void AttachNewsToActivities() {
    for (Work& news : works_) {
      if (news.entity.kind != Kind::kNewsItem) continue;
      const Entity& n = news.entity;
      internal::NewsKey key{n.value("title"), n.values("projects"), n.value("date"),
                            internal::SpanOf(n.value("event_start"), n.value("event_end"), ""), {},
                            n.values("countries")};
      for (const char* field : {"place", "event_place"}) {
        if (!n.value(field).empty()) key.places.push_back(n.value(field));
      }
      if (key.title.empty()) continue;
      std::vector<std::pair<std::string, std::string>> found;  // (activity id, rule)
      for (const Work& a : works_) {
        if (a.entity.kind != Kind::kActivity) continue;
        for (const std::string& t : a.titles) {
          auto rule = internal::NewsReports(key, internal::ActivityKey{t, a.projects, a.places, a.countries, a.span});
          if (rule) {
            found.emplace_back(a.entity.id, *rule);
            break;
          }
        }
      }
      if (found.empty()) continue;
      const Claim& first = *std::find_if(n.claims.begin(), n.claims.end(),
                                         [](const Claim& c) { return c.field == "title"; });
      const Source src = first.source;
      for (const auto& [id, rule] : found) Say(news, "activities", id, src, rule);
      Derive(news.entity);
    }
  }

  const Directory& directory_;
  std::deque<Work> works_;  // stable references while entities are added
  std::map<std::string, size_t> index_;
};

std::string DocumentDate(const DocumentInput& d) { return !d.date.empty() ? d.date : d.period_end; }

}  // namespace

std::string NewEntityId(int64_t edit_id, Kind kind) {
  return internal::ShortHash({"edit", std::to_string(edit_id), std::string(KindName(kind))});
}

KnowledgeBase Build(const std::vector<DocumentInput>& documents, const Directory& directory,
                    const std::vector<EditInput>& edits) {
  std::vector<const DocumentInput*> order;
  for (const DocumentInput& d : documents) order.push_back(&d);
  std::sort(order.begin(), order.end(), [](const DocumentInput* a, const DocumentInput* b) {
    return std::make_tuple(DocumentDate(*a), a->sha256, a->id) < std::make_tuple(DocumentDate(*b), b->sha256, b->id);
  });
  Builder builder(directory);
  for (const DocumentInput* d : order) {
    std::vector<const RecordInput*> records;
    for (const RecordInput& r : d->records) records.push_back(&r);
    std::sort(records.begin(), records.end(), [](const RecordInput* a, const RecordInput* b) {
      return std::tie(a->line, a->kind, a->fields_json) < std::tie(b->line, b->kind, b->fields_json);
    });
    for (const RecordInput* r : records) builder.Add(*d, *r);
  }
  std::vector<const EditInput*> published;
  for (const EditInput& e : edits) published.push_back(&e);
  std::sort(published.begin(), published.end(), [](const EditInput* a, const EditInput* b) {
    return std::tie(a->published_at, a->id) < std::tie(b->published_at, b->id);
  });
  for (const EditInput* e : published) builder.AddEdit(*e);
  return builder.Finish();
}

}  // namespace octopus::kb
