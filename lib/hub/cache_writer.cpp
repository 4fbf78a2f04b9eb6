#include "hub/cache_writer.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>
#include <random>

#include <nlohmann/json.hpp>

#include "hub/hf_cache.hpp"
#include "util/file.hpp"

namespace kernels::hub {

namespace {

std::string errno_text(int e) { return std::strerror(e); }

Error io_error(const std::string& what, const std::string& path, int e) {
  return Error{ErrorCode::io, "cannot " + what + " " + path + ": " + errno_text(e)};
}

std::string random_hex8() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static const char* digits = "0123456789abcdef";
  std::uint64_t v = rng();
  std::string out(8, '0');
  for (int i = 0; i < 8; ++i) out[i] = digits[(v >> (4 * i)) & 15];
  return out;
}

std::vector<std::string> split(std::string_view path) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    auto slash = path.find('/', start);
    out.emplace_back(path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return out;
}

// Opens directory `name` under `base` without following a symlink, creating it when asked.
Result<Fd> open_dir_at(int base, const std::string& name, bool create, const std::string& shown) {
  if (create && mkdirat(base, name.c_str(), 0777) != 0 && errno != EEXIST) return io_error("create", shown, errno);
  int fd = openat(base, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    if (e == ELOOP || e == ENOTDIR) {
      struct stat st {};
      bool link = fstatat(base, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode);
      return Error{ErrorCode::unsafe_cache, "refusing to write through " + shown + ": it is " +
                                                (link ? "a symbolic link" : "not a directory") +
                                                " inside the cache (nothing under the cache root is followed)"};
    }
    return io_error("open", shown, e);
  }
  return Fd(fd);
}

Result<Fd> open_dirs_at(int base, const std::vector<std::string>& names, bool create, std::string shown) {
  Fd current;
  int at = base;
  for (const auto& n : names) {
    shown += "/" + n;
    auto next = open_dir_at(at, n, create, shown);
    if (!next.ok()) return next.error();
    current = std::move(*next);
    at = current.get();
  }
  if (!current) {
    int fd = fcntl(base, F_DUPFD_CLOEXEC, 0);
    if (fd < 0) return io_error("open", shown, errno);
    current = Fd(fd);
  }
  return current;
}

Status write_all(int fd, std::string_view bytes, const std::string& shown) {
  while (!bytes.empty()) {
    ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("write", shown, errno);
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return ok_status();
}

}  // namespace

Fd::~Fd() {
  if (fd_ >= 0) ::close(fd_);
}

Fd& Fd::operator=(Fd&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = o.release();
  }
  return *this;
}

Status check_repo_path(std::string_view path) {
  auto bad = [&](const std::string& why) {
    return Error{ErrorCode::bad_path, "refusing the path \"" + std::string(path.substr(0, 200)) + "\": " + why};
  };
  if (path.empty()) return bad("it is empty");
  if (path.size() > 4096) return bad("it is longer than 4096 bytes");
  if (path.find('\0') != std::string_view::npos) return bad("it contains a NUL byte");
  if (path.find('\\') != std::string_view::npos) return bad("it contains a backslash");
  if (path.front() == '/') return bad("it is absolute");
  for (const auto& c : split(path)) {
    if (c.empty()) return bad("it has an empty component");
    if (c == "." || c == "..") return bad("it has a \"" + c + "\" component");
    if (c.size() > 255) return bad("a component is longer than 255 bytes");
  }
  return ok_status();
}

bool is_blob_name(std::string_view etag) {
  return (etag.size() == 40 || etag.size() == 64) &&
         etag.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

std::string blob_link_target(std::string_view path, std::string_view etag) {
  std::size_t dirs = static_cast<std::size_t>(std::count(path.begin(), path.end(), '/'));
  std::string out;
  for (std::size_t i = 0; i < dirs + 2; ++i) out += "../";
  return out + "blobs/" + std::string(etag);
}

Result<std::unique_ptr<CacheWriter>> CacheWriter::open(const std::string& root, const std::string& repo,
                                                       RepoType type) {
  auto w = std::unique_ptr<CacheWriter>(new CacheWriter());
  w->root_ = root;
  std::string folder = repo_folder_name(repo, type);
  w->repo_dir_ = root + "/" + folder;
  std::error_code ec;
  std::filesystem::create_directories(root, ec);  // the root itself may be reached through symlinks
  int fd = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return io_error("open the cache directory", root, errno);
  w->root_fd_ = Fd(fd);
  auto repo_fd = open_dirs_at(w->root_fd_.get(), {folder}, true, root);
  if (!repo_fd.ok()) return repo_fd.error();
  w->repo_fd_ = std::move(*repo_fd);
  auto blobs = open_dirs_at(w->repo_fd_.get(), {"blobs"}, true, w->repo_dir_);
  if (!blobs.ok()) return blobs.error();
  w->blobs_fd_ = std::move(*blobs);
  auto snapshots = open_dirs_at(w->repo_fd_.get(), {"snapshots"}, true, w->repo_dir_);
  if (!snapshots.ok()) return snapshots.error();
  w->snapshots_fd_ = std::move(*snapshots);
  auto locks = open_dirs_at(w->root_fd_.get(), {".locks", folder}, true, root);
  if (!locks.ok()) return locks.error();
  w->locks_fd_ = std::move(*locks);
  return w;
}

bool CacheWriter::has_blob(const std::string& etag, std::uint64_t size) const {
  if (!is_blob_name(etag)) return false;
  struct stat st {};
  return fstatat(blobs_fd_.get(), etag.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
         static_cast<std::uint64_t>(st.st_size) == size;
}

bool CacheWriter::has_link(const std::string& commit, const std::string& path, const std::string& etag,
                           std::uint64_t size) const {
  if (!check_repo_path(path).ok() || !is_commit_hash(commit) || !has_blob(etag, size)) return false;
  auto parts = split(path);
  std::string name = parts.back();
  parts.pop_back();
  parts.insert(parts.begin(), commit);
  auto dir = open_dirs_at(snapshots_fd_.get(), parts, false, repo_dir_ + "/snapshots");
  if (!dir.ok()) return false;
  char buf[4096];
  ssize_t n = readlinkat(dir->get(), name.c_str(), buf, sizeof buf);
  return n > 0 && std::string_view(buf, static_cast<std::size_t>(n)) == blob_link_target(path, etag);
}

Result<Fd> CacheWriter::lock_blob(const std::string& etag) const {
  if (!is_blob_name(etag))
    return Error{ErrorCode::bad_path, "refusing the blob name \"" + etag.substr(0, 80) + "\": not a hash"};
  std::string name = etag + ".lock";
  std::string shown = root_ + "/.locks/" + std::filesystem::path(repo_dir_).filename().string() + "/" + name;
  int fd = openat(locks_fd_.get(), name.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0664);
  if (fd < 0) return io_error("open the lock file", shown, errno);
  Fd lock(fd);
  while (flock(lock.get(), LOCK_EX) != 0) {
    if (errno != EINTR) return io_error("lock", shown, errno);
  }
  return lock;
}

Result<IncompleteBlob> CacheWriter::start_blob(const std::string& etag, std::uint64_t expected_size) const {
  if (!is_blob_name(etag))
    return Error{ErrorCode::bad_path, "refusing the blob name \"" + etag.substr(0, 80) + "\": not a hash"};
  std::string blobs_shown = repo_dir_ + "/blobs";
  // Leftovers of earlier runs: <etag>.<8 hex>.incomplete and <etag>.incomplete.
  std::vector<std::pair<std::string, std::uint64_t>> leftovers;
  int dup = fcntl(blobs_fd_.get(), F_DUPFD_CLOEXEC, 0);
  if (dup < 0) return io_error("open", blobs_shown, errno);
  DIR* dir = fdopendir(dup);
  if (dir == nullptr) {
    ::close(dup);
    return io_error("list", blobs_shown, errno);
  }
  rewinddir(dir);
  const std::string suffix = ".incomplete";
  while (dirent* e = readdir(dir)) {
    std::string n = e->d_name;
    if (n.size() < etag.size() + suffix.size() || n.compare(0, etag.size() + 1, etag + ".") != 0 ||
        n.compare(n.size() - suffix.size(), suffix.size(), suffix) != 0) {
      continue;
    }
    bool legacy = n == etag + suffix;
    std::string middle = legacy ? "" : n.substr(etag.size() + 1, n.size() - etag.size() - 1 - suffix.size());
    if (!legacy && (middle.size() != 8 || middle.find_first_not_of("0123456789abcdef") != std::string::npos)) continue;
    struct stat st {};
    if (fstatat(blobs_fd_.get(), n.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode)) continue;
    leftovers.emplace_back(n, static_cast<std::uint64_t>(st.st_size));
  }
  closedir(dir);
  // The legacy name sorts as "<etag>.incomplete"; checking it: it is exactly etag + suffix.
  std::string best;
  std::uint64_t best_size = 0;
  for (const auto& [n, size] : leftovers) {
    if (size <= expected_size && (best.empty() || size > best_size)) {
      best = n;
      best_size = size;
    }
  }
  for (const auto& [n, size] : leftovers) {
    if (n != best) unlinkat(blobs_fd_.get(), n.c_str(), 0);
  }

  IncompleteBlob blob;
  blob.blobs_fd_ = blobs_fd_.get();
  blob.etag_ = etag;
  blob.name_ = etag + "." + random_hex8() + suffix;
  if (!best.empty()) {
    if (renameat(blobs_fd_.get(), best.c_str(), blobs_fd_.get(), blob.name_.c_str()) != 0) {
      return io_error("take over", blobs_shown + "/" + best, errno);
    }
    int fd = openat(blobs_fd_.get(), blob.name_.c_str(), O_RDWR | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return io_error("open", blobs_shown + "/" + blob.name_, errno);
    blob.fd_ = Fd(fd);
    struct stat st {};
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return io_error("stat", blobs_shown + "/" + blob.name_, errno);
    blob.size_ = static_cast<std::uint64_t>(st.st_size);
    blob.resumed_ = blob.size_ > 0;
    if (lseek(fd, 0, SEEK_END) < 0) return io_error("seek in", blobs_shown + "/" + blob.name_, errno);
  } else {
    int fd = openat(blobs_fd_.get(), blob.name_.c_str(), O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0) return io_error("create", blobs_shown + "/" + blob.name_, errno);
    blob.fd_ = Fd(fd);
  }
  return blob;
}

Status IncompleteBlob::append(std::string_view bytes) {
  auto st = write_all(fd_.get(), bytes, name_);
  if (st.ok()) size_ += bytes.size();
  return st;
}

Status IncompleteBlob::truncate() {
  if (ftruncate(fd_.get(), 0) != 0 || lseek(fd_.get(), 0, SEEK_SET) < 0) return io_error("truncate", name_, errno);
  size_ = 0;
  return ok_status();
}

Status IncompleteBlob::read_back(const std::function<void(std::string_view)>& chunk) const {
  std::string buf(1 << 20, '\0');
  std::uint64_t offset = 0;
  while (offset < size_) {
    std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(buf.size(), size_ - offset));
    ssize_t n = pread(fd_.get(), buf.data(), want, static_cast<off_t>(offset));
    if (n < 0) {
      if (errno == EINTR) continue;
      return io_error("read", name_, errno);
    }
    if (n == 0) return Error{ErrorCode::io, "cannot read " + name_ + ": it shrank while being read"};
    chunk(std::string_view(buf.data(), static_cast<std::size_t>(n)));
    offset += static_cast<std::uint64_t>(n);
  }
  return ok_status();
}

Status IncompleteBlob::commit() {
  if (fsync(fd_.get()) != 0) return io_error("fsync", name_, errno);
  fd_ = Fd();
  if (renameat(blobs_fd_, name_.c_str(), blobs_fd_, etag_.c_str()) != 0) return io_error("rename", name_, errno);
  done_ = true;
  fsync(blobs_fd_);
  return ok_status();
}

void IncompleteBlob::discard() {
  fd_ = Fd();
  if (!done_) unlinkat(blobs_fd_, name_.c_str(), 0);
  done_ = true;
}

Status CacheWriter::link(const std::string& commit, const std::string& path, const std::string& etag) const {
  if (auto st = check_repo_path(path); !st.ok()) return st;
  if (!is_commit_hash(commit))
    return Error{ErrorCode::bad_path, "refusing the commit \"" + commit.substr(0, 80) + "\": not 40 hex digits"};
  if (!is_blob_name(etag))
    return Error{ErrorCode::bad_path, "refusing the blob name \"" + etag.substr(0, 80) + "\": not a hash"};
  auto parts = split(path);
  std::string name = parts.back();
  parts.pop_back();
  parts.insert(parts.begin(), commit);
  std::string shown = repo_dir_ + "/snapshots";
  auto dir = open_dirs_at(snapshots_fd_.get(), parts, true, shown);
  if (!dir.ok()) return dir.error();
  bool first_here = false;
  {
    std::string folder;
    for (const auto& p : parts) folder += p + "/";
    std::lock_guard<std::mutex> lock(swept_mutex_);
    first_here = swept_.insert(std::move(folder)).second;
  }
  // Once a folder, not once a file: a variant's files share a few folders.
  if (first_here) remove_dead_temporaries(dir->get(), "");
  std::string target = blob_link_target(path, etag);
  std::string tmp = temporary_name(name.substr(0, 200));
  TemporaryOnSignal on_signal(dir->get(), tmp.c_str());
  if (symlinkat(target.c_str(), dir->get(), tmp.c_str()) != 0)
    return io_error("create a link in", shown + "/" + commit, errno);
  if (renameat(dir->get(), tmp.c_str(), dir->get(), name.c_str()) != 0) {
    int e = errno;
    unlinkat(dir->get(), tmp.c_str(), 0);
    return io_error("create", shown + "/" + commit + "/" + path, e);
  }
  fsync(dir->get());
  return ok_status();
}

namespace {

// Writes `bytes` to <dir>/<name> atomically: a temporary beside it, then a
// rename. Only small records go through here (refs, trees/<commit>.json,
// CACHEDIR.TAG), written during online locks: they are not fsync'ed
// (huggingface_hub does not either; a sync costs 2.6 ms on the build
// machine), since a record lost or emptied by a crash reads as absent or
// unusable, and the offline answer then says so.
Status write_file_at(int dir, const std::string& name, std::string_view bytes, const std::string& shown) {
  remove_dead_temporaries(dir, name);  // what a killed writer left
  std::string tmp = temporary_name(name);
  TemporaryOnSignal on_signal(dir, tmp.c_str());
  int fd = openat(dir, tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
  if (fd < 0) return io_error("create", shown, errno);
  Fd f(fd);
  auto st = write_all(fd, bytes, shown);
  if (!st.ok() || renameat(dir, tmp.c_str(), dir, name.c_str()) != 0) {
    int e = errno;
    unlinkat(dir, tmp.c_str(), 0);
    return st.ok() ? io_error("create", shown, e) : st;
  }
  return ok_status();
}

}  // namespace

Status CacheWriter::tag_root() const {
  struct stat st {};
  if (fstatat(root_fd_.get(), "CACHEDIR.TAG", &st, AT_SYMLINK_NOFOLLOW) == 0) return ok_status();
  return write_file_at(root_fd_.get(), "CACHEDIR.TAG",
                       "Signature: 8a477f597d28d172789f06886806bc55\n"
                       "# This directory is a cache (Hugging Face hub layout); backup tools may skip it.\n"
                       "# See https://bford.info/cachedir/\n",
                       root_ + "/CACHEDIR.TAG");
}

namespace {

// A JSON string as nlohmann's dump(ensure_ascii = true, replace) writes it:
// printable ASCII as is, anything else through nlohmann itself.
void append_json_string(std::string& out, std::string_view s) {
  bool plain = std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7f && c != '"' && c != '\\'; });
  if (plain) {
    out += '"';
    out += s;
    out += '"';
  } else {
    out += nlohmann::json(std::string(s)).dump(-1, ' ', true, nlohmann::json::error_handler_t::replace);
  }
}

void append_json_string(std::string& out, const ObjectIdRef& id) {
  if (id.is_raw()) {
    out += '"';
    id.append_to(out);
    out += '"';
  } else {
    append_json_string(out, id.bytes());
  }
}

}  // namespace

bool emit_tree_cache_json(const TreeListing& listing, const std::function<bool(std::string_view)>& sink) {
  // Files sorted by path (bytewise = code point order, as Python's sorted());
  // of a path listed twice, the last entry (as a dict keeps it).
  std::vector<std::uint32_t> files;
  for (std::size_t i = 0; i < listing.size(); ++i)
    if (!listing[i].is_directory) files.push_back(static_cast<std::uint32_t>(i));
  std::stable_sort(files.begin(), files.end(),
                   [&](std::uint32_t a, std::uint32_t b) { return listing.path(a) < listing.path(b); });
  std::string out = "{\n \"format_version\": 1,\n \"files\": {";
  constexpr std::size_t kFlushAt = 64 * 1024;
  bool first = true;
  for (std::size_t k = 0; k < files.size(); ++k) {
    if (k + 1 < files.size() && listing.path(files[k]) == listing.path(files[k + 1])) continue;
    const TreeEntryView e = listing[files[k]];
    out += first ? "\n  " : ",\n  ";
    first = false;
    append_json_string(out, e.path);
    out += ": {\n   \"size\": ";
    out += std::to_string(e.size);
    out += ",\n   \"blob_id\": ";
    append_json_string(out, e.oid);
    if (e.lfs) {
      out += ",\n   \"lfs_sha256\": ";
      append_json_string(out, e.lfs->oid);
      out += ",\n   \"lfs_size\": ";
      out += std::to_string(e.lfs->size);
    }
    out += "\n  }";
    if (out.size() >= kFlushAt) {
      if (!sink(out)) return false;
      out.clear();
    }
  }
  out += first ? "}\n}" : "\n }\n}";
  return sink(out);
}

std::string tree_cache_json(const TreeListing& listing) {
  std::string out;
  emit_tree_cache_json(listing, [&](std::string_view piece) {
    out += piece;
    return true;
  });
  return out;
}

Status CacheWriter::write_ref(const std::string& ref, const std::string& commit) const {
  if (auto st = check_repo_path(ref); !st.ok())
    return Error{ErrorCode::bad_path, "refusing the ref name: " + st.error().message};
  if (!is_commit_hash(commit))
    return Error{ErrorCode::bad_path, "refusing the commit \"" + commit.substr(0, 80) + "\": not 40 hex digits"};
  auto parts = split(ref);
  std::string name = parts.back();
  parts.pop_back();
  parts.insert(parts.begin(), "refs");
  auto dir = open_dirs_at(repo_fd_.get(), parts, true, repo_dir_);
  if (!dir.ok()) return dir.error();
  std::string shown = repo_dir_ + "/refs/" + ref;
  int fd = openat(dir->get(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  if (fd >= 0) {
    Fd f(fd);
    struct stat st {};
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == static_cast<off_t>(commit.size())) {
      char buf[40];
      if (pread(fd, buf, sizeof buf, 0) == static_cast<ssize_t>(sizeof buf) &&
          std::string_view(buf, sizeof buf) == commit) {
        return ok_status();
      }
    }
  }
  return write_file_at(dir->get(), name, commit, shown);
}

Status CacheWriter::mark_missing(const std::string& commit, const std::string& path) const {
  if (auto st = check_repo_path(path); !st.ok()) return st;
  if (!is_commit_hash(commit))
    return Error{ErrorCode::bad_path, "refusing the commit \"" + commit.substr(0, 80) + "\": not 40 hex digits"};
  auto parts = split(path);
  std::string name = parts.back();
  parts.pop_back();
  parts.insert(parts.begin(), commit);
  parts.insert(parts.begin(), ".no_exist");
  auto dir = open_dirs_at(repo_fd_.get(), parts, true, repo_dir_);
  if (!dir.ok()) return dir.error();
  std::string shown = repo_dir_ + "/.no_exist/" + commit + "/" + path;
  struct stat st {};
  if (fstatat(dir->get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode)) return ok_status();
  int fd = openat(dir->get(), name.c_str(), O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK, 0666);
  if (fd < 0) return io_error("create", shown, errno);
  ::close(fd);
  return ok_status();
}

Status CacheWriter::store_blob(const std::string& etag, std::string_view bytes) const {
  if (has_blob(etag, bytes.size())) return ok_status();
  auto lock = lock_blob(etag);
  if (!lock.ok()) return lock.error();
  if (has_blob(etag, bytes.size())) return ok_status();  // written while we waited for the lock
  auto blob = start_blob(etag, bytes.size());
  if (!blob.ok()) return blob.error();
  if (blob->size() > 0) {
    if (auto st = blob->truncate(); !st.ok()) {
      blob->discard();
      return st;
    }
  }
  if (auto st = blob->append(bytes); !st.ok()) {
    blob->discard();
    return st;
  }
  if (auto st = blob->commit(); !st.ok()) {
    blob->discard();
    return st;
  }
  return ok_status();
}

Status CacheWriter::write_tree_listing(const std::string& commit, const TreeListing& listing) const {
  if (!is_commit_hash(commit))
    return Error{ErrorCode::bad_path, "refusing the commit \"" + commit.substr(0, 80) + "\": not 40 hex digits"};
  auto trees = open_dirs_at(repo_fd_.get(), {"trees"}, true, repo_dir_);
  if (!trees.ok()) return trees.error();
  std::string name = commit + ".json";
  std::string shown = repo_dir_ + "/trees/" + name;
  // A commit's files never change: a record already there with the same
  // bytes is kept (every online lock would otherwise rewrite it). The bytes
  // are compared as they are made, 64 KiB at a time: neither the new record
  // (about 120 bytes a file) nor the old one is held whole.
  int fd = openat(trees->get(), name.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
  if (fd >= 0) {
    Fd f(fd);
    struct stat st {};
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
      std::uint64_t offset = 0;
      std::string old;
      bool same = emit_tree_cache_json(listing, [&](std::string_view piece) {
        old.resize(piece.size());
        ssize_t n = pread(fd, old.data(), old.size(), static_cast<off_t>(offset));
        offset += piece.size();
        return n == static_cast<ssize_t>(piece.size()) && old == piece;
      });
      if (same && offset == static_cast<std::uint64_t>(st.st_size)) return ok_status();
    }
  }
  // Written as write_file_at writes small records: a temporary beside it, then a rename.
  remove_dead_temporaries(trees->get(), name);
  std::string tmp = temporary_name(name);
  TemporaryOnSignal on_signal(trees->get(), tmp.c_str());
  int out = openat(trees->get(), tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
  if (out < 0) return io_error("create", shown, errno);
  Fd o(out);
  Status written = ok_status();
  emit_tree_cache_json(listing, [&](std::string_view piece) {
    written = write_all(out, piece, shown);
    return written.ok();
  });
  if (!written.ok() || renameat(trees->get(), tmp.c_str(), trees->get(), name.c_str()) != 0) {
    int e = errno;
    unlinkat(trees->get(), tmp.c_str(), 0);
    return written.ok() ? io_error("create", shown, e) : written;
  }
  return ok_status();
}

}  // namespace kernels::hub
