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
  if (header.fields.size() != ncols) {
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
  for (const auto& c : comments) {
    const std::string lower = text::ToLowerAscii(c);
    if (text::StartsWith(lower, "status as of")) batch.as_of = FirstIsoDate(c);
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
  };
  std::vector<Parsed> parsed;
  std::optional<Date> latest;
  for (size_t r = 1; r < rows->size(); ++r) {
    const csv::Row& row = (*rows)[r];
    auto err = [&](std::string_view field, const std::string& msg) {
      return InvalidArgument(Where(origin, row.line) + ": field '" + std::string(field) + "': " + msg);
    };
    if (row.fields.size() != ncols) {
      return ParseError(Where(origin, row.line) + ": expected " + std::to_string(ncols) +
                        " fields, found " + std::to_string(row.fields.size()));
    }
    Parsed p;
    p.line = row.line;
    const std::string name(text::Trim(row.fields[0]));
    const domain::Country* country = gazetteer.Find(name);
    if (!country) return err("state", "unknown State '" + name + "'");
    p.state = country->iso2;
    const std::string member = text::ToLowerAscii(text::Trim(row.fields[1]));
    if (!member.empty() && member != "yes" && member != "no") {
      return err("coe_member", "expected yes, no or empty, found '" + row.fields[1] + "'");
    }
    auto date_field = [&](size_t col, std::optional<Interval>& out) -> octopus::Status {
      if (text::Trim(row.fields[col]).empty()) return octopus::Status::Ok();
      auto iv = ParseInterval(row.fields[col]);
      if (!iv) return err(kChartColumns[col], iv.status().message());
      out = *iv;
      if (out->hi) latest = latest ? std::max(*latest, *out->hi) : *out->hi;
      return octopus::Status::Ok();
    };
    OCTOPUS_RETURN_IF_ERROR(date_field(2, p.signature));
    OCTOPUS_RETURN_IF_ERROR(date_field(3, p.consent));
    std::optional<Interval> eif;
    OCTOPUS_RETURN_IF_ERROR(date_field(4, eif));
    // A range printed in the entry-into-force column (a chart this program
    // wrote) says nothing to compare with; a single day is compared.
    if (eif && eif->exact()) p.eif = eif->lo;
    const auto kind = ConsentKind(row.fields[6]);
    if (!kind) return err("kind", "unknown kind '" + row.fields[6] + "'");
    p.kind = *kind;
    p.kind_known = !text::Trim(row.fields[6]).empty();
    const std::string flags = text::ToLowerAscii(row.fields[5]);
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
  if (!batch.as_of) batch.as_of = latest;
  batch.rows = static_cast<int>(parsed.size());

  const bool notification =
      std::any_of(parsed.begin(), parsed.end(), [](const Parsed& p) { return p.contracting || p.signatory; });
  if (notification) batch.kind = "notification";
  domain::Snapshot snapshot;
  snapshot.treaty = treaty->ref;
  snapshot.source = {std::string(origin), 0, "complete lists as of the chart's date"};

  for (const Parsed& p : parsed) {
    Evidence base;
    base.treaty = treaty->ref;
    base.state = p.state;
    base.source = {std::string(origin), static_cast<int>(p.line), p.quote};
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
    if (p.signature) add(ActionKind::kSignature, *p.signature, PrecisionOf(*p.signature));
    if (p.consent) {
      add(p.kind, *p.consent, PrecisionOf(*p.consent));
      batch.evidence.back().kind_known = p.kind_known;
    }
    if (p.eif) {
      batch.stated_eif.push_back({treaty->ref, p.state, *p.eif, base.source});
    }
    if (notification) {
      if (p.contracting) snapshot.contracting.push_back(p.state);
      if (p.signatory) snapshot.signatories.push_back(p.state);
      if (p.signatory && !p.consent) add_not_by(ActionKind::kRatification);
      continue;
    }
    // A row as of a date with an empty cell: that action had not happened by then.
    if (!batch.as_of || p.truncated) continue;
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
    } else if (!state.empty() && event == "ratification_announced") {
      add(ActionKind::kRatification, Interval{std::nullopt, when.hi});
    } else {
      batch.unused.push_back(Where(origin, row.line) + ": " + event +
                             (state.empty() ? "" : " (" + state + ")") + " not used by the engine");
    }
  }
  return batch;
}

std::string ChartCsv(const Analysis& analysis, const domain::Gazetteer& gazetteer, Date on) {
  std::ostringstream out;
  auto quote = [](const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) {
      if (c == '"') q += '"';
      q += c;
    }
    return q + "\"";
  };
  auto upto = [&](const std::optional<Interval>& iv) -> std::string {
    if (!iv) return "";
    // As of `on`: only what is certainly or possibly done by then.
    if (iv->lo && *iv->lo > on) return "";
    Interval shown = *iv;
    if (!shown.exact() && shown.hi && *shown.hi > on) shown.hi = on;
    return shown.ToString();
  };
  out << "# chart computed by octopus for " << analysis.treaty().ref << "\n";
  out << "# status as of: " << on.ToIso() << "\n";
  out << "state,coe_member,signature,ratification_or_accession,entry_into_force,notes_flags,kind\n";
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
    out << quote(name) << ',' << member << ',' << upto(rec.signature) << ',' << consent << ','
        << eif << ',' << quote(st.text) << ',' << (consent.empty() || !rec.consent_kind_known ? "" : KindColumn(rec.consent_kind))
        << '\n';
  }
  return out.str();
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
