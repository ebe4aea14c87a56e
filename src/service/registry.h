#pragma once
/// The treaty registry as a service: reference data kept in the store, chart
/// and facts imports, and the engine's analysis of what the store holds.
/// Used by the CLI, the web server and the quarterly update alike.

#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "domain/country.h"
#include "store/store.h"
#include "treaty/catalog.h"
#include "treaty/chart.h"
#include "treaty/engine.h"

namespace octopus::service {

/// Where the shipped reference data lives: $OCTOPUS_DATA_DIR, else data/
/// beside or above the executable, else the source tree's data/.
std::string FindDataDir();

/// What an import did.
struct ImportSummary {
  std::string origin;
  std::string kind;    ///< chart, notification, facts
  std::string treaty;  ///< "" for facts
  bool stored = false;  ///< false: the same content was imported before
  int rows = 0;
  size_t evidence = 0;
  size_t figures = 0;
  std::optional<domain::Date> as_of;
  bool complete = false;
  std::vector<treaty::EifDifference> differences;  ///< printed vs computed entry into force
  std::vector<std::string> unused;
};

class Registry {
 public:
  /// Opens the registry over a store; loads the gazetteer from `data_dir`
  /// and brings the store's reference data up to date with `data_dir`
  /// (rules, shipped charts and facts — each file once, by content hash).
  static Result<std::unique_ptr<Registry>> Open(store::Store& store, const std::string& data_dir);

  const domain::Gazetteer& gazetteer() const { return gazetteer_; }
  const treaty::Catalog& catalog() const { return catalog_; }
  store::Store& store() { return store_; }

  /// Imports a chart or facts file (the shape is recognised from its header).
  /// Nothing is stored when any row is bad.
  Result<ImportSummary> ImportFile(const std::string& path, const std::string& treaty_ref = "");
  /// Same, from text already read.
  Result<ImportSummary> ImportText(const std::string& text, const std::string& origin,
                                   const std::string& treaty_ref = "");

  /// The engine's analysis of one treaty over everything the store holds. Its
  /// conflicts include those the shipped conflict lists give and every stated
  /// figure the named record contradicts.
  Result<treaty::Analysis> Analyse(const std::string& ref);
  /// Printed entry-into-force dates (charts) and stated figures for a treaty.
  Result<store::RegistryData> Data(const std::string& ref);

 private:
  Registry(store::Store& store, domain::Gazetteer g) : store_(store), gazetteer_(std::move(g)) {}
  Status SyncReferenceData(const std::string& data_dir);

  store::Store& store_;
  domain::Gazetteer gazetteer_;
  treaty::Catalog catalog_;
  std::vector<treaty::ListedConflict> listed_conflicts_;  ///< from the shipped *_conflicts.md
};

/// Reads a whole file; IoError naming the path.
Result<std::string> ReadFile(const std::string& path);

}  // namespace octopus::service
