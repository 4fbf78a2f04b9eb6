// Read-only access to the Hugging Face cache (hub-api.md §8), for offline
// answers:
//   <root>/kernels--<org>--<name>/refs/<revision>        40-hex commit, no trailing newline
//   <root>/kernels--<org>--<name>/snapshots/<commit>/... relative symlinks into blobs/<etag>
// Legacy models--<org>--<name> folders are read too. Several roots may be
// given (KERNELS_CACHE, then HF_HUB_CACHE); the first that answers wins.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "hub/config.hpp"
#include "hub/types.hpp"
#include "util/result.hpp"

namespace kernels::hub {

// "kernels--org--name" / "models--org--name".
std::string repo_folder_name(const std::string& repo, RepoType type);

bool is_commit_hash(const std::string& s);  // 40 lowercase hex

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

  // "<root>, <root2>" for messages.
  std::string describe() const;

 private:
  std::vector<std::string> roots_;
  RepoType preferred_;
};

}  // namespace kernels::hub
