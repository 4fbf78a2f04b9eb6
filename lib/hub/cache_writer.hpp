// Writes into the Hugging Face cache exactly as huggingface_hub lays it out
// (huggingface_hub's cache layout), so that Python finds what kernels downloaded and the
// other way round:
//   <root>/CACHEDIR.TAG
//   <root>/.locks/kernels--<org>--<name>/<etag>.lock      flock'ed while a blob is written
//   <root>/kernels--<org>--<name>/blobs/<etag>            etag: git blob sha1 or LFS sha256
//   <root>/kernels--<org>--<name>/blobs/<etag>.<8 hex>.incomplete   a blob in flight
//   <root>/kernels--<org>--<name>/snapshots/<commit>/<path>  -> ../../(...)/blobs/<etag>
//   <root>/kernels--<org>--<name>/refs/<revision>        the commit, no trailing newline
//   <root>/kernels--<org>--<name>/.no_exist/<commit>/<path>  empty: the Hub said "no such file"
//   <root>/kernels--<org>--<name>/trees/<commit>.json    the commit's complete listing
// huggingface_hub >= 1.18 names its in-flight files <etag>.<8 hex>.incomplete
// (one per process) and holds the lock while writing; so, once the lock is
// held, any such file is left over from a process that died, and is resumed.
//
// Hostile input: repo paths are checked (check_repo_path) and etags must be
// hex. The root may be reached through symlinks; nothing below it is
// followed: every directory is opened with O_NOFOLLOW relative to its parent,
// and every file is created relative to its directory's descriptor, so a
// symlink planted in the cache makes the write fail instead of escaping it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "hub/config.hpp"
#include "hub/tree_listing.hpp"
#include "hub/types.hpp"
#include "util/result.hpp"

namespace kernels::hub {

// A repo-relative file path that is safe to create under snapshots/<commit>/:
// not empty, relative, '/'-separated, no empty, "." or ".." component, no
// backslash or NUL, components at most 255 bytes. Error code "bad-path"
// saying what is wrong.
Status check_repo_path(std::string_view path);

// The bytes of trees/<commit>.json for a listing, as huggingface_hub's
// _tree_cache writes them: json.dump(indent=1) of {"format_version": 1,
// "files": {path: {size, blob_id[, lfs_sha256, lfs_size]}}}, files only,
// sorted by path, non-ASCII escaped, no final newline. Emitted in pieces of
// about 64 KiB to `sink` (which returns false to stop; so does the call);
// tree_cache_json collects them.
bool emit_tree_cache_json(const TreeListing& listing, const std::function<bool(std::string_view)>& sink);
std::string tree_cache_json(const TreeListing& listing);

// 40 (git sha1) or 64 (sha256) lowercase hex digits.
bool is_blob_name(std::string_view etag);

// The symlink target of snapshots/<commit>/<path>: one "../" per directory
// of `path`, two more for <commit> and snapshots, then blobs/<etag>.
std::string blob_link_target(std::string_view path, std::string_view etag);

// An open file descriptor, closed on destruction.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd();
  Fd(Fd&& o) noexcept : fd_(o.release()) {}
  Fd& operator=(Fd&& o) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() {
    int f = fd_;
    fd_ = -1;
    return f;
  }
  explicit operator bool() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

class CacheWriter;

// A blob being written: blobs/<etag>.<8 hex>.incomplete. Left in place when
// dropped, so that a later run can resume it; commit() or discard() end it.
class IncompleteBlob {
 public:
  std::uint64_t size() const { return size_; }
  bool resumed() const { return resumed_; }  // it holds bytes of an earlier run
  const std::string& name() const { return name_; }
  Status append(std::string_view bytes);
  Status truncate();  // back to 0 bytes (the server ignored a Range)
  // Reads the bytes already in the file, in chunks (to re-hash them).
  Status read_back(const std::function<void(std::string_view)>& chunk) const;
  // fsync, rename to blobs/<etag>, fsync blobs/.
  Status commit();
  // Removes the file (a bad blob is never kept).
  void discard();

 private:
  friend class CacheWriter;
  int blobs_fd_ = -1;
  Fd fd_;
  std::string etag_;
  std::string name_;
  std::uint64_t size_ = 0;
  bool resumed_ = false;
  bool done_ = false;
};

class CacheWriter {
 public:
  // Opens (creating when missing) <root>/<kernels--org--name>/{blobs,snapshots}
  // and <root>/.locks/<kernels--org--name>. Errors: code "io" naming the path,
  // "unsafe-cache" when a directory under the root is a symlink.
  static Result<std::unique_ptr<CacheWriter>> open(const std::string& root, const std::string& repo, RepoType type);

  const std::string& repo_dir() const { return repo_dir_; }

  // blobs/<etag> is a regular file of `size` bytes.
  bool has_blob(const std::string& etag, std::uint64_t size) const;
  // snapshots/<commit>/<path> is the symlink blob_link_target(path, etag)
  // and that blob is a regular file of `size` bytes.
  bool has_link(const std::string& commit, const std::string& path, const std::string& etag, std::uint64_t size) const;

  // .locks/<folder>/<etag>.lock, flock'ed exclusively (waits for another
  // holder, e.g. huggingface_hub writing the same blob).
  Result<Fd> lock_blob(const std::string& etag) const;

  // Call with the blob's lock held. Takes over the largest leftover
  // <etag>.<8 hex>.incomplete (or <etag>.incomplete of older huggingface_hub)
  // of at most `expected_size` bytes under a fresh name, and removes the other
  // leftovers; or starts an empty file.
  Result<IncompleteBlob> start_blob(const std::string& etag, std::uint64_t expected_size) const;

  // snapshots/<commit>/<path> -> blob_link_target(path, etag), made
  // atomically (a symlink under a temporary name renamed over the path).
  // The first link into a folder also removes the temporary links a killed
  // writer left there (a dot-named file in a variant would change its hash).
  Status link(const std::string& commit, const std::string& path, const std::string& etag) const;

  // <root>/CACHEDIR.TAG (the Cache Directory Tagging signature) when absent.
  Status tag_root() const;

  // refs/<ref> holding `commit` (40 hex, no trailing newline), as
  // huggingface_hub's _cache_commit_hash_for_specific_revision writes it:
  // atomically, and left untouched when it already holds that commit. A ref
  // with '/' (refs/pr/1) makes folders. Errors: "bad-path" for a ref that
  // could leave refs/ or a commit that is not 40 hex, "io", "unsafe-cache".
  Status write_ref(const std::string& ref, const std::string& commit) const;

  // .no_exist/<commit>/<path>, an empty file, as huggingface_hub marks a
  // file the Hub answered EntryNotFound for at `commit`. Kept when present.
  Status mark_missing(const std::string& commit, const std::string& path) const;

  // blobs/<etag> holding `bytes`, written under the blob's lock through a
  // .incomplete file; nothing is written when it is already there with that
  // size. The caller has checked that `bytes` hash to `etag`.
  Status store_blob(const std::string& etag, std::string_view bytes) const;

  // trees/<commit>.json: the listing of the repository at `commit` as
  // huggingface_hub (>= 1.22) caches it, which its offline snapshot_download
  // at a commit needs (tree_cache_json), streamed into a temporary and
  // renamed; kept when the same bytes are already there.
  Status write_tree_listing(const std::string& commit, const TreeListing& listing) const;

 private:
  std::string root_;
  std::string repo_dir_;
  Fd root_fd_, repo_fd_, blobs_fd_, snapshots_fd_, locks_fd_;
  // Snapshot folders ("<commit>/<dir>") already swept of dead temporaries.
  mutable std::mutex swept_mutex_;
  mutable std::set<std::string> swept_;
};

}  // namespace kernels::hub
