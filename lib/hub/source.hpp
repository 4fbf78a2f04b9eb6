// What resolving a lock asks of the Hub: the refs of a repository, the commit
// a revision names, the complete listing at a commit, the kernel-status.toml
// redirect and small files (metadata.json). Two implementations: HubClient
// (HTTP, recording what it sees into the HF cache) and CacheSource (the HF
// cache alone, which is what --offline means). lockfile/resolve takes this
// interface, so lock logic is tested over a cache written by hand as well as
// through the emulator; it is exactly as wide as that needs.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "hub/tree_listing.hpp"
#include "hub/types.hpp"
#include "util/result.hpp"

namespace kernels::hub {

class RepoSource {
 public:
  virtual ~RepoSource() = default;

  // Answers come from the cache alone; nothing is sent.
  virtual bool offline() const = 0;

  // The branches and tags of `repo`.
  virtual Result<Refs> list_refs(const std::string& repo) const = 0;

  // The commit (and id, author) `revision` names; "" is the default branch.
  virtual Result<RepoInfo> repo_info(const std::string& repo, const std::string& revision) const = 0;

  // Every entry of the repository at `commit` (40 hex), in git tree order.
  virtual Result<TreeListing> list_commit_tree(const std::string& repo, const std::string& commit) const = 0;

  // kernel-status.toml at `revision`: a redirect, or nullopt when there is none.
  virtual Result<std::optional<Redirect>> kernel_status(const std::string& repo, const std::string& revision) const = 0;

  // A file of at most `max_bytes` at `commit` (40 hex).
  virtual Result<std::string> cached_file(const std::string& repo, const std::string& commit, const std::string& path,
                                          std::size_t max_bytes) const = 0;

  // Remembers that `ref` named `commit`, for a later offline run (best effort).
  virtual Status record_ref(const std::string& repo, const std::string& ref, const std::string& commit) const = 0;
};

}  // namespace kernels::hub
