// `octopus profile set|history`: a country's profile text (Markdown), kept as
// revisions in the store.
#include <cctype>
#include <fstream>
#include <memory>
#include <ostream>
#include <sstream>

#include "cli/commands.h"
#include "core/text.h"
#include "service/registry.h"
#include "store/store.h"

namespace octopus::cli {

namespace {


// The gazetteer's country for an ISO 3166-1 alpha-2 code, in either case.
Result<const domain::Country*> CountryOf(const service::Registry& registry, const std::string& iso2) {
  std::string upper = iso2;
  for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  const domain::Country* country = upper.size() == 2 ? registry.gazetteer().ByIso2(upper) : nullptr;
  if (country == nullptr) return NotFound("unknown country code '" + iso2 + "' (ISO 3166-1 alpha-2, e.g. FR)");
  return country;
}

Result<std::string> ReadProfileFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return IoError("cannot read " + path);
  std::stringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return IoError("cannot read " + path);
  std::string text = ss.str();
  if (!text::IsValidUtf8(text)) return InvalidArgument(path + " is not valid UTF-8; nothing stored");
  bool blank = true;
  for (char ch : text) {
    if (!std::isspace(static_cast<unsigned char>(ch))) {
      blank = false;
      break;
    }
  }
  if (blank) return InvalidArgument(path + " is empty; nothing stored");
  return text;
}

}  // namespace

void RegisterProfileCommand(CLI::App& app, Options& opts, std::vector<Command>& out) {
  CLI::App* profile = app.add_subcommand("profile", "country profiles (Markdown, with revisions)");
  profile->require_subcommand(1);

  // profile set
  {
    CLI::App* set = profile->add_subcommand("set", "store FILE.md as the new revision of a country's profile");
    auto iso2 = std::make_shared<std::string>();
    auto file = std::make_shared<std::string>();
    auto author = std::make_shared<std::string>("anonymous");
    auto note = std::make_shared<std::string>();
    set->add_option("ISO2", *iso2, "the country's ISO 3166-1 alpha-2 code")->required();
    set->add_option("FILE", *file, "the profile text, Markdown in UTF-8")->required();
    set->add_option("--author", *author, "who wrote this revision")->capture_default_str();
    set->add_option("--note", *note, "what changed");
    out.push_back({set, [&opts, iso2, file, author, note](std::ostream& o) -> Status {
      auto session = OpenSession(opts);
      if (!session) return session.status();
      auto country = CountryOf(*session->registry, *iso2);
      if (!country) return country.status();
      auto text = ReadProfileFile(*file);
      if (!text) return text.status();
      auto rev = session->store->AddProfileRevision((*country)->iso2, *text, *author, *note);
      if (!rev) return rev.status();
      o << (*country)->name_en << ": profile revision " << rev->number << " stored, by "
        << rev->author << " on " << rev->created_at << "\n";
      return Status::Ok();
    }});
  }

  // profile history
  {
    CLI::App* history = profile->add_subcommand("history", "list the revisions of a country's profile, newest first");
    auto iso2 = std::make_shared<std::string>();
    history->add_option("ISO2", *iso2, "the country's ISO 3166-1 alpha-2 code")->required();
    out.push_back({history, [&opts, iso2](std::ostream& o) -> Status {
      auto session = OpenSession(opts);
      if (!session) return session.status();
      auto country = CountryOf(*session->registry, *iso2);
      if (!country) return country.status();
      auto revs = session->store->ProfileRevisions((*country)->iso2);
      if (!revs) return revs.status();
      if (revs->empty()) {
        o << (*country)->name_en << ": no profile yet\n";
        return Status::Ok();
      }
      for (const store::ProfileRevision& r : *revs) {
        o << r.number << "\t" << r.created_at << "\t" << r.author << "\t" << r.note << "\n";
      }
      return Status::Ok();
    }});
  }
}

}  // namespace octopus::cli
