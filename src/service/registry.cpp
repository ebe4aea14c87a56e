#include "service/registry.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "domain/treaty_json.h"
#include "service/treaty_views.h"
#include "ingest/sha256.h"

namespace octopus::service {

namespace fs = std::filesystem;

Result<std::string> ReadFile(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return IoError(path + ": is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string FindDataDir() {
  if (const char* env = std::getenv("OCTOPUS_DATA_DIR"); env && *env) return env;
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    for (fs::path dir = exe.parent_path(); !dir.empty() && dir != dir.root_path();
         dir = dir.parent_path()) {
      if (fs::exists(dir / "data" / "treaties.json")) return (dir / "data").string();
      if (fs::exists(dir / "share" / "octopus" / "treaties.json")) {
        return (dir / "share" / "octopus").string();
      }
    }
  }
#ifdef OCTOPUS_SOURCE_DATA_DIR
  return OCTOPUS_SOURCE_DATA_DIR;
#else
  return "data";
#endif
}

Result<std::unique_ptr<Registry>> Registry::Open(store::Store& store, const std::string& data_dir) {
  auto gazetteer = domain::Gazetteer::LoadFile((fs::path(data_dir) / "countries.csv").string());
  if (!gazetteer) return gazetteer.status();
  std::unique_ptr<Registry> r(new Registry(store, std::move(*gazetteer)));
  OCTOPUS_RETURN_IF_ERROR(r->SyncReferenceData(data_dir));
  return r;
}

Status Registry::SyncReferenceData(const std::string& data_dir) {
  const fs::path rules = fs::path(data_dir) / "treaties.json";
  auto text = ReadFile(rules.string());
  if (!text) return text.status();
  const std::string sha = ingest::Sha256Hex(*text);
  auto seen = store_.HasSource(sha);
  if (!seen) return seen.status();
  if (!*seen) {
    auto catalog = treaty::Catalog::FromJson(*text, rules.string());
    if (!catalog) return catalog.status();
    store::SourceInfo src;
    src.kind = "rules";
    src.origin = "data/treaties.json";
    src.sha256 = sha;
    src.title = "Treaty rules shipped with Octopus";
    OCTOPUS_RETURN_IF_ERROR(store_.PutTreaties(src, catalog->all()));
  }
  auto treaties = store_.Treaties();
  if (!treaties) return treaties.status();
  catalog_ = treaty::Catalog(std::move(*treaties));

  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(fs::path(data_dir) / "treaties", ec)) {
    if (e.path().extension() == ".csv") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<fs::path> lists;
  for (const auto& e : fs::directory_iterator(fs::path(data_dir) / "treaties", ec)) {
    const std::string name = e.path().filename().string();
    if (e.path().extension() == ".md" && name.find("conflicts") != std::string::npos) lists.push_back(e.path());
  }
  std::sort(lists.begin(), lists.end());
  listed_conflicts_.clear();
  for (const auto& f : lists) {
    auto content = ReadFile(f.string());
    if (!content) return content.status();
    auto parsed = treaty::ParseConflictList(*content, "data/treaties/" + f.filename().string(), catalog_,
                                            gazetteer_);
    if (!parsed) return parsed.status();
    for (auto& c : *parsed) listed_conflicts_.push_back(std::move(c));
  }
  for (const auto& f : files) {
    auto content = ReadFile(f.string());
    if (!content) return content.status();
    auto stored = store_.HasSource(ingest::Sha256Hex(*content));
    if (!stored) return stored.status();
    if (*stored) continue;
    // Shipped files are recorded by their path relative to the data directory.
    auto r = ImportText(*content, "data/treaties/" + f.filename().string());
    if (!r) return r.status();
  }
  return Status::Ok();
}

Result<ImportSummary> Registry::ImportFile(const std::string& path, const std::string& treaty_ref) {
  auto text = ReadFile(path);
  if (!text) return text.status();
  return ImportText(*text, path, treaty_ref);
}

Result<ImportSummary> Registry::ImportText(const std::string& text, const std::string& origin,
                                           const std::string& treaty_ref) {
  const bool facts = treaty::LooksLikeFacts(text);
  auto batch = facts ? treaty::ParseFacts(text, origin, catalog_, gazetteer_)
                     : treaty::ParseChart(text, origin, catalog_, gazetteer_, treaty_ref);
  if (!batch) return batch.status();
  ImportSummary s;
  s.origin = origin;
  s.kind = batch->kind;
  s.treaty = batch->treaty;
  s.rows = batch->rows;
  s.evidence = batch->evidence.size();
  s.figures = batch->figures.size();
  s.as_of = batch->as_of;
  s.complete = batch->complete;
  s.unused = batch->unused;
  store::SourceInfo src;
  src.kind = batch->kind;
  src.origin = origin;
  src.sha256 = ingest::Sha256Hex(text);
  src.as_of = batch->as_of;
  src.complete = batch->complete;
  auto stored = store_.AddBatch(src, *batch);
  if (!stored) return stored.status();
  s.stored = *stored;
  if (!batch->treaty.empty() && !batch->stated_eif.empty()) {
    auto analysis = Analyse(batch->treaty);
    if (!analysis) return analysis.status();
    s.differences = treaty::CompareEntryIntoForce(*analysis, batch->stated_eif);
  }
  return s;
}

Result<store::RegistryData> Registry::Data(const std::string& ref) {
  auto t = catalog_.Require(ref);
  if (!t) return t.status();
  return store_.Registry((*t)->ref);
}

Result<treaty::Analysis> Registry::Analyse(const std::string& ref) {
  auto t = catalog_.Require(ref);
  if (!t) return t.status();
  auto data = store_.Registry((*t)->ref);
  if (!data) return data.status();
  treaty::Analysis a(**t, data->evidence, data->snapshots, gazetteer_);
  std::vector<treaty::Conflict> more;
  for (const auto& c : listed_conflicts_) {
    if (c.treaty == (*t)->ref) more.push_back(c.conflict);
  }
  for (const auto& check : CheckFigures(a, data->figures)) {
    if (check.verdict != "disagrees") continue;
    const auto& f = check.figure;
    more.push_back({"", "stated figure",
                    std::to_string(f.count) + " " + f.measure + " stated" +
                        (f.as_of ? " as of " + f.as_of->ToIso() : std::string()) + "; the record gives " +
                        check.engine_value,
                    {f.source}});
  }
  a.AddConflicts(std::move(more));
  a.AddFlags(data->flags);
  return a;
}

}  // namespace octopus::service
