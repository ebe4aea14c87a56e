#include "web/internal/views.h"

#include <cctype>
#include <map>
#include <set>

#include <fmt/format.h>

#include "service/treaty_views.h"

namespace octopus::web::internal {

using nlohmann::json;

namespace {

constexpr std::string_view kEnDash = "\u2013";

bool LooksLikeIsoDate(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  }
  return true;
}

std::string Str(const json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// A cell for a date column: its text, and whether the sources leave a range.
void DateCell(json& row, const char* name, const json& interval) {
  const std::string shown = ShowInterval(interval);
  row[name] = shown;
  row[std::string(name) + "_range"] = interval.is_string() && !LooksLikeIsoDate(Str(row, name));
}

std::string StatusClass(const json& state) {
  if (!state["status_or"].is_null()) return "s-uncertain";
  const std::string s = Str(state, "status");
  // "consented, not yet in force" → "s-consented-not-yet-in-force".
  std::string out = "s-";
  for (char c : s) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out.push_back(c);
    } else if (out.back() != '-') {
      out.push_back('-');
    }
  }
  while (out.back() == '-') out.pop_back();
  return out;
}

std::string PeriodText(const std::optional<domain::Period>& p) {
  return p ? p->Describe() : std::string("rule text not obtained");
}

json RuleModel(std::string label, std::string summary, const std::string& article,
               const std::string& text) {
  return {{"label", std::move(label)}, {"summary", std::move(summary)}, {"article", article},
          {"text", text}};
}

json RulesModel(const domain::Treaty& t) {
  json rules = json::array();
  const auto& eif = t.entry_into_force;
  std::string eif_summary =
      eif.threshold > 0
          ? fmt::format("{} consents{}; then {}", eif.threshold,
                        eif.min_member_states > 0
                            ? fmt::format(", of which {} by member States", eif.min_member_states)
                            : std::string(),
                        PeriodText(eif.period))
          : "threshold not known";
  rules.push_back(RuleModel("Entry into force", eif_summary, eif.article, eif.text));
  rules.push_back(RuleModel("Later consents", PeriodText(t.later_consent.period),
                            t.later_consent.article, t.later_consent.text));
  if (t.accession.allowed) {
    std::string summary = PeriodText(t.accession.period);
    if (t.accession.requires_invitation) summary = "by invitation only; " + summary;
    rules.push_back(
        RuleModel("Accession", summary, t.accession.article, t.accession.text));
  } else {
    rules.push_back(RuleModel("Accession", "not provided for", "", ""));
  }
  if (t.invitation_validity_years) {
    rules.push_back(RuleModel("Invitations",
                              fmt::format("valid for {} years", *t.invitation_validity_years),
                              "", ""));
  }
  if (t.denunciation) {
    rules.push_back(RuleModel("Denunciation", "effective " + t.denunciation->Describe(), "", ""));
  }
  return rules;
}

std::string SlugOf(std::string_view ref) {
  std::string slug;
  for (char c : ref) slug.push_back(c == ' ' ? '-' : c);
  return slug;
}

}  // namespace

std::string TreatySlug(const domain::Treaty& t) { return SlugOf(t.ref); }

std::string ShowInterval(const json& interval) {
  if (!interval.is_string()) return "";
  const std::string s = interval.get<std::string>();
  const size_t slash = s.find('/');
  if (slash == std::string::npos) return s;
  const std::string lo = s.substr(0, slash), hi = s.substr(slash + 1);
  if (lo == "..") return "on or before " + hi;
  if (hi == "..") return "on or after " + lo;
  return lo + " " + std::string(kEnDash) + " " + hi;
}

std::string ShowRangesIn(std::string_view text) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '/' && i >= 10 && LooksLikeIsoDate(text.substr(i - 10, 10)) &&
        LooksLikeIsoDate(text.substr(i + 1, 10))) {
      out.push_back(' ');
      out += kEnDash;
      out.push_back(' ');
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

std::string ShowRange(const treaty::Range& r) {
  // Where no complete list covers the date the count is "at least".
  if (r.open) return std::to_string(r.min) + "+";
  return r.exact() ? std::to_string(r.min)
                   : std::to_string(r.min) + std::string(kEnDash) + std::to_string(r.max);
}

json TreatyRowModel(const treaty::Analysis& a, const std::vector<domain::StatedFigure>& figures,
                    domain::Date on) {
  const domain::Treaty& t = a.treaty();
  const auto& eif = a.entry_into_force();
  json eif_json = eif.date ? json(eif.date->ToString()) : json(nullptr);
  const service::Headline headline = service::HeadlineCount(a, figures, on);
  return {
      {"headline", headline.text},
      {"headline_sentence", headline.sentence},
      {"headline_source", headline.source},
      {"ref", t.ref},
      {"href", "/treaties/" + TreatySlug(t)},
      {"title", t.title},
      {"name", t.short_title.empty() ? t.title : t.short_title},
      {"opened", t.opened.ToIso()},
      {"entry_into_force", eif.date ? ShowInterval(eif_json) : std::string("not in force")},
      {"consents", ShowRange(a.Consents(on))},
      {"in_force", ShowRange(a.InForce(on))},
      {"has_states", !a.states().empty()},
  };
}

json HomeModel(const std::vector<json>& treaty_rows, const std::vector<store::SourceInfo>& sources,
               domain::Date today) {
  json figures = json::array();
  for (const auto& row : treaty_rows) {
    if (row["has_states"].get<bool>()) figures.push_back(row);
  }
  std::map<std::string, int> by_kind;
  for (const auto& s : sources) ++by_kind[s.kind];
  json kinds = json::array();
  for (const auto& [kind, n] : by_kind) kinds.push_back({{"kind", kind}, {"count", n}});
  return {
      {"title", "Home"},
      {"today", today.ToIso()},
      {"today_long", today.ToLongEnglish()},
      {"treaties", figures},
      {"has_treaties", !figures.empty()},
      {"source_kinds", kinds},
      {"has_sources", !kinds.empty()},
      {"source_count", static_cast<int>(sources.size())},
  };
}

json TreatyListModel(const std::vector<json>& treaty_rows, domain::Date on, domain::Date today) {
  return {
      {"title", "Treaties"},
      {"as_of", on.ToIso()},
      {"as_of_long", on.ToLongEnglish()},
      {"is_today", on == today},
      {"treaties", treaty_rows},
  };
}

json FlagLinks(const json& flags) {
  json out = json::array();
  if (!flags.is_array()) return out;
  for (const json& f : flags) {
    if (!f.is_object()) continue;
    const json src = f.value("source", json::object());
    const std::string origin = Str(src, "origin");
    const bool web = origin.rfind("http://", 0) == 0 || origin.rfind("https://", 0) == 0;
    const std::string as_of = Str(f, "as_of"), caveat = Str(f, "caveat");
    std::string title = Str(f, "meaning");
    if (!as_of.empty()) title += " (as of " + as_of + ")";
    if (!caveat.empty()) title += "; the source warns: " + caveat;
    title += "; source: " + origin;
    const int line = src.value("line", 0);
    if (line > 0) title += ":" + std::to_string(line);
    out.push_back({{"code", Str(f, "flag")},
                   {"title", title},
                   {"href", web ? json(origin) : json(nullptr)},
                   {"unreliable", !caveat.empty()}});
  }
  return out;
}

json TreatyPageModel(const treaty::Analysis& a, const json& status, domain::Date on,
                     domain::Date today, std::string plot_svg) {
  const domain::Treaty& t = a.treaty();
  const std::string slug = TreatySlug(t);
  const std::string query = "?as_of=" + on.ToIso();
  const bool coe_treaty = t.number > 0;

  json members = json::array(), others = json::array(), footnotes = json::array();
  std::set<std::string> footnoted;
  for (const json& s : status["states"]) {
    json row = {
        {"state", Str(s, "state")},
        {"iso2", Str(s, "iso2")},
        {"kind", s["kind"].is_string() ? Str(s, "kind")
                                       : (s["consent"].is_null() ? "" : "not stated")},
        {"status_text", ShowRangesIn(Str(s, "status_text"))},
        {"status_class", StatusClass(s)},
        {"sources", static_cast<int>(s["sources"].size())},
        {"footnote", s["footnote"].is_string()},
        {"last_on_record", s.contains("last_on_record") && s["last_on_record"].is_string()
                               ? Str(s, "last_on_record") : ""},
    };
    // Each row links to the sources its dates come from.
    json links = json::array();
    std::set<std::string> seen;
    for (const json& src : s["sources"]) {
      const std::string origin = Str(src, "origin");
      if (!seen.insert(origin).second) continue;
      const bool web = origin.rfind("http://", 0) == 0 || origin.rfind("https://", 0) == 0;
      links.push_back({{"href", web ? json(origin) : json(nullptr)},
                       {"text", web ? std::to_string(links.size() + 1) : origin}});
    }
    row["source_links"] = links;
    row["flag_links"] = FlagLinks(s.contains("flags") ? s["flags"] : json::array());
    DateCell(row, "signature", s["signature"]);
    DateCell(row, "consent", s["consent"]);
    DateCell(row, "entry_into_force", s["entry_into_force"]);
    if (s["footnote"].is_string() && footnoted.insert(Str(s, "state")).second) {
      footnotes.push_back({{"state", Str(s, "state")}, {"text", Str(s, "footnote")}});
    }
    (coe_treaty && s["coe_member"].get<bool>() ? members : others).push_back(std::move(row));
  }
  json tables = json::array();
  if (coe_treaty) {
    if (!members.empty()) {
      tables.push_back({{"heading", "Member States of the Council of Europe"},
                        {"count", static_cast<int>(members.size())},
                        {"rows", members}});
    }
    if (!others.empty()) {
      tables.push_back({{"heading", "Non-member States of the Council of Europe"},
                        {"count", static_cast<int>(others.size())},
                        {"rows", others}});
    }
  } else if (!others.empty()) {
    tables.push_back(
        {{"heading", "States"}, {"count", static_cast<int>(others.size())}, {"rows", others}});
  }

  json conflicts = json::array();
  for (const json& c : status["conflicts"]) {
    std::string where;
    for (const json& src : c["sources"]) {
      if (!where.empty()) where += "; ";
      where += Str(src, "origin");
      if (const int line = src["line"].get<int>(); line > 0) where += fmt::format(":{}", line);
    }
    conflicts.push_back({{"state", Str(c, "state").empty() ? t.ref : Str(c, "state")},
                         {"what", Str(c, "what")},
                         {"detail", ShowRangesIn(Str(c, "detail"))},
                         {"sources", where}});
  }
  json differences = json::array();
  for (const json& d : status["entry_into_force_differences"]) {
    differences.push_back({{"state", Str(d, "state")},
                           {"printed", ShowInterval(d["printed"])},
                           {"computed", ShowInterval(d["computed"])},
                           {"origin", Str(d, "origin")},
                           {"line", d["line"]}});
  }
  json figures = json::array();
  for (const json& f : status["stated_figures"]) {
    const std::string verdict = Str(f, "verdict");
    figures.push_back({{"measure", Str(f, "measure")},
                       {"count", f["count"]},
                       {"as_of", Str(f, "as_of")},
                       {"engine", ShowRangesIn(Str(f, "engine"))},
                       {"verdict", verdict},
                       {"verdict_class", verdict == "consistent"  ? "v-ok"
                                         : verdict == "disagrees" ? "v-bad"
                                                                  : "v-na"},
                       {"origin", Str(f, "origin")},
                       {"quote", Str(f, "quote")}});
  }
  json sources = json::array();
  for (const auto& s : t.sources) {
    const bool url = s.rfind("https://", 0) == 0 || s.rfind("http://", 0) == 0;
    sources.push_back({{"text", s}, {"href", url ? json(s) : json(nullptr)}});
  }

  const auto& eif = a.entry_into_force();
  const json eif_date = status["entry_into_force"]["date"];
  json parent = nullptr;
  if (!t.parent.empty()) {
    parent = {{"ref", t.parent}, {"href", "/treaties/" + SlugOf(t.parent)}};
  }
  return {
      {"title", (t.short_title.empty() ? t.title : t.short_title) + " (" + t.ref + ")"},
      {"ref", t.ref},
      {"treaty_title", t.title},
      {"short_title", t.short_title},
      {"opened", t.opened.ToLongEnglish()},
      {"opened_place", t.opened_place},
      {"parent", parent},
      {"as_of", on.ToIso()},
      {"as_of_long", on.ToLongEnglish()},
      {"is_today", on == today},
      {"self_href", "/treaties/" + slug},
      {"entry_into_force",
       eif_date.is_string() ? ShowInterval(eif_date) : std::string("not in force")},
      {"entry_into_force_range", eif_date.is_string() && !eif.date->exact()},
      {"entry_into_force_note", ShowRangesIn(eif.note)},
      {"consents", ShowRange(a.Consents(on))},
      {"in_force", ShowRange(a.InForce(on))},
      {"headline", status["headline"]["text"]},
      {"headline_sentence", status["headline"]["sentence"]},
      {"complete_sources", status["complete_sources"]},
      {"has_complete_sources", !status["complete_sources"].empty()},
      {"plot", std::move(plot_svg)},
      {"tables", tables},
      {"has_states", !tables.empty()},
      {"footnotes", footnotes},
      {"conflicts", conflicts},
      {"has_conflicts", !conflicts.empty()},
      {"differences", differences},
      {"has_differences", !differences.empty()},
      {"figures", figures},
      {"has_figures", !figures.empty()},
      {"rules", RulesModel(t)},
      {"completeness", t.completeness},
      {"sources", sources},
      {"has_sources", !sources.empty()},
      {"csv_href", "/treaties/" + slug + ".csv" + query},
      {"json_href", "/treaties/" + slug + ".json" + query},
      {"api_href", "/api/v1/treaties/" + slug + "/status" + query},
      {"timeline_href", "/api/v1/treaties/" + slug + "/timeline"},
  };
}

}  // namespace octopus::web::internal
