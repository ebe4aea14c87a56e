#pragma once
/// Values as people type them into a form, read by the same rules as the
/// documents ingest reads: dates ("by October 2023", "mid-November", "TBC",
/// "3-5 July 2024") and amounts of money ("EUR 5.4 million", "5 400 000").

#include <string>
#include <string_view>

#include "core/result.h"

namespace octopus::ingest {

/// A date phrase in the knowledge base's canonical form.
struct TypedDate {
  std::string start, end;  ///< ISO, possibly reduced; "" when the phrase gives none
  std::string precision;   ///< day | month | year | by | mid | tbc | range
  std::string as_written;  ///< the phrase, trimmed
};

/// The phrase when all of `text` is one; a phrase without its year takes
/// `default_year`. InvalidArgument saying what is expected otherwise.
Result<TypedDate> ParseTypedDate(std::string_view text, int default_year);

/// An amount as decimal digits ("5400000", "508371.23") and its currency.
struct TypedAmount {
  std::string amount;
  std::string currency;  ///< ISO 4217
};

/// The amount `text` states, with its currency mark ("EUR 5.4 million",
/// "€ 250 000", "4.2 million USD") or, without one, in `currency` (an ISO
/// 4217 code the documents use: EUR, USD, GBP). InvalidArgument otherwise.
Result<TypedAmount> ParseTypedAmount(std::string_view text, std::string_view currency);

}  // namespace octopus::ingest
