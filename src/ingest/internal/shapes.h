#pragma once
/// The document shapes the extractors know, and the line helpers they share.

#include <array>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/document.h"
#include "ingest/internal/dates.h"
#include "ingest/internal/mentions.h"

namespace octopus::ingest::internal {

/// A line with only white space (no-break spaces included).
bool IsBlank(std::string_view line);

/// A line as a person reads it: trimmed (no-break spaces too), Markdown link
/// syntax reduced to its text ("[Octopus Platform](#)" → "Octopus Platform",
/// "[\[READ MORE\]](#)" → "[READ MORE]"), emphasis markers and <i>/<b> tags
/// removed, runs of spaces collapsed (TABs kept: they separate columns).
std::string CleanLine(std::string_view line);

/// A document's lines, each cleaned once, and which of them are blank.
struct CleanLines {
  explicit CleanLines(const TextDocument& doc);
  std::vector<std::string> clean;  ///< CleanLine of each line ("" for blank ones)
  std::vector<bool> blank;
};

/// True when `s` has more than `n` ASCII letters and digits (each folds to one letter of its
/// FoldKey): a quick test that a line cannot fold to a short key. Stops at the (n+1)th.
bool AsciiAlnumMoreThan(std::string_view s, size_t n);

/// A set of cue strings searched for together: FoundIn(s) is true when some cue occurs in `s`
/// (byte for byte, as std::string::find would find it), in one pass over `s` that looks at the
/// cues only where the two bytes that start one are found. The cues must outlive the set
/// (string literals).
class CueSet {
 public:
  CueSet(std::initializer_list<std::string_view> cues);
  bool FoundIn(std::string_view s) const;

 private:
  std::vector<std::string_view> cues_;
  std::array<uint64_t, 65536 / 64> pairs_{};            ///< bit a*256+b: a cue starts with bytes a, b
  std::array<std::vector<uint16_t>, 256> by_first_{};  ///< the cues by their first byte
  bool empty_cue_ = false;
};

/// True when `line` reads as prose (a sentence), not a caption or heading.
bool IsProse(std::string_view cleaned);

/// The number a text starts with ("68", "45+", "21 States"), if it has at
/// most nine digits; nullopt otherwise.
std::optional<int> LeadingCount(std::string_view s);

/// Splits on `sep` outside parentheses, trimming each part and dropping empty ones.
std::vector<std::string> SplitOutsideParens(std::string_view s, char sep);

/// `s` without its parenthesised parts ("EU (EUR 3 m) and CoE" → "EU  and CoE"); an unclosed
/// parenthesis drops the rest.
std::string WithoutParentheticals(std::string_view s);

/// A project record's fields before a source fills them: its name and section, every other
/// basic null or empty (the names in docs/ingest-report.md).
nlohmann::json EmptyProjectFields(const std::string& name, const std::string& section);

/// How well a document fits a shape: the number of shape markers found.
int NewsPageScore(const CleanLines& lines);
int QuarterlyUpdateScore(const CleanLines& lines);

/// A stretch of lines a layout reads as one item: a news item, a project
/// update, a whole single-item page. Line indexes are 0-based; `end` is one
/// past the last line.
struct ItemSpan {
  size_t first = 0;
  size_t end = 0;
  std::optional<PartialDate> date;  ///< the item's own exact date, when it has one
  int year = 0;                     ///< the year its year-less dates take; 0 when unknown
  std::vector<size_t> headings;     ///< its title lines
};

/// What a layout recogniser reads: the structure it finds (records such as
/// news items, activities, projects, and the lines it could not place) and
/// the items whose sentences the statement pass reads in their context.
/// A layout states no treaty actions or figures of prose: the statement pass does.
struct LayoutResult {
  Extraction extraction;
  std::vector<ItemSpan> items;
  std::vector<std::string> recognisers;  ///< the names of the recognisers that matched
};

LayoutResult ExtractNewsPage(const TextDocument& doc, const MentionFinder& finder);
LayoutResult ExtractQuarterlyUpdate(const TextDocument& doc, const MentionFinder& finder);
/// The same, reading `cl`, the CleanLines of `doc` its caller already built.
LayoutResult ExtractNewsPage(const TextDocument& doc, const CleanLines& cl, const MentionFinder& finder);
LayoutResult ExtractQuarterlyUpdate(const TextDocument& doc, const CleanLines& cl, const MentionFinder& finder);

/// Marks the extraction truncated when the document ends mid-item: the
/// reader saw the input end early, or the last line is cut mid-sentence.
void CheckTruncation(const TextDocument& doc, Extraction& e);

}  // namespace octopus::ingest::internal
