#pragma once
/// The shapes shared by the ingest readers and extractors.
///
/// Flow: bytes ──reader──► TextDocument (lines) ──extractor──► Extraction
/// (records + lines not understood). The app layer adds disagreements with
/// the treaty registry and stores the result in one transaction.

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace octopus::ingest {

enum class Format { kText, kHtml, kPdf };
const char* FormatName(Format f);  ///< "text", "html", "pdf"

/// A document as lines of UTF-8 text, whatever format it came in.
/// Line numbers in reports are 1-based indexes into `lines`; for plain text
/// they are the file's own lines.
struct TextDocument {
  Format format = Format::kText;
  std::vector<std::string> lines;
  bool truncated = false;  ///< the reader saw the input end mid-structure (cut-off PDF/HTML)
  std::vector<std::string> warnings;  ///< reader-level notes (repaired encoding, …)
  /// The document's own date when something outside its text states it: HTML
  /// metadata (article:published_time, <time datetime>, <meta name="date">) or
  /// the caller (`ingest --date`). ISO at the precision given ("2024-06-20",
  /// "2024-06"); nullopt when unknown. Extractors resolve year-less dates from it.
  std::optional<std::string> date;
  std::string date_basis;  ///< where `date` comes from: "html metadata", "--date", …
  std::string source_url;  ///< where the document came from (`ingest --source-url`), "" when unknown
};

/// One extracted record. `kind` is one of news_item, activity, project,
/// treaty_action, treaty_figure, link; `fields` holds the kind's fields with
/// the names documented in docs/ingest-report.md (ISO dates, null when the
/// source does not say).
struct Record {
  std::string kind;
  int line = 0;  ///< first source line
  nlohmann::json fields = nlohmann::json::object();
};

struct NotUnderstood {
  int line = 0;
  std::string text;
};

struct Disagreement {
  std::string what;
  nlohmann::json document_value;
  nlohmann::json registry_value;
  int line = 0;
};

struct DocumentInfo {
  std::string path;
  std::string sha256;
  std::string format;  ///< text | html | pdf
  std::string shape;   ///< news_page | quarterly_update | unknown
  std::optional<std::string> period_start;  ///< ISO date; quarterly update's period
  std::optional<std::string> period_end;
  bool truncated = false;
  std::string title;  ///< the document's own heading, when it has one
  std::vector<std::string> warnings;  ///< the reader's notes (invalid UTF-8 replaced, a page without text, …)
  std::optional<std::string> date;  ///< the document's own date (ISO, partial allowed)
  std::string date_basis;           ///< "dateline", "html metadata", "--date", …
  std::string source_url;           ///< the citable source, "" when unknown
  std::vector<std::string> recognisers;  ///< the layout recognisers that matched
  /// A republication: who first published the text and when, as the text says.
  std::optional<std::string> original_publisher, original_date;
};

struct Extraction {
  DocumentInfo document;
  std::vector<Record> records;
  std::vector<NotUnderstood> not_understood;
  std::vector<Disagreement> disagreements;
};

/// The stable report shape: {"document": {...}, "records": [...],
/// "not_understood": [...], "disagreements": [...]}.
nlohmann::json ToJson(const Extraction& e);
/// Writes the same text as `extra` (an object) updated with ToJson(e), dumped, without building
/// the report's JSON whole: records are turned into JSON one at a time, so a report of many
/// records costs no second copy of them.
void WriteJson(std::ostream& o, const Extraction& e, const nlohmann::json& extra = nlohmann::json::object());
/// A human summary: counts per kind, then every line not understood and every disagreement.
std::string ToText(const Extraction& e);

}  // namespace octopus::ingest
