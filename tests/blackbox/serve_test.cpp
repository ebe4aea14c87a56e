// Starts the real `octopus serve` on 127.0.0.1 over a temp database, talks
// HTTP to it over plain sockets, and stops it with SIGTERM.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

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

/// A connected socket to 127.0.0.1:port, or -1.
int Connect(int port) {
  const int s = ::socket(AF_INET, SOCK_STREAM, 0);
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
std::string Exchange(int port, const std::string& raw) {
  Fd s(Connect(port));
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
    const std::string& db = db_;
    const std::string listen = "127.0.0.1:" + std::to_string(port_);
    std::vector<std::string> args = {OCTOPUS_BIN, "--db", db, "serve", "--listen", listen};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 2, log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    const int rc = posix_spawn(&pid_, OCTOPUS_BIN, &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ASSERT_EQ(rc, 0) << "cannot start " << OCTOPUS_BIN;

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
  EXPECT_NE(log.find(" GET /treaties/185?as_of=2011-06-01 200 "), std::string::npos) << log;
  EXPECT_NE(log.find(" GET /nowhere 404 "), std::string::npos);
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
  // Before: the record pages answer, empty.
  EXPECT_EQ(nlohmann::json::parse(Get(port_, "/api/v1/search?q=Turkiye").body)["total"], 0);
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
    if (found.is_object() && found["total"].get<int>() > 0) break;
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

// The flow, but for signing in (the edits are stored as the site's
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

TEST_F(ServeTest, SigtermClosesIdleConnectionsAndExitsZero) {
  Fd idle(Connect(port_));  // a keep-alive client that never sends
  ASSERT_GE(idle.get(), 0);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(Stop(), 0) << Log();
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_NE(Log().find("SIGTERM received"), std::string::npos);
}

}  // namespace
