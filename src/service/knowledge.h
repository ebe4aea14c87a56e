#pragma once
/// The knowledge base as a service: built from every stored document, kept in
/// the store (entities and their claims), and handed to readers as an
/// immutable snapshot. The CLI, the site and the quarterly update read
/// entities through it; none of them merges records.

#include <memory>
#include <mutex>
#include <string>

#include "core/result.h"
#include "kb/knowledge.h"
#include "store/store.h"

namespace octopus::service {

class Knowledge {
 public:
  /// Reads data/projects.csv and data/organisations.csv under `data_dir`;
  /// InvalidArgument naming the file and line of a bad row.
  static Result<std::unique_ptr<Knowledge>> Open(store::Store& store, const std::string& data_dir);

  /// The knowledge base as stored, loaded once and again only when the store
  /// has changed since (a new document, a rebuild). When the stored entities
  /// are older than the stored documents (a database from before entities, or
  /// an interrupted rebuild), rebuilds them first. Safe to call from several
  /// threads; the snapshot returned never changes.
  Result<std::shared_ptr<const kb::KnowledgeBase>> Current();

  /// Builds the knowledge base from every stored document and replaces the
  /// stored entities and claims with it in one transaction. Ingest calls it
  /// after storing documents.
  Status Rebuild();

  const kb::Directory& directory() const { return directory_; }

 private:
  class Key {
    Key() = default;
    friend class Knowledge;
  };

 public:
  /// For Open only (the key is private).
  Knowledge(Key, store::Store& store, kb::Directory directory)
      : store_(store), directory_(std::move(directory)) {}

 private:
  /// Rebuild with the mutex held, storing `stamp` with the entities.
  Status RebuildLocked(const std::string& stamp);

  store::Store& store_;
  kb::Directory directory_;
  std::mutex mutex_;
  std::shared_ptr<const kb::KnowledgeBase> current_;
  std::string current_stamp_;
};

}  // namespace octopus::service
