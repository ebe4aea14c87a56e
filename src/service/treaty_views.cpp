#include "service/treaty_views.h"

#include "treaty/chart.h"

#include <chrono>
#include <ctime>
#include <algorithm>
#include <sstream>

#include <fmt/format.h>

namespace octopus::service {

using nlohmann::json;
using treaty::Analysis;

domain::Date Today() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  return *domain::Date::Make(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

json RangeJson(const treaty::Range& r) {
  // No complete list covers the date: the count has no known top.
  if (r.open) return {{"min", r.min}, {"max", nullptr}, {"open", true}};
  return {{"min", r.min}, {"max", r.max}};
}

json IntervalJson(const std::optional<treaty::Interval>& iv) {
  if (!iv || (!iv->lo && !iv->hi)) return nullptr;
  return iv->ToString();
}

namespace {

std::string PeriodText(const std::optional<domain::Period>& p) {
  return p ? p->Describe() : std::string("rule text not obtained");
}

}  // namespace

json TreatySummaryJson(const Analysis& a, domain::Date on) {
  const domain::Treaty& t = a.treaty();
  const auto& eif = a.entry_into_force();
  json complete = json::array();
  for (const auto& c : a.coverage()) {
    complete.push_back({{"origin", c.source.origin}, {"as_of", c.to.ToIso()}, {"covers_from", c.from.ToIso()}});
  }
  return {
      {"complete_sources", complete},
      {"ref", t.ref},
      {"number", t.number},
      {"title", t.title},
      {"short_title", t.short_title},
      {"opened", t.opened.ToIso()},
      {"opened_place", t.opened_place},
      {"parent", t.parent.empty() ? json(nullptr) : json(t.parent)},
      {"entry_into_force",
       {{"date", IntervalJson(eif.date)},
        {"threshold_reached", IntervalJson(eif.threshold_reached)},
        {"rule_known", eif.rule_known},
        {"note", eif.note}}},
      {"rules",
       {{"threshold", t.entry_into_force.threshold},
        {"min_member_states", t.entry_into_force.min_member_states},
        {"entry_into_force", t.entry_into_force.text},
        {"entry_into_force_period", PeriodText(t.entry_into_force.period)},
        {"later_consent_period", PeriodText(t.later_consent.period)},
        {"accession_period", PeriodText(t.accession.period)},
        {"invitation_validity_years", t.invitation_validity_years
                                          ? json(*t.invitation_validity_years)
                                          : json(nullptr)}}},
      {"as_of", on.ToIso()},
      {"consents", RangeJson(a.Consents(on))},
      {"in_force", RangeJson(a.InForce(on))},
      {"in_force_today", eif.date && eif.date->hi && *eif.date->hi <= on},
      {"completeness", t.completeness},
      {"sources", t.sources},
  };
}

namespace {

bool CountsConsents(const std::string& measure) {
  return measure == "parties" || measure == "ratified" || measure == "contracting" ||
         measure == "ratified_or_acceded";
}

// "the Council of Europe" for coe.int, "the United Nations" for un.org, else the host.
std::string Publisher(const std::string& origin) {
  const size_t scheme = origin.find("://");
  if (scheme == std::string::npos) return origin;
  std::string host = origin.substr(scheme + 3);
  host = host.substr(0, host.find('/'));
  auto ends = [&](std::string_view suffix) {
    return host == suffix || (host.size() > suffix.size() &&
                              host.compare(host.size() - suffix.size(), suffix.size(), suffix) == 0 &&
                              host[host.size() - suffix.size() - 1] == '.');
  };
  if (ends("coe.int")) return "the Council of Europe";
  if (ends("un.org")) return "the United Nations";
  return host;
}

}  // namespace

std::vector<FigureCheck> CheckFigures(const Analysis& a,
                                      const std::vector<domain::StatedFigure>& figures) {
  std::vector<FigureCheck> out;
  for (const auto& f : figures) {
    if (f.treaty != a.treaty().ref) continue;
    FigureCheck c{f, "not comparable", ""};
    // Counts of consents deposited: "parties", "ratified", "contracting", …
    const bool consents = CountsConsents(f.measure);
    if (consents && f.as_of) {
      treaty::Range r = a.Consents(*f.as_of);
      if (f.precision == domain::Precision::kMonth) {
        const domain::Date start = f.as_of->FirstOfMonth();
        const treaty::Range a0 = a.Consents(start), a1 = a.Consents(f.as_of->LastOfMonth());
        r = {std::min(a0.min, a1.min), std::max(a0.max, a1.max)};
      }
      r.open = a.Consents(*f.as_of).open;
      c.engine_value = r.ToString();
      c.verdict = r.Admits(f.count) ? "consistent" : "disagrees";
    }
    out.push_back(std::move(c));
  }
  return out;
}


Headline HeadlineCount(const Analysis& a, const std::vector<domain::StatedFigure>& figures,
                       domain::Date on) {
  Headline h;
  const treaty::Range r = a.Consents(on);
  h.named_on_record = r.min;
  const std::string named = std::to_string(r.min) + " named on record";
  if (r.exact()) {
    h.value = r.min;
    h.text = r.ToString();
    h.exact = true;
    h.basis = "exact";
    h.as_of = on;
    for (const auto& c : a.coverage()) {
      if (c.from <= on && on <= c.to) h.source = c.source.origin;
    }
    h.sentence = h.text + " — exact: a complete list covers " + on.ToLongEnglish();
    return h;
  }
  const FigureCheck* best = nullptr;
  const auto checks = CheckFigures(a, figures);
  for (const auto& c : checks) {
    if (!CountsConsents(c.figure.measure) || !c.figure.as_of || *c.figure.as_of > on) continue;
    if (c.verdict != "consistent" || c.figure.count < r.min) continue;
    // A figure dated to the day before one of a month or year; then the
    // latest; on the same day the larger, then one a web source states.
    auto web = [](const FigureCheck& x) { return x.figure.source.origin.find("://") != std::string::npos; };
    auto to_the_day = [](const FigureCheck& x) { return x.figure.precision == domain::Precision::kDay; };
    const bool better =
        !best || (to_the_day(c) && !to_the_day(*best)) ||
        (to_the_day(c) == to_the_day(*best) &&
         (*c.figure.as_of > *best->figure.as_of ||
          (*c.figure.as_of == *best->figure.as_of &&
           (c.figure.count > best->figure.count ||
            (c.figure.count == best->figure.count && web(c) && !web(*best))))));
    if (better) {
      best = &c;
    }
  }
  if (best) {
    h.value = best->figure.count;
    h.text = std::to_string(h.value);
    h.basis = "stated";
    h.as_of = best->figure.as_of;
    h.source = best->figure.source.origin;
    const domain::Precision p = best->figure.precision;
    const std::string when =
        p == domain::Precision::kMonth ? "in " + std::string(domain::MonthName(h.as_of->month())) + " " +
                                             std::to_string(h.as_of->year())
        : p == domain::Precision::kYear ? "in " + std::to_string(h.as_of->year())
        : p == domain::Precision::kBy   ? "by " + h.as_of->ToLongEnglish()
                                        : "on " + h.as_of->ToLongEnglish();
    const bool web = h.source.find("://") != std::string::npos;
    h.sentence = h.text + (web ? " — stated by " + Publisher(h.source) : " — stated in " + h.source) + " " +
                 when + "; " + named;
    return h;
  }
  h.value = r.min;
  h.text = r.ToString();
  h.basis = "named on record";
  h.as_of = on;
  h.sentence = h.text + " — " + named + (r.open ? "; no complete list covers " + on.ToLongEnglish() : "");
  return h;
}

json HeadlineJson(const Headline& h) {
  return {{"text", h.text},
          {"value", h.value},
          {"exact", h.exact},
          {"basis", h.basis},
          {"as_of", h.as_of ? json(h.as_of->ToIso()) : json(nullptr)},
          {"source", h.source.empty() ? json(nullptr) : json(h.source)},
          {"named_on_record", h.named_on_record},
          {"sentence", h.sentence}};
}

json FlagsJson(const std::vector<domain::StateFlag>& flags) {
  json out = json::array();
  for (const auto& f : flags) {
    out.push_back({{"flag", f.flag},
                   {"meaning", f.meaning},
                   {"as_of", f.as_of ? json(f.as_of->ToIso()) : json(nullptr)},
                   {"caveat", f.caveat.empty() ? json(nullptr) : json(f.caveat)},
                   {"source", {{"origin", f.source.origin}, {"line", f.source.line}, {"quote", f.source.quote}}}});
  }
  return out;
}

json StatusJson(const Analysis& a, const domain::Gazetteer& g, const store::RegistryData& data,
                domain::Date on) {
  json out = TreatySummaryJson(a, on);
  // States in name order, leaving out those with nothing on record by `on`.
  std::vector<std::pair<std::string, const treaty::StateRecord*>> rows;
  for (const auto& [iso, rec] : a.states()) {
    const domain::Country* c = g.ByIso2(iso);
    rows.emplace_back(c ? c->name_en : iso, &rec);
  }
  std::sort(rows.begin(), rows.end(), [](auto& x, auto& y) { return x.first < y.first; });
  json states = json::array();
  for (const auto& [name, rec_ptr] : rows) {
    const treaty::StateRecord& rec = *rec_ptr;
    const std::string& iso = rec.state;
    const domain::Country* c = g.ByIso2(iso);
    const treaty::StateStatus st = a.StatusOf(iso, on);
    if (st.kind == treaty::StatusKind::kNotSigned && !st.or_kind) continue;
    json sources = json::array();
    for (const auto& e : rec.evidence) {
      sources.push_back({{"action", domain::ActionKindName(e.action)},
                         {"negative", e.negative},
                         {"date", IntervalJson(treaty::Interval{e.lo, e.hi})},
                         {"origin", e.source.origin},
                         {"line", e.source.line},
                         {"quote", e.source.quote}});
    }
    auto upto = [&](const std::optional<treaty::Interval>& iv) -> json {
      if (!iv || (iv->lo && *iv->lo > on)) return nullptr;
      return IntervalJson(iv);
    };
    const json consent = upto(rec.consent);
    states.push_back({
        {"state", c ? c->name_en : iso},
        {"iso2", iso},
        {"iso3", c ? c->iso3 : ""},
        {"footnote", c && !c->footnote.empty() ? json(c->footnote) : json(nullptr)},
        {"coe_member", c ? c->IsCoeMember(on) : false},
        {"signature", upto(rec.signature)},
        {"consent", consent},
        {"kind", consent.is_null() || !rec.consent_kind_known
                     ? json(nullptr)
                     : json(domain::ActionKindName(rec.consent_kind))},
        {"entry_into_force", consent.is_null() ? json(nullptr) : IntervalJson(rec.entry_into_force)},
        {"entry_into_force_note", rec.eif_note},
        {"invitation", upto(rec.invitation)},
        {"status", treaty::StatusKindName(st.kind)},
        {"status_or", st.or_kind ? json(treaty::StatusKindName(*st.or_kind)) : json(nullptr)},
        {"status_text", st.text},
        {"last_on_record", st.last_on_record ? json(st.last_on_record->ToIso()) : json(nullptr)},
        {"decided", st.decided},
        {"flags", FlagsJson(a.FlagsOf(iso))},
        {"sources", sources},
    });
  }
  out["states"] = states;
  json conflicts = json::array();
  for (const auto& c : a.conflicts()) {
    json srcs = json::array();
    for (const auto& s : c.sources) srcs.push_back({{"origin", s.origin}, {"line", s.line}});
    conflicts.push_back({{"state", c.state}, {"what", c.what}, {"detail", c.detail}, {"sources", srcs}});
  }
  out["conflicts"] = conflicts;
  json diffs = json::array();
  for (const auto& d : treaty::CompareEntryIntoForce(a, data.stated_eif)) {
    diffs.push_back({{"state", d.state}, {"printed", d.stated}, {"computed", d.computed},
                     {"origin", d.source.origin}, {"line", d.source.line}});
  }
  out["entry_into_force_differences"] = diffs;
  json figures = json::array();
  for (const auto& c : CheckFigures(a, data.figures)) {
    figures.push_back({{"measure", c.figure.measure},
                       {"count", c.figure.count},
                       {"as_of", c.figure.as_of ? json(c.figure.as_of->ToIso()) : json(nullptr)},
                       {"engine", c.engine_value.empty() ? json(nullptr) : json(c.engine_value)},
                       {"verdict", c.verdict},
                       {"origin", c.figure.source.origin},
                       {"quote", c.figure.source.quote}});
  }
  out["stated_figures"] = figures;
  out["headline"] = HeadlineJson(HeadlineCount(a, data.figures, on));
  return out;
}

std::string StatusText(const Analysis& a, const domain::Gazetteer& g,
                       const store::RegistryData& data, domain::Date on) {
  const json j = StatusJson(a, g, data, on);
  std::ostringstream out;
  out << a.treaty().ref << "  " << a.treaty().title << "\n";
  out << "Opened for signature " << a.treaty().opened.ToIso() << " (" << a.treaty().opened_place
      << ")\n";
  const auto& eif = a.entry_into_force();
  out << "Entry into force: " << (eif.date ? eif.date->ToString() : std::string("not in force"))
      << " — " << eif.note << "\n";
  out << "Status as of " << on.ToIso() << ": " << a.Consents(on).ToString()
      << " consents deposited, " << a.InForce(on).ToString() << " in force\n";
  out << "Headline: " << j["headline"]["sentence"].get<std::string>() << "\n";
  if (a.coverage().empty()) {
    out << "Complete lists on record: none\n\n";
  } else {
    for (const auto& c : a.coverage()) {
      out << "Complete list on record: " << c.source.origin << " covers "
          << (c.from == c.to ? c.to.ToIso() : c.from.ToIso() + " to " + c.to.ToIso()) << "\n";
    }
    out << "\n";
  }
  auto cell = [](const json& v) { return v.is_null() ? std::string("") : v.get<std::string>(); };
  out << fmt::format("{:<34} {:<3} {:<23} {:<23} {:<13} {:<23} {:<14} {}\n", "State", "CoE", "Signature",
                     "Consent", "Kind", "Entry into force", "Last on record", "Status");
  for (const auto& s : j["states"]) {
    std::string name = s["state"].get<std::string>();
    out << fmt::format("{:<34} {:<3} {:<23} {:<23} {:<13} {:<23} {:<14} {}\n", name,
                       s["coe_member"].get<bool>() ? "yes" : "no", cell(s["signature"]),
                       cell(s["consent"]), cell(s["kind"]), cell(s["entry_into_force"]),
                       cell(s["last_on_record"]), s["status_text"].get<std::string>());
  }
  if (!j["conflicts"].empty()) {
    out << "\nConflicts between sources:\n";
    for (const auto& c : j["conflicts"]) {
      out << "  " << (c["state"].get<std::string>().empty() ? a.treaty().ref : c["state"].get<std::string>())
          << " " << c["what"].get<std::string>() << ": " << c["detail"].get<std::string>() << "\n";
    }
  }
  if (!j["entry_into_force_differences"].empty()) {
    out << "\nPrinted entry into force differs from the computation:\n";
    for (const auto& d : j["entry_into_force_differences"]) {
      out << "  " << d["origin"].get<std::string>() << ":" << d["line"].get<int>() << " "
          << d["state"].get<std::string>() << " printed " << d["printed"].get<std::string>()
          << ", computed " << d["computed"].get<std::string>() << "\n";
    }
  }
  if (!a.treaty().completeness.empty()) out << "\nData: " << a.treaty().completeness << "\n";
  return out.str();
}

json TimelineJson(const Analysis& a) {
  json out = json::array();
  for (const auto& p : a.Timeline()) {
    out.push_back({{"date", p.date.ToIso()},
                   {"consents", RangeJson(p.consents)},
                   {"in_force", RangeJson(p.in_force)}});
  }
  return out;
}

std::string TimelineCsv(const Analysis& a) {
  std::ostringstream out;
  // An open count has no known top: its max cell is empty.
  out << "date,consents_min,consents_max,in_force_min,in_force_max\n";
  auto top = [](const treaty::Range& r) { return r.open ? std::string() : std::to_string(r.max); };
  for (const auto& p : a.Timeline()) {
    out << p.date.ToIso() << ',' << p.consents.min << ',' << top(p.consents) << ','
        << p.in_force.min << ',' << top(p.in_force) << '\n';
  }
  return out.str();
}

}  // namespace octopus::service
