// `kernels lock --locked`: does kernels.lock cover exactly what the project
// declares, with matching pins? Decided without the network, from the lock,
// the declared dependencies and what the HF cache already knows (a
// kernel-status.toml redirect; a locked kernel's metadata.json).
//
//  - kernels-data: every declared (repo, version or revision) must be an
//    entry; the same repo at another version or revision is "re-pinned".
//    An entry nobody declares is a kernel-depends of another entry, or a
//    leftover: where the cache holds the metadata.json of every entry it is
//    decided ("removed" when nothing reaches it); otherwise it is reported as
//    not checked (a note, not a failure: `kernels lock --check` decides it).
//  - variant-hashes records no versions, only commits: the set of locked
//    repos must equal the declared repos, a declared repo matching its
//    redirect's destination when the cache knows of the redirect.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "lockfile/dependencies.hpp"
#include "lockfile/lock.hpp"

namespace kernels::lockfile {

struct LockedProblem {
  enum class Kind { Added, Removed, Repinned };
  Kind kind;
  std::string repo_id;
  std::string text;  // "pyproject.toml:3: kernels-community/relu (version 2) is declared but not in the lock"
};

struct LockedCheck {
  std::vector<LockedProblem> problems;  // declared order, then the lock's order
  std::vector<std::string> notes;       // what could not be decided offline
  bool current() const { return problems.empty(); }
};

struct LockedCache {
  // The destination of `repo`'s kernel-status.toml redirect at main, "" for
  // none, nullopt when the cache does not know.
  std::function<std::optional<std::string>(const std::string& repo)> redirect;
  // dependency_key of each kernel-depends of the entry's variants, nullopt
  // when the cache lacks its listing or a metadata.json.
  std::function<std::optional<std::vector<std::string>>(const LockedKernel& entry)> depends;
};

LockedCheck check_locked(const Lock& lock, const std::vector<Dependency>& declared, const LockedCache& cache);

}  // namespace kernels::lockfile
