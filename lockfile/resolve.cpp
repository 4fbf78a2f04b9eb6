#include "lockfile/resolve.hpp"

#include <algorithm>
#include <climits>
#include <cstdio>
#include <exception>
#include <map>
#include <mutex>
#include <set>

#include "hub/hf_cache.hpp"
#include "hub/repo_id.hpp"
#include "hub/versions.hpp"
#include "lockfile/hash.hpp"
#include "lockfile/metadata.hpp"
#include "util/parallel.hpp"

namespace kernels::lockfile {
namespace {

// build/<variant>/metadata.json, the files whose kernel-depends are locked.
bool is_variant_metadata(const hub::TreeEntryView& e) {
  if (e.is_directory || e.path.substr(0, 6) != "build/") return false;
  std::string_view rest = e.path.substr(6);
  auto slash = rest.find('/');
  return slash != std::string_view::npos && slash > 0 && rest.substr(slash + 1) == "metadata.json";
}

std::size_t count_variants(const hub::TreeListing& listing) {
  std::set<std::string, std::less<>> names;
  for (const auto& e : listing) {
    if (e.path.substr(0, 6) != "build/") continue;
    std::string_view rest = e.path.substr(6);
    auto slash = rest.find('/');
    std::string_view name = slash != std::string_view::npos ? rest.substr(0, slash) : rest;
    if ((slash != std::string_view::npos || e.is_directory) && names.find(name) == names.end()) names.emplace(name);
  }
  return names.size();
}

// One kernel to resolve, and what resolving it gave.
struct Node {
  ResolvedKernel resolved;
  std::vector<std::string> metadata_paths;  // kernels-data only
  std::optional<Error> error;
};

class Resolver {
 public:
  Resolver(const hub::RepoSource& client, const ResolveOptions& options) : client_(client), options_(options) {}

  Result<ResolvedKernel> resolve(const Dependency& dep, std::vector<std::string>& metadata_paths) const {
    ResolvedKernel out;
    out.dependency = dep;
    std::string repo = dep.repo_id;
    // A revision goes into URLs and, offline, into a path under refs/.
    if (dep.revision)
      if (auto bad = hub::revision_problem(*dep.revision)) return Error{ErrorCode::dependency, "revision: " + *bad};
    const bool hashes = options_.format == LockFormat::VariantHashes;

    // The redirect decides the lock's repo for variant-hashes, so it must be
    // known (offline too); for kernels-data it is only worth a notice.
    if (hashes || !client_.offline()) {
      auto redirect = client_.kernel_status(repo, "main");
      if (!redirect.ok()) return redirect.error();
      if (*redirect && hashes) {
        out.redirected_from = repo;
        repo = (*redirect)->destination;
      } else if (*redirect) {
        out.redirect_ignored = (*redirect)->destination;
      }
    }

    std::string commit;
    std::optional<std::string> pin = options_.pinned ? options_.pinned(repo, dep) : std::nullopt;
    if (pin) {
      commit = *pin;
      out.pinned = true;
    } else if (dep.version) {
      auto refs = client_.list_refs(repo);
      if (!refs.ok()) return refs.error();
      if (*dep.version > static_cast<std::uint64_t>(INT_MAX)) {
        return Error{ErrorCode::version_not_found, "Version " + std::to_string(*dep.version) + " not found"};
      }
      int wanted = static_cast<int>(*dep.version);
      auto branch = hub::resolve_version(repo, *refs, wanted);
      auto versions = hub::versions_from_refs(*refs);
      if (!branch.ok() && client_.offline()) {
        // Offline, the cached refs are only those some run recorded: a version
        // missing from them may well be on the Hub.
        std::string cached = hub::version_list(versions);
        return Error{ErrorCode::offline,
                     "Offline mode: version " + std::to_string(wanted) + " of " + repo +
                         " is not in the cache (cached versions: " + (cached.empty() ? "none" : cached) +
                         "). `kernels lock` online records the versions it resolves; or unset "
                         "HF_HUB_OFFLINE / drop --offline"};
      }
      if (!branch.ok()) return branch.error();
      for (const auto& [n, ref] : versions) out.branch_heads[n] = ref.target_commit;
      if (!versions.empty() && versions.rbegin()->first > wanted) out.newer_version = versions.rbegin()->first;
      commit = branch->target_commit;
      // So that a later offline lock finds version N where huggingface_hub
      // would; only a record, so a read-only cache is no failure.
      if (hub::is_commit_hash(commit)) (void)client_.record_ref(repo, "v" + std::to_string(wanted), commit);
    } else {
      auto info = client_.repo_info(repo, *dep.revision);
      if (!info.ok()) return info.error();
      commit = info->sha;
    }
    if (!hub::is_commit_hash(commit)) {
      return Error{ErrorCode::bad_response, "the Hub named '" + commit + "' as the commit of " + dep.ref() +
                                                ", which is not a 40-hex commit id"};
    }

    auto listing = client_.list_commit_tree(repo, commit);
    if (!listing.ok()) return listing.error();
    out.variant_count = count_variants(*listing);
    out.kernel.repo_id = repo;
    out.kernel.sha = commit;
    if (hashes) {
      auto variants = git_lfs_concat_variants(*listing);
      if (!variants.ok()) return variants.error();
      out.kernel.variants = std::move(*variants);
      out.variant_count = out.kernel.variants.size();
    } else {
      out.kernel.version = dep.version;
      out.kernel.revision = dep.revision;
      for (const auto& e : *listing)
        if (is_variant_metadata(e)) metadata_paths.emplace_back(e.path);
    }
    return out;
  }

  // The kernel-depends of one metadata.json.
  Result<std::vector<MetadataKernelDependency>> depends(const std::string& repo, const std::string& commit,
                                                        const std::string& path) const {
    auto bytes = client_.cached_file(repo, commit, path, kMaxMetadataBytes);
    if (!bytes.ok()) return bytes.error();
    auto metadata = parse_metadata(std::move(*bytes), repo + "@" + commit.substr(0, 12) + ":" + path);
    if (!metadata.ok()) return Error{ErrorCode::metadata, metadata.error().message};
    for (const auto& d : metadata->kernel_depends) {
      // Names from a file on the Hub: checked before any request uses them.
      if (auto bad = hub::validate_repo_id(d.repo_id); !bad.ok())
        return Error{ErrorCode::metadata, repo + ":" + path + ": kernel-depends names \"" + d.repo_id.substr(0, 200) +
                                              "\": " + bad.error().message};
      if (d.revision)
        if (auto bad = hub::revision_problem(*d.revision))
          return Error{ErrorCode::metadata, repo + ":" + path + ": kernel-depends " + d.repo_id + " has revision \"" +
                                                d.revision->substr(0, 200) + "\": " + *bad};
    }
    return std::move(metadata->kernel_depends);
  }

 private:
  const hub::RepoSource& client_;
  const ResolveOptions& options_;
};

std::string ask_text(const Dependency& d) {
  return d.version ? "version " + std::to_string(*d.version) : "revision " + d.revision.value_or("");
}

// Runs fn(i) for i < count on the pool, turning an escaping exception into
// an error for that item (a worker must not take the process down).
void run_pool(std::size_t count, std::size_t jobs, const std::function<std::optional<Error>(std::size_t)>& fn,
              std::vector<std::optional<Error>>& errors) {
  errors.assign(count, std::nullopt);
  parallel_for(count, std::max<std::size_t>(jobs, 1), [&](std::size_t i) {
    try {
      errors[i] = fn(i);
    } catch (const std::exception& e) {
      errors[i] = Error{ErrorCode::internal, std::string("unexpected failure: ") + e.what()};
    }
  });
}

// The first cycle of the kernel-depends graph reachable from `roots`, as
// the keys along it (first == last), or empty.
std::vector<std::string> find_cycle(const std::map<std::string, Node>& nodes, const std::vector<std::string>& roots) {
  enum class Mark { New, Active, Done };
  std::map<std::string, Mark> marks;
  std::vector<std::string> path;
  std::vector<std::string> cycle;
  std::function<bool(const std::string&)> visit = [&](const std::string& key) {
    Mark& m = marks[key];
    if (m == Mark::Done) return false;
    if (m == Mark::Active) {
      auto at = std::find(path.begin(), path.end(), key);
      cycle.assign(at, path.end());
      cycle.push_back(key);
      return true;
    }
    m = Mark::Active;
    path.push_back(key);
    auto it = nodes.find(key);
    if (it != nodes.end())
      for (const auto& child : it->second.resolved.depends_on)
        if (visit(child)) return true;
    path.pop_back();
    marks[key] = Mark::Done;
    return false;
  };
  for (const auto& r : roots)
    if (visit(r)) return cycle;
  return {};
}

}  // namespace

std::string dependency_key(const std::string& repo_id, const std::optional<std::uint64_t>& version,
                           const std::optional<std::string>& revision) {
  std::string key = repo_id;
  key += '\0';
  if (version) {
    char digits[24];
    std::snprintf(digits, sizeof digits, "%020llu", static_cast<unsigned long long>(*version));
    key += '0';
    key += digits;
  } else if (revision) {
    key += '1';
    key += *revision;
  }
  return key;
}

std::string dependency_key(const LockedKernel& kernel) {
  return dependency_key(kernel.repo_id, kernel.version, kernel.revision);
}

std::string dependency_key(const Dependency& dependency) {
  return dependency_key(dependency.repo_id, dependency.version, dependency.revision);
}

std::string dependency_text(const std::string& repo_id, const std::optional<std::uint64_t>& version,
                            const std::optional<std::string>& revision) {
  if (version) return repo_id + " (version " + std::to_string(*version) + ")";
  if (revision) return repo_id + " (revision " + *revision + ")";
  return repo_id;
}

Result<std::vector<std::string>> kernel_depends_at(const hub::RepoSource& client, const std::string& repo,
                                                   const std::string& commit) {
  auto listing = client.list_commit_tree(repo, commit);
  if (!listing.ok()) return listing.error();
  ResolveOptions options;
  options.format = LockFormat::KernelsData;
  Resolver resolver(client, options);
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (const auto& e : *listing) {
    if (!is_variant_metadata(e)) continue;
    auto deps = resolver.depends(repo, commit, std::string(e.path));
    if (!deps.ok()) return deps.error();
    for (const auto& d : *deps) {
      std::string key = dependency_key(d.repo_id, d.version, d.revision);
      if (seen.insert(key).second) out.push_back(key);
    }
  }
  return out;
}

Result<Resolution> resolve_lock(const hub::RepoSource& client, const std::vector<Dependency>& dependencies,
                                const ResolveOptions& options) {
  const bool hashes = options.format == LockFormat::VariantHashes;
  Resolver resolver(client, options);
  std::map<std::string, Node> nodes;  // by dependency_key of what was asked
  std::vector<std::string> order;     // keys in discovery order
  std::vector<std::string> roots;
  std::mutex report_mutex;

  // Declared dependencies first; for variant-hashes two with one key cannot
  // happen (one per repo), for kernels-data the first mention counts.
  std::vector<std::string> frontier;
  for (const auto& d : dependencies) {
    std::string key = hashes ? "#" + std::to_string(order.size()) : dependency_key(d);
    if (!nodes.emplace(key, Node{}).second) continue;
    nodes[key].resolved.dependency = d;
    order.push_back(key);
    roots.push_back(key);
    frontier.push_back(key);
  }

  std::string failures;
  std::optional<ErrorCode> first_code;
  auto fail_line = [&](const Dependency& d, const Error& e) {
    if (!first_code) first_code = e.code;
    if (!failures.empty()) failures += "\n";
    failures += d.where + ": " + d.repo_id + " (" + ask_text(d) + "): " + e.message;
  };

  while (!frontier.empty()) {
    // Resolve this level's kernels.
    // std::map nodes never move, and the workers touch only their own.
    std::vector<Node*> level;
    level.reserve(frontier.size());
    for (const auto& key : frontier) level.push_back(&nodes[key]);
    std::vector<std::optional<Error>> errors;
    run_pool(
        level.size(), options.jobs,
        [&](std::size_t i) -> std::optional<Error> {
          Node& node = *level[i];
          auto r = resolver.resolve(node.resolved.dependency, node.metadata_paths);
          if (!r.ok()) return r.error();
          std::string required_by = node.resolved.required_by;
          node.resolved = std::move(*r);
          node.resolved.required_by = required_by;
          if (options.on_resolved) {
            std::lock_guard lock(report_mutex);
            options.on_resolved(node.resolved);
          }
          return std::nullopt;
        },
        errors);
    for (std::size_t i = 0; i < level.size(); ++i)
      if (errors[i]) fail_line(level[i]->resolved.dependency, *errors[i]);
    if (!failures.empty()) return Error{*first_code, failures};
    if (hashes) break;

    // Their metadata.json files, all at once.
    struct Fetch {
      Node* node;
      std::string path;
      std::vector<MetadataKernelDependency> depends;
    };
    std::vector<Fetch> fetches;
    for (Node* node : level)
      for (const auto& path : node->metadata_paths) fetches.push_back({node, path, {}});
    run_pool(
        fetches.size(), options.jobs,
        [&](std::size_t i) -> std::optional<Error> {
          const Node& node = *fetches[i].node;
          auto d = resolver.depends(node.resolved.kernel.repo_id, node.resolved.kernel.sha, fetches[i].path);
          if (!d.ok()) return d.error();
          fetches[i].depends = std::move(*d);
          return std::nullopt;
        },
        errors);
    for (std::size_t i = 0; i < fetches.size(); ++i)
      if (errors[i]) fail_line(fetches[i].node->resolved.dependency, *errors[i]);
    if (!failures.empty()) return Error{*first_code, failures};

    // The next level: what they depend on that is not locked yet.
    std::vector<std::string> next;
    for (const auto& f : fetches) {
      Node& parent = *f.node;
      for (const auto& dep : f.depends) {
        std::string key = dependency_key(dep.repo_id, dep.version, dep.revision);
        auto& children = parent.resolved.depends_on;
        if (std::find(children.begin(), children.end(), key) == children.end()) children.push_back(key);
        if (nodes.count(key)) continue;
        if (nodes.size() >= options.max_kernels) {
          return Error{ErrorCode::limit, "more than " + std::to_string(options.max_kernels) +
                                             " kernels in the kernel-depends graph; refusing to lock it"};
        }
        Node child;
        child.resolved.dependency =
            Dependency{dep.repo_id, dep.version, dep.revision,
                       "kernel-depends of " + parent.resolved.kernel.repo_id + " (" + f.path + ")"};
        child.resolved.required_by =
            dependency_text(parent.resolved.dependency.repo_id, parent.resolved.dependency.version,
                            parent.resolved.dependency.revision);
        nodes.emplace(key, std::move(child));
        order.push_back(key);
        next.push_back(key);
      }
    }
    frontier = std::move(next);
  }

  if (!hashes) {
    auto cycle = find_cycle(nodes, roots);
    if (!cycle.empty()) {
      std::string path;
      for (const auto& key : cycle) {
        const Dependency& d = nodes[key].resolved.dependency;
        if (!path.empty()) path += " -> ";
        path += dependency_text(d.repo_id, d.version, d.revision);
      }
      return Error{ErrorCode::cycle, "Cyclic kernel dependency detected: " +
                                         nodes[cycle.front()].resolved.dependency.repo_id + "\n" + path};
    }
  }

  Resolution out;
  out.lock.format = options.format;
  if (hashes) {
    std::map<std::string, std::size_t> seen;  // locked repo id -> position
    std::string duplicates;
    for (std::size_t i = 0; i < order.size(); ++i) {
      const ResolvedKernel& k = nodes[order[i]].resolved;
      auto [it, fresh] = seen.emplace(k.kernel.repo_id, i);
      if (fresh) continue;
      const ResolvedKernel& a = nodes[order[it->second]].resolved;
      auto via = [](const ResolvedKernel& r) {
        return r.dependency.where + " (" + r.dependency.repo_id +
               (r.redirected_from.empty() ? "" : ", which redirects there") + ")";
      };
      if (!duplicates.empty()) duplicates += "\n";
      duplicates += "Two dependencies lock " + k.kernel.repo_id + ": " + via(a) + " and " + via(k) +
                    "; a lock holds one entry per repo, so keep one of them";
    }
    if (!duplicates.empty()) return Error{ErrorCode::duplicate, duplicates};
  }

  for (const auto& key : order) {
    ResolvedKernel& k = nodes[key].resolved;
    const Dependency& d = k.dependency;
    if (!k.redirected_from.empty()) {
      out.notices.push_back(
          {Notice::Kind::Redirect, d.where + ": " + k.redirected_from + " redirects to " + k.kernel.repo_id +
                                       " (its kernel-status.toml); the lock records " + k.kernel.repo_id});
    }
    if (!k.redirect_ignored.empty()) {
      out.notices.push_back(
          {Notice::Kind::Redirect, d.where + ": " + d.repo_id + " redirects to " + k.redirect_ignored +
                                       " (its kernel-status.toml); the kernels-data format locks " + d.repo_id +
                                       " itself, as upstream does: depend on " + k.redirect_ignored + " to move"});
    }
    if (k.newer_version && d.version) {
      out.notices.push_back({Notice::Kind::NewerVersion, "You are using version " + std::to_string(*d.version) +
                                                             " of '" + k.kernel.repo_id + "', but version " +
                                                             std::to_string(*k.newer_version) + " is available."});
    }
    out.lock.kernels.push_back(k.kernel);
    out.kernels.push_back(std::move(k));
  }
  if (!hashes) {
    std::stable_sort(out.lock.kernels.begin(), out.lock.kernels.end(), dependency_less);
  }
  return out;
}

}  // namespace kernels::lockfile
