#pragma once
/// Treaties, their entry-into-force rules (as data), and the evidence the
/// registry holds about each State's actions. Value types only.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "domain/date.h"

namespace octopus::domain {

/// How a delay after a deposit is counted.
///  - kFirstDayAfterMonths: "the first day of the month following the expiration
///    of a period of N months after the date of …" (Council of Europe treaties);
///  - kNthDayAfter: "on the Nth day after the date of deposit of …" (UN treaties).
/// An absent Period (std::nullopt in a rule) means the rule text was not obtained.
struct Period {
  enum class Kind { kFirstDayAfterMonths, kNthDayAfter };
  Kind kind = Kind::kFirstDayAfterMonths;
  int count = 3;

  /// The date the period leads to from `from`.
  /// kFirstDayAfterMonths: (from + count months, day clamped) → first day of the
  /// following month. kNthDayAfter: from + count days.
  Date Apply(Date from) const;
  /// "first day of the month following 3 months" / "90th day".
  std::string Describe() const;
};

struct EntryIntoForceRule {
  int threshold = 0;          ///< consents needed; 0 = not known
  int min_member_states = 0;  ///< how many of them must be Council of Europe member States
  bool count_reio = true;     ///< false: a regional economic integration organisation's instrument does not count
  std::optional<Period> period;  ///< how the treaty's own entry into force follows the threshold
  std::string article;
  std::string text;           ///< the rule as printed, when obtained
};

struct ConsentRule {
  bool allowed = true;
  bool requires_invitation = false;          ///< accession only by invitation (ETS 185 Art. 37)
  bool only_after_entry_into_force = false;  ///< accession only once the treaty is in force
  std::optional<Period> period;              ///< nullopt: rule text not obtained
  std::string article;
  std::string text;
};

struct Treaty {
  std::string ref;         ///< canonical reference: "ETS 185", "CETS 224", "UNCC"
  int number = 0;          ///< Council of Europe treaty number; 0 for others
  std::vector<std::string> aliases;  ///< other accepted references ("Budapest Convention")
  std::string title;
  std::string short_title;
  Date opened;             ///< opening for signature
  std::string opened_place;
  std::string parent;      ///< ref of the treaty a State must be bound by first, or ""
  bool signature_requires_ratification = true;  ///< signature alone does not bind
  EntryIntoForceRule entry_into_force;
  ConsentRule later_consent;  ///< a signatory consenting after the threshold
  ConsentRule accession;
  std::optional<int> invitation_validity_years;  ///< invitation lapses after N years (CoE practice)
  std::optional<Period> denunciation;
  std::optional<Date> stated_entry_into_force;  ///< as printed by a source, checked against the computation
  std::string stated_entry_into_force_source;
  std::vector<std::string> sources;
  std::string completeness;  ///< what the shipped data covers
};

/// Canonical reference for user input: "185", "ETS 185", "CETS 185", "ETS-185",
/// "ets185" → number 185; the caller maps the number to a treaty. Returns 0
/// when the text holds no treaty number.
int ParseTreatyNumber(std::string_view text);

/// What a State did, as the registry records it.
enum class ActionKind {
  kSignature,              ///< signature subject to ratification
  kDefinitiveSignature,    ///< signature without reservation as to ratification (a consent)
  kRatification,
  kAcceptance,
  kApproval,
  kAccession,
  kInvitation,             ///< invited to accede
  kDenunciation,
  kTerritorialExtension,
  kReservation,
  kDeclaration,
  kEntryIntoForce,         ///< a source's statement of the State's entry into force
};

std::string_view ActionKindName(ActionKind k);
std::optional<ActionKind> ParseActionKind(std::string_view name);
/// Ratification, acceptance, approval, accession, definitive signature.
bool IsConsent(ActionKind k);

/// Where a record came from: a file or URL, and the line or span within it.
struct SourceRef {
  std::string origin;  ///< file path or URL
  int line = 0;        ///< 1-based line, 0 if not applicable
  std::string quote;   ///< the text it was read from, shortened
};

/// One statement about a State and a treaty: an action that happened within
/// [lo, hi] (either bound may be open), or — when `negative` — an action that
/// had NOT happened by `lo` (hi unused): "had not ratified as of 2004-06-18".
struct Evidence {
  std::string treaty;  ///< canonical ref
  std::string state;   ///< ISO alpha-2 code (or XK, EU)
  ActionKind action = ActionKind::kSignature;
  std::optional<Date> lo;
  std::optional<Date> hi;
  bool negative = false;
  Precision precision = Precision::kDay;
  SourceRef source;
  bool kind_known = true;  ///< false when inferred (a list, a stated entry into force)
};

/// A complete list published on a date (a depositary notification): every
/// State that had consented by `as_of` is in `contracting`, every State that
/// had signed without consenting is in `signatories`, and no other State had.
struct Snapshot {
  std::string treaty;
  Date as_of;
  std::vector<std::string> contracting;  ///< ISO alpha-2
  std::vector<std::string> signatories;
  SourceRef source;
};

/// A figure a source states ("31 States are now Parties").
struct StatedFigure {
  std::string treaty;
  std::string measure;  ///< parties, signatories, invited, observers, ratified, …
  int count = 0;
  std::optional<Date> as_of;
  Precision precision = Precision::kDay;  ///< kMonth for "as of September 2015"
  SourceRef source;
};

/// A chart row's entry-into-force date, kept to compare with the computation.
struct StatedEntryIntoForce {
  std::string treaty;
  std::string state;
  Date date;
  SourceRef source;
};

/// A mark a source puts against a State under a treaty, as the Treaty Office
/// charts' R./D./A./T./C./O. columns or a declaration note do. It is shown as
/// the source gives it, with the source; it changes no date or count.
struct StateFlag {
  std::string treaty;   ///< canonical ref
  std::string state;    ///< ISO alpha-2
  std::string flag;     ///< "R", "D", "A", "T", "C", "O"; "R/D" for "reservations or declarations";
                        ///< "X" for a mark whose column the source does not let one recover
  std::string meaning;  ///< "reservation", "declaration", "authority", "territorial application", …
  /// The date the source gives for it: a chart's printed status date, or the
  /// act's own day; nullopt when the source states none it can be read at.
  std::optional<Date> as_of;
  std::string caveat;   ///< what the source itself says against the mark, "" when nothing
  SourceRef source;
};

/// What one file contributes to the registry; stored in one transaction.
struct TreatyBatch {
  std::string kind;    ///< "chart", "notification", "facts", "document"
  std::string treaty;  ///< the chart's treaty; "" when several
  std::optional<Date> as_of;
  bool complete = false;
  int rows = 0;
  std::vector<Evidence> evidence;
  std::vector<Snapshot> snapshots;
  std::vector<StatedEntryIntoForce> stated_eif;
  std::vector<StatedFigure> figures;
  std::vector<StateFlag> flags;
  std::vector<std::string> unused;  ///< rows read but not used by the engine, with line numbers
};

}  // namespace octopus::domain
