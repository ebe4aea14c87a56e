// PDF through weasyprint, run as a child process with an argument vector (no
// shell), reading and writing files in a private temporary directory.

#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "update/update.h"

extern char** environ;

namespace octopus::update {

namespace {

namespace fs = std::filesystem;

constexpr const char* kProgram = "weasyprint";

/// A fresh private directory, removed with its contents on destruction.
class ScratchDir {
 public:
  static Result<std::unique_ptr<ScratchDir>> Make() {
    std::string pattern = (fs::temp_directory_path() / "octopus-pdf-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
      return IoError(std::string("cannot create a temporary directory: ") + std::strerror(errno));
    }
    return std::unique_ptr<ScratchDir>(new ScratchDir(pattern));
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  explicit ScratchDir(fs::path p) : path_(std::move(p)) {}
  fs::path path_;
};

/// posix_spawn_file_actions_t with its destroy call.
class FileActions {
 public:
  FileActions() { posix_spawn_file_actions_init(&actions_); }
  ~FileActions() { posix_spawn_file_actions_destroy(&actions_); }
  FileActions(const FileActions&) = delete;
  FileActions& operator=(const FileActions&) = delete;
  posix_spawn_file_actions_t* get() { return &actions_; }

 private:
  posix_spawn_file_actions_t actions_;
};

std::string FindInPath(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path && *path ? path : "/usr/local/bin:/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty()) continue;
    const fs::path candidate = fs::path(dir) / program;
    if (access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  return "";
}

Result<std::string> Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return IoError("cannot read " + p.string());
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

bool PdfRendererAvailable() { return !FindInPath(kProgram).empty(); }

Result<std::string> HtmlToPdf(std::string_view html) {
  const std::string program = FindInPath(kProgram);
  if (program.empty()) {
    return IoError("PDF needs weasyprint, which is not installed (run scripts/setup)");
  }
  auto dir = ScratchDir::Make();
  if (!dir) return dir.status();
  const fs::path in = (*dir)->path() / "issue.html";
  const fs::path out = (*dir)->path() / "issue.pdf";
  const fs::path log = (*dir)->path() / "weasyprint.log";
  {
    std::ofstream f(in, std::ios::binary);
    f.write(html.data(), static_cast<std::streamsize>(html.size()));
    if (!f) return IoError("cannot write " + in.string());
  }
  FileActions actions;
  posix_spawn_file_actions_addopen(actions.get(), STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(actions.get(), STDOUT_FILENO, log.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_adddup2(actions.get(), STDOUT_FILENO, STDERR_FILENO);
  std::string a0 = program, a1 = "--encoding", a2 = "utf-8", a3 = in.string(), a4 = out.string();
  char* argv[] = {a0.data(), a1.data(), a2.data(), a3.data(), a4.data(), nullptr};
  pid_t pid = 0;
  if (const int rc = posix_spawn(&pid, program.c_str(), actions.get(), nullptr, argv, environ);
      rc != 0) {
    return IoError("cannot run " + program + ": " + std::strerror(rc));
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return IoError(std::string("waitpid: ") + std::strerror(errno));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    auto text = Slurp(log);
    std::string reason = text ? text.value() : std::string();
    if (reason.size() > 500) reason = reason.substr(reason.size() - 500);
    return IoError("weasyprint failed (" +
                   (WIFEXITED(status) ? "exit " + std::to_string(WEXITSTATUS(status))
                                      : std::string("killed by a signal")) +
                   "): " + reason);
  }
  return Slurp(out);
}

}  // namespace octopus::update
