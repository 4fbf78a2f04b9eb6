// Read-only access to the Hugging Face cache (huggingface_hub's cache layout), for offline
// answers:
//   <root>/kernels--<org>--<name>/refs/<revision>        40-hex commit, no trailing newline
//   <root>/kernels--<org>--<name>/snapshots/<commit>/... relative symlinks into blobs/<etag>
//   <root>/kernels--<org>--<name>/.no_exist/<commit>/<path>  empty: <path> is not in the repo at <commit>
//   <root>/kernels--<org>--<name>/trees/<commit>.json   the complete listing of <commit> (huggingface_hub >= 1.22)
// Legacy models--<org>--<name> folders are read too. Several roots may be
// given (KERNELS_CACHE, then HF_HUB_CACHE); the first that answers wins.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hub/config.hpp"
#include "hub/tree_listing.hpp"
#include "hub/types.hpp"
#include "util/result.hpp"

namespace kernels::hub {

// "kernels--org--name" / "models--org--name".
std::string repo_folder_name(const std::string& repo, RepoType type);

bool is_commit_hash(const std::string& s);  // 40 lowercase hex

// Most bytes of a trees/<commit>.json read (a listing of a million files is 120-200 MB).
inline constexpr std::size_t kMaxTreeCacheBytes = std::size_t{256} << 20;

// Parses trees/<commit>.json (huggingface_hub's _tree_cache, format_version
// 1: {"format_version": 1, "files": {path: {size, blob_id[, lfs_sha256,
// lfs_size]}}}) into the listing the Hub gives for the commit, recursive: git
// tree order (a folder's name compares as if it ended in '/'), each folder
// before its contents, folders as entries (is_directory, no oid: the record
// has none). Files: oid = blob_id, size, lfs = {lfs_sha256, lfs_size, 0}.
// Hostile input: nesting bounded, at most `max_entries` files, every path
// checked (check_repo_path), hashes lowercase hex, sizes whole numbers >= 0,
// no path both a file and a folder. Errors (code "bad-cache") say why; an
// unknown format_version is one (huggingface_hub ignores such files too).
// Each file's JSON value is dropped once its entry is in the listing (the
// whole document is never held as JSON); the folders' paths are prefixes of
// their files' in the listing's arena.
Result<TreeListing> parse_tree_cache(std::string_view text, std::size_t max_entries);

struct CachedFile {
  std::string path;  // repo-relative
  std::string blob;  // the blob's file name: git sha1 or LFS sha256
  std::uint64_t size = 0;
};

class HfCache {
 public:
  HfCache(std::vector<std::string> roots, RepoType preferred);

  // The folders looked in for `repo`, in order (whether or not they exist).
  std::vector<std::string> candidate_dirs(const std::string& repo) const;

  // Branch refs cached for `repo`: regular files directly under refs/, in
  // name order. As in the kernels library, a later folder's entry (the
  // legacy models-- one) replaces an earlier one of the same name.
  std::vector<GitRef> branches(const std::string& repo) const;

  // The commit `revision` names: a 40-hex revision with a snapshot is itself;
  // otherwise refs/<revision>. Error code "offline" says what was missing.
  Result<std::string> resolve(const std::string& repo, const std::string& revision) const;

  // Every file of snapshots/<commit>/, sorted by path, with its blob name.
  Result<std::vector<CachedFile>> snapshot_files(const std::string& repo, const std::string& commit) const;

  // trees/<commit>.json of the first folder that has a usable one, parsed
  // as parse_tree_cache does, streamed from the file. Errors: code "absent"
  // when no folder has one; code "bad-cache" naming the first unusable file
  // and why, when none is usable.
  Result<TreeListing> tree_listing(const std::string& repo, const std::string& commit, std::size_t max_entries) const;

  // snapshots/<commit>/<path> of the first folder where it is a readable
  // file (a link into blobs/ that resolves, or a copy); nullopt when none,
  // or when `commit` or `path` could leave the snapshot.
  std::optional<std::string> snapshot_file(const std::string& repo, const std::string& commit,
                                           const std::string& path) const;

  // .no_exist/<commit>/<path> is present in some folder: huggingface_hub (or
  // kernels) saw the Hub answer "no such file" at that commit.
  bool known_missing(const std::string& repo, const std::string& commit, const std::string& path) const;

  // The commit refs/<revision> holds in the first folder that has a valid one
  // (trailing whitespace tolerated); nullopt when none or when `revision`
  // is not a safe relative name.
  std::optional<std::string> ref(const std::string& repo, const std::string& revision) const;

  // "<root>, <root2>" for messages.
  std::string describe() const;

 private:
  std::vector<std::string> roots_;
  RepoType preferred_;
};

}  // namespace kernels::hub
