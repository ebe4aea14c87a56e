#include "core/html_escape.h"
#include "web/templates.h"

#include <climits>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include <mstch/mstch.hpp>

#include "core/text.h"

namespace octopus::web {

namespace fs = std::filesystem;

namespace {

/// The first `name/` holding `probe`, beside or above the executable (or in
/// share/octopus/ above it).
std::string FindBesideExecutable(const std::string& name, const std::string& probe) {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "";
  for (fs::path dir = exe.parent_path(); !dir.empty() && dir != dir.root_path();
       dir = dir.parent_path()) {
    if (fs::exists(dir / name / probe, ec)) return (dir / name).string();
    if (fs::exists(dir / "share" / "octopus" / name / probe, ec)) {
      return (dir / "share" / "octopus" / name).string();
    }
  }
  return "";
}

mstch::node ToNode(const nlohmann::json& j) {
  using Type = nlohmann::json::value_t;
  switch (j.type()) {
    case Type::null:
    case Type::discarded:
      return nullptr;
    case Type::boolean:
      return j.get<bool>();
    case Type::number_integer:
    case Type::number_unsigned: {
      // mstch has no 64-bit integer node; counts on pages fit an int.
      const long long v = j.get<long long>();
      if (v >= INT_MIN && v <= INT_MAX) return static_cast<int>(v);
      return std::to_string(v);
    }
    case Type::number_float:
      return j.dump();
    case Type::string:
      return j.get<std::string>();
    case Type::array: {
      mstch::array out;
      out.reserve(j.size());
      for (const auto& item : j) out.push_back(ToNode(item));
      return out;
    }
    case Type::object: {
      mstch::map out;
      for (const auto& [key, value] : j.items()) out.emplace(key, ToNode(value));
      return out;
    }
    case Type::binary:
      return nullptr;
  }
  return nullptr;
}

}  // namespace

std::string FindTemplateDir() {
  if (const char* env = std::getenv("OCTOPUS_TEMPLATE_DIR"); env && *env) return env;
  if (std::string dir = FindBesideExecutable("templates", "layout.mustache"); !dir.empty()) {
    return dir;
  }
#ifdef OCTOPUS_SOURCE_TEMPLATE_DIR
  return OCTOPUS_SOURCE_TEMPLATE_DIR;
#else
  return "templates";
#endif
}

std::string FindStaticDir() {
  if (const char* env = std::getenv("OCTOPUS_STATIC_DIR"); env && *env) return env;
  if (std::string dir = FindBesideExecutable("static", "style.css"); !dir.empty()) return dir;
#ifdef OCTOPUS_SOURCE_STATIC_DIR
  return OCTOPUS_SOURCE_STATIC_DIR;
#else
  return "static";
#endif
}

std::string EscapeHtml(std::string_view text) { return text::EscapeHtml(text); }

Result<Templates> Templates::Load(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return IoError("template directory '" + dir + "' not found (set OCTOPUS_TEMPLATE_DIR)");
  }
  Templates t;
  t.dir_ = dir;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() != ".mustache") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    if (!in) return IoError("cannot read " + entry.path().string());
    std::stringstream ss;
    ss << in.rdbuf();
    t.sources_.emplace(entry.path().stem().string(), ss.str());
  }
  if (ec) return IoError("cannot list " + dir + ": " + ec.message());
  for (const char* name : kRequired) {
    if (!t.sources_.count(name)) {
      return IoError("template '" + std::string(name) + ".mustache' missing in " + dir);
    }
  }
  for (const auto& [name, source] : t.sources_) {
    auto& partials = t.partials_of_[name];
    std::vector<const std::string*> todo{&source};
    while (!todo.empty()) {
      const std::string& text = *todo.back();
      todo.pop_back();
      for (size_t at = text.find("{{>"); at != std::string::npos; at = text.find("{{>", at + 3)) {
        const size_t end = text.find("}}", at);
        if (end == std::string::npos) break;
        const std::string used(text::Trim(std::string_view(text).substr(at + 3, end - at - 3)));
        const auto it = t.sources_.find(used);
        if (it != t.sources_.end() && partials.emplace(used, it->second).second) {
          todo.push_back(&it->second);
        }
      }
    }
  }
  mstch::config::escape = [](const std::string& s) { return EscapeHtml(s); };
  return t;
}

Result<std::string> Templates::Render(std::string_view name, const nlohmann::json& context) const {
  const auto it = sources_.find(name);
  if (it == sources_.end()) return NotFound("no template '" + std::string(name) + "'");
  return mstch::render(it->second, ToNode(context), partials_of_.find(name)->second);
}

}  // namespace octopus::web
