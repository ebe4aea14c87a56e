#include "service/ingest.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include "core/text.h"
#include "domain/date.h"
#include "ingest/extract.h"
#include "ingest/reader.h"
#include "ingest/sha256.h"
#include "service/treaty_views.h"

namespace octopus::service {

using nlohmann::json;

namespace {

std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// "2011-05-25" → that day; "2010-03" → the month; "2018" → the year.
std::optional<treaty::Interval> DateField(const json& j, const char* key) {
  const std::string s = Str(j, key);
  if (s.empty()) return std::nullopt;
  auto iv = treaty::ParseInterval(s);
  if (!iv || (!iv->lo && !iv->hi)) return std::nullopt;
  return *iv;
}

std::optional<domain::ActionKind> ActionOf(const std::string& a) {
  if (a == "signature") return domain::ActionKind::kSignature;
  if (a == "ratification") return domain::ActionKind::kRatification;
  if (a == "accession") return domain::ActionKind::kAccession;
  if (a == "acceptance") return domain::ActionKind::kAcceptance;
  if (a == "approval") return domain::ActionKind::kApproval;
  if (a == "invitation") return domain::ActionKind::kInvitation;
  if (a == "denunciation") return domain::ActionKind::kDenunciation;
  if (a == "entry_into_force") return domain::ActionKind::kEntryIntoForce;
  return std::nullopt;
}

std::string Shorten(const std::string& s) {
  if (s.size() <= 160) return s;
  return std::string(text::TruncateUtf8(s, 160)) + "…";
}

bool IsHostByte(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

// Printable ASCII that may stand in a URL as written (RFC 3986 characters and '%').
bool IsUrlByte(char c) {
  return c > ' ' && c < 0x7F && std::string_view("\"<>\\^`{|}").find(c) == std::string_view::npos;
}

Status CheckSourceUrl(std::string_view url) {
  auto bad = [&](const std::string& why) {
    return InvalidArgument("--source-url '" + std::string(text::TruncateUtf8(url, 200)) + "' " + why);
  };
  const std::string lower = text::ToLowerAscii(url.substr(0, 8));
  size_t i = 0;
  if (text::StartsWith(lower, "https://")) {
    i = 8;
  } else if (text::StartsWith(lower, "http://")) {
    i = 7;
  } else {
    return bad("is not an http or https URL");
  }
  if (!std::all_of(url.begin(), url.end(), IsUrlByte)) return bad("holds a space or a character a URL cannot hold");
  const size_t host_end = std::min(url.find_first_of("/?#", i), url.size());
  std::string_view authority = url.substr(i, host_end - i);
  if (authority.find('@') != std::string_view::npos) return bad("carries user information");
  std::string_view host = authority;
  if (const size_t colon = authority.rfind(':'); colon != std::string_view::npos && !authority.starts_with('[')) {
    const std::string_view port = authority.substr(colon + 1);
    if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return bad("has a malformed port");
    }
    host = authority.substr(0, colon);
  }
  const bool ipv6 = host.size() > 2 && host.front() == '[' && host.back() == ']';
  if (host.empty() || (!ipv6 && (!std::all_of(host.begin(), host.end(), IsHostByte) || host.front() == '.' ||
                                 host.front() == '-' || host.find("..") != std::string_view::npos))) {
    return bad("has no valid host");
  }
  return Status::Ok();
}

}  // namespace

Status CheckIngestOptions(const IngestOptions& opts) {
  if (opts.date) {
    if (auto d = domain::Date::Parse(*opts.date); !d) {
      return InvalidArgument("--date: " + d.status().message());
    }
  }
  if (!opts.source_url.empty()) OCTOPUS_RETURN_IF_ERROR(CheckSourceUrl(opts.source_url));
  return Status::Ok();
}

domain::TreatyBatch TreatyBatchOf(const ingest::Extraction& e, const treaty::Catalog& catalog) {
  domain::TreatyBatch batch;
  batch.kind = "document";
  for (const auto& r : e.records) {
    const json& f = r.fields;
    const domain::SourceRef src{e.document.path, r.line, Shorten(f.dump())};
    const domain::Treaty* t = catalog.Resolve(Str(f, "treaty"));
    if (!t) continue;
    if (r.kind == "treaty_action") {
      const std::string state = Str(f, "state");
      // The registry's code; a record stored before the code had a field of its own carries it as `action`.
      const auto action = ActionOf(f.contains("action_code") ? Str(f, "action_code") : Str(f, "action"));
      if (state.empty() || !action) continue;
      auto add = [&](domain::ActionKind kind, const treaty::Interval& iv) {
        domain::Evidence ev;
        ev.treaty = t->ref;
        ev.state = state;
        ev.action = kind;
        ev.lo = iv.lo;
        ev.hi = iv.hi;
        ev.precision = iv.exact() ? domain::Precision::kDay : domain::Precision::kMonth;
        ev.source = src;
        batch.evidence.push_back(std::move(ev));
      };
      if (*action == domain::ActionKind::kEntryIntoForce) {
        // Stated alone ("… entered into force in respect of X on …"): a statement to compare.
        if (auto when = DateField(f, "date"); when && when->exact()) {
          batch.stated_eif.push_back({t->ref, state, *when->lo, src});
        }
        continue;
      }
      if (auto when = DateField(f, "date")) {
        add(*action, *when);
      } else {
        // An action stated without its date happened by the item's date, if it has one.
        const auto reported = DateField(f, "reported");
        add(*action, treaty::Interval{std::nullopt, reported ? reported->hi : std::nullopt});
      }
      // A stated entry into force is kept as a statement to compare with the
      // computed date (like a chart's printed column), never as evidence that
      // would bend the deposit dates it is checked against.
      if (auto eif = DateField(f, "entry_into_force"); eif && eif->exact()) {
        batch.stated_eif.push_back({t->ref, state, *eif->lo, src});
      }
    } else if (r.kind == "treaty_figure") {
      auto count = f.find("count");
      if (count == f.end() || !count->is_number_integer()) continue;
      domain::StatedFigure fig;
      fig.treaty = t->ref;
      fig.measure = Str(f, "measure");
      fig.count = count->get<int>();
      if (auto when = DateField(f, "as_of")) {
        fig.as_of = when->hi;
        if (!when->exact()) fig.precision = domain::Precision::kMonth;
      }
      fig.source = src;
      batch.figures.push_back(std::move(fig));
    }
  }
  return batch;
}

Result<IngestOutcome> Ingestor::IngestFile(const std::string& path, const IngestOptions& opts) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return IoError("cannot read " + path + ": " + ec.message());
  if (size > opts.max_bytes) {
    return InvalidArgument(path + ": file too large (" + std::to_string(size) + " bytes, limit " +
                           std::to_string(opts.max_bytes) + ")");
  }
  auto bytes = ReadFile(path);
  if (!bytes) return bytes.status();
  return IngestBytes(*bytes, path, opts);
}

Result<IngestOutcome> Ingestor::IngestBytes(std::string_view bytes, const std::string& path,
                                            const IngestOptions& opts) {
  OCTOPUS_RETURN_IF_ERROR(CheckIngestOptions(opts));
  ingest::ReadOptions ro;
  ro.max_bytes = opts.max_bytes;
  auto doc = ingest::ReadDocument(bytes, ro);
  if (!doc) return Status(doc.status().code(), path + ": " + doc.status().message());
  if (opts.date) {
    doc->date = *opts.date;
    doc->date_basis = "--date";
  }
  doc->source_url = opts.source_url;
  IngestOutcome out;
  out.extraction = ingest::Extract(*doc, {registry_.gazetteer(), registry_.catalog()});
  ingest::DocumentInfo& info = out.extraction.document;
  info.path = path;
  info.sha256 = ingest::Sha256Hex(bytes);
  info.format = ingest::FormatName(doc->format);
  info.truncated = info.truncated || doc->truncated;
  info.warnings = doc->warnings;
  info.source_url = doc->source_url;
  // The caller's date overrides; otherwise a date the extractors read from the text (a
  // dateline) stands, and the reader's (HTML metadata) fills in when they found none.
  if (opts.date || (!info.date && doc->date)) {
    info.date = doc->date;
    info.date_basis = doc->date_basis;
  }

  // Check what the document states against the registry plus the document
  // itself: a consistency check, never an overwrite.
  const domain::TreatyBatch batch = TreatyBatchOf(out.extraction, registry_.catalog());
  std::map<std::string, std::unique_ptr<treaty::Analysis>> analyses;
  auto analysis_for = [&](const std::string& ref) -> Result<treaty::Analysis*> {
    auto it = analyses.find(ref);
    if (it != analyses.end()) return it->second.get();
    auto data = registry_.store().Registry(ref);
    if (!data) return data.status();
    auto t = registry_.catalog().Require(ref);
    if (!t) return t.status();
    std::vector<domain::Evidence> ev = data->evidence;
    // The document's own entry-into-force statements are what is checked, so
    // the check computes without them (they would otherwise bend the consent
    // dates they are checked against).
    for (const auto& e : batch.evidence) {
      if (e.action != domain::ActionKind::kEntryIntoForce) ev.push_back(e);
    }
    auto a = std::make_unique<treaty::Analysis>(**t, ev, data->snapshots, registry_.gazetteer());
    treaty::Analysis* raw = a.get();
    analyses.emplace(ref, std::move(a));
    return raw;
  };
  for (const auto& e : batch.evidence) {
    if (auto a = analysis_for(e.treaty); !a) return a.status();  // its conflicts are read below
  }
  for (const auto& s : batch.stated_eif) {
    auto a = analysis_for(s.treaty);
    if (!a) return a.status();
    const auto& states = (*a)->states();
    auto it = states.find(s.state);
    const std::optional<treaty::Interval> computed =
        it == states.end() ? std::nullopt : it->second.entry_into_force;
    const std::string reg = computed ? computed->ToString() : "unknown";
    if (reg != s.date.ToIso()) {
      out.extraction.disagreements.push_back(
          {s.state + " " + s.treaty + " entry into force", s.date.ToIso(), reg, s.source.line});
    }
  }
  for (const auto& c : [&] {
         std::vector<treaty::Conflict> all;
         for (auto& [ref, a] : analyses) {
           for (const auto& c : a->conflicts()) {
             for (const auto& s : c.sources) {
               if (s.origin == path) {
                 all.push_back(c);
                 break;
               }
             }
           }
         }
         return all;
       }()) {
    int line = 0;
    for (const auto& s : c.sources) {
      if (s.origin == path) line = s.line;
    }
    out.extraction.disagreements.push_back({c.state + " " + c.what, c.detail, "registry", line});
  }
  for (const auto& f : batch.figures) {
    if (!f.as_of) continue;
    auto a = analysis_for(f.treaty);
    if (!a) return a.status();
    for (const auto& check : CheckFigures(**a, {f})) {
      if (check.verdict == "disagrees") {
        out.extraction.disagreements.push_back({f.treaty + " " + f.measure + " on " + f.as_of->ToIso(),
                                                f.count, check.engine_value, f.source.line});
      }
    }
  }

  auto seen = registry_.store().HasSource(info.sha256);
  if (!seen) return seen.status();
  out.duplicate = *seen;
  if (opts.dry_run || out.duplicate) return out;

  store::SourceInfo src;
  src.kind = "document";
  src.origin = path;
  src.sha256 = info.sha256;
  src.title = info.shape;
  store::DocumentRow row;
  row.path = path;
  row.format = info.format;
  row.shape = info.shape;
  row.period_start = info.period_start;
  row.period_end = info.period_end;
  row.truncated = info.truncated;
  row.date = info.date;
  row.date_basis = info.date_basis;
  row.source_url = info.source_url;
  row.restricted = opts.restricted;
  row.report_json = ingest::ToJson(out.extraction).dump();
  std::vector<store::RecordRow> records;
  records.reserve(out.extraction.records.size());
  for (const auto& r : out.extraction.records) {
    records.push_back({0, 0, r.kind, r.line, r.fields.dump()});
  }
  auto stored = registry_.store().AddDocument(src, row, records, batch);
  if (!stored) return stored.status();
  out.stored = *stored;
  out.duplicate = !*stored;
  return out;
}

}  // namespace octopus::service
