#include "lockfile/resolve.hpp"

#include <algorithm>
#include <climits>
#include <exception>
#include <map>
#include <mutex>

#include "hub/hf_cache.hpp"
#include "hub/versions.hpp"
#include "lockfile/hash.hpp"
#include "util/parallel.hpp"

namespace kernels::lockfile {
namespace {

bool is_hex(const std::string& s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// Offline, a file's hash is the name of its blob in the cache; anything but
// a git oid (40 hex) or an LFS sha256 (64 hex) cannot stand for its contents.
Status check_cached_blob_names(const std::vector<hub::TreeEntry>& listing, const std::string& repo,
                               const std::string& commit) {
  for (const auto& e : listing) {
    if (e.is_directory || e.path.rfind("build/torch", 0) != 0) continue;
    const std::string& h = e.content_hash();
    if ((h.size() != 40 && h.size() != 64) || !is_hex(h)) {
      std::string why = h.empty() ? "is not a link into the cache's blobs/"
                                  : "is stored as blob '" + h + "', which is neither its git oid nor its LFS sha256";
      return Error{"offline", "Offline mode: the cached file " + e.path + " of " + repo + " at " + commit + " " + why +
                                  ", so its hash is unknown; lock once online"};
    }
  }
  return ok_status();
}

struct Outcome {
  std::optional<Result<ResolvedKernel>> result;
};

class Resolver {
 public:
  Resolver(const hub::HubClient& client, const std::vector<Dependency>& deps) : client_(client), deps_(deps) {}

  Result<ResolvedKernel> resolve(std::size_t index) const {
    const Dependency& dep = deps_[index];
    ResolvedKernel out;
    out.index = index;
    std::string repo = dep.repo_id;

    auto redirect = client_.kernel_status(repo, "main");
    if (!redirect.ok()) return redirect.error();
    if (*redirect) {
      out.redirected_from = repo;
      repo = (*redirect)->destination;
    }

    std::string commit;
    if (dep.version) {
      auto refs = client_.list_refs(repo);
      if (!refs.ok()) return refs.error();
      if (*dep.version > static_cast<std::uint64_t>(INT_MAX)) {
        return Error{"VersionNotFound", "Version " + std::to_string(*dep.version) + " not found"};
      }
      int wanted = static_cast<int>(*dep.version);
      auto branch = hub::resolve_version(repo, *refs, wanted);
      if (!branch.ok()) return branch.error();
      auto versions = hub::versions_from_refs(*refs);
      if (!versions.empty() && versions.rbegin()->first > wanted) out.newer_version = versions.rbegin()->first;
      commit = branch->target_commit;
    } else {
      auto info = client_.repo_info(repo, *dep.revision);
      if (!info.ok()) return info.error();
      commit = info->sha;
    }
    if (!hub::is_commit_hash(commit)) {
      return Error{"bad-response", "the Hub named '" + commit + "' as the commit of " + dep.ref() +
                                       ", which is not a 40-hex commit id"};
    }

    auto listing = client_.list_tree(repo, commit, "", true);
    if (!listing.ok()) return listing.error();
    if (client_.config().offline) {
      if (auto s = check_cached_blob_names(*listing, repo, commit); !s.ok()) return s.error();
    }
    auto variants = variants_of_listing(*listing);
    if (!variants.ok()) return variants.error();
    out.kernel = LockedKernel{repo, commit, std::move(*variants)};
    return out;
  }

 private:
  const hub::HubClient& client_;
  const std::vector<Dependency>& deps_;
};

std::string ask_text(const Dependency& d) {
  return d.version ? "version " + std::to_string(*d.version) : "revision " + *d.revision;
}

}  // namespace

Result<std::vector<VariantLock>> variants_of_listing(const std::vector<hub::TreeEntry>& listing) {
  std::vector<TreeEntry> entries;
  entries.reserve(listing.size());
  for (const auto& e : listing) {
    TreeEntry t;
    t.type = e.is_directory ? TreeEntry::Type::Directory : TreeEntry::Type::File;
    t.path = e.path;
    t.oid = e.oid;
    if (e.lfs) {
      t.lfs_sha256 = e.lfs->oid;
      // The HF cache names an LFS file's blob by its sha256 only; the
      // pointer's git id is not known offline, and the hash never uses it.
      if (t.oid.empty()) t.oid = e.lfs->oid;
    }
    entries.push_back(std::move(t));
  }
  return git_lfs_concat_variants(entries);
}

Result<Resolution> resolve_lock(const hub::HubClient& client, const std::vector<Dependency>& dependencies,
                                const ResolveOptions& options) {
  Resolver resolver(client, dependencies);
  std::vector<Outcome> outcomes(dependencies.size());
  std::mutex report_mutex;
  parallel_for(dependencies.size(), std::max<std::size_t>(options.jobs, 1), [&](std::size_t i) {
    Result<ResolvedKernel> r = Error{"internal", "not resolved"};
    try {
      r = resolver.resolve(i);
    } catch (const std::exception& e) {  // a worker must not take the process down
      r = Error{"internal", std::string("unexpected failure: ") + e.what()};
    }
    if (r.ok() && options.on_resolved) {
      std::lock_guard lock(report_mutex);
      options.on_resolved(dependencies[i], *r);
    }
    outcomes[i].result = std::move(r);
  });

  std::string failures;
  std::string first_code;
  for (std::size_t i = 0; i < dependencies.size(); ++i) {
    const auto& r = *outcomes[i].result;
    if (r.ok()) continue;
    const Dependency& d = dependencies[i];
    if (first_code.empty()) first_code = r.error().code;
    if (!failures.empty()) failures += "\n";
    failures += d.where + ": " + d.repo_id + " (" + ask_text(d) + "): " + r.error().message;
  }
  if (!failures.empty()) return Error{first_code, failures};

  Resolution out;
  std::map<std::string, std::size_t> seen;  // locked repo id -> dependency index
  std::string duplicates;
  for (std::size_t i = 0; i < dependencies.size(); ++i) {
    ResolvedKernel& k = outcomes[i].result->value();
    auto [it, fresh] = seen.emplace(k.kernel.repo_id, i);
    if (!fresh) {
      const Dependency& a = dependencies[it->second];
      const Dependency& b = dependencies[i];
      auto via = [&](const Dependency& d, const ResolvedKernel& r) {
        return d.where + " (" + d.repo_id + (r.redirected_from.empty() ? "" : ", which redirects there") + ")";
      };
      if (!duplicates.empty()) duplicates += "\n";
      duplicates += "Two dependencies lock " + k.kernel.repo_id + ": " + via(a, *outcomes[it->second].result.value()) +
                    " and " + via(b, k) + "; a lock holds one entry per repo, so keep one of them";
    }
  }
  if (!duplicates.empty()) return Error{"duplicate", duplicates};

  for (std::size_t i = 0; i < dependencies.size(); ++i) {
    ResolvedKernel& k = outcomes[i].result->value();
    const Dependency& d = dependencies[i];
    if (!k.redirected_from.empty()) {
      out.notices.push_back({Notice::Kind::Redirect, d.where + ": " + k.redirected_from + " redirects to " +
                                                         k.kernel.repo_id + " (its kernel-status.toml); the lock records " +
                                                         k.kernel.repo_id});
    }
    if (k.newer_version && d.version) {
      out.notices.push_back({Notice::Kind::NewerVersion, "You are using version " + std::to_string(*d.version) +
                                                             " of '" + k.kernel.repo_id + "', but version " +
                                                             std::to_string(*k.newer_version) + " is available."});
    }
    out.lock.kernels.push_back(k.kernel);
    out.kernels.push_back(std::move(k));
  }
  return out;
}

}  // namespace kernels::lockfile
