#include "publish/atom.h"

#include "core/text.h"

namespace octopus::publish {

namespace {

void Element(std::string& out, std::string_view indent, std::string_view name,
             std::string_view text) {
  out += indent;
  out += "<";
  out += name;
  out += ">";
  out += XmlText(text);
  out += "</";
  out += name;
  out += ">\n";
}

}  // namespace

std::string XmlText(std::string_view s) {
  // Text that is not UTF-8 keeps only its ASCII bytes.
  std::string valid;
  if (text::IsValidUtf8(s)) {
    valid = std::string(s);
  } else {
    for (char c : s) {
      if (static_cast<unsigned char>(c) < 0x80) valid.push_back(c);
    }
  }
  std::string out;
  out.reserve(valid.size() + valid.size() / 8);
  for (char c : valid) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        if (u < 0x20 && c != '\t' && c != '\n' && c != '\r') break;
        if (u == 0x7f) break;
        out.push_back(c);
    }
  }
  return out;
}

std::string AtomDate(std::string_view iso_day) { return std::string(iso_day) + "T00:00:00Z"; }

std::string RenderAtom(const AtomFeed& feed) {
  std::string updated = feed.updated;
  for (const AtomEntry& e : feed.entries) {
    if (e.updated > updated) updated = e.updated;
  }
  if (updated.empty()) updated = "1970-01-01T00:00:00Z";
  std::string out = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n";
  out += "<feed xmlns=\"http://www.w3.org/2005/Atom\">\n";
  Element(out, "  ", "id", feed.id);
  Element(out, "  ", "title", feed.title);
  Element(out, "  ", "updated", updated);
  out += "  <author><name>" + XmlText(feed.author) + "</name></author>\n";
  out += "  <link rel=\"self\" type=\"application/atom+xml\" href=\"" + XmlText(feed.self_link) +
         "\"/>\n";
  out += "  <link rel=\"alternate\" type=\"text/html\" href=\"" + XmlText(feed.alternate_link) +
         "\"/>\n";
  for (const AtomEntry& e : feed.entries) {
    out += "  <entry>\n";
    Element(out, "    ", "id", e.id);
    Element(out, "    ", "title", e.title);
    Element(out, "    ", "updated", e.updated.empty() ? updated : e.updated);
    out += "    <link rel=\"alternate\" type=\"text/html\" href=\"" + XmlText(e.link) + "\"/>\n";
    for (const std::string& c : e.categories) {
      out += "    <category term=\"" + XmlText(c) + "\"/>\n";
    }
    if (!e.summary.empty()) Element(out, "    ", "summary", e.summary);
    out += "  </entry>\n";
  }
  out += "</feed>\n";
  return out;
}

}  // namespace octopus::publish
