// `octopus contact set|show` (a country's 24/7 point of contact, restricted
// to practitioners and above) and `octopus restrict|release document|entity`
// (restricted documents and entities, e.g. resources). Every change is
// audited with the actor "cli" (or --author) and the command line as origin.
#include <cctype>
#include <memory>
#include <ostream>

#include "cli/commands.h"
#include "store/store.h"

namespace octopus::cli {

namespace {

Result<const domain::Country*> ContactCountry(const service::Registry& registry, const std::string& iso2) {
  std::string upper = iso2;
  for (char& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  const domain::Country* country = upper.size() == 2 ? registry.gazetteer().ByIso2(upper) : nullptr;
  if (country == nullptr) return NotFound("unknown country code '" + iso2 + "' (ISO 3166-1 alpha-2, e.g. GE)");
  return country;
}

void PrintContact(std::ostream& o, const domain::Country& country, const store::CountryContact& k) {
  o << country.name_en << " (" << country.iso2 << "): 24/7 point of contact, revision of "
    << k.created_at << " by " << k.author << "\n";
  const std::pair<const char*, const std::string*> rows[] = {
      {"authority", &k.authority}, {"unit", &k.unit},   {"phone", &k.phone},
      {"email", &k.email},         {"hours", &k.hours}, {"languages", &k.languages},
      {"last verified", &k.last_verified}, {"source", &k.source}};
  for (const auto& [name, value] : rows) {
    if (!value->empty()) o << "  " << name << ": " << *value << "\n";
  }
}

}  // namespace

void RegisterContactCommand(CLI::App& app, Options& opts, std::vector<Command>& out) {
  CLI::App* contact = app.add_subcommand(
      "contact", "a country's 24/7 point of contact (Budapest Convention Art. 35), practitioners only");
  contact->require_subcommand(1);
  {
    CLI::App* set = contact->add_subcommand("set", "record the point of contact of a country (a new revision)");
    auto k = std::make_shared<store::CountryContact>();
    auto iso2 = std::make_shared<std::string>();
    k->author = "cli";
    set->add_option("ISO2", *iso2, "the country's ISO 3166-1 alpha-2 code")->required();
    set->add_option("--authority", k->authority, "the authority hosting it")->required();
    set->add_option("--unit", k->unit, "the unit");
    set->add_option("--phone", k->phone, "the phone number");
    set->add_option("--email", k->email, "the e-mail address");
    set->add_option("--hours", k->hours, "when it answers (\"24/7\")");
    set->add_option("--languages", k->languages, "the languages it works in");
    set->add_option("--verified", k->last_verified, "when the details were last checked (YYYY-MM-DD)")->required();
    set->add_option("--source", k->source, "where the details come from (URL or citation)")->required();
    set->add_option("--author", k->author, "who records them")->capture_default_str();
    out.push_back({set, [&opts, k, iso2](std::ostream& o) -> Status {
      auto session = OpenSession(opts);
      if (!session) return session.status();
      auto country = ContactCountry(*session->registry, *iso2);
      if (!country) return country.status();
      store::CountryContact c = *k;
      c.iso2 = (*country)->iso2;
      auto stored = session->store->AddCountryContact(c, opts.command_line);
      if (!stored) return stored.status();
      PrintContact(o, **country, *stored);
      return Status::Ok();
    }});
  }
  {
    CLI::App* show = contact->add_subcommand("show", "print the current point of contact of a country");
    auto iso2 = std::make_shared<std::string>();
    show->add_option("ISO2", *iso2, "the country's ISO 3166-1 alpha-2 code")->required();
    out.push_back({show, [&opts, iso2](std::ostream& o) -> Status {
      auto session = OpenSession(opts);
      if (!session) return session.status();
      auto country = ContactCountry(*session->registry, *iso2);
      if (!country) return country.status();
      // The command line runs on the server, with the store's own rights.
      auto k = session->store->CountryContactOf((*country)->iso2, kb::Visibility::kRestricted);
      if (!k) return k.status();
      if (!*k) return NotFound((*country)->name_en + " has no 24/7 point of contact recorded");
      PrintContact(o, **country, **k);
      return Status::Ok();
    }});
  }

  for (const bool restricting : {true, false}) {
    CLI::App* cmd = app.add_subcommand(
        restricting ? "restrict" : "release",
        restricting ? "make a document or an entity (e.g. a resource) visible to practitioners and above only"
                 : "make a restricted document or entity public again");
    auto subject = std::make_shared<std::string>();
    auto ref = std::make_shared<std::string>();
    auto author = std::make_shared<std::string>("cli");
    cmd->add_option("SUBJECT", *subject, "document or entity")->required()->check(CLI::IsMember({"document", "entity"}));
    cmd->add_option("ID", *ref, "the document's id (as the API's sources give it) or the entity's id")->required();
    cmd->add_option("--author", *author, "who decides it")->capture_default_str();
    out.push_back({cmd, [&opts, subject, ref, author, restricting](std::ostream& o) -> Status {
      auto session = OpenSession(opts);
      if (!session) return session.status();
      OCTOPUS_RETURN_IF_ERROR(
          session->store->SetRestricted({*subject, *ref}, restricting, *author, opts.command_line));
      o << *subject << " " << *ref << (restricting ? ": restricted" : ": public") << "\n";
      return Status::Ok();
    }});
  }
}

}  // namespace octopus::cli
