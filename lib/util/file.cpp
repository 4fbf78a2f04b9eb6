#include "util/file.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <filesystem>
#include <random>
#include <string_view>
#include <vector>
#include <sys/stat.h>
#include <unistd.h>

namespace kernels {
namespace {

Error io_error(const std::string& what, const std::string& path, int err) {
  return Error{ErrorCode::io, what + " " + path + ": " + std::strerror(err)};
}

bool write_all(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

// Temporaries being written now, for the signal handler to remove: each
// slot points to a live TemporaryOnSignal.
constexpr std::size_t kTempSlots = 64;
std::atomic<const TemporaryOnSignal*> g_temporaries[kTempSlots];

extern "C" void remove_temporaries_and_die(int sig) {
  // unlinkat fails (ENOENT) on a temporary already renamed into place; the
  // interrupted code must not see errno change under it.
  const int saved_errno = errno;
  for (auto& s : g_temporaries) {
    if (const TemporaryOnSignal* t = s.load()) t->unlink_now();
  }
  ::signal(sig, SIG_DFL);
  // While this handler runs, `sig` is blocked: raise returns, and the signal
  // kills the process once the handler does.
  ::raise(sig);
  errno = saved_errno;
}

// ".<name>.tmp." + the writer's pid + "-": what temporary_name starts with.
std::string temporary_prefix(std::string_view name) {
  return "." + std::string(name) + ".tmp." + std::to_string(::getpid()) + "-";
}

// Replaces the last six characters of `name` (its XXXXXX) in place.
void fill_random_suffix(std::string& name) {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  thread_local std::mt19937_64 rng{std::random_device{}()};
  for (std::size_t i = name.size() - 6; i < name.size(); ++i) name[i] = kAlphabet[rng() % (sizeof kAlphabet - 1)];
}

// The file a write to `path` lands in: symbolic links followed (at most 40,
// as the kernel does), so that a kernels.lock that is a link keeps being one
// and its target is replaced, as Python's open(path, "w") would write it.
std::filesystem::path write_target(const std::string& path) {
  namespace fs = std::filesystem;
  fs::path p(path);
  for (int hops = 0; hops < 40; ++hops) {
    std::error_code ec;
    if (!fs::is_symlink(fs::symlink_status(p, ec)) || ec) return p;
    fs::path link = fs::read_symlink(p, ec);
    if (ec) return p;
    p = link.is_absolute() ? link : (p.has_parent_path() ? p.parent_path() / link : link);
  }
  return p;
}

}  // namespace

TemporaryOnSignal::TemporaryOnSignal(int dir_fd, const char* name) : dir_fd_(dir_fd), name_(name) {
  for (auto& s : g_temporaries) {
    const TemporaryOnSignal* expected = nullptr;
    if (s.compare_exchange_strong(expected, this)) {
      slot_ = &s;
      return;
    }
  }
}

TemporaryOnSignal::~TemporaryOnSignal() {
  if (slot_ != nullptr) slot_->store(nullptr);
}

void TemporaryOnSignal::unlink_now() const noexcept { ::unlinkat(dir_fd_, name_, 0); }

std::string temporary_name(std::string_view name) {
  std::string out = temporary_prefix(name) + "XXXXXX";
  fill_random_suffix(out);
  return out;
}

namespace {

// The writer's pid in `entry` when it is a temporary of `name` (of any name
// when `name` is empty), as temporary_name makes them; 0 otherwise.
pid_t temporary_writer(std::string_view entry, std::string_view name) {
  constexpr std::string_view kTmp = ".tmp.";
  std::size_t at = 0;
  if (name.empty()) {
    // ".<something>.tmp.<pid>-XXXXXX": the last ".tmp." past the leading dot.
    at = entry.rfind(kTmp);
    if (entry.empty() || entry[0] != '.' || at == std::string_view::npos || at < 2) return 0;
  } else {
    if (entry.size() < name.size() + 1 || entry[0] != '.' || entry.substr(1, name.size()) != name) return 0;
    at = 1 + name.size();
    if (entry.substr(at, kTmp.size()) != kTmp) return 0;
  }
  std::string_view rest = entry.substr(at + kTmp.size());
  const auto dash = rest.find('-');
  if (dash == std::string_view::npos || dash == 0 || dash > 9 || rest.size() - dash - 1 != 6) return 0;
  pid_t pid = 0;
  for (char c : rest.substr(0, dash)) {
    if (c < '0' || c > '9') return 0;
    pid = pid * 10 + (c - '0');
  }
  return pid;
}

}  // namespace

void remove_dead_temporaries(int dir_fd, std::string_view name) {
  int fd = ::openat(dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  DIR* dir = ::fdopendir(fd);
  if (dir == nullptr) {
    ::close(fd);
    return;
  }
  std::vector<std::string> dead;
  while (const dirent* entry = ::readdir(dir)) {
    std::string_view n(entry->d_name);
    const pid_t pid = temporary_writer(n, name);
    if (pid <= 0 || pid == ::getpid()) continue;
    if (::kill(pid, 0) != 0 && errno == ESRCH) dead.emplace_back(n);
  }
  for (const auto& n : dead) ::unlinkat(::dirfd(dir), n.c_str(), 0);
  ::closedir(dir);
}

void remove_temporaries_on_signals() {
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
    struct sigaction action {};
    action.sa_handler = &remove_temporaries_and_die;
    sigemptyset(&action.sa_mask);
    ::sigaction(sig, &action, nullptr);
  }
}

Result<int> open_for_reading(const std::string& path, std::size_t max_bytes) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused
  // below as not a regular file (on regular files the flag does nothing).
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return io_error("cannot open", path, errno);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return io_error("cannot stat", path, err);
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    return Error{ErrorCode::io, path + " is a directory, not a file"};
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return Error{ErrorCode::io, path + " is not a regular file"};
  }
  if (static_cast<std::size_t>(st.st_size) > max_bytes) {
    ::close(fd);
    return Error{ErrorCode::io, path + " is too large (" + std::to_string(st.st_size) + " bytes; the limit is " +
                                    std::to_string(max_bytes) + ")"};
  }
  return fd;
}

Result<std::string> read_file(const std::string& path, std::size_t max_bytes) {
  auto opened = open_for_reading(path, max_bytes);
  if (!opened.ok()) return opened.error();
  const int fd = *opened;
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return io_error("cannot stat", path, err);
  }
  // Read to the end, not to st_size: files under /proc and /sys report 0
  // (or a guess) and hold more; a file growing while read stops at max_bytes.
  std::string out;
  out.resize(std::min<std::size_t>(static_cast<std::size_t>(st.st_size), max_bytes) + 1);
  std::size_t got = 0;
  for (;;) {
    if (got == out.size()) {
      if (out.size() > max_bytes) {
        ::close(fd);
        return Error{ErrorCode::io, path + " is too large (more than " + std::to_string(max_bytes) + " bytes)"};
      }
      out.resize(std::min(max_bytes + 1, std::max<std::size_t>(out.size() * 2, 4096)));
    }
    ssize_t n = ::read(fd, out.data() + got, out.size() - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return io_error("cannot read", path, err);
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  out.resize(got);
  ::close(fd);
  return out;
}

Status write_file_atomic(const std::string& path, std::string_view contents) {
  namespace fs = std::filesystem;
  fs::path target = write_target(path);
  fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  // What a killed writer of this file left is removed first.
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) remove_dead_temporaries(dfd, target.filename().string());
  struct DirFd {
    int fd;
    ~DirFd() {
      if (fd >= 0) ::close(fd);
    }
  } dir_fd{dfd};
  // The name is registered for the signal handler before the file exists
  // (mkstemp would leave a window in which a signal strands it).
  std::string tmpl = (dir / (temporary_prefix(target.filename().string()) + "XXXXXX")).string();
  TemporaryOnSignal registered(AT_FDCWD, tmpl.c_str());
  int fd = -1;
  for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
    fill_random_suffix(tmpl);
    fd = ::open(tmpl.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0 && errno != EEXIST) break;
  }
  if (fd < 0) return io_error("cannot create a temporary file in", dir.string(), errno);

  auto fail = [&](const std::string& what) -> Status {
    int err = errno;
    ::close(fd);
    ::unlink(tmpl.c_str());
    return io_error(what, path, err);
  };
  // Keep the mode of an existing file; otherwise the usual 0644 (less umask).
  struct stat st {};
  mode_t mode = 0666;
  if (::stat(target.c_str(), &st) == 0) {
    mode = st.st_mode & 07777;
  } else {
    mode_t mask = ::umask(0);
    ::umask(mask);
    mode &= ~mask;
  }
  if (::fchmod(fd, mode) != 0) return fail("cannot set the mode of the temporary for");
  if (!write_all(fd, contents)) return fail("cannot write");
  if (::fsync(fd) != 0) return fail("cannot sync");
  if (::close(fd) != 0) {
    int err = errno;
    ::unlink(tmpl.c_str());
    return io_error("cannot close", path, err);
  }
  if (::rename(tmpl.c_str(), target.c_str()) != 0) {
    int err = errno;
    ::unlink(tmpl.c_str());
    return io_error("cannot replace", path, err);
  }
  if (dir_fd.fd >= 0) ::fsync(dir_fd.fd);
  return ok_status();
}

}  // namespace kernels
