#pragma once
/// Treaty charts in the Treaty Office's shape, and dated statements (facts).
///
/// Chart CSV: '#' comment lines (source, "status as of", "CUT OFF: yes|no", …),
/// then `state,coe_member,signature,ratification_or_accession,entry_into_force,
/// notes_flags,kind` (later columns are not read). A "status as of" comment
/// gives the list's date only when the source prints it; otherwise the list is
/// taken to be of its latest dated signature or consent (never of an entry
/// into force it prints). A row whose notes_flags carry "src=URL" is that
/// source's statement: the URL is its origin and its empty cells say nothing.
/// "Counts …:" comments with a day give stated figures. Dates are ISO days, or a month (YYYY-MM), a year (YYYY)
/// or an interval (YYYY-MM-DD/YYYY-MM-DD, ../YYYY-MM-DD) where a source gives less.
/// The entry_into_force column is kept for comparison only.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "domain/country.h"
#include "domain/treaty.h"
#include "treaty/catalog.h"
#include "treaty/engine.h"

namespace octopus::treaty {

using Batch = domain::TreatyBatch;

/// Parses a chart. `treaty_ref` overrides the treaty named in the comments.
/// Errors: "FILE:LINE: field 'signature': malformed date '2011-13-01' …",
/// unknown State, ratification before signature, consent before opening.
Result<Batch> ParseChart(std::string_view text, std::string_view origin, const Catalog& catalog,
                         const domain::Gazetteer& gazetteer, std::string_view treaty_ref = {});

/// Parses dated statements: `treaty,state,event,date,count_or_value,statement,
/// source_url,notes` (data/treaties/facts.csv).
Result<Batch> ParseFacts(std::string_view text, std::string_view origin, const Catalog& catalog,
                         const domain::Gazetteer& gazetteer);

/// True when the text's header row is the facts shape rather than a chart.
bool LooksLikeFacts(std::string_view text);

/// A disagreement between sources that a reference file lists for a treaty.
struct ListedConflict {
  std::string treaty;  ///< canonical ref
  Conflict conflict;
};

/// Parses a list of conflicts between sources in Markdown: each "### N.
/// SUBJECT, TREATY: WHAT" heading (or "### N. TREATY") opens one conflict;
/// its bullets give the values (bold) and the URLs each comes from, and a
/// "**Used:**" bullet the value kept. Headings naming no known treaty are
/// errors ("FILE:LINE: unknown treaty in heading '…'").
Result<std::vector<ListedConflict>> ParseConflictList(std::string_view text, std::string_view origin,
                                                      const Catalog& catalog,
                                                      const domain::Gazetteer& gazetteer);

/// A State's flags in one cell: "R reservation as of 2015-12-03 [file:7] | …".
std::string FlagsCell(const std::vector<domain::StateFlag>& flags);

/// The chart as of `on`, in the import shape (one row per State on record),
/// with `last_on_record`, `sources` (the origins of the row's evidence,
/// space-separated) and `flags` (FlagsCell) appended after the seven import columns. Its comments
/// state no status date and mark empty cells as not known, so that importing
/// it adds nothing the rows do not say.
std::string ChartCsv(const Analysis& analysis, const domain::Gazetteer& gazetteer, Date on);

/// A row where a chart's printed entry into force differs from the computation.
struct EifDifference {
  std::string state;
  std::string stated;
  std::string computed;
  domain::SourceRef source;
};
std::vector<EifDifference> CompareEntryIntoForce(
    const Analysis& analysis, const std::vector<domain::StatedEntryIntoForce>& stated);

}  // namespace octopus::treaty
