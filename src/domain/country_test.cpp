#include "domain/country.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "core/csv.h"
#include "core/text.h"

namespace octopus::domain {
namespace {

constexpr char kCountriesCsv[] = OCTOPUS_TEST_DATA_DIR "/countries.csv";
constexpr char kTreatiesDir[] = OCTOPUS_TEST_DATA_DIR "/treaties";
constexpr char kHeader[] =
    "iso2,iso3,name_en,name_fr,iso_state,coe_member_since,coe_member_until,aliases,footnote\n";

// The real gazetteer, loaded once for the whole binary.
const Gazetteer& Real() {
  static const Result<Gazetteer> kLoaded = Gazetteer::LoadFile(kCountriesCsv);
  static const Gazetteer kEmpty;
  if (!kLoaded.ok()) {
    ADD_FAILURE() << kLoaded.status().message();
    return kEmpty;
  }
  return *kLoaded;
}

std::string IsoOf(std::string_view name) {
  const Country* c = Real().Find(name);
  return c ? c->iso2 : "(none)";
}

Date D(std::string_view iso) { return Date::Parse(iso).value(); }

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

std::string LoadError(const std::string& rows) {
  Result<Gazetteer> g = Gazetteer::FromCsv(kHeader + rows, "bad.csv");
  EXPECT_FALSE(g.ok()) << "loaded without error:\n" << rows;
  return g.ok() ? "" : g.status().message();
}

// --- The real data file ------------------------------------------------------

TEST(GazetteerTest, RealFileHasEveryIsoEntryPlusKosovoAndTheEu) {
  const std::vector<Country>& all = Real().all();
  const auto iso =
      std::count_if(all.begin(), all.end(), [](const Country& c) { return c.iso_state; });
  EXPECT_EQ(iso, 249);
  EXPECT_EQ(all.size(), 251u);
}

TEST(GazetteerTest, RealFileHasNoCommentLinesAndIsValidUtf8) {
  const std::string content = ReadFile(kCountriesCsv);
  EXPECT_TRUE(text::IsValidUtf8(content));
  EXPECT_EQ(content.rfind("iso2,iso3,name_en,name_fr,iso_state,", 0), 0u);
  std::istringstream lines(content);
  std::string line;
  while (std::getline(lines, line)) EXPECT_FALSE(text::StartsWith(line, "#")) << line;
}

TEST(GazetteerTest, EveryCountryHasFrenchNameAndUniqueCodes) {
  std::set<std::string> iso2, iso3;
  for (const Country& c : Real().all()) {
    EXPECT_FALSE(c.name_fr.empty()) << c.iso2;
    EXPECT_TRUE(iso2.insert(c.iso2).second) << c.iso2;
    EXPECT_TRUE(iso3.insert(c.iso3).second) << c.iso3;
  }
}

TEST(GazetteerTest, EveryNameAndAliasFindsItsOwnCountry) {
  for (const Country& c : Real().all()) {
    std::vector<std::string> names = {c.iso2, c.iso3, c.name_en, c.name_fr};
    names.insert(names.end(), c.aliases.begin(), c.aliases.end());
    for (const std::string& name : names) {
      const Country* found = Real().Find(name);
      ASSERT_NE(found, nullptr) << name;
      EXPECT_EQ(found->iso2, c.iso2) << name;
    }
  }
}

// --- Names the programme's documents use ------------------------------------

struct AliasCase {
  const char* name;
  const char* iso2;
};

class GazetteerAliasTest : public testing::TestWithParam<AliasCase> {};

TEST_P(GazetteerAliasTest, ResolvesToTheIntendedCountry) {
  EXPECT_EQ(IsoOf(GetParam().name), GetParam().iso2) << GetParam().name;
}

INSTANTIATE_TEST_SUITE_P(
    BriefAndSeeds, GazetteerAliasTest,
    testing::Values(
        AliasCase{"the former Yugoslav Republic of Macedonia", "MK"},
        AliasCase{"former Yugoslav Republic of Macedonia", "MK"}, AliasCase{"FYR Macedonia", "MK"},
        AliasCase{"Macedonia", "MK"}, AliasCase{"North Macedonia", "MK"},
        AliasCase{"Macédoine du Nord", "MK"}, AliasCase{"Türkiye", "TR"},
        AliasCase{"Turkiye", "TR"}, AliasCase{"Turkey", "TR"}, AliasCase{"TÜRKIYE", "TR"},
        AliasCase{"Turkije", "TR"}, AliasCase{"Republic of Moldova", "MD"},
        AliasCase{"Moldova", "MD"}, AliasCase{"Korea", "KR"}, AliasCase{"Republic of Korea", "KR"},
        AliasCase{"South Korea", "KR"}, AliasCase{"SOUTH KOREA", "KR"},
        AliasCase{"Democratic People's Republic of Korea", "KP"}, AliasCase{"Czechia", "CZ"},
        AliasCase{"Czech Republic", "CZ"}, AliasCase{"Cabo Verde", "CV"},
        AliasCase{"Cape Verde", "CV"}, AliasCase{"Côte d'Ivoire", "CI"},
        AliasCase{"Cote d'Ivoire", "CI"}, AliasCase{"Cote D'Ivoire", "CI"},
        AliasCase{"Côte d\u2019Ivoire", "CI"}, AliasCase{"Ivory Coast", "CI"},
        AliasCase{"Ivoorkust", "CI"}, AliasCase{"United States of America", "US"},
        AliasCase{"USA", "US"}, AliasCase{"United States", "US"}, AliasCase{"US", "US"},
        AliasCase{"Verenigde Staten", "US"}, AliasCase{"United Kingdom", "GB"},
        AliasCase{"UK", "GB"}, AliasCase{"Netherlands", "NL"}, AliasCase{"the Netherlands", "NL"},
        AliasCase{"THE NETHERLANDS", "NL"}, AliasCase{"Netherlands, the Kingdom of the", "NL"},
        AliasCase{"Netherlands (Curaçao)", "CW"}, AliasCase{"Curaçao", "CW"},
        AliasCase{"Russian Federation", "RU"}, AliasCase{"Russia", "RU"},
        AliasCase{"Russische Federatie", "RU"}, AliasCase{"Viet Nam", "VN"},
        AliasCase{"Vietnam", "VN"}, AliasCase{"Sao Tome and Principe", "ST"},
        AliasCase{"São Tomé and Príncipe", "ST"}, AliasCase{"Brunei Darussalam", "BN"},
        AliasCase{"Brunei", "BN"}, AliasCase{"Democratic Republic of the Congo", "CD"},
        AliasCase{"Congo, Democratische Republiek", "CD"}, AliasCase{"Congo", "CG"},
        AliasCase{"Philippines", "PH"}, AliasCase{"Filipijnen", "PH"},
        AliasCase{"Bosnia and Herzegovina", "BA"}, AliasCase{"Bosnia-Herzegovina", "BA"},
        AliasCase{"BiH", "BA"}, AliasCase{"Bosnië-Herzegovina", "BA"}, AliasCase{"Albanië", "AL"},
        AliasCase{"Duitsland", "DE"}, AliasCase{"IJsland", "IS"}, AliasCase{"Tsjechië", "CZ"},
        AliasCase{"Noord-Korea", "KP"}, AliasCase{"EU (Europese Unie)", "EU"},
        AliasCase{"European Union", "EU"}, AliasCase{"European Community", "EU"},
        AliasCase{"Kosovo*", "XK"}, AliasCase{"KOSOVO*", "XK"}, AliasCase{"Kosovo", "XK"},
        AliasCase{"Dominican Republic", "DO"}, AliasCase{"Sri Lanka", "LK"},
        AliasCase{"Tonga", "TO"}, AliasCase{"Kiribati", "KI"}, AliasCase{"Timor Leste", "TL"},
        AliasCase{"Timor-Leste", "TL"}, AliasCase{"Gambia", "GM"}, AliasCase{"The Gambia", "GM"},
        AliasCase{"Laos", "LA"}, AliasCase{"Lao People's Democratic Republic", "LA"},
        AliasCase{"Trinidad and Tobago", "TT"}, AliasCase{"Barbados", "BB"},
        AliasCase{"Tanzania", "TZ"}, AliasCase{"United Republic of Tanzania", "TZ"},
        AliasCase{"Iran (Islamic Republic of)", "IR"}, AliasCase{"State of Palestine", "PS"},
        AliasCase{"Belarus", "BY"}, AliasCase{"Seychelles", "SC"}, AliasCase{"Nauru", "NR"},
        AliasCase{"Mauritania", "MR"}, AliasCase{"Papua New Guinea", "PG"},
        AliasCase{"Allemagne", "DE"}, AliasCase{"Fédération de Russie", "RU"},
        AliasCase{"TR", "TR"}, AliasCase{"tur", "TR"}, AliasCase{"XKX", "XK"}));

TEST(GazetteerTest, EveryStateInTheTreatyChartsResolves) {
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(kTreatiesDir)) {
    if (entry.path().extension() != ".csv") continue;
    const std::string file = entry.path().filename().string();
    Result<std::vector<csv::Row>> rows = csv::Parse(ReadFile(entry.path()), file);
    ASSERT_TRUE(rows.ok()) << rows.status().message();
    ASSERT_FALSE(rows->empty()) << file;
    const std::vector<std::string>& header = rows->front().fields;
    const auto state = std::find(header.begin(), header.end(), "state");
    ASSERT_NE(state, header.end()) << file;
    const size_t column = static_cast<size_t>(state - header.begin());
    for (size_t r = 1; r < rows->size(); ++r) {
      const std::string& name = (*rows)[r].fields.at(column);
      if (name.empty()) continue;  // facts.csv: statements about a treaty as a whole
      EXPECT_NE(Real().Find(name), nullptr) << file << ":" << (*rows)[r].line << ": " << name;
      ++checked;
    }
  }
  EXPECT_GT(checked, 400);
}

// The Dutch party tables carry the Dutch name in notes_flags ("Albanië; type R").
TEST(GazetteerTest, DutchNamesInNetherlandsTablesNameTheSameState) {
  int checked = 0;
  for (const char* file : {"coe185_nl-trb-2007-10.csv", "uncc_nltreatydb_013891.csv"}) {
    const std::filesystem::path path = std::filesystem::path(kTreatiesDir) / file;
    Result<std::vector<csv::Row>> rows = csv::Parse(ReadFile(path), file);
    ASSERT_TRUE(rows.ok()) << rows.status().message();
    for (size_t r = 1; r < rows->size(); ++r) {
      const std::vector<std::string>& f = (*rows)[r].fields;
      const std::string dutch(text::Trim(text::Split(f.at(5), ';').front()));
      const Country* by_english = Real().Find(f.at(0));
      const Country* by_dutch = Real().Find(dutch);
      ASSERT_NE(by_dutch, nullptr) << file << ": " << dutch;
      ASSERT_NE(by_english, nullptr) << file << ": " << f.at(0);
      EXPECT_EQ(by_dutch->iso2, by_english->iso2) << dutch << " vs " << f.at(0);
      ++checked;
    }
  }
  EXPECT_GT(checked, 80);
}

TEST(GazetteerTest, NamesOfCountriesInTheSeedDocumentsResolve) {
  // Every country named in the two seed documents, as spelled there.
  for (const char* name : {"Albania",
                           "Algeria",
                           "Argentina",
                           "Armenia",
                           "Australia",
                           "Azerbaijan",
                           "Bangladesh",
                           "Barbados",
                           "Belarus",
                           "Belgium",
                           "Benin",
                           "Bosnia and Herzegovina",
                           "Brazil",
                           "Burkina Faso",
                           "Cabo Verde",
                           "Cambodia",
                           "Canada",
                           "Chile",
                           "Colombia",
                           "Costa Rica",
                           "Côte d'Ivoire",
                           "Cote D'Ivoire",
                           "Croatia",
                           "Czech Republic",
                           "Dominican Republic",
                           "Ecuador",
                           "Egypt",
                           "Estonia",
                           "Fiji",
                           "Finland",
                           "France",
                           "Gambia",
                           "Georgia",
                           "Germany",
                           "Ghana",
                           "Guatemala",
                           "Hungary",
                           "Iceland",
                           "India",
                           "Indonesia",
                           "Ireland",
                           "Italy",
                           "Japan",
                           "Jordan",
                           "Kazakhstan",
                           "Kenya",
                           "Kiribati",
                           "Korea",
                           "KOSOVO*",
                           "Laos",
                           "Lebanon",
                           "Lithuania",
                           "Malawi",
                           "Malaysia",
                           "Maldives",
                           "Mauritania",
                           "Mauritius",
                           "Mexico",
                           "Moldova",
                           "Monaco",
                           "Montenegro",
                           "Morocco",
                           "MOZAMBIQUE",
                           "Nauru",
                           "Netherlands",
                           "Nigeria",
                           "North Macedonia",
                           "Pakistan",
                           "Paraguay",
                           "Peru",
                           "Philippines",
                           "Portugal",
                           "Republic of Moldova",
                           "Romania",
                           "Russian Federation",
                           "Rwanda",
                           "Senegal",
                           "Serbia",
                           "Seychelles",
                           "Sierra Leone",
                           "Slovenia",
                           "South Korea",
                           "Spain",
                           "Sri Lanka",
                           "Sweden",
                           "Tanzania",
                           "Thailand",
                           "Timor Leste",
                           "Tonga",
                           "Trinidad and Tobago",
                           "Tunisia",
                           "Turkey",
                           "Turkiye",
                           "Türkiye",
                           "Ukraine",
                           "United Kingdom",
                           "United States of America",
                           "Uruguay",
                           "US",
                           "USA",
                           "Vietnam",
                           "the former Yugoslav Republic of Macedonia"}) {
    EXPECT_NE(Real().Find(name), nullptr) << name;
  }
}

// --- Lookup rules -------------------------------------------------------------

TEST(GazetteerTest, FindIgnoresLeadingTheTrailingAsteriskAndWhitespace) {
  EXPECT_EQ(IsoOf("  the Netherlands  "), "NL");
  EXPECT_EQ(IsoOf("The Bahamas"), "BS");
  EXPECT_EQ(IsoOf("Kosovo *"), "XK");
  EXPECT_EQ(IsoOf("Kosovo**"), "XK");
  EXPECT_EQ(IsoOf("\tGeorgia\n"), "GE");
}

TEST(GazetteerTest, FindReturnsNullForUnknownOrEmptyNames) {
  for (const char* name : {"", "   ", "*", "the", "the ", "Atlantis", "Yugoslavia", "Europe"}) {
    EXPECT_EQ(Real().Find(name), nullptr) << '"' << name << '"';
  }
}

TEST(GazetteerTest, CongoAloneIsTheRepublicOfTheCongoNotTheDemocraticRepublic) {
  EXPECT_EQ(IsoOf("Congo"), "CG");
  EXPECT_EQ(IsoOf("Democratic Republic of the Congo"), "CD");
  EXPECT_EQ(IsoOf("Republic of the Congo"), "CG");
}

TEST(GazetteerTest, FormerYugoslavRepublicOfMacedoniaIsNorthMacedonia) {
  const Country* c = Real().Find("the former Yugoslav Republic of Macedonia");
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->name_en, "North Macedonia");
  EXPECT_EQ(c->iso3, "MKD");
}

TEST(GazetteerTest, CoeShortNamesAreTheDisplayNames) {
  const std::map<std::string, std::string> expected = {{"MK", "North Macedonia"},
                                                       {"MD", "Moldova"},
                                                       {"TR", "Türkiye"},
                                                       {"CZ", "Czech Republic"},
                                                       {"US", "United States of America"},
                                                       {"GB", "United Kingdom"},
                                                       {"RU", "Russian Federation"},
                                                       {"NL", "Netherlands"},
                                                       {"KR", "Republic of Korea"},
                                                       {"VN", "Viet Nam"},
                                                       {"CV", "Cabo Verde"},
                                                       {"CI", "Côte d'Ivoire"}};
  for (const auto& [iso2, name] : expected) {
    const Country* c = Real().ByIso2(iso2);
    ASSERT_NE(c, nullptr) << iso2;
    EXPECT_EQ(c->name_en, name);
  }
}

TEST(GazetteerTest, ByIso2MatchesOnlyTheTwoLetterCode) {
  ASSERT_NE(Real().ByIso2("mk"), nullptr);
  EXPECT_EQ(Real().ByIso2("mk")->name_en, "North Macedonia");
  EXPECT_EQ(Real().ByIso2("Macedonia"), nullptr);
  EXPECT_EQ(Real().ByIso2("MKD"), nullptr);
  EXPECT_EQ(Real().ByIso2("UK"), nullptr);  // an alias of GB, not a code
  EXPECT_EQ(Real().ByIso2("ZZ"), nullptr);
}

TEST(GazetteerTest, KosovoHasItsFootnoteAndIsNotAnIsoState) {
  const Country* kosovo = Real().ByIso2("XK");
  ASSERT_NE(kosovo, nullptr);
  EXPECT_EQ(kosovo->iso3, "XKX");
  EXPECT_EQ(kosovo->name_en, "Kosovo*");
  EXPECT_FALSE(kosovo->iso_state);
  EXPECT_EQ(kosovo->footnote,
            "*This designation is without prejudice to positions on status, and is in line "
            "with UNSCR 1244 and the ICJ Opinion on the Kosovo Declaration of Independence.");
  EXPECT_FALSE(kosovo->IsCoeMemberEver());
}

TEST(GazetteerTest, EuropeanUnionIsNotAnIsoState) {
  const Country* eu = Real().Find("European Union");
  ASSERT_NE(eu, nullptr);
  EXPECT_EQ(eu->iso2, "EU");
  EXPECT_EQ(eu->iso3, "EUU");
  EXPECT_FALSE(eu->iso_state);
  EXPECT_TRUE(eu->footnote.empty());
}

// --- Council of Europe membership ---------------------------------------------

struct MembershipCase {
  const char* iso2;
  const char* date;
  bool member;
};

class CoeMembershipTest : public testing::TestWithParam<MembershipCase> {};

TEST_P(CoeMembershipTest, MemberOnDate) {
  const Country* c = Real().ByIso2(GetParam().iso2);
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->IsCoeMember(D(GetParam().date)), GetParam().member)
      << GetParam().iso2 << " on " << GetParam().date;
}

INSTANTIATE_TEST_SUITE_P(
    AccessionDates, CoeMembershipTest,
    testing::Values(
        MembershipCase{"ME", "2004-07-01", false}, MembershipCase{"ME", "2007-05-10", false},
        MembershipCase{"ME", "2007-05-11", true}, MembershipCase{"ME", "2010-03-03", true},
        MembershipCase{"RU", "1996-02-27", false}, MembershipCase{"RU", "2000-01-01", true},
        MembershipCase{"RU", "2022-03-15", true}, MembershipCase{"RU", "2022-03-16", false},
        MembershipCase{"RU", "2023-01-01", false}, MembershipCase{"FR", "1949-05-04", false},
        MembershipCase{"FR", "1949-05-05", true}, MembershipCase{"GB", "2026-01-01", true},
        MembershipCase{"TR", "1949-08-09", true}, MembershipCase{"DE", "1950-07-12", false},
        MembershipCase{"MC", "2004-10-05", true}, MembershipCase{"MK", "1995-11-09", true},
        MembershipCase{"JP", "2026-01-01", false}, MembershipCase{"US", "2026-01-01", false},
        MembershipCase{"XK", "2026-01-01", false}));

int MembersOn(Date d) {
  const std::vector<Country>& all = Real().all();
  return static_cast<int>(
      std::count_if(all.begin(), all.end(), [d](const Country& c) { return c.IsCoeMember(d); }));
}

TEST(CoeMembershipCountTest, FortySixMembersAfterRussiaLeft) {
  EXPECT_EQ(MembersOn(D("2026-01-01")), 46);
  EXPECT_EQ(MembersOn(D("2022-03-16")), 46);
}

TEST(CoeMembershipCountTest, FortySevenMembersFromMontenegroUntilRussiaLeft) {
  EXPECT_EQ(MembersOn(D("2007-05-11")), 47);
  EXPECT_EQ(MembersOn(D("2022-03-15")), 47);
  EXPECT_EQ(MembersOn(D("2007-05-10")), 46);
}

TEST(CoeMembershipCountTest, TenFoundingMembers) {
  EXPECT_EQ(MembersOn(D("1949-05-05")), 10);
  EXPECT_EQ(MembersOn(D("1949-05-04")), 0);
}

TEST(CoeMembershipCountTest, FortySevenStatesWereEverMembers) {
  const std::vector<Country>& all = Real().all();
  EXPECT_EQ(
      std::count_if(all.begin(), all.end(), [](const Country& c) { return c.IsCoeMemberEver(); }),
      47);
}

// --- Loading errors -----------------------------------------------------------

TEST(GazetteerLoadTest, MinimalFileLoads) {
  const std::string rows =
      "AL,ALB,Albania,Albanie,yes,1995-07-13,,Albanië|Republic of Albania,\n"
      "XK,XKX,Kosovo*,Kosovo*,no,,,,\"*This designation, with a comma\"\n";
  Result<Gazetteer> g = Gazetteer::FromCsv(kHeader + rows, "ok.csv");
  ASSERT_TRUE(g.ok()) << g.status().message();
  ASSERT_EQ(g->all().size(), 2u);
  EXPECT_EQ(g->Find("albanie")->iso2, "AL");
  EXPECT_EQ(g->Find("Republic of Albania")->iso2, "AL");
  EXPECT_EQ(g->ByIso2("XK")->footnote, "*This designation, with a comma");
  EXPECT_EQ(g->all()[0].aliases, (std::vector<std::string>{"Albanië", "Republic of Albania"}));
}

TEST(GazetteerLoadTest, HeaderColumnsMayComeInAnyOrder) {
  Result<Gazetteer> g = Gazetteer::FromCsv(
      "name_en,iso2,iso3,name_fr,iso_state,coe_member_since,coe_member_until,aliases,footnote\n"
      "Japan,JP,JPN,Japon,yes,,,,\n",
      "reordered.csv");
  ASSERT_TRUE(g.ok()) << g.status().message();
  EXPECT_EQ(g->Find("Japon")->iso3, "JPN");
}

struct LoadErrorCase {
  const char* name;
  const char* rows;
  const char* expect_in_message;
};

class GazetteerLoadErrorTest : public testing::TestWithParam<LoadErrorCase> {};

TEST_P(GazetteerLoadErrorTest, ErrorNamesSourceLineAndField) {
  const std::string message = LoadError(GetParam().rows);
  EXPECT_NE(message.find(GetParam().expect_in_message), std::string::npos) << message;
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, GazetteerLoadErrorTest,
    testing::Values(
        LoadErrorCase{"TooFewFields", "AL,ALB,Albania,Albanie,yes,,,\n", "bad.csv:2: expected 9"},
        LoadErrorCase{"TooManyFields",
                      "JP,JPN,Japan,Japon,yes,,,,\nAL,ALB,Albania,Albanie,yes,,,,,\n",
                      "bad.csv:3: expected 9 fields, found 10"},
        LoadErrorCase{"BadSinceDate", "AL,ALB,Albania,Albanie,yes,1995-13-13,,,\n",
                      "bad.csv:2: field coe_member_since"},
        LoadErrorCase{"BadUntilDate", "RU,RUS,Russia,Russie,yes,1996-02-28,2022-3-16,,\n",
                      "bad.csv:2: field coe_member_until"},
        LoadErrorCase{"UntilWithoutSince", "RU,RUS,Russia,Russie,yes,,2022-03-16,,\n",
                      "bad.csv:2: field coe_member_until"},
        LoadErrorCase{"UntilBeforeSince", "RU,RUS,Russia,Russie,yes,2022-03-16,1996-02-28,,\n",
                      "bad.csv:2: field coe_member_until"},
        LoadErrorCase{"UnknownIsoState", "AL,ALB,Albania,Albanie,maybe,,,,\n",
                      "bad.csv:2: field iso_state"},
        LoadErrorCase{"LowercaseIso2", "al,ALB,Albania,Albanie,yes,,,,\n", "bad.csv:2: field iso2"},
        LoadErrorCase{"ShortIso3", "AL,AL,Albania,Albanie,yes,,,,\n", "bad.csv:2: field iso3"},
        LoadErrorCase{"EmptyEnglishName", "AL,ALB,,Albanie,yes,,,,\n", "bad.csv:2: field name_en"},
        LoadErrorCase{"EmptyAlias", "AL,ALB,Albania,Albanie,yes,,,A||B,\n",
                      "bad.csv:2: field aliases"},
        LoadErrorCase{"AliasWithoutLetters", "AL,ALB,Albania,Albanie,yes,,,***,\n",
                      "bad.csv:2: field aliases"},
        LoadErrorCase{"AliasNamesTwoCountries",
                      "CD,COD,Democratic Republic of the Congo,RDC,yes,,,,\n"
                      "\n"
                      "CG,COG,Congo,République du Congo,yes,,,Democratic Republic of the Congo,\n",
                      "bad.csv:4: field aliases: \"Democratic Republic of the Congo\" already "
                      "names CD (Democratic Republic of the Congo, line 2)"},
        LoadErrorCase{"AliasCollidesWithIsoCode",
                      "EC,ECU,Ecuador,Équateur,yes,,,,\nEU,EUU,European Union,UE,no,,,EC,\n",
                      "bad.csv:3: field aliases"},
        LoadErrorCase{"DuplicateIso2", "AL,ALB,Albania,Albanie,yes,,,,\nAL,ALX,Alba,Alba,yes,,,,\n",
                      "bad.csv:3: field iso2"},
        LoadErrorCase{
            "AccentsDoNotMakeADifferentKey",
            "TR,TUR,Türkiye,Türkiye,yes,,,,\nTM,TKM,Turkmenistan,Turkménistan,yes,,,Turkiye,\n",
            "bad.csv:3: field aliases"},
        LoadErrorCase{"UnterminatedQuote",
                      "AL,ALB,Albania,Albanie,yes,,,,\n"
                      "XK,XKX,Kosovo*,Kosovo*,no,,,,\"*never closed\n",
                      "bad.csv:3: unterminated"},
        LoadErrorCase{"InvalidUtf8", "AL,ALB,Albani\xC3,Albanie,yes,,,,\n",
                      "bad.csv:2: field name_en"}),
    [](const testing::TestParamInfo<LoadErrorCase>& info) { return info.param.name; });

TEST(GazetteerLoadTest, HeaderProblemsAreReported) {
  Result<Gazetteer> missing = Gazetteer::FromCsv("iso2,iso3,name_en\nAL,ALB,Albania\n", "h.csv");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("h.csv:1: field name_fr: missing column"),
            std::string::npos)
      << missing.status().message();

  Result<Gazetteer> unknown = Gazetteer::FromCsv(
      "# comment first\niso2,iso3,name_en,name_fr,iso_state,coe_member_since,coe_member_until,"
      "aliases,footnote,capital\n",
      "h.csv");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("h.csv:2: unknown column \"capital\""),
            std::string::npos)
      << unknown.status().message();

  Result<Gazetteer> empty = Gazetteer::FromCsv("", "h.csv");
  EXPECT_FALSE(empty.ok());
}

TEST(GazetteerLoadTest, DuplicateKeyIsAConflict) {
  Result<Gazetteer> g = Gazetteer::FromCsv(
      std::string(kHeader) +
          "AL,ALB,Albania,Albanie,yes,,,,\nAM,ARM,Armenia,Arménie,yes,,,Albania,\n",
      "dup.csv");
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().code(), StatusCode::kConflict);
}

TEST(GazetteerLoadTest, SameKeyTwiceForOneCountryIsFine) {
  Result<Gazetteer> g = Gazetteer::FromCsv(
      std::string(kHeader) + "TR,TUR,Türkiye,Türkiye,yes,,,Turkiye|TURKIYE|Turkey,\n", "ok.csv");
  ASSERT_TRUE(g.ok()) << g.status().message();
}

TEST(GazetteerLoadTest, MissingFileIsAnIoError) {
  Result<Gazetteer> g = Gazetteer::LoadFile("/nonexistent/countries.csv");
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.status().code(), StatusCode::kIoError);
  EXPECT_NE(g.status().message().find("/nonexistent/countries.csv"), std::string::npos);
}

}  // namespace
}  // namespace octopus::domain
