// Turns a project's dependencies into a Lock, as `kernels lock` does. For
// each dependency: read its kernel-status.toml at main (a redirect), find the
// commit (version N: the head of branch vN; a revision: the commit the Hub
// resolves it to; or a pinned commit the caller keeps), and list the whole
// tree at that commit. Then, by format:
//  - variant-hashes: follow the redirect (one hop; the entry records the
//    destination) and hash every variant under build/torch* (git_lfs_concat);
//    one entry per declared dependency, in their order.
//  - kernels-data: no redirect is followed (as upstream's lock does; a
//    redirect becomes a notice), no hashes; every kernel named by the
//    `kernel-depends` of the locked variants' metadata.json is locked too,
//    recursively, once per (repo, version or revision); a cycle is an error.
// Kernels are resolved concurrently, a level of the dependency graph at a
// time, by a bounded pool sharing one RepoSource (a HubClient shares its
// connections; tests use a CacheSource over a hand-written cache), and
// metadata.json files are fetched concurrently through the HF cache. Offline,
// everything comes from the cache or the resolution fails naming what the
// cache lacks. No terminal I/O: progress goes through a callback.
#pragma once

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "hub/source.hpp"
#include "lockfile/dependencies.hpp"
#include "lockfile/lock.hpp"
#include "util/result.hpp"

namespace kernels::lockfile {

// A kernels-data dependency as one string that sorts the way kernels-data
// sorts (repo id bytewise, versions numerically before revisions bytewise):
// used as a map key. Variant-hashes entries (no version, no revision) key by
// repo id alone.
std::string dependency_key(const std::string& repo_id, const std::optional<std::uint64_t>& version,
                           const std::optional<std::string>& revision);
std::string dependency_key(const LockedKernel& kernel);
std::string dependency_key(const Dependency& dependency);

// "org/name (version 1)", "org/name (revision main)" or "org/name".
std::string dependency_text(const std::string& repo_id, const std::optional<std::uint64_t>& version,
                            const std::optional<std::string>& revision);

// One locked kernel, with what was followed on the way.
struct ResolvedKernel {
  Dependency dependency;                    // as declared, or as a kernel-depends names it
  std::string redirected_from;              // variant-hashes: the repo id asked for, when a redirect was followed
  std::string redirect_ignored;             // kernels-data: the destination of a redirect that was not followed
  std::optional<int> newer_version;         // the highest version N on the Hub, when above the one asked for
  std::map<int, std::string> branch_heads;  // v<N> branch -> head commit, when the refs were listed
  bool pinned = false;                      // the commit came from options.pinned, not from the Hub
  std::size_t variant_count = 0;            // build variants at the commit
  std::vector<std::string> depends_on;      // kernels-data: dependency_key of each kernel-depends, in order
  std::string required_by;                  // "" for a declared dependency, else the dependency_text that named it
  LockedKernel kernel;                      // the entry (repo_id is the destination of a followed redirect)
};

struct ResolveOptions {
  std::size_t jobs = 8;  // kernels resolved at once (at least 1)
  LockFormat format = LockFormat::VariantHashes;
  // A commit to lock `dependency` at without resolving its version (what
  // `--update` keeps and `--migrate` converts), or nullopt to resolve it.
  // `repo` is the repo the entry will name (after a followed redirect).
  std::function<std::optional<std::string>(const std::string& repo, const Dependency& dependency)> pinned;
  // Called as each kernel resolves, in completion order, from the workers;
  // calls never overlap.
  std::function<void(const ResolvedKernel&)> on_resolved;
  // At most this many kernels in one lock (a hostile kernel-depends graph
  // must not grow without bound).
  std::size_t max_kernels = 4096;
};

// Something a person should hear about a successful resolution.
struct Notice {
  enum class Kind { Redirect, NewerVersion };
  Kind kind;
  // Redirect: "WHERE: a/b redirects to c/d (its kernel-status.toml); the lock
  // records c/d". NewerVersion: Python's "You are using version 1 of 'a/b',
  // but version 2 is available."
  std::string text;

  friend bool operator==(const Notice&, const Notice&) = default;
};

struct Resolution {
  Lock lock;                            // variant-hashes: dependency order; kernels-data: sorted by dependency_key
  std::vector<ResolvedKernel> kernels;  // declared ones in order, then kernel-depends in discovery order
  std::vector<Notice> notices;          // in the order of `kernels`
};

// Resolves every dependency. Errors: one line per failed kernel ("WHERE:
// org/name (version 1): why"), the code being the first failure's (the Hub
// client's codes: RepoNotFound, VersionNotFound, network, offline, ...);
// code "duplicate" (variant-hashes) when two dependencies end at the same
// repo id, naming both; code "cycle" (kernels-data) for a kernel-depends
// cycle: "Cyclic kernel dependency detected: REPO" and the cycle's path;
// code "metadata" for a metadata.json that cannot be read.
Result<Resolution> resolve_lock(const hub::RepoSource& client, const std::vector<Dependency>& dependencies,
                                const ResolveOptions& options = {});

// The dependency_key of every kernel-depends of the variants at `commit`
// (each build/<variant>/metadata.json), once each, in listing order. What
// `kernels lock --locked` asks of an offline client.
Result<std::vector<std::string>> kernel_depends_at(const hub::RepoSource& client, const std::string& repo,
                                                   const std::string& commit);

}  // namespace kernels::lockfile
