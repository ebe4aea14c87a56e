#include "service/knowledge.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <utility>

#include "core/csv.h"
#include "service/registry.h"

namespace octopus::service {

namespace {

// Part of every stamp: a change to the resolution rules or to the stored
// shape of entities bumps it, so that every database is rebuilt on its next
// open.
constexpr std::string_view kRulesVersion = "kb-3";

// What the stored knowledge is built from: the stored documents (their
// number, the last id and the greatest content hash: a document added or
// replaced changes one of them), the number of published edits (it only
// grows) and the rules.
Result<std::string> DocumentsStamp(store::Store& store) {
  auto sources = store.Sources();
  if (!sources) return sources.status();
  size_t count = 0;
  int64_t last_id = 0;
  std::string max_sha;
  for (const store::SourceInfo& s : *sources) {
    if (s.kind != "document") continue;
    ++count;
    last_id = std::max(last_id, s.id);
    max_sha = std::max(max_sha, s.sha256);
  }
  auto edits = store.PublishedEditCount();
  if (!edits) return edits.status();
  auto restrictions = store.LastRestrictionId();
  if (!restrictions) return restrictions.status();
  return std::string(kRulesVersion) + " documents=" + std::to_string(count) +
         " last=" + std::to_string(last_id) + " sha=" + max_sha + " edits=" + std::to_string(*edits) +
         " restrictions=" + std::to_string(*restrictions);
}

// The published change sets as the knowledge base reads them: values of its
// kinds only (a country profile's text is a profile revision).
Result<std::vector<kb::EditInput>> LoadEdits(store::Store& store) {
  auto published = store.PublishedEdits();
  if (!published) return published.status();
  std::vector<kb::EditInput> out;
  for (const store::ChangeSet& set : *published) {
    kb::EditInput in;
    in.id = set.id;
    in.author = set.author;
    in.published_at = set.reviewed_at;
    in.note = set.note;
    for (const store::EditValue& v : set.values) {
      if (auto kind = kb::KindFromName(v.kind)) in.values.push_back({*kind, v.entity_id, v.field, v.value});
    }
    if (!in.values.empty()) out.push_back(std::move(in));
  }
  return out;
}

Result<std::vector<kb::DocumentInput>> LoadDocuments(store::Store& store) {
  auto docs = store.Documents();
  if (!docs) return docs.status();
  auto records = store.Records("");
  if (!records) return records.status();
  std::map<int64_t, size_t> index;
  std::vector<kb::DocumentInput> out;
  out.reserve(docs->size());
  for (store::DocumentRow& d : *docs) {
    kb::DocumentInput in;
    in.id = d.id;
    in.sha256 = std::move(d.sha256);
    in.label = !d.source_url.empty() ? std::move(d.source_url) : std::move(d.path);
    in.date = d.date.value_or("");
    in.period_start = d.period_start.value_or("");
    in.period_end = d.period_end.value_or("");
    index.emplace(in.id, out.size());
    out.push_back(std::move(in));
  }
  // Records come in document and line order.
  for (store::RecordRow& r : *records) {
    auto it = index.find(r.document_id);
    if (it == index.end()) continue;
    out[it->second].records.push_back({r.id, std::move(r.kind), r.line, std::move(r.fields_json)});
  }
  return out;
}

}  // namespace

Result<std::unique_ptr<Knowledge>> Knowledge::Open(store::Store& store, const std::string& data_dir) {
  const std::filesystem::path dir(data_dir);
  const std::string projects_path = (dir / "projects.csv").string();
  const std::string organisations_path = (dir / "organisations.csv").string();
  auto projects = ReadFile(projects_path);
  if (!projects) return projects.status();
  auto organisations = ReadFile(organisations_path);
  if (!organisations) return organisations.status();
  auto directory = kb::Directory::Parse(*projects, *organisations);
  if (!directory) return directory.status();
  return std::make_unique<Knowledge>(Key{}, store, std::move(*directory));
}

Result<std::shared_ptr<const kb::KnowledgeBase>> Knowledge::Current(kb::Visibility visibility) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto stamp = DocumentsStamp(store_);
  if (!stamp) return stamp.status();
  if (!current_ || *stamp != current_stamp_) {
    auto stored = store_.KnowledgeStamp();
    if (!stored) return stored.status();
    if (*stored != *stamp) OCTOPUS_RETURN_IF_ERROR(RebuildLocked(*stamp));
    auto loaded = store_.Knowledge();
    if (!loaded) return loaded.status();
    loaded->visibility = kb::Visibility::kRestricted;
    current_ = std::make_shared<const kb::KnowledgeBase>(std::move(*loaded));
    public_ = std::make_shared<const kb::KnowledgeBase>(kb::PublicView(*current_));
    current_stamp_ = std::move(*stamp);
  }
  return visibility == kb::Visibility::kRestricted ? current_ : public_;
}

Status Knowledge::Rebuild() {
  std::lock_guard<std::mutex> lock(mutex_);
  auto stamp = DocumentsStamp(store_);
  if (!stamp) return stamp.status();
  OCTOPUS_RETURN_IF_ERROR(RebuildLocked(*stamp));
  // The next Current() loads what was stored, claim ids included.
  current_.reset();
  public_.reset();
  current_stamp_.clear();
  return Status::Ok();
}

Status Knowledge::RebuildLocked(const std::string& stamp) {
  auto documents = LoadDocuments(store_);
  if (!documents) return documents.status();
  auto edits = LoadEdits(store_);
  if (!edits) return edits.status();
  auto restrictions = store_.Restrictions();
  if (!restrictions) return restrictions.status();
  std::vector<int64_t> restricted_documents;
  std::vector<std::string> restricted_entities;
  for (const store::Restriction& r : *restrictions) {
    if (r.subject == "entity") {
      restricted_entities.push_back(r.ref);
    } else if (r.subject == "document") {
      restricted_documents.push_back(std::stoll(r.ref));  // checked by SetRestricted
    }
  }
  kb::KnowledgeBase built = kb::Build(*documents, directory_, *edits);
  kb::ApplyRestrictions(built, restricted_documents, restricted_entities);
  return store_.PutKnowledge(built, stamp);
}

Result<EditPolicy> EditPolicy::Parse(std::string_view text) {
  auto rows = csv::Parse(text, "editing.csv");
  if (!rows) return rows.status();
  EditPolicy policy;
  for (const csv::Row& row : *rows) {
    const std::string where = "editing.csv:" + std::to_string(row.line) + ": ";
    if (row.fields.size() != 2) return InvalidArgument(where + "a row is kind,publication");
    if (row.fields[0] == "kind" && row.fields[1] == "publication") continue;
    if (row.fields[0].empty()) return InvalidArgument(where + "kind is empty");
    if (row.fields[1] == "direct") {
      policy.direct_.insert(row.fields[0]);
    } else if (row.fields[1] != "review") {
      return InvalidArgument(where + "publication '" + row.fields[1] + "' is neither review nor direct");
    }
  }
  return policy;
}

Result<EditPolicy> EditPolicy::Load(const std::string& data_dir) {
  const std::filesystem::path path = std::filesystem::path(data_dir) / "editing.csv";
  if (!std::filesystem::exists(path)) return EditPolicy{};
  auto text = ReadFile(path.string());
  if (!text) return text.status();
  return Parse(*text);
}

Result<store::ChangeSet> SubmitEdit(store::Store& store, const EditPolicy& policy,
                                    const store::ChangeSet& draft, const std::string& origin) {
  const bool direct = !draft.values.empty() &&
                      std::all_of(draft.values.begin(), draft.values.end(), [&](const store::EditValue& v) {
                        return policy.PublishesDirectly(v.kind);
                      });
  return store.AddDraft(draft, direct, origin);
}

Result<store::ChangeSet> ReviewEdit(store::Store& store, int64_t id, bool approve,
                                    const std::string& reviewer, const std::string& origin) {
  auto set = store.ChangeSetById(id);
  if (!set) return set.status();
  if (set->author == reviewer) {
    return InvalidArgument("an edit is reviewed by someone other than its author");
  }
  return approve ? store.Approve(id, reviewer, origin) : store.Reject(id, reviewer, origin);
}

}  // namespace octopus::service
