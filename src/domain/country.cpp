#include "domain/country.h"

#include <array>
#include <fstream>
#include <sstream>
#include <utility>

#include "core/csv.h"
#include "core/text.h"

namespace octopus::domain {
namespace {

enum Column { kIso2, kIso3, kNameEn, kNameFr, kIsoState, kSince, kUntil, kAliases, kFootnote };
constexpr std::array<std::string_view, 9> kColumns = {
    "iso2",    "iso3",    "name_en", "name_fr", "iso_state", "coe_member_since", "coe_member_until",
    "aliases", "footnote"};

// Footnote markers ("Kosovo*") and surrounding blanks carry no meaning for lookup.
std::string_view StripDecorations(std::string_view name) {
  name = text::Trim(name);
  while (!name.empty() && name.back() == '*') name = text::Trim(name.substr(0, name.size() - 1));
  return name;
}

// The index key: folded, without decorations and without a leading article, so
// that "the Netherlands", "THE NETHERLANDS" and "Netherlands" meet.
std::string LookupKey(std::string_view name) {
  std::string key = text::FoldKey(StripDecorations(name));
  constexpr std::string_view kThe = "the ";
  if (text::StartsWith(key, kThe)) key.erase(0, kThe.size());
  return key;
}

bool IsUpperAscii(std::string_view s, size_t length) {
  if (s.size() != length) return false;
  for (char c : s) {
    if (c < 'A' || c > 'Z') return false;
  }
  return true;
}

// Builds the error messages of one source: "countries.csv:12: field iso2: ...".
class ErrorAt {
 public:
  explicit ErrorAt(std::string_view source) : source_(source) {}

  Status Parse(size_t line, std::string_view field, std::string_view what) const {
    return ParseError(Where(line, field) + std::string(what));
  }
  Status Conflict(size_t line, std::string_view field, std::string_view what) const {
    return octopus::Conflict(Where(line, field) + std::string(what));
  }

 private:
  std::string Where(size_t line, std::string_view field) const {
    std::string out = source_ + ":" + std::to_string(line) + ": ";
    if (!field.empty()) out += "field " + std::string(field) + ": ";
    return out;
  }
  std::string source_;
};

Result<std::optional<Date>> ParseOptionalDate(std::string_view value, size_t line,
                                              std::string_view field, const ErrorAt& err) {
  value = text::Trim(value);
  if (value.empty()) return std::optional<Date>();
  Result<Date> date = Date::Parse(value);
  if (!date.ok()) return err.Parse(line, field, date.status().message());
  return std::optional<Date>(*date);
}

// Maps each expected column name to its position in the header row.
Result<std::array<size_t, kColumns.size()>> ReadHeader(const csv::Row& header, const ErrorAt& err) {
  std::array<size_t, kColumns.size()> position{};
  std::array<bool, kColumns.size()> seen{};
  for (size_t i = 0; i < header.fields.size(); ++i) {
    const std::string_view name = text::Trim(header.fields[i]);
    size_t c = 0;
    while (c < kColumns.size() && kColumns[c] != name) ++c;
    if (c == kColumns.size()) {
      return err.Parse(header.line, "", "unknown column \"" + std::string(name) + "\"");
    }
    if (seen[c]) return err.Parse(header.line, name, "column appears twice");
    seen[c] = true;
    position[c] = i;
  }
  for (size_t c = 0; c < kColumns.size(); ++c) {
    if (!seen[c]) return err.Parse(header.line, kColumns[c], "missing column in the header");
  }
  return position;
}

Result<Country> ReadCountry(const csv::Row& row, const std::array<size_t, kColumns.size()>& pos,
                            const ErrorAt& err) {
  if (row.fields.size() != kColumns.size()) {
    return err.Parse(row.line, "",
                     "expected " + std::to_string(kColumns.size()) + " fields, found " +
                         std::to_string(row.fields.size()));
  }
  for (size_t c = 0; c < kColumns.size(); ++c) {
    if (!text::IsValidUtf8(row.fields[pos[c]])) {
      return err.Parse(row.line, kColumns[c], "invalid UTF-8");
    }
  }
  auto field = [&](Column c) { return text::Trim(row.fields[pos[c]]); };

  Country country;
  country.iso2 = field(kIso2);
  country.iso3 = field(kIso3);
  country.name_en = field(kNameEn);
  country.name_fr = field(kNameFr);
  country.footnote = field(kFootnote);
  if (!IsUpperAscii(country.iso2, 2)) {
    return err.Parse(row.line, "iso2", "\"" + country.iso2 + "\" is not two capital letters");
  }
  if (!IsUpperAscii(country.iso3, 3)) {
    return err.Parse(row.line, "iso3", "\"" + country.iso3 + "\" is not three capital letters");
  }
  if (country.name_en.empty()) return err.Parse(row.line, "name_en", "empty");

  const std::string_view iso_state = field(kIsoState);
  if (iso_state == "yes") {
    country.iso_state = true;
  } else if (iso_state == "no") {
    country.iso_state = false;
  } else {
    return err.Parse(row.line, "iso_state",
                     "\"" + std::string(iso_state) + "\" is neither yes nor no");
  }

  Result<std::optional<Date>> since =
      ParseOptionalDate(field(kSince), row.line, "coe_member_since", err);
  if (!since.ok()) return since.status();
  Result<std::optional<Date>> until =
      ParseOptionalDate(field(kUntil), row.line, "coe_member_until", err);
  if (!until.ok()) return until.status();
  country.coe_member_since = *since;
  country.coe_member_until = *until;
  if (country.coe_member_until && !country.coe_member_since) {
    return err.Parse(row.line, "coe_member_until", "set without coe_member_since");
  }
  if (country.coe_member_until && *country.coe_member_until <= *country.coe_member_since) {
    return err.Parse(row.line, "coe_member_until", "not after coe_member_since");
  }

  const std::string_view aliases = field(kAliases);
  if (!aliases.empty()) {
    for (const std::string& alias : text::Split(aliases, '|')) {
      const std::string_view trimmed = text::Trim(alias);
      if (trimmed.empty()) return err.Parse(row.line, "aliases", "empty alias between '|'");
      country.aliases.emplace_back(trimmed);
    }
  }
  return country;
}

}  // namespace

bool Country::IsCoeMember(Date d) const {
  // coe_member_until is the first day on which the State is no longer a member
  // (the Russian Federation ceased to be a member on 16 March 2022).
  if (!coe_member_since || d < *coe_member_since) return false;
  return !coe_member_until || d < *coe_member_until;
}

Result<Gazetteer> Gazetteer::FromCsv(std::string_view csv_text, std::string_view source_name) {
  const ErrorAt err(source_name);
  Result<std::vector<csv::Row>> rows = csv::Parse(csv_text, source_name);
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return err.Parse(1, "", "no header row");
  Result<std::array<size_t, kColumns.size()>> pos = ReadHeader(rows->front(), err);
  if (!pos.ok()) return pos.status();

  Gazetteer g;
  std::vector<size_t> lines;  // source line of each country, for conflict messages
  for (size_t r = 1; r < rows->size(); ++r) {
    const csv::Row& row = (*rows)[r];
    Result<Country> country = ReadCountry(row, *pos, err);
    if (!country.ok()) return country.status();

    const size_t at = g.countries_.size();
    auto index = [&](std::string_view field, std::string_view name) -> Status {
      const std::string key = LookupKey(name);
      if (key.empty()) {
        return err.Parse(row.line, field, "\"" + std::string(name) + "\" has no letters or digits");
      }
      auto [it, inserted] = g.index_.emplace(key, at);
      if (!inserted && it->second != at) {
        const Country& other = g.countries_[it->second];
        return err.Conflict(row.line, field,
                            "\"" + std::string(name) + "\" already names " + other.iso2 + " (" +
                                other.name_en + ", line " + std::to_string(lines[it->second]) +
                                ")");
      }
      return Status::Ok();
    };
    const Country& c = *country;
    OCTOPUS_RETURN_IF_ERROR(index("iso2", c.iso2));
    OCTOPUS_RETURN_IF_ERROR(index("iso3", c.iso3));
    OCTOPUS_RETURN_IF_ERROR(index("name_en", c.name_en));
    if (!c.name_fr.empty()) OCTOPUS_RETURN_IF_ERROR(index("name_fr", c.name_fr));
    for (const std::string& alias : c.aliases) OCTOPUS_RETURN_IF_ERROR(index("aliases", alias));

    g.countries_.push_back(std::move(country).value());
    lines.push_back(row.line);
  }
  return g;
}

Result<Gazetteer> Gazetteer::LoadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError("cannot open " + path);
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) return IoError("cannot read " + path);
  return FromCsv(content.str(), path);
}

const Country* Gazetteer::Find(std::string_view name) const {
  const std::string key = LookupKey(name);
  if (key.empty()) return nullptr;
  const auto it = index_.find(key);
  return it == index_.end() ? nullptr : &countries_[it->second];
}

const Country* Gazetteer::ByIso2(std::string_view iso2) const {
  const std::string wanted = text::ToLowerAscii(text::Trim(iso2));
  const auto it = index_.find(wanted);
  if (it == index_.end()) return nullptr;
  const Country& c = countries_[it->second];
  // The key may belong to a name or an alias of two letters; only the code counts here.
  return text::ToLowerAscii(c.iso2) == wanted ? &c : nullptr;
}

}  // namespace octopus::domain
