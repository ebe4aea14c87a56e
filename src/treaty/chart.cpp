#include "treaty/chart.h"

#include <algorithm>
#include <sstream>

#include "core/csv.h"
#include "core/text.h"

namespace octopus::treaty {

using domain::ActionKind;
using domain::Evidence;

namespace {

constexpr const char* kChartColumns[] = {"state", "coe_member", "signature",
                                         "ratification_or_accession", "entry_into_force",
                                         "notes_flags", "kind"};

std::string Where(std::string_view origin, size_t line) {
  return std::string(origin) + ":" + std::to_string(line);
}

// Comment lines at the top of a file, without the leading '#'.
std::vector<std::string> Comments(std::string_view text) {
  std::vector<std::string> out;
  for (const auto& raw : text::Split(text, '\n')) {
    std::string_view l = text::Trim(raw);
    if (l.empty()) continue;
    if (l.front() != '#') break;
    out.emplace_back(text::Trim(l.substr(1)));
  }
  return out;
}

// The first ISO date (YYYY-MM-DD) inside a line.
std::optional<Date> FirstIsoDate(std::string_view s) {
  for (size_t i = 0; i + 10 <= s.size(); ++i) {
    if (i > 0 && std::isdigit(static_cast<unsigned char>(s[i - 1]))) continue;
    auto d = Date::Parse(s.substr(i, 10));
    if (d && (i + 10 == s.size() || !std::isdigit(static_cast<unsigned char>(s[i + 10])))) {
      return *d;
    }
  }
  return std::nullopt;
}

// The treaty a chart's comments name: "CETS No.: 185", "(CETS 224)", "Treaty 185", or a title.
const domain::Treaty* TreatyFromComments(const std::vector<std::string>& comments,
                                         const Catalog& catalog) {
  for (const auto& c : comments) {
    const std::string lower = text::ToLowerAscii(c);
    for (std::string_view marker : {"cets no.:", "cets no.", "ets no.", "cets ", "ets ", "treaty ", "tr./"}) {
      size_t pos = 0;
      while ((pos = lower.find(marker, pos)) != std::string::npos) {
        size_t p = pos + marker.size();
        while (p < lower.size() && lower[p] == ' ') ++p;
        size_t q = p;
        while (q < lower.size() && std::isdigit(static_cast<unsigned char>(lower[q]))) ++q;
        if (q > p && q - p <= 3) {
          if (const auto* t = catalog.Resolve(lower.substr(p, q - p))) return t;
        }
        pos += marker.size();
      }
    }
  }
  for (const auto& c : comments) {
    const std::string key = text::FoldKey(c);
    for (const auto& t : catalog.all()) {
      std::vector<std::string> names = t.aliases;
      names.push_back(t.title);
      for (const auto& n : names) {
        const std::string nk = text::FoldKey(n);
        if (nk.size() >= 12 && key.find(nk) != std::string::npos) return &t;
      }
    }
  }
  return nullptr;
}

std::optional<ActionKind> ConsentKind(std::string_view kind) {
  const std::string k = text::ToLowerAscii(text::Trim(kind));
  if (k.empty() || k == "ratification" || k == "r") return ActionKind::kRatification;
  if (k == "accession" || k == "a") return ActionKind::kAccession;
  if (k == "acceptance") return ActionKind::kAcceptance;
  if (k == "approval" || k == "aa") return ActionKind::kApproval;
  if (k == "signature" || k == "definitive_signature" || k == "s") return ActionKind::kDefinitiveSignature;
  return std::nullopt;
}

std::string_view KindColumn(ActionKind k) {
  switch (k) {
    case ActionKind::kAccession: return "accession";
    case ActionKind::kAcceptance: return "acceptance";
    case ActionKind::kApproval: return "approval";
    case ActionKind::kDefinitiveSignature: return "signature";
    default: return "ratification";
  }
}

// The precision an interval stands for: a day, a whole month, a whole year, or a bound.
domain::Precision PrecisionOf(const Interval& iv) {
  if (iv.exact()) return domain::Precision::kDay;
  if (iv.lo && iv.hi && iv.lo->year() == iv.hi->year()) {
    if (iv.lo->month() == iv.hi->month() && iv.lo->day() == 1 && *iv.hi == iv.hi->LastOfMonth()) {
      return domain::Precision::kMonth;
    }
    if (iv.lo->month() == 1 && iv.lo->day() == 1 && iv.hi->month() == 12 && iv.hi->day() == 31) {
      return domain::Precision::kYear;
    }
  }
  return domain::Precision::kBy;
}

std::string Shorten(std::string_view s, size_t n = 160) {
  std::string out(text::Trim(s));
  if (out.size() > n) out = out.substr(0, n) + "…";
  return out;
}

// Figures a "Counts …:" comment line quotes, each with its own day:
// "60 Parties (2018-06-29), 69 Parties/2 signatories/22 invited (2024-02-07)",
// "50 (Senegal 2016-08-25)" after an item counting Parties. An item without a
// day is left out.
std::vector<domain::StatedFigure> CommentFigures(std::string_view comment, const std::string& treaty,
                                                 std::string_view origin, int line) {
  std::vector<domain::StatedFigure> out;
  const std::string lower = text::ToLowerAscii(comment);
  if (!text::StartsWith(lower, "counts")) return out;
  const size_t colon = lower.find(':');
  if (colon == std::string::npos) return out;
  std::string_view rest = std::string_view(comment).substr(colon + 1);
  bool parties_list = false;
  while (!rest.empty()) {
    const size_t cut = rest.find("), ");
    const std::string_view item = text::Trim(rest.substr(0, cut == std::string_view::npos ? rest.size() : cut + 1));
    rest = cut == std::string_view::npos ? std::string_view() : rest.substr(cut + 3);
    const std::optional<Date> day = FirstIsoDate(item);
    const std::string low = text::ToLowerAscii(item);
    for (size_t i = 0; i < low.size();) {
      if (!std::isdigit(static_cast<unsigned char>(low[i])) || (i > 0 && std::isalnum(static_cast<unsigned char>(low[i - 1])))) {
        ++i;
        continue;
      }
      size_t j = i;
      while (j < low.size() && std::isdigit(static_cast<unsigned char>(low[j]))) ++j;
      const std::string number = low.substr(i, j - i);
      size_t k = j;
      while (k < low.size() && low[k] == ' ') ++k;
      std::string measure;
      for (std::string_view word : {"parties", "signatories", "invited"}) {
        if (low.compare(k, word.size(), word) == 0) measure = std::string(word);
      }
      if (measure.empty() && i == 0 && parties_list && (k >= low.size() || low[k] == '(')) measure = "parties";
      if (!measure.empty() && day && number.size() <= 4 && j < low.size() && low[j] != '-') {
        domain::StatedFigure f;
        f.treaty = treaty;
        f.measure = measure;
        f.count = std::stoi(number);
        f.as_of = day;
        f.source = {std::string(origin), line, Shorten(item)};
        out.push_back(std::move(f));
      }
      if (measure == "parties") parties_list = true;
      i = j;
    }
  }
  return out;
}


// The meaning of a chart's flag letter: the file's own legend ("R.=Reservations")
// where it gives one, the Treaty Office's columns otherwise.
std::string FlagMeaning(char letter, const std::vector<std::string>& comments) {
  const std::string key = std::string(1, letter) + ".=";
  for (const auto& c : comments) {
    if (text::ToLowerAscii(c).find("legend") == std::string::npos) continue;
    const size_t at = c.find(key);
    if (at == std::string::npos || (at > 0 && std::isalpha(static_cast<unsigned char>(c[at - 1])))) continue;
    size_t end = c.find(" ", at + key.size());
    // A meaning may be two words ("Territorial application"): it runs to the next "X.=".
    while (end != std::string::npos && end + 3 < c.size() &&
           !(std::isupper(static_cast<unsigned char>(c[end + 1])) && c[end + 2] == '.' && c[end + 3] == '=')) {
      end = c.find(" ", end + 1);
    }
    std::string meaning = text::ToLowerAscii(c.substr(at + key.size(), end == std::string::npos ? std::string::npos
                                                                                      : end - at - key.size()));
    if (meaning.size() > 3 && meaning.compare(meaning.size() - 3, 3, "ies") == 0) {
      meaning = meaning.substr(0, meaning.size() - 3) + "y";
    } else if (!meaning.empty() && meaning.back() == 's') {
      meaning.pop_back();
    }
    if (!meaning.empty()) return meaning;
  }
  switch (letter) {
    case 'R': return "reservation";
    case 'D': return "declaration";
    case 'A': return "authority";
    case 'T': return "territorial application";
    case 'C': return "communication";
    case 'O': return "objection";
    default: return "";
  }
}

// The word at `at` in `low` is negated: "without reservation", "no reservation".
bool Negated(const std::string& low, size_t at) {
  for (std::string_view neg : {"without ", "no ", "not "}) {
    if (at >= neg.size() && low.compare(at - neg.size(), neg.size(), neg) == 0) return true;
  }
  return false;
}

struct FlagMark {
  std::string flag, meaning;
};

// The marks a notes_flags cell carries: chart letters ("R. D. A. T."), a
// count of unplaced marks ("X x3"), and the words of a declaration note
// ("reservation contained in the instrument", "declarations under Art. 24",
// "reservations/declarations: Yes"). URLs in the note are not read.
std::vector<FlagMark> NoteFlags(std::string_view cell, const std::vector<std::string>& comments) {
  std::vector<FlagMark> out;
  auto add = [&](std::string flag, std::string meaning) {
    for (const auto& m : out) {
      if (m.flag == flag) return;
    }
    out.push_back({std::move(flag), std::move(meaning)});
  };
  std::string words;
  const std::vector<std::string> tokens = text::Split(cell, ' ');
  for (size_t i = 0; i < tokens.size(); ++i) {
    const std::string_view t = text::Trim(tokens[i]);
    if (t.size() == 2 && t[1] == '.' && std::string_view("RDATCO").find(t[0]) != std::string_view::npos) {
      add(std::string(1, t[0]), FlagMeaning(t[0], comments));
      continue;
    }
    if (t == "X" && i + 1 < tokens.size()) {
      const std::string_view n = text::Trim(tokens[i + 1]);
      if (n.size() >= 2 && n[0] == 'x' &&
          std::all_of(n.begin() + 1, n.end(), [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); })) {
        add("X", std::string(n.substr(1)) + " mark(s) in the notes/flag columns, which columns not recoverable");
        ++i;
        continue;
      }
    }
    if (t.find("://") != std::string_view::npos || t.find("src=") != std::string_view::npos) continue;
    words += std::string(t) + " ";
  }
  const std::string low = text::ToLowerAscii(words);
  if (size_t at = low.find("reservations/declarations"); at != std::string::npos) {
    const std::string after = low.substr(at + 25, 6);
    if (after.find("no") == std::string::npos) add("R/D", "reservations or declarations");
    return out;
  }
  auto word = [&](std::string_view stem, std::string flag, std::string meaning) {
    for (size_t at = low.find(stem); at != std::string::npos; at = low.find(stem, at + 1)) {
      if (at > 0 && std::isalpha(static_cast<unsigned char>(low[at - 1]))) continue;
      if (Negated(low, at)) continue;
      add(flag, meaning);
      return;
    }
  };
  word("reservation", "R", "reservation");
  word("declaration", "D", "declaration");
  word("territorial", "T", "territorial application");
  return out;
}

// What a chart's comments say against its own flag columns ("the flags appear
// NOT to be filtered by the status date … Treat flags as unreliable").
std::string FlagCaveat(const std::vector<std::string>& comments) {
  std::vector<std::string> lines;
  for (const auto& c : comments) {
    const std::string low = text::ToLowerAscii(c);
    if (low.find("flag") == std::string::npos && low.find("unreliable") == std::string::npos) continue;
    if (low.find("unreliable") != std::string::npos || low.find("not to be filtered") != std::string::npos ||
        low.find("not filtered") != std::string::npos) {
      lines.push_back(c);
    }
  }
  return Shorten(text::Join(lines, " "), 600);
}
}  // namespace

bool LooksLikeFacts(std::string_view text) {
  for (const auto& raw : text::Split(text, '\n')) {
    std::string_view l = text::Trim(raw);
    if (l.empty() || l.front() == '#') continue;
    return text::StartsWith(l, "treaty,state,event,date");
  }
  return false;
}

Result<Batch> ParseChart(std::string_view text, std::string_view origin, const Catalog& catalog,
                         const domain::Gazetteer& gazetteer, std::string_view treaty_ref) {
  if (!text::IsValidUtf8(text)) return ParseError(std::string(origin) + ": not valid UTF-8 text");
  const std::vector<std::string> comments = Comments(text);
  const domain::Treaty* treaty = nullptr;
  if (!treaty_ref.empty()) {
    auto t = catalog.Require(treaty_ref);
    if (!t) return t.status();
    treaty = *t;
  } else {
    treaty = TreatyFromComments(comments, catalog);
    if (!treaty) {
      return InvalidArgument(std::string(origin) +
                             ": cannot tell which treaty this chart is for; pass --treaty REF");
    }
  }
  auto rows = csv::Parse(text, origin);
  if (!rows) return rows.status();
  if (rows->empty()) return ParseError(std::string(origin) + ": no header row");

  Batch batch;
  batch.kind = "chart";
  batch.treaty = treaty->ref;
  const csv::Row& header = rows->front();
  const size_t ncols = std::size(kChartColumns);
  // Columns after the seventh (a chart this program wrote appends its own) are not read.
  const size_t file_cols = header.fields.size();
  if (file_cols < ncols) {
    return ParseError(Where(origin, header.line) + ": header must be " +
                      "state,coe_member,signature,ratification_or_accession,entry_into_force,"
                      "notes_flags,kind");
  }
  for (size_t i = 0; i < ncols; ++i) {
    if (text::Trim(header.fields[i]) != kChartColumns[i]) {
      return ParseError(Where(origin, header.line) + ": column " + std::to_string(i + 1) +
                        " must be '" + kChartColumns[i] + "', found '" + header.fields[i] + "'");
    }
  }
  {
    int line = 0;
    for (const auto& raw : text::Split(text, '\n')) {
      ++line;
      const std::string_view l = text::Trim(raw);
      if (l.empty()) continue;
      if (l.front() != '#') break;
      for (auto& f : CommentFigures(text::Trim(l.substr(1)), treaty->ref, origin, line)) {
        batch.figures.push_back(std::move(f));
      }
    }
  }
  // The status date counts only when the source prints it; "not printed",
  // "n/a" or "2023-11-16 or later" give no status date.
  bool status_printed = false;
  // "empty cells: not known": the rows say only what they state.
  bool empty_unknown = false;
  for (const auto& c : comments) {
    const std::string lower = text::ToLowerAscii(c);
    if (text::StartsWith(lower, "empty cells:") && lower.find("not known") != std::string::npos) {
      empty_unknown = true;
    }
    if (text::StartsWith(lower, "status as of")) {
      const bool hedged = lower.find("not printed") != std::string::npos ||
                          lower.find("not stated") != std::string::npos ||
                          lower.find("n/a") != std::string::npos ||
                          lower.find("or later") != std::string::npos ||
                          lower.find(">=") != std::string::npos ||
                          lower.find("compiled") != std::string::npos;
      if (!hedged) {
        batch.as_of = FirstIsoDate(c);
        status_printed = batch.as_of.has_value();
      }
    }
    if (text::StartsWith(lower, "cut off:")) {
      batch.complete = text::StartsWith(text::Trim(lower.substr(8)), "no");
    }
  }

  struct Parsed {
    size_t line;
    std::string state;
    std::optional<Interval> signature, consent;
    std::optional<Date> eif;
    ActionKind kind;
    bool kind_known;
    bool truncated, contracting, signatory;
    std::string quote;
    std::string url;  ///< the row's own source ("src=URL" in notes_flags)
    std::string notes;
  };
  std::vector<Parsed> parsed;
  // The latest act a row dates: a list showing it was compiled on or after
  // that day. Entries into force are left out: a list may print one that
  // lies after the day it was compiled.
  std::optional<Date> latest;
  for (size_t r = 1; r < rows->size(); ++r) {
    const csv::Row& row = (*rows)[r];
    auto err = [&](std::string_view field, const std::string& msg) {
      return InvalidArgument(Where(origin, row.line) + ": field '" + std::string(field) + "': " + msg);
    };
    if (row.fields.size() != file_cols) {
      return ParseError(Where(origin, row.line) + ": expected " + std::to_string(file_cols) +
                        " fields, found " + std::to_string(row.fields.size()));
    }
    Parsed p;
    p.line = row.line;
    const std::string name(text::Trim(row.fields[0]));
    const domain::Country* country = gazetteer.Find(name);
    if (!country) return err("state", "unknown State '" + name + "'");
    p.state = country->iso2;
    const std::string member = text::ToLowerAscii(text::Trim(row.fields[1]));
    // "n/a": membership does not apply (a regional organisation).
    if (!member.empty() && member != "yes" && member != "no" && member != "n/a") {
      return err("coe_member", "expected yes, no, n/a or empty, found '" + row.fields[1] + "'");
    }
    auto date_field = [&](size_t col, std::optional<Interval>& out, bool act) -> octopus::Status {
      if (text::Trim(row.fields[col]).empty()) return octopus::Status::Ok();
      auto iv = ParseInterval(row.fields[col]);
      if (!iv) return err(kChartColumns[col], iv.status().message());
      out = *iv;
      if (act && out->lo) latest = latest ? std::max(*latest, *out->lo) : *out->lo;
      return octopus::Status::Ok();
    };
    OCTOPUS_RETURN_IF_ERROR(date_field(2, p.signature, true));
    OCTOPUS_RETURN_IF_ERROR(date_field(3, p.consent, true));
    std::optional<Interval> eif;
    OCTOPUS_RETURN_IF_ERROR(date_field(4, eif, false));
    // A range printed in the entry-into-force column (a chart this program
    // wrote) says nothing to compare with; a single day is compared.
    if (eif && eif->exact()) p.eif = eif->lo;
    const auto kind = ConsentKind(row.fields[6]);
    if (!kind) return err("kind", "unknown kind '" + row.fields[6] + "'");
    p.kind = *kind;
    p.kind_known = !text::Trim(row.fields[6]).empty();
    const std::string flags = text::ToLowerAscii(row.fields[5]);
    if (const size_t at = row.fields[5].find("src="); at != std::string::npos) {
      const size_t from = at + 4;
      const size_t end = row.fields[5].find_first_of(" ;,\"", from);
      p.url = row.fields[5].substr(from, end == std::string::npos ? std::string::npos : end - from);
    }
    p.notes = row.fields[5];
    p.truncated = flags.find("truncated") != std::string::npos;
    p.contracting = text::StartsWith(flags, "contracting");
    p.signatory = text::StartsWith(flags, "signatory");
    p.quote = Shorten(std::string(text::Trim(row.fields[0])) + "," + row.fields[2] + "," + row.fields[3] + "," +
                      row.fields[4]);
    // Dates that contradict each other or the treaty.
    if (p.signature && p.signature->lo && *p.signature->lo < treaty->opened && p.signature->exact()) {
      return err("signature", "signature " + p.signature->ToString() + " before the treaty opened on " +
                                  treaty->opened.ToIso());
    }
    if (p.consent && p.consent->hi && *p.consent->hi < treaty->opened) {
      return err("ratification_or_accession", "consent " + p.consent->ToString() +
                                                  " before the treaty opened on " +
                                                  treaty->opened.ToIso());
    }
    if (p.consent && p.signature && p.kind != ActionKind::kAccession && p.consent->hi &&
        p.signature->lo && *p.consent->hi < *p.signature->lo) {
      return err("ratification_or_accession",
                 "ratified " + p.consent->ToString() + " before signing " + p.signature->ToString());
    }
    if (p.eif && p.consent && p.consent->lo && *p.eif < *p.consent->lo) {
      return err("entry_into_force", "entry into force " + p.eif->ToIso() + " before consent " +
                                         p.consent->ToString());
    }
    parsed.push_back(std::move(p));
  }
  // Without a printed status date the list is as of its latest dated act or
  // later: what it does not show had not happened by that act's day.
  if (!status_printed) batch.as_of = latest;
  batch.rows = static_cast<int>(parsed.size());

  const bool notification =
      std::any_of(parsed.begin(), parsed.end(), [](const Parsed& p) { return p.contracting || p.signatory; });
  if (notification) batch.kind = "notification";
  domain::Snapshot snapshot;
  snapshot.treaty = treaty->ref;
  snapshot.source = {std::string(origin), 0, "complete lists as of the chart's date"};

  const std::string flag_caveat = FlagCaveat(comments);
  for (const Parsed& p : parsed) {
    Evidence base;
    base.treaty = treaty->ref;
    base.state = p.state;
    // A row with its own source is that source's statement; the file and line
    // it was read from stay in the quote.
    base.source = p.url.empty()
                      ? domain::SourceRef{std::string(origin), static_cast<int>(p.line), p.quote}
                      : domain::SourceRef{p.url, static_cast<int>(p.line),
                                          Where(origin, p.line) + ": " + p.quote};
    auto add = [&](ActionKind kind, const Interval& iv, domain::Precision prec) {
      Evidence e = base;
      e.action = kind;
      e.lo = iv.lo;
      e.hi = iv.hi;
      e.precision = prec;
      batch.evidence.push_back(e);
    };
    auto add_not_by = [&](ActionKind kind) {
      Evidence e = base;
      e.action = kind;
      e.negative = true;
      e.lo = batch.as_of;
      batch.evidence.push_back(e);
    };
    for (auto& mark : NoteFlags(p.notes, comments)) {
      domain::StateFlag f;
      f.treaty = treaty->ref;
      f.state = p.state;
      f.flag = std::move(mark.flag);
      f.meaning = std::move(mark.meaning);
      f.caveat = flag_caveat;
      // The chart's printed date dates its flags unless the source says they
      // were not filtered by it; a row with its own source dates nothing.
      if (status_printed && p.url.empty() && flag_caveat.empty()) f.as_of = batch.as_of;
      f.source = p.url.empty() ? domain::SourceRef{std::string(origin), static_cast<int>(p.line),
                                                   Shorten(p.notes)}
                               : domain::SourceRef{p.url, static_cast<int>(p.line),
                                                   Where(origin, p.line) + ": " + Shorten(p.notes)};
      batch.flags.push_back(std::move(f));
    }
    if (p.signature) add(ActionKind::kSignature, *p.signature, PrecisionOf(*p.signature));
    if (p.consent) {
      add(p.kind, *p.consent, PrecisionOf(*p.consent));
      batch.evidence.back().kind_known = p.kind_known;
    }
    if (p.eif) {
      batch.stated_eif.push_back({treaty->ref, p.state, *p.eif, base.source});
      // Where the row dates no consent, its entry into force is the only word
      // that the State is bound: kept as that source's statement.
      if (!p.consent) add(ActionKind::kEntryIntoForce, Interval::Exact(*p.eif), domain::Precision::kDay);
    }
    if (notification) {
      if (p.contracting) snapshot.contracting.push_back(p.state);
      if (p.signatory) snapshot.signatories.push_back(p.state);
      if (p.signatory && !p.consent) add_not_by(ActionKind::kRatification);
      continue;
    }
    // A row as of a date with an empty cell: that action had not happened by
    // then. A row with its own source says only what that source states.
    if (!batch.as_of || p.truncated || !p.url.empty() || empty_unknown) continue;
    if (!p.consent) add_not_by(ActionKind::kRatification);
    if (!p.signature && !p.consent) add_not_by(ActionKind::kSignature);
    if (p.signature && !p.consent && batch.complete) {
      snapshot.signatories.push_back(p.state);
    }
    if (p.consent && batch.complete) snapshot.contracting.push_back(p.state);
  }
  if (batch.complete && batch.as_of) {
    snapshot.as_of = *batch.as_of;
    batch.snapshots.push_back(std::move(snapshot));
  }
  return batch;
}

Result<Batch> ParseFacts(std::string_view text, std::string_view origin, const Catalog& catalog,
                         const domain::Gazetteer& gazetteer) {
  if (!text::IsValidUtf8(text)) return ParseError(std::string(origin) + ": not valid UTF-8 text");
  auto rows = csv::Parse(text, origin);
  if (!rows) return rows.status();
  Batch batch;
  batch.kind = "facts";
  constexpr size_t kCols = 8;
  for (size_t r = 1; r < rows->size(); ++r) {
    const csv::Row& row = (*rows)[r];
    auto err = [&](std::string_view field, const std::string& msg) {
      return InvalidArgument(Where(origin, row.line) + ": field '" + std::string(field) + "': " + msg);
    };
    if (row.fields.size() != kCols) {
      return ParseError(Where(origin, row.line) + ": expected 8 fields, found " +
                        std::to_string(row.fields.size()));
    }
    const domain::Treaty* treaty = catalog.Resolve(row.fields[0]);
    if (!treaty) return err("treaty", "unknown treaty '" + row.fields[0] + "'");
    ++batch.rows;
    std::string state;
    if (!text::Trim(row.fields[1]).empty()) {
      const domain::Country* c = gazetteer.Find(text::Trim(row.fields[1]));
      if (!c) return err("state", "unknown State '" + row.fields[1] + "'");
      state = c->iso2;
    }
    const std::string event(text::Trim(row.fields[2]));
    Interval when;
    if (!text::Trim(row.fields[3]).empty()) {
      auto iv = ParseInterval(row.fields[3]);
      if (!iv) return err("date", iv.status().message());
      when = *iv;
    }
    const domain::SourceRef source{row.fields[6], static_cast<int>(row.line), Shorten(row.fields[5])};
    const domain::Precision precision = PrecisionOf(when);
    if (when.hi && *when.hi < treaty->opened &&
        (event == "signature" || event == "ratification" || event == "accession" ||
         event == "acceptance")) {
      return err("date", event + " " + when.ToString() + " before " + treaty->ref + " opened on " +
                             treaty->opened.ToIso());
    }
    auto add = [&](ActionKind kind, Interval iv) {
      Evidence e;
      e.treaty = treaty->ref;
      e.state = state;
      e.action = kind;
      e.lo = iv.lo;
      e.hi = iv.hi;
      e.precision = precision;
      e.source = source;
      batch.evidence.push_back(std::move(e));
    };
    const auto kind = domain::ParseActionKind(event);
    if (text::StartsWith(event, "count_")) {
      for (const auto& part : text::Split(row.fields[4], ';')) {
        const size_t eq = part.find('=');
        if (eq == std::string::npos) continue;
        const std::string measure(text::Trim(part.substr(0, eq)));
        const std::string value(text::Trim(part.substr(eq + 1)));
        if (value.empty() || value.size() > 9 || !std::all_of(value.begin(), value.end(), ::isdigit)) {
          batch.unused.push_back(Where(origin, row.line) + ": figure '" + std::string(part) +
                                 "' is not a plain count");
          continue;
        }
        domain::StatedFigure f;
        f.treaty = treaty->ref;
        f.measure = measure;
        f.count = std::stoi(value);
        if (when.exact()) f.as_of = when.lo;
        else if (when.hi) { f.as_of = when.hi; f.precision = precision; }
        f.source = source;
        batch.figures.push_back(std::move(f));
      }
    } else if (state.empty() && event == "entry_into_force") {
      batch.unused.push_back(Where(origin, row.line) + ": treaty entry into force " +
                             when.ToString() + " (compared with the rules file)");
    } else if (!state.empty() && kind) {
      add(*kind, when);
      if (*kind == ActionKind::kReservation || *kind == ActionKind::kDeclaration ||
          *kind == ActionKind::kTerritorialExtension) {
        domain::StateFlag f;
        f.treaty = treaty->ref;
        f.state = state;
        f.flag = *kind == ActionKind::kReservation ? "R" : *kind == ActionKind::kDeclaration ? "D" : "T";
        f.meaning = *kind == ActionKind::kTerritorialExtension ? "territorial application"
                                                               : std::string(domain::ActionKindName(*kind));
        if (when.exact()) f.as_of = when.lo;
        f.source = source;
        batch.flags.push_back(std::move(f));
      }
    } else if (!state.empty() && event == "ratification_announced") {
      add(ActionKind::kRatification, Interval{std::nullopt, when.hi});
    } else {
      batch.unused.push_back(Where(origin, row.line) + ": " + event +
                             (state.empty() ? "" : " (" + state + ")") + " not used by the engine");
    }
  }
  return batch;
}

std::string FlagsCell(const std::vector<domain::StateFlag>& flags) {
  std::vector<std::string> parts;
  for (const auto& f : flags) {
    std::string part = f.flag + " " + f.meaning;
    if (f.as_of) part += " as of " + f.as_of->ToIso();
    if (!f.caveat.empty()) part += " (the source calls it unreliable)";
    part += " [" + f.source.origin + (f.source.line > 0 ? ":" + std::to_string(f.source.line) : "") + "]";
    parts.push_back(std::move(part));
  }
  return text::Join(parts, " | ");
}

std::string ChartCsv(const Analysis& analysis, const domain::Gazetteer& gazetteer, Date on) {
  std::ostringstream out;
  auto quote = [](const std::string& s) { return csv::Cell(s); };

  auto upto = [&](const std::optional<Interval>& iv) -> std::string {
    if (!iv) return "";
    // As of `on`: only what is certainly or possibly done by then.
    if (iv->lo && *iv->lo > on) return "";
    Interval shown = *iv;
    if (!shown.exact() && shown.hi && *shown.hi > on) shown.hi = on;
    return shown.ToString();
  };
  out << "# chart computed by octopus for " << analysis.treaty().ref << "\n";
  out << "# status as of: not stated by a source (computed for " << on.ToIso()
      << "; each row's last_on_record is the date of its latest source)\n";
  out << "# empty cells: not known\n";
  out << "state,coe_member,signature,ratification_or_accession,entry_into_force,notes_flags,kind,"
         "last_on_record,sources,flags\n";
  std::vector<std::pair<std::string, const StateRecord*>> rows;
  for (const auto& [iso, rec] : analysis.states()) {
    const domain::Country* c = gazetteer.ByIso2(iso);
    rows.emplace_back(c ? c->name_en : iso, &rec);
  }
  std::sort(rows.begin(), rows.end(), [](auto& x, auto& y) { return x.first < y.first; });
  for (const auto& [name, rec_ptr] : rows) {
    const StateRecord& rec = *rec_ptr;
    const std::string& iso = rec.state;
    const domain::Country* c = gazetteer.ByIso2(iso);
    const std::string member = c ? (c->IsCoeMember(on) ? "yes" : "no") : "";
    const std::string consent = upto(rec.consent);
    std::string eif = upto(rec.entry_into_force);
    if (consent.empty()) eif.clear();
    const StateStatus st = analysis.StatusOf(iso, on);
    if (st.kind == StatusKind::kNotSigned && !st.or_kind) continue;
    std::vector<std::string> origins;
    for (const auto& e : rec.evidence) {
      if (std::find(origins.begin(), origins.end(), e.source.origin) == origins.end()) {
        origins.push_back(e.source.origin);
      }
    }
    out << quote(name) << ',' << member << ',' << upto(rec.signature) << ',' << consent << ','
        << eif << ',' << quote(st.text) << ','
        << (consent.empty() || !rec.consent_kind_known ? "" : KindColumn(rec.consent_kind)) << ','
        << (rec.last_on_record ? rec.last_on_record->ToIso() : "") << ',' << quote(text::Join(origins, " "))
        << ',' << quote(FlagsCell(analysis.FlagsOf(iso))) << '\n';
  }
  return out.str();
}

namespace {

// URLs in a line, without the punctuation that closes a sentence around them.
std::vector<std::string> Urls(std::string_view line) {
  std::vector<std::string> out;
  size_t pos = 0;
  while ((pos = line.find("http", pos)) != std::string_view::npos) {
    const std::string_view rest = line.substr(pos);
    if (!text::StartsWith(rest, "http://") && !text::StartsWith(rest, "https://")) {
      pos += 4;
      continue;
    }
    size_t end = pos;
    while (end < line.size() && !std::isspace(static_cast<unsigned char>(line[end]))) ++end;
    std::string url(line.substr(pos, end - pos));
    while (!url.empty() && (url.back() == '.' || url.back() == ',' || url.back() == ')' || url.back() == ';')) {
      url.pop_back();
    }
    out.push_back(std::move(url));
    pos = end;
  }
  return out;
}

// The text between the first pair of "**" in a line, or "".
std::string Bold(std::string_view line) {
  const size_t a = line.find("**");
  if (a == std::string_view::npos) return "";
  const size_t b = line.find("**", a + 2);
  if (b == std::string_view::npos) return "";
  return std::string(text::Trim(line.substr(a + 2, b - a - 2)));
}

}  // namespace

Result<std::vector<ListedConflict>> ParseConflictList(std::string_view text, std::string_view origin,
                                                      const Catalog& catalog,
                                                      const domain::Gazetteer& gazetteer) {
  if (!text::IsValidUtf8(text)) return ParseError(std::string(origin) + ": not valid UTF-8 text");
  std::vector<ListedConflict> out;
  std::vector<std::string> values;
  std::string used;
  bool in_conflict = false;  // inside a "###" section
  auto close = [&] {
    if (!in_conflict) return;
    Conflict& c = out.back().conflict;
    if (!values.empty()) c.detail += ": " + text::Join(values, " vs ");
    if (!used.empty()) c.detail += "; used: " + used;
    values.clear();
    used.clear();
  };
  size_t line_no = 0;
  for (const auto& raw : text::Split(text, '\n')) {
    ++line_no;
    const std::string_view line = text::Trim(raw);
    if (text::StartsWith(line, "## ") || text::StartsWith(line, "# ")) {
      close();
      in_conflict = false;
      continue;
    }
    if (text::StartsWith(line, "### ")) {
      close();
      std::string_view heading = text::Trim(line.substr(4));
      const size_t dot = heading.find(". ");
      if (dot != std::string_view::npos && dot > 0 &&
          std::all_of(heading.begin(), heading.begin() + static_cast<long>(dot),
                      [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)); })) {
        heading = heading.substr(dot + 2);
      }
      std::string_view subject, rest = heading, what;
      if (const size_t comma = heading.rfind(", "); comma != std::string_view::npos) {
        subject = heading.substr(0, comma);
        rest = heading.substr(comma + 2);
      }
      if (const size_t colon = rest.find(':'); colon != std::string_view::npos) {
        what = text::Trim(rest.substr(colon + 1));
        rest = rest.substr(0, colon);
      }
      const domain::Treaty* t = catalog.Resolve(text::Trim(rest));
      if (!t) t = catalog.Resolve(heading);
      if (!t) {
        return InvalidArgument(Where(origin, line_no) + ": unknown treaty in heading '" +
                               std::string(heading) + "'");
      }
      ListedConflict lc;
      lc.treaty = t->ref;
      const domain::Country* state = subject.empty() ? nullptr : gazetteer.Find(subject);
      lc.conflict.state = state ? state->iso2 : "";
      lc.conflict.what = what.empty() ? "record" : std::string(what);
      lc.conflict.detail = state || subject.empty() ? "" : std::string(subject) + ", ";
      lc.conflict.detail += "sources disagree (" + std::string(origin) + ":" + std::to_string(line_no) + ")";
      out.push_back(std::move(lc));
      in_conflict = true;
      continue;
    }
    if (!in_conflict) continue;
    Conflict& c = out.back().conflict;
    // A bullet gives a value; it and the lines that continue it give URLs.
    if (text::StartsWith(line, "- ")) {
      const std::string bold = Bold(line);
      if (text::StartsWith(bold, "Used")) {
        used = std::string(text::Trim(line.substr(line.find("**", line.find("**") + 2) + 2)));
      } else if (!bold.empty()) {
        values.push_back(bold);
      }
    }
    for (auto& url : Urls(line)) c.sources.push_back({url, 0, Shorten(line)});
  }
  close();
  return out;
}

std::vector<EifDifference> CompareEntryIntoForce(
    const Analysis& analysis, const std::vector<domain::StatedEntryIntoForce>& stated) {
  std::vector<EifDifference> out;
  for (const auto& s : stated) {
    if (s.treaty != analysis.treaty().ref) continue;
    auto it = analysis.states().find(s.state);
    std::string computed;
    if (it != analysis.states().end() && it->second.entry_into_force) {
      computed = it->second.entry_into_force->ToString();
    }
    if (computed != s.date.ToIso()) {
      out.push_back({s.state, s.date.ToIso(), computed.empty() ? "unknown" : computed, s.source});
    }
  }
  return out;
}

}  // namespace octopus::treaty
