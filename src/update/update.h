#pragma once
/// The quarterly Cybercrime@CoE Update, composed from the knowledge base.
///
/// BuildIssue reads the entities of the knowledge base (projects, activities,
/// news items, organisations, contributions: each thing once, whatever number
/// of sources speak of it), the treaty actions and figures the registry's
/// store holds, and asks the treaty engine for the figures as of the quarter's
/// last day; the result is an `UpdateIssue`, a plain structure with one member
/// per section of the issue. The renderers turn it into HTML (for mail
/// clients: inline styles, no scripts, all text
/// escaped), Markdown, plain text, JSON or PDF (HTML rendered by weasyprint).
/// Sections with nothing to show are left out, headings and all; only the
/// inventory of activities stays, to say that none is recorded: a quarter
/// without activities is a short, valid issue, not an error.

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <chrono>
#include <thread>
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "domain/date.h"
#include "kb/knowledge.h"
#include "service/registry.h"
#include "treaty/engine.h"

namespace octopus::update {

/// A calendar quarter: 2023Q3 is 1 July – 30 September 2023.
struct Quarter {
  int year = 0;
  int number = 0;  ///< 1..4

  /// "2023Q3", "2023-Q3", "2023q3". InvalidArgument naming the text otherwise.
  static Result<Quarter> Parse(std::string_view text);
  /// The quarter holding `d`.
  static Quarter Of(domain::Date d);
  domain::Date first() const;
  domain::Date last() const;
  Quarter Next() const;
  /// "2023Q3".
  std::string ToString() const;
  /// "July – September 2023".
  std::string Label() const;
  friend bool operator==(const Quarter&, const Quarter&) = default;
};

enum class Format { kHtml, kMarkdown, kText, kPdf, kJson };

/// "html", "md" (or "markdown"), "text", "pdf", "json".
Result<Format> ParseFormat(std::string_view name);
/// The MIME type of a format ("text/html; charset=utf-8", "application/pdf", …).
std::string_view ContentType(Format f);

/// What a URL's last segment asks for: "2023Q3" (HTML), "2023Q3.html", ".md",
/// ".txt", ".pdf", ".json" (for /updates/{issue}). InvalidArgument otherwise.
struct IssueRequest {
  Quarter quarter;
  Format format = Format::kHtml;
};
Result<IssueRequest> ParseIssuePath(std::string_view segment);

/// What editors may change.
class PdfCache;

struct ComposeOptions {
  /// Format::kPdf: rendered through this cache (nullptr: always rendered).
  PdfCache* pdf_cache = nullptr;
  /// The highlights, one line each, in order. Empty: the quarter's treaty
  /// actions and its largest events.
  std::vector<std::string> highlights;
  /// A one-click unsubscribe link for the footer ("" for none).
  std::string unsubscribe_url;
};

/// One activity as the issue lists it.
struct ActivityEntry {
  std::string id;   ///< the activity's entity id
  std::string url;  ///< its page: "/activities/{id}"
  std::string title;
  /// Each project's name as the latest source wrote it ("GLACY+", "Octopus
  /// Project"); a name no project entity has, as the source gave it.
  std::vector<std::string> projects;
  std::vector<std::string> places;     ///< as recorded
  std::vector<std::string> countries;  ///< English names
  /// The places, then the countries no place names already: "Bucharest, Romania".
  std::string where;
  std::string mode;  ///< "in person", "online", "hybrid", or "" when unknown
  std::string when;  ///< the date as the source wrote it, else formatted ("3-5 July", "by October")
  std::optional<domain::Date> start;  ///< earliest day it may start
  std::optional<domain::Date> end;    ///< latest day it may end
  /// "postponed" or "cancelled" when the latest sources say so, else "".
  std::string status;
};

/// Activities of one month ("July 2023"), or of no known month ("Date to be confirmed").
struct MonthGroup {
  std::string label;
  int year = 0;  ///< 0 for the undated group
  int month = 0;
  std::vector<ActivityEntry> activities;
};

/// A news item told in the issue.
struct Story {
  std::string id;   ///< the news item's entity id
  std::string url;  ///< its page: "/news/{id}"
  std::string title;
  std::string dateline;  ///< "Strasbourg, France, 10 August"
  std::string body;
  std::vector<std::string> projects;
  std::vector<std::string> treaties;
  std::optional<domain::Date> date;
};

/// A donor's contribution to a project, dated in the quarter.
struct ContributionEntry {
  std::string donor;  ///< the donor's name
  std::optional<double> amount;
  std::string currency;
  std::string text;  ///< "United States: USD 508,371.23 (18 September 2023)"
  std::optional<domain::Date> date;
};

/// A capacity-building project: its basics, and in a project section its
/// stories, contributions and activities of the quarter.
struct ProjectEntry {
  std::string id;   ///< the project's entity id ("" for a joint initiative no entity has)
  std::string url;  ///< its page: "/projects/{id}"
  std::string name;  ///< as the latest source wrote it, else its acronym, else its name
  std::string duration;  ///< "January 2021 – December 2027", "" when unknown
  std::string scope;
  std::optional<double> budget_amount;
  std::string budget_currency;
  /// "EUR 10 million", "" when unknown; same-day sources that disagree are
  /// shown side by side ("EUR 5.33 million or EUR 5.5 million (sources differ)").
  std::string budget;
  std::vector<std::string> funders;
  std::string funding;  ///< how the source describes the funding, else the funders listed
  std::vector<std::string> countries;  ///< English names
  std::vector<Story> stories;
  std::vector<ContributionEntry> contributions;
  std::vector<ActivityEntry> activities;
};

/// A figure a source stated, beside the engine's count for the same measure.
struct StatedFigureNote {
  std::string measure;  ///< as recorded: "parties", "signatories_and_invited", "broadly_in_line"
  std::string label;    ///< for readers: "Signatories and States invited to accede"
  int count = 0;
  bool at_least = false;     ///< "45+"
  std::string as_of;         ///< ISO, possibly reduced ("2023-09")
  std::string engine_value;  ///< "68", "67-68", or "" when the engine does not count it
};

/// A treaty's figures as of the quarter's last day, computed by the engine.
struct TreatyFigures {
  std::string ref;   ///< "ETS 185"
  std::string name;  ///< "Budapest Convention"
  std::string title;
  domain::Date opened;
  domain::Date as_of;
  treaty::Range parties;         ///< consents deposited
  /// The best-supported count of Parties with its basis ("68 — stated by …
  /// on 30 September 2023; 44 named on record"): service::HeadlineCount over
  /// the registry's stated figures and the quarter's.
  std::string headline;
  std::string headline_sentence;
  std::string headline_basis;
  treaty::Range signatories;     ///< signed, not yet parties
  treaty::Range invited;         ///< invited to accede, invitation valid
  std::optional<int> observers;  ///< stated by a source, latest on or before as_of
  std::string observers_as_of;
  std::optional<int> observer_organisations;
  std::vector<StatedFigureNote> stated;  ///< figures sources stated for the quarter
};

struct Highlight {
  std::string kind;  ///< "treaty_action", "event", "editor"
  std::string text;
};

struct SaveTheDate {
  std::string when;   ///< "13-15 December 2023"
  std::string place;  ///< "Bucharest, Romania"
  std::string title;
  std::optional<domain::Date> start;
};

struct TotalsRow {
  std::string label;
  std::string value;
};

/// Every section of one issue. Empty vectors are sections the renderers omit.
struct UpdateIssue {
  Quarter quarter;
  Quarter next;
  std::string title = "Cybercrime@CoE Update";
  std::string period;       ///< "July – September 2023"
  std::string next_period;  ///< "October – December 2023"
  domain::Date as_of;       ///< the quarter's last day
  std::vector<Highlight> highlights;
  std::vector<SaveTheDate> save_the_date;
  std::vector<TreatyFigures> treaties;
  std::vector<Story> treaty_news;  ///< news about treaties, outside any project
  std::vector<Story> joint_news;   ///< news of several projects together
  ProjectEntry joint;  ///< the joint initiative's basics (name "" when no source gives them)
  std::vector<ProjectEntry> projects;  ///< one section per project active in the quarter
  std::vector<Story> other_news;
  std::vector<MonthGroup> inventory;            ///< the quarter's activities by month
  std::vector<MonthGroup> coming_next;          ///< the next quarter's, fuzzy dates as written
  std::vector<ProjectEntry> project_inventory;  ///< projects running in the quarter (basics only)
  std::vector<TotalsRow> treaty_totals;
  std::vector<TotalsRow> activity_totals;
  std::string unsubscribe_url;

  /// Number of activities in the quarter's inventory.
  size_t ActivityCount() const;
};

/// Section titles, shared by the renderers and their readers.
std::string HighlightsTitle(const UpdateIssue& issue);
inline constexpr std::string_view kSaveTheDateTitle = "Save the date!";
std::string TreatyFiguresTitle(const UpdateIssue& issue);
inline constexpr std::string_view kJointTitle = "Update: Joint project initiatives";
std::string ProjectTitle(const ProjectEntry& p);
inline constexpr std::string_view kOtherNewsTitle = "Other news";
std::string InventoryTitle(const UpdateIssue& issue);
std::string ComingNextTitle(const UpdateIssue& issue);
inline constexpr std::string_view kProjectInventoryTitle =
    "Inventory of capacity building projects";
inline constexpr std::string_view kTotalsTitle = "Totals";

/// Builds the issue of quarter `q` from the entities of `knowledge`, the
/// treaty records of the registry's store and the registry's engine. Errors
/// only when the store cannot be read; entities without a title or a
/// readable date are left out of the sections they cannot be placed in.
Result<UpdateIssue> BuildIssue(service::Registry& registry, const kb::KnowledgeBase& knowledge,
                               const Quarter& q, const ComposeOptions& options = {});

/// kMail: tables and inline styles, for mail clients (the default). kPage:
/// the same content in blocks that may break across pages, for print and PDF.
enum class HtmlLayout { kMail, kPage };
std::string RenderHtml(const UpdateIssue& issue, HtmlLayout layout = HtmlLayout::kMail);
std::string RenderMarkdown(const UpdateIssue& issue);
std::string RenderText(const UpdateIssue& issue);
nlohmann::json ToJson(const UpdateIssue& issue);

/// True when the weasyprint program can be run.
bool PdfRendererAvailable();

/// Bounds on PDF rendering, for the whole process.
struct PdfLimits {
  /// Renders running at once (each takes a core): one per core.
  int concurrent = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  std::chrono::milliseconds wait{60000};  ///< for a free slot, before giving up
  std::chrono::milliseconds run{60000};   ///< for one render; the child is killed past it
};

/// Renders HTML to PDF with weasyprint run as a subprocess (no shell), in a
/// private temporary directory removed afterwards. At most
/// `limits.concurrent` renders run at once in the process. IoError when
/// weasyprint is missing or fails (its message is included), when no slot
/// frees within `limits.wait` ("busy"), or when it runs past `limits.run`
/// (it is killed).
Result<std::string> HtmlToPdf(std::string_view html, const PdfLimits& limits = {});

/// Rendered PDFs kept in a directory, each file named by the SHA-256 of the
/// HTML it was rendered from: an issue whose content has not changed is not
/// rendered again, after a restart or after changes to other quarters' data
/// alike. Bounded in bytes: past the bound the least recently used files go.
/// Files are written whole (a temporary file renamed), so a crash leaves no
/// partial PDF. Thread-safe, and safe to share with other processes.
class PdfCache {
 public:
  /// Creates `dir` (mode 0700) if it is missing. IoError when it cannot.
  static Result<std::unique_ptr<PdfCache>> Open(std::filesystem::path dir,
                                                uint64_t max_bytes = uint64_t{256} << 20);

  /// The PDF of `html`: the kept file, or HtmlToPdf's result, kept.
  Result<std::string> Render(std::string_view html, const PdfLimits& limits = {});

  uint64_t hits() const { return hits_; }
  uint64_t renders() const { return renders_; }
  const std::filesystem::path& dir() const { return dir_; }

 private:
  PdfCache(std::filesystem::path dir, uint64_t max_bytes)
      : dir_(std::move(dir)), max_bytes_(max_bytes) {}
  void Trim();

  const std::filesystem::path dir_;
  const uint64_t max_bytes_;
  std::mutex trim_mu_;
  std::atomic<uint64_t> hits_{0};
  std::atomic<uint64_t> renders_{0};
};

/// BuildIssue then the renderer of `format`: the bytes of the issue (serve
/// them with ContentType(format)). For the web layer (/updates/2023Q3) and the
/// CLI alike. Thread-safe as the registry's store is; a PDF is rendered
/// within HtmlToPdf's default limits.
Result<std::string> ComposeUpdate(service::Registry& registry, const kb::KnowledgeBase& knowledge,
                                  const Quarter& q, Format format,
                                  const ComposeOptions& options = {});

}  // namespace octopus::update
