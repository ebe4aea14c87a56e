#include "treaty/engine.h"

#include <algorithm>
#include <set>

#include "core/text.h"

namespace octopus::treaty {

using domain::ActionKind;
using domain::Evidence;
using domain::Period;

namespace {

// A date strictly after `d`.
Date After(Date d) { return d.AddDays(1); }


Date MaxDate(Date a, Date b) { return a < b ? b : a; }
Date MinDate(Date a, Date b) { return a < b ? a : b; }

enum class Slot { kSignature, kConsent, kInvitation, kDenunciation, kTerritory, kStatedEif, kNone };

Slot SlotOf(ActionKind k) {
  if (domain::IsConsent(k)) return Slot::kConsent;
  switch (k) {
    case ActionKind::kSignature: return Slot::kSignature;
    case ActionKind::kInvitation: return Slot::kInvitation;
    case ActionKind::kDenunciation: return Slot::kDenunciation;
    case ActionKind::kTerritorialExtension: return Slot::kTerritory;
    case ActionKind::kEntryIntoForce: return Slot::kStatedEif;
    default: return Slot::kNone;
  }
}

std::string_view SlotName(Slot s) {
  switch (s) {
    case Slot::kSignature: return "signature";
    case Slot::kConsent: return "consent";
    case Slot::kInvitation: return "invitation";
    case Slot::kDenunciation: return "denunciation";
    case Slot::kTerritory: return "territorial extension";
    case Slot::kStatedEif: return "entry into force";
    case Slot::kNone: return "other";
  }
  return "other";
}

Interval Hull(const Interval& a, const Interval& b) {
  Interval out;
  if (a.lo && b.lo) out.lo = MinDate(*a.lo, *b.lo);
  if (a.hi && b.hi) out.hi = MaxDate(*a.hi, *b.hi);
  return out;
}

Interval Intersect(const Interval& a, const Interval& b) {
  Interval out = a;
  if (b.lo && (!out.lo || *b.lo > *out.lo)) out.lo = b.lo;
  if (b.hi && (!out.hi || *b.hi < *out.hi)) out.hi = b.hi;
  return out;
}

// Smallest date c in [from, to] with f(c) >= target, f monotone non-decreasing.
template <typename F>
std::optional<Date> LowerBound(Date from, Date to, Date target, F f) {
  int64_t a = from.days(), b = to.days() + 1;
  while (a < b) {
    const int64_t mid = a + (b - a) / 2;
    if (f(Date::FromDays(mid)) >= target) b = mid; else a = mid + 1;
  }
  if (a > to.days()) return std::nullopt;
  return Date::FromDays(a);
}

}  // namespace

std::string Interval::ToString() const {
  if (exact()) return lo->ToIso();
  if (!lo && !hi) return "";
  return (lo ? lo->ToIso() : std::string("..")) + "/" + (hi ? hi->ToIso() : std::string(".."));
}

namespace {
Result<Interval> ParseIntervalText(std::string_view t);
}  // namespace

Result<Interval> ParseInterval(std::string_view raw) {
  const std::string_view t = text::Trim(raw);
  auto r = ParseIntervalText(t);
  if (r.ok() || r.status().message().find("ends before") != std::string::npos) return r;
  return InvalidArgument("malformed date '" + std::string(t) +
                         "' (expected YYYY-MM-DD, YYYY-MM, YYYY or FROM/TO)");
}

namespace {
Result<Interval> ParseIntervalText(std::string_view t) {
  if (t.empty()) return Interval{};
  const size_t slash = t.find('/');
  if (slash != std::string_view::npos) {
    Interval out;
    const std::string_view a = t.substr(0, slash), b = t.substr(slash + 1);
    if (a != "..") {
      auto d = Date::Parse(a);
      if (!d) return d.status();
      out.lo = *d;
    }
    if (b != "..") {
      auto d = Date::Parse(b);
      if (!d) return d.status();
      out.hi = *d;
    }
    if (out.empty()) return InvalidArgument("interval '" + std::string(t) + "' ends before it starts");
    return out;
  }
  auto digits = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (t.size() == 4 && digits(t)) {
    const int y = std::stoi(std::string(t));
    auto a = Date::Make(y, 1, 1), b = Date::Make(y, 12, 31);
    if (!a || !b) return InvalidArgument("malformed year '" + std::string(t) + "'");
    return Interval{a, b};
  }
  if (t.size() == 7 && t[4] == '-' && digits(t.substr(0, 4)) && digits(t.substr(5))) {
    auto a = Date::Make(std::stoi(std::string(t.substr(0, 4))), std::stoi(std::string(t.substr(5))), 1);
    if (!a) return InvalidArgument("malformed month '" + std::string(t) + "'");
    return Interval{a, a->LastOfMonth()};
  }
  auto d = Date::Parse(t);
  if (!d) return d.status();
  return Interval::Exact(*d);
}
}  // namespace

std::string Range::ToString() const {
  if (open) return std::to_string(min) + "+";
  return exact() ? std::to_string(min) : std::to_string(min) + "-" + std::to_string(max);
}

std::string_view StatusKindName(StatusKind k) {
  switch (k) {
    case StatusKind::kNotSigned: return "not signed";
    case StatusKind::kSigned: return "signed";
    case StatusKind::kConsented: return "consented, not yet in force";
    case StatusKind::kInForce: return "party in force";
    case StatusKind::kInvited: return "invited";
    case StatusKind::kInvitationLapsed: return "invitation lapsed";
    case StatusKind::kDenounced: return "denounced";
    case StatusKind::kTerritory: return "territorial extension";
  }
  return "not signed";
}

Analysis::Analysis(const domain::Treaty& treaty, const std::vector<Evidence>& evidence,
                   const std::vector<domain::Snapshot>& snapshots,
                   const domain::Gazetteer& gazetteer)
    : treaty_(treaty), gazetteer_(gazetteer) {
  Merge(evidence, snapshots);
  ComputeTreatyEntryIntoForce();
  ApplyStatedEntryIntoForce();
  ComputeStates();
}

bool Analysis::IsMember(const std::string& state, Date on) const {
  const domain::Country* c = gazetteer_.ByIso2(state);
  return c != nullptr && c->IsCoeMember(on);
}

const std::optional<Period>& Analysis::PeriodFor(bool accession) const {
  return accession ? treaty_.accession.period : treaty_.later_consent.period;
}

void Analysis::Merge(const std::vector<Evidence>& evidence,
                     const std::vector<domain::Snapshot>& snapshots) {
  for (const Evidence& e : evidence) {
    if (e.treaty != treaty_.ref) continue;
    StateRecord& rec = states_[e.state];
    rec.state = e.state;
    rec.evidence.push_back(e);
  }
  // A complete list on a date is evidence about every State: those listed as
  // contracting had consented by then, the others had not.
  for (const domain::Snapshot& s : snapshots) {
    if (s.treaty != treaty_.ref) continue;
    for (const auto& st : s.contracting) states_[st].state = st;
    for (const auto& st : s.signatories) states_[st].state = st;
    // A list that dates every act it names (a complete chart) decides every
    // earlier date too; a list of names alone decides only its own date.
    auto dated_by_list = [&](const std::string& iso, bool consent) {
      const auto it = states_.find(iso);
      if (it == states_.end()) return false;
      return std::any_of(it->second.evidence.begin(), it->second.evidence.end(), [&](const Evidence& e) {
        const bool slot = consent ? domain::IsConsent(e.action) : e.action == ActionKind::kSignature;
        return slot && !e.negative && e.lo && e.hi && *e.lo == *e.hi && e.source.origin == s.source.origin;
      });
    };
    const bool dated =
        std::all_of(s.contracting.begin(), s.contracting.end(),
                    [&](const std::string& iso) { return dated_by_list(iso, true); }) &&
        std::all_of(s.signatories.begin(), s.signatories.end(),
                    [&](const std::string& iso) { return dated_by_list(iso, false); });
    coverage_.push_back({dated ? treaty_.opened : s.as_of, s.as_of, s.source});
  }
  std::sort(coverage_.begin(), coverage_.end(), [](const Coverage& a, const Coverage& b) { return a.to < b.to; });
  for (const domain::Snapshot& s : snapshots) {
    if (s.treaty != treaty_.ref) continue;
    const std::set<std::string> contracting(s.contracting.begin(), s.contracting.end());
    const std::set<std::string> signatories(s.signatories.begin(), s.signatories.end());
    for (auto& [iso, rec] : states_) {
      Evidence e;
      e.treaty = treaty_.ref;
      e.state = iso;
      e.source = s.source;
      e.precision = domain::Precision::kBy;
      e.kind_known = false;
      if (contracting.count(iso)) {
        e.action = ActionKind::kRatification;
        e.hi = s.as_of;
        rec.evidence.push_back(e);
        continue;
      }
      e.action = ActionKind::kRatification;
      e.negative = true;
      e.lo = s.as_of;
      rec.evidence.push_back(e);
      e.action = ActionKind::kSignature;
      if (signatories.count(iso)) {
        e.negative = false;
        e.lo.reset();
        e.hi = s.as_of;
      }
      rec.evidence.push_back(e);
    }
  }
}

namespace {

struct SlotMerge {
  std::optional<Interval> value;
  std::vector<Conflict> conflicts;
};

// Merges a State's statements about one kind of action: positive statements
// intersect; negative ones ("not by D") raise the lower bound. Contradictions
// are reported and the interval widened to cover every source.
SlotMerge MergeSlot(const std::string& state, Slot slot, const std::vector<const Evidence*>& items,
                    Date opened) {
  SlotMerge out;
  std::optional<Interval> merged, hull;
  std::vector<domain::SourceRef> positive_sources;
  for (const Evidence* e : items) {
    if (e->negative) continue;
    Interval iv{e->lo, e->hi};
    if (!iv.lo || *iv.lo < opened) iv.lo = opened;
    positive_sources.push_back(e->source);
    if (!merged) {
      merged = iv;
      hull = iv;
      continue;
    }
    const Interval next = Intersect(*merged, iv);
    hull = Hull(*hull, iv);
    if (next.empty()) {
      out.conflicts.push_back({state, std::string(SlotName(slot)),
                               "sources disagree: " + merged->ToString() + " vs " + iv.ToString(),
                               positive_sources});
      merged = *hull;
    } else {
      merged = next;
    }
  }
  if (!merged) return out;
  for (const Evidence* e : items) {
    if (!e->negative || !e->lo) continue;
    const Date not_by = *e->lo;
    if (merged->hi && *merged->hi <= not_by) {
      std::vector<domain::SourceRef> srcs = positive_sources;
      srcs.push_back(e->source);
      out.conflicts.push_back({state, std::string(SlotName(slot)),
                               "dated " + merged->ToString() + " by one source, not yet on " +
                                   not_by.ToIso() + " by another",
                               srcs});
      continue;
    }
    if (!merged->lo || *merged->lo <= not_by) merged->lo = After(not_by);
  }
  out.value = merged;
  return out;
}

}  // namespace

void Analysis::ComputeTreatyEntryIntoForce() {
  // (Re)merge every State's slots from its evidence.
  conflicts_.clear();
  for (auto& entry : states_) {
    const std::string& iso = entry.first;
    StateRecord& rec = entry.second;
    std::map<Slot, std::vector<const Evidence*>> by_slot;
    std::map<ActionKind, int> kinds;
    for (const Evidence& e : rec.evidence) {
      const Slot slot = SlotOf(e.action);
      if (slot == Slot::kNone || slot == Slot::kStatedEif) continue;
      by_slot[slot].push_back(&e);
      if (slot == Slot::kConsent && !e.negative && e.kind_known) {
        ++kinds[e.action];
      }
    }
    auto merge = [&](Slot slot, std::optional<Interval>& field) {
      SlotMerge m = MergeSlot(iso, slot, by_slot[slot], treaty_.opened);
      field = m.value;
      for (auto& c : m.conflicts) conflicts_.push_back(std::move(c));
    };
    merge(Slot::kSignature, rec.signature);
    merge(Slot::kConsent, rec.consent);
    merge(Slot::kInvitation, rec.invitation);
    merge(Slot::kDenunciation, rec.denunciation);
    merge(Slot::kTerritory, rec.territorial_extension);
    rec.consent_kind_known = !kinds.empty();
    if (!kinds.empty()) {
      rec.consent_kind = std::max_element(kinds.begin(), kinds.end(), [](auto& a, auto& b) {
                           return a.second < b.second;
                         })->first;
      if (kinds.size() > 1) {
        std::string names;
        for (auto& [k, n] : kinds) names += (names.empty() ? "" : ", ") + std::string(domain::ActionKindName(k));
        conflicts_.push_back({iso, "consent kind", "sources call the instrument: " + names, {}});
      }
    }
  }

  eif_ = TreatyEntryIntoForce{};
  const domain::EntryIntoForceRule& rule = treaty_.entry_into_force;
  std::optional<Interval> computed;
  if (rule.threshold <= 0) {
    eif_.rule_known = false;
    eif_.note = "entry-into-force rule not obtained";
  } else {
    // The earliest date on which the threshold is certainly / possibly met.
    struct Item { Date d; bool member; };
    std::vector<Item> earliest, latest;
    for (const auto& [iso, rec] : states_) {
      if (!rec.consent) continue;
      const domain::Country* c = gazetteer_.ByIso2(iso);
      if (!rule.count_reio && c != nullptr && !c->iso_state && iso == "EU") continue;
      const Date lo = rec.consent->lo.value_or(treaty_.opened);
      earliest.push_back({lo, IsMember(iso, lo)});
      if (rec.consent->hi) latest.push_back({*rec.consent->hi, IsMember(iso, *rec.consent->hi)});
    }
    auto reach = [&](std::vector<Item>& items) -> std::optional<Date> {
      std::sort(items.begin(), items.end(), [](auto& a, auto& b) { return a.d < b.d; });
      int n = 0, members = 0;
      for (const Item& it : items) {
        ++n;
        members += it.member ? 1 : 0;
        if (n >= rule.threshold && members >= rule.min_member_states) return it.d;
      }
      return std::nullopt;
    };
    const std::optional<Date> t_lo = reach(earliest);
    const std::optional<Date> t_hi = reach(latest);
    if (t_lo) {
      eif_.threshold_reached = Interval{t_lo, t_hi};
      if (rule.period) {
        computed = Interval{rule.period->Apply(*t_lo),
                            t_hi ? std::optional<Date>(rule.period->Apply(*t_hi)) : std::nullopt};
        eif_.note = "computed from the consents on record (" + rule.article + ")";
      } else {
        eif_.note = "threshold reached; the timing rule was not obtained";
      }
    } else {
      eif_.note = "threshold of " + std::to_string(rule.threshold) +
                  " consents not reached by the consents on record";
    }
  }
  if (treaty_.stated_entry_into_force) {
    const Date s = *treaty_.stated_entry_into_force;
    // Consents on record bound the date from above only: a consent missing from
    // the record could have completed the threshold earlier.
    if (computed && computed->hi && s > *computed->hi) {
      conflicts_.push_back({"", "entry into force",
                            "stated " + s.ToIso() + ", computed " + computed->ToString(),
                            {{treaty_.stated_entry_into_force_source, 0, ""}}});
      eif_.date = Hull(*computed, Interval::Exact(s));
    } else {
      eif_.date = Interval::Exact(s);
      eif_.note = computed ? "stated by " + treaty_.stated_entry_into_force_source +
                                 ", consistent with the consents on record (" +
                                 computed->ToString() + ")"
                           : "stated by " + treaty_.stated_entry_into_force_source +
                                 "; the consents on record do not determine it";
    }
  } else {
    eif_.date = computed;
  }
  // A source stating that the treaty entered into force for some State bounds
  // the treaty's own entry into force from above.
  std::optional<Date> by;
  for (const auto& [iso, rec] : states_) {
    for (const Evidence& e : rec.evidence) {
      if (e.action == ActionKind::kEntryIntoForce && !e.negative && e.hi) {
        by = by ? MinDate(*by, *e.hi) : *e.hi;
      }
    }
  }
  if (by && (!eif_.date || !eif_.date->hi || *by < *eif_.date->hi)) {
    if (eif_.date && eif_.date->lo && *by < *eif_.date->lo) {
      conflicts_.push_back({"", "entry into force",
                            "a State's entry into force on " + by->ToIso() +
                                " precedes the treaty's " + eif_.date->ToString(),
                            {}});
    } else {
      if (!eif_.date) eif_.date = Interval{};
      eif_.date->hi = by;
      eif_.note += "; in force by " + by->ToIso() + " at the latest (a State's stated entry into force)";
    }
  }
  if (eif_.date && !eif_.date->lo && !eif_.date->hi) eif_.date.reset();
}

void Analysis::ApplyStatedEntryIntoForce() {
  // A source's "enters into force for X on E" bounds X's deposit: the dates
  // whose computed entry into force is E. Where the rule cannot be inverted
  // (the treaty's own date or the timing rule unknown), it still says that X
  // had consented by E.
  const bool invertible = eif_.date && eif_.date->exact();
  const Date treaty_eif = invertible ? *eif_.date->lo : treaty_.opened;
  bool added = false;
  std::vector<Conflict> found;
  for (auto& [iso, rec] : states_) {
    std::vector<Evidence> derived;
    for (const Evidence& e : rec.evidence) {
      if (e.action != ActionKind::kEntryIntoForce || e.negative || !e.lo || !e.hi ||
          *e.lo != *e.hi) {
        continue;
      }
      const bool accession = rec.consent_kind == ActionKind::kAccession;
      const auto& period = PeriodFor(accession);
      auto consented_by = [&, kind = rec.consent_kind] {
        Evidence d = e;
        d.action = kind;
        d.lo.reset();
        d.precision = domain::Precision::kBy;
        d.kind_known = false;
        derived.push_back(d);
      };
      if (!invertible || !period) {
        consented_by();
        continue;
      }
      const Date target = *e.lo;
      if (target < treaty_eif) {
        found.push_back({iso, "entry into force",
                              "stated " + target.ToIso() + ", before the treaty's own " +
                                  treaty_eif.ToIso(),
                              {e.source}});
        consented_by();
        continue;
      }
      auto f = [&](Date c) { return MaxDate(treaty_eif, period->Apply(c)); };
      const Date from = MaxDate(treaty_.opened, target.AddDays(-800));
      const auto first_ge = LowerBound(from, target, target, f);
      const auto first_gt = LowerBound(from, target, target.AddDays(1), f);
      if (!first_ge || f(*first_ge) != target) {
        found.push_back({iso, "entry into force",
                              "stated " + target.ToIso() + ", which the rule cannot produce",
                              {e.source}});
        consented_by();
        continue;
      }
      Evidence d = e;
      d.action = rec.consent_kind;
      d.precision = domain::Precision::kBy;
      d.kind_known = false;
      d.lo = target == treaty_eif ? treaty_.opened : *first_ge;
      d.hi = first_gt ? first_gt->AddDays(-1) : target;
      derived.push_back(d);
    }
    for (auto& d : derived) rec.evidence.push_back(std::move(d));
    added = added || !derived.empty();
  }
  if (added) ComputeTreatyEntryIntoForce();
  for (auto& c : found) conflicts_.push_back(std::move(c));
}

std::optional<Interval> Analysis::EntryIntoForceFor(const Interval& deposit, bool accession) const {
  if (!eif_.date) return std::nullopt;
  const Interval& e = *eif_.date;
  const auto& period = PeriodFor(accession);
  const Date dep_lo = deposit.lo.value_or(treaty_.opened);
  if (!period) {
    // Without the later-consent rule only consents counted in the threshold are known.
    if (e.lo && eif_.threshold_reached && eif_.threshold_reached->lo && deposit.hi &&
        *deposit.hi <= *eif_.threshold_reached->lo) {
      return e;
    }
    return std::nullopt;
  }
  // entry into force = max(treaty's entry into force, period after deposit).
  Interval out;
  const Date earliest = period->Apply(dep_lo);
  if (e.lo) {
    out.lo = MaxDate(*e.lo, earliest);
  } else if (e.hi && earliest >= *e.hi) {
    out.lo = earliest;
  }
  if (deposit.hi && e.hi) out.hi = MaxDate(*e.hi, period->Apply(*deposit.hi));
  if (!out.lo && !out.hi) return std::nullopt;
  return out;
}

void Analysis::ComputeStates() {
  for (auto& [iso, rec] : states_) {
    rec.entry_into_force.reset();
    rec.eif_note.clear();
    rec.last_on_record.reset();
    for (const Evidence& e : rec.evidence) {
      // A negative statement speaks on its date; a positive one at least on
      // the latest date its act can have.
      const std::optional<Date> spoke = e.negative ? e.lo : e.hi;
      if (spoke && (!rec.last_on_record || *spoke > *rec.last_on_record)) rec.last_on_record = spoke;
    }
    if (rec.consent) {
      rec.entry_into_force =
          EntryIntoForceFor(*rec.consent, rec.consent_kind == ActionKind::kAccession);
      // A source's stated entry into force for the State is used where the
      // computation leaves it open or cannot give it.
      for (const Evidence& e : rec.evidence) {
        if (e.action != ActionKind::kEntryIntoForce || e.negative || !e.lo || !e.hi || *e.lo != *e.hi) continue;
        const Interval& c = rec.entry_into_force ? *rec.entry_into_force : Interval{};
        const bool fits = (!c.lo || *c.lo <= *e.lo) && (!c.hi || *e.lo <= *c.hi);
        if (fits) rec.entry_into_force = Interval::Exact(*e.lo);
      }
      if (!rec.entry_into_force) {
        rec.eif_note = !eif_.date ? "treaty not in force" : "timing rule for later consents not obtained";
      }
    }
    if (rec.denunciation && treaty_.denunciation) {
      const Interval& d = *rec.denunciation;
      rec.denunciation_effective = Interval{
          treaty_.denunciation->Apply(d.lo.value_or(treaty_.opened)),
          d.hi ? std::optional<Date>(treaty_.denunciation->Apply(*d.hi)) : std::nullopt};
    } else if (rec.denunciation) {
      // No rule text: the denunciation cannot take effect before it is made,
      // and nothing bounds it later.
      rec.denunciation_rule_unknown = true;
      rec.denunciation_effective = Interval{rec.denunciation->lo.value_or(treaty_.opened), std::nullopt};
    }
  }
}

namespace {

// The date an interval takes in the "earliest" or the "latest" reading.
std::optional<Date> Pick(const std::optional<Interval>& iv, bool earliest, Date opened) {
  if (!iv) return std::nullopt;
  if (earliest) return iv->lo.value_or(opened);
  return iv->hi;
}

}  // namespace

StateStatus Analysis::StatusOf(const std::string& state, Date on) const {
  auto it = states_.find(state);
  StateStatus out;
  if (it == states_.end()) {
    out.decided = Closed(on);
    out.text = out.decided ? std::string(StatusKindName(out.kind)) : "not known: no source on record";
    return out;
  }
  const StateRecord& rec = it->second;
  out.last_on_record = rec.last_on_record;
  struct Reading {
    StatusKind kind;
    std::string detail;
  };
  auto read = [&](bool earliest) -> Reading {
    const auto den = Pick(rec.denunciation_effective, earliest, treaty_.opened);
    if (den && *den <= on) {
      if (rec.denunciation_rule_unknown) {
        return {StatusKind::kDenounced, " " + rec.denunciation->ToString() +
                                            ", effective date unknown (denunciation rule not obtained)"};
      }
      return {StatusKind::kDenounced, ", effective " + den->ToIso()};
    }
    const auto eif = Pick(rec.entry_into_force, earliest, treaty_.opened);
    if (eif && *eif <= on) return {StatusKind::kInForce, ""};
    const auto consent = Pick(rec.consent, earliest, treaty_.opened);
    if (consent && *consent <= on) {
      return {StatusKind::kConsented,
              rec.entry_into_force ? " (enters into force " + rec.entry_into_force->ToString() + ")"
                                   : ""};
    }
    const auto sig = Pick(rec.signature, earliest, treaty_.opened);
    if (sig && *sig <= on) return {StatusKind::kSigned, ""};
    const auto inv = Pick(rec.invitation, earliest, treaty_.opened);
    if (inv && *inv <= on) {
      if (!treaty_.invitation_validity_years) return {StatusKind::kInvited, ""};
      const Date until = inv->AddMonths(12 * *treaty_.invitation_validity_years);
      if (on < until) return {StatusKind::kInvited, ", valid until " + until.ToIso()};
      return {StatusKind::kInvitationLapsed, " on " + until.ToIso()};
    }
    const auto ter = Pick(rec.territorial_extension, earliest, treaty_.opened);
    if (ter && *ter <= on) return {StatusKind::kTerritory, ""};
    return {StatusKind::kNotSigned, ""};
  };
  // A denunciation the rule cannot date reads "denounced" at the earliest and
  // not at the latest: both are shown.
  const Reading a = read(true), b = read(false);
  out.kind = b.kind;
  out.text = std::string(StatusKindName(b.kind)) + b.detail;
  if (a.kind != b.kind) {
    out.kind = a.kind;
    out.or_kind = b.kind;
    out.text = std::string(StatusKindName(b.kind)) + b.detail + " or " +
               std::string(StatusKindName(a.kind)) + a.detail + " (dates on record leave both)";
  }
  // A status also says which acts had not happened yet; it is decided only
  // where a source says so for the date (or a complete list covers it).
  auto not_yet = [&](bool consent_slot, const std::optional<Interval>& merged) {
    if (merged) return merged->lo && *merged->lo > on;
    return std::any_of(rec.evidence.begin(), rec.evidence.end(), [&](const Evidence& e) {
      const bool slot = consent_slot ? domain::IsConsent(e.action) : e.action == ActionKind::kSignature;
      return slot && e.negative && e.lo && *e.lo >= on;
    });
  };
  const bool spoken = rec.last_on_record && on <= *rec.last_on_record;
  switch (out.kind) {
    case StatusKind::kSigned: out.decided = spoken || not_yet(true, rec.consent); break;
    case StatusKind::kNotSigned:
      out.decided = not_yet(true, rec.consent) && not_yet(false, rec.signature);
      break;
    case StatusKind::kInvited:
    case StatusKind::kInvitationLapsed:
    case StatusKind::kTerritory:
      out.decided = spoken || (not_yet(true, rec.consent) && not_yet(false, rec.signature));
      break;
    default: out.decided = true; break;
  }
  out.decided = !out.or_kind && (out.decided || Closed(on));
  if (!out.decided) {
    // The status as of the last word, with the date of the act it rests on.
    auto since = [](const std::optional<Interval>& iv) {
      return iv && (iv->lo || iv->hi) ? " " + iv->ToString() : std::string();
    };
    std::string act;
    if (!out.or_kind) {
      switch (out.kind) {
        case StatusKind::kSigned: act = since(rec.signature); break;
        case StatusKind::kConsented: act = since(rec.consent); break;
        case StatusKind::kInvited: act = since(rec.invitation); break;
        default: break;
      }
    }
    if (out.kind == StatusKind::kNotSigned && !out.or_kind) {
      out.text = "no signature or consent on record";
    } else if (!out.or_kind) {
      out.text = std::string(StatusKindName(out.kind)) + act + b.detail;
    }
  }
  // Whatever the status, a word older than the date asked is shown with its date.
  if (rec.last_on_record && (!out.decided || *rec.last_on_record < on)) {
    out.text += " — last on record " + rec.last_on_record->ToIso();
  }
  return out;
}

namespace {

// Counts States whose `start` interval is reached by `on` and whose `end`
// interval (a denunciation taking effect) is not.
template <typename Start>
Range CountBy(const std::map<std::string, StateRecord>& states, Date on, Date opened, Start start) {
  Range r;
  for (const auto& [iso, rec] : states) {
    const std::optional<Interval>& s = start(rec);
    if (!s) continue;
    const auto& end = rec.denunciation_effective;
    const bool surely_started = s->SurelyBy(on);
    const bool possibly_started = s->lo.value_or(opened) <= on;
    const bool surely_ended = end && end->SurelyBy(on);
    const bool possibly_ended = end && end->lo.value_or(opened) <= on;
    if (surely_started && !possibly_ended) ++r.min;
    if (possibly_started && !surely_ended) ++r.max;
  }
  return r;
}

}  // namespace

bool Analysis::Closed(Date on) const {
  return std::any_of(coverage_.begin(), coverage_.end(),
                     [&](const Coverage& c) { return c.from <= on && on <= c.to; });
}

void Analysis::AddFlags(const std::vector<domain::StateFlag>& flags) {
  for (const auto& f : flags) {
    if (f.treaty == treaty_.ref) flags_[f.state].push_back(f);
  }
}

const std::vector<domain::StateFlag>& Analysis::FlagsOf(const std::string& state) const {
  static const std::vector<domain::StateFlag> kNone;
  auto it = flags_.find(state);
  return it == flags_.end() ? kNone : it->second;
}

void Analysis::AddConflicts(std::vector<Conflict> more) {
  for (auto& c : more) conflicts_.push_back(std::move(c));
}

Range Analysis::Consents(Date on) const {
  Range r = CountBy(states_, on, treaty_.opened,
                    [](const StateRecord& r) -> const std::optional<Interval>& { return r.consent; });
  r.open = !Closed(on);
  return r;
}

Range Analysis::InForce(Date on) const {
  Range r = CountBy(states_, on, treaty_.opened, [](const StateRecord& r) -> const std::optional<Interval>& {
    return r.entry_into_force;
  });
  r.open = !Closed(on);
  return r;
}

std::vector<TimelinePoint> Analysis::Timeline() const {
  std::set<Date> dates;
  auto add = [&](const std::optional<Interval>& iv) {
    if (!iv) return;
    dates.insert(iv->lo.value_or(treaty_.opened));
    if (iv->hi) dates.insert(*iv->hi);
  };
  for (const auto& [iso, rec] : states_) {
    add(rec.consent);
    add(rec.entry_into_force);
    add(rec.denunciation_effective);
  }
  std::vector<TimelinePoint> out;
  for (const Date& d : dates) {
    TimelinePoint p{d, Consents(d), InForce(d)};
    auto same = [](const Range& a, const Range& b) { return a.min == b.min && a.max == b.max; };
    if (!out.empty() && same(out.back().consents, p.consents) && same(out.back().in_force, p.in_force)) {
      continue;
    }
    out.push_back(p);
  }
  return out;
}

}  // namespace octopus::treaty
