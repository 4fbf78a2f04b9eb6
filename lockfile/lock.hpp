// The kernels.lock model (format "F1", the one Python's `kernels lock` writes):
// an ordered list of locked kernels, each pinned to one commit, with one
// git_lfs_concat hash per build variant. Order is data here: entries keep the
// order of [tool.kernels.dependencies], variants the order in which they first
// appear in the Hub's tree listing, and both survive a read/write round trip.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kernels::lockfile {

// The only hash type any kernels tool has ever written.
inline constexpr std::string_view kGitLfsConcat = "git_lfs_concat";

// One build variant of a locked kernel, e.g. "torch-cpu" -> "sha256-<64 hex>".
struct VariantLock {
  std::string name;                                 // directory under build/
  std::string hash;                                 // "sha256-" + 64 lowercase hex
  std::string hash_type = std::string(kGitLfsConcat);

  friend bool operator==(const VariantLock&, const VariantLock&) = default;
};

// One entry of kernels.lock: a Hub repo pinned to a commit.
struct LockedKernel {
  std::string repo_id;                // "org/name", after following redirects
  std::string sha;                    // 40 lowercase hex commit id
  std::vector<VariantLock> variants;  // in listing order; never re-sorted

  // The first variant called `name`, or nullptr.
  const VariantLock* find_variant(std::string_view name) const;

  friend bool operator==(const LockedKernel&, const LockedKernel&) = default;
};

struct Lock {
  std::vector<LockedKernel> kernels;  // in dependency order

  // The first entry for `repo_id` (what Python's reader uses), or nullptr.
  const LockedKernel* find(std::string_view repo_id) const;

  friend bool operator==(const Lock&, const Lock&) = default;
};

}  // namespace kernels::lockfile
