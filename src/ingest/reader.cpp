#include "ingest/reader.h"

#include <gumbo.h>
#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>
#include <poppler-rectangle.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <exception>
#include <functional>
#include <iterator>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "domain/date.h"

namespace octopus::ingest {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD
constexpr size_t kBinarySniffBytes = 64 * 1024;
constexpr size_t kHtmlSniffBytes = 4 * 1024;
constexpr size_t kListedProblems = 5;  // lines or pages named one by one in a warning

// ---------------------------------------------------------------------------------------------
// Bytes and UTF-8

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool IsAsciiAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

std::string_view StripBom(std::string_view s) { return s.starts_with(kBom) ? s.substr(3) : s; }

std::string_view SkipBomAndSpace(std::string_view s) {
  s = StripBom(s);
  size_t i = 0;
  while (i < s.size() && IsAsciiSpace(s[i])) ++i;
  return s.substr(i);
}

// `prefix` is lower case.
bool StartsWithNoCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (LowerAscii(s[i]) != prefix[i]) return false;
  }
  return true;
}

// Length of the valid UTF-8 sequence starting at s[i], or 0 when the byte there does not start
// one. Overlong forms, surrogates and code points above U+10FFFF are invalid, as in
// text::IsValidUtf8.
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return 1;
  size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // bounds of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  const auto b1 = static_cast<unsigned char>(s[i + 1]);
  if (b1 < lo || b1 > hi) return 0;
  for (size_t k = 2; k < len; ++k) {
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  }
  return len;
}

// Appends `in` to `out` with every byte that is not part of a valid UTF-8 sequence replaced by
// U+FFFD. Returns whether anything was replaced.
bool AppendRepairedUtf8(std::string_view in, std::string& out) {
  bool replaced = false;
  size_t i = 0;
  while (i < in.size()) {
    const size_t len = Utf8SequenceLength(in, i);
    if (len == 0) {
      out.append(kReplacement);
      replaced = true;
      ++i;
    } else {
      out.append(in.substr(i, len));
      i += len;
    }
  }
  return replaced;
}

bool IsValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const size_t len = Utf8SequenceLength(s, i);
    if (len == 0) return false;
    i += len;
  }
  return true;
}

void AppendCodePoint(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// windows-1252, which the WHATWG encoding standard also uses for every "latin1"/"iso-8859-1"
// label: 0x80-0x9F are typographic characters, every other byte is its own code point.
std::string DecodeWindows1252(std::string_view in) {
  static constexpr uint16_t kHigh[32] = {
      0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
      0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
      0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};
  std::string out;
  out.reserve(in.size() + in.size() / 8);
  for (char c : in) {
    const auto b = static_cast<unsigned char>(c);
    AppendCodePoint(b >= 0x80 && b < 0xA0 ? kHigh[b - 0x80] : b, out);
  }
  return out;
}

// Warnings naming the first few lines holding invalid UTF-8, then a count of the rest. `unit`
// names a line ("line", "HTML source line").
void WarnInvalidUtf8(const std::vector<size_t>& lines, size_t total, const std::string& unit,
                     std::vector<std::string>& warnings) {
  for (size_t line : lines) {
    warnings.push_back("invalid UTF-8 at " + unit + " " + std::to_string(line) + ", replaced");
  }
  if (total > lines.size()) {
    warnings.push_back("invalid UTF-8 at " + std::to_string(total - lines.size()) + " more " +
                       unit + "s, replaced");
  }
}

// Splits `bytes` at '\n' (dropping one '\r' before it) and repairs each line's UTF-8.
std::vector<std::string> SplitRepairedLines(std::string_view bytes, const std::string& unit,
                                            std::vector<std::string>& warnings) {
  std::vector<std::string> lines;
  std::vector<size_t> listed;
  size_t bad = 0;
  size_t start = 0;
  while (start < bytes.size()) {
    size_t end = bytes.find('\n', start);
    if (end == std::string_view::npos) end = bytes.size();
    std::string_view line = bytes.substr(start, end - start);
    if (line.ends_with('\r')) line.remove_suffix(1);
    std::string out;
    out.reserve(line.size());
    if (AppendRepairedUtf8(line, out)) {
      if (listed.size() < kListedProblems) listed.push_back(lines.size() + 1);
      ++bad;
    }
    lines.push_back(std::move(out));
    start = end + 1;
  }
  WarnInvalidUtf8(listed, bad, unit, warnings);
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Format detection

// True when s[i] starts the tag "<name" (any case) followed by whitespace, '>' or '/'.
bool TagAt(std::string_view s, size_t i, std::string_view name) {
  if (s[i] != '<' || !StartsWithNoCase(s.substr(i + 1), name)) return false;
  const size_t after = i + 1 + name.size();
  return after < s.size() && (IsAsciiSpace(s[after]) || s[after] == '>' || s[after] == '/');
}

bool LooksLikeHtml(std::string_view bytes) {
  const std::string_view head = SkipBomAndSpace(bytes);
  for (std::string_view start : {"<!doctype html", "<html", "<head", "<body"}) {
    if (StartsWithNoCase(head, start)) return true;
  }
  const std::string_view window = bytes.substr(0, kHtmlSniffBytes);
  for (size_t i = window.find('<'); i != std::string_view::npos; i = window.find('<', i + 1)) {
    if (TagAt(window, i, "html") || TagAt(window, i, "body") || TagAt(window, i, "div") ||
        TagAt(window, i, "p")) {
      return true;
    }
  }
  return false;
}

bool LooksBinary(std::string_view sample) {
  size_t control = 0;
  for (char ch : sample) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == 0) return true;
    const bool text_control = c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' ||
                              c == 0x1B;  // ESC: terminal colours in captured logs
    if ((c < 0x20 && !text_control) || c == 0x7F) ++control;
  }
  return control * 20 > sample.size();
}

// ---------------------------------------------------------------------------------------------
// Text

TextDocument ReadText(std::string_view bytes) {
  TextDocument doc;
  doc.format = Format::kText;
  doc.lines = SplitRepairedLines(StripBom(bytes), "line", doc.warnings);
  return doc;
}

// ---------------------------------------------------------------------------------------------
// HTML cost guard
//
// gumbo follows the HTML5 tree-construction algorithm, several steps of which walk the stack of
// open elements or the list of active formatting elements. Hostile input makes that quadratic:
// measured here with gumbo 0.10.1, 1 MB of "<div>" takes 108 s, 65 KB of reopened formatting
// elements ("<div><b a=1></div>...<div>x</div>...") 11.5 s and 2.2 GB, 130 KB of distinct
// attributes on one tag 0.7 s. gumbo has no depth limit and no way to stop it, so before parsing
// we scan the tags once with a rough model of that algorithm (open-element stack with implied end
// tags and scopes, formatting list with markers, Noah's ark and reconstruction, foreign content)
// and count the steps gumbo will take. The model is meant to err towards more depth, never less.
// None of the 11,000 HTML files on the development machine (documentation of Debian packages and
// toolchains) comes near the limits; the patterns above, and the ones fuzzing found, are refused.

template <size_t N>
constexpr bool In(const std::string_view (&set)[N], std::string_view name) {
  return std::binary_search(std::begin(set), std::end(set), name);
}

constexpr std::string_view kSpecial[] = {
    "address",    "applet",  "area",   "article", "aside",     "base",     "basefont", "bgsound",
    "blockquote", "body",    "br",     "button",  "caption",   "center",   "col",      "colgroup",
    "dd",         "details", "dir",    "div",     "dl",        "dt",       "embed",    "fieldset",
    "figcaption", "figure",  "footer", "form",    "frame",     "frameset", "h1",       "h2",
    "h3",         "h4",      "h5",     "h6",      "head",      "header",   "hgroup",   "hr",
    "html",       "iframe",  "img",    "input",   "keygen",    "li",       "link",     "listing",
    "main",       "marquee", "menu",   "meta",    "nav",       "noembed",  "noframes", "noscript",
    "object",     "ol",      "p",      "param",   "plaintext", "pre",      "script",   "section",
    "select",     "source",  "style",  "summary", "table",     "tbody",    "td",       "template",
    "textarea",   "tfoot",   "th",     "thead",   "title",     "tr",       "track",    "ul",
    "wbr",        "xmp"};
constexpr std::string_view kVoid[] = {
    "area", "base",  "basefont", "bgsound", "br",   "col",   "embed",  "frame", "hr", "image",
    "img",  "input", "keygen",   "link",    "meta", "param", "source", "track", "wbr"};
constexpr std::string_view kFormatting[] = {"a",    "b", "big",   "code",   "em",     "font", "i",
                                            "nobr", "s", "small", "strike", "strong", "tt",   "u"};
constexpr std::string_view kMarkers[] = {"applet", "caption",  "marquee", "object",
                                         "td",     "template", "th"};
constexpr std::string_view kRawText[] = {"iframe", "noembed",  "noframes", "plaintext", "script",
                                         "style",  "textarea", "title",    "xmp"};
// Start tags that close an open <p> (in button scope) and do not reconstruct formatting.
constexpr std::string_view kBlocks[] = {
    "address", "article",   "aside", "blockquote", "center",   "dd",         "details", "dialog",
    "dir",     "div",       "dl",    "dt",         "fieldset", "figcaption", "figure",  "footer",
    "form",    "h1",        "h2",    "h3",         "h4",       "h5",         "h6",      "header",
    "hgroup",  "hr",        "li",    "listing",    "main",     "menu",       "nav",     "ol",
    "p",       "plaintext", "pre",   "section",    "summary",  "ul",         "xmp"};
constexpr std::string_view kTableParts[] = {"caption", "col",   "colgroup", "table", "tbody",
                                            "td",      "tfoot", "th",       "thead", "tr"};
// Start tags that make gumbo leave svg/math content.
constexpr std::string_view kBreakout[] = {
    "b",      "big",    "blockquote", "body",  "br",    "center", "code", "dd",      "div",
    "dl",     "dt",     "em",         "embed", "font",  "h1",     "h2",   "h3",      "h4",
    "h5",     "h6",     "head",       "hr",    "i",     "img",    "li",   "listing", "menu",
    "meta",   "nobr",   "ol",         "p",     "pre",   "ruby",   "s",    "small",   "span",
    "strike", "strong", "sub",        "sup",   "table", "tt",     "u",    "ul",      "var"};
constexpr std::string_view kScope[] = {"applet", "caption", "html",     "marquee", "object",
                                       "table",  "td",      "template", "th"};
constexpr std::string_view kTableScope[] = {"html", "table", "template"};

static_assert(std::is_sorted(std::begin(kSpecial), std::end(kSpecial)));
static_assert(std::is_sorted(std::begin(kVoid), std::end(kVoid)));
static_assert(std::is_sorted(std::begin(kFormatting), std::end(kFormatting)));
static_assert(std::is_sorted(std::begin(kMarkers), std::end(kMarkers)));
static_assert(std::is_sorted(std::begin(kRawText), std::end(kRawText)));
static_assert(std::is_sorted(std::begin(kBlocks), std::end(kBlocks)));
static_assert(std::is_sorted(std::begin(kTableParts), std::end(kTableParts)));
static_assert(std::is_sorted(std::begin(kBreakout), std::end(kBreakout)));
static_assert(std::is_sorted(std::begin(kScope), std::end(kScope)));
static_assert(std::is_sorted(std::begin(kTableScope), std::end(kTableScope)));

bool IsHeading(std::string_view n) {
  return n.size() == 2 && n[0] == 'h' && n[1] >= '1' && n[1] <= '6';
}
bool IsForeignRoot(std::string_view n) { return n == "svg" || n == "math"; }

class HtmlCostGuard {
 public:
  static constexpr size_t kMaxDepth = 1024;
  static constexpr size_t kMaxFormatting = 1024;
  // Steps allowed on top of kFreeStepsPerToken per tag or text run. A step is about 5 ns of gumbo
  // time (one element of a stack walk; creating an element costs ~1.3 us), so a hostile page
  // costs gumbo at most about a quarter of a second more than a well-formed one of its size.
  static constexpr uint64_t kBaseSteps = 50'000'000;
  static constexpr uint64_t kFreeStepsPerToken = 64;
  static constexpr uint64_t kStepsPerCreatedElement = 256;  // allocation and attribute copies

  Status Scan(std::string_view html) {
    size_t i = 0;
    while (i < html.size()) {
      const size_t lt = html.find('<', i);
      const size_t text_end = lt == std::string_view::npos ? html.size() : lt;
      if (text_end > i) Text();
      if (lt == std::string_view::npos) break;
      i = lt;
      const std::string_view rest = html.substr(i);
      if (rest.starts_with("<!--")) {
        const size_t end = html.find("-->", i + 4);
        i = end == std::string_view::npos ? html.size() : end + 3;
      } else if (rest.starts_with("<!") || rest.starts_with("<?")) {
        const size_t end = html.find('>', i);
        i = end == std::string_view::npos ? html.size() : end + 1;
      } else if (rest.size() > 2 && rest[1] == '/' && IsAsciiAlpha(rest[2])) {
        std::string name;
        i = ReadName(html, i + 2, name);
        const size_t end = html.find('>', i);
        i = end == std::string_view::npos ? html.size() : end + 1;
        End(name);
      } else if (rest.size() > 1 && IsAsciiAlpha(rest[1])) {
        std::string name;
        i = ReadName(html, i + 1, name);
        size_t attributes = 0;
        bool self_closing = false;
        const size_t attr_start = i;
        i = SkipAttributes(html, i, attributes, self_closing);
        const std::string_view attrs = html.substr(attr_start, i - attr_start);
        Start(name, attributes, std::hash<std::string_view>{}(attrs), self_closing);
        if (In(kRawText, name)) i = SkipRawText(html, i, name);
      } else {
        Text();  // a '<' that starts no tag is text
        ++i;
      }
      if (Status st = Check(i); !st.ok()) return st;
    }
    return Check(html.size());
  }

 private:
  struct Open {
    std::string name;
    uint64_t formatting_id = 0;  // its entry in formatting_, 0 if none
    bool marker = false;         // it put a marker in formatting_ (td, th, caption, ...)
  };
  struct Formatting {
    std::string name;  // empty for a marker
    size_t key = 0;    // hash of the attributes, for Noah's ark
    uint64_t id = 0;
    bool open = true;  // on the stack; otherwise waiting to be reconstructed
  };

  static size_t ReadName(std::string_view html, size_t i, std::string& name) {
    while (i < html.size() && !IsAsciiSpace(html[i]) && html[i] != '>' && html[i] != '/') {
      name.push_back(LowerAscii(html[i]));
      ++i;
    }
    return i;
  }

  // Returns the index after the tag's '>' (or the end), counting attribute names.
  static size_t SkipAttributes(std::string_view html, size_t i, size_t& count, bool& self_closing) {
    while (i < html.size()) {
      const char c = html[i];
      if (c == '>') return i + 1;
      if (IsAsciiSpace(c)) {
        ++i;
        continue;
      }
      if (c == '/') {
        self_closing = i + 1 < html.size() && html[i + 1] == '>';
        ++i;
        continue;
      }
      self_closing = false;
      ++count;
      while (i < html.size() && !IsAsciiSpace(html[i]) && html[i] != '>' && html[i] != '/' &&
             html[i] != '=') {
        ++i;
      }
      while (i < html.size() && IsAsciiSpace(html[i])) ++i;
      if (i < html.size() && html[i] == '=') {
        ++i;
        while (i < html.size() && IsAsciiSpace(html[i])) ++i;
        if (i < html.size() && (html[i] == '"' || html[i] == '\'')) {
          const size_t close = html.find(html[i], i + 1);
          i = close == std::string_view::npos ? html.size() : close + 1;
        } else {
          while (i < html.size() && !IsAsciiSpace(html[i]) && html[i] != '>') ++i;
        }
      }
    }
    return i;
  }

  // The index of the "</name" ending a raw-text element (script, style, ...) or the end.
  static size_t SkipRawText(std::string_view html, size_t i, std::string_view name) {
    if (name == "plaintext") return html.size();
    for (size_t at = html.find("</", i); at != std::string_view::npos;
         at = html.find("</", at + 2)) {
      if (StartsWithNoCase(html.substr(at + 2), name)) return at;
    }
    return html.size();
  }

  Status Check(size_t at) const {
    auto near = [at] { return " (near byte " + std::to_string(at) + ")"; };
    if (stack_.size() > kMaxDepth) {
      return ParseError("HTML nested too deeply: more than " + std::to_string(kMaxDepth) +
                        " open elements" + near());
    }
    if (formatting_.size() > kMaxFormatting) {
      return ParseError("HTML has more than " + std::to_string(kMaxFormatting) +
                        " unclosed formatting elements" + near());
    }
    if (steps_ > kBaseSteps + kFreeStepsPerToken * tokens_) {
      return ParseError("HTML too costly to parse (pathological nesting)" + near());
    }
    return Status::Ok();
  }

  void Text() {
    ++tokens_;
    steps_ += stack_.size();  // foster parenting looks for the table
    Reconstruct();
  }

  void Start(const std::string& name, size_t attributes, size_t key, bool self_closing) {
    ++tokens_;
    steps_ += stack_.size() + attributes * attributes / 2;  // gumbo's duplicate check is quadratic
    if (name == "html" || name == "body" || name == "head") return;  // merged into existing ones
    if (foreign_ > 0) {
      if (!In(kBreakout, name)) {
        if (!self_closing) Push(name, 0);
        return;
      }
      while (foreign_ > 0 && stack_.size() > 2) Pop();
    }
    if (In(kTableParts, name) && name != "table" && tables_ == 0) return;  // ignored by gumbo
    if (In(kBlocks, name)) ClosePInButtonScope();
    if (name == "li") {
      CloseImplied([](std::string_view n) { return n == "li"; }, StopsListItem);
    } else if (name == "dd" || name == "dt") {
      CloseImplied([](std::string_view n) { return n == "dd" || n == "dt"; }, StopsListItem);
    } else if (IsHeading(name)) {
      if (!stack_.empty() && IsHeading(stack_.back().name)) Pop();
    } else if (name == "a" || name == "nobr") {
      Adoption(name);
    } else if (name == "option" || name == "optgroup") {
      if (!stack_.empty() && stack_.back().name == "option") Pop();
      if (name == "optgroup" && !stack_.empty() && stack_.back().name == "optgroup") Pop();
    } else if (name == "tr") {
      CloseImplied([](std::string_view n) { return n == "tr"; }, StopsTableScope);
    } else if (name == "td" || name == "th") {
      CloseImplied([](std::string_view n) { return n == "td" || n == "th"; },
                   [](std::string_view n) { return n == "tr" || In(kTableScope, n); });
    } else if (name == "tbody" || name == "thead" || name == "tfoot") {
      CloseImplied([](std::string_view n) { return n == "tbody" || n == "thead" || n == "tfoot"; },
                   StopsTableScope);
    }
    if (!In(kBlocks, name) && !In(kTableParts, name)) Reconstruct();
    if (In(kVoid, name) || In(kRawText, name)) return;  // no element stays open
    if (IsForeignRoot(name) && self_closing) return;
    uint64_t id = 0;
    if (In(kFormatting, name)) id = AddFormatting(name, key);
    Push(name, id);
    if (In(kMarkers, name)) {
      stack_.back().marker = true;
      formatting_.push_back(Formatting{"", 0, next_id_++, false});
    }
  }

  void End(const std::string& name) {
    ++tokens_;
    steps_ += stack_.size();
    if (name == "html" || name == "body" || In(kVoid, name)) return;
    if (In(kFormatting, name)) {
      steps_ += 8 * stack_.size();  // the adoption agency's outer loop
      if (Adoption(name)) return;
    }
    bool (*stops)(std::string_view) = nullptr;
    if (name == "p") {
      stops = StopsButtonScope;
    } else if (name == "li") {
      stops = [](std::string_view n) { return n == "ol" || n == "ul" || In(kScope, n); };
    } else if (name == "table" || name == "tbody" || name == "thead" || name == "tfoot" ||
               name == "tr") {
      stops = StopsTableScope;
    } else if (In(kSpecial, name)) {
      stops = [](std::string_view n) { return In(kScope, n); };
    } else {
      stops = [](std::string_view n) { return In(kSpecial, n); };  // "any other end tag"
    }
    if (auto at = Find([&](std::string_view n) { return n == name; }, stops)) PopTo(*at);
  }

  static bool StopsButtonScope(std::string_view n) { return n == "button" || In(kScope, n); }
  static bool StopsTableScope(std::string_view n) { return In(kTableScope, n); }
  static bool StopsListItem(std::string_view n) {
    return In(kSpecial, n) && n != "address" && n != "div" && n != "p";
  }

  // Index in stack_ of the topmost element matching `want`, unless one matching `stop` (and not
  // `want`) comes first.
  template <typename Want, typename Stop>
  std::optional<size_t> Find(const Want& want, const Stop& stop) {
    for (size_t k = stack_.size(); k-- > 0;) {
      ++steps_;
      if (want(stack_[k].name)) return k;
      if (stop(stack_[k].name)) return std::nullopt;
    }
    return std::nullopt;
  }

  template <typename Want, typename Stop>
  void CloseImplied(const Want& want, const Stop& stop) {
    if (auto at = Find(want, stop)) PopTo(*at);
  }

  void ClosePInButtonScope() {
    CloseImplied([](std::string_view n) { return n == "p"; }, StopsButtonScope);
  }

  void Push(std::string_view name, uint64_t formatting_id) {
    stack_.push_back(Open{std::string(name), formatting_id, false});
    if (IsForeignRoot(name)) ++foreign_;
    if (name == "table") ++tables_;
  }

  void Pop() {
    if (stack_.empty()) return;
    const Open& top = stack_.back();
    if (top.formatting_id != 0) {
      if (Formatting* f = FindFormatting(top.formatting_id)) f->open = false;
    }
    if (top.marker) ClearToLastMarker();
    if (IsForeignRoot(top.name)) --foreign_;
    if (top.name == "table") --tables_;
    stack_.pop_back();
  }

  void PopTo(size_t index) {
    while (stack_.size() > index) Pop();
  }

  // Entries are appended with increasing ids and never reordered.
  std::vector<Formatting>::iterator FormattingEntry(uint64_t id) {
    auto it = std::lower_bound(formatting_.begin(), formatting_.end(), id,
                               [](const Formatting& f, uint64_t v) { return f.id < v; });
    return it != formatting_.end() && it->id == id ? it : formatting_.end();
  }

  Formatting* FindFormatting(uint64_t id) {
    auto it = FormattingEntry(id);
    return it == formatting_.end() ? nullptr : &*it;
  }

  void EraseFormatting(uint64_t id) {
    auto it = FormattingEntry(id);
    if (it != formatting_.end()) {
      steps_ += static_cast<uint64_t>(formatting_.end() - it);
      formatting_.erase(it);
    }
  }

  size_t AfterLastMarker() const {
    for (size_t k = formatting_.size(); k-- > 0;) {
      if (formatting_[k].name.empty()) return k + 1;
    }
    return 0;
  }

  void ClearToLastMarker() {
    while (!formatting_.empty()) {
      const bool marker = formatting_.back().name.empty();
      formatting_.pop_back();
      if (marker) break;
    }
  }

  uint64_t AddFormatting(const std::string& name, size_t key) {
    // Noah's ark: at most three identical entries after the last marker.
    size_t same = 0;
    size_t earliest = formatting_.size();
    for (size_t k = AfterLastMarker(); k < formatting_.size(); ++k) {
      ++steps_;
      if (formatting_[k].name == name && formatting_[k].key == key) {
        if (same++ == 0) earliest = k;
      }
    }
    if (same >= 3) EraseFormatting(formatting_[earliest].id);
    formatting_.push_back(Formatting{name, key, next_id_, true});
    return next_id_++;
  }

  // Reopens every formatting element closed since it was opened (after the last marker).
  void Reconstruct() {
    for (size_t k = AfterLastMarker(); k < formatting_.size(); ++k) {
      ++steps_;
      Formatting& f = formatting_[k];
      if (f.open) continue;
      f.open = true;
      stack_.push_back(Open{f.name, f.id, false});
      steps_ += kStepsPerCreatedElement;
    }
  }

  // The end of formatting element `name` (or a new <a>/<nobr> while one is active). Returns false
  // when no such element is active, so that the caller treats it as any other end tag.
  bool Adoption(const std::string& name) {
    std::optional<size_t> entry;
    for (size_t k = formatting_.size(); k-- > AfterLastMarker();) {
      if (formatting_[k].name == name) {
        entry = k;
        break;
      }
    }
    if (!entry) return false;
    const uint64_t id = formatting_[*entry].id;
    if (!formatting_[*entry].open) {
      EraseFormatting(id);
      return true;
    }
    std::optional<size_t> at;
    for (size_t k = stack_.size(); k-- > 0;) {
      ++steps_;
      if (stack_[k].formatting_id == id) {
        at = k;
        break;
      }
      if (In(kScope, stack_[k].name)) break;  // not in scope: the tag is ignored
    }
    if (!at) return true;
    // With a special element above it (a "furthest block"), gumbo moves nodes around and the
    // depth stays; otherwise everything up to the formatting element is popped.
    for (size_t k = *at + 1; k < stack_.size(); ++k) {
      if (In(kSpecial, stack_[k].name)) return true;
    }
    PopTo(*at);
    EraseFormatting(id);
    return true;
  }

  std::vector<Open> stack_ = {Open{"html", 0, false}, Open{"body", 0, false}};
  std::vector<Formatting> formatting_;
  uint64_t next_id_ = 1;
  uint64_t steps_ = 0;
  uint64_t tokens_ = 0;
  int foreign_ = 0;  // svg and math elements open
  int tables_ = 0;
};

// ---------------------------------------------------------------------------------------------
// HTML to lines

// Builds lines from inline text and block boundaries: whitespace collapsed, at most one empty
// line in a row, none at the start or the end.
class LineSink {
 public:
  void Text(std::string_view s) {
    for (size_t i = 0; i < s.size(); ++i) {
      const char c = s[i];
      if (IsAsciiSpace(c)) {
        space_ = true;
      } else if (c == '\xC2' && i + 1 < s.size() && s[i + 1] == '\xA0') {  // no-break space
        space_ = true;
        ++i;
      } else {
        StartText();
        if (space_ && !fresh_ && line_.back() != ' ' && line_.back() != '\t') {
          line_.push_back(' ');
        }
        space_ = false;
        fresh_ = false;
        line_.push_back(c);
      }
    }
  }

  // Text inside <pre>: spaces and line breaks kept.
  void PreText(std::string_view s) {
    for (size_t i = 0; i < s.size(); ++i) {
      const char c = s[i];
      if (c == '\n') {
        RightTrim(line_);
        lines_.push_back(std::move(line_));
        line_.clear();
      } else if (c != '\r') {
        StartText();
        fresh_ = false;
        if (c == '\xC2' && i + 1 < s.size() && s[i + 1] == '\xA0') {
          line_.push_back(' ');
          ++i;
        } else {
          line_.push_back(c);
        }
      }
    }
    space_ = false;
  }

  void EndLine() {
    space_ = false;
    if (line_.empty()) return;
    RightTrim(line_);
    lines_.push_back(std::move(line_));
    line_.clear();
  }

  void BlankLine() {
    EndLine();
    if (!lines_.empty() && !lines_.back().empty()) lines_.emplace_back();
  }

  void LineBreak() {  // <br>
    if (line_.empty()) {
      BlankLine();
    } else {
      EndLine();
    }
  }

  // Text put before the next line's first character ("- " for list items).
  void SetPrefix(std::string_view prefix) { prefix_ = prefix; }
  void ClearPrefix() { prefix_.clear(); }

  void AddLine(std::string line) {
    EndLine();
    lines_.push_back(std::move(line));
  }

  void AddLines(const std::vector<std::string>& lines) {
    EndLine();
    for (const std::string& l : lines) {
      if (l.empty()) {
        BlankLine();
      } else {
        lines_.push_back(l);
      }
    }
  }

  // The finished lines; `ended_with_block` tells whether the last one closed a block.
  std::vector<std::string> Take(bool* ended_with_block = nullptr) {
    EndLine();
    if (ended_with_block) *ended_with_block = !lines_.empty() && lines_.back().empty();
    while (!lines_.empty() && lines_.back().empty()) lines_.pop_back();
    size_t first = 0;
    while (first < lines_.size() && lines_[first].empty()) ++first;
    lines_.erase(lines_.begin(), lines_.begin() + static_cast<std::ptrdiff_t>(first));
    return std::move(lines_);
  }

 private:
  static void RightTrim(std::string& s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.pop_back();
  }

  void StartText() {
    if (!line_.empty()) return;
    line_ = prefix_;
    prefix_.clear();
    fresh_ = true;  // no space between a prefix and the text
  }

  std::vector<std::string> lines_;
  std::string line_;
  std::string prefix_;
  bool space_ = false;
  bool fresh_ = false;
};

struct GumboDeleter {
  GumboOptions options;
  void operator()(GumboOutput* output) const { gumbo_destroy_output(&options, output); }
};
using GumboOutputPtr = std::unique_ptr<GumboOutput, GumboDeleter>;

class HtmlRenderer {
 public:
  // Deeper than this the tree is read as flat text: the walk is recursive, and no page a person
  // reads comes close.
  static constexpr int kMaxDepth = 256;

  /// `skip`: elements left out with everything under them (page furniture).
  explicit HtmlRenderer(const std::unordered_set<const GumboNode*>* skip = nullptr) : skip_(skip) {}

  /// The lines of `roots`, one after the other.
  std::vector<std::string> Render(const std::vector<const GumboNode*>& roots) {
    LineSink sink;
    for (const GumboNode* root : roots) {
      Walk(root, sink, 0);
      sink.BlankLine();
    }
    return sink.Take();
  }
  bool flattened() const { return flattened_; }

 private:
  bool Skipped(const GumboNode* node) const { return skip_ && skip_->count(node) > 0; }

  void Walk(const GumboNode* node, LineSink& sink, int depth) {
    switch (node->type) {
      case GUMBO_NODE_DOCUMENT:
        Children(node->v.document.children, sink, depth);
        return;
      case GUMBO_NODE_TEXT:
      case GUMBO_NODE_CDATA:
      case GUMBO_NODE_WHITESPACE:
        if (pre_ > 0) {
          sink.PreText(node->v.text.text);
        } else {
          sink.Text(node->v.text.text);
        }
        return;
      case GUMBO_NODE_COMMENT:
        return;
      case GUMBO_NODE_ELEMENT:
      case GUMBO_NODE_TEMPLATE:
        if (Skipped(node)) return;
        if (depth >= kMaxDepth) {
          Flat(node, sink);
        } else {
          Element(node, sink, depth + 1);
        }
        return;
    }
  }

  void Children(const GumboVector& children, LineSink& sink, int depth) {
    for (unsigned i = 0; i < children.length; ++i) {
      Walk(static_cast<const GumboNode*>(children.data[i]), sink, depth);
    }
  }

  void Element(const GumboNode* node, LineSink& sink, int depth) {
    const GumboElement& el = node->v.element;
    switch (el.tag) {
      case GUMBO_TAG_HEAD:
      case GUMBO_TAG_SCRIPT:
      case GUMBO_TAG_STYLE:
      case GUMBO_TAG_NOSCRIPT:
      case GUMBO_TAG_TEMPLATE:
      case GUMBO_TAG_TITLE:
        return;
      case GUMBO_TAG_BR:
        sink.LineBreak();
        return;
      case GUMBO_TAG_HR:
        sink.BlankLine();
        return;
      case GUMBO_TAG_TABLE:
        Table(node, sink, depth);
        return;
      case GUMBO_TAG_LI:
        sink.EndLine();
        sink.SetPrefix("- ");
        Children(el.children, sink, depth);
        sink.EndLine();
        sink.ClearPrefix();
        return;
      case GUMBO_TAG_UL:
      case GUMBO_TAG_OL:
        sink.EndLine();
        ++lists_;
        Children(el.children, sink, depth);
        --lists_;
        if (lists_ == 0) {
          sink.BlankLine();
        } else {
          sink.EndLine();
        }
        return;
      case GUMBO_TAG_PRE:
        sink.EndLine();
        ++pre_;
        Children(el.children, sink, depth);
        --pre_;
        sink.BlankLine();
        return;
      case GUMBO_TAG_DT:
      case GUMBO_TAG_DD:
      case GUMBO_TAG_TR:
      case GUMBO_TAG_TD:
      case GUMBO_TAG_TH:
      case GUMBO_TAG_CAPTION:
      case GUMBO_TAG_FIGCAPTION:
      case GUMBO_TAG_SUMMARY:
      case GUMBO_TAG_LEGEND:
      case GUMBO_TAG_OPTION:
        sink.EndLine();
        Children(el.children, sink, depth);
        sink.EndLine();
        return;
      case GUMBO_TAG_P:
      case GUMBO_TAG_H1:
      case GUMBO_TAG_H2:
      case GUMBO_TAG_H3:
      case GUMBO_TAG_H4:
      case GUMBO_TAG_H5:
      case GUMBO_TAG_H6:
      case GUMBO_TAG_DIV:
      case GUMBO_TAG_SECTION:
      case GUMBO_TAG_ARTICLE:
      case GUMBO_TAG_HEADER:
      case GUMBO_TAG_FOOTER:
      case GUMBO_TAG_BLOCKQUOTE:
      case GUMBO_TAG_NAV:
      case GUMBO_TAG_ASIDE:
      case GUMBO_TAG_MAIN:
      case GUMBO_TAG_FIGURE:
      case GUMBO_TAG_FORM:
      case GUMBO_TAG_ADDRESS:
      case GUMBO_TAG_CENTER:
      case GUMBO_TAG_FIELDSET:
      case GUMBO_TAG_DETAILS:
      case GUMBO_TAG_DL:
      case GUMBO_TAG_HGROUP:
      case GUMBO_TAG_MENU:
      case GUMBO_TAG_DIR:
        sink.EndLine();
        Children(el.children, sink, depth);
        sink.BlankLine();
        return;
      default:  // inline: a, span, b, em, unknown tags, ...
        Children(el.children, sink, depth);
        return;
    }
  }

  void Table(const GumboNode* table, LineSink& sink, int depth) {
    sink.EndLine();
    const GumboVector& children = table->v.element.children;
    for (unsigned i = 0; i < children.length; ++i) {
      const auto* child = static_cast<const GumboNode*>(children.data[i]);
      if (child->type != GUMBO_NODE_ELEMENT) continue;  // whitespace between rows
      const GumboTag tag = child->v.element.tag;
      if (tag == GUMBO_TAG_TBODY || tag == GUMBO_TAG_THEAD || tag == GUMBO_TAG_TFOOT) {
        const GumboVector& rows = child->v.element.children;
        for (unsigned r = 0; r < rows.length; ++r) {
          const auto* row = static_cast<const GumboNode*>(rows.data[r]);
          if (row->type == GUMBO_NODE_ELEMENT && row->v.element.tag == GUMBO_TAG_TR) {
            if (!Skipped(row)) Row(row, sink, depth + 1);
          } else if (row->type == GUMBO_NODE_ELEMENT) {
            Walk(row, sink, depth + 1);
          }
        }
      } else if (tag == GUMBO_TAG_TR) {
        if (!Skipped(child)) Row(child, sink, depth);
      } else if (tag != GUMBO_TAG_COLGROUP && tag != GUMBO_TAG_COL) {
        Walk(child, sink, depth);
      }
    }
    sink.BlankLine();
  }

  // A row of two or more one-line cells is one line, cells joined by a TAB; otherwise (layout
  // tables, a single cell) the cells' lines follow one another as blocks.
  void Row(const GumboNode* row, LineSink& sink, int depth) {
    struct Cell {
      std::vector<std::string> lines;
      bool block = false;
    };
    std::vector<Cell> cells;
    const GumboVector& children = row->v.element.children;
    for (unsigned i = 0; i < children.length; ++i) {
      const auto* child = static_cast<const GumboNode*>(children.data[i]);
      if (child->type != GUMBO_NODE_ELEMENT) continue;
      const GumboTag tag = child->v.element.tag;
      if ((tag != GUMBO_TAG_TD && tag != GUMBO_TAG_TH) || Skipped(child)) continue;
      LineSink cell_sink;
      Cell cell;
      if (depth + 1 >= kMaxDepth) {
        Flat(child, cell_sink);
      } else {
        Children(child->v.element.children, cell_sink, depth + 1);
      }
      cell.lines = cell_sink.Take(&cell.block);
      cells.push_back(std::move(cell));
    }
    size_t first = cells.size(), last = 0, filled = 0;
    bool one_line_each = true;
    for (size_t k = 0; k < cells.size(); ++k) {
      if (cells[k].lines.empty()) continue;
      ++filled;
      first = std::min(first, k);
      last = k;
      if (cells[k].lines.size() > 1) one_line_each = false;
    }
    if (filled >= 2 && one_line_each) {
      std::string line;
      for (size_t k = first; k <= last; ++k) {
        if (k > first) line.push_back('\t');
        if (!cells[k].lines.empty()) line += cells[k].lines[0];
      }
      sink.AddLine(std::move(line));
      return;
    }
    for (const Cell& cell : cells) {
      if (cell.lines.empty()) continue;
      sink.AddLines(cell.lines);
      if (cell.block || cell.lines.size() > 1) sink.BlankLine();
    }
  }

  // The text under `node` without structure, walked without recursion.
  void Flat(const GumboNode* node, LineSink& sink) {
    flattened_ = true;
    std::vector<const GumboNode*> todo = {node};
    while (!todo.empty()) {
      const GumboNode* n = todo.back();
      todo.pop_back();
      if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_CDATA ||
          n->type == GUMBO_NODE_WHITESPACE) {
        sink.Text(n->v.text.text);
        sink.Text(" ");
      } else if (n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE) {
        const GumboTag tag = n->v.element.tag;
        if (tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE || tag == GUMBO_TAG_HEAD ||
            tag == GUMBO_TAG_TEMPLATE || tag == GUMBO_TAG_NOSCRIPT) {
          continue;
        }
        const GumboVector& children = n->v.element.children;
        for (unsigned i = children.length; i-- > 0;) {
          todo.push_back(static_cast<const GumboNode*>(children.data[i]));
        }
      }
    }
  }

  const std::unordered_set<const GumboNode*>* skip_;
  int pre_ = 0;
  int lists_ = 0;
  bool flattened_ = false;
};

// ---------------------------------------------------------------------------------------------
// The main content of a page as it is served
//
// A CMS page wraps its text in furniture: a cookie banner, navigation, breadcrumbs, share bars,
// related-article lists, a footer. The main content is, in this order:
//  1. the <main> element (or role="main"): the page says so, and nothing outside it is read
//     but its <h1> when the title stands above it;
//  2. the <article> element, or the smallest element holding all of them (a listing);
//  3. else the densest block: going down from <body> while one child holds at least 80 % of
//     the text that is not link text.
// In cases 2 and 3 what lies outside is kept unless it is furniture or mostly link text (a
// menu, a list of related articles): it could be content. Inside the main content, furniture
// (a share bar, a breadcrumb) is left out as well.

std::string_view Attr(const GumboNode* n, const char* name) {
  const GumboAttribute* a = gumbo_get_attribute(&n->v.element.attributes, name);
  return a ? std::string_view(a->value) : std::string_view();
}

bool IsElementNode(const GumboNode* n) {
  return n->type == GUMBO_NODE_ELEMENT || n->type == GUMBO_NODE_TEMPLATE;
}

bool EqualsNoCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && StartsWithNoCase(a, b);
}

// Words that name page furniture when they make up a whole part of a class or id
// ("cookie-banner", "taglib-social-bookmarks", "breadcrumb"); parts split at '-', '_', ' '.
constexpr std::string_view kFurnitureWords[] = {
    "addthis",    "banner", "bookmarks", "breadcrumb", "breadcrumbs", "consent",  "cookie",
    "cookies",    "footer", "gdpr",      "menu",       "nav",         "navbar",   "navigation",
    "pagination", "print",  "related",   "share",      "sharing",     "sidebar",  "skip",
    "social",     "toolbar"};
static_assert(std::is_sorted(std::begin(kFurnitureWords), std::end(kFurnitureWords)));

bool NamesFurniture(std::string_view value) {
  size_t i = 0;
  while (i < value.size()) {
    size_t j = i;
    std::string part;
    while (j < value.size() && value[j] != '-' && value[j] != '_' && !IsAsciiSpace(value[j])) {
      part.push_back(LowerAscii(value[j++]));
    }
    if (In(kFurnitureWords, part)) return true;
    i = j + 1;
  }
  return false;
}

// Furniture wherever it stands: navigation, hidden parts, banners and bars named as such.
bool IsFurniture(const GumboNode* n) {
  const GumboElement& el = n->v.element;
  if (el.tag == GUMBO_TAG_NAV) return true;
  if (gumbo_get_attribute(&el.attributes, "hidden") || EqualsNoCase(Attr(n, "aria-hidden"), "true")) return true;
  const std::string_view role = Attr(n, "role");
  for (std::string_view r : {"navigation", "banner", "contentinfo", "search", "dialog", "alertdialog"}) {
    if (EqualsNoCase(role, r)) return true;
  }
  return NamesFurniture(Attr(n, "class")) || NamesFurniture(Attr(n, "id"));
}

// Furniture when it stands outside the main content (inside, an article's header holds its
// title and date).
bool IsOuterFurniture(const GumboNode* n) {
  const GumboTag tag = n->v.element.tag;
  return tag == GUMBO_TAG_HEADER || tag == GUMBO_TAG_FOOTER || tag == GUMBO_TAG_ASIDE ||
         tag == GUMBO_TAG_FORM || EqualsNoCase(Attr(n, "role"), "complementary");
}

bool IsUnread(GumboTag tag) {
  return tag == GUMBO_TAG_HEAD || tag == GUMBO_TAG_SCRIPT || tag == GUMBO_TAG_STYLE ||
         tag == GUMBO_TAG_NOSCRIPT || tag == GUMBO_TAG_TEMPLATE || tag == GUMBO_TAG_TITLE;
}

class MainContent {
 public:
  explicit MainContent(const GumboNode* document) {
    body_ = FindBody(document);
    if (!body_) return;
    Count(body_, false, 0);
    Choose();
    if (main_) Plan();
  }

  /// The subtrees to read, in order (the whole document when no body was found).
  std::vector<const GumboNode*> roots(const GumboNode* document) const {
    if (!main_) return {document};
    if (strict_) {
      std::vector<const GumboNode*> r;
      if (title_) r.push_back(title_);
      r.push_back(main_);
      return r;
    }
    return {body_};
  }
  const std::unordered_set<const GumboNode*>& skip() const { return skip_; }
  const GumboNode* main() const { return main_ ? main_ : body_; }

 private:
  struct Stats {
    size_t text = 0;  ///< bytes of text that is not white space
    size_t link = 0;  ///< of which inside links
  };

  static const GumboNode* FindBody(const GumboNode* document) {
    const GumboVector& top = document->v.document.children;
    for (unsigned i = 0; i < top.length; ++i) {
      const auto* html = static_cast<const GumboNode*>(top.data[i]);
      if (!IsElementNode(html) || html->v.element.tag != GUMBO_TAG_HTML) continue;
      const GumboVector& kids = html->v.element.children;
      for (unsigned k = 0; k < kids.length; ++k) {
        const auto* b = static_cast<const GumboNode*>(kids.data[k]);
        if (IsElementNode(b) && b->v.element.tag == GUMBO_TAG_BODY) return b;
      }
    }
    return nullptr;
  }

  // Text counts of every element under `n`; furniture counts nothing. Also collects the
  // candidates for the main content and the first <h1>.
  Stats Count(const GumboNode* n, bool in_link, int depth) {
    Stats s;
    if (n->type == GUMBO_NODE_TEXT || n->type == GUMBO_NODE_CDATA) {
      const std::string_view t = n->v.text.text;
      for (char c : t) s.text += IsAsciiSpace(c) ? 0 : 1;
      if (in_link) s.link = s.text;
      return s;
    }
    if (!IsElementNode(n) || depth >= HtmlRenderer::kMaxDepth) return s;
    const GumboElement& el = n->v.element;
    if (IsUnread(el.tag) || IsFurniture(n)) return s;
    const bool link = in_link || el.tag == GUMBO_TAG_A;
    const GumboVector& kids = el.children;
    for (unsigned i = 0; i < kids.length; ++i) {
      const Stats k = Count(static_cast<const GumboNode*>(kids.data[i]), link, depth + 1);
      s.text += k.text;
      s.link += k.link;
    }
    stats_[n] = s;
    if (el.tag == GUMBO_TAG_MAIN || EqualsNoCase(Attr(n, "role"), "main")) mains_.push_back(n);
    if (el.tag == GUMBO_TAG_ARTICLE) articles_.push_back(n);
    if (el.tag == GUMBO_TAG_H1 && s.text > 0) h1s_.push_back(n);
    return s;
  }

  Stats StatsOf(const GumboNode* n) const {
    auto it = stats_.find(n);
    return it == stats_.end() ? Stats{} : it->second;
  }

  static bool Contains(const GumboNode* outer, const GumboNode* inner) {
    for (const GumboNode* p = inner; p; p = p->parent) {
      if (p == outer) return true;
    }
    return false;
  }

  void Choose() {
    for (const GumboNode* m : mains_) {
      if (!main_ || StatsOf(m).text > StatsOf(main_).text) main_ = m;
    }
    if (main_ && StatsOf(main_).text > 0) {
      strict_ = true;
      const bool has_title = std::any_of(h1s_.begin(), h1s_.end(), [&](const GumboNode* h) { return Contains(main_, h); });
      if (!has_title && !h1s_.empty() && !Contains(h1s_.front(), main_)) title_ = h1s_.front();
      return;
    }
    main_ = nullptr;
    // Articles (not nested in another one) with text: the one, or the element holding them all.
    std::vector<const GumboNode*> outer;
    for (const GumboNode* a : articles_) {
      if (StatsOf(a).text == 0) continue;
      bool nested = false;
      for (const GumboNode* p = a->parent; p && !nested; p = p->parent) {
        nested = IsElementNode(p) && p->v.element.tag == GUMBO_TAG_ARTICLE;
      }
      if (!nested) outer.push_back(a);
    }
    if (!outer.empty()) {
      const GumboNode* common = outer.front();
      for (const GumboNode* a : outer) {
        while (common && !Contains(common, a)) common = common->parent;
      }
      if (common && Contains(body_, common)) {
        main_ = common;
        return;
      }
    }
    // The densest block.
    const size_t total = StatsOf(body_).text - StatsOf(body_).link;
    if (total == 0) return;
    const GumboNode* at = body_;
    for (;;) {
      const GumboNode* best = nullptr;
      size_t best_text = 0;
      const GumboVector& kids = at->v.element.children;
      for (unsigned i = 0; i < kids.length; ++i) {
        const auto* k = static_cast<const GumboNode*>(kids.data[i]);
        const Stats st = StatsOf(k);
        if (st.text - st.link > best_text) {
          best = k;
          best_text = st.text - st.link;
        }
      }
      if (!best || best_text * 5 < total * 4) break;
      at = best;
    }
    main_ = at;
  }

  // Marks what is left out: furniture everywhere; outside the main content (cases 2 and 3)
  // also page headers, footers, asides and forms, and blocks that are mostly link text.
  void Plan() {
    std::unordered_set<const GumboNode*> path;
    for (const GumboNode* p = main_; p; p = p->parent) path.insert(p);
    std::vector<std::pair<const GumboNode*, bool>> todo = {{strict_ ? main_ : body_, false}};
    while (!todo.empty()) {
      const auto [n, inside] = todo.back();
      todo.pop_back();
      const bool on_path = path.count(n) > 0;
      const bool in_main = inside || n == main_;
      if (!on_path && !in_main) {
        const Stats st = StatsOf(n);
        if (IsFurniture(n) || IsOuterFurniture(n) || (st.text > 0 && st.link * 2 >= st.text)) {
          skip_.insert(n);
          continue;
        }
      } else if (in_main && n != main_ && IsFurniture(n)) {
        skip_.insert(n);
        continue;
      }
      const GumboVector& kids = n->v.element.children;
      for (unsigned i = 0; i < kids.length; ++i) {
        const auto* k = static_cast<const GumboNode*>(kids.data[i]);
        if (IsElementNode(k) && stats_.count(k)) todo.emplace_back(k, in_main);
        else if (IsElementNode(k) && !IsUnread(k->v.element.tag) && IsFurniture(k)) skip_.insert(k);
      }
    }
  }

  const GumboNode* body_ = nullptr;
  const GumboNode* main_ = nullptr;
  const GumboNode* title_ = nullptr;
  bool strict_ = false;
  std::unordered_map<const GumboNode*, Stats> stats_;
  std::vector<const GumboNode*> mains_, articles_, h1s_;
  std::unordered_set<const GumboNode*> skip_;
};

// A date as HTML metadata writes it ("2024-06-20", "2024-06-20T09:00:00+02:00", "2024-06",
// "2024") at the precision it gives: the date as written, before any time or zone.
std::optional<std::string> IsoDateOf(std::string_view v) {
  while (!v.empty() && IsAsciiSpace(v.front())) v.remove_prefix(1);
  auto digits = [&](size_t at, size_t n) {
    if (at + n > v.size()) return false;
    for (size_t k = at; k < at + n; ++k) {
      if (v[k] < '0' || v[k] > '9') return false;
    }
    return true;
  };
  auto ends_at = [&](size_t at) {
    return at == v.size() || v[at] == 'T' || v[at] == 't' || IsAsciiSpace(v[at]);
  };
  if (!digits(0, 4)) return std::nullopt;
  const int year = std::stoi(std::string(v.substr(0, 4)));
  if (year < 1) return std::nullopt;
  if (ends_at(4)) return std::string(v.substr(0, 4));
  if (v[4] != '-' || !digits(5, 2)) return std::nullopt;
  const int month = std::stoi(std::string(v.substr(5, 2)));
  if (month < 1 || month > 12) return std::nullopt;
  if (ends_at(7)) return std::string(v.substr(0, 7));
  if (v[7] != '-' || !digits(8, 2) || !ends_at(10)) return std::nullopt;
  if (!domain::Date::Make(year, month, std::stoi(std::string(v.substr(8, 2))))) return std::nullopt;
  return std::string(v.substr(0, 10));
}

// The page's own date: the first publication date its <meta> elements state (in the order of
// kDateMeta); else the one date its <time datetime> elements in the main content give, when they
// all give the same (a listing's many item dates are not the page's).
void ReadHtmlDate(const GumboNode* document, const GumboNode* main, TextDocument& doc) {
  static constexpr std::string_view kDateMeta[] = {
      "article:published_time", "datepublished", "dc.date.issued", "dcterms.issued", "dc.date",
      "dcterms.date", "date", "citation_publication_date", "publication_date"};
  std::optional<std::string> meta[std::size(kDateMeta)];
  std::vector<const GumboNode*> todo = {document};
  while (!todo.empty()) {
    const GumboNode* n = todo.back();
    todo.pop_back();
    if (n->type == GUMBO_NODE_DOCUMENT) {
      for (unsigned i = 0; i < n->v.document.children.length; ++i) {
        todo.push_back(static_cast<const GumboNode*>(n->v.document.children.data[i]));
      }
      continue;
    }
    if (!IsElementNode(n)) continue;
    if (n->v.element.tag == GUMBO_TAG_META) {
      std::string_view key = Attr(n, "property");
      if (key.empty()) key = Attr(n, "name");
      if (key.empty()) key = Attr(n, "itemprop");
      for (size_t k = 0; k < std::size(kDateMeta); ++k) {
        if (!meta[k] && EqualsNoCase(key, kDateMeta[k])) meta[k] = IsoDateOf(Attr(n, "content"));
      }
      continue;
    }
    if (n->v.element.tag == GUMBO_TAG_BODY) continue;  // metadata lives in the head
    const GumboVector& kids = n->v.element.children;
    for (unsigned i = 0; i < kids.length; ++i) todo.push_back(static_cast<const GumboNode*>(kids.data[i]));
  }
  for (const auto& m : meta) {
    if (m) {
      doc.date = *m;
      doc.date_basis = "html metadata";
      return;
    }
  }
  if (!main) return;
  std::optional<std::string> only;
  todo = {main};
  while (!todo.empty()) {
    const GumboNode* n = todo.back();
    todo.pop_back();
    if (!IsElementNode(n)) continue;
    if (n->v.element.tag == GUMBO_TAG_TIME) {
      if (auto d = IsoDateOf(Attr(n, "datetime"))) {
        if (only && *only != *d) return;
        only = d;
      }
    }
    const GumboVector& kids = n->v.element.children;
    for (unsigned i = 0; i < kids.length; ++i) todo.push_back(static_cast<const GumboNode*>(kids.data[i]));
  }
  if (only) {
    doc.date = *only;
    doc.date_basis = "html <time datetime>";
  }
}

// The charset a page declares in its first 4 KB ("<meta charset=...>" or "...; charset=..."),
// lower case, or "".
std::string DeclaredCharset(std::string_view bytes) {
  const std::string_view head = bytes.substr(0, kHtmlSniffBytes);
  constexpr std::string_view kKey = "charset=";
  for (size_t i = 0; i + kKey.size() <= head.size(); ++i) {
    if (!StartsWithNoCase(head.substr(i), kKey)) continue;
    size_t k = i + kKey.size();
    while (k < head.size() && (head[k] == '"' || head[k] == '\'' || head[k] == ' ')) ++k;
    std::string name;
    while (k < head.size() && (std::isalnum(static_cast<unsigned char>(head[k])) ||
                               head[k] == '-' || head[k] == '_' || head[k] == ':')) {
      name.push_back(LowerAscii(head[k++]));
    }
    return name;
  }
  return "";
}

bool IsWindows1252Label(std::string_view name) {
  static constexpr std::string_view kLabels[] = {
      "ascii",      "cp1252",    "cp819",        "csisolatin1", "ibm819",          "iso-8859-1",
      "iso-ir-100", "iso8859-1", "iso88591",     "iso_8859-1",  "iso_8859-1:1987", "l1",
      "latin1",     "us-ascii",  "windows-1252", "x-cp1252"};
  return std::find(std::begin(kLabels), std::end(kLabels), name) != std::end(kLabels);
}

// True when the page opened <html> or <body> but never closed them: the file was cut off.
bool HtmlTruncated(std::string_view html) {
  bool opened = false;
  for (size_t i = html.find('<'); i != std::string_view::npos; i = html.find('<', i + 1)) {
    if (!opened) {
      opened = TagAt(html, i, "html") || TagAt(html, i, "body");
    } else if (i + 1 < html.size() && html[i + 1] == '/' &&
               (StartsWithNoCase(html.substr(i + 2), "html") ||
                StartsWithNoCase(html.substr(i + 2), "body"))) {
      return false;
    }
  }
  return opened;
}

Result<TextDocument> ReadHtml(std::string_view bytes) {
  TextDocument doc;
  doc.format = Format::kHtml;
  bytes = StripBom(bytes);

  // gumbo wants UTF-8. Old pages often are Latin-1: decode those when they say so; otherwise
  // replace what is not UTF-8 and say where.
  std::string decoded;
  std::string_view source = bytes;
  if (!IsValidUtf8(bytes)) {
    const std::string charset = DeclaredCharset(bytes);
    if (IsWindows1252Label(charset)) {
      decoded = DecodeWindows1252(bytes);
      doc.warnings.push_back("not UTF-8: decoded as windows-1252 (the page declares charset " +
                             charset + ")");
    } else {
      std::vector<std::string> warnings;
      const std::vector<std::string> lines =
          SplitRepairedLines(bytes, "HTML source line", warnings);
      for (const std::string& l : lines) {
        decoded += l;
        decoded += '\n';
      }
      doc.warnings.insert(doc.warnings.end(), warnings.begin(), warnings.end());
    }
    source = decoded;
  }

  HtmlCostGuard guard;
  if (Status st = guard.Scan(source); !st.ok()) return st;

  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;  // parse errors are not reported; do not keep them
  GumboOutputPtr output(gumbo_parse_with_options(&options, source.data(), source.size()),
                        GumboDeleter{options});
  if (!output) return ParseError("HTML could not be parsed");

  const MainContent content(output->document);
  HtmlRenderer renderer(&content.skip());
  doc.lines = renderer.Render(content.roots(output->document));
  ReadHtmlDate(output->document, content.main(), doc);
  if (renderer.flattened()) {
    doc.warnings.push_back("HTML nested more than " + std::to_string(HtmlRenderer::kMaxDepth) +
                           " levels deep: the deepest parts read as plain text");
  }
  for (std::string& line : doc.lines) {
    if (!IsValidUtf8(line)) {  // gumbo replaces invalid input itself; be sure anyway
      std::string repaired;
      AppendRepairedUtf8(line, repaired);
      line = std::move(repaired);
    }
  }
  doc.truncated = HtmlTruncated(source);
  return doc;
}

// ---------------------------------------------------------------------------------------------
// PDF
//
// Layout mode. poppler offers physical_layout (text placed as on the page), raw_order_layout
// (the order of the content stream) and non_raw_non_physical_layout. Measured on the two seed
// documents rendered to PDF by weasyprint (43 pages): physical and raw order give the same
// sequence of non-whitespace characters on every page, non_raw_non_physical reorders 13 of them.
// Only physical_layout keeps the vertical gaps between paragraphs as empty lines (401 on seed
// 000's pages, raw order 0, the third mode 29), which the extractors need to find blocks, and the
// horizontal gaps between table cells, which become a TAB; raw order puts each cell on a line of
// its own. The cost: text set side by side (columns, or a table cell that wraps while its
// neighbour does not) is read line by line across the page, as one reads a table row.

void SilencePoppler() {
  static std::once_flag once;
  std::call_once(
      once, [] { poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr); });
}

// One page's text as lines: form feeds and trailing spaces removed, the page's common
// indentation removed, runs of 3+ spaces turned into a TAB, runs of empty lines made one.
std::vector<std::string> PageLines(std::string_view text) {
  std::vector<std::string> raw;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string line;
    for (char c : text.substr(start, end - start)) {
      if (c == '\f' || c == '\r') continue;
      line.push_back(c == '\t' ? ' ' : c);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    raw.push_back(std::move(line));
    start = end + 1;
  }
  size_t indent = std::string::npos;
  for (const std::string& l : raw) {
    if (!l.empty()) indent = std::min(indent, l.find_first_not_of(' '));
  }
  std::vector<std::string> lines;
  for (const std::string& l : raw) {
    if (l.empty()) {
      if (!lines.empty() && !lines.back().empty()) lines.emplace_back();
      continue;
    }
    std::string out;
    size_t i = indent;
    while (i < l.size()) {
      if (l[i] != ' ') {
        out.push_back(l[i++]);
        continue;
      }
      size_t run = 0;
      while (i < l.size() && l[i] == ' ') {
        ++run;
        ++i;
      }
      if (run >= 3) {
        out.push_back('\t');
      } else if (!out.empty()) {
        out.append(run, ' ');
      }
    }
    lines.push_back(std::move(out));
  }
  while (!lines.empty() && lines.back().empty()) lines.pop_back();
  return lines;
}

// A PDF ends with "%%EOF" (perhaps followed by an end of line or some junk).
bool PdfEndsProperly(std::string_view bytes) {
  const size_t tail = std::min<size_t>(bytes.size(), 1024);
  return bytes.substr(bytes.size() - tail).find("%%EOF") != std::string_view::npos;
}

Result<TextDocument> ReadPdf(std::string_view bytes) {
  SilencePoppler();
  TextDocument doc;
  doc.format = Format::kPdf;
  poppler::byte_array data(bytes.begin(), bytes.end());
  std::unique_ptr<poppler::document> pdf;
  try {
    pdf.reset(poppler::document::load_from_data(&data));
  } catch (const std::exception&) {
    pdf.reset();
  }
  if (!pdf) return ParseError("not a readable PDF (truncated or damaged)");
  if (pdf->is_locked()) return ParseError("PDF is password-protected");
  const int pages = pdf->pages();
  if (pages <= 0) return ParseError("not a readable PDF (truncated or damaged): no pages");

  std::vector<int> empty_pages;
  for (int p = 0; p < pages; ++p) {
    const std::string which =
        "PDF page " + std::to_string(p + 1) + " of " + std::to_string(pages) + " cannot be read";
    std::vector<std::string> lines;
    try {
      std::unique_ptr<poppler::page> page(pdf->create_page(p));
      if (!page) return ParseError(which);
      const poppler::byte_array utf8 =
          page->text(poppler::rectf(), poppler::page::physical_layout).to_utf8();
      std::string text;
      AppendRepairedUtf8(std::string_view(utf8.data(), utf8.size()), text);
      lines = PageLines(text);
    } catch (const std::exception& e) {
      return ParseError(which + ": " + e.what());
    }
    if (lines.empty()) {
      empty_pages.push_back(p + 1);
      continue;
    }
    if (!doc.lines.empty()) doc.lines.emplace_back();  // a page break ends a block
    doc.lines.insert(doc.lines.end(), std::make_move_iterator(lines.begin()),
                     std::make_move_iterator(lines.end()));
  }
  if (static_cast<int>(empty_pages.size()) == pages) {
    doc.warnings.push_back("PDF has no text on any page (scanned images? run OCR first)");
  } else {
    for (size_t k = 0; k < empty_pages.size() && k < kListedProblems; ++k) {
      doc.warnings.push_back("PDF page " + std::to_string(empty_pages[k]) +
                             " has no text (a scanned image?)");
    }
    if (empty_pages.size() > kListedProblems) {
      doc.warnings.push_back(std::to_string(empty_pages.size() - kListedProblems) +
                             " more PDF pages have no text");
    }
  }
  if (!PdfEndsProperly(bytes)) {
    doc.truncated = true;
    doc.warnings.push_back("PDF does not end with %%EOF: it may be cut off");
  }
  return doc;
}

}  // namespace

Result<Format> DetectFormat(std::string_view bytes) {
  if (bytes.empty()) return ParseError("empty file");
  if (SkipBomAndSpace(bytes).starts_with("%PDF-")) return Format::kPdf;
  if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF")) {
    return ParseError("binary file, not text/HTML/PDF (UTF-16 text? save it as UTF-8)");
  }
  if (LooksBinary(bytes.substr(0, kBinarySniffBytes))) {
    return ParseError("binary file, not text/HTML/PDF");
  }
  return LooksLikeHtml(bytes) ? Format::kHtml : Format::kText;
}

Result<TextDocument> ReadDocument(std::string_view bytes, const ReadOptions& opts) {
  if (bytes.size() > opts.max_bytes) {
    return InvalidArgument("file too large (" + std::to_string(bytes.size()) + " bytes, limit " +
                           std::to_string(opts.max_bytes) + ")");
  }
  auto format = DetectFormat(bytes);
  if (!format) return format.status();
  switch (*format) {
    case Format::kText:
      return ReadText(bytes);
    case Format::kHtml:
      return ReadHtml(bytes);
    case Format::kPdf:
      return ReadPdf(bytes);
  }
  return Status(StatusCode::kInternal, "unknown format");
}

}  // namespace octopus::ingest
