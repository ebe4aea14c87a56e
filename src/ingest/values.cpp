#include "ingest/values.h"

#include <cmath>
#include <cstdio>

#include "core/text.h"
#include "ingest/internal/dates.h"
#include "ingest/internal/recognisers.h"

namespace octopus::ingest {

Result<TypedDate> ParseTypedDate(std::string_view text, int default_year) {
  const std::string_view trimmed = text::Trim(text);
  auto phrase = internal::ParseDatePhrase(trimmed, default_year);
  if (!phrase) {
    return InvalidArgument("'" + std::string(trimmed) +
                           "' is not a date: write it as \"3 October 2023\", \"3-5 October 2023\", "
                           "\"October 2023\", \"by October 2023\", \"mid-October 2023\" or \"TBC\"");
  }
  TypedDate d;
  if (phrase->start) d.start = phrase->start->Iso();
  if (phrase->end) d.end = phrase->end->Iso();
  d.precision = phrase->precision;
  d.as_written = std::string(trimmed);
  return d;
}

Result<TypedAmount> ParseTypedAmount(std::string_view text, std::string_view currency) {
  const std::string_view trimmed = text::Trim(text);
  std::string input(trimmed), as_written;
  auto money = internal::Money(input, &as_written);
  if (!money && (currency == "EUR" || currency == "USD" || currency == "GBP")) {
    input = std::string(currency) + " " + input;
    money = internal::Money(input, &as_written);
  }
  // The whole text must be the amount: "5 million and more" is not one.
  if (!money || text::Trim(as_written) != input || !std::isfinite(money->first) || money->first < 0) {
    return InvalidArgument("'" + std::string(trimmed) +
                           "' is not an amount: write it as \"EUR 5 400 000\" or \"5.4 million\"");
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", money->first);
  std::string amount(buf);
  while (amount.back() == '0') amount.pop_back();
  if (amount.back() == '.') amount.pop_back();
  return TypedAmount{amount, money->second};
}

}  // namespace octopus::ingest
