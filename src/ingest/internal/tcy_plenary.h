#pragma once
/// The plenary meetings of the Cybercrime Convention Committee (T-CY) a
/// document states, as activity records of section `tcy_plenary`:
///   "The 17th Plenary of the T-CY, meeting in Strasbourg from 7 to 9 June 2017,
///    was chaired by A. NAME (Netherlands)"
///   "17th Plenary of the T-CY" then "Strasbourg, 7 – 9 June 2017" on a line below
///   "… preceded by the plenary session of the Cybercrime Convention Committee
///    (T-CY) from 18 to 20 (morning) November 2019"
///   "11-12 December" then "Plenary of the Cybercrime Convention Committee (T-CY)"
/// Fields: the activity's (title "17th Plenary of the Cybercrime Convention
/// Committee (T-CY)", places, start, end, precision, as_written) and number
/// (null when not stated), chair, span. A
/// year-less date takes the reader's year and says so (`date_basis`); without
/// one, the meeting's dates stay null and `as_written` keeps them.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/document.h"
#include "ingest/internal/dates.h"

namespace octopus::ingest::internal {

class TcyPlenaries {
 public:
  /// Reads one paragraph (or heading) at 1-based `line`; `year` completes year-less dates (0: none).
  void Paragraph(std::string_view text, int line, int year);
  /// One record per meeting, its fields from every paragraph that states them.
  std::vector<Record> Records() const;

 private:
  struct Meeting {
    int number = 0;
    std::optional<DatePhrase> when;
    std::string as_written;
    bool year_from_context = false;
    std::string place, chair, span;
    int line = 0;
  };
  void Add(Meeting m);

  std::vector<Meeting> meetings_;
  std::optional<Meeting> pending_;  ///< a meeting named by a heading, its dates and place still to come
  int pending_age_ = 0;
  std::optional<std::pair<DatePhrase, std::string>> date_line_;  ///< the paragraph before was a date alone
  int date_line_number_ = 0;
};

}  // namespace octopus::ingest::internal
