#pragma once
/// A small RFC 4180 CSV reader for the project's data files, and the one
/// writer of CSV cells for every export.
///
/// Accepted input: fields separated by ',', records by LF or CRLF; a field
/// enclosed in double quotes may hold commas, line breaks and doubled quotes
/// (""). A UTF-8 byte order mark at the start is ignored. Outside quoted
/// fields, a line whose first character is '#' is a comment and a line that
/// is empty or holds only spaces and tabs is blank; both are skipped.
/// Fields are returned as written (no trimming, no type conversion), except that
/// a line break inside a quoted field is always returned as "\n". A lone CR in
/// the middle of a line is data.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace octopus::csv {

/// One record of a CSV text.
struct Row {
  size_t line = 0;                  ///< 1-based line on which the record starts
  std::vector<std::string> fields;  ///< at least one field
};

/// Splits `text` into records. Errors (kParseError) name `source_name` and the
/// line: an unterminated quoted field ("countries.csv:12: unterminated quoted
/// field (opened on this line)"), a character after a closing quote, or a quote
/// inside an unquoted field. A header row is not treated specially: it is
/// returned as the first record.
Result<std::vector<Row>> Parse(std::string_view text, std::string_view source_name);

/// One cell of an exported CSV file. A value a spreadsheet would run as a
/// formula — one starting with '=', '+', '-', '@', TAB or CR that is not a
/// plain number such as "-12.5" — is prefixed with a single quote (OWASP's
/// advice against CSV injection). The cell is then enclosed in double quotes
/// (inner ones doubled) when it holds ',', '"', CR or LF.
std::string Cell(std::string_view value);

/// Cells joined by ',' and ended by `eol`.
std::string Record(const std::vector<std::string>& cells, std::string_view eol = "\r\n");

}  // namespace octopus::csv
