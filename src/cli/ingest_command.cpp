#include <unistd.h>

#include <filesystem>
#include <memory>
#include <ostream>

#include "cli/commands.h"
#include "service/ingest.h"
#include "service/knowledge.h"
#include "store/store.h"

namespace octopus::cli {

namespace {

// A one-line progress bar on stderr, drawn only when stderr is a terminal.
class Progress {
 public:
  explicit Progress(size_t total) : total_(total), enabled_(total > 1 && isatty(STDERR_FILENO)) {}
  ~Progress() {
    if (enabled_) std::fprintf(stderr, "\r\033[K");
  }
  void Step(size_t done, const std::string& what) {
    if (!enabled_) return;
    constexpr int kWidth = 30;
    const int filled = static_cast<int>(kWidth * done / total_);
    std::string bar(static_cast<size_t>(filled), '#');
    bar.resize(kWidth, ' ');
    std::fprintf(stderr, "\r\033[K[%s] %zu/%zu %s", bar.c_str(), done, total_,
                 std::filesystem::path(what).filename().c_str());
    std::fflush(stderr);
  }

 private:
  size_t total_;
  bool enabled_;
};

}  // namespace

void RegisterIngestCommand(CLI::App& app, Options& opts, std::vector<Command>& out) {
  CLI::App* sub = app.add_subcommand(
      "ingest", "read documents (text, HTML, PDF: news pages, quarterly updates) into the store");
  auto files = std::make_shared<std::vector<std::string>>();
  auto dry_run = std::make_shared<bool>(false);
  auto report = std::make_shared<std::string>("text");
  auto date = std::make_shared<std::string>();
  auto source_url = std::make_shared<std::string>();
  auto restricted = std::make_shared<bool>(false);
  sub->add_option("FILE", *files, "documents to ingest")->required();
  sub->add_flag("--dry-run", *dry_run, "extract and check, store nothing");
  sub->add_option("--report", *report, "text|json (json: one object per document per line)")
      ->capture_default_str();
  sub->add_option("--date", *date,
                  "the documents' date (YYYY-MM-DD), overriding the date they give themselves");
  sub->add_option("--source-url", *source_url,
                  "the http(s) URL the documents were published at, kept as their citable source");
  sub->add_flag("--restricted", *restricted,
                "store the documents restricted (practitioners and above only) from the start");
  out.push_back({sub, [&opts, files, dry_run, report, date, source_url, restricted](std::ostream& o) -> Status {
    if (*report != "text" && *report != "json") {
      return InvalidArgument("--report must be text|json, not '" + *report + "'");
    }
    service::IngestOptions io;
    io.dry_run = *dry_run;
    if (!date->empty()) io.date = *date;
    io.source_url = *source_url;
    io.restricted = *restricted;
    OCTOPUS_RETURN_IF_ERROR(service::CheckIngestOptions(io));
    auto session = OpenSession(opts);
    if (!session) return session.status();
    service::Ingestor ingestor(*session->registry);
    Progress progress(files->size());
    Status first_error;
    size_t failed = 0;
    bool stored_any = false;
    for (size_t i = 0; i < files->size(); ++i) {
      const std::string& path = (*files)[i];
      progress.Step(i, path);
      auto r = ingestor.IngestFile(path, io);
      if (!r) {
        // Report and go on with the other files; the exit status tells.
        std::fprintf(stderr, "octopus: error: %s\n", r.status().message().c_str());
        if (failed++ == 0) first_error = r.status();
        continue;
      }
      stored_any = stored_any || r->stored;
      if (*report == "json") {
        ingest::WriteJson(o, r->extraction, {{"stored", r->stored}, {"duplicate", r->duplicate}});
        o << "\n";
      } else {
        o << ingest::ToText(r->extraction);
        o << (r->stored ? (io.restricted ? "stored, restricted\n" : "stored\n")
              : r->duplicate
                  ? (io.restricted ? "already ingested (same content): nothing changed, and not "
                                     "restricted by this command (see `octopus restrict document`)\n"
                                   : "already ingested (same content): nothing changed\n")
                  : "dry run: nothing stored\n");
      }
    }
    progress.Step(files->size(), "");
    // The entities follow the documents: once for the whole command.
    if (stored_any) {
      auto knowledge = service::Knowledge::Open(*session->store, service::FindDataDir());
      if (!knowledge) return knowledge.status();
      OCTOPUS_RETURN_IF_ERROR((*knowledge)->Rebuild());
    }
    if (failed > 0) {
      return Status(first_error.code(), std::to_string(failed) + " of " +
                                            std::to_string(files->size()) +
                                            " documents not ingested (see above)");
    }
    return Status::Ok();
  }});
}

}  // namespace octopus::cli
