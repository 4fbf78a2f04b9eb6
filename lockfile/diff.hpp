// What changed between the kernels.lock on disk and the one `kernels lock`
// would write: the answer `kernels lock --check` prints when the lock is stale.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "lockfile/lock.hpp"

namespace kernels::lockfile {

enum class Change { Added, Removed, Modified };

struct VariantChange {
  Change change;
  std::string name;
  std::optional<VariantLock> before;  // unset when Added
  std::optional<VariantLock> after;   // unset when Removed
};

struct KernelChange {
  Change change;
  std::string repo_id;
  std::string old_sha;                  // empty when Added
  std::string new_sha;                  // empty when Removed
  std::vector<VariantChange> variants;  // Modified only: in the new lock's order, then removals
  bool variants_reordered = false;      // same variants and hashes, other order
  std::string label;                    // "org/name (version 1)" for kernels-data entries, else the repo id
};

struct LockDiff {
  bool old_missing = false;           // there was no lock to compare with
  std::vector<KernelChange> kernels;  // new lock's order, then removals in the old lock's order
  bool kernels_reordered = false;     // the entries common to both are in another order
  bool format_changed = false;        // one lock is variant-hashes, the other kernels-data

  // True when the two locks hold the same entries in the same order.
  bool empty() const { return !old_missing && kernels.empty() && !kernels_reordered && !format_changed; }
};

// Compares by repo id, or by dependency (repo id and version or revision)
// when both locks are kernels-data (an old lock's later duplicates count as
// removed). Across formats, only commits are compared: variant hashes one
// side lacks are not changes. `before` is nullptr when there is no lock yet.
LockDiff diff_locks(const Lock* before, const Lock& after);

// The diff as lines for a person, without colour or trailing newlines, e.g.
// (commits and hashes shortened here; the lines hold them in full):
//   ~ kernels-community/relu: commit d649efb5... -> 0123abcd...
//       ~ torch-cpu: sha256-d391... -> sha256-0b76...
//       + torch212-cxx11-cu130-x86_64-linux: sha256-5e1c...
//   + kernels-test/versions: new, at commit f609e51b...
// An empty diff gives no lines.
std::vector<std::string> render_diff(const LockDiff& diff);

}  // namespace kernels::lockfile
