// Starts the real `octopus serve` on 127.0.0.1 over a temp database, talks
// HTTP to it over plain sockets, and stops it with SIGTERM.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <mutex>
#include <random>
#include <regex>
#include <set>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "core/testing/gunzip.h"
#include "core/testing/smtp_sink.h"
#include "kb/knowledge.h"
#include "store/store.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

/// A descriptor closed on scope exit.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

int FreePort() {
  Fd s(::socket(AF_INET, SOCK_STREAM, 0));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  if (::bind(s.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return 0;
  socklen_t len = sizeof addr;
  ::getsockname(s.get(), reinterpret_cast<sockaddr*>(&addr), &len);
  return ntohs(addr.sin_port);
}

/// A connected socket to 127.0.0.1:port from `from` (a loopback address),
/// or -1.
int Connect(int port, const char* from = nullptr) {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
  if (s < 0) return -1;
  if (from != nullptr) {
    sockaddr_in local{};
    local.sin_family = AF_INET;
    ::inet_pton(AF_INET, from, &local.sin_addr);
    if (::bind(s, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
      ::close(s);
      return -1;
    }
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  if (::connect(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(s);
    return -1;
  }
  timeval tv{10, 0};
  ::setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return s;
}

/// Sends raw bytes and reads until the server closes the connection.
std::string Exchange(int port, const std::string& raw, const char* from = nullptr) {
  Fd s(Connect(port, from));
  if (s.get() < 0) return "";
  if (::send(s.get(), raw.data(), raw.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(raw.size())) {
    return "";
  }
  std::string out;
  char buf[16384];
  for (ssize_t n; (n = ::recv(s.get(), buf, sizeof buf, 0)) > 0;) out.append(buf, n);
  return out;
}

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;

  std::string Header(const std::string& name) const {
    const auto it = headers.find(name);
    return it == headers.end() ? "" : it->second;
  }
};

HttpResponse Parse(const std::string& raw) {
  HttpResponse r;
  const size_t end = raw.find("\r\n\r\n");
  if (raw.rfind("HTTP/1.1 ", 0) != 0 || end == std::string::npos) return r;
  r.status = std::stoi(raw.substr(9, 3));
  std::istringstream head(raw.substr(0, end));
  std::string line;
  std::getline(head, line);
  while (std::getline(head, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string name = line.substr(0, colon);
    for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r.headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
  }
  r.body = raw.substr(end + 4);
  return r;
}

HttpResponse Get(int port, const std::string& target, const std::string& method = "GET") {
  return Parse(Exchange(port, method + " " + target +
                                  " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
}

/// `octopus serve` on a free port over a fresh database in a temp directory.
class ServeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("octopus_serve_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    port_ = FreePort();
    ASSERT_NE(port_, 0);
    log_ = (dir_ / "stderr.log").string();
    db_ = (dir_ / "octopus.db").string();
    Launch();
  }

  /// Starts the server and waits for its /healthz.
  void Launch() {
    const std::string& db = db_;
    const std::string listen = "127.0.0.1:" + std::to_string(port_);
    std::vector<std::string> args = prefix_;
    for (const std::string& a : {std::string(OCTOPUS_BIN), std::string("--db"), db,
                                 std::string("serve"), std::string("--listen"), listen}) {
      args.push_back(a);
    }
    args.insert(args.end(), extra_args_.begin(), extra_args_.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env;
    for (char** e = environ; *e; ++e) {
      const std::string entry = *e;
      if (!path_prefix_.empty() && entry.rfind("PATH=", 0) == 0) {
        env.push_back("PATH=" + path_prefix_ + ":" + entry.substr(5));
      } else {
        env.push_back(entry);
      }
    }
    std::vector<char*> envp;
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 2, log_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    const int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data());
    posix_spawn_file_actions_destroy(&actions);
    ASSERT_EQ(rc, 0) << "cannot start " << argv[0];

    // The first start loads the reference data into the new database.
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    while (std::chrono::steady_clock::now() < deadline) {
      if (Get(port_, "/healthz").status == 200) return;
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        FAIL() << "octopus serve exited early:\n" << Log();
      }
      std::this_thread::sleep_for(50ms);
    }
    FAIL() << "no answer on /healthz within 60 s:\n" << Log();
  }

  void TearDown() override {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    fs::remove_all(dir_);
  }

  /// Sends SIGTERM and waits up to `limit`; the exit status, or -1 on timeout.
  int Stop(std::chrono::seconds limit = 10s) {
    ::kill(pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(20ms);
    }
    return -1;
  }

  std::string Log() const {
    std::ifstream in(log_);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }

  /// Set by a derived fixture's constructor: a command the server runs under
  /// (prlimit), arguments after `serve`, a directory put first on its PATH.
  std::vector<std::string> prefix_;
  std::vector<std::string> extra_args_;
  std::string path_prefix_;

  fs::path dir_;
  std::string db_;
  std::string log_;
  int port_ = 0;
  pid_t pid_ = -1;
};

TEST_F(ServeTest, EveryPageAndEndpointAnswers) {
  const std::vector<std::string> pages = {
      "/", "/treaties", "/treaties/185", "/treaties/185?as_of=2011-06-01", "/treaties/CETS-224",
      "/treaties/UNCC",
  };
  for (const auto& target : pages) {
    const HttpResponse r = Get(port_, target);
    EXPECT_EQ(r.status, 200) << target;
    EXPECT_EQ(r.Header("content-type"), "text/html; charset=utf-8") << target;
    EXPECT_NE(r.body.find("</html>"), std::string::npos) << target;
    EXPECT_EQ(r.Header("content-length"), std::to_string(r.body.size())) << target;
  }
  EXPECT_NE(Get(port_, "/treaties/185?as_of=2011-06-01").body.find("<dd class=\"count\">31</dd>"),
            std::string::npos);

  const std::vector<std::string> json_endpoints = {
      "/api/v1/treaties", "/api/v1/treaties/185", "/api/v1/treaties/185/status?as_of=2011-06-01",
      "/api/v1/treaties/ETS-185/timeline", "/api/v1/openapi.json", "/treaties/185.json",
  };
  for (const auto& target : json_endpoints) {
    const HttpResponse r = Get(port_, target);
    EXPECT_EQ(r.status, 200) << target;
    EXPECT_EQ(r.Header("content-type"), "application/json") << target;
    EXPECT_FALSE(nlohmann::json::parse(r.body, nullptr, false).is_discarded()) << target;
  }
  const auto status = nlohmann::json::parse(
      Get(port_, "/api/v1/treaties/185/status?as_of=2011-06-01").body, nullptr, false);
  EXPECT_EQ(status["consents"]["min"], 31);

  const HttpResponse csv = Get(port_, "/treaties/185.csv?as_of=2011-06-01");
  EXPECT_EQ(csv.status, 200);
  EXPECT_EQ(csv.Header("content-type"), "text/csv; charset=utf-8");
  EXPECT_NE(csv.body.find("United Kingdom"), std::string::npos);

  const HttpResponse css = Get(port_, "/static/style.css");
  EXPECT_EQ(css.status, 200);
  EXPECT_EQ(css.Header("cache-control"), "public, max-age=31536000, immutable");

  EXPECT_EQ(Get(port_, "/healthz").body, "ok\n");
  EXPECT_EQ(Get(port_, "/nowhere").status, 404);
  EXPECT_EQ(Get(port_, "/api/v1/nowhere").status, 404);
  EXPECT_EQ(Get(port_, "/treaties/185?as_of=2011-02-30").status, 400);

  EXPECT_EQ(Stop(), 0) << Log();
  const std::string log = Log();
  // One JSON object a request (keys in order): path, route, status among them.
  EXPECT_NE(log.find("\"method\":\"GET\",\"path\":\"/treaties/185?as_of=2011-06-01\","
                     "\"route\":\"/treaties/{ref}\",\"status\":200,"),
            std::string::npos)
      << log;
  EXPECT_NE(log.find("\"method\":\"GET\",\"path\":\"/nowhere\",\"route\":\"other\",\"status\":404,"),
            std::string::npos);
  EXPECT_NE(log.find("octopus: stopped"), std::string::npos);
}

/// Runs the binary with `args` to completion; its exit status (-1 if it could not start).
int RunOctopus(std::vector<std::string> args, const std::string& log) {
  args.insert(args.begin(), OCTOPUS_BIN);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, OCTOPUS_BIN, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) return -1;
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TEST_F(ServeTest, SeedsIngestedByAnotherProcessAppearInPagesSearchAndFeeds) {
  // Before: the pages answer; search finds only the country's own page.
  const auto before = nlohmann::json::parse(Get(port_, "/api/v1/search?q=Turkiye").body);
  ASSERT_EQ(before["total"], 1);
  EXPECT_EQ(before["results"][0]["url"], "/countries/TR");
  const std::string seeds = std::string(OCTOPUS_TEST_SOURCE_DIR) + "/data/seeds/";
  const std::string ingest_log = (dir_ / "ingest.log").string();
  ASSERT_EQ(RunOctopus({"--db", db_, "ingest", seeds + "000_d03e5a92182abe11.txt",
                        seeds + "003_4b1784b32edbbd16.txt"},
                       ingest_log),
            0);
  // The server notices the other writer within its generation check.
  nlohmann::json found;
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (std::chrono::steady_clock::now() < deadline) {
    found = nlohmann::json::parse(Get(port_, "/api/v1/search?q=Turkiye").body, nullptr, false);
    if (found.is_object() && found["total"].get<int>() > 1) break;
    std::this_thread::sleep_for(100ms);
  }
  ASSERT_TRUE(found.is_object());
  EXPECT_GE(found["total"].get<int>(), 3);
  // A link by a project's name moves, permanently, to the project's page at its id.
  auto get_moved = [&](const std::string& target) {
    HttpResponse r = Get(port_, target);
    if (r.status == 301 && !r.Header("location").empty()) r = Get(port_, r.Header("location"));
    return r;
  };
  for (const auto& r : found["results"]) {
    EXPECT_EQ(get_moved(r["url"].get<std::string>()).status, 200) << r["url"];
  }
  const HttpResponse moved = Get(port_, "/projects/GLACY%2B");
  EXPECT_EQ(moved.status, 301);
  EXPECT_EQ(moved.Header("location"), "/projects/glacy-plus");
  for (const char* page : {"/news", "/activities", "/projects", "/search?q=Tonga",
                           "/countries/TR", "/projects/glacy-plus", "/"}) {
    const HttpResponse r = Get(port_, page);
    EXPECT_EQ(r.status, 200) << page;
    EXPECT_NE(r.body.find("</html>"), std::string::npos) << page;
  }
  const HttpResponse ics = Get(port_, "/activities.ics");
  EXPECT_EQ(ics.status, 200);
  EXPECT_NE(ics.body.find("BEGIN:VEVENT"), std::string::npos);
  const HttpResponse atom = Get(port_, "/news.atom");
  EXPECT_EQ(atom.status, 200);
  EXPECT_NE(atom.body.find("<entry>"), std::string::npos);
  const auto news = nlohmann::json::parse(Get(port_, "/api/v1/news?per_page=100").body);
  EXPECT_GT(news["total"].get<int>(), 50);
  EXPECT_EQ(Stop(), 0) << Log();
}

/// The value of `field` in an entity of the API, "" when it has none.
std::string ApiValue(const nlohmann::json& entity, const std::string& field) {
  if (!entity.is_object() || !entity.contains("fields")) return "";
  for (const auto& f : entity["fields"]) {
    if (f["name"] == field && !f["values"].empty()) return f["values"][0]["value"].get<std::string>();
  }
  return "";
}

// The issue's flow, but for signing in (the edits are stored as the site's
// forms store them, by the editor and then the reviewer): the running server
// shows the publication on its pages and API, its entity index finds it, and
// the audit has both actions with before and after.
TEST_F(ServeTest, AnEditApprovedByAnotherReviewerReachesThePublicPagesApiSearchAndAudit) {
  const std::string seeds = std::string(OCTOPUS_TEST_SOURCE_DIR) + "/data/seeds/";
  ASSERT_EQ(RunOctopus({"--db", db_, "ingest", seeds + "003_4b1784b32edbbd16.txt"}, (dir_ / "ingest.log").string()),
            0);
  nlohmann::json before;
  for (auto deadline = std::chrono::steady_clock::now() + 10s; std::chrono::steady_clock::now() < deadline;) {
    before = nlohmann::json::parse(Get(port_, "/api/v1/projects/cybereast").body, nullptr, false);
    if (!ApiValue(before, "budget_amount").empty()) break;
    std::this_thread::sleep_for(100ms);
  }
  const std::string stated = ApiValue(before, "budget_amount");
  ASSERT_FALSE(stated.empty()) << before.dump().substr(0, 500);
  ASSERT_NE(stated, "5400000");

  // No session: the forms send a reader to sign in and refuse a POST.
  const HttpResponse form = Get(port_, "/edit/projects/cybereast");
  EXPECT_EQ(form.status, 303);
  EXPECT_EQ(form.Header("location"), "/login?next=%2Fedit%2Fprojects%2Fcybereast");
  const HttpResponse post = Parse(Exchange(
      port_, "POST /review HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
             "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 20\r\n\r\nid=1&decision=reject"));
  EXPECT_EQ(post.status, 403);

  auto opened = octopus::store::OpenStore(db_);
  ASSERT_TRUE(opened.ok()) << opened.status().message();
  octopus::store::Store& store = **opened;
  octopus::store::ChangeSet draft;
  draft.author = "ana@example.org";
  draft.note = "budget revised; workshop added";
  draft.values = {{0, "project", "cybereast", "budget_amount", "5400000", stated},
                  {0, "activity", "new", "title", "Workshop on wombat forensics", std::nullopt},
                  {0, "activity", "new", "projects", "cybereast", std::nullopt},
                  {0, "activity", "new", "countries", "GE", std::nullopt}};
  auto stored = store.AddDraft(draft, false, "session ana");
  ASSERT_TRUE(stored.ok()) << stored.status().message();
  EXPECT_FALSE(store.Approve(stored->id, "ana@example.org", "session ana").ok());
  ASSERT_TRUE(store.Approve(stored->id, "ben@example.org", "session ben").ok());

  // The server sees the publication within its generation check.
  nlohmann::json after;
  for (auto deadline = std::chrono::steady_clock::now() + 10s; std::chrono::steady_clock::now() < deadline;) {
    after = nlohmann::json::parse(Get(port_, "/api/v1/projects/cybereast").body, nullptr, false);
    if (ApiValue(after, "budget_amount") == "5400000") break;
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(ApiValue(after, "budget_amount"), "5400000");
  const HttpResponse page = Get(port_, "/projects/cybereast");
  EXPECT_NE(page.body.find("EUR 5,400,000"), std::string::npos);
  EXPECT_NE(page.body.find("edited by ana@example.org on "), std::string::npos);
  const std::string activity = octopus::kb::NewEntityId(stored->id, octopus::kb::Kind::kActivity);
  const auto added = nlohmann::json::parse(Get(port_, "/api/v1/activities/" + activity).body, nullptr, false);
  EXPECT_EQ(ApiValue(added, "title"), "Workshop on wombat forensics");
  // The entity index the server rebuilt with the publication finds it.
  octopus::store::RecordQuery wombat;
  wombat.terms = {{"wombat", false}};
  auto found = store.FindEntities(wombat);
  ASSERT_TRUE(found.ok()) << found.status().message();
  ASSERT_EQ(found->total, 1);
  EXPECT_EQ(found->hits[0].entity_id, activity);

  octopus::store::AuditQuery q;
  q.entity = "project:cybereast";
  auto audit = store.Audit(q);
  ASSERT_TRUE(audit.ok());
  std::vector<std::string> actions;
  for (const auto& e : *audit) {
    actions.push_back(e.action + " " + e.actor);
    EXPECT_EQ(e.before, std::optional<std::string>(stated));
    EXPECT_EQ(e.after, std::optional<std::string>("5400000"));
  }
  EXPECT_EQ(actions, (std::vector<std::string>{"publish ben@example.org", "approve ben@example.org",
                                               "draft ana@example.org"}));
  q.entity = "activity:" + activity;
  EXPECT_EQ(store.Audit(q)->size(), 9u) << "three values, each drafted, approved and published";
  EXPECT_EQ(Stop(), 0) << Log();
}

TEST_F(ServeTest, KeepAliveHeadAndLimits) {
  // Two requests on one connection: the first kept alive, the second closes.
  const std::string two = Exchange(
      port_,
      "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /treaties HTTP/1.1\r\nHost: x\r\n"
      "Connection: close\r\n\r\n");
  EXPECT_EQ(two.rfind("HTTP/1.1 200 OK", 0), 0u);
  EXPECT_NE(two.find("HTTP/1.1 200 OK", 10), std::string::npos) << two.substr(0, 300);

  const HttpResponse get = Get(port_, "/treaties/185");
  const HttpResponse head = Get(port_, "/treaties/185", "HEAD");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(head.Header("content-length"), std::to_string(get.body.size()));

  const HttpResponse not_modified = Parse(Exchange(
      port_, "GET /treaties/185 HTTP/1.1\r\nHost: x\r\nIf-None-Match: " + get.Header("etag") +
                 "\r\nConnection: close\r\n\r\n"));
  EXPECT_EQ(not_modified.status, 304);

  EXPECT_EQ(Get(port_, "/treaties", "POST").status, 405);
  const HttpResponse huge = Parse(Exchange(
      port_, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n"));
  EXPECT_EQ(huge.status, 431);
  // Refused from the header alone, before any of the body is read.
  const HttpResponse body =
      Parse(Exchange(port_, "GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n"));
  EXPECT_EQ(body.status, 413);
  EXPECT_EQ(Parse(Exchange(port_, "NOT HTTP AT ALL\r\n\r\n")).status, 400);
  EXPECT_EQ(Stop(), 0) << Log();
}

/// The responses one after the other in `raw`, each read to its
/// Content-Length (none for the answers to HEAD, in `heads`).
std::vector<HttpResponse> SplitResponses(std::string raw, const std::vector<bool>& heads) {
  std::vector<HttpResponse> out;
  for (const bool head : heads) {
    const size_t end = raw.find("\r\n\r\n");
    if (end == std::string::npos) break;
    HttpResponse r = Parse(raw.substr(0, end + 4));
    const size_t length = head ? 0 : std::stoul("0" + r.Header("content-length"));
    r.body = raw.substr(end + 4, length);
    raw.erase(0, std::min(raw.size(), end + 4 + length));
    out.push_back(std::move(r));
  }
  return out;
}

TEST_F(ServeTest, PipelinedRequestsForACachedPageComeBackInOrderAndGzippedWhenAsked) {
  const HttpResponse warm = Get(port_, "/treaties/185");
  ASSERT_EQ(warm.status, 200);
  const std::string page = "/treaties/185";
  const std::string raw = Exchange(
      port_, "GET " + page + " HTTP/1.1\r\nHost: x\r\n\r\n" +
                 "GET " + page + " HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip, br\r\n\r\n" +
                 "HEAD " + page + " HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n" +
                 "GET /healthz HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n" +
                 "GET " + page + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  const auto answers = SplitResponses(raw, {false, false, true, false, false});
  ASSERT_EQ(answers.size(), 5u) << raw.substr(0, 400);
  EXPECT_EQ(answers[0].status, 200);
  EXPECT_EQ(answers[0].body, warm.body);
  EXPECT_EQ(answers[0].Header("content-encoding"), "");
  EXPECT_EQ(answers[0].Header("vary"), "Accept-Encoding");

  EXPECT_EQ(answers[1].status, 200);
  EXPECT_EQ(answers[1].Header("content-encoding"), "gzip");
  EXPECT_EQ(answers[1].Header("content-type"), warm.Header("content-type"));
  EXPECT_EQ(answers[1].Header("x-content-type-options"), "nosniff");
  EXPECT_NE(answers[1].Header("etag"), warm.Header("etag"));
  EXPECT_EQ(octopus::test_support::Gunzip(answers[1].body), warm.body);

  EXPECT_EQ(answers[2].status, 200);
  EXPECT_EQ(answers[2].Header("content-length"), std::to_string(answers[1].body.size()));
  EXPECT_EQ(answers[2].Header("content-encoding"), "gzip");

  EXPECT_EQ(answers[3].status, 200);  // too small to compress
  EXPECT_EQ(answers[3].Header("content-encoding"), "");

  EXPECT_EQ(answers[4].status, 200);
  EXPECT_EQ(answers[4].Header("connection"), "close");
  EXPECT_EQ(answers[4].body, warm.body);
  EXPECT_EQ(Stop(), 0) << Log();
}

TEST_F(ServeTest, ClientsThatResetMidBodyOfALargeCachedPageDoNotStopTheServer) {
  const HttpResponse warm = Get(port_, "/treaties/185");
  ASSERT_EQ(warm.status, 200);
  ASSERT_GT(warm.body.size(), 64u * 1024);  // sent from the page's file, in many segments
  for (int i = 0; i < 20; ++i) {
    Fd s(::socket(AF_INET, SOCK_STREAM, 0));
    // A small receive window: the server is still sending when the reset comes.
    const int small = 2048;
    ::setsockopt(s.get(), SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(port_));
    ASSERT_EQ(::connect(s.get(), reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    const std::string request = "GET /treaties/185 HTTP/1.1\r\nHost: x\r\n\r\n";
    ASSERT_EQ(::send(s.get(), request.data(), request.size(), MSG_NOSIGNAL),
              static_cast<ssize_t>(request.size()));
    char first[512];
    ASSERT_GT(::recv(s.get(), first, sizeof first, 0), 0);
    const linger reset{1, 0};  // close() sends RST
    ::setsockopt(s.get(), SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
  }
  const HttpResponse after = Get(port_, "/treaties/185");
  EXPECT_EQ(after.status, 200);
  EXPECT_EQ(after.body, warm.body);
  EXPECT_EQ(Stop(), 0) << Log();
}

TEST_F(ServeTest, SigtermClosesIdleConnectionsAndExitsZero) {
  Fd idle(Connect(port_));  // a keep-alive client that never sends
  ASSERT_GE(idle.get(), 0);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(Stop(), 0) << Log();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_NE(Log().find("SIGTERM received"), std::string::npos);
}

HttpResponse Post(int port, const std::string& target, const std::string& form) {
  return Parse(Exchange(port, "POST " + target +
                                  " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                                  "Content-Type: application/x-www-form-urlencoded\r\n"
                                  "Content-Length: " +
                                  std::to_string(form.size()) + "\r\n\r\n" + form));
}

/// A subscription form body for `email` (percent-encoded), with the token the
/// form page gives this client.
std::string SubscribeForm(int port, const std::string& email) {
  const HttpResponse form = Get(port, "/subscribe");
  const std::string before = "name=\"csrf\" value=\"";
  const size_t at = form.body.find(before);
  if (at == std::string::npos) return "email=" + email;
  const size_t start = at + before.size();
  return "email=" + email + "&csrf=" + form.body.substr(start, form.body.find('"', start) - start);
}

/// Milliseconds a GET takes, and its status.
std::pair<int, double> TimedGet(int port, const std::string& target, const char* from = nullptr) {
  const auto start = std::chrono::steady_clock::now();
  const HttpResponse r = Parse(Exchange(
      port, "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", from));
  const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
  return {r.status, took.count()};
}

/// The value of an unlabelled metric in a /metrics body; -1 when absent.
double Metric(const std::string& body, const std::string& name) {
  std::istringstream in(body);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(name + " ", 0) == 0) return std::stod(line.substr(name.size() + 1));
  }
  return -1;
}

TEST_F(ServeTest, AnHttp11RequestWithoutHostIsRefusedAndLowLevelErrorsCarryTheHeaders) {
  const HttpResponse no_host =
      Parse(Exchange(port_, "GET /treaties HTTP/1.1\r\nConnection: close\r\n\r\n"));
  EXPECT_EQ(no_host.status, 400);
  EXPECT_EQ(no_host.Header("x-content-type-options"), "nosniff");
  EXPECT_NE(no_host.body.find("Host"), std::string::npos);
  // HTTP/1.0 has no Host requirement.
  EXPECT_EQ(Exchange(port_, "GET /healthz HTTP/1.0\r\n\r\n").rfind("HTTP/1.0 200", 0), 0u);
  const HttpResponse huge = Parse(Exchange(
      port_, "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n"));
  EXPECT_EQ(huge.status, 431);
  EXPECT_EQ(huge.Header("x-content-type-options"), "nosniff");
  EXPECT_EQ(huge.Header("referrer-policy"), "same-origin");
  EXPECT_EQ(Stop(), 0) << Log();
}

TEST_F(ServeTest, TwoThousandSpellingsOfOneUrlMakeOneCacheEntry) {
  ASSERT_EQ(Get(port_, "/treaties/185?as_of=2011-06-01").status, 200);
  const std::string before = Get(port_, "/metrics").body;
  const double entries = Metric(before, "octopus_cache_entries");
  ASSERT_GE(entries, 1);
  const std::string path = "/treaties/185";
  int answered = 0;
  for (int i = 0; i < 2000; ++i) {
    // Each of the first 8 bits of i percent-encodes one letter of the path or
    // query; the rest go into a fragment.
    std::string target;
    for (size_t k = 0; k < path.size(); ++k) {
      if (k < 8 && (i >> k) & 1 && path[k] != '/') {
        char hex[4];
        std::snprintf(hex, sizeof hex, "%%%02X", static_cast<unsigned char>(path[k]));
        target += hex;
      } else {
        target += path[k];
      }
    }
    target += (i & 256) ? "?as%5Fof=2011-06-01" : "?as_of=2011%2D06%2D01";
    target += "#f" + std::to_string(i >> 9);
    if (Get(port_, target).status == 200) ++answered;
  }
  EXPECT_EQ(answered, 2000);
  const std::string after = Get(port_, "/metrics").body;
  EXPECT_EQ(Metric(after, "octopus_cache_entries"), entries);
  EXPECT_GE(Metric(after, "octopus_cache_hits_total") - Metric(before, "octopus_cache_hits_total"),
            2000);
  EXPECT_EQ(Stop(), 0) << Log();
}

TEST_F(ServeTest, MetricsAreInPrometheusTextFormat) {
  ASSERT_EQ(Get(port_, "/treaties/185").status, 200);
  ASSERT_EQ(Get(port_, "/nowhere").status, 404);
  const HttpResponse m = Get(port_, "/metrics");
  ASSERT_EQ(m.status, 200);
  EXPECT_EQ(m.Header("content-type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(m.body.find("octopus_http_requests_total{route=\"/treaties/{ref}\",status=\"200\"} 1\n"),
            std::string::npos)
      << m.body;
  EXPECT_NE(m.body.find("octopus_http_requests_total{route=\"other\",status=\"404\"} 1\n"),
            std::string::npos);
  EXPECT_NE(m.body.find("# TYPE octopus_http_request_duration_seconds histogram\n"),
            std::string::npos);
  EXPECT_NE(m.body.find("octopus_http_request_duration_seconds_bucket{le=\"+Inf\"}"),
            std::string::npos);
  EXPECT_GE(Metric(m.body, "octopus_db_busy_retries_total"), 0);
  EXPECT_EQ(Stop(), 0) << Log();
}

/// The access log's lines (the JSON objects among the server's stderr lines).
std::vector<nlohmann::json> AccessLog(const std::string& log) {
  std::vector<nlohmann::json> out;
  std::istringstream in(log);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line.front() != '{') continue;
    out.push_back(nlohmann::json::parse(line, nullptr, false));
  }
  return out;
}

TEST_F(ServeTest, TokensAreNotWrittenToTheAccessLog) {
  const std::string secret = "0123456789abcdef0123456789abcdef";
  Get(port_, "/subscribe/confirm?token=" + secret);
  Get(port_, "/unsubscribe?token=" + secret);
  Get(port_, "/password/set?tok%65n=" + secret);
  Post(port_, "/subscribe/confirm?token=" + secret, "");
  EXPECT_EQ(Stop(), 0) << Log();
  const std::string log = Log();
  EXPECT_EQ(log.find(secret), std::string::npos) << log;
  std::set<std::string> paths;
  for (const auto& line : AccessLog(log)) paths.insert(line.value("path", ""));
  EXPECT_TRUE(paths.contains("/subscribe/confirm?token=-")) << log;
  EXPECT_TRUE(paths.contains("/password/set?tok%65n=-")) << log;
}

TEST_F(ServeTest, TheAccessLogIsOneJsonObjectPerRequest) {
  ASSERT_EQ(Get(port_, "/treaties/185?as_of=2011-06-01").status, 200);
  ASSERT_EQ(Get(port_, "/no/such/page").status, 404);
  ASSERT_EQ(Get(port_, "/treaties/185", "HEAD").status, 200);
  const HttpResponse bad = Parse(Exchange(port_, "GET /treaties HTTP/1.1\r\nConnection: close\r\n\r\n"));
  ASSERT_EQ(bad.status, 400);
  // Bytes that are not UTF-8 in the target still make a valid line.
  Exchange(port_, "GET /news?q=\xff\xfe HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(Stop(), 0) << Log();
  const std::string log = Log();
  const auto lines = AccessLog(log);
  std::map<std::string, nlohmann::json> by_path;
  for (const auto& line : lines) {
    ASSERT_TRUE(line.is_object()) << log;
    for (const char* key : {"time", "client", "method", "path", "route"}) {
      ASSERT_TRUE(line.contains(key) && line[key].is_string()) << key << " in " << line.dump();
    }
    for (const char* key : {"status", "bytes", "duration_us"}) {
      ASSERT_TRUE(line.contains(key) && line[key].is_number_integer()) << key << " in " << line.dump();
    }
    EXPECT_TRUE(std::regex_match(line["time"].get<std::string>(),
                                 std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")))
        << line.dump();
    EXPECT_GE(line["duration_us"].get<int64_t>(), 0);
    by_path[line["method"].get<std::string>() + " " + line["path"].get<std::string>()] = line;
  }
  ASSERT_TRUE(by_path.contains("GET /treaties/185?as_of=2011-06-01")) << log;
  const auto& page = by_path["GET /treaties/185?as_of=2011-06-01"];
  EXPECT_EQ(page["client"], "127.0.0.1");
  EXPECT_EQ(page["status"], 200);
  EXPECT_EQ(page["route"], "/treaties/{ref}");
  EXPECT_GT(page["bytes"].get<int64_t>(), 1000);
  ASSERT_TRUE(by_path.contains("GET /no/such/page")) << log;
  EXPECT_EQ(by_path["GET /no/such/page"]["status"], 404);
  EXPECT_EQ(by_path["GET /no/such/page"]["route"], "other");
  ASSERT_TRUE(by_path.contains("HEAD /treaties/185")) << log;
  EXPECT_EQ(by_path["HEAD /treaties/185"]["status"], 200);
  ASSERT_TRUE(by_path.contains("GET /treaties")) << log;
  EXPECT_EQ(by_path["GET /treaties"]["status"], 400);
}

TEST_F(ServeTest, AWriteLockHeldSixSecondsElsewhereFailsNoRequest) {
  sqlite3* raw = nullptr;
  const std::string form = SubscribeForm(port_, "reader%40example.org");
  ASSERT_EQ(sqlite3_open(db_.c_str(), &raw), SQLITE_OK);
  std::unique_ptr<sqlite3, decltype(&sqlite3_close)> other(raw, &sqlite3_close);
  ASSERT_EQ(sqlite3_exec(raw, "BEGIN IMMEDIATE; CREATE TABLE lock_probe (x INTEGER);", nullptr,
                         nullptr, nullptr),
            SQLITE_OK);
  const auto locked_at = std::chrono::steady_clock::now();
  std::atomic<bool> released{false};
  std::thread holder([&] {
    std::this_thread::sleep_for(6s);
    sqlite3_exec(raw, "COMMIT", nullptr, nullptr, nullptr);
    released = true;
  });
  // A write: waits for the lock, then succeeds.
  HttpResponse subscribed;
  std::thread writer([&] { subscribed = Post(port_, "/subscribe", form); });
  // Reads, uncached ones included, answer while the lock is held.
  std::vector<std::string> failures;
  int reads_while_locked = 0;
  for (int day = 1; !released && day <= 28; ++day) {
    const std::string dd = (day < 10 ? "0" : "") + std::to_string(day);
    for (const std::string& target :
         std::vector<std::string>{"/healthz", "/treaties/185?as_of=2010-02-" + dd,
                                  "/api/v1/treaties/185/status?as_of=2009-03-" + dd}) {
      const HttpResponse r = Get(port_, target);
      if (r.status != 200) failures.push_back(target + " " + std::to_string(r.status) + " " + r.body);
      if (!released) ++reads_while_locked;
    }
    std::this_thread::sleep_for(150ms);
  }
  holder.join();
  writer.join();
  EXPECT_GE(std::chrono::steady_clock::now() - locked_at, 6s);
  // Reads went on while the lock was held (a sanitizer build answers more slowly).
  EXPECT_GE(reads_while_locked, 10);
  EXPECT_TRUE(failures.empty()) << failures.front();
  EXPECT_EQ(subscribed.status, 200) << subscribed.body;
  EXPECT_EQ(subscribed.body.find("locked"), std::string::npos);
  EXPECT_EQ(Stop(), 0) << Log();
}

/// The server under a descriptor limit of 1024 (soft and hard), as an
/// operator's `ulimit -n 1024` gives.
class ServeUnderLowFdLimitTest : public ServeTest {
 protected:
  ServeUnderLowFdLimitTest() { prefix_ = {"/usr/bin/prlimit", "--nofile=1024:1024"}; }
};

TEST_F(ServeUnderLowFdLimitTest, IdleSocketsOfOneClientDoNotStopServiceToAnother) {
  if (::access("/usr/bin/prlimit", X_OK) != 0) GTEST_SKIP() << "prlimit is not installed";
  rlimit own{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &own), 0);
  if (own.rlim_max < 1400) GTEST_SKIP() << "this test needs 1,400 descriptors itself";
  own.rlim_cur = own.rlim_max;
  ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &own), 0);
  std::vector<int> idle;
  for (int i = 0; i < 1100; ++i) {
    const int s = Connect(port_, "127.0.0.1");
    if (s >= 0) idle.push_back(s);
  }
  EXPECT_EQ(idle.size(), 1100u);
  std::this_thread::sleep_for(300ms);  // the server accepts them all meanwhile
  const auto [status, ms] = TimedGet(port_, "/healthz", "127.0.0.2");
  EXPECT_EQ(status, 200);
  EXPECT_LT(ms, 1000);
  EXPECT_EQ(TimedGet(port_, "/treaties/185", "127.0.0.3").first, 200);
  for (int s : idle) ::close(s);
  EXPECT_EQ(Get(port_, "/healthz").status, 200);
  EXPECT_EQ(Stop(), 0) << Log();
  EXPECT_EQ(Log().find("Too many open files"), std::string::npos);
}

/// A directory holding a stand-in "weasyprint" that takes two seconds, put
/// first on the server's PATH; handlers get a 3 s budget.
class ServeSlowPdfTest : public ServeTest {
 protected:
  ServeSlowPdfTest() {
    bin_ = fs::temp_directory_path() / ("octopus_fake_pdf_" + std::to_string(::getpid()));
    fs::create_directories(bin_);
    const fs::path program = bin_ / "weasyprint";
    std::ofstream(program) << "#!/bin/sh\necho run >> '" + (bin_ / "runs").string() +
                                  "'\nsleep 2\nfor last; do :; done\n"
                                  "printf '%%PDF-1.4 stand-in' > \"$last\"\n";
    fs::permissions(program, fs::perms::owner_all);
    path_prefix_ = bin_.string();
    extra_args_ = {"--handler-budget", "3", "--render-budget", "5"};
  }
  ~ServeSlowPdfTest() override { fs::remove_all(bin_); }
  /// How many times the stand-in renderer ran.
  int Renders() const {
    std::ifstream in(bin_ / "runs");
    int n = 0;
    for (std::string line; std::getline(in, line);) ++n;
    return n;
  }
  /// The quarters /updates links to, after ingesting both seeds.
  std::vector<std::string> IngestAndListQuarters() {
    const std::string seeds = std::string(OCTOPUS_TEST_SOURCE_DIR) + "/data/seeds/";
    EXPECT_EQ(RunOctopus({"--db", db_, "ingest", seeds + "000_d03e5a92182abe11.txt",
                          seeds + "003_4b1784b32edbbd16.txt"},
                         (dir_ / "ingest.log").string()),
              0);
    std::vector<std::string> quarters;
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (quarters.empty() && std::chrono::steady_clock::now() < deadline) {
      const std::string page = Get(port_, "/updates").body;
      const std::regex link("href=\"/updates/([0-9]{4}Q[1-4])\"");
      std::set<std::string> seen;
      for (auto it = std::sregex_iterator(page.begin(), page.end(), link);
           it != std::sregex_iterator(); ++it) {
        if (seen.insert((*it)[1]).second) quarters.push_back((*it)[1]);
      }
      if (quarters.empty()) std::this_thread::sleep_for(200ms);
    }
    return quarters;
  }
  fs::path bin_;
};

TEST_F(ServeSlowPdfTest, EightRequestsForOneUncachedPdfRenderItOnceAndAllGetIt) {
  const auto quarters = IngestAndListQuarters();
  ASSERT_FALSE(quarters.empty());
  const std::string target = "/updates/" + quarters.front() + ".pdf";
  std::mutex mu;
  std::vector<HttpResponse> got;
  std::vector<std::thread> clients;
  for (int i = 0; i < 8; ++i) {
    clients.emplace_back([&] {
      HttpResponse r = Get(port_, target);
      std::lock_guard lock(mu);
      got.push_back(std::move(r));
    });
  }
  for (auto& t : clients) t.join();
  ASSERT_EQ(got.size(), 8u);
  for (const HttpResponse& r : got) {
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.body.rfind("%PDF-", 0), 0u);
  }
  EXPECT_EQ(Renders(), 1);
  // Cached now: served without rendering again.
  EXPECT_EQ(Get(port_, target).status, 200);
  EXPECT_EQ(Renders(), 1);
  const HttpResponse m = Get(port_, "/metrics");
  EXPECT_GE(Metric(m.body, "octopus_cache_shared_renders_total"), 1);
  EXPECT_EQ(Stop(30s), 0) << Log();
}

TEST_F(ServeSlowPdfTest, APdfRenderedOnceIsServedAfterARestartWithoutRenderingAgain) {
  const auto quarters = IngestAndListQuarters();
  ASSERT_FALSE(quarters.empty());
  const std::string target = "/updates/" + quarters.front() + ".pdf";
  const HttpResponse first = Get(port_, target);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(Renders(), 1);
  EXPECT_TRUE(fs::is_directory(db_ + ".pdf-cache")) << "kept beside the database by default";
  ASSERT_EQ(Stop(30s), 0) << Log();

  // A new process: the page cache is empty, the PDF cache is not.
  Launch();
  const HttpResponse again = Get(port_, target);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(Renders(), 1);
  const HttpResponse m = Get(port_, "/metrics");
  EXPECT_EQ(Metric(m.body, "octopus_pdf_cache_hits_total"), 1);
  EXPECT_EQ(Metric(m.body, "octopus_pdf_renders_total"), 0);
  EXPECT_EQ(Stop(30s), 0) << Log();
}

TEST_F(ServeSlowPdfTest, WithThePdfCacheTurnedOffARestartRendersAgain) {
  extra_args_.insert(extra_args_.end(), {"--pdf-cache", "none"});
  ASSERT_EQ(Stop(), 0) << Log();
  fs::remove_all(db_ + ".pdf-cache");  // made by the first start, which kept the default
  Launch();
  const auto quarters = IngestAndListQuarters();
  ASSERT_FALSE(quarters.empty());
  const std::string target = "/updates/" + quarters.front() + ".pdf";
  ASSERT_EQ(Get(port_, target).status, 200);
  ASSERT_EQ(Stop(30s), 0) << Log();
  Launch();
  ASSERT_EQ(Get(port_, target).status, 200);
  EXPECT_EQ(Renders(), 2);
  EXPECT_FALSE(fs::exists(db_ + ".pdf-cache"));
  EXPECT_EQ(Stop(30s), 0) << Log();
}

TEST_F(ServeSlowPdfTest, SigtermLetsTheRequestInProgressFinishThenRefusesNewOnes) {
  const auto quarters = IngestAndListQuarters();
  ASSERT_FALSE(quarters.empty());
  HttpResponse pdf;
  std::thread client([&] { pdf = Get(port_, "/updates/" + quarters.front() + ".pdf"); });
  // The render (2 s) has begun when the signal comes.
  const auto deadline = std::chrono::steady_clock::now() + 5s;
  while (Renders() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
  }
  ASSERT_EQ(Renders(), 1);
  ::kill(pid_, SIGTERM);
  std::this_thread::sleep_for(300ms);
  // No longer accepting.
  EXPECT_EQ(Get(port_, "/healthz").status, 0);
  client.join();
  EXPECT_EQ(pdf.status, 200) << pdf.body;
  EXPECT_EQ(pdf.body.rfind("%PDF-", 0), 0u);
  // It exits by itself, with status 0, once that request is answered.
  int status = -1;
  for (auto until = std::chrono::steady_clock::now() + 10s;
       std::chrono::steady_clock::now() < until;) {
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      break;
    }
    std::this_thread::sleep_for(20ms);
  }
  ASSERT_EQ(pid_, -1) << "still running 10 s after SIGTERM:\n" << Log();
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << Log();
  EXPECT_NE(Log().find("octopus: stopped"), std::string::npos);
}

TEST_F(ServeSlowPdfTest, HealthzAnswersWithin100MsWhileSixteenPdfsAreRequested) {
  const auto quarters = IngestAndListQuarters();
  ASSERT_FALSE(quarters.empty());

  std::mutex mu;
  std::vector<HttpResponse> pdfs;
  std::vector<std::thread> clients;
  for (int i = 0; i < 16; ++i) {
    clients.emplace_back([&, i] {
      HttpResponse r = Get(port_, "/updates/" + quarters[i % quarters.size()] + ".pdf");
      std::lock_guard lock(mu);
      pdfs.push_back(std::move(r));
    });
  }
  std::this_thread::sleep_for(100ms);
  std::vector<double> healthz;
  for (int i = 0; i < 30; ++i) {
    const auto [status, ms] = TimedGet(port_, "/healthz");
    EXPECT_EQ(status, 200);
    healthz.push_back(ms);
    std::this_thread::sleep_for(50ms);
  }
  for (auto& t : clients) t.join();
  std::sort(healthz.begin(), healthz.end());
  EXPECT_LT(healthz[healthz.size() * 9 / 10], 100) << "p90 of " << healthz.size() << " probes";
  EXPECT_LT(healthz.back(), 250) << "slowest probe";
  ASSERT_EQ(pdfs.size(), 16u);
  int rendered = 0;
  for (const HttpResponse& r : pdfs) {
    if (r.status == 200) {
      ++rendered;
      EXPECT_EQ(r.body.rfind("%PDF-", 0), 0u);
    } else {
      EXPECT_EQ(r.status, 503) << r.body;
      EXPECT_EQ(r.Header("retry-after"), "5");
    }
  }
  EXPECT_GE(rendered, 1);
  EXPECT_EQ(Stop(30s), 0) << Log();
}

/// The server mailing through a relay that takes a second per message.
class ServeMailTest : public ServeTest {
 protected:
  explicit ServeMailTest(octopus::test_support::SmtpSink::Pause pause =
                             octopus::test_support::SmtpSink::Pause::kBeforeAccepting)
      : sink_(std::chrono::milliseconds(1000), pause) {
    extra_args_ = {"--smtp", "127.0.0.1:" + std::to_string(sink_.port()), "--from",
                   "update@example.org", "--base-url", "http://127.0.0.1"};
  }
  /// Distinct recipients the relay received, waiting up to `limit` for `n`.
  std::map<std::string, int> WaitForRecipients(size_t n, std::chrono::seconds limit) {
    std::map<std::string, int> count;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      count.clear();
      for (const auto& m : sink_.messages()) {
        for (const auto& to : m.to) ++count[to];
      }
      if (count.size() >= n) break;
      std::this_thread::sleep_for(100ms);
    }
    return count;
  }
  /// Subscribes five addresses, waits `wait` (the worker is then mid-batch) and kills the
  /// server with SIGKILL. Returns how many messages the relay had by then.
  size_t SubscribeFiveAndKillAfter(std::chrono::milliseconds wait) {
    for (int i = 0; i < 5; ++i) {
      EXPECT_EQ(Post(port_, "/subscribe",
                     SubscribeForm(port_, "r" + std::to_string(i) + "%40example.org"))
                    .status,
                200);
    }
    std::this_thread::sleep_for(wait);
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
    return sink_.messages().size();
  }
  octopus::test_support::SmtpSink sink_;
};

TEST_F(ServeMailTest, SubscribeAnswersAtOnceWhateverTheAddressAndTheRelaySpeed) {
  auto timed_post = [&](const std::string& email) {
    const std::string form = SubscribeForm(port_, email);
    const auto start = std::chrono::steady_clock::now();
    const HttpResponse r = Post(port_, "/subscribe", form);
    EXPECT_EQ(r.status, 200) << r.body;
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
        .count();
  };
  const double fresh = timed_post("new%40example.org");
  const double pending = timed_post("new%40example.org");  // asked again while pending
  const double other = timed_post("other%40example.org");
  // The relay takes 1,000 ms a message: none of these waited for it.
  EXPECT_LT(fresh, 300);
  EXPECT_LT(pending, 300);
  EXPECT_LT(other, 300);
  const auto got = WaitForRecipients(2, 20s);
  EXPECT_EQ(got.count("<new@example.org>"), 1u);
  EXPECT_EQ(got.count("<other@example.org>"), 1u);
  EXPECT_EQ(Stop(30s), 0) << Log();
}

TEST_F(ServeMailTest, AKilledServerLosesNoQueuedMailAndResendsAtMostTheOneInFlight) {
  // Killed while the worker is sending (each message takes the relay 1 s).
  const size_t before_restart = SubscribeFiveAndKillAfter(1500ms);
  ASSERT_FALSE(HasFailure());
  EXPECT_LT(before_restart, 5u);
  Launch();
  const auto got = WaitForRecipients(5, 40s);
  EXPECT_EQ(got.size(), 5u);
  int deliveries = 0;
  for (const auto& [to, n] : got) deliveries += n;
  // At most the message whose acceptance the kill cut off is sent again,
  // and then as the same message: the same Message-ID.
  EXPECT_LE(deliveries, 6);
  std::map<std::string, std::set<std::string>> ids;  // recipient → Message-IDs
  const std::regex message_id("Message-ID: (<[^>]+>)");
  for (const auto& m : sink_.messages()) {
    std::smatch id;
    ASSERT_TRUE(std::regex_search(m.data, id, message_id)) << m.data;
    for (const auto& to : m.to) ids[to].insert(id[1]);
  }
  for (const auto& [to, set] : ids) EXPECT_EQ(set.size(), 1u) << to;
  EXPECT_EQ(Stop(30s), 0) << Log();
}

/// The relay takes its second before the message is transferred (before its
/// 354): a kill then falls outside SMTP's window of doubt.
class ServeMailSlowDataTest : public ServeMailTest {
 protected:
  ServeMailSlowDataTest() : ServeMailTest(octopus::test_support::SmtpSink::Pause::kBeforeData) {}
};

TEST_F(ServeMailSlowDataTest, KilledMidBatchBeforeAMessageIsTransferredNothingIsLostOrSentTwice) {
  // Each message waits 1 s for the relay's 354: killed while the second does.
  const size_t before_restart = SubscribeFiveAndKillAfter(1500ms);
  ASSERT_FALSE(HasFailure());
  EXPECT_LT(before_restart, 5u);
  Launch();
  const auto got = WaitForRecipients(5, 45s);
  std::this_thread::sleep_for(1500ms);  // time enough for a second copy, were one sent
  EXPECT_EQ(got.size(), 5u);
  for (const auto& [to, n] : WaitForRecipients(5, 0s)) EXPECT_EQ(n, 1) << to;
  EXPECT_EQ(Stop(30s), 0) << Log();
}

namespace accounts {

/// One request with the headers a browser sends to a signed-in site.
HttpResponse Send(int port, const std::string& method, const std::string& target,
                  const std::string& cookie, const std::string& body = "") {
  const std::string host = "127.0.0.1:" + std::to_string(port);
  std::string raw = method + " " + target + " HTTP/1.1\r\nHost: " + host +
                    "\r\nOrigin: http://" + host + "\r\nConnection: close\r\n";
  if (!cookie.empty()) raw += "Cookie: " + cookie + "\r\n";
  if (method == "POST") {
    raw += "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n";
  }
  return Parse(Exchange(port, raw + "\r\n" + body));
}

std::string Between(const std::string& text, const std::string& before, char end) {
  const size_t at = text.find(before);
  if (at == std::string::npos) return "";
  const size_t start = at + before.size();
  return text.substr(start, text.find(end, start) - start);
}

}  // namespace accounts

/// The outbox rows of one kind, as (recipient, sent, message kept) in order.
std::vector<std::tuple<std::string, bool, bool>> OutboxRows(const std::string& db,
                                                            const std::string& kind) {
  std::vector<std::tuple<std::string, bool, bool>> out;
  sqlite3* raw = nullptr;
  if (sqlite3_open_v2(db.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) return out;
  std::unique_ptr<sqlite3, decltype(&sqlite3_close)> conn(raw, &sqlite3_close);
  sqlite3_busy_timeout(raw, 5000);
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(raw,
                         "SELECT recipient, sent_at IS NOT NULL, message != '' FROM outbox "
                         "WHERE kind = ? ORDER BY id",
                         -1, &st, nullptr) != SQLITE_OK) {
    return out;
  }
  sqlite3_bind_text(st, 1, kind.c_str(), -1, SQLITE_TRANSIENT);
  while (sqlite3_step(st) == SQLITE_ROW) {
    out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)),
                     sqlite3_column_int(st, 1) != 0, sqlite3_column_int(st, 2) != 0);
  }
  sqlite3_finalize(st);
  return out;
}

TEST_F(ServeMailTest, AccountMailGoesThroughTheOutboxOnceWithoutHoldingTheRequest) {
  // The CLI queues the set-password link and delivers it itself.
  const std::string cli_log = (dir_ / "user.log").string();
  const std::string relay = "127.0.0.1:" + std::to_string(sink_.port());
  ::setenv("OCTOPUS_SMTP", relay.c_str(), 1);
  ::setenv("OCTOPUS_MAIL_FROM", "update@example.org", 1);
  const int rc = RunOctopus({"--db", db_, "user", "add", "root@example.org", "--role",
                             "administrator", "--base-url",
                             "http://127.0.0.1:" + std::to_string(port_)},
                            cli_log);
  ::unsetenv("OCTOPUS_SMTP");
  ::unsetenv("OCTOPUS_MAIL_FROM");
  std::ifstream in(cli_log);
  std::stringstream printed;
  printed << in.rdbuf();
  ASSERT_EQ(rc, 0) << printed.str();
  EXPECT_NE(printed.str().find("mailed to root@example.org"), std::string::npos) << printed.str();
  ASSERT_EQ(WaitForRecipients(1, 20s)["<root@example.org>"], 1);

  // A reset asked on the site: answered at once, the relay taking 1 s a message.
  const auto start = std::chrono::steady_clock::now();
  // The form's origin is the site's base URL (--base-url http://127.0.0.1).
  auto post_reset = [&](const std::string& email) {
    const std::string form = "email=" + email;
    return Parse(Exchange(port_, "POST /password/reset HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                 "Origin: http://127.0.0.1\r\nConnection: close\r\n"
                                 "Content-Type: application/x-www-form-urlencoded\r\n"
                                 "Content-Length: " +
                                     std::to_string(form.size()) + "\r\n\r\n" + form));
  };
  const HttpResponse reset = post_reset("root%40example.org");
  const auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(reset.status, 200) << reset.body;
  EXPECT_LT(took, 500ms);
  // An unknown address is answered the same way and mails nothing.
  EXPECT_EQ(post_reset("nobody%40example.org").status, 200);
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (sink_.messages().size() < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(100ms);
  }
  std::this_thread::sleep_for(1500ms);  // time enough for a second copy, were one sent
  const auto messages = sink_.messages();
  ASSERT_EQ(messages.size(), 2u);
  for (const auto& m : messages) {
    ASSERT_EQ(m.to.size(), 1u);
    EXPECT_EQ(m.to[0], "<root@example.org>");
  }
  // Both went through the outbox: recorded as sent, their text (a live link) not kept.
  const auto rows = OutboxRows(db_, "account");
  ASSERT_EQ(rows.size(), 2u);
  for (const auto& [to, sent, kept] : rows) {
    EXPECT_EQ(to, "root@example.org");
    EXPECT_TRUE(sent);
    EXPECT_FALSE(kept);
  }
  EXPECT_EQ(Stop(30s), 0) << Log();
}

/// One number a query on the database gives (-1 when it cannot be asked),
/// or for PRAGMA integrity_check its first line.
std::string AskDb(const std::string& db, const std::string& sql) {
  sqlite3* raw = nullptr;
  if (sqlite3_open(db.c_str(), &raw) != SQLITE_OK) {
    sqlite3_close(raw);
    return "cannot open";
  }
  std::unique_ptr<sqlite3, decltype(&sqlite3_close)> conn(raw, &sqlite3_close);
  sqlite3_busy_timeout(raw, 5000);
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(raw, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) {
    return std::string("cannot prepare: ") + sqlite3_errmsg(raw);
  }
  std::string out = "no row";
  if (sqlite3_step(st) == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(st, 0);
    out = text ? reinterpret_cast<const char*>(text) : "NULL";
  }
  sqlite3_finalize(st);
  return out;
}

/// Makes an account on the CLI and sets its password through the site's link.
void MakeAccount(int port, const std::string& db, const std::string& log, const std::string& email,
                 const std::string& role) {
  ASSERT_EQ(RunOctopus({"--db", db, "user", "add", email, "--role", role, "--base-url",
                        "http://127.0.0.1:" + std::to_string(port)},
                       log),
            0);
  std::ifstream in(log);
  std::stringstream printed;
  printed << in.rdbuf();
  const std::string token = accounts::Between(printed.str(), "/password/set?token=", '\n');
  ASSERT_EQ(token.size(), 64u) << printed.str();
  const HttpResponse set = accounts::Send(
      port, "POST", "/password/set", "",
      "token=" + token + "&password=tall+cedars+by+the+lake&confirm=tall+cedars+by+the+lake");
  ASSERT_EQ(set.status, 200) << set.body;
}

/// Signs in; the session cookie ("name=value"), "" when refused.
std::string SignIn(int port, const std::string& email) {
  std::string form = "email=";
  for (char ch : email) form += ch == '@' ? std::string("%40") : std::string(1, ch);
  const HttpResponse login = accounts::Send(port, "POST", "/login", "",
                                            form + "&password=tall+cedars+by+the+lake");
  const std::string cookie = login.Header("set-cookie");
  return login.status == 303 ? cookie.substr(0, cookie.find(';')) : "";
}

TEST_F(ServeTest, KilledDuringEditsAndApprovalsTheDatabaseStaysWholeWithNoPartialChangeSet) {
  const std::string seeds = std::string(OCTOPUS_TEST_SOURCE_DIR) + "/data/seeds/";
  ASSERT_EQ(RunOctopus({"--db", db_, "ingest", seeds + "003_4b1784b32edbbd16.txt"},
                       (dir_ / "ingest.log").string()),
            0);
  MakeAccount(port_, db_, (dir_ / "editor.log").string(), "ed@example.org", "editor");
  MakeAccount(port_, db_, (dir_ / "reviewer.log").string(), "rev@example.org", "reviewer");
  if (HasFatalFailure()) return;

  constexpr int kKills = 5;
  std::mt19937 rng(14);
  std::uniform_int_distribution<int> after_ms(300, 1500);
  int drafted = 0, approved = 0;
  for (int round = 0; round < kKills; ++round) {
    const std::string editor = SignIn(port_, "ed@example.org");
    const std::string reviewer = SignIn(port_, "rev@example.org");
    ASSERT_FALSE(editor.empty());
    ASSERT_FALSE(reviewer.empty());
    const std::string editor_csrf = accounts::Between(
        accounts::Send(port_, "GET", "/edit/projects/cybereast", editor).body,
        "name=\"csrf\" value=\"", '"');
    const std::string reviewer_csrf = accounts::Between(
        accounts::Send(port_, "GET", "/review", reviewer).body, "name=\"csrf\" value=\"", '"');
    ASSERT_FALSE(editor_csrf.empty());
    ASSERT_FALSE(reviewer_csrf.empty());
    std::atomic<bool> stop{false};
    std::atomic<int> drafts{0}, approvals{0};
    std::thread editing([&] {
      for (int n = 0; !stop; ++n) {
        const HttpResponse r = accounts::Send(
            port_, "POST", "/edit/projects/cybereast", editor,
            "csrf=" + editor_csrf + "&budget_amount=" + std::to_string(1000000 + round * 1000 + n) +
                "&budget_currency=EUR&note=revised+figure");
        if (r.status == 200) ++drafts;
      }
    });
    std::thread reviewing([&] {
      while (!stop) {
        const std::string queue = accounts::Send(port_, "GET", "/review", reviewer).body;
        const std::regex id_re(R"re(name="id" value="(\d+)")re");
        for (std::sregex_iterator it(queue.begin(), queue.end(), id_re), end; it != end && !stop;
             ++it) {
          const HttpResponse r =
              accounts::Send(port_, "POST", "/review", reviewer,
                             "csrf=" + reviewer_csrf + "&id=" + (*it)[1].str() + "&decision=approve");
          if (r.status == 200) ++approvals;
        }
      }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(after_ms(rng)));
    // The kill falls among real work however slow the build: a draft in
    // every round and, from the middle round on, an approval made already.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline &&
           (drafts == 0 || (round >= kKills / 2 && approved + approvals == 0))) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
    stop = true;
    editing.join();
    reviewing.join();
    drafted += drafts;
    approved += approvals;

    EXPECT_EQ(AskDb(db_, "PRAGMA integrity_check"), "ok") << "after kill " << round;
    // Every change set has its values, and a published one its reviewer and its claims.
    EXPECT_EQ(AskDb(db_, "SELECT COUNT(*) FROM edits e WHERE NOT EXISTS "
                         "(SELECT 1 FROM edit_values v WHERE v.edit_id = e.id)"),
              "0")
        << "after kill " << round;
    EXPECT_EQ(AskDb(db_, "SELECT COUNT(*) FROM edits WHERE status = 'published' AND "
                         "(reviewer IS NULL OR reviewed_at IS NULL)"),
              "0")
        << "after kill " << round;
    EXPECT_EQ(AskDb(db_, "SELECT COUNT(*) FROM edit_values v WHERE NOT EXISTS "
                         "(SELECT 1 FROM edits e WHERE e.id = v.edit_id)"),
              "0")
        << "after kill " << round;
    Launch();
    if (HasFatalFailure()) return;
    // The claims of the published change sets are derived: the knowledge base
    // the restarted server reads holds every one of them.
    ASSERT_EQ(Get(port_, "/api/v1/projects/cybereast").status, 200);
    EXPECT_EQ(AskDb(db_, "SELECT COUNT(*) FROM edits e WHERE e.status = 'published' AND NOT EXISTS "
                         "(SELECT 1 FROM claim_edits c WHERE c.edit_id = e.id)"),
              "0")
        << "after kill " << round;
  }
  // The kills fell among real work.
  EXPECT_GT(drafted, kKills);
  EXPECT_GT(approved, 0);
  EXPECT_EQ(Stop(), 0) << Log();
}

TEST_F(ServeTest, AdministratorMadeOnTheCliSignsInManagesUsersAndSignsOut) {
  const std::string cli_log = (dir_ / "user.log").string();
  ASSERT_EQ(RunOctopus({"--db", db_, "user", "add", "root@example.org", "--role", "administrator",
                        "--base-url", "http://127.0.0.1:" + std::to_string(port_)},
                       cli_log),
            0);
  std::ifstream in(cli_log);
  std::stringstream printed;
  printed << in.rdbuf();
  const std::string token = accounts::Between(printed.str(), "/password/set?token=", '\n');
  ASSERT_EQ(token.size(), 64u) << printed.str();

  EXPECT_EQ(accounts::Send(port_, "GET", "/password/set?token=" + token, "").status, 200);
  const HttpResponse set = accounts::Send(port_, "POST", "/password/set", "",
                                          "token=" + token +
                                              "&password=tall+cedars+by+the+lake"
                                              "&confirm=tall+cedars+by+the+lake");
  ASSERT_EQ(set.status, 200) << set.body;

  const HttpResponse login = accounts::Send(
      port_, "POST", "/login", "",
      "email=root%40example.org&password=tall+cedars+by+the+lake");
  ASSERT_EQ(login.status, 303) << login.body;
  const std::string set_cookie = login.Header("set-cookie");
  EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos);
  const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));

  const HttpResponse users = accounts::Send(port_, "GET", "/admin/users", cookie);
  ASSERT_EQ(users.status, 200);
  EXPECT_EQ(users.Header("cache-control"), "private, no-store");
  EXPECT_NE(users.body.find("Signed in as"), std::string::npos);
  const std::string csrf = accounts::Between(users.body, "name=\"csrf\" value=\"", '"');
  ASSERT_EQ(csrf.size(), 64u);
  const HttpResponse added = accounts::Send(port_, "POST", "/admin/users", cookie,
                                            "op=add&email=ed%40example.org&role=editor&csrf=" + csrf);
  EXPECT_EQ(added.status, 200);
  EXPECT_NE(added.body.find("password&#x2F;set?token&#x3D;"), std::string::npos);
  const HttpResponse audit = accounts::Send(port_, "GET", "/admin/audit.csv?entity=user%3A", cookie);
  // The CLI's entry names the command as typed.
  const size_t cli = audit.body.find(",cli,octopus --db ");
  ASSERT_NE(cli, std::string::npos) << audit.body;
  const std::string line = audit.body.substr(cli, audit.body.find('\n', cli) - cli);
  EXPECT_NE(line.find(" user add root@example.org --role administrator --base-url "),
            std::string::npos)
      << line;
  EXPECT_NE(line.find(",user.add,user:root@example.org,role,,administrator"), std::string::npos)
      << line;
  EXPECT_NE(audit.body.find(",user.add,user:ed@example.org,role,,editor"), std::string::npos);

  const HttpResponse out = accounts::Send(port_, "POST", "/logout", cookie, "csrf=" + csrf);
  EXPECT_EQ(out.status, 303);
  EXPECT_EQ(accounts::Send(port_, "GET", "/admin/users", cookie).status, 303);
  EXPECT_EQ(Stop(), 0) << Log();
}

// ---------------------------------------------------------------------------
// The attack suite of restricted records: a 24/7 contact planted for Georgia,
// a restricted resource and a restricted activity, each carrying a marker no
// other text holds; every surface is fetched as each role, and each marker
// must appear exactly where the role may see it and nowhere else.

namespace restricted {

constexpr const char* kContactMarker = "Qx7ContactMarker";
constexpr const char* kResourceMarker = "Qx7ResourceMarker";
constexpr const char* kActivityMarker = "Qx7ActivityMarker";

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// The roles, from the anonymous reader up; "" is the reader.
const std::vector<std::string>& Roles() {
  static const std::vector<std::string> roles = {"", "practitioner", "editor", "reviewer",
                                                 "administrator"};
  return roles;
}

/// Which markers a practitioner (and every role above) sees on a surface;
/// a reader sees none anywhere.
struct Surface {
  std::string target;
  bool contact = false, resource = false, activity = false;
  /// The first role of Roles() that sees the markers: 1 (practitioner) for
  /// pages, 2 (editor) for the edit forms.
  size_t from_role = 1;
};

}  // namespace restricted

class RestrictedRecordsTest : public ServeTest {
 protected:
  /// Makes an account of `role` on the CLI, sets its password through the
  /// one-time link and signs in; the session cookie.
  std::string SignIn(const std::string& role) {
    const std::string email = role + "@example.org";
    const std::string log = (dir_ / ("user_" + role + ".log")).string();
    EXPECT_EQ(RunOctopus({"--db", db_, "user", "add", email, "--role", role, "--base-url",
                          "http://127.0.0.1:" + std::to_string(port_)},
                         log),
              0);
    const std::string token = accounts::Between(restricted::ReadAll(log), "/password/set?token=", '\n');
    EXPECT_EQ(token.size(), 64u) << restricted::ReadAll(log);
    const std::string password = "tall+cedars+by+the+lake+" + role;
    const HttpResponse set = accounts::Send(port_, "POST", "/password/set", "",
                                            "token=" + token + "&password=" + password +
                                                "&confirm=" + password);
    EXPECT_EQ(set.status, 200) << set.body.substr(0, 300);
    const HttpResponse login = accounts::Send(
        port_, "POST", "/login", "", "email=" + role + "%40example.org&password=" + password);
    EXPECT_EQ(login.status, 303) << login.body.substr(0, 300);
    const std::string cookie = login.Header("set-cookie");
    return cookie.substr(0, cookie.find(';'));
  }

  HttpResponse As(const std::string& role, const std::string& target) {
    return accounts::Send(port_, "GET", target, role.empty() ? "" : cookies_[role]);
  }

  /// Waits until the server's reader answer of `target` satisfies `done`.
  bool WaitFor(const std::string& target, const std::string& role,
               const std::function<bool(const HttpResponse&)>& done) {
    for (auto deadline = std::chrono::steady_clock::now() + 15s; std::chrono::steady_clock::now() < deadline;) {
      if (done(As(role, target))) return true;
      std::this_thread::sleep_for(100ms);
    }
    return false;
  }

  std::map<std::string, std::string> cookies_;
  std::string resource_id_, activity_id_;
};

TEST_F(RestrictedRecordsTest, ARestrictedMarkerAppearsExactlyWhereEachRoleMaySeeIt) {
  using restricted::Surface;
  const std::string seeds = std::string(OCTOPUS_TEST_SOURCE_DIR) + "/data/seeds/";
  ASSERT_EQ(RunOctopus({"--db", db_, "ingest", seeds + "003_4b1784b32edbbd16.txt"},
                       (dir_ / "ingest.log").string()),
            0);
  for (const std::string& role : restricted::Roles()) {
    if (!role.empty()) cookies_[role] = SignIn(role);
  }
  ASSERT_TRUE(WaitFor("/api/v1/projects/cybereast", "", [](const HttpResponse& r) { return r.status == 200; }));
  // What a reader sees before anything restricted exists: every count must stay so.
  const std::string countries_before = As("", "/api/v1/countries").body;
  const std::string resources_before = As("", "/api/v1/search?kind=resource&per_page=100").body;
  const std::string activities_before = As("", "/activities.csv").body;

  // Plant: the contact on the CLI; a resource and an activity published by
  // an editor, then restricted on the CLI.
  const std::string cli_log = (dir_ / "plant.log").string();
  ASSERT_EQ(RunOctopus({"--db", db_, "contact", "set", "GE", "--authority", "Cybercrime Division",
                        "--unit", std::string("Duty desk ") + restricted::kContactMarker, "--phone",
                        "+995 32 000 0000", "--email", "duty@example.org", "--hours", "24/7",
                        "--languages", "Georgian, English", "--verified", "2026-11-20", "--source",
                        "https://example.org/points-of-contact"},
                       cli_log),
            0)
      << restricted::ReadAll(cli_log);
  {
    auto opened = octopus::store::OpenStore(db_);
    ASSERT_TRUE(opened.ok()) << opened.status().message();
    octopus::store::ChangeSet resource;
    resource.author = "editor@example.org";
    resource.values = {{0, "resource", "new", "title", std::string("Field guide ") + restricted::kResourceMarker, std::nullopt},
                       {0, "resource", "new", "type", "guideline", std::nullopt},
                       {0, "resource", "new", "link", "https://example.org/field-guide.pdf", std::nullopt},
                       {0, "resource", "new", "date", "2023-08-15", std::nullopt}};
    auto r = (*opened)->AddDraft(resource, true, "session editor");
    ASSERT_TRUE(r.ok()) << r.status().message();
    resource_id_ = octopus::kb::NewEntityId(r->id, octopus::kb::Kind::kResource);
    octopus::store::ChangeSet activity;
    activity.author = "editor@example.org";
    activity.values = {{0, "activity", "new", "title", std::string("Closed workshop ") + restricted::kActivityMarker, std::nullopt},
                       {0, "activity", "new", "start", "2023-08-15", std::nullopt},
                       {0, "activity", "new", "end", "2023-08-16", std::nullopt},
                       {0, "activity", "new", "projects", "cybereast", std::nullopt},
                       {0, "activity", "new", "countries", "GE", std::nullopt}};
    auto a = (*opened)->AddDraft(activity, true, "session editor");
    ASSERT_TRUE(a.ok()) << a.status().message();
    activity_id_ = octopus::kb::NewEntityId(a->id, octopus::kb::Kind::kActivity);
  }
  for (const std::string& id : {resource_id_, activity_id_}) {
    ASSERT_EQ(RunOctopus({"--db", db_, "restrict", "entity", id}, cli_log), 0) << restricted::ReadAll(cli_log);
  }
  // The server sees the restrictions within its generation check.
  ASSERT_TRUE(WaitFor("/api/v1/resources/" + resource_id_, "practitioner",
                      [](const HttpResponse& r) { return r.status == 200; }));
  ASSERT_TRUE(WaitFor("/api/v1/resources/" + resource_id_, "",
                      [](const HttpResponse& r) { return r.status == 404; }));

  const std::vector<Surface> surfaces = {
      {"/countries/GE", true, false, true},
      {"/api/v1/countries/GE", true, false, true},
      {"/resources", false, true, false},
      {"/api/v1/resources", false, true, false},
      {"/resources/" + resource_id_, false, true, false},
      {"/api/v1/resources/" + resource_id_, false, true, false},
      {"/activities/" + activity_id_, false, false, true},
      {"/api/v1/activities/" + activity_id_, false, false, true},
      {"/projects/cybereast", false, false, true},
      {"/api/v1/projects/cybereast", false, false, false},  // its activities are not in its answer
      {"/search?q=Qx7ResourceMarker", false, true, false},
      {"/api/v1/search?q=Qx7ResourceMarker", false, true, false},
      {"/search?q=Qx7ActivityMarker", false, false, true},
      {"/api/v1/search?q=Qx7ActivityMarker", false, false, true},
      {"/api/v1/search?q=guide", false, true, false},
      {"/api/v1/search?kind=resource&per_page=100", false, true, false},
      // Contacts are not in the search index: no search shows them to anyone.
      {"/api/v1/search?q=Qx7ContactMarker", false, false, false},
      {"/search?q=Duty", false, false, false},
      {"/activities.ics", false, false, true},
      {"/activities.csv", false, false, true},
      {"/activities.json", false, false, true},
      {"/activities?country=GE&from=2023-01-01&to=2023-12-31", false, false, true},
      {"/api/v1/activities?country=GE&from=2023-01-01&to=2023-12-31", false, false, true},
      {"/news.atom", false, false, false},
      {"/news", false, false, false},
      {"/projects.csv", false, false, false},
      {"/projects.json", false, false, false},
      {"/", false, false, false},
      {"/countries", false, false, false},
      {"/api/v1/countries", false, false, false},
      {"/countries/GE/history", false, false, false},
      // The quarterly update is public in every format, whoever asks.
      {"/updates", false, false, false},
      {"/updates/2023Q3", false, false, false},
      {"/updates/2023Q3.html", false, false, false},
      {"/updates/2023Q3.md", false, false, false},
      {"/updates/2023Q3.txt", false, false, false},
      {"/updates/2023Q3.json", false, false, false},
      {"/api/v1/updates/2023Q3", false, false, false},
      {"/sitemap.xml", false, false, false},
      // Errors and refusals.
      {"/resources/0123456789ab", false, false, false},
      {"/api/v1/search?q=Qx7ResourceMarker&page=0", false, false, false},
      {"/edit/resources/" + resource_id_, false, true, false, 2},
      {"/edit/activities/" + activity_id_, false, false, true, 2},
      {"/countries/GE/contact", true, false, false, 2},
      {"/review", false, false, false},
      {"/admin/audit", true, true, true, 4},
  };
  std::map<std::string, int> checked;
  for (size_t level = 0; level < restricted::Roles().size(); ++level) {
    const std::string& role = restricted::Roles()[level];
    for (const Surface& s : surfaces) {
      const bool sees = level >= s.from_role;
      const HttpResponse r = As(role, s.target);
      SCOPED_TRACE("role '" + (role.empty() ? std::string("reader") : role) + "' " + s.target);
      EXPECT_NE(r.status, 0);
      EXPECT_NE(r.status, 500) << r.body.substr(0, 300);
      const bool is_search_of_marker = s.target.find("q=Qx7") != std::string::npos;
      auto has = [&](const char* marker) {
        // A search page says what was asked: the marker typed is not a leak.
        std::string body = r.body;
        if (is_search_of_marker) {
          for (const std::string& echo : {std::string("q=") + marker, std::string("q&#x3D;") + marker,
                                          std::string("\"q\":\"") + marker + "\"",
                                          std::string("value=\"") + marker + "\"",
                                          std::string("Search: ") + marker,
                                          std::string("<strong>") + marker + "</strong>"}) {
            for (size_t at; (at = body.find(echo)) != std::string::npos;) body.erase(at, echo.size());
          }
        }
        return body.find(marker) != std::string::npos;
      };
      EXPECT_EQ(has(restricted::kContactMarker), sees && s.contact) << r.body.substr(0, 400);
      EXPECT_EQ(has(restricted::kResourceMarker), sees && s.resource) << r.body.substr(0, 400);
      EXPECT_EQ(has(restricted::kActivityMarker), sees && s.activity) << r.body.substr(0, 400);
      if (level == 0) {
        // Nor the ids (but where the reader typed one): a reader is never
        // told a restricted entity exists.
        for (const std::string& id : {resource_id_, activity_id_}) {
          if (s.target.find(id) == std::string::npos) {
            EXPECT_EQ(r.body.find(id), std::string::npos) << s.target;
          }
        }
      }
      if (sees && (s.contact || s.resource || s.activity)) {
        EXPECT_EQ(r.Header("cache-control"), "private, no-store");
      }
      ++checked[role];
    }
  }
  EXPECT_EQ(checked.size(), 5u);

  // Counts: a search's total equals the results a role gets, a facet's count
  // what its filter gives; a reader's counts are what they were before.
  for (const std::string& role : restricted::Roles()) {
    SCOPED_TRACE("role '" + role + "'");
    const auto all = nlohmann::json::parse(As(role, "/api/v1/search?kind=resource&per_page=100").body);
    ASSERT_TRUE(all.contains("total"));
    EXPECT_EQ(all["total"].get<size_t>(), all["results"].size());
    for (const auto& facet : all["facets"].items()) {
      if (facet.key() != "kind") continue;
      for (const auto& v : facet.value()) {
        if (v.value("value", "") == "resource") {
          EXPECT_EQ(v["count"], all["total"]);
        }
      }
    }
    const auto found = nlohmann::json::parse(As(role, "/api/v1/search?q=Qx7ResourceMarker").body);
    EXPECT_EQ(found["total"].get<size_t>(), found["results"].size());
    EXPECT_EQ(found["total"].get<int>(), role.empty() ? 0 : 1);
    const auto activity_found = nlohmann::json::parse(As(role, "/api/v1/search?q=Qx7ActivityMarker&kind=activity").body);
    EXPECT_EQ(activity_found["total"].get<int>(), role.empty() ? 0 : 1);
  }
  EXPECT_EQ(As("", "/api/v1/countries").body, countries_before);
  EXPECT_EQ(As("", "/api/v1/search?kind=resource&per_page=100").body, resources_before);
  EXPECT_EQ(As("", "/activities.csv").body, activities_before);
  const auto reader_all = nlohmann::json::parse(resources_before);
  const auto practitioner_all =
      nlohmann::json::parse(As("practitioner", "/api/v1/search?kind=resource&per_page=100").body);
  EXPECT_EQ(practitioner_all["total"].get<int>(), reader_all["total"].get<int>() + 1);
  // The countries' counts: the restricted activity names Georgia.
  auto georgia = [](const std::string& body) {
    const nlohmann::json all = nlohmann::json::parse(body);
    for (const auto& c : all["countries"]) {
      if (c["iso2"] == "GE") return c["entities"].get<int>();
    }
    return -1;
  };
  EXPECT_EQ(georgia(As("practitioner", "/api/v1/countries").body), georgia(countries_before) + 1);

  // A restricted id answers a reader as an id nothing has: the same status
  // and message.
  for (const std::string& path : {std::string("/resources/"), std::string("/api/v1/resources/")}) {
    const HttpResponse hidden = As("", path + resource_id_);
    const HttpResponse none = As("", path + "0123456789ab");
    EXPECT_EQ(hidden.status, 404);
    EXPECT_EQ(hidden.status, none.status);
    std::string same = hidden.body;
    for (size_t at; (at = same.find(resource_id_)) != std::string::npos;) same.replace(at, resource_id_.size(), "0123456789ab");
    EXPECT_EQ(same, none.body);
  }

  // The page cache: a page a practitioner fetched is not what a reader gets next.
  const HttpResponse for_practitioner = As("practitioner", "/countries/GE");
  EXPECT_NE(for_practitioner.body.find(restricted::kContactMarker), std::string::npos);
  const HttpResponse reader_next = As("", "/countries/GE");
  EXPECT_EQ(reader_next.body.find(restricted::kContactMarker), std::string::npos);
  EXPECT_EQ(reader_next.body.find(restricted::kActivityMarker), std::string::npos);
  EXPECT_EQ(As("", "/countries/GE").body, reader_next.body);  // cached, and still clean

  // The contact's form: editors and above; a practitioner is refused without
  // the details, a reader sent to sign in.
  EXPECT_EQ(As("", "/countries/GE/contact").status, 303);
  const HttpResponse refused = As("practitioner", "/countries/GE/contact");
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.body.find(restricted::kContactMarker), std::string::npos);
  const HttpResponse form = As("editor", "/countries/GE/contact");
  ASSERT_EQ(form.status, 200);
  EXPECT_NE(form.body.find(restricted::kContactMarker), std::string::npos);
  const std::string csrf = accounts::Between(form.body, "name=\"csrf\" value=\"", '"');
  ASSERT_EQ(csrf.size(), 64u);
  // Refused when a required field is missing: nothing stored.
  const HttpResponse bad = accounts::Send(port_, "POST", "/countries/GE/contact", cookies_["editor"],
                                          "csrf=" + csrf + "&authority=&last_verified=2026-11-30&source=x");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("authority: required"), std::string::npos) << bad.body.substr(0, 500);
  const HttpResponse saved = accounts::Send(
      port_, "POST", "/countries/GE/contact", cookies_["editor"],
      "csrf=" + csrf + "&authority=Cybercrime+Division&unit=Night+desk+Qx7SecondMarker&phone=%2B995+32+111+1111"
      "&hours=24%2F7&last_verified=2026-11-30&source=https%3A%2F%2Fexample.org%2Fpoc");
  EXPECT_EQ(saved.status, 303) << saved.body.substr(0, 300);
  EXPECT_NE(As("practitioner", "/api/v1/countries/GE").body.find("Qx7SecondMarker"), std::string::npos);
  EXPECT_EQ(As("", "/api/v1/countries/GE").body.find("Qx7SecondMarker"), std::string::npos);
  EXPECT_EQ(As("", "/countries/GE").body.find("Qx7SecondMarker"), std::string::npos);
  // Audited with before and after; the audit is the administrators'.
  const HttpResponse audit = As("administrator", "/admin/audit.csv?entity=contact%3AGE");
  EXPECT_NE(audit.body.find(",editor@example.org,"), std::string::npos) << audit.body.substr(0, 600);
  EXPECT_NE(audit.body.find(",contact.set,contact:GE,"), std::string::npos);
  EXPECT_NE(audit.body.find(restricted::kContactMarker), std::string::npos) << "the before";
  EXPECT_NE(audit.body.find("Qx7SecondMarker"), std::string::npos) << "the after";
  for (const std::string& role : {std::string(""), std::string("practitioner"), std::string("editor"),
                                  std::string("reviewer")}) {
    const HttpResponse denied = As(role, "/admin/audit.csv?entity=contact%3AGE");
    EXPECT_NE(denied.status, 200) << role;
    EXPECT_EQ(denied.body.find("Qx7SecondMarker"), std::string::npos) << role;
  }

  // Released, the resource is public again.
  ASSERT_EQ(RunOctopus({"--db", db_, "release", "entity", resource_id_}, cli_log), 0);
  EXPECT_TRUE(WaitFor("/api/v1/search?q=Qx7ResourceMarker", "", [](const HttpResponse& r) {
    return r.body.find("\"total\":1") != std::string::npos;
  }));
  EXPECT_EQ(Stop(), 0) << Log();
}

}  // namespace
