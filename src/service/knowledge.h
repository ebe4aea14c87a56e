#pragma once
/// The knowledge base as a service: built from every stored document, kept in
/// the store (entities and their claims), and handed to readers as an
/// immutable snapshot. The CLI, the site and the quarterly update read
/// entities through it; none of them merges records.

#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

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
  /// has changed since (a new document, a published edit, a rebuild). When the stored entities
  /// are older than the stored documents (a database from before entities, or
  /// an interrupted rebuild), rebuilds them first. Safe to call from several
  /// threads; the snapshot returned never changes.
  ///
  /// `visibility` is who reads it: kPublic (readers, the newsletter, feeds
  /// and exports served to anyone) gets kb::PublicView, without restricted
  /// entities and claims; kRestricted (practitioners and above) everything.
  /// The snapshot carries it (KnowledgeBase::visibility), and searches over
  /// it ask the store for the same (search::EntitySearcher).
  Result<std::shared_ptr<const kb::KnowledgeBase>> Current(kb::Visibility visibility);

  /// Builds the knowledge base from every stored document and every
  /// published edit (store::Store::PublishedEdits) and replaces the
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
  std::shared_ptr<const kb::KnowledgeBase> public_;  ///< kb::PublicView(*current_)
  std::string current_stamp_;
};

/// Which kinds of edit publish without review: data/editing.csv, rows
/// `kind,publication` with publication "review" or "direct" (a header row
/// `kind,publication` first). A kind it does not list needs review.
class EditPolicy {
 public:
  /// InvalidArgument naming the line of a bad row.
  static Result<EditPolicy> Parse(std::string_view csv);
  /// Reads `data_dir`/editing.csv; a missing file: every kind needs review.
  static Result<EditPolicy> Load(const std::string& data_dir);
  bool PublishesDirectly(std::string_view kind) const { return direct_.count(std::string(kind)) > 0; }

 private:
  std::set<std::string> direct_;
};

/// Stores an editor's change set: published at once when every value's kind
/// publishes directly under `policy`, else a draft for review. Errors as
/// store::Store::AddDraft.
Result<store::ChangeSet> SubmitEdit(store::Store& store, const EditPolicy& policy,
                                    const store::ChangeSet& draft, const std::string& origin);

/// Publishes (`approve`) or rejects a draft. InvalidArgument when the reviewer
/// is its author, checked here before the store (which refuses it too);
/// NotFound and Conflict as the store says.
Result<store::ChangeSet> ReviewEdit(store::Store& store, int64_t id, bool approve,
                                    const std::string& reviewer, const std::string& origin);

}  // namespace octopus::service
