// The kernels.lock model, one for both formats a kernels.lock can have:
//
//  - variant-hashes (what released Python `kernels lock` writes and reads):
//    [{"repo_id", "sha", "variants": {NAME: {"hash", "hash_type"}}}], one
//    entry per declared dependency. Order is data: entries keep the order of
//    [tool.kernels.dependencies], variants the order in which they first
//    appear in the Hub's tree listing, and both survive a round trip.
//  - kernels-data (the format upstream is moving to, kernels-data's
//    KernelLocks): [{"dependency": {"repo-id", "version"|"revision"},
//    "lock": {"commit"}}], every declared dependency and every kernel they
//    depend on (metadata.json kernel-depends, transitively), no hashes, sorted
//    by dependency when written.
//
// One LockedKernel stands for an entry of either: `variants` is used by
// variant-hashes only, `version`/`revision` by kernels-data only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kernels::lockfile {

enum class LockFormat { VariantHashes, KernelsData };

// "variant-hashes" / "kernels-data": the names --lock-format takes and JSON shows.
std::string_view format_name(LockFormat format);
std::optional<LockFormat> parse_format_name(std::string_view name);

// The only hash type any kernels tool has ever written.
inline constexpr std::string_view kGitLfsConcat = "git_lfs_concat";

// One build variant of a locked kernel, e.g. "torch-cpu" -> "sha256-<64 hex>".
struct VariantLock {
  std::string name;  // directory under build/
  std::string hash;  // "sha256-" + 64 lowercase hex
  std::string hash_type = std::string(kGitLfsConcat);

  friend bool operator==(const VariantLock&, const VariantLock&) = default;
};

// One entry of kernels.lock: a Hub repo pinned to a commit.
struct LockedKernel {
  std::string repo_id;                // "org/name", after following redirects
  std::string sha;                    // lowercase hex commit id (40; kernels-data also allows 64)
  std::vector<VariantLock> variants;  // variant-hashes: in listing order; never re-sorted
  // kernels-data: the dependency this entry locks, exactly one of the two.
  std::optional<std::uint64_t> version = std::nullopt;
  std::optional<std::string> revision = std::nullopt;

  // The first variant called `name`, or nullptr.
  const VariantLock* find_variant(std::string_view name) const;

  friend bool operator==(const LockedKernel&, const LockedKernel&) = default;
};

struct Lock {
  std::vector<LockedKernel> kernels;  // variant-hashes: dependency order; kernels-data: sorted when written
  LockFormat format = LockFormat::VariantHashes;

  // The first entry for `repo_id` (what Python's reader uses), or nullptr.
  const LockedKernel* find(std::string_view repo_id) const;

  friend bool operator==(const Lock&, const Lock&) = default;
};

// kernels-data's order of dependencies, Rust's derived Ord of
// KernelDependency {repo_id, enum {Version(usize), Revision(String)}}:
// repo_id bytewise, then every version before every revision, versions
// numerically, revisions bytewise. (An entry with neither sorts after both
// for its repo_id; with both, its version counts.) Variants and sha are not
// compared: two entries neither of which is less lock the same dependency.
bool dependency_less(const LockedKernel& a, const LockedKernel& b);

// `version 2`, `revision "main"` or `no version`: the dependency, for messages.
std::string describe_dependency(const LockedKernel& kernel);

}  // namespace kernels::lockfile
