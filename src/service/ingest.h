#pragma once
/// Ingesting documents: read (text, HTML, PDF) → extract records → check
/// them against the treaty registry → store the document, its records and the
/// treaty evidence they carry in one transaction (or nothing).

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "ingest/document.h"
#include "service/registry.h"

namespace octopus::service {

struct IngestOptions {
  bool dry_run = false;       ///< extract and check, store nothing
  size_t max_bytes = 64 << 20;  ///< larger files are refused
  /// The document's date as the caller states it ("YYYY-MM-DD"): it overrides the date the
  /// document gives itself, with the basis "--date".
  std::optional<std::string> date;
  /// Where the document was published (an http or https URL), stored as its citable source.
  std::string source_url;
  /// Stored restricted (practitioners and above only), in the transaction that stores it.
  bool restricted = false;
};

/// InvalidArgument with one clear line when `opts.date` is not a real YYYY-MM-DD date or
/// `opts.source_url` is not an http(s) URL with a host; Ok otherwise. IngestBytes checks too.
Status CheckIngestOptions(const IngestOptions& opts);

struct IngestOutcome {
  ingest::Extraction extraction;
  bool stored = false;   ///< false on a dry run or when the same content was stored before
  bool duplicate = false;  ///< the same bytes were ingested before
};

class Ingestor {
 public:
  explicit Ingestor(Registry& registry) : registry_(registry) {}

  /// Reads and ingests one file. Errors (unreadable, empty, binary, too large,
  /// not a readable PDF) name the path; nothing is stored then.
  Result<IngestOutcome> IngestFile(const std::string& path, const IngestOptions& opts = {});
  Result<IngestOutcome> IngestBytes(std::string_view bytes, const std::string& path,
                                    const IngestOptions& opts = {});

 private:
  Registry& registry_;
};

/// The treaty evidence and figures an extraction's treaty_action and
/// treaty_figure records state, each with its source line.
domain::TreatyBatch TreatyBatchOf(const ingest::Extraction& e, const treaty::Catalog& catalog);

}  // namespace octopus::service
