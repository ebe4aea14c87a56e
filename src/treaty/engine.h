#pragma once
/// The entry-into-force and status engine: pure functions over a treaty's
/// rules and the evidence the registry holds. No I/O.
///
/// Dates the sources give only partly are intervals: a consent "on or before
/// 2011-06-01" is [opening, 2011-06-01]. Every answer that depends on such a
/// date is a range (`Range`, `Interval`), exact when the data determines it.
/// The registry's world is open: a State no source names may have acted. A
/// complete list closes it on the dates it covers (its status date, or every
/// date up to it when the list dates each State's acts); elsewhere a count is
/// a lower bound ("44+").

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "domain/country.h"
#include "domain/date.h"
#include "domain/treaty.h"

namespace octopus::treaty {

using domain::Date;

/// A date known to lie within [lo, hi]; an absent bound is open.
struct Interval {
  std::optional<Date> lo;
  std::optional<Date> hi;

  static Interval Exact(Date d) { return {d, d}; }
  bool exact() const { return lo && hi && *lo == *hi; }
  bool empty() const { return lo && hi && *lo > *hi; }
  /// Certainly on or before d.
  bool SurelyBy(Date d) const { return hi && *hi <= d; }
  /// Possibly on or before d.
  bool PossiblyBy(Date d) const { return !lo || *lo <= d; }
  /// "2011-09-01", "2001-11-23/2011-06-01", "../2011-06-01", "2011-06-02/..", "" if fully open.
  std::string ToString() const;
  friend bool operator==(const Interval&, const Interval&) = default;
};

/// Parses Interval::ToString's forms, plus "YYYY-MM" and "YYYY" (a month or a year).
Result<Interval> ParseInterval(std::string_view text);

/// A count that the data may not determine: min == max when it does.
struct Range {
  int min = 0;
  int max = 0;
  /// The count may be higher than `max`: no complete list covers the date, so
  /// States the registry has no statement about may have acted. ("44+": at
  /// least 44.)
  bool open = false;
  bool exact() const { return min == max && !open; }
  /// "31", "30-31", or "44+" when open.
  std::string ToString() const;
  /// True when `count` can be the real figure.
  bool Admits(int count) const { return count >= min && (open || count <= max); }
  friend bool operator==(const Range&, const Range&) = default;
};

/// Two sources that cannot both be right.
struct Conflict {
  std::string state;  ///< ISO alpha-2, or "" for the treaty itself
  std::string what;   ///< "consent", "signature", "entry into force", …
  std::string detail;
  std::vector<domain::SourceRef> sources;
};

/// One State's merged record under one treaty.
struct StateRecord {
  std::string state;
  std::optional<Interval> signature;
  std::optional<Interval> consent;
  domain::ActionKind consent_kind = domain::ActionKind::kRatification;
  bool consent_kind_known = false;  ///< false: only a list or a bound says it consented
  std::optional<Interval> invitation;
  std::optional<Interval> denunciation;
  std::optional<Interval> territorial_extension;
  std::optional<Interval> entry_into_force;   ///< computed
  /// Computed by the treaty's denunciation rule. When the rule text was not
  /// obtained, only its lower bound (the denunciation itself) is known.
  std::optional<Interval> denunciation_effective;
  /// Set when a denunciation is on record and the treaty's rule for its
  /// effect was not obtained: its effective date is unknown.
  bool denunciation_rule_unknown = false;
  std::string eif_note;  ///< why entry into force is unknown, when it is
  /// The latest date a source speaks of this State under this treaty: a
  /// chart's status date, a list's date, or the latest dated act.
  std::optional<Date> last_on_record;
  std::vector<domain::Evidence> evidence;  ///< every statement, with its source
};

enum class StatusKind {
  kNotSigned,
  kSigned,
  kConsented,   ///< consent deposited, not yet in force
  kInForce,     ///< party, in force
  kInvited,     ///< invited to accede, invitation valid
  kInvitationLapsed,
  kDenounced,
  kTerritory,   ///< a territory to which a party extended the treaty
};

struct StateStatus {
  StatusKind kind = StatusKind::kNotSigned;
  /// Set when the data leaves two possibilities (earliest vs latest dates).
  std::optional<StatusKind> or_kind;
  std::string text;  ///< "party in force", "invited, valid until 2028-07-03", "signed or consented, not yet in force"
  /// The latest source on the State (StateRecord::last_on_record); nullopt
  /// when no source names it.
  std::optional<Date> last_on_record;
  /// False when no source speaks of the State on or after the date asked and
  /// no complete list covers it: `kind` is then the status as of the last
  /// word, and `text` says so ("signed 2001-11-23 — last on record 2015-12-03").
  bool decided = true;
};

std::string_view StatusKindName(StatusKind k);

/// The treaty's own entry into force.
struct TreatyEntryIntoForce {
  std::optional<Interval> threshold_reached;  ///< date of the consent completing the threshold
  std::optional<Interval> date;               ///< entry into force; nullopt: not reached or unknown
  bool rule_known = true;
  std::string note;  ///< how it was determined
};

/// The dates on which a complete list closes the registry's world: on them
/// every State's signature and consent is decided.
struct Coverage {
  Date from;
  Date to;  ///< the list's status date
  domain::SourceRef source;
};

struct TimelinePoint {
  Date date;
  Range consents;
  Range in_force;
};

/// Everything the engine knows about one treaty, computed once.
/// Thread-compatible: const methods may be called concurrently.
class Analysis {
 public:
  Analysis(const domain::Treaty& treaty, const std::vector<domain::Evidence>& evidence,
           const std::vector<domain::Snapshot>& snapshots, const domain::Gazetteer& gazetteer);

  const domain::Treaty& treaty() const { return treaty_; }
  const TreatyEntryIntoForce& entry_into_force() const { return eif_; }
  /// States in the registry for this treaty, ordered by ISO code.
  const std::map<std::string, StateRecord>& states() const { return states_; }
  const std::vector<Conflict>& conflicts() const { return conflicts_; }
  /// Adds disagreements between sources found outside the evidence (a
  /// reference file's list of conflicts, a stated figure against the record).
  void AddConflicts(std::vector<Conflict> more);
  /// Complete lists and the dates each covers, by status date.
  const std::vector<Coverage>& coverage() const { return coverage_; }
  /// Adds the marks sources put against States (reservations, declarations,
  /// territorial application, …) for this treaty; other treaties' are ignored.
  void AddFlags(const std::vector<domain::StateFlag>& flags);
  /// A State's marks, in the order added; empty when none.
  const std::vector<domain::StateFlag>& FlagsOf(const std::string& state) const;
  /// True when a complete list covers `on`: every State's consent is decided.
  bool Closed(Date on) const;

  /// Status of a State on a date (kNotSigned for a State with no record).
  StateStatus StatusOf(const std::string& state, Date on) const;
  /// States whose consent was deposited by `on` (not counting denunciations in effect).
  Range Consents(Date on) const;
  /// States for which the treaty is in force on `on`.
  Range InForce(Date on) const;
  /// One point per date on which either count may change, ascending.
  std::vector<TimelinePoint> Timeline() const;

  /// The entry into force of a consent deposited on `deposit` (accession or not).
  /// nullopt when the rule text is not known or the treaty is not in force.
  std::optional<Interval> EntryIntoForceFor(const Interval& deposit, bool accession) const;

 private:
  void Merge(const std::vector<domain::Evidence>& evidence,
             const std::vector<domain::Snapshot>& snapshots);
  void ApplyStatedEntryIntoForce();
  void ComputeTreatyEntryIntoForce();
  void ComputeStates();
  bool IsMember(const std::string& state, Date on) const;
  const std::optional<domain::Period>& PeriodFor(bool accession) const;

  domain::Treaty treaty_;
  const domain::Gazetteer& gazetteer_;
  std::map<std::string, StateRecord> states_;
  std::vector<Coverage> coverage_;
  std::vector<Conflict> conflicts_;
  std::map<std::string, std::vector<domain::StateFlag>> flags_;
  TreatyEntryIntoForce eif_;
};

}  // namespace octopus::treaty
