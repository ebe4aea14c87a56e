#include "kb/internal/names.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>

#include "core/text.h"

namespace octopus::kb::internal {

std::string NameKey(std::string_view name) {
  std::string spelled;
  spelled.reserve(name.size() + 8);
  for (char c : name) {
    if (c == '+') {
      spelled += " plus ";
    } else {
      spelled += c;
    }
  }
  return text::FoldKey(spelled);
}

bool LooksLikeAName(std::string_view name) {
  name = text::Trim(name);
  if (name.empty()) return false;
  const unsigned char first = static_cast<unsigned char>(name[0]);
  if (!(std::isupper(first) || std::isdigit(first) || first >= 0x80)) return false;
  static constexpr std::string_view kGroups[] = {"states", "parties", "observers", "members", "countries",
                                                 "partners", "donors", "participants", "organisations",
                                                 "organizations", "other", "all", "several", "various"};
  const std::vector<std::string> words = text::Split(NameKey(name), ' ');
  return !words.empty() && !words[0].empty() &&
         std::find(std::begin(kGroups), std::end(kGroups), words[0]) == std::end(kGroups);
}

std::string Slug(std::string_view name) {
  std::string key = NameKey(name);
  std::string out;
  for (char c : key) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out += c;
    } else if (!out.empty() && out.back() != '-') {
      out += '-';
    }
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

uint64_t Fnv1a64(std::string_view bytes) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

std::string ShortHash(const std::vector<std::string>& parts) {
  std::string joined;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) joined += '\x1f';
    joined += parts[i];
  }
  std::array<char, 17> hex{};
  std::snprintf(hex.data(), hex.size(), "%016llx", static_cast<unsigned long long>(Fnv1a64(joined)));
  return std::string(hex.data(), 12);
}

namespace {

bool JoiningWord(std::string_view w) {
  static constexpr std::string_view kWords[] = {
      "a",  "an", "and", "at",  "by",  "for", "from", "in", "of",  "on", "the", "to",
      "with", "de", "des", "du", "la", "le", "les", "et", "en", "sur", "pour", "del", "y"};
  return std::find(std::begin(kWords), std::end(kWords), w) != std::end(kWords);
}

bool Year(std::string_view w) {
  return w.size() == 4 && std::all_of(w.begin(), w.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
         (w[0] == '1' || w[0] == '2');
}

}  // namespace

std::vector<std::string> TitleWords(std::string_view title) {
  std::vector<std::string> out;
  for (const std::string& w : text::Split(NameKey(title), ' ')) {
    if (w.empty() || JoiningWord(w) || Year(w)) continue;
    if (std::find(out.begin(), out.end(), w) == out.end()) out.push_back(w);
  }
  return out;
}

double TitleSimilarity(std::string_view a, std::string_view b) {
  const std::vector<std::string> wa = TitleWords(a), wb = TitleWords(b);
  if (wa.empty() || wb.empty()) return 0;
  size_t common = 0;
  for (const std::string& w : wa) common += std::find(wb.begin(), wb.end(), w) != wb.end();
  return 2.0 * static_cast<double>(common) / static_cast<double>(wa.size() + wb.size());
}

}  // namespace octopus::kb::internal
