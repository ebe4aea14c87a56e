// The renderers: one walk over the issue's sections (Walk) drives a writer per
// format, so that every format has the same sections in the same order.

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/html_escape.h"
#include "core/text.h"
#include "update/update.h"

namespace octopus::update {

namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

struct ListItem {
  std::string lead;  ///< shown first and stressed: the projects of an activity
  std::string text;
};

class Writer {
 public:
  virtual ~Writer() = default;
  virtual void Begin(const UpdateIssue& issue) = 0;
  virtual void Section(std::string_view title) = 0;
  virtual void Subheading(std::string_view text) = 0;
  virtual void FieldLines(const Fields& fields) = 0;
  virtual void List(const std::vector<ListItem>& items) = 0;
  virtual void StoryBlock(const Story& story) = 0;
  virtual void Paragraph(std::string_view text) = 0;
  virtual void Table(const std::vector<TotalsRow>& rows) = 0;
  virtual void End(const UpdateIssue& issue) = 0;
  virtual std::string Take() = 0;
};

constexpr std::string_view kDisclaimer =
    "The Cybercrime@CoE Update does not necessarily reflect official positions of the Council of "
    "Europe, donors of capacity building projects or Parties to treaties referred to.";

std::string Join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (const auto& p : parts) {
    if (p.empty()) continue;
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

/// "Title, Place, Country, mode, when".
std::string ActivityLine(const ActivityEntry& a) {
  return Join({a.title, a.where, a.mode, a.when, a.status}, ", ");
}

std::vector<ListItem> ActivityItems(const std::vector<ActivityEntry>& activities) {
  std::vector<ListItem> items;
  for (const auto& a : activities) items.push_back({Join(a.projects, ", "), ActivityLine(a)});
  return items;
}

Fields ProjectFields(const ProjectEntry& p, bool inventory) {
  Fields f;
  if (!p.duration.empty()) f.emplace_back("Duration", p.duration);
  if (inventory && !p.scope.empty()) f.emplace_back("Geographical scope", p.scope);
  if (!p.budget.empty()) f.emplace_back("Budget", p.budget);
  if (!p.funding.empty()) f.emplace_back("Funding", p.funding);
  if (!inventory) {
    if (!p.countries.empty())
      f.emplace_back("Participating countries", Join(p.countries, ", "));
    else if (!p.scope.empty())
      f.emplace_back("Participating countries/regions", p.scope);
    std::vector<std::string> contributions;
    for (const auto& c : p.contributions) contributions.push_back(c.text);
    if (!contributions.empty()) f.emplace_back("Contributions", Join(contributions, "; "));
  }
  return f;
}

void Walk(const UpdateIssue& issue, Writer& w) {
  w.Begin(issue);
  if (!issue.highlights.empty()) {
    w.Section(HighlightsTitle(issue));
    std::vector<ListItem> items;
    for (const auto& h : issue.highlights) items.push_back({"", h.text});
    w.List(items);
  }
  if (!issue.save_the_date.empty()) {
    w.Section(kSaveTheDateTitle);
    std::vector<ListItem> items;
    for (const auto& s : issue.save_the_date) {
      items.push_back({Join({s.when, s.place}, ", "), s.title});
    }
    w.List(items);
  }
  if (!issue.treaties.empty()) {
    w.Section(TreatyFiguresTitle(issue));
    const std::string as_of = " as of " + issue.as_of.ToLongEnglish();
    for (const auto& t : issue.treaties) {
      w.Subheading(t.name + " (" + t.ref + ")");
      Fields f{{"Opened for signature", t.opened.ToLongEnglish()},
               {"Parties" + as_of, t.headline_sentence},
               {"Parties named on record" + as_of, t.parties.ToString()},
               {"Signatories not yet Parties" + as_of, t.signatories.ToString()},
               {"States invited to accede" + as_of, t.invited.ToString()}};
      if (t.observers) f.emplace_back("Observer States" + as_of, std::to_string(*t.observers));
      if (t.observer_organisations) {
        f.emplace_back("Observer Organisations" + as_of, std::to_string(*t.observer_organisations));
      }
      w.FieldLines(f);
      // Observers and the like are listed above; these the engine also counts.
      std::vector<TotalsRow> compared;
      for (const auto& s : t.stated) {
        if (s.engine_value.empty()) continue;
        const bool same_day = s.as_of == issue.as_of.ToIso();
        compared.push_back({same_day ? s.label : s.label + " (" + s.as_of + ")",
                            std::to_string(s.count) + (s.at_least ? "+" : "") + " stated, " +
                                s.engine_value + " on record"});
      }
      if (!compared.empty()) {
        w.Paragraph("As the sources state them, beside the count from the treaty records:");
        w.Table(compared);
      }
    }
    for (const auto& s : issue.treaty_news) w.StoryBlock(s);
  }
  if (!issue.joint_news.empty()) {
    w.Section(kJointTitle);
    if (!issue.joint.name.empty()) w.FieldLines(ProjectFields(issue.joint, false));
    for (const auto& s : issue.joint_news) w.StoryBlock(s);
  }
  for (const auto& p : issue.projects) {
    w.Section(ProjectTitle(p));
    w.FieldLines(ProjectFields(p, false));
    for (const auto& s : p.stories) w.StoryBlock(s);
    if (!p.activities.empty()) {
      w.Subheading("Activities of " + p.name + " this quarter");
      w.List(ActivityItems(p.activities));
    } else {
      w.Paragraph("No activity of this project is recorded for this quarter.");
    }
  }
  if (!issue.other_news.empty()) {
    w.Section(kOtherNewsTitle);
    for (const auto& s : issue.other_news) w.StoryBlock(s);
  }
  w.Section(InventoryTitle(issue));
  if (issue.inventory.empty()) {
    w.Paragraph("No activities are recorded for " + issue.period + ".");
  }
  for (const auto& g : issue.inventory) {
    w.Subheading(g.label);
    w.List(ActivityItems(g.activities));
  }
  if (!issue.coming_next.empty()) {
    w.Section(ComingNextTitle(issue));
    for (const auto& g : issue.coming_next) {
      w.Subheading(g.label);
      w.List(ActivityItems(g.activities));
    }
  }
  if (!issue.project_inventory.empty()) {
    w.Section(kProjectInventoryTitle);
    for (const auto& p : issue.project_inventory) {
      w.Subheading(p.name);
      w.FieldLines(ProjectFields(p, true));
    }
  }
  if (!issue.treaty_totals.empty() || !issue.activity_totals.empty()) {
    w.Section(kTotalsTitle);
    if (!issue.treaty_totals.empty()) w.Table(issue.treaty_totals);
    if (!issue.activity_totals.empty()) w.Table(issue.activity_totals);
  }
  w.End(issue);
}

std::vector<std::string> Paragraphs(std::string_view body) {
  std::vector<std::string> out;
  std::string current;
  for (const auto& line : text::Split(body, '\n')) {
    const std::string_view t = text::Trim(line);
    if (t.empty()) {
      if (!current.empty()) out.push_back(std::move(current));
      current.clear();
      continue;
    }
    if (!current.empty()) current += ' ';
    current += t;
  }
  if (!current.empty()) out.push_back(std::move(current));
  return out;
}

// ---------------------------------------------------------------- HTML

// Inline styles only: mail clients drop <style> blocks and never run scripts.
constexpr std::string_view kFont = "font-family:Arial,Helvetica,sans-serif;";
constexpr std::string_view kH2 =
    "margin:0 0 12px 0;font-size:20px;line-height:26px;color:#1d3f72;"
    "border-bottom:2px solid #1d3f72;padding-bottom:4px;";
constexpr std::string_view kH3 =
    "margin:16px 0 6px 0;font-size:16px;line-height:22px;color:#333333;";
constexpr std::string_view kP = "margin:0 0 10px 0;font-size:14px;line-height:20px;";

// Mail clients lay out tables reliably; a printed page (PDF) needs blocks that
// may break across pages, so the same content comes in two layouts.
class HtmlWriter : public Writer {
 public:
  explicit HtmlWriter(HtmlLayout layout) : mail_(layout == HtmlLayout::kMail) {}

  void Begin(const UpdateIssue& issue) override {
    const std::string title = Esc(issue.title + " — " + issue.period);
    out_ << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         << "<title>" << title << "</title>\n</head>\n";
    if (mail_) {
      out_ << "<body style=\"margin:0;padding:0;background:#eef1f5;" << kFont
           << "color:#222222;\">\n"
           << "<table role=\"presentation\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\" "
              "border=\"0\" style=\"background:#eef1f5;\">\n<tr><td align=\"center\" "
              "style=\"padding:16px 8px;\">\n"
           << "<table role=\"presentation\" width=\"640\" cellpadding=\"0\" cellspacing=\"0\" "
              "border=\"0\" style=\"width:100%;max-width:640px;background:#ffffff;\">\n";
    } else {
      out_ << "<body style=\"margin:0;padding:0;background:#ffffff;" << kFont
           << "color:#222222;\">\n<div style=\"max-width:720px;margin:0 auto;\">\n";
    }
    Open("padding:24px;background:#1d3f72;color:#ffffff;");
    out_ << "<h1 style=\"margin:0;font-size:26px;line-height:32px;letter-spacing:1px;\">"
         << Esc(text::ToLowerAscii(issue.title) == "cybercrime@coe update" ? "CYBERCRIME@COE UPDATE"
                                                                           : issue.title)
         << "</h1>\n<p style=\"margin:6px 0 0 0;font-size:16px;\">" << Esc(issue.period) << "</p>";
    Close();
  }
  void Section(std::string_view title) override {
    CloseSection();
    Open("padding:20px 24px 8px 24px;");
    out_ << "<h2 style=\"" << kH2 << "\">" << Esc(title) << "</h2>\n";
    open_ = true;
  }
  void Subheading(std::string_view text) override {
    out_ << "<h3 style=\"" << kH3 << "\">" << Esc(text) << "</h3>\n";
  }
  void FieldLines(const Fields& fields) override {
    if (fields.empty()) return;
    out_ << "<p style=\"" << kP << "\">";
    bool first = true;
    for (const auto& [label, value] : fields) {
      if (!first) out_ << "<br>";
      first = false;
      out_ << "<strong>" << Esc(label) << ":</strong> " << Esc(value);
    }
    out_ << "</p>\n";
  }
  void List(const std::vector<ListItem>& items) override {
    out_ << "<ul style=\"margin:0 0 10px 0;padding-left:20px;font-size:14px;line-height:20px;\">\n";
    for (const auto& i : items) {
      out_ << "<li style=\"margin:0 0 6px 0;\">";
      if (!i.lead.empty()) {
        out_ << "<strong style=\"color:#1d3f72;\">" << Esc(i.lead) << "</strong> | ";
      }
      out_ << Esc(i.text) << "</li>\n";
    }
    out_ << "</ul>\n";
  }
  void StoryBlock(const Story& s) override {
    if (!s.dateline.empty()) {
      out_ << "<p style=\"margin:16px 0 2px 0;font-size:12px;line-height:16px;color:#666666;"
              "text-transform:uppercase;letter-spacing:1px;\">"
           << Esc(s.dateline) << "</p>\n";
    }
    out_ << "<h3 style=\"" << kH3 << "margin-top:2px;\">" << Esc(s.title) << "</h3>\n";
    for (const auto& p : Paragraphs(s.body)) Paragraph(p);
  }
  void Paragraph(std::string_view text) override {
    out_ << "<p style=\"" << kP << "\">" << Esc(text) << "</p>\n";
  }
  void Table(const std::vector<TotalsRow>& rows) override {
    out_ << "<table role=\"presentation\" cellpadding=\"4\" cellspacing=\"0\" border=\"0\" "
            "style=\"border-collapse:collapse;margin:0 0 12px 0;font-size:14px;\">\n";
    for (const auto& r : rows) {
      out_ << "<tr><td style=\"border-bottom:1px solid #dddddd;padding:4px 12px 4px 0;\">"
           << Esc(r.label)
           << "</td><td style=\"border-bottom:1px solid #dddddd;padding:4px 0;text-align:right;"
              "font-weight:bold;\">"
           << Esc(r.value) << "</td></tr>\n";
    }
    out_ << "</table>\n";
  }
  void End(const UpdateIssue& issue) override {
    CloseSection();
    Open("padding:16px 24px;background:#f4f4f4;font-size:12px;line-height:18px;color:#555555;");
    out_ << Esc(kDisclaimer);
    if (!issue.unsubscribe_url.empty()) {
      out_ << "<br><a href=\"" << Esc(issue.unsubscribe_url)
           << "\" style=\"color:#1d3f72;\">Unsubscribe</a> from this list.";
    }
    Close();
    out_ << (mail_ ? "</table>\n</td></tr>\n</table>\n" : "</div>\n") << "</body>\n</html>\n";
  }
  std::string Take() override { return out_.str(); }

 private:
  static std::string Esc(std::string_view s) { return text::EscapeHtml(s); }
  /// A block of the page: a table row and cell for mail, a div for print.
  void Open(std::string_view style) {
    out_ << (mail_ ? "<tr><td style=\"" : "<div style=\"") << style << kFont << "\">\n";
  }
  void Close() { out_ << (mail_ ? "</td></tr>\n" : "</div>\n"); }
  void CloseSection() {
    if (open_) Close();
    open_ = false;
  }
  const bool mail_;
  std::ostringstream out_;
  bool open_ = false;
};

// ---------------------------------------------------------------- Markdown

/// Backslash-escapes the characters Markdown would read as markup.
std::string EscapeMd(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '\\':
      case '`':
      case '*':
      case '_':
      case '[':
      case ']':
      case '<':
      case '>':
      case '#':
      case '|':
        out.push_back('\\');
        [[fallthrough]];
      default:
        out.push_back(c);
    }
  }
  // A paragraph must not start a list, a heading or a quote.
  if (!out.empty() && (out[0] == '-' || out[0] == '+' || out[0] == '=')) out.insert(0, "\\");
  for (size_t i = 0; i < out.size() && std::isdigit(static_cast<unsigned char>(out[i])); ++i) {
    if (i + 1 < out.size() && (out[i + 1] == '.' || out[i + 1] == ')')) {
      out.insert(i + 1, "\\");
      break;
    }
  }
  return out;
}

class MarkdownWriter : public Writer {
 public:
  void Begin(const UpdateIssue& issue) override {
    out_ << "# " << EscapeMd(issue.title) << "\n\n" << EscapeMd(issue.period) << "\n";
  }
  void Section(std::string_view title) override { out_ << "\n## " << EscapeMd(title) << "\n"; }
  void Subheading(std::string_view text) override { out_ << "\n### " << EscapeMd(text) << "\n"; }
  void FieldLines(const Fields& fields) override {
    if (fields.empty()) return;
    out_ << "\n";
    for (const auto& [label, value] : fields) {
      out_ << "- **" << EscapeMd(label) << ":** " << EscapeMd(value) << "\n";
    }
  }
  void List(const std::vector<ListItem>& items) override {
    out_ << "\n";
    for (const auto& i : items) {
      out_ << "- ";
      if (!i.lead.empty()) out_ << "**" << EscapeMd(i.lead) << "** \\| ";
      out_ << EscapeMd(i.text) << "\n";
    }
  }
  void StoryBlock(const Story& s) override {
    out_ << "\n### " << EscapeMd(s.title) << "\n";
    if (!s.dateline.empty()) out_ << "\n*" << EscapeMd(s.dateline) << "*\n";
    for (const auto& p : Paragraphs(s.body)) Paragraph(p);
  }
  void Paragraph(std::string_view text) override { out_ << "\n" << EscapeMd(text) << "\n"; }
  void Table(const std::vector<TotalsRow>& rows) override {
    out_ << "\n| | |\n|---|---:|\n";
    for (const auto& r : rows)
      out_ << "| " << EscapeMd(r.label) << " | " << EscapeMd(r.value) << " |\n";
  }
  void End(const UpdateIssue& issue) override {
    out_ << "\n---\n\n" << EscapeMd(kDisclaimer) << "\n";
    if (!issue.unsubscribe_url.empty()) {
      out_ << "\n[Unsubscribe](<" << issue.unsubscribe_url << ">)\n";
    }
  }
  std::string Take() override { return out_.str(); }

 private:
  std::ostringstream out_;
};

// ---------------------------------------------------------------- plain text

size_t Utf8Length(std::string_view s) {
  size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

/// Greedy word wrap at `width` columns; continuation lines get `indent`.
std::string Wrap(std::string_view s, size_t width, std::string_view first,
                 std::string_view indent) {
  std::string out(first);
  size_t col = Utf8Length(first);
  bool line_empty = true;
  for (const auto& word : text::Split(s, ' ')) {
    if (word.empty()) continue;
    const size_t len = Utf8Length(word);
    if (!line_empty && col + 1 + len > width) {
      out += "\n";
      out += indent;
      col = Utf8Length(indent);
      line_empty = true;
    }
    if (!line_empty) {
      out += ' ';
      ++col;
    }
    out += word;
    col += len;
    line_empty = false;
  }
  return out + "\n";
}

class TextWriter : public Writer {
 public:
  void Begin(const UpdateIssue& issue) override {
    const std::string title = text::ToLowerAscii(issue.title) == "cybercrime@coe update"
                                  ? "CYBERCRIME@COE UPDATE"
                                  : issue.title;
    out_ << title << "\n" << issue.period << "\n";
  }
  void Section(std::string_view title) override {
    out_ << "\n\n" << title << "\n" << std::string(Utf8Length(title), '=') << "\n";
  }
  void Subheading(std::string_view t) override {
    out_ << "\n" << t << "\n" << std::string(Utf8Length(t), '-') << "\n";
  }
  void FieldLines(const Fields& fields) override {
    if (fields.empty()) return;
    out_ << "\n";
    for (const auto& [label, value] : fields) out_ << Wrap(value, kWidth, label + ": ", "    ");
  }
  void List(const std::vector<ListItem>& items) override {
    out_ << "\n";
    for (const auto& i : items) {
      out_ << Wrap((i.lead.empty() ? "" : i.lead + " | ") + i.text, kWidth, "- ", "  ");
    }
  }
  void StoryBlock(const Story& s) override {
    out_ << "\n";
    if (!s.dateline.empty()) out_ << s.dateline << "\n";
    out_ << Wrap(s.title, kWidth, "", "");
    for (const auto& p : Paragraphs(s.body)) Paragraph(p);
  }
  void Paragraph(std::string_view t) override { out_ << "\n" << Wrap(t, kWidth, "", ""); }
  void Table(const std::vector<TotalsRow>& rows) override {
    size_t width = 0;
    for (const auto& r : rows) width = std::max(width, Utf8Length(r.label));
    out_ << "\n";
    for (const auto& r : rows) {
      if (width + 2 + Utf8Length(r.value) <= kWidth) {
        out_ << r.label << std::string(width - Utf8Length(r.label) + 2, ' ') << r.value << "\n";
      } else {  // too wide for one line: the value under its label
        out_ << Wrap(r.label, kWidth, "", "") << Wrap(r.value, kWidth, "    ", "    ");
      }
    }
  }
  void End(const UpdateIssue& issue) override {
    out_ << "\n\n" << Wrap(kDisclaimer, kWidth, "", "");
    if (!issue.unsubscribe_url.empty()) out_ << "\nUnsubscribe: " << issue.unsubscribe_url << "\n";
  }
  std::string Take() override { return out_.str(); }

 private:
  static constexpr size_t kWidth = 78;
  std::ostringstream out_;
};

// ---------------------------------------------------------------- JSON

nlohmann::json DateJson(const std::optional<domain::Date>& d) {
  return d ? nlohmann::json(d->ToIso()) : nlohmann::json(nullptr);
}

nlohmann::json ActivityJson(const ActivityEntry& a) {
  return {{"id", a.id},
          {"url", a.url},
          {"title", a.title},
          {"projects", a.projects},
          {"places", a.places},
          {"where", a.where},
          {"countries", a.countries},
          {"mode", a.mode.empty() ? nlohmann::json(nullptr) : nlohmann::json(a.mode)},
          {"when", a.when},
          {"start", DateJson(a.start)},
          {"end", DateJson(a.end)},
          {"status", a.status.empty() ? nlohmann::json(nullptr) : nlohmann::json(a.status)}};
}

nlohmann::json GroupsJson(const std::vector<MonthGroup>& groups) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& g : groups) {
    nlohmann::json acts = nlohmann::json::array();
    for (const auto& a : g.activities) acts.push_back(ActivityJson(a));
    out.push_back({{"label", g.label},
                   {"month", g.year ? nlohmann::json(fmt::format("{:04}-{:02}", g.year, g.month))
                                    : nlohmann::json(nullptr)},
                   {"activities", acts}});
  }
  return out;
}

nlohmann::json StoryJson(const Story& s) {
  return {{"id", s.id}, {"url", s.url}, {"title", s.title}, {"dateline", s.dateline},
          {"body", s.body},           {"projects", s.projects}, {"treaties", s.treaties},
          {"date", DateJson(s.date)}};
}

nlohmann::json StoriesJson(const std::vector<Story>& stories) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& s : stories) out.push_back(StoryJson(s));
  return out;
}

nlohmann::json ProjectJson(const ProjectEntry& p) {
  nlohmann::json acts = nlohmann::json::array();
  for (const auto& a : p.activities) acts.push_back(ActivityJson(a));
  nlohmann::json contributions = nlohmann::json::array();
  for (const auto& c : p.contributions) {
    contributions.push_back(
        {{"donor", c.donor},
         {"amount", c.amount ? nlohmann::json(*c.amount) : nlohmann::json(nullptr)},
         {"currency", c.currency},
         {"date", DateJson(c.date)},
         {"text", c.text}});
  }
  return {{"id", p.id},
          {"url", p.url},
          {"name", p.name},
          {"duration", p.duration},
          {"scope", p.scope},
          {"budget", p.budget},
          {"budget_amount",
           p.budget_amount ? nlohmann::json(*p.budget_amount) : nlohmann::json(nullptr)},
          {"budget_currency", p.budget_currency},
          {"funders", p.funders},
          {"funding", p.funding},
          {"countries", p.countries},
          {"stories", StoriesJson(p.stories)},
          {"contributions", contributions},
          {"activities", acts}};
}

nlohmann::json RangeJson(const treaty::Range& r) {
  return {{"min", r.min}, {"max", r.max}, {"open", r.open}, {"text", r.ToString()}};
}

nlohmann::json RowsJson(const std::vector<TotalsRow>& rows) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : rows) out.push_back({{"label", r.label}, {"value", r.value}});
  return out;
}

}  // namespace

std::string RenderHtml(const UpdateIssue& issue, HtmlLayout layout) {
  HtmlWriter w(layout);
  Walk(issue, w);
  return w.Take();
}

std::string RenderMarkdown(const UpdateIssue& issue) {
  MarkdownWriter w;
  Walk(issue, w);
  return w.Take();
}

std::string RenderText(const UpdateIssue& issue) {
  TextWriter w;
  Walk(issue, w);
  return w.Take();
}

nlohmann::json ToJson(const UpdateIssue& issue) {
  nlohmann::json highlights = nlohmann::json::array();
  for (const auto& h : issue.highlights) highlights.push_back({{"kind", h.kind}, {"text", h.text}});
  nlohmann::json save = nlohmann::json::array();
  for (const auto& s : issue.save_the_date) {
    save.push_back(
        {{"when", s.when}, {"place", s.place}, {"title", s.title}, {"start", DateJson(s.start)}});
  }
  nlohmann::json treaties = nlohmann::json::array();
  for (const auto& t : issue.treaties) {
    nlohmann::json stated = nlohmann::json::array();
    for (const auto& s : t.stated) {
      stated.push_back({{"measure", s.measure},
                        {"count", s.count},
                        {"label", s.label},
                        {"as_of", s.as_of},
                        {"at_least", s.at_least},
                        {"engine_value", s.engine_value}});
    }
    treaties.push_back(
        {{"ref", t.ref},
         {"name", t.name},
         {"title", t.title},
         {"opened", t.opened.ToIso()},
         {"as_of", t.as_of.ToIso()},
         {"parties", RangeJson(t.parties)},
         {"headline", {{"text", t.headline}, {"basis", t.headline_basis}, {"sentence", t.headline_sentence}}},
         {"signatories", RangeJson(t.signatories)},
         {"invited", RangeJson(t.invited)},
         {"observers", t.observers ? nlohmann::json(*t.observers) : nlohmann::json(nullptr)},
         {"observer_organisations", t.observer_organisations
                                        ? nlohmann::json(*t.observer_organisations)
                                        : nlohmann::json(nullptr)},
         {"stated", stated}});
  }
  nlohmann::json projects = nlohmann::json::array();
  for (const auto& p : issue.projects) projects.push_back(ProjectJson(p));
  nlohmann::json inventory = nlohmann::json::array();
  for (const auto& p : issue.project_inventory) inventory.push_back(ProjectJson(p));
  return {{"title", issue.title},
          {"quarter", issue.quarter.ToString()},
          {"period", issue.period},
          {"as_of", issue.as_of.ToIso()},
          {"next_quarter", issue.next.ToString()},
          {"highlights", highlights},
          {"save_the_date", save},
          {"treaties", treaties},
          {"treaty_news", StoriesJson(issue.treaty_news)},
          {"joint_news", StoriesJson(issue.joint_news)},
          {"joint", issue.joint.name.empty() ? nlohmann::json(nullptr) : ProjectJson(issue.joint)},
          {"projects", projects},
          {"other_news", StoriesJson(issue.other_news)},
          {"inventory", GroupsJson(issue.inventory)},
          {"coming_next", GroupsJson(issue.coming_next)},
          {"project_inventory", inventory},
          {"treaty_totals", RowsJson(issue.treaty_totals)},
          {"activity_totals", RowsJson(issue.activity_totals)}};
}

}  // namespace octopus::update
