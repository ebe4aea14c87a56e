#pragma once
/// Treaty actions and figures stated in prose:
///   "United Kingdom deposited the instrument of ratification of the Convention
///    on Cybercrime (ETS 185) on 25 May 2011."
///   "Montenegro and Azerbaijan deposited … respectively on 3 and 15 March 2010."
///   "Japan became the second state to ratify the Second Additional Protocol"
///   "Kiribati was invited to accede to the Budapest Convention"
///   "The protocol shall enter into force in respect of Germany on 1st October 2011."
///   "31 States are now Parties to the Convention."
///   "71 States are now either Parties (57), have signed it (4) or been invited to accede (10)"
/// One instance reads one document, item by item; the actions of an item
/// share what its sentences say (the treaty its title names, the states an
/// entry-into-force sentence calls "this two States").

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/document.h"
#include "ingest/internal/dates.h"
#include "ingest/internal/mentions.h"

namespace octopus::ingest::internal {

class TreatyProse {
 public:
  TreatyProse(const MentionFinder& finder, int default_year) : finder_(finder), default_year_(default_year) {}

  /// Starts an item: its own date (publication or event heading) and year.
  /// `own_date` is false when the date is the document's, for lines outside
  /// any item: an action an item reports takes the item's date over it.
  void BeginItem(std::optional<PartialDate> item_date, int year, bool own_date = true);
  /// Reads one heading or title of the current item: an action it states
  /// takes the heading's date ("… ratified the Additional Protocol (10 June
  /// 2011, Strasbourg)"); without a date, the item's date.
  void Heading(std::string_view text, int line);
  /// Reads a paragraph of the current item (split into sentences here).
  void Paragraph(std::string_view text, int line);

  /// The records (treaty_action, treaty_figure) of everything read, merged:
  /// one action per state, treaty and kind, its date from the sentence that
  /// states it most precisely.
  std::vector<Record> Records() const;

 private:
  struct Action {
    std::string state, treaty, action;
    std::optional<PartialDate> date;
    std::optional<PartialDate> reported;  ///< the item's date, when the text gives no date
    bool reported_by_item = true;         ///< `reported` is an item's own date, not the document's
    std::optional<PartialDate> entry_into_force;
    std::string date_basis;  ///< how the date was completed ("year from the document's date"), "" when as stated
    std::string span;
    std::string clause;  ///< the part of `span` that states this act (its verb or noun, subject, object)
    int line = 0;
    size_t item = 0;
  };
  struct Figure {
    std::string treaty, measure;
    int count = 0;
    bool at_least = false;
    std::optional<PartialDate> as_of;
    std::string as_of_basis;  ///< why `as_of` is what it is when the sentence does not date it
    int of = 0;               ///< the whole the count is part of ("46 out of 47"), 0 when none
    std::string of_what;      ///< that whole's group as written ("member States of the Council of Europe")
    bool by_item = true;      ///< read in an item of its own date (or dated by its sentence)
    std::string span;
    int line = 0;
  };

  void Sentence(std::string_view s, int line, bool heading);
  /// Reads the clause `s` of `sentence` (one verb and its subject).
  bool ActionSentence(std::string_view s, std::string_view sentence, int line, bool heading);
  bool EntryIntoForceSentence(std::string_view s, int line);
  bool NominalSentence(std::string_view s, int line);
  void FigureSentence(std::string_view s, int line);
  std::vector<std::string> TreatiesOr(std::string_view s, size_t from) const;
  /// The treaty a sentence that names none speaks of: the item's last, unless the
  /// sentence says "Convention" or "Protocol" alone, then the item's last of that kind
  /// ("the Convention now has 76 Parties" after a line on the Second Protocol). "" for none.
  std::string ImpliedTreaty(std::string_view s) const;
  void AddAction(Action a);

  const MentionFinder& finder_;
  int default_year_ = 0;
  int year_ = 0;
  size_t item_ = 0;
  size_t item_first_action_ = 0;  ///< actions_[item_first_action_ …] are the current item's
  bool item_own_date_ = true;
  std::optional<PartialDate> item_date_;
  std::vector<std::string> item_treaties_;  ///< treaties the item named so far
  std::optional<PartialDate> last_dated_;   ///< the date of the item's last dated action
  int last_year_ = 0;                       ///< the year of the item's last date that names its year
  std::vector<Action> actions_;
  std::vector<Figure> figures_;
};

/// Sentences of a paragraph (on ". " followed by a capital or a digit, and on ";").
std::vector<std::string_view> SplitSentences(std::string_view paragraph);

}  // namespace octopus::ingest::internal
