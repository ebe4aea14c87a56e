#include "ingest/document.h"

#include <algorithm>
#include <functional>
#include <map>
#include <ostream>
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

namespace {

json DocumentJson(const DocumentInfo& d) {
  json period = nullptr;
  if (d.period_start || d.period_end) {
    period = json::object(
        {{"start", OptionalString(d.period_start)}, {"end", OptionalString(d.period_end)}});
  }
  return json::object({{"path", d.path},
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
                       {"recognisers", d.recognisers},
                       {"original", d.original_publisher || d.original_date
                                        ? json::object({{"publisher", OptionalString(d.original_publisher)},
                                                        {"date", OptionalString(d.original_date)}})
                                        : json(nullptr)}});
}

json RecordJson(const Record& r) {
  json record = json::object();
  if (r.fields.is_object()) {
    for (const auto& [key, value] : r.fields.items()) record[key] = value;
  } else if (!r.fields.is_null()) {
    record["fields"] = r.fields;
  }
  // Set last: the record's own kind and line win over a field of the same name.
  record["kind"] = r.kind;
  record["line"] = r.line;
  return record;
}

json NotUnderstoodJson(const NotUnderstood& n) { return json::object({{"line", n.line}, {"text", n.text}}); }

json DisagreementJson(const Disagreement& g) {
  return json::object({{"what", g.what},
                       {"document_value", g.document_value},
                       {"registry_value", g.registry_value},
                       {"line", g.line}});
}

template <typename T, typename F>
json ArrayOf(const std::vector<T>& items, F to_json) {
  json out = json::array();
  for (const T& item : items) out.push_back(to_json(item));
  return out;
}

// An array written item by item: only one item's JSON exists at a time.
template <typename T, typename F>
void WriteArray(std::ostream& o, const std::vector<T>& items, F to_json) {
  o << '[';
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) o << ',';
    o << to_json(items[i]).dump();
  }
  o << ']';
}

// A string as json::dump writes it. A string of printable ASCII without a quote or a backslash is
// written as it is between quotes (dump escapes nothing in it); any other goes through dump.
void WriteString(std::ostream& o, std::string_view s) {
  const bool plain = std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7F && c != '"' && c != '\\'; });
  if (plain) {
    o.put('"');
    o.write(s.data(), static_cast<std::streamsize>(s.size()));
    o.put('"');
  } else {
    o << json(std::string(s));
  }
}

// `v` as v.dump() writes it, without building its text first: objects and arrays are walked here
// (an object's keys in its own order, which is dump's), strings as WriteString, the other values
// by json's own writer.
void WriteValue(std::ostream& o, const json& v) {
  if (v.is_object()) {
    o.put('{');
    bool first = true;
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (!first) o.put(',');
      first = false;
      WriteString(o, it.key());
      o.put(':');
      WriteValue(o, it.value());
    }
    o.put('}');
  } else if (v.is_array()) {
    o.put('[');
    bool first = true;
    for (const json& item : v) {
      if (!first) o.put(',');
      first = false;
      WriteValue(o, item);
    }
    o.put(']');
  } else if (v.is_string()) {
    WriteString(o, v.get_ref<const std::string&>());
  } else {
    o << v;
  }
}

// RecordJson(r).dump() written without copying the record's fields: its keys in order, with
// "kind" and "line" in their places (they win over fields of the same names).
void WriteRecord(std::ostream& o, const Record& r) {
  if (!r.fields.is_object()) {
    WriteValue(o, RecordJson(r));
    return;
  }
  o.put('{');
  bool first = true;
  bool kind_done = false, line_done = false;
  auto comma = [&] {
    if (!first) o.put(',');
    first = false;
  };
  // Writes "kind" and "line" when they come before `next` (every key when `next` is null).
  auto own = [&](const std::string* next) {
    if (!kind_done && (!next || std::string_view("kind") < *next)) {
      comma();
      o << "\"kind\":";
      WriteString(o, r.kind);
      kind_done = true;
    }
    if (!line_done && (!next || std::string_view("line") < *next)) {
      comma();
      o << "\"line\":" << r.line;
      line_done = true;
    }
  };
  for (auto it = r.fields.begin(); it != r.fields.end(); ++it) {
    const std::string& key = it.key();
    if (key == "kind" || key == "line") continue;
    own(&key);
    comma();
    WriteString(o, key);
    o.put(':');
    WriteValue(o, it.value());
  }
  own(nullptr);
  o.put('}');
}

}  // namespace

json ToJson(const Extraction& e) {
  return json::object({{"document", DocumentJson(e.document)},
                       {"records", ArrayOf(e.records, RecordJson)},
                       {"not_understood", ArrayOf(e.not_understood, NotUnderstoodJson)},
                       {"disagreements", ArrayOf(e.disagreements, DisagreementJson)}});
}

void WriteJson(std::ostream& o, const Extraction& e, const json& extra) {
  // The keys in the order json::dump writes an object's keys (sorted), the report's own parts
  // winning over an extra key of the same name, as in ToJson(e) merged into `extra`.
  std::map<std::string, std::function<void()>> parts;
  if (extra.is_object()) {
    for (auto it = extra.begin(); it != extra.end(); ++it) {
      const json* value = &it.value();
      parts[it.key()] = [&o, value] { o << value->dump(); };
    }
  }
  parts["document"] = [&] { o << DocumentJson(e.document).dump(); };
  parts["records"] = [&] {
    o << '[';
    for (size_t i = 0; i < e.records.size(); ++i) {
      if (i > 0) o << ',';
      WriteRecord(o, e.records[i]);
    }
    o << ']';
  };
  parts["not_understood"] = [&] { WriteArray(o, e.not_understood, NotUnderstoodJson); };
  parts["disagreements"] = [&] { WriteArray(o, e.disagreements, DisagreementJson); };
  o << '{';
  bool first = true;
  for (const auto& [key, write] : parts) {
    if (!first) o << ',';
    first = false;
    o << json(key).dump() << ':';
    write();
  }
  o << '}';
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
