// The `octopus` binary as users and scripts call it: each test runs it in a
// temporary directory of its own on a fresh `--db new.db`, and checks stdout,
// stderr and the exit status.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

extern char** environ;

namespace octopus {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kHeader =
    "state,coe_member,signature,ratification_or_accession,entry_into_force,notes_flags,kind\n";

struct Outcome {
  int exit = -1;  ///< exit status, or 128 + signal
  std::string out;
  std::string err;
};

void PrintTo(const Outcome& o, std::ostream* os) {
  *os << "exit " << o.exit << "\n--- stdout\n" << o.out << "--- stderr\n" << o.err;
}

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

size_t CountLines(const std::string& s) {
  size_t n = 0;
  for (char c : s) n += c == '\n' ? 1 : 0;
  return n;
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "octopus-cli-test-XXXXXX").string();
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr) << std::strerror(errno);
    dir_ = tmpl;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  // Runs `octopus --db DB ARGS...` in the test's directory, with the shipped data.
  Outcome Octopus(const std::vector<std::string>& args, const std::string& db = "new.db") {
    std::vector<std::string> argv = {OCTOPUS_BIN, "--db", db};
    argv.insert(argv.end(), args.begin(), args.end());
    return Run(argv, /*with_data_dir=*/true);
  }

  Outcome Run(const std::vector<std::string>& args, bool with_data_dir) {
    std::vector<std::string> env;
    for (char** e = environ; *e != nullptr; ++e) {
      const std::string_view v = *e;
      if (v.starts_with("OCTOPUS_DB=") || v.starts_with("OCTOPUS_DATA_DIR=")) continue;
      env.emplace_back(v);
    }
    if (with_data_dir) env.push_back(std::string("OCTOPUS_DATA_DIR=") + OCTOPUS_TEST_DATA_DIR);

    const fs::path out_path = dir_ / ".stdout", err_path = dir_ / ".stderr";
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addchdir_np(&fa, dir_.c_str());
    posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, out_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, err_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0644);
    std::vector<char*> cargv, cenv;
    for (const auto& a : args) cargv.push_back(const_cast<char*>(a.c_str()));
    cargv.push_back(nullptr);
    for (const auto& e : env) cenv.push_back(const_cast<char*>(e.c_str()));
    cenv.push_back(nullptr);

    Outcome o;
    pid_t pid = 0;
    const int rc = posix_spawn(&pid, args[0].c_str(), &fa, nullptr, cargv.data(), cenv.data());
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0) {
      ADD_FAILURE() << "cannot start " << args[0] << ": " << std::strerror(rc);
      return o;
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    o.exit = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    o.out = Slurp(out_path);
    o.err = Slurp(err_path);
    fs::remove(out_path);
    fs::remove(err_path);
    return o;
  }

  // Runs and expects success with nothing on stderr.
  std::string Ok(const std::vector<std::string>& args, const std::string& db = "new.db") {
    const Outcome o = Octopus(args, db);
    EXPECT_EQ(o.exit, 0) << ::testing::PrintToString(o);
    EXPECT_EQ(o.err, "") << ::testing::PrintToString(o);
    return o.out;
  }

  json OkJson(const std::vector<std::string>& args, const std::string& db = "new.db") {
    const std::string out = Ok(args, db);
    json j = json::parse(out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << "not JSON:\n" << out;
    return j;
  }

  void Write(const std::string& name, const std::string& content) {
    std::ofstream(dir_ / name, std::ios::binary) << content;
  }

  std::vector<std::string> TreatyRefs() {
    std::vector<std::string> refs;
    const json list = OkJson({"treaty", "list", "--format", "json"});
    if (!list.is_array()) return refs;
    for (const auto& t : list) refs.push_back(t.at("ref").get<std::string>());
    return refs;
  }

  fs::path dir_;
};

TEST_F(CliTest, ListCreatesTheDatabaseFileAndShowsEveryShippedTreaty) {
  ASSERT_FALSE(fs::exists(dir_ / "new.db"));
  const std::string out = Ok({"treaty", "list"});
  EXPECT_TRUE(fs::exists(dir_ / "new.db"));
  for (const char* ref :
       {"ETS 108", "ETS 185", "ETS 189", "CETS 201", "CETS 223", "CETS 224", "UNCC"}) {
    EXPECT_NE(out.find(ref), std::string::npos) << ref << " missing from:\n" << out;
  }
  // A second run on the now existing file gives the same answer.
  EXPECT_EQ(Ok({"treaty", "list"}), out);
}

TEST_F(CliTest, ListJsonHasOneSummaryPerTreaty) {
  const json list = OkJson({"treaty", "list", "--format", "json"});
  ASSERT_TRUE(list.is_array());
  EXPECT_EQ(list.size(), 7u);
  for (const auto& t : list) {
    EXPECT_TRUE(t.contains("ref"));
    EXPECT_TRUE(t.contains("consents"));
    EXPECT_TRUE(t.contains("in_force"));
  }
}

TEST_F(CliTest, FindsTheShippedDataWithoutOctopusDataDir) {
  const Outcome o =
      Run({OCTOPUS_BIN, "--db", "new.db", "treaty", "parties", "185", "--as-of", "2011-06-01"},
          /*with_data_dir=*/false);
  EXPECT_EQ(o.exit, 0) << ::testing::PrintToString(o);
  EXPECT_EQ(o.out, "31\n");
}

TEST_F(CliTest, StatusJsonOnTheNotificationDateHas31ConsentsAndTheUkEntryIntoForce) {
  const json j = OkJson({"treaty", "status", "185", "--as-of", "2011-06-01", "--format", "json"});
  ASSERT_TRUE(j.is_object());
  EXPECT_EQ(j.value("ref", ""), "ETS 185");
  EXPECT_EQ(j.value("as_of", ""), "2011-06-01");
  EXPECT_EQ(j["consents"], (json{{"min", 31}, {"max", 31}}));
  const json* uk = nullptr;
  for (const auto& s : j["states"]) {
    if (s.value("iso2", "") == "GB") uk = &s;
  }
  ASSERT_NE(uk, nullptr) << "no United Kingdom entry";
  EXPECT_EQ((*uk)["entry_into_force"], "2011-09-01");
  EXPECT_EQ((*uk)["consent"], "2011-05-25");
}

TEST_F(CliTest, PartiesOnTheNotificationDatePrintsExactly31) {
  EXPECT_EQ(Ok({"treaty", "parties", "185", "--as-of", "2011-06-01"}), "31\n");
}

TEST_F(CliTest, PartiesOnADateTheDataCannotDecidePrintsAnHonestRange) {
  // The seeds' "28 States" on 2010-03-16: the shipped data cannot decide it,
  // and no complete list covers the date, so the count is a lower bound.
  const std::string text = Ok({"treaty", "parties", "ETS-185", "--as-of", "2010-03-16"});
  std::smatch m;
  ASSERT_TRUE(std::regex_match(text, m, std::regex(R"((\d+)\+\n)"))) << text;
  const int lo = std::stoi(m[1]);
  EXPECT_LE(lo, 28);

  const json j =
      OkJson({"treaty", "parties", "ETS-185", "--as-of", "2010-03-16", "--format", "json"});
  EXPECT_EQ(j, (json{{"min", lo}, {"max", nullptr}, {"open", true}}));
}

TEST_F(CliTest, SecondProtocolHasTwoConsentsAndIsNotInForceOnJapansRatification) {
  EXPECT_EQ(Ok({"treaty", "parties", "224", "--as-of", "2023-08-10"}), "2\n");
  EXPECT_EQ(Ok({"treaty", "parties", "224", "--as-of", "2023-08-10", "--in-force"}), "0\n");
  EXPECT_EQ(Ok({"treaty", "parties", "224", "--as-of", "2023-08-09"}), "1\n");
}

TEST_F(CliTest, EveryWayOfWritingTheReferenceIsAccepted) {
  for (const char* ref : {"185", "ETS 185", "CETS 185", "ETS-185", "ets185"}) {
    EXPECT_EQ(Ok({"treaty", "parties", ref, "--as-of", "2011-06-01"}), "31\n") << ref;
  }
}

TEST_F(CliTest, TimelineCsvOfTheSecondProtocolHasOneRowPerRatification) {
  EXPECT_EQ(Ok({"treaty", "timeline", "224", "--format", "csv"}),
            "date,consents_min,consents_max,in_force_min,in_force_max\n"
            "2023-02-09,1,1,0,0\n"
            "2023-08-10,2,2,0,0\n"
            // After the complete Dutch table (of 2025-11-14 or later) the top is not known.
            "2026-02-05,3,,0,\n");
}

class CliRoundTripTest : public CliTest, public ::testing::WithParamInterface<const char*> {};

TEST_P(CliRoundTripTest, StatusCsvReimportsIntoAFreshDatabaseAndGivesTheSameChart) {
  std::vector<std::string> status = {"treaty", "status", "185", "--format", "csv"};
  if (*GetParam() != '\0') {
    status.push_back("--as-of");
    status.push_back(GetParam());
  }
  const std::string chart = Ok(status, "first.db");
  // The import shape, with the status's own columns appended at the end.
  const std::string header(kHeader, std::strlen(kHeader) - 1);
  ASSERT_NE(chart.find(header + ",last_on_record,sources,flags\n"), std::string::npos) << chart;
  Write("chart.csv", chart);

  const Outcome imported =
      Octopus({"treaty", "import", "chart.csv", "--treaty", "185"}, "second.db");
  ASSERT_EQ(imported.exit, 0) << "the status CSV does not re-import: "
                              << ::testing::PrintToString(imported);
  // The same chart, but for the sources column, which now names chart.csv too
  // (the flags column after it comes from the shipped files in both).
  auto without_last_field = [](const std::string& line) {
    size_t cut = std::string::npos;
    bool quoted = false;
    for (size_t i = 0; i < line.size(); ++i) {
      if (line[i] == '"') quoted = !quoted;
      if (line[i] == ',' && !quoted) cut = i;
    }
    return line.substr(0, cut);
  };
  auto without_sources = [&](const std::string& csv) {
    std::string out;
    std::istringstream in(csv);
    for (std::string line; std::getline(in, line);) {
      if (!line.empty() && line[0] != '#') line = without_last_field(without_last_field(line));
      out += line + "\n";
    }
    return out;
  };
  EXPECT_EQ(without_sources(Ok(status, "second.db")), without_sources(chart));
}

INSTANTIATE_TEST_SUITE_P(AsOf, CliRoundTripTest, ::testing::Values("", "2011-06-01"),
                         [](const ::testing::TestParamInfo<const char*>& info) {
                           std::string n = *info.param ? info.param : "Today";
                           for (char& c : n)
                             c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return n;
                         });

struct CliError {
  const char* name;
  std::vector<std::string> args;
  const char* says;  ///< the one stderr line must hold this
};

TEST_F(CliTest, ErrorsExitNonZeroWithOneClearLineOnStderr) {
  const CliError cases[] = {
      {"UnknownTreatyStatus", {"treaty", "status", "999"}, "999"},
      {"UnknownTreatyParties", {"treaty", "parties", "ETS 999"}, "ETS 999"},
      {"UnknownTreatyTimeline",
       {"treaty", "timeline", "Atlantis Convention"},
       "Atlantis Convention"},
      {"NoSuchDate", {"treaty", "parties", "185", "--as-of", "2011-02-30"}, "no such date"},
      {"NoSuchDateInStatus", {"treaty", "status", "185", "--as-of", "2011-13-01"}, "no such date"},
      {"MalformedDate", {"treaty", "parties", "185", "--as-of", "1/6/2011"}, "1/6/2011"},
      {"UnknownFormat", {"treaty", "status", "185", "--format", "xml"}, "xml"},
      {"MissingChartFile", {"treaty", "import", "missing.csv"}, "missing.csv"},
      {"NoSubcommand", {"treaty"}, "octopus"}};
  for (const CliError& c : cases) {
    SCOPED_TRACE(c.name);
    const Outcome o = Octopus(c.args);
    EXPECT_NE(o.exit, 0) << ::testing::PrintToString(o);
    EXPECT_LT(o.exit, 128) << "crashed: " << ::testing::PrintToString(o);
    EXPECT_EQ(o.out, "");
    EXPECT_EQ(CountLines(o.err), 1u) << o.err;
    EXPECT_FALSE(o.err.empty() || o.err.back() != '\n') << o.err;
    EXPECT_NE(o.err.find(c.says), std::string::npos) << o.err;
  }
}

TEST_F(CliTest, ProfileSetStoresRevisionsAndHistoryListsThemNewestFirst) {
  Write("fr1.md", "# France\n\nFirst text.\n");
  Write("fr2.md", "# France\n\n| Law | Year |\n|---|---|\n| LCEN | 2004 |\n");
  const std::string first = Ok({"profile", "set", "FR", "fr1.md", "--author", "Ana", "--note", "initial"});
  EXPECT_NE(first.find("France: profile revision 1 stored, by Ana"), std::string::npos) << first;
  const std::string second = Ok({"profile", "set", "fr", "fr2.md", "--author", "Ben"});
  EXPECT_NE(second.find("revision 2"), std::string::npos) << second;

  const std::string history = Ok({"profile", "history", "FR"});
  EXPECT_EQ(CountLines(history), 2u) << history;
  const size_t two = history.find("2\t"), one = history.find("1\t");
  EXPECT_EQ(two, 0u) << history;
  EXPECT_NE(one, std::string::npos) << history;
  EXPECT_NE(history.find("\tBen\t"), std::string::npos) << history;
  EXPECT_NE(history.find("\tAna\tinitial\n"), std::string::npos) << history;
  EXPECT_NE(Ok({"profile", "history", "DE"}).find("no profile yet"), std::string::npos);
}

TEST_F(CliTest, UserAddPrintsAOneTimeLinkAndListRoleDisableAndLinkManageTheAccount) {
  const std::string added = Ok({"user", "add", "Root@Example.org", "--role", "administrator",
                                "--base-url", "https://octopus.example.org/"});
  EXPECT_NE(added.find("added root@example.org (administrator)"), std::string::npos) << added;
  const size_t at = added.find("https://octopus.example.org/password/set?token=");
  ASSERT_NE(at, std::string::npos) << added;
  const std::string token = added.substr(at + 47, 64);
  EXPECT_EQ(token.find_first_not_of("0123456789abcdef"), std::string::npos) << token;

  std::string list = Ok({"user", "list"});
  EXPECT_TRUE(list.starts_with("root@example.org\tadministrator\tno password yet\t")) << list;
  EXPECT_NE(Ok({"user", "role", "root@example.org", "editor"}).find("administrator → editor"),
            std::string::npos);
  const std::string fresh = Ok({"user", "link", "root@example.org"});
  EXPECT_EQ(fresh.find(token), std::string::npos) << "a fresh link";
  EXPECT_NE(fresh.find("/password/set?token="), std::string::npos);
  Ok({"user", "disable", "root@example.org"});
  list = Ok({"user", "list"});
  EXPECT_NE(list.find("\teditor\tdisabled\t"), std::string::npos) << list;
  EXPECT_EQ(CountLines(list), 1u);
}

TEST_F(CliTest, UserCommandsRefuseBadRolesDuplicatesAndUnknownAccounts) {
  Ok({"user", "add", "ana@example.org", "--role", "editor"});
  Outcome o = Octopus({"user", "add", "ben@example.org", "--role", "owner"});
  EXPECT_NE(o.exit, 0);
  EXPECT_NE(o.err.find("unknown role 'owner'"), std::string::npos) << o.err;
  o = Octopus({"user", "add", "ana@example.org", "--role", "reader"});
  EXPECT_NE(o.exit, 0);
  EXPECT_NE(o.err.find("has an account already"), std::string::npos) << o.err;
  o = Octopus({"user", "add", "not-an-address", "--role", "reader"});
  EXPECT_NE(o.exit, 0);
  o = Octopus({"user", "role", "nobody@example.org", "editor"});
  EXPECT_NE(o.exit, 0);
  EXPECT_NE(o.err.find("no account for nobody@example.org"), std::string::npos) << o.err;
  EXPECT_EQ(CountLines(Ok({"user", "list"})), 1u);
}

TEST_F(CliTest, AuditListsEachCommandsChangesNewestFirstWithTheCommandLine) {
  Write("fr1.md", "# France\n\nFirst text.\n");
  Ok({"profile", "set", "FR", "fr1.md", "--author", "Ana"});
  Write("news.txt", "1 June 2024\nBenin has acceded to the Convention on Cybercrime.\n");
  Ok({"ingest", "news.txt", "--source-url", "https://example.org/news"});

  const std::string all = Ok({"audit"});
  EXPECT_NE(all.find("  ingest  document:"), std::string::npos) << all;
  EXPECT_NE(all.find("from: octopus --db new.db ingest news.txt --source-url https://example.org/news"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("  edit  profile:FR  markdown"), std::string::npos) << all;
  // The shipped treaty files read on the first open are imports.
  EXPECT_NE(all.find("  import  source:"), std::string::npos) << all;
  EXPECT_LT(all.find("  ingest  "), all.find("  edit  profile:FR")) << "newest first\n" << all;

  const std::string profiles = Ok({"audit", "--entity", "profile:"});
  EXPECT_NE(profiles.find("profile:FR"), std::string::npos) << profiles;
  EXPECT_EQ(profiles.find("document:"), std::string::npos) << profiles;
  const Outcome bad = Octopus({"audit", "--limit", "0"}, "new.db");
  EXPECT_EQ(bad.exit, 1);
  EXPECT_NE(bad.err.find("--limit"), std::string::npos) << bad.err;
}

TEST_F(CliTest, IngestRestrictedStoresTheDocumentRestrictedAndAuditsBoth) {
  Write("notes.txt", "2 June 2024\nA closed meeting of practitioners on cybercrime took place in Accra.\n");
  const std::string out = Ok({"ingest", "--restricted", "notes.txt"});
  EXPECT_NE(out.find("stored, restricted"), std::string::npos) << out;
  const std::string audit = Ok({"audit", "--entity", "document:"});
  EXPECT_NE(audit.find("  restrict  document:1"), std::string::npos) << audit;
  EXPECT_NE(audit.find("  ingest  document:1"), std::string::npos) << audit;
  // The same bytes again: nothing changes, and the output says the flag did nothing.
  const std::string again = Ok({"ingest", "--restricted", "notes.txt"});
  EXPECT_NE(again.find("not restricted by this command"), std::string::npos) << again;
  EXPECT_NE(Ok({"release", "document", "1"}).find("document 1: public"), std::string::npos);
}

TEST_F(CliTest, ProfileSetRefusesAnUnknownCountryAnEmptyFileAndBadUtf8StoringNothing) {
  Write("ok.md", "Text.\n");
  Write("empty.md", "");
  Write("blank.md", "  \n\n");
  Write("latin1.md", "Caf\xe9\n");
  const CliError cases[] = {
      {"UnknownCountry", {"profile", "set", "ZZ", "ok.md"}, "unknown country code 'ZZ'"},
      {"NotACode", {"profile", "history", "France"}, "unknown country code 'France'"},
      {"EmptyFile", {"profile", "set", "FR", "empty.md"}, "empty.md is empty"},
      {"BlankFile", {"profile", "set", "FR", "blank.md"}, "blank.md is empty"},
      {"NotUtf8", {"profile", "set", "FR", "latin1.md"}, "not valid UTF-8"},
      {"MissingFile", {"profile", "set", "FR", "missing.md"}, "missing.md"}};
  for (const CliError& c : cases) {
    SCOPED_TRACE(c.name);
    const Outcome o = Octopus(c.args);
    EXPECT_NE(o.exit, 0) << ::testing::PrintToString(o);
    EXPECT_LT(o.exit, 128) << "crashed: " << ::testing::PrintToString(o);
    EXPECT_EQ(o.out, "");
    EXPECT_EQ(CountLines(o.err), 1u) << o.err;
    EXPECT_NE(o.err.find(c.says), std::string::npos) << o.err;
  }
  EXPECT_NE(Ok({"profile", "history", "FR"}).find("no profile yet"), std::string::npos);
}

TEST_F(CliTest, BadChartIsRefusedWithFileLineAndFieldAndChangesNothing) {
  const std::vector<std::string> status = {"treaty", "status",  "185",       "--format",
                                           "csv",    "--as-of", "2013-01-01"};
  const std::string before = Ok(status);
  Write("bad.csv", std::string("# status as of: 2012-01-01\n") + kHeader +
                       "Albania,yes,2001-11-23,2002-06-20,2004-07-01,,ratification\n"
                       "Austria,yes,2011-13-01,,,,\n");
  const Outcome o = Octopus({"treaty", "import", "bad.csv", "--treaty", "185"});
  EXPECT_NE(o.exit, 0) << ::testing::PrintToString(o);
  EXPECT_EQ(CountLines(o.err), 1u) << o.err;
  EXPECT_NE(o.err.find("bad.csv:4"), std::string::npos) << o.err;
  EXPECT_NE(o.err.find("signature"), std::string::npos) << o.err;
  EXPECT_EQ(Ok(status), before);
}

TEST_F(CliTest, ImportReportsEveryPrintedEntryIntoForceThatDiffersFromTheRule) {
  Write("wrong.csv",
        std::string(kHeader) + "Austria,yes,2001-11-23,2012-06-13,2012-09-01,,ratification\n");
  const std::string out = Ok({"treaty", "import", "wrong.csv", "--treaty", "185"});
  EXPECT_NE(out.find("wrong.csv:2: AT entry_into_force: chart 2012-09-01, computed 2012-10-01"),
            std::string::npos)
      << out;
  const std::string again = Ok({"treaty", "import", "wrong.csv", "--treaty", "185"});
  EXPECT_NE(again.find("already imported"), std::string::npos) << again;
}

// --- Properties of the shipped data, through the timeline -------------------

TEST_F(CliTest, CountsNeverDecreaseWithoutADenunciation) {
  const std::vector<std::string> refs = TreatyRefs();
  ASSERT_EQ(refs.size(), 7u);
  for (const std::string& ref : refs) {
    SCOPED_TRACE(ref);
    const json tl = OkJson({"treaty", "timeline", ref, "--format", "json"});
    ASSERT_TRUE(tl.is_array());
    json prev;
    for (const auto& p : tl) {
      const std::string date = p.at("date").get<std::string>();
      // An open count ("max": null) has no known top.
      for (const char* what : {"consents", "in_force"}) {
        const int lo = p.at(what).at("min").get<int>();
        const json& hi = p.at(what).at("max");
        if (hi.is_number()) {
          EXPECT_LE(lo, hi.get<int>()) << date << " " << what;
        }
        if (!prev.is_null()) {
          EXPECT_LE(prev.at(what).at("min").get<int>(), lo) << date << " " << what << " min";
          const json& prev_hi = prev.at(what).at("max");
          if (prev_hi.is_number() && hi.is_number()) {
            EXPECT_LE(prev_hi.get<int>(), hi.get<int>()) << date << " " << what << " max";
          }
        }
      }
      // A State is in force only after consenting.
      EXPECT_LE(p["in_force"]["min"].get<int>(), p["consents"]["min"].get<int>()) << date;
      if (p["in_force"]["max"].is_number() && p["consents"]["max"].is_number()) {
        EXPECT_LE(p["in_force"]["max"].get<int>(), p["consents"]["max"].get<int>()) << date;
      }
      if (!prev.is_null()) {
        EXPECT_LT(prev["date"].get<std::string>(), date);
      }
      prev = p;
    }
  }
}

TEST_F(CliTest, Ets185InForceCountChangesOnlyOnTheFirstDayOfAMonth) {
  const json tl = OkJson({"treaty", "timeline", "185", "--format", "json"});
  ASSERT_TRUE(tl.is_array());
  ASSERT_FALSE(tl.empty());
  json prev_in_force = {{"min", 0}, {"max", 0}};
  int changes = 0;
  for (const auto& p : tl) {
    // A change of the count (not of "open", which only says no complete list
    // covers the date and leaves the top unknown).
    const json counts = {{"min", p.at("in_force").at("min")}, {"max", p.at("in_force").at("max")}};
    const bool changed = counts["min"] != prev_in_force["min"] ||
                         (counts["max"].is_number() && prev_in_force["max"].is_number() &&
                          counts["max"] != prev_in_force["max"]);
    if (changed) {
      ++changes;
      const std::string date = p.at("date").get<std::string>();
      EXPECT_EQ(date.substr(8), "01") << date << " in force " << p["in_force"].dump();
    }
    prev_in_force = counts;
  }
  EXPECT_GT(changes, 10);
}

TEST_F(CliTest, NoStateEntersIntoForceBeforeTheTreaty) {
  for (const std::string& ref : TreatyRefs()) {
    SCOPED_TRACE(ref);
    const json j = OkJson({"treaty", "status", ref, "--as-of", "2030-01-01", "--format", "json"});
    const json& treaty_eif = j["entry_into_force"]["date"];
    if (!treaty_eif.is_string()) continue;
    // The earliest the treaty can have entered into force.
    const std::string t = treaty_eif.get<std::string>();
    const std::string treaty_lo = t.starts_with("..") ? "" : t.substr(0, 10);
    for (const auto& s : j["states"]) {
      if (!s["entry_into_force"].is_string()) continue;
      const std::string e = s["entry_into_force"].get<std::string>();
      if (e.starts_with("..")) continue;
      EXPECT_GE(e.substr(0, 10), treaty_lo) << s["iso2"] << " " << e << " vs treaty " << t;
    }
  }
}

TEST_F(CliTest, TimelineAgreesWithPartiesOnEveryDateItLists) {
  const json tl = OkJson({"treaty", "timeline", "224", "--format", "json"});
  ASSERT_TRUE(tl.is_array());
  for (const auto& p : tl) {
    const std::string date = p.at("date").get<std::string>();
    EXPECT_EQ(OkJson({"treaty", "parties", "224", "--as-of", date, "--format", "json"}),
              p.at("consents"))
        << date;
    EXPECT_EQ(
        OkJson({"treaty", "parties", "224", "--as-of", date, "--in-force", "--format", "json"}),
        p.at("in_force"))
        << date;
  }
}

TEST_F(CliTest, UpdateComposeOnAFreshDatabaseIsAShortHonestIssueInEveryFormat) {
  const std::string md = Ok({"update", "compose", "--quarter", "2023Q3", "--format", "md"});
  EXPECT_NE(md.find("# Cybercrime@CoE Update\n"), std::string::npos) << md;
  EXPECT_NE(md.find("## Update: Treaties as of 30 September 2023\n"), std::string::npos) << md;
  EXPECT_NE(md.find("## Inventory of activities (July – September 2023)\n\n"
                    "No activities are recorded for July – September 2023.\n"),
            std::string::npos)
      << md;
  EXPECT_EQ(md.find("Coming next"), std::string::npos);
  const std::string parties = Ok({"treaty", "parties", "185", "--as-of", "2023-09-30"});
  EXPECT_NE(md.find("**Parties named on record as of 30 September 2023:** " +
                    parties.substr(0, parties.size() - 1)),
            std::string::npos)
      << md;
  // The headline Parties figure is the best-supported one, with its basis
  // (compared with the Markdown's escapes taken out).
  const json status = OkJson({"treaty", "status", "185", "--as-of", "2023-09-30", "--format", "json"});
  std::string plain;
  for (char c : md) {
    if (c != '\\') plain += c;
  }
  EXPECT_NE(plain.find("**Parties as of 30 September 2023:** " +
                    status.at("headline").at("sentence").get<std::string>()),
            std::string::npos)
      << md;
  const json j = OkJson({"update", "compose", "--quarter", "2023-q3", "--format", "json"});
  EXPECT_EQ(j.value("quarter", ""), "2023Q3");
  EXPECT_TRUE(j.at("inventory").empty());
  EXPECT_EQ(Ok({"update", "compose", "--quarter", "2023Q3", "-o", "issue.html"}), "");
  EXPECT_EQ(Slurp(dir_ / "issue.html").rfind("<!DOCTYPE html>", 0), 0u);
  const std::string text = Ok({"update", "compose", "--quarter", "2023Q3", "--format", "text"});
  EXPECT_EQ(text.rfind("CYBERCRIME@COE UPDATE\nJuly – September 2023\n", 0), 0u) << text;
}

TEST_F(CliTest, UpdateComposeRefusesABadQuarterOrFormatWithOneLine) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"update", "compose", "--quarter", "2023Q5"},
           {"update", "compose", "--quarter", "2023Q3", "--format", "docx"}}) {
    const Outcome o = Octopus(args);
    EXPECT_EQ(o.exit, 1) << ::testing::PrintToString(o);
    EXPECT_EQ(o.out, "");
    EXPECT_EQ(CountLines(o.err), 1u) << o.err;
  }
  EXPECT_EQ(Octopus({"update", "compose"}).exit, 2);
}

TEST_F(CliTest, SubscriberConfirmsByTheLinkTokenAndLeavesByIt) {
  const std::string out = Ok({"update", "subscribe", "reader@example.org", "--base-url",
                              "https://octopus.example.org"});
  const std::string prefix = "https://octopus.example.org/subscribe/confirm?token=";
  const size_t at = out.find(prefix);
  ASSERT_NE(at, std::string::npos) << out;
  const std::string token = out.substr(at + prefix.size(), 64);
  EXPECT_EQ(Ok({"update", "subscribers", "--status", "confirmed"}), "");
  EXPECT_EQ(Ok({"update", "confirm", token}), "reader@example.org: confirmed\n");
  EXPECT_EQ(Ok({"update", "subscribers", "--status", "confirmed"}).rfind("reader@example.org\t", 0),
            0u);
  const std::string leave_prefix = "https://octopus.example.org/unsubscribe?token=";
  const size_t leave_at = out.find(leave_prefix);
  ASSERT_NE(leave_at, std::string::npos) << out;
  const std::string leave = out.substr(leave_at + leave_prefix.size(), 64);
  // Each token does its one thing.
  EXPECT_EQ(Octopus({"update", "unsubscribe", token}).exit, 1);
  EXPECT_EQ(Ok({"update", "unsubscribe", leave}), "reader@example.org: unsubscribed\n");
  EXPECT_EQ(Ok({"update", "subscribers", "--status", "confirmed"}), "");
  const Outcome bad = Octopus({"update", "unsubscribe", "nonsense"});
  EXPECT_EQ(bad.exit, 1);
  EXPECT_NE(bad.err.find("no subscription holds this token"), std::string::npos) << bad.err;
  EXPECT_EQ(Octopus({"update", "subscribe", "not-an-address"}).exit, 1);
}

}  // namespace
}  // namespace octopus
