#include "ingest/document.h"

#include <map>
#include <utility>

namespace octopus::ingest {

using nlohmann::json;

namespace {

json OptionalString(const std::optional<std::string>& s) { return s ? json(*s) : json(nullptr); }

// A JSON value as a person reads it: strings without quotes, null as "unknown".
std::string Show(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "unknown";
  return v.dump();
}

}  // namespace

const char* FormatName(Format f) {
  switch (f) {
    case Format::kText:
      return "text";
    case Format::kHtml:
      return "html";
    case Format::kPdf:
      return "pdf";
  }
  return "unknown";
}

json ToJson(const Extraction& e) {
  const DocumentInfo& d = e.document;
  json period = nullptr;
  if (d.period_start || d.period_end) {
    period = json::object(
        {{"start", OptionalString(d.period_start)}, {"end", OptionalString(d.period_end)}});
  }
  json document = json::object({{"path", d.path},
                                {"sha256", d.sha256},
                                {"format", d.format},
                                {"shape", d.shape},
                                {"title", d.title.empty() ? json(nullptr) : json(d.title)},
                                {"warnings", d.warnings},
                                {"period", std::move(period)},
                                {"truncated", d.truncated},
                                {"date", OptionalString(d.date)},
                                {"date_basis", d.date_basis.empty() ? json(nullptr) : json(d.date_basis)},
                                {"source_url", d.source_url.empty() ? json(nullptr) : json(d.source_url)},
                                {"recognisers", d.recognisers}});

  json records = json::array();
  for (const Record& r : e.records) {
    json record = json::object();
    if (r.fields.is_object()) {
      for (const auto& [key, value] : r.fields.items()) record[key] = value;
    } else if (!r.fields.is_null()) {
      record["fields"] = r.fields;
    }
    // Set last: the record's own kind and line win over a field of the same name.
    record["kind"] = r.kind;
    record["line"] = r.line;
    records.push_back(std::move(record));
  }

  json not_understood = json::array();
  for (const NotUnderstood& n : e.not_understood) {
    not_understood.push_back(json::object({{"line", n.line}, {"text", n.text}}));
  }

  json disagreements = json::array();
  for (const Disagreement& g : e.disagreements) {
    disagreements.push_back(json::object({{"what", g.what},
                                          {"document_value", g.document_value},
                                          {"registry_value", g.registry_value},
                                          {"line", g.line}}));
  }

  return json::object({{"document", std::move(document)},
                       {"records", std::move(records)},
                       {"not_understood", std::move(not_understood)},
                       {"disagreements", std::move(disagreements)}});
}

std::string ToText(const Extraction& e) {
  const DocumentInfo& d = e.document;
  std::string out = (d.path.empty() ? std::string("(document)") : d.path) + ": " +
                    (d.format.empty() ? "unknown format" : d.format) + ", " +
                    (d.shape.empty() ? "unknown" : d.shape);
  if (d.period_start || d.period_end) {
    out += ", period " + d.period_start.value_or("?") + " to " + d.period_end.value_or("?");
  }
  if (d.truncated) out += ", truncated";
  out += "\n";
  for (const std::string& w : d.warnings) out += "warning: " + w + "\n";

  std::map<std::string, int> per_kind;
  for (const Record& r : e.records) ++per_kind[r.kind];
  out += "records:";
  if (per_kind.empty()) out += " none";
  bool first = true;
  for (const auto& [kind, count] : per_kind) {
    out += (first ? " " : ", ") + std::to_string(count) + " " + kind;
    first = false;
  }
  out += "\n";

  if (!e.not_understood.empty()) {
    out += "not understood:\n";
    for (const NotUnderstood& n : e.not_understood) {
      out += "  L" + std::to_string(n.line) + ": " + n.text + "\n";
    }
  }
  if (!e.disagreements.empty()) {
    out += "disagreements:\n";
    for (const Disagreement& g : e.disagreements) {
      out += "  L" + std::to_string(g.line) + ": " + g.what + ": document says " +
             Show(g.document_value) + ", registry says " + Show(g.registry_value) + "\n";
    }
  }
  return out;
}

}  // namespace octopus::ingest
