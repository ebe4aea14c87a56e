#include "core/html_escape.h"

namespace octopus::text {

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      case '/': out += "&#x2F;"; break;
      case '`': out += "&#x60;"; break;
      case '=': out += "&#x3D;"; break;
      case '{': out += "&#123;"; break;
      case '}': out += "&#125;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

}  // namespace octopus::text
