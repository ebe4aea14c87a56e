#include "ingest/internal/tcy_plenary.h"

#include <algorithm>
#include <regex>

#include "core/text.h"
#include "ingest/internal/pattern.h"
#include "ingest/internal/shapes.h"

namespace octopus::ingest::internal {

namespace {

using nlohmann::json;

constexpr size_t kMaxParagraph = 4000;  // longer runs are not a paragraph a person wrote
constexpr auto kFlags = std::regex::ECMAScript | std::regex::icase;

// The committee as documents name it.
constexpr std::string_view kCommittee = R"((?:T-CY|Cybercrime Convention Committee(?: \(T-CY\))?)(?: Committee)?)";

// `s` without short parenthetical remarks inside dates: "18 to 20 (morning) November 2019".
std::string WithoutRemarks(std::string_view s) {
  static const Pattern kRemark(R"( \((?:morning|afternoon|evening|am|pm|tbc|to be confirmed)\))");
  return kRemark.ReplaceAll(s, "");
}

// A date phrase in `s`: the first that names a day; its year from the text, else `year`.
std::optional<FoundDate> FirstDays(std::string_view s, int year) {
  for (FoundDate& d : DatesIn(s, year)) {
    if (d.phrase.start && d.phrase.start->day != 0) return d;
  }
  return std::nullopt;
}

// "Strasbourg, 7 – 9 June 2017", "Bucharest, Romania | 13-15 December 2023": a place and a date, alone.
bool PlaceAndDate(std::string_view s, int year, std::string* place, FoundDate* date) {
  if (s.size() > 80) return false;
  auto d = DateSuffix(s, year);
  if (!d || !d->phrase.start || d->begin == 0) return false;
  std::string p(text::Trim(s.substr(0, d->begin)));
  while (!p.empty() && (p.back() == ',' || p.back() == '|' || p.back() == ' ')) p.pop_back();
  if (p.empty() || p.find('.') != std::string::npos || std::count(p.begin(), p.end(), ' ') > 4) return false;
  *place = p;
  *date = *d;
  return true;
}

// "1st", "2nd", "3rd", "11th", "22nd".
const char* Ordinal(int n) {
  if (n % 100 >= 11 && n % 100 <= 13) return "th";
  switch (n % 10) {
    case 1:
      return "st";
    case 2:
      return "nd";
    case 3:
      return "rd";
    default:
      return "th";
  }
}

}  // namespace

void TcyPlenaries::Paragraph(std::string_view text, int line, int year) {
  text = text::Trim(text::TruncateUtf8(text, kMaxParagraph));
  if (text.empty()) return;
  // Most paragraphs name no plenary: a cheap word test spares them the patterns.
  const std::string low = text::ToLowerAscii(text);
  static const CueSet kMayName = {"plenar", "t-cy", "committee"};
  const bool may_name = kMayName.FoundIn(low);
  if (!may_name && !pending_ && text.size() > 40) {
    date_line_.reset();
    return;
  }
  const std::string committee(kCommittee);
  static const Pattern kNumbered(R"(\b(\d{1,3}) ?(?:st|nd|rd|th) (?:Plenary|plenary meeting|plenary session)(?: meeting| session)? of the )" +
                                        committee + "|" + committee +
                                        R"( (?:at|during) its (\d{1,3}) ?(?:st|nd|rd|th) (?:Plenary|plenary meeting|plenary session|plenary)|\b(\d{1,3}) ?(?:st|nd|rd|th) T-CY (?:Plenary|plenary))");
  // Kept in std::regex: RE2 has no lookahead, and the committee's name may be matched shorter
  // to pass it. Every text it matches spells "plenary of the ", "meeting of the ", "session of
  // the " (its head, maybe " meeting" or " session", then " of the ") or "t-cy plenary", tested first.
  static const std::regex kUnnumbered(R"(\b(?:Plenary|plenary meeting|plenary session|meeting)(?: meeting| session)? of the )" +
                                          committee + R"((?! working| bureau| Bureau)|\bT-CY plenary\b)",
                                      kFlags);
  static const CueSet kUnnumberedCues = {"plenary of the ", "meeting of the ", "session of the ", "t-cy plenary"};
  static const Pattern kPlace(R"(\b(?:meeting|held|met|took place) in ([A-Z][\w-]+(?: [A-Z][\w-]+)?))", false);
  static const Pattern kChair(R"(\bchaired by ([^,;]{3,80}?(?: \([^)]{2,40}\))?)(?:,| and |;|\.|$))");

  Pattern::Match m;
  std::match_results<std::string_view::const_iterator> u;
  // Both patterns spell "plenar", "T-CY" or "Committee": without them, nothing is named.
  const bool numbered = may_name && kNumbered.Find(text, &m);
  const bool unnumbered = !numbered && may_name &&
                          kUnnumberedCues.FoundIn(low) &&
                          std::regex_search(text.begin(), text.end(), u, kUnnumbered);
  const bool named = numbered || unnumbered;

  // A heading naming the meeting; its place and dates on a line below.
  if (pending_ && !named) {
    std::string place;
    FoundDate date;
    if (PlaceAndDate(text, year, &place, &date)) {
      pending_->when = date.phrase;
      pending_->as_written = std::string(text.substr(date.begin, date.end - date.begin));
      pending_->year_from_context = !date.phrase.year_given;
      pending_->place = place;
      Add(*pending_);
      pending_.reset();
    } else if (++pending_age_ > 3) {
      Add(*pending_);
      pending_.reset();
    }
  }
  if (!named) {
    // A date alone: the heading of the programme item below it.
    if (std::optional<DatePhrase> d; text.size() <= 40 && (d = ParseDatePhrase(text, year)) && d->start) {
      date_line_ = {{*d, std::string(text)}};
      date_line_number_ = line;
    } else {
      date_line_.reset();
    }
    return;
  }
  if (pending_) {
    Add(*pending_);
    pending_.reset();
  }
  Meeting meeting;
  meeting.number = 0;
  for (size_t g = 1; numbered && g <= 3; ++g) {
    if (m.matched(static_cast<int>(g))) meeting.number = std::stoi(m.str(static_cast<int>(g)));
  }
  meeting.span = std::string(text);
  meeting.line = line;
  const size_t name_end = numbered ? m.end(0) : static_cast<size_t>(u.position(0) + u.length(0));
  const std::string rest = WithoutRemarks(text.substr(name_end));
  if (auto d = FirstDays(rest, year)) {
    meeting.when = d->phrase;
    meeting.as_written = rest.substr(d->begin, d->end - d->begin);
    meeting.year_from_context = !d->phrase.year_given;
  } else if (date_line_ && date_line_number_ < line && text.size() <= 120) {
    meeting.when = date_line_->first;
    meeting.as_written = date_line_->second;
    meeting.year_from_context = !date_line_->first.year_given;
  }
  Pattern::Match p;
  if (kPlace.Find(text, &p)) meeting.place = p.str(1);
  if (kChair.Find(text, &p)) meeting.chair = std::string(text::Trim(p.view(1)));
  date_line_.reset();
  const bool heading = text.size() <= 80 && !meeting.when && text.back() != '.';
  if (heading && meeting.number != 0) {
    pending_ = std::move(meeting);
    pending_age_ = 0;
    return;
  }
  // A meeting the text neither numbers nor dates is a mention, not a meeting to record.
  if (meeting.number != 0 || meeting.when) Add(std::move(meeting));
}

void TcyPlenaries::Add(Meeting m) {
  // One meeting per number; an unnumbered mention joins the meeting of the same start.
  for (Meeting& known : meetings_) {
    const bool same_number = m.number != 0 && known.number == m.number;
    const bool same_start = m.when && known.when && m.when->start && known.when->start &&
                            *m.when->start == *known.when->start && (m.number == 0 || known.number == 0);
    if (!same_number && !same_start) continue;
    if (known.number == 0) known.number = m.number;
    if (!known.when && m.when) {
      known.when = m.when;
      known.as_written = m.as_written;
      known.year_from_context = m.year_from_context;
    }
    if (known.place.empty()) known.place = m.place;
    if (known.chair.empty()) known.chair = m.chair;
    return;
  }
  meetings_.push_back(std::move(m));
}

std::vector<Record> TcyPlenaries::Records() const {
  std::vector<Meeting> all = meetings_;
  if (pending_) all.push_back(*pending_);
  std::vector<Record> out;
  for (const Meeting& m : all) {
    Record r;
    r.kind = "activity";
    r.line = m.line;
    std::string title = "Plenary of the Cybercrime Convention Committee (T-CY)";
    if (m.number != 0) title = std::to_string(m.number) + Ordinal(m.number) + " " + title;
    r.fields = json::object({{"projects", json::array()},
                             {"title", title},
                             {"places", m.place.empty() ? json::array() : json::array({m.place})},
                             {"countries", json::array()},
                             {"mode", nullptr},
                             {"start", m.when ? IsoOrNull(m.when->start) : json(nullptr)},
                             {"end", m.when ? IsoOrNull(m.when->end) : json(nullptr)},
                             {"precision", m.when ? json(m.when->precision) : json(nullptr)},
                             {"as_written", m.as_written.empty() ? json(nullptr) : json(m.as_written)},
                             {"section", "tcy_plenary"},
                             {"number", m.number != 0 ? json(m.number) : json(nullptr)},
                             {"chair", m.chair.empty() ? json(nullptr) : json(m.chair)},
                             {"span", m.span}});
    if (m.when && m.year_from_context) r.fields["date_basis"] = "year from the document's date";
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace octopus::ingest::internal
