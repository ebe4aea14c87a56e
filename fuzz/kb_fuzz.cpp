// libFuzzer target: the knowledge base's directory tables and its build from
// records must survive any bytes.
#include <cstddef>
#include <cstdint>
#include <string>

#include "kb/knowledge.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  (void)octopus::kb::Directory::Parse(text, text);
  static const std::string header = "id,name,acronym,aliases\n";
  auto directory = octopus::kb::Directory::Parse(
      header + "cybereast,CyberEast,CyberEast,\noctopus,Octopus Project,Octopus,Cybercrime@Octopus\n",
      header + "european-union,European Union,EU,\n");
  if (!directory.ok() || size == 0) return 0;
  // The first byte picks the record kind; the rest are its fields, also
  // given to a second record so that resolution compares two of them.
  static const char* kinds[] = {"project", "activity", "news_item", "link"};
  octopus::kb::DocumentInput doc;
  doc.id = 1;
  doc.date = "2025-06-30";
  const std::string fields = text.substr(1);
  for (int line = 1; line <= 2; ++line) {
    doc.records.push_back({line, kinds[data[0] % 4], line, fields});
  }
  (void)octopus::kb::Build({doc}, *directory);
  return 0;
}
