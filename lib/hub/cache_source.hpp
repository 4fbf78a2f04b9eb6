// A RepoSource answered from the Hugging Face cache alone: what HubClient
// does offline, and what lock logic is unit-tested over. The cache is the
// one HubConfig names (kernels_cache, then hub_cache). Every answer the
// cache cannot give is an Error with code "offline" that names what is
// missing and where it was looked for, and says how to get it (`kernels
// lock` or `kernels download` once online).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "hub/config.hpp"
#include "hub/hf_cache.hpp"
#include "hub/source.hpp"

namespace kernels::hub {

class CacheSource final : public RepoSource {
 public:
  explicit CacheSource(const HubConfig& config);

  bool offline() const override { return true; }

  // The branches under refs/ (tags are not cached by name).
  Result<Refs> list_refs(const std::string& repo) const override;
  // refs/<revision> (or a 40-hex revision with a snapshot); id and author from `repo`.
  Result<RepoInfo> repo_info(const std::string& repo, const std::string& revision) const override;
  // trees/<commit>.json; never what a snapshot happens to hold.
  Result<TreeListing> list_commit_tree(const std::string& repo, const std::string& commit) const override;
  // The cached file parsed, a .no_exist marker as "no redirect", else "offline".
  Result<std::optional<Redirect>> kernel_status(const std::string& repo, const std::string& revision) const override;
  // snapshots/<commit>/<path>.
  Result<std::string> cached_file(const std::string& repo, const std::string& commit, const std::string& path,
                                  std::size_t max_bytes) const override;
  // Nothing to remember offline: ok.
  Status record_ref(const std::string& repo, const std::string& ref, const std::string& commit) const override;

  // What a snapshot holds, as a listing: its files (blob ids, LFS sha256)
  // and the folders on the way, under `path_in_repo`, recursive or one level.
  Result<TreeListing> list_tree(const std::string& repo, const std::string& revision, const std::string& path_in_repo,
                                bool recursive) const;
  // The snapshot's file: commit, blob name and size.
  Result<FileMetadata> file_metadata(const std::string& repo, const std::string& revision,
                                     const std::string& path) const;
  // The snapshot's file, whole.
  Result<std::string> download(const std::string& repo, const std::string& revision, const std::string& path,
                               std::size_t max_bytes) const;

  const HfCache& cache() const { return cache_; }

 private:
  RepoType repo_type_;
  std::size_t max_tree_entries_;
  HfCache cache_;
};

// The first 12 digits of a commit, for messages; anything else unchanged.
std::string short_commit(const std::string& commit);

}  // namespace kernels::hub
