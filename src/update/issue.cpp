#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>

#include "core/text.h"
#include "service/treaty_views.h"
#include "update/internal/entities.h"
#include "update/internal/records.h"
#include "update/update.h"

namespace octopus::update {

using domain::Date;
using domain::Precision;
using internal::Activity;
using internal::IsoDate;
using internal::News;
using internal::Project;
using internal::ProjectKey;

// ---------------------------------------------------------------- quarters

Result<Quarter> Quarter::Parse(std::string_view text) {
  const std::string t = text::ToLowerAscii(text::Trim(text));
  auto bad = [&] {
    return InvalidArgument("quarter '" + std::string(text) + "' is not of the form 2023Q3");
  };
  if (t.size() < 6 || t.size() > 7) return bad();
  for (size_t i = 0; i < 4; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(t[i]))) return bad();
  }
  size_t pos = 4;
  if (t[pos] == '-') ++pos;
  if (pos + 2 != t.size() || t[pos] != 'q' || t[pos + 1] < '1' || t[pos + 1] > '4') return bad();
  Quarter q{std::stoi(t.substr(0, 4)), t[pos + 1] - '0'};
  if (q.year < 1) return bad();
  return q;
}

Quarter Quarter::Of(Date d) { return {d.year(), (d.month() - 1) / 3 + 1}; }
Date Quarter::first() const { return *Date::Make(year, number * 3 - 2, 1); }
Date Quarter::last() const { return Date::Make(year, number * 3, 1)->LastOfMonth(); }
Quarter Quarter::Next() const {
  return number == 4 ? Quarter{year + 1, 1} : Quarter{year, number + 1};
}
std::string Quarter::ToString() const { return fmt::format("{}Q{}", year, number); }
std::string Quarter::Label() const {
  return fmt::format("{} – {} {}", domain::MonthName(number * 3 - 2), domain::MonthName(number * 3),
                     year);
}

Result<Format> ParseFormat(std::string_view name) {
  const std::string n = text::ToLowerAscii(name);
  if (n == "html") return Format::kHtml;
  if (n == "md" || n == "markdown") return Format::kMarkdown;
  if (n == "text" || n == "txt") return Format::kText;
  if (n == "pdf") return Format::kPdf;
  if (n == "json") return Format::kJson;
  return InvalidArgument("format must be html|md|text|pdf|json, not '" + std::string(name) + "'");
}

std::string_view ContentType(Format f) {
  switch (f) {
    case Format::kHtml:
      return "text/html; charset=utf-8";
    case Format::kMarkdown:
      return "text/markdown; charset=utf-8";
    case Format::kText:
      return "text/plain; charset=utf-8";
    case Format::kPdf:
      return "application/pdf";
    case Format::kJson:
      return "application/json";
  }
  return "application/octet-stream";
}

Result<IssueRequest> ParseIssuePath(std::string_view segment) {
  static constexpr std::pair<std::string_view, Format> kExtensions[] = {{".html", Format::kHtml},
                                                                        {".md", Format::kMarkdown},
                                                                        {".txt", Format::kText},
                                                                        {".pdf", Format::kPdf},
                                                                        {".json", Format::kJson}};
  IssueRequest r;
  std::string_view quarter = segment;
  for (const auto& [ext, format] : kExtensions) {
    if (segment.size() > ext.size() && segment.ends_with(ext)) {
      quarter = segment.substr(0, segment.size() - ext.size());
      r.format = format;
      break;
    }
  }
  auto q = Quarter::Parse(quarter);
  if (!q) return q.status();
  r.quarter = *q;
  return r;
}

size_t UpdateIssue::ActivityCount() const {
  size_t n = 0;
  for (const auto& g : inventory) n += g.activities.size();
  return n;
}

std::string HighlightsTitle(const UpdateIssue& issue) { return "Highlights " + issue.period; }
std::string TreatyFiguresTitle(const UpdateIssue& issue) {
  return "Update: Treaties as of " + issue.as_of.ToLongEnglish();
}
std::string ProjectTitle(const ProjectEntry& p) { return "Update: " + p.name; }
std::string InventoryTitle(const UpdateIssue& issue) {
  return "Inventory of activities (" + issue.period + ")";
}
std::string ComingNextTitle(const UpdateIssue& issue) {
  return "Coming next (" + issue.next_period + ")";
}

namespace {

// ---------------------------------------------------------------- dates as text

std::string DayMonth(Date d, int context_year) {
  std::string s = std::to_string(d.day()) + " " + std::string(domain::MonthName(d.month()));
  if (d.year() != context_year) s += " " + std::to_string(d.year());
  return s;
}

std::string MonthText(Date d, int context_year) {
  std::string s(domain::MonthName(d.month()));
  if (d.year() != context_year) s += " " + std::to_string(d.year());
  return s;
}

std::string Point(const IsoDate& d, int context_year) {
  switch (d.grain) {
    case IsoDate::Grain::kDay:
      return DayMonth(d.lo, context_year);
    case IsoDate::Grain::kMonth:
      return MonthText(d.lo, context_year);
    case IsoDate::Grain::kYear:
      return std::to_string(d.lo.year());
  }
  return {};
}

std::string Span(const std::optional<IsoDate>& s, const std::optional<IsoDate>& e,
                 int context_year) {
  if (!s && !e) return {};
  if (!s) return Point(*e, context_year);
  if (!e || (s->lo == e->lo && s->hi == e->hi)) return Point(*s, context_year);
  using G = IsoDate::Grain;
  if (s->grain == G::kDay && e->grain == G::kDay) {
    if (s->lo.year() == e->lo.year() && s->lo.month() == e->lo.month()) {
      return std::to_string(s->lo.day()) + "–" + DayMonth(e->lo, context_year);
    }
    if (s->lo.year() == e->lo.year()) {
      return DayMonth(s->lo, e->lo.year()) + " – " + DayMonth(e->lo, context_year);
    }
  }
  if (s->grain == G::kMonth && e->grain == G::kMonth && s->lo.year() == e->lo.year()) {
    return MonthText(s->lo, e->lo.year()) + "–" + MonthText(e->lo, context_year);
  }
  return Point(*s, context_year) + " – " + Point(*e, context_year);
}

std::string When(const Activity& a, int context_year) {
  if (!a.as_written.empty()) return a.as_written;
  if (!a.start && !a.end) return a.precision == Precision::kTbd ? "TBD" : "date to be confirmed";
  switch (a.precision) {
    case Precision::kBy:
      return "by " + Point(a.end ? *a.end : *a.start, context_year);
    case Precision::kMid:
      return "mid-" + MonthText(*a.Anchor(), context_year);
    case Precision::kTbc:
      return Span(a.start, a.end, context_year) + " TBC";
    case Precision::kTbd:
      return "TBD";
    case Precision::kYear:
      return std::to_string(a.Anchor()->year());
    default:
      return Span(a.start, a.end, context_year);
  }
}

/// The day a treaty action happened, else the day a source reported it.
const std::optional<IsoDate>& ActionDate(const internal::TreatyActionRecord& a) {
  return a.date ? a.date : a.reported;
}

/// What a measure of a treaty figure means, for readers.
std::string MeasureLabel(std::string_view measure) {
  static constexpr std::pair<std::string_view, std::string_view> kLabels[] = {
      {"parties", "Parties"},
      {"ratified", "Ratifications"},
      {"tcy_members", "T-CY members"},
      {"signatories", "Signatories"},
      {"invited", "Invited to accede"},
      {"signatories_and_invited", "Signatories and invited States"},
      {"total", "Parties, signatories and invited States"},
      {"broadly_in_line", "Other States with substantive laws broadly in line"},
      {"drawing_on", "Further States drawing on the treaty for legislation"},
      {"total_other", "Other States, in all"},
      {"observers", "Observer States"},
      {"observer_organisations", "Observer Organisations"},
  };
  for (const auto& [key, label] : kLabels) {
    if (key == measure) return std::string(label);
  }
  std::string label(measure);
  std::replace(label.begin(), label.end(), '_', ' ');
  if (!label.empty())
    label[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(label[0])));
  return label;
}

bool DayPrecise(const Activity& a) {
  return a.precision == Precision::kDay && a.start && a.start->grain == IsoDate::Grain::kDay;
}

/// True when a save-the-date list speaks of the activity.
bool InSaveTheDateList(const Activity& a) {
  return std::any_of(a.mentions.begin(), a.mentions.end(),
                     [](const internal::Mention& m) { return m.section == "save_the_date"; });
}

/// True when one title contains the other ("Octopus Conference" and
/// "Octopus Conference 2023"), compared as matching keys.
bool SameEvent(std::string_view x, std::string_view y) {
  const std::string a = text::FoldKey(x), b = text::FoldKey(y);
  return !a.empty() && !b.empty() &&
         (a.find(b) != std::string::npos || b.find(a) != std::string::npos);
}

// ---------------------------------------------------------------- composing

class Composer {
 public:
  Composer(service::Registry& registry, const Quarter& q, const ComposeOptions& options,
           internal::Entities entities, internal::TreatyRecords treaty)
      : registry_(registry),
        q_(q),
        options_(options),
        entities_(std::move(entities)),
        treaty_(std::move(treaty)) {}

  Result<UpdateIssue> Build() {
    issue_.quarter = q_;
    issue_.next = q_.Next();
    issue_.period = q_.Label();
    issue_.next_period = issue_.next.Label();
    issue_.as_of = q_.last();
    issue_.unsubscribe_url = options_.unsubscribe_url;
    Inventory();
    ComingNext();
    Projects();
    TellNews();
    SaveTheDates();
    OCTOPUS_RETURN_IF_ERROR(Treaties());
    Highlights();
    Totals();
    return std::move(issue_);
  }

 private:
  std::string CountryName(const std::string& code) const {
    const auto& g = registry_.gazetteer();
    const domain::Country* c = code.size() == 2 ? g.ByIso2(code) : nullptr;
    if (!c) c = g.Find(code);  // a name or alias where a code was expected
    return c ? c->name_en : code;
  }

  std::vector<std::string> CountryNames(const std::vector<std::string>& codes) const {
    std::vector<std::string> out;
    for (const auto& c : codes) out.push_back(CountryName(c));
    return out;
  }

  ActivityEntry Entry(const Activity& a, int context_year) const {
    ActivityEntry e;
    e.id = a.id;
    e.url = a.url;
    e.title = a.title;
    e.projects = a.projects;
    e.places = a.places;
    e.countries = CountryNames(a.countries);
    e.where = Where(a.places, a.countries);
    e.mode = a.mode;
    e.when = When(a, context_year);
    e.start = a.Lo();
    e.end = a.Hi();
    if (a.status == "postponed" || a.status == "cancelled") e.status = a.status;
    return e;
  }

  /// Places (each once), then the countries that no place names: a place may
  /// be the country itself or an alias of it ("Korea" for KR).
  std::string Where(const std::vector<std::string>& places,
                    const std::vector<std::string>& countries) const {
    std::vector<std::string> parts;
    std::set<std::string> named_keys, named_codes;
    for (const auto& p : places) {
      if (!named_keys.insert(text::FoldKey(p)).second) continue;
      parts.push_back(p);
      if (const domain::Country* c = registry_.gazetteer().Find(p)) named_codes.insert(c->iso2);
    }
    for (const auto& code : countries) {
      const std::string name = CountryName(code);
      if (named_codes.count(code) || !named_keys.insert(text::FoldKey(name)).second) continue;
      if (const domain::Country* c = registry_.gazetteer().Find(name)) {
        if (named_codes.count(c->iso2)) continue;
      }
      parts.push_back(name);
    }
    std::string out;
    for (const auto& p : parts) out += (out.empty() ? "" : ", ") + p;
    return out;
  }

  static bool Overlaps(const Activity& a, Date from, Date to) {
    const auto anchor = a.Anchor();
    if (!anchor) return false;
    const Date lo = a.Lo().value_or(*anchor);
    const Date hi = a.Hi().value_or(*anchor);
    return lo <= to && hi >= from;
  }

  // Groups activities by the month they fall in (their first month within
  // [from, to]); undated ones last. Within a month, day-precise dates come first.
  static std::vector<MonthGroup> ByMonth(
      std::vector<std::pair<const Activity*, ActivityEntry>> items, Date from, Date to) {
    struct Item {
      int year = 0, month = 0;  // 0: undated
      bool day_precise = false;
      Date anchor;
      ActivityEntry entry;
    };
    std::vector<Item> sorted;
    for (auto& [record, entry] : items) {
      Item it;
      if (const auto anchor = record->Anchor()) {
        const Date m = std::clamp(*anchor, from, to);
        it.year = m.year();
        it.month = m.month();
        it.anchor = *anchor;
      }
      it.day_precise = DayPrecise(*record);
      it.entry = std::move(entry);
      sorted.push_back(std::move(it));
    }
    std::stable_sort(sorted.begin(), sorted.end(), [](const Item& x, const Item& y) {
      if ((x.year == 0) != (y.year == 0)) return y.year == 0;
      if (std::pair(x.year, x.month) != std::pair(y.year, y.month)) {
        return std::pair(x.year, x.month) < std::pair(y.year, y.month);
      }
      if (x.day_precise != y.day_precise) return x.day_precise;
      return x.anchor < y.anchor;
    });
    std::vector<MonthGroup> groups;
    for (auto& it : sorted) {
      if (groups.empty() || groups.back().year != it.year || groups.back().month != it.month) {
        MonthGroup g;
        g.year = it.year;
        g.month = it.month;
        g.label = it.year == 0
                      ? std::string("Date to be confirmed")
                      : std::string(domain::MonthName(it.month)) + " " + std::to_string(it.year);
        groups.push_back(std::move(g));
      }
      groups.back().activities.push_back(std::move(it.entry));
    }
    return groups;
  }

  void Inventory() {
    std::vector<std::pair<const Activity*, ActivityEntry>> items;
    for (const auto& a : entities_.activities) {
      // A save-the-date entry announces an activity; alone, it lists none.
      if (a.SaveTheDateOnly()) continue;
      // The quarter's issue may list what is still under way ("by December").
      if (Overlaps(a, q_.first(), q_.last()) || a.ListedIn("inventory", q_.first(), q_.last())) {
        in_quarter_.push_back(&a);
        items.emplace_back(&a, Entry(a, q_.year));
      }
    }
    issue_.inventory = ByMonth(std::move(items), q_.first(), q_.last());
  }

  void ComingNext() {
    const Quarter n = q_.Next();
    std::vector<std::pair<const Activity*, ActivityEntry>> items;
    for (const auto& a : entities_.activities) {
      if (a.SaveTheDateOnly()) continue;
      if (std::find(in_quarter_.begin(), in_quarter_.end(), &a) != in_quarter_.end()) continue;
      const auto anchor = a.Anchor();
      // Undated plans belong to the coming quarter of the issue that announced them.
      const bool planned = anchor ? (*anchor >= n.first() && *anchor <= n.last())
                                  : a.MentionedIn(q_.first(), q_.last());
      if (planned) {
        next_quarter_.push_back(&a);
        items.emplace_back(&a, Entry(a, n.year));
      }
    }
    issue_.coming_next = ByMonth(std::move(items), n.first(), n.last());
  }

  bool NewsInQuarter(const News& n) const {
    const std::optional<IsoDate>& d = n.date ? n.date : n.event_start;
    return d && d->lo <= q_.last() && d->hi >= q_.first();
  }

  /// "EUR 10 million", "USD 508,371.23": millions as such when `millions`.
  static std::string Money(const std::string& currency, double v, bool millions) {
    std::string amount;
    if (millions && v >= 1e6) {
      amount = fmt::format("{:.3f}", v / 1e6);
      while (amount.back() == '0') amount.pop_back();
      if (amount.back() == '.') amount.pop_back();
      amount += " million";
    } else {
      const auto cents = static_cast<long long>(std::llround(v * 100));
      std::string digits = std::to_string(cents / 100);
      for (int i = static_cast<int>(digits.size()) - 3; i > 0; i -= 3) digits.insert(i, ",");
      amount = digits;
      if (cents % 100 != 0) amount += fmt::format(".{:02}", cents % 100);
    }
    return currency.empty() ? amount : currency + " " + amount;
  }

  static ProjectEntry Basics(const Project& p, const Composer& c) {
    ProjectEntry e;
    e.id = p.id;
    e.url = p.url;
    e.name = p.name;
    if (p.start || p.end) {
      auto text = [](const std::optional<IsoDate>& d) -> std::string {
        if (!d) return "?";
        if (d->grain == IsoDate::Grain::kYear) return std::to_string(d->lo.year());
        return std::string(domain::MonthName(d->lo.month())) + " " + std::to_string(d->lo.year());
      };
      e.duration = text(p.start) + " – " + text(p.end);
    } else {
      e.duration = p.duration_text;
    }
    e.scope = p.scope;
    e.budget_amount = p.budget_amount;
    e.budget_currency = p.budget_currency;
    if (p.budget_amount) {
      e.budget = Money(p.budget_currency, *p.budget_amount, true);
    } else if (!p.budget_conflict.empty()) {
      for (const double v : p.budget_conflict) {
        e.budget += (e.budget.empty() ? "" : " or ") + Money(p.budget_currency, v, true);
      }
      e.budget += " (sources differ)";
    } else {
      e.budget = p.budget_text;
    }
    e.funders = p.funders;
    e.funding = p.funding_text;
    for (const auto& f : p.funders) {
      if (p.funding_text.empty()) e.funding += (e.funding.empty() ? "" : ", ") + f;
    }
    e.countries = c.CountryNames(p.countries);
    return e;
  }

  bool ProjectRunsInQuarter(const Project& p) const {
    if (!p.start && !p.end) return false;
    return (!p.start || p.start->lo <= q_.last()) && (!p.end || p.end->hi >= q_.first());
  }

  static bool Has(const std::vector<std::string>& ids, const std::string& id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
  }

  std::vector<ContributionEntry> ContributionsInQuarter(const Project& p) const {
    std::vector<ContributionEntry> out;
    for (const internal::Contribution& c : entities_.contributions) {
      if (c.project_id != p.id || !c.date || c.date->lo > q_.last() || c.date->hi < q_.first()) {
        continue;
      }
      ContributionEntry e;
      e.donor = c.donor;
      e.amount = c.amount;
      e.currency = c.currency;
      e.date = c.date->lo;
      e.text = c.donor.empty() ? std::string("A contribution") : c.donor;
      if (c.amount) e.text += ": " + Money(c.currency, *c.amount, false);
      e.text += " (" +
                (c.date->grain == IsoDate::Grain::kDay ? c.date->lo.ToLongEnglish() : Point(*c.date, 0)) +
                ")";
      out.push_back(std::move(e));
    }
    std::stable_sort(out.begin(), out.end(), [](const ContributionEntry& x, const ContributionEntry& y) {
      return x.date < y.date;
    });
    return out;
  }

  void Projects() {
    for (const auto& p : entities_.projects) {
      if (p.members.size() >= 2) {  // a joint initiative: its basics head the joint section
        issue_.joint = Basics(p, *this);
        continue;
      }
      ProjectEntry e = Basics(p, *this);
      std::vector<std::pair<const Activity*, ActivityEntry>> items;
      for (const Activity* a : in_quarter_) {
        if (Has(a->project_ids, p.id)) items.emplace_back(a, Entry(*a, q_.year));
      }
      for (auto& g : ByMonth(std::move(items), q_.first(), q_.last())) {
        for (auto& a : g.activities) e.activities.push_back(std::move(a));
      }
      bool has_news = false;
      for (const auto& n : entities_.news) {
        has_news = has_news || (NewsInQuarter(n) && Has(n.project_ids, p.id));
      }
      e.contributions = ContributionsInQuarter(p);
      if (!ProjectRunsInQuarter(p) && e.activities.empty() && !has_news &&
          e.contributions.empty()) {
        continue;
      }
      const size_t index = issue_.projects.size();
      project_index_.emplace(p.id, index);
      for (const std::string& key : p.keys) heading_keys_.emplace_back(key, index);
      issue_.project_inventory.push_back(Basics(p, *this));
      issue_.projects.push_back(std::move(e));
    }
  }

  Story MakeStory(const News& n) const {
    Story s;
    s.id = n.id;
    s.url = n.url;
    s.title = n.title;
    s.body = n.body;
    s.projects = n.projects;
    s.treaties = n.treaties;
    if (n.date) s.date = n.date->lo;
    std::string place = n.event_place.empty() ? n.place : n.event_place;
    // The date as written keeps what a span cannot say ("18 and 28 September").
    std::string when = !n.as_written.empty() ? n.as_written
                       : n.event_start       ? Span(n.event_start, n.event_end, q_.year)
                       : n.date              ? Point(*n.date, q_.year)
                                             : "";
    s.dateline = place;
    if (!when.empty()) s.dateline += (place.empty() ? "" : ", ") + when;
    return s;
  }

  /// The project section a source heading names ("Global Action on Cybercrime
  /// Extended (GLACY+)" → GLACY+); the longest matching name wins.
  std::optional<size_t> ProjectOfHeading(std::string_view heading) const {
    const std::string key = ProjectKey(heading);
    std::optional<size_t> best;
    size_t best_len = 0;
    for (const auto& [project, index] : heading_keys_) {
      if (project.size() > best_len && key.find(project) != std::string::npos) {
        best = index;
        best_len = project.size();
      }
    }
    return best;
  }

  void TellNews() {
    for (const auto& n : entities_.news) {
      if (!NewsInQuarter(n)) continue;
      news_in_quarter_.push_back(&n);
      Story s = MakeStory(n);
      std::set<size_t> sections;
      for (const auto& id : n.project_ids) {
        if (auto it = project_index_.find(id); it != project_index_.end()) {
          sections.insert(it->second);
        }
      }
      // The project whose heading the source put it under takes the story;
      // else one project with a section (its partners have none); several
      // take it together.
      const std::optional<size_t> heading = ProjectOfHeading(n.section);
      if (heading) {
        issue_.projects[*heading].stories.push_back(std::move(s));
      } else if (sections.size() == 1) {
        issue_.projects[*sections.begin()].stories.push_back(std::move(s));
      } else if (sections.size() >= 2 || n.projects.size() >= 2) {
        issue_.joint_news.push_back(std::move(s));
      } else if (!n.treaties.empty()) {
        issue_.treaty_news.push_back(std::move(s));
      } else {
        issue_.other_news.push_back(std::move(s));
      }
    }
  }

  // The source's own save-the-date list when it gives one; otherwise the
  // conferences, openings, closings and plenaries of the next six months.
  // Events the quarter's news announced are added unless already listed.
  void SaveTheDates() {
    static constexpr std::string_view kMarkers[] = {"conference", "closing", "opening", "plenary",
                                                    "summit"};
    const Date horizon = q_.last().AddDays(183);
    std::vector<SaveTheDate> out;
    auto listed = [&](std::string_view title, Date start) {
      for (const auto& s : out) {
        if (s.start == start && SameEvent(s.title, title)) return true;
      }
      return false;
    };
    auto upcoming = [&](const Activity& a) {
      return DayPrecise(a) && a.start->lo > q_.last() && a.start->lo <= horizon;
    };
    // The save-the-date list's own title where it gives one.
    auto add = [&](const Activity& a) {
      const std::string& title = a.save_the_date_title.empty() ? a.title : a.save_the_date_title;
      if (listed(title, a.start->lo)) return;
      out.push_back({Span(a.start, a.end, 0), Where(a.places, a.countries), title, a.start->lo});
    };
    for (const auto& a : entities_.activities) {
      if (InSaveTheDateList(a) && upcoming(a)) add(a);
    }
    if (out.empty()) {
      for (const auto& a : entities_.activities) {
        if (!upcoming(a)) continue;
        const std::string folded = text::FoldKey(a.title);
        bool marked = false;
        for (auto m : kMarkers) marked = marked || folded.find(m) != std::string::npos;
        if (marked) add(a);
      }
    }
    for (const News* n : news_in_quarter_) {
      if (!n->event_start || n->event_start->lo <= q_.last()) continue;
      if (listed(n->title, n->event_start->lo)) continue;
      out.push_back(
          {Span(n->event_start, n->event_end, 0), n->event_place, n->title, n->event_start->lo});
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const SaveTheDate& x, const SaveTheDate& y) { return x.start < y.start; });
    if (out.size() > 8) out.resize(8);
    issue_.save_the_date = std::move(out);
  }

  std::string TreatyName(const domain::Treaty& t) const {
    return t.short_title.empty() ? t.title : t.short_title;
  }

  Status Treaties() {
    const auto& catalog = registry_.catalog();
    std::vector<const domain::Treaty*> treaties;
    auto add = [&](const std::string& ref) {
      const domain::Treaty* t = catalog.Resolve(ref);
      if (t && std::find(treaties.begin(), treaties.end(), t) == treaties.end()) {
        treaties.push_back(t);
      }
    };
    add("ETS 185");
    for (const auto& a : treaty_.actions) {
      const auto& d = ActionDate(a);
      if (d && d->lo <= q_.last() && d->hi >= q_.first()) add(a.treaty);
    }
    for (const auto& f : treaty_.figures) {
      if (f.as_of && f.as_of->lo <= q_.last() && f.as_of->hi >= q_.first()) add(f.treaty);
    }
    // Then every other treaty the registry follows, each with its headline count.
    for (const auto& t : catalog.all()) add(t.ref);
    const Date on = q_.last();
    for (const domain::Treaty* t : treaties) {
      auto analysis = registry_.Analyse(t->ref);
      if (!analysis) return analysis.status();
      auto data = registry_.Data(t->ref);
      if (!data) return data.status();
      TreatyFigures f;
      f.ref = t->ref;
      f.name = TreatyName(*t);
      f.title = t->title;
      f.opened = t->opened;
      f.as_of = on;
      f.parties = analysis->Consents(on);
      {
        std::vector<domain::StatedFigure> figures = data->figures;
        for (const auto& r : treaty_.figures) {
          if (!r.as_of || r.at_least || catalog.Resolve(r.treaty) != t) continue;
          domain::StatedFigure s;
          s.treaty = t->ref;
          s.measure = r.measure;
          s.count = r.count;
          s.as_of = r.as_of->hi;
          s.precision = r.as_of->grain == IsoDate::Grain::kMonth ? domain::Precision::kMonth
                        : r.as_of->grain == IsoDate::Grain::kYear ? domain::Precision::kYear
                                                                   : domain::Precision::kDay;
          s.source.origin = "a document on record";
          figures.push_back(std::move(s));
        }
        const service::Headline h = service::HeadlineCount(*analysis, figures, on);
        f.headline = h.text;
        f.headline_sentence = h.sentence;
        f.headline_basis = h.basis;
      }
      auto count = [&](treaty::StatusKind kind, Date when) {
        treaty::Range r;
        for (const auto& [iso, rec] : analysis->states()) {
          const treaty::StateStatus st = analysis->StatusOf(iso, when);
          const bool surely = st.kind == kind && (!st.or_kind || *st.or_kind == kind);
          const bool maybe = st.kind == kind || (st.or_kind && *st.or_kind == kind);
          r.min += surely ? 1 : 0;
          r.max += maybe ? 1 : 0;
        }
        return r;
      };
      f.signatories = count(treaty::StatusKind::kSigned, on);
      f.invited = count(treaty::StatusKind::kInvited, on);
      // Where no complete list covers the date, States the registry has no statement
      // about may have signed or been invited too: "at least".
      f.signatories.open = f.invited.open = f.parties.open;
      // Observers are not actions the engine counts: the latest stated figure.
      auto stated = [&](std::initializer_list<std::string_view> measures, std::string* as_of_text) {
        std::optional<int> value;
        std::optional<Date> best;
        auto consider = [&](std::string_view measure, int n, Date hi, const std::string& text) {
          if (std::find(measures.begin(), measures.end(), measure) == measures.end()) return;
          if (hi > on || (best && hi < *best)) return;
          best = hi;
          value = n;
          if (as_of_text) *as_of_text = text;
        };
        for (const auto& r : treaty_.figures) {
          if (r.as_of && catalog.Resolve(r.treaty) == t) {
            consider(r.measure, r.count, r.as_of->hi, r.as_of_text);
          }
        }
        for (const auto& s : data->figures) {
          if (s.as_of) consider(s.measure, s.count, *s.as_of, s.as_of->ToIso());
        }
        return value;
      };
      f.observers = stated({"observers", "observer_states"}, &f.observers_as_of);
      f.observer_organisations =
          stated({"observer_organisations", "observer_organizations"}, nullptr);
      // The figures sources stated for the quarter, each once, beside the
      // engine's count where it counts the same thing.
      std::set<std::tuple<std::string, int, std::string>> seen;
      for (const auto& r : treaty_.figures) {
        if (!r.as_of || r.as_of->lo > on || r.as_of->hi < q_.first()) continue;
        if (catalog.Resolve(r.treaty) != t) continue;
        if (!seen.emplace(r.measure, r.count, r.as_of_text).second) continue;
        StatedFigureNote note;
        note.measure = r.measure;
        note.label = MeasureLabel(r.measure);
        note.count = r.count;
        note.at_least = r.at_least;
        note.as_of = r.as_of_text;
        const Date at = std::min(r.as_of->hi, on);
        auto sum = [](treaty::Range x, treaty::Range y) {
          return treaty::Range{x.min + y.min, x.max + y.max, x.open || y.open};
        };
        const treaty::Range consents = analysis->Consents(at);
        treaty::Range signed_only = count(treaty::StatusKind::kSigned, at);
        treaty::Range invited = count(treaty::StatusKind::kInvited, at);
        signed_only.open = invited.open = consents.open;
        const std::string& m = r.measure;
        if (m == "parties" || m == "ratified" || m == "contracting" || m == "tcy_members") {
          note.engine_value = consents.ToString();
        } else if (m == "signatories") {
          note.engine_value = signed_only.ToString();
        } else if (m == "invited") {
          note.engine_value = invited.ToString();
        } else if (m == "signatories_and_invited") {
          note.engine_value = sum(signed_only, invited).ToString();
        } else if (m == "total") {
          note.engine_value = sum(consents, sum(signed_only, invited)).ToString();
        }
        f.stated.push_back(std::move(note));
      }
      issue_.treaties.push_back(std::move(f));
    }
    return Status::Ok();
  }

  std::string ActionText(const internal::TreatyActionRecord& a) const {
    const domain::Treaty* t = registry_.catalog().Resolve(a.treaty);
    const std::string treaty = t ? "the " + TreatyName(*t) : a.treaty;
    const std::string state = CountryName(a.state);
    std::string text;
    if (a.action == "signature")
      text = state + " signs " + treaty;
    else if (a.action == "ratification")
      text = state + " ratifies " + treaty;
    else if (a.action == "acceptance" || a.action == "approval")
      text = state + " approves " + treaty;
    else if (a.action == "accession")
      text = state + " accedes to " + treaty;
    else if (a.action == "invitation")
      text = state + " invited to accede to " + treaty;
    else if (a.action == "entry_into_force")
      text = (t ? TreatyName(*t) : a.treaty) + " enters into force for " + state;
    else if (a.action == "denunciation")
      text = state + " denounces " + treaty;
    else
      text = state + ": " + a.action + " of " + treaty;
    if (t) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
    const IsoDate& d = *ActionDate(a);
    return text + " (" + (d.grain == IsoDate::Grain::kDay ? d.lo.ToLongEnglish() : Point(d, 0)) +
           ")";
  }

  void Highlights() {
    if (!options_.highlights.empty()) {
      for (const auto& h : options_.highlights) {
        if (std::string line = internal::OneLine(h); !line.empty()) {
          issue_.highlights.push_back({"editor", std::move(line)});
        }
      }
      return;
    }
    std::vector<const internal::TreatyActionRecord*> actions;
    std::set<std::string> seen;
    for (const auto& a : treaty_.actions) {
      const auto& d = ActionDate(a);
      if (d && d->grain != IsoDate::Grain::kYear && d->lo >= q_.first() && d->hi <= q_.last() &&
          seen.insert(a.state + "|" + a.treaty + "|" + a.action + "|" + d->lo.ToIso()).second) {
        actions.push_back(&a);
      }
    }
    std::stable_sort(actions.begin(), actions.end(),
                     [](auto* x, auto* y) { return ActionDate(*x)->lo < ActionDate(*y)->lo; });
    for (const auto* a : actions) issue_.highlights.push_back({"treaty_action", ActionText(*a)});

    // The largest events: gatherings (conferences, summits, symposia, forums)
    // first, then those with most countries, then the longest.
    struct Candidate {
      std::string text;
      size_t countries;
      int64_t days;
      bool gathering = false;
    };
    auto gathering = [](std::string_view title) {
      static constexpr std::string_view kWords[] = {"conference", "summit",   "symposium",
                                                    "forum",      "congress", "plenary"};
      const std::string folded = text::FoldKey(title);
      for (auto w : kWords) {
        if (folded.find(w) != std::string::npos) return true;
      }
      return false;
    };
    std::vector<Candidate> events;
    for (const News* n : news_in_quarter_) {
      if (n->projects.empty() && !n->treaties.empty()) continue;  // told by the treaty actions
      const int64_t days = n->event_start
                               ? (n->event_end ? n->event_end->hi : n->event_start->hi).days() -
                                     n->event_start->lo.days() + 1
                               : 0;
      events.push_back({n->title, n->countries.size(), days, gathering(n->title)});
    }
    if (events.empty()) {
      for (const Activity* a : in_quarter_) {
        const int64_t days = DayPrecise(*a) ? a->Hi()->days() - a->Lo()->days() + 1 : 0;
        std::string text = a->title;
        for (const auto& p : a->places) text += ", " + p;
        events.push_back({text, a->countries.size(), days, gathering(a->title)});
      }
    }
    std::stable_sort(events.begin(), events.end(), [](const Candidate& x, const Candidate& y) {
      return std::tuple(x.gathering, x.countries, x.days) >
             std::tuple(y.gathering, y.countries, y.days);
    });
    for (size_t i = 0; i < events.size() && i < 5; ++i) {
      issue_.highlights.push_back({"event", events[i].text});
    }
  }

  void Totals() {
    if (!issue_.treaties.empty()) {
      const TreatyFigures& f = issue_.treaties.front();
      const treaty::Range total{f.parties.min + f.signatories.min + f.invited.min,
                                f.parties.max + f.signatories.max + f.invited.max,
                                f.parties.open || f.signatories.open || f.invited.open};
      issue_.treaty_totals = {{f.name + ": Parties", f.headline},
                              {"Signed", f.signatories.ToString()},
                              {"Invited to accede", f.invited.ToString()},
                              {"Total", total.ToString()}};
      if (f.observers)
        issue_.treaty_totals.push_back({"Observer States", std::to_string(*f.observers)});
      // Figures only sources give ("other States with laws broadly in line"), as stated.
      for (const auto& note : f.stated) {
        if (!note.engine_value.empty() || note.measure.starts_with("observer")) continue;
        issue_.treaty_totals.push_back(
            {note.label + " (as stated)", std::to_string(note.count) + (note.at_least ? "+" : "")});
      }
    }
    if (in_quarter_.empty()) return;
    auto& rows = issue_.activity_totals;
    rows.push_back({"Activities " + issue_.period, std::to_string(in_quarter_.size())});
    std::map<std::string, int> modes;
    for (const Activity* a : in_quarter_) ++modes[a->mode];
    for (const auto& [label, mode] :
         {std::pair{"In person", "in person"}, std::pair{"Online", "online"},
          std::pair{"Hybrid", "hybrid"}, std::pair{"Mode not stated", ""}}) {
      if (const int n = modes[mode]; n > 0) rows.push_back({label, std::to_string(n)});
    }
    // Per project, in order of first appearance, under its short name.
    std::vector<std::pair<std::string, int>> per_project;
    std::map<std::string, size_t> index;
    for (const Activity* a : in_quarter_) {
      std::set<std::string> counted;
      for (size_t i = 0; i < a->project_ids.size() && i < a->projects.size(); ++i) {
        const std::string& id = a->project_ids[i];
        if (id.empty() || a->projects[i].empty() || !counted.insert(id).second) continue;
        auto [it, fresh] = index.emplace(id, per_project.size());
        if (fresh) per_project.emplace_back(a->projects[i], 0);
        ++per_project[it->second].second;
      }
    }
    std::stable_sort(per_project.begin(), per_project.end(),
                     [](const auto& x, const auto& y) { return x.second > y.second; });
    for (const auto& [name, n] : per_project) rows.push_back({name, std::to_string(n)});
    if (!next_quarter_.empty()) {
      rows.push_back({"Planned for " + issue_.next_period, std::to_string(next_quarter_.size())});
    }
  }

  service::Registry& registry_;
  Quarter q_;
  const ComposeOptions& options_;
  internal::Entities entities_;
  internal::TreatyRecords treaty_;
  UpdateIssue issue_;
  std::vector<const Activity*> in_quarter_;
  std::vector<const Activity*> next_quarter_;
  std::vector<const News*> news_in_quarter_;
  std::map<std::string, size_t> project_index_;  ///< project entity id → section
  std::vector<std::pair<std::string, size_t>> heading_keys_;  ///< ProjectKey of a name → section
};

}  // namespace

Result<UpdateIssue> BuildIssue(service::Registry& registry, const kb::KnowledgeBase& knowledge,
                               const Quarter& q, const ComposeOptions& options) {
  // The registry speaks for treaties: their actions and figures are records,
  // not entities of the knowledge base.
  std::vector<store::RecordRow> rows;
  for (const char* kind : {"treaty_action", "treaty_figure"}) {
    auto some = registry.store().Records(kind);
    if (!some) return some.status();
    for (auto& r : *some) rows.push_back(std::move(r));
  }
  Composer composer(registry, q, options, internal::ReadEntities(knowledge, q.last()),
                    internal::ReadTreatyRecords(rows));
  return composer.Build();
}

Result<std::string> ComposeUpdate(service::Registry& registry, const kb::KnowledgeBase& knowledge,
                                  const Quarter& q, Format format, const ComposeOptions& options) {
  auto issue = BuildIssue(registry, knowledge, q, options);
  if (!issue) return issue.status();
  switch (format) {
    case Format::kHtml:
      return RenderHtml(*issue);
    case Format::kMarkdown:
      return RenderMarkdown(*issue);
    case Format::kText:
      return RenderText(*issue);
    case Format::kJson:
      return ToJson(*issue).dump(2) + "\n";
    case Format::kPdf: {
      const std::string html = RenderHtml(*issue, HtmlLayout::kPage);
      return options.pdf_cache ? options.pdf_cache->Render(html) : HtmlToPdf(html);
    }
  }
  return InvalidArgument("unknown format");
}

}  // namespace octopus::update
