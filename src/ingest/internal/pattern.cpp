#include "ingest/internal/pattern.h"

#include <re2/re2.h>

#include <stdexcept>

namespace octopus::ingest::internal {

namespace {

// The pattern as RE2 reads it in Latin-1 mode: each run of non-ASCII bytes outside a
// character class becomes `(?-i:\xHH…)`, so that case folding never pairs two Latin-1
// bytes (0xC3 with 0xE3) that std::regex in the "C" locale keeps apart; `\s` becomes the
// six ASCII spaces std::regex means by it (RE2's `\s` has no vertical tab).
std::string Translate(std::string_view p) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(p.size() + 16);
  bool in_class = false;
  for (size_t i = 0; i < p.size(); ++i) {
    const auto c = static_cast<unsigned char>(p[i]);
    if (c == '\\' && i + 1 < p.size()) {
      if (p[i + 1] == 's' && !in_class) {
        out += "[\\t\\n\\v\\f\\r ]";
      } else if (p[i + 1] == 's') {
        out += "\\t\\n\\v\\f\\r ";
      } else {
        out += p.substr(i, 2);
      }
      ++i;
      continue;
    }
    if (c >= 0x80) {
      if (in_class) throw std::invalid_argument("pattern: a non-ASCII byte in a character class");
      out += "(?-i:";
      for (; i < p.size() && static_cast<unsigned char>(p[i]) >= 0x80; ++i) {
        const auto b = static_cast<unsigned char>(p[i]);
        out += "\\x";
        out += kHex[b >> 4];
        out += kHex[b & 0xF];
      }
      --i;
      out += ')';
      continue;
    }
    if (c == '[' && !in_class) {
      in_class = true;
      out += p[i];
      if (i + 1 < p.size() && p[i + 1] == '^') out += p[++i];
      if (i + 1 < p.size() && p[i + 1] == ']') out += p[++i];  // a literal ] first in the class
      continue;
    }
    if (c == ']' && in_class) in_class = false;
    out += p[i];
  }
  return out;
}

}  // namespace

Pattern::Pattern(std::string_view pattern, bool ignore_case) {
  RE2::Options options;
  options.set_encoding(RE2::Options::EncodingLatin1);
  options.set_case_sensitive(!ignore_case);
  options.set_log_errors(false);
  options.set_max_mem(64 << 20);
  re_ = std::make_unique<re2::RE2>(Translate(pattern), options);
  if (!re_->ok()) throw std::invalid_argument("pattern: " + re_->error());
  groups_ = std::min(re_->NumberOfCapturingGroups(), kMaxGroups - 1);
}

Pattern::~Pattern() = default;
Pattern::Pattern(Pattern&&) noexcept = default;
Pattern& Pattern::operator=(Pattern&&) noexcept = default;

bool Pattern::Find(std::string_view text, Match* m, size_t from, size_t end) const {
  if (end > text.size()) end = text.size();
  if (from > end) return false;
  re2::StringPiece groups[kMaxGroups];
  const re2::StringPiece whole(text.data(), end);  // the end of the range is the end of the input
  if (!re_->Match(whole, from, end, RE2::UNANCHORED, groups, groups_ + 1)) return false;
  for (int g = 0; g < kMaxGroups; ++g) {
    const auto k = static_cast<size_t>(g);
    if (g <= groups_ && groups[g].data() != nullptr) {
      m->groups_[k] = std::string_view(groups[g].data(), groups[g].size());
      m->begin_[k] = static_cast<size_t>(groups[g].data() - text.data());
    } else {
      m->groups_[k] = {};
      m->begin_[k] = 0;
    }
  }
  return true;
}

bool Pattern::Contains(std::string_view text) const {
  return re_->Match(re2::StringPiece(text.data(), text.size()), 0, text.size(), RE2::UNANCHORED, nullptr, 0);
}

bool Pattern::MatchesAt(std::string_view text, size_t at, size_t end) const {
  if (end > text.size()) end = text.size();
  if (at > end) return false;
  return re_->Match(re2::StringPiece(text.data(), end), at, end, RE2::ANCHOR_START, nullptr, 0);
}

std::string Pattern::ReplaceAll(std::string_view text, std::string_view with) const {
  std::string out;
  size_t at = 0;
  ForEachMatch(*this, text, [&](const Match& m) {
    out.append(text.substr(at, m.position(0) - at));
    out.append(with);
    at = m.end(0);
  });
  out.append(text.substr(at));
  return out;
}

}  // namespace octopus::ingest::internal
