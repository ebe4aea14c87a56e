#pragma once

// A compiled regular expression (RE2: linear in the text it reads) with the call sites of
// the sentence patterns kept short. Patterns are written as for ECMAScript; each byte is a
// character (Latin-1 mode), so `\b`, `\w` and `\d` are ASCII, as std::regex reads them in the
// "C" locale, and a non-ASCII letter (é, ’) is matched byte for byte, never folded: case
// folding applies to ASCII letters only. RE2 has no lookahead and no backreferences.

#include <array>
#include <memory>
#include <string>
#include <string_view>

namespace re2 {
class RE2;
}

namespace octopus::ingest::internal {

class Pattern {
 public:
  static constexpr int kMaxGroups = 6;  ///< groups 0 (the whole match) to 5

  /// The groups of one match, as views into the text searched.
  class Match {
   public:
    bool matched(int g) const { return groups_[static_cast<size_t>(g)].data() != nullptr; }
    size_t position(int g) const { return begin_[static_cast<size_t>(g)]; }
    size_t length(int g) const { return groups_[static_cast<size_t>(g)].size(); }
    size_t end(int g) const { return position(g) + length(g); }
    std::string_view view(int g) const { return groups_[static_cast<size_t>(g)]; }
    std::string str(int g) const { return std::string(view(g)); }

   private:
    friend class Pattern;
    std::array<std::string_view, kMaxGroups> groups_{};
    std::array<size_t, kMaxGroups> begin_{};
  };

  /// Compiles `pattern` (case-insensitive for ASCII letters when `ignore_case`); an invalid
  /// pattern is a programming error and throws std::invalid_argument.
  explicit Pattern(std::string_view pattern, bool ignore_case = true);
  ~Pattern();
  Pattern(Pattern&&) noexcept;
  Pattern& operator=(Pattern&&) noexcept;
  Pattern(const Pattern&) = delete;
  Pattern& operator=(const Pattern&) = delete;

  /// The first match in text[from, end) (end: npos for the whole text), the text before `from`
  /// read as context for `\b` and `^` (as std::regex's match_prev_avail) and `end` read as the
  /// end of the input (as std::regex reads the end of its range). Positions in `m` are offsets
  /// into `text`.
  bool Find(std::string_view text, Match* m, size_t from = 0, size_t end = std::string_view::npos) const;
  bool Contains(std::string_view text) const;
  /// Whether a match starts at text[at] (the text before `at` read as context, `end` as above).
  bool MatchesAt(std::string_view text, size_t at, size_t end = std::string_view::npos) const;
  /// `text` with every match replaced by `with` (taken literally).
  std::string ReplaceAll(std::string_view text, std::string_view with) const;

 private:
  std::unique_ptr<re2::RE2> re_;
  int groups_ = 0;  ///< capturing groups of the pattern, at most kMaxGroups - 1 are read
};

/// Every match of `p` in `text`, in order, each search starting where the last match ended
/// (as std::regex_iterator does for patterns that never match the empty string).
template <typename F>
void ForEachMatch(const Pattern& p, std::string_view text, F&& f, size_t from = 0,
                  size_t end = std::string_view::npos) {
  Pattern::Match m;
  while (from <= text.size() && p.Find(text, &m, from, end)) {
    f(m);
    from = m.end(0) > from ? m.end(0) : from + 1;
  }
}

}  // namespace octopus::ingest::internal
