#pragma once
/// Countries and the gazetteer that names them: ISO 3166-1 codes, English and
/// French names, every alias the programme's documents use, Council of Europe
/// membership. Loaded from data/countries.csv; no I/O here beyond parsing text.

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "domain/date.h"

namespace octopus::domain {

struct Country {
  std::string iso2;     ///< ISO 3166-1 alpha-2 ("AL"); a user-assigned code for non-ISO entries ("XK")
  std::string iso3;     ///< ISO 3166-1 alpha-3 ("ALB"; "XKX" for Kosovo*)
  std::string name_en;  ///< short English name used on pages ("North Macedonia")
  std::string name_fr;  ///< French name ("Macédoine du Nord")
  bool iso_state = true;  ///< false for entries that are not ISO 3166 states (Kosovo*, the EU)
  std::string footnote;   ///< shown with the name (Kosovo*'s UNSCR 1244 footnote), else empty
  std::optional<Date> coe_member_since;  ///< Council of Europe accession, if any
  std::optional<Date> coe_member_until;  ///< end of membership (Russian Federation: 2022-03-16)
  std::vector<std::string> aliases;      ///< other names documents use, any language

  /// Member of the Council of Europe on `d`.
  bool IsCoeMember(Date d) const;
  /// Member today or at any time.
  bool IsCoeMemberEver() const { return coe_member_since.has_value(); }
};

/// Name → country lookup, accent-, case- and punctuation-insensitive
/// ("Turkiye", "Türkiye", "Turkey", "TR", "TUR" all find the same entry).
/// Immutable after loading; safe to share between threads.
class Gazetteer {
 public:
  /// Parses the countries CSV (header: iso2,iso3,name_en,name_fr,iso_state,
  /// coe_member_since,coe_member_until,aliases,footnote; aliases separated by '|').
  /// Errors name `source_name`, the line and the field.
  static Result<Gazetteer> FromCsv(std::string_view csv_text, std::string_view source_name);
  /// Reads and parses a CSV file.
  static Result<Gazetteer> LoadFile(const std::string& path);

  /// The country a name, alias or ISO code denotes; nullptr if none.
  /// A leading "the " and a trailing footnote marker '*' are ignored.
  const Country* Find(std::string_view name) const;
  const Country* ByIso2(std::string_view iso2) const;
  const std::vector<Country>& all() const { return countries_; }

 private:
  std::vector<Country> countries_;
  std::unordered_map<std::string, size_t> index_;  // folded key → position
};

}  // namespace octopus::domain
