// PDF through weasyprint, run as a child process with an argument vector (no
// shell), reading and writing files in a private temporary directory.

#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <signal.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>
#include <vector>

#include "ingest/sha256.h"
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

/// The process's render slots.
class RenderSlots {
 public:
  /// Takes a slot, waiting up to `wait`; false when none freed.
  bool Take(int limit, std::chrono::milliseconds wait) {
    std::unique_lock lock(mu_);
    if (!freed_.wait_for(lock, wait, [&] { return running_ < limit; })) return false;
    ++running_;
    return true;
  }
  void Give() {
    std::lock_guard lock(mu_);
    --running_;
    freed_.notify_one();
  }

 private:
  std::mutex mu_;
  std::condition_variable freed_;
  int running_ = 0;
};

RenderSlots& Slots() {
  static RenderSlots slots;
  return slots;
}

/// Holds a slot for its lifetime.
class Slot {
 public:
  Slot() = default;
  ~Slot() {
    if (held_) Slots().Give();
  }
  Slot(const Slot&) = delete;
  Slot& operator=(const Slot&) = delete;
  bool Take(const PdfLimits& limits) { return held_ = Slots().Take(limits.concurrent, limits.wait); }

 private:
  bool held_ = false;
};

/// Waits for `pid` up to `limit`; kills it past that. The wait status, or
/// nullopt when it was killed for taking too long.
Result<std::optional<int>> WaitOrKill(pid_t pid, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  auto pause = std::chrono::milliseconds(5);
  for (;;) {
    int status = 0;
    const pid_t done = waitpid(pid, &status, WNOHANG);
    if (done == pid) return std::optional<int>(status);
    if (done < 0 && errno != EINTR) return IoError(std::string("waitpid: ") + std::strerror(errno));
    if (std::chrono::steady_clock::now() >= deadline) {
      kill(pid, SIGKILL);
      while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
      }
      return std::optional<int>();
    }
    std::this_thread::sleep_for(pause);
    pause = std::min(pause * 2, std::chrono::milliseconds(50));
  }
}

}  // namespace

bool PdfRendererAvailable() { return !FindInPath(kProgram).empty(); }

Result<std::string> HtmlToPdf(std::string_view html, const PdfLimits& limits) {
  const std::string program = FindInPath(kProgram);
  if (program.empty()) {
    return IoError("PDF needs weasyprint, which is not installed (run scripts/setup)");
  }
  Slot slot;
  if (!slot.Take(limits)) {
    return IoError("PDF rendering is busy (" + std::to_string(limits.concurrent) +
                   " at once); ask again in a few seconds");
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
  auto waited = WaitOrKill(pid, limits.run);
  if (!waited) return waited.status();
  if (!*waited) {
    return IoError("weasyprint took longer than " + std::to_string(limits.run.count()) +
                   " ms and was stopped");
  }
  const int status = **waited;
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

Result<std::unique_ptr<PdfCache>> PdfCache::Open(std::filesystem::path dir, uint64_t max_bytes) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return IoError("cannot create the PDF cache " + dir.string() + ": " + ec.message());
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  if (!fs::is_directory(dir, ec)) return IoError("the PDF cache " + dir.string() + " is not a directory");
  return std::unique_ptr<PdfCache>(new PdfCache(std::move(dir), max_bytes));
}

Result<std::string> PdfCache::Render(std::string_view html, const PdfLimits& limits) {
  const fs::path file = dir_ / (ingest::Sha256Hex(html) + ".pdf");
  std::error_code ec;
  if (fs::is_regular_file(file, ec)) {
    if (auto kept = Slurp(file); kept && !kept->empty()) {
      // Its time of use, for the least-recently-used bound.
      fs::last_write_time(file, fs::file_time_type::clock::now(), ec);
      ++hits_;
      return kept;
    }
  }
  auto pdf = HtmlToPdf(html, limits);
  if (!pdf) return pdf;
  ++renders_;
  // Kept whole or not at all: another reader sees the old name or the full file.
  std::string tmp_name = (dir_ / "tmp-XXXXXX").string();
  const int fd = mkstemp(tmp_name.data());
  if (fd < 0) return pdf;  // not kept; the answer stands
  const fs::path tmp(tmp_name);
  bool written = true;
  for (size_t at = 0; written && at < pdf->size();) {
    const ssize_t n = write(fd, pdf->data() + at, pdf->size() - at);
    if (n < 0 && errno == EINTR) continue;
    written = n > 0;
    if (written) at += static_cast<size_t>(n);
  }
  written = fsync(fd) == 0 && written;
  close(fd);
  if (written) fs::rename(tmp, file, ec);
  if (!written || ec) fs::remove(tmp, ec);
  Trim();
  return pdf;
}

void PdfCache::Trim() {
  std::lock_guard lock(trim_mu_);
  struct Kept {
    fs::file_time_type used;
    uint64_t bytes;
    fs::path path;
  };
  std::vector<Kept> files;
  uint64_t total = 0;
  std::error_code ec;
  const auto now = fs::file_time_type::clock::now();
  for (const auto& entry : fs::directory_iterator(dir_, ec)) {
    std::error_code e;
    if (entry.path().filename().string().starts_with("tmp-")) {
      // Left by a process that died while writing it.
      if (now - entry.last_write_time(e) > std::chrono::minutes(10) && !e) fs::remove(entry.path(), e);
      continue;
    }
    if (entry.path().extension() != ".pdf") continue;
    const uint64_t bytes = entry.file_size(e);
    const auto used = entry.last_write_time(e);
    if (e) continue;
    files.push_back({used, bytes, entry.path()});
    total += bytes;
  }
  if (total <= max_bytes_) return;
  std::sort(files.begin(), files.end(), [](const Kept& a, const Kept& b) { return a.used < b.used; });
  for (const auto& f : files) {
    if (total <= max_bytes_) break;
    if (fs::remove(f.path, ec)) total -= f.bytes;
  }
}

}  // namespace octopus::update
