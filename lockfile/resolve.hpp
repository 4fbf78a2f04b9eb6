// Turns a project's dependencies into a Lock, as `kernels lock` does: for each
// dependency, follow a kernel-status.toml redirect read at main (one hop; the
// lock records the destination), find the commit (version N: the head of
// branch vN; a revision: the commit the Hub resolves it to), list the tree at
// that commit recursively and hash every variant under build/torch*
// (git_lfs_concat). Dependencies are resolved concurrently by a bounded pool
// of workers sharing one HubClient (and so its connections). No terminal I/O:
// progress goes through a callback.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "hub/client.hpp"
#include "lockfile/dependencies.hpp"
#include "lockfile/lock.hpp"
#include "util/result.hpp"

namespace kernels::lockfile {

// One dependency, resolved.
struct ResolvedKernel {
  std::size_t index = 0;              // its position in the dependency list
  std::string redirected_from;        // the repo id asked for, when a redirect was followed; else ""
  std::optional<int> newer_version;   // the highest version N on the Hub, when above the one asked for
  LockedKernel kernel;                // repo_id is the destination of a redirect
};

struct ResolveOptions {
  std::size_t jobs = 8;  // dependencies resolved at once (at least 1)
  // Called as each dependency resolves, in completion order, from the
  // workers; calls never overlap.
  std::function<void(const Dependency&, const ResolvedKernel&)> on_resolved;
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
  Lock lock;                            // one entry per dependency, in dependency order
  std::vector<ResolvedKernel> kernels;  // the same, with what was followed on the way
  std::vector<Notice> notices;          // in dependency order
};

// Resolves every dependency. Errors: one line per failed dependency
// ("WHERE: org/name: why"), the code being the first failure's (the Hub
// client's codes: RepoNotFound, VersionNotFound, network, offline, ...);
// code "duplicate" when two dependencies end at the same repo id (a lock
// holds one entry per repo), naming both.
Result<Resolution> resolve_lock(const hub::HubClient& client, const std::vector<Dependency>& dependencies,
                                const ResolveOptions& options = {});

// The variants of a Hub tree listing (hub::TreeEntry as the client returns
// it), hashed as kernels.lock wants them.
Result<std::vector<VariantLock>> variants_of_listing(const std::vector<hub::TreeEntry>& listing);

}  // namespace kernels::lockfile
