#include "lockfile/locked_check.hpp"

#include <map>
#include <set>

#include "lockfile/resolve.hpp"

namespace kernels::lockfile {
namespace {

std::string declared_text(const Dependency& d) {
  return d.where + ": " + dependency_text(d.repo_id, d.version, d.revision);
}

LockedCheck check_kernels_data(const Lock& lock, const std::vector<Dependency>& declared, const LockedCache& cache) {
  LockedCheck out;
  std::map<std::string, const LockedKernel*> by_key;
  std::multimap<std::string, const LockedKernel*> by_repo;
  for (const auto& k : lock.kernels) {
    by_key.emplace(dependency_key(k), &k);
    by_repo.emplace(k.repo_id, &k);
  }
  std::set<std::string> accounted;  // keys matched by a declaration (or re-pinned)
  std::vector<std::string> roots;
  for (const auto& d : declared) {
    std::string key = dependency_key(d);
    if (by_key.count(key)) {
      accounted.insert(key);
      roots.push_back(key);
      continue;
    }
    auto [first, last] = by_repo.equal_range(d.repo_id);
    if (first != last) {
      std::string locked;
      for (auto it = first; it != last; ++it) {
        accounted.insert(dependency_key(*it->second));
        if (!locked.empty()) locked += ", ";
        locked += it->second->version ? "version " + std::to_string(*it->second->version)
                                      : "revision " + it->second->revision.value_or("");
      }
      out.problems.push_back({LockedProblem::Kind::Repinned, d.repo_id,
                              declared_text(d) + " is declared, but the lock has " + d.repo_id + " at " + locked});
      continue;
    }
    out.problems.push_back(
        {LockedProblem::Kind::Added, d.repo_id, declared_text(d) + " is declared but not in the lock"});
  }

  // What the declared entries reach through kernel-depends, where the cache knows.
  std::set<std::string> reached(roots.begin(), roots.end());
  std::vector<std::string> todo = roots;
  bool complete = true;
  while (!todo.empty()) {
    std::string key = todo.back();
    todo.pop_back();
    auto it = by_key.find(key);
    if (it == by_key.end()) continue;
    auto deps = cache.depends ? cache.depends(*it->second) : std::nullopt;
    if (!deps) {
      complete = false;
      continue;
    }
    for (const auto& child : *deps)
      if (reached.insert(child).second) todo.push_back(child);
  }
  for (const auto& k : lock.kernels) {
    std::string key = dependency_key(k);
    if (accounted.count(key) || reached.count(key)) continue;
    std::string what = dependency_text(k.repo_id, k.version, k.revision);
    if (complete) {
      out.problems.push_back(
          {LockedProblem::Kind::Removed, k.repo_id,
           what + " is in the lock, but neither declared nor a kernel-depends of a declared kernel"});
    } else {
      out.notes.push_back(what +
                          " is not declared; taken as a kernel-depends of another entry (the cache lacks the "
                          "metadata.json to check it offline; `kernels lock --check` does)");
    }
  }
  return out;
}

LockedCheck check_variant_hashes(const Lock& lock, const std::vector<Dependency>& declared, const LockedCache& cache) {
  LockedCheck out;
  std::set<std::string> locked;
  for (const auto& k : lock.kernels) locked.insert(k.repo_id);
  std::set<std::string> matched;
  for (const auto& d : declared) {
    if (locked.count(d.repo_id)) {
      matched.insert(d.repo_id);
      continue;
    }
    std::optional<std::string> destination = cache.redirect ? cache.redirect(d.repo_id) : std::nullopt;
    if (destination && !destination->empty() && locked.count(*destination)) {
      matched.insert(*destination);
      continue;
    }
    std::string text = declared_text(d) + " is declared but not in the lock";
    if (!destination)
      text += " (if it redirects to a locked repo, the cache does not know; `kernels lock --check` does)";
    out.problems.push_back({LockedProblem::Kind::Added, d.repo_id, text});
  }
  for (const auto& k : lock.kernels) {
    if (matched.count(k.repo_id)) continue;
    out.problems.push_back({LockedProblem::Kind::Removed, k.repo_id,
                            k.repo_id + " is in the lock (at " + k.sha.substr(0, 12) + ") but not declared"});
    matched.insert(k.repo_id);  // a duplicate entry is reported once
  }
  return out;
}

}  // namespace

LockedCheck check_locked(const Lock& lock, const std::vector<Dependency>& declared, const LockedCache& cache) {
  return lock.format == LockFormat::KernelsData ? check_kernels_data(lock, declared, cache)
                                                : check_variant_hashes(lock, declared, cache);
}

}  // namespace kernels::lockfile
