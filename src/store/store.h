#pragma once
/// The Store: everything Octopus keeps, behind one interface. The SQLite
/// implementation is the embedded default; nothing here is SQLite-specific.
/// Every record keeps its source. Writes of one file or document happen in one
/// transaction: all of it is stored or nothing.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "domain/treaty.h"
#include "store/driver.h"

namespace octopus::store {

/// A file or document the store has read.
struct SourceInfo {
  int64_t id = 0;  ///< set by the store
  std::string kind;    ///< rules, chart, notification, facts, document
  std::string origin;  ///< path or URL as given
  std::string sha256;
  std::string title;
  std::optional<domain::Date> as_of;
  bool complete = false;
  std::string imported_at;  ///< set by the store (UTC, ISO 8601)
};

/// All the registry holds for the engine.
struct RegistryData {
  std::vector<domain::Evidence> evidence;
  std::vector<domain::Snapshot> snapshots;
  std::vector<domain::StatedEntryIntoForce> stated_eif;
  std::vector<domain::StatedFigure> figures;
};

/// An ingested document with its extraction report and records (JSON text).
struct DocumentRow {
  int64_t id = 0;
  std::string path, format, shape;
  std::optional<std::string> period_start, period_end;
  bool truncated = false;
  std::string report_json;
};

struct RecordRow {
  int64_t id = 0;
  int64_t document_id = 0;
  std::string kind;
  int line = 0;
  std::string fields_json;
};

/// A subscriber to the quarterly update.
struct Subscriber {
  int64_t id = 0;
  std::string email;
  std::string token;   ///< the secret the confirmation and unsubscribe links carry
  std::string status;  ///< "pending", "confirmed", "unsubscribed"
  std::string created_at;  ///< UTC, ISO 8601; set by the store
  std::optional<std::string> confirmed_at, unsubscribed_at;
};

class Store {
 public:
  virtual ~Store() = default;

  /// Applies the migrations not yet applied; returns the schema version.
  virtual Result<int> Migrate() = 0;
  /// True when a source with this content hash is stored already.
  virtual Result<bool> HasSource(const std::string& sha256) = 0;
  virtual Result<std::vector<SourceInfo>> Sources() = 0;

  /// Replaces the treaty rules (from data/treaties.json) in one transaction.
  virtual Status PutTreaties(const SourceInfo& source, const std::vector<domain::Treaty>& treaties) = 0;
  virtual Result<std::vector<domain::Treaty>> Treaties() = 0;

  /// Stores a batch and its source in one transaction. Returns false (and
  /// stores nothing) when the same content was stored before.
  virtual Result<bool> AddBatch(const SourceInfo& source, const domain::TreatyBatch& batch) = 0;
  /// The registry for one treaty (all treaties when `treaty` is empty).
  virtual Result<RegistryData> Registry(const std::string& treaty) = 0;

  /// Stores a document, its records and the treaty evidence derived from them
  /// in one transaction. Returns false when the same content was stored before.
  virtual Result<bool> AddDocument(const SourceInfo& source, const DocumentRow& doc,
                                   const std::vector<RecordRow>& records,
                                   const domain::TreatyBatch& derived) = 0;
  virtual Result<std::vector<DocumentRow>> Documents() = 0;
  /// Records of one kind ("" for all), in document and line order.
  virtual Result<std::vector<RecordRow>> Records(const std::string& kind) = 0;

  /// Adds `email` as a pending subscriber holding `token`. An address already
  /// on the list keeps its row: a pending or unsubscribed one becomes pending
  /// again with the new token; a confirmed one is returned unchanged.
  virtual Result<Subscriber> AddSubscriber(const std::string& email, const std::string& token) = 0;
  /// Moves the subscriber holding `token` to "confirmed" or "unsubscribed"
  /// (recording when). NotFound when no subscriber holds the token.
  virtual Result<Subscriber> SetSubscriberStatus(const std::string& token,
                                                 const std::string& status) = 0;
  /// Subscribers with this status ("" for all), in order of subscription.
  virtual Result<std::vector<Subscriber>> Subscribers(const std::string& status) = 0;

  virtual std::string_view backend() const = 0;
};

/// The store for a --db value: a file path → SQLite (created if missing),
/// "postgresql://…" → PostgreSQL (when built with it).
Result<std::unique_ptr<Store>> OpenStore(const std::string& db);

/// A Store over any Connection (the repository layer, written once).
std::unique_ptr<Store> MakeSqlStore(std::unique_ptr<Connection> conn);

}  // namespace octopus::store
