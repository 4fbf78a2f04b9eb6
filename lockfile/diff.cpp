#include "lockfile/diff.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

#include "lockfile/resolve.hpp"

namespace kernels::lockfile {
namespace {

// Everything here is linear in the number of entries (hash maps, not
// searches per entry): a 200k-entry lock was quadratic, over 120 s.

// The first item with each key, by key.
template <class T, class Key>
std::unordered_map<std::string, const T*> first_by_key(const std::vector<T>& items, Key key) {
  std::unordered_map<std::string, const T*> out;
  out.reserve(items.size());
  for (const auto& x : items) out.emplace(key(x), &x);
  return out;
}

// Each item, or nullptr where an earlier item has the same key.
template <class T, class Key>
std::vector<const T*> firsts_by(const std::vector<T>& items, Key key) {
  std::unordered_set<std::string> seen;
  std::vector<const T*> out;
  out.reserve(items.size());
  for (const auto& x : items) out.push_back(seen.insert(key(x)).second ? &x : nullptr);
  return out;
}

// Old and new lists of keys that are in both, each in its own order: equal iff same order.
template <class T, class Key>
bool common_order_differs(const std::vector<T>& before, const std::vector<T>& after, Key key) {
  auto keys = [&](const std::vector<T>& list) {
    std::unordered_set<std::string> out;
    for (const auto& x : list) out.insert(key(x));
    return out;
  };
  auto in_before = keys(before), in_after = keys(after);
  std::vector<std::string> a, b;
  for (const auto* x : firsts_by(before, key))
    if (x && in_after.count(key(*x))) a.push_back(key(*x));
  for (const auto* x : firsts_by(after, key))
    if (x && in_before.count(key(*x))) b.push_back(key(*x));
  return a != b;
}

std::vector<VariantChange> diff_variants(const LockedKernel& before, const LockedKernel& after) {
  std::vector<VariantChange> changes;
  auto name = [](const VariantLock& v) { return v.name; };
  auto old_by_name = first_by_key(before.variants, name);
  auto new_by_name = first_by_key(after.variants, name);
  for (const auto& v : after.variants) {
    auto it = old_by_name.find(v.name);
    const VariantLock* old = it == old_by_name.end() ? nullptr : it->second;
    if (!old) changes.push_back({Change::Added, v.name, std::nullopt, v});
    else if (old->hash != v.hash || old->hash_type != v.hash_type)
      changes.push_back({Change::Modified, v.name, *old, v});
  }
  auto firsts = firsts_by(before.variants, name);
  for (std::size_t i = 0; i < before.variants.size(); ++i) {
    const auto& v = before.variants[i];
    if (!firsts[i] || !new_by_name.count(v.name)) changes.push_back({Change::Removed, v.name, v, std::nullopt});
  }
  return changes;
}

std::string label(const LockedKernel& k) { return dependency_text(k.repo_id, k.version, k.revision); }

std::string hash_text(const VariantLock& v) {
  return v.hash_type == kGitLfsConcat ? v.hash : v.hash + " (hash_type " + v.hash_type + ")";
}

}  // namespace

LockDiff diff_locks(const Lock* before, const Lock& after) {
  LockDiff diff;
  static const Lock kNone;
  if (!before) {
    diff.old_missing = true;
    before = &kNone;
  }
  // kernels-data entries are dependencies (a repo may be locked at two
  // versions); otherwise, and across formats, an entry is its repo.
  bool by_dependency =
      before->format == LockFormat::KernelsData && after.format == LockFormat::KernelsData && !diff.old_missing;
  diff.format_changed = !diff.old_missing && before->format != after.format;
  auto repo = [by_dependency](const LockedKernel& k) { return by_dependency ? dependency_key(k) : k.repo_id; };
  auto old_by_repo = first_by_key(before->kernels, repo);
  auto new_by_repo = first_by_key(after.kernels, repo);
  for (const auto& k : after.kernels) {
    auto it = old_by_repo.find(repo(k));
    const LockedKernel* old = it == old_by_repo.end() ? nullptr : it->second;
    if (!old) {
      diff.kernels.push_back({Change::Added, k.repo_id, "", k.sha, {}, false, label(k)});
      continue;
    }
    KernelChange change{Change::Modified,
                        k.repo_id,
                        old->sha,
                        k.sha,
                        diff.format_changed ? std::vector<VariantChange>{} : diff_variants(*old, k),
                        false,
                        label(k)};
    change.variants_reordered =
        change.variants.empty() && !diff.format_changed &&
        common_order_differs(old->variants, k.variants, [](const VariantLock& v) { return v.name; });
    if (old->sha != k.sha || !change.variants.empty() || change.variants_reordered)
      diff.kernels.push_back(std::move(change));
  }
  auto firsts = firsts_by(before->kernels, repo);
  for (std::size_t i = 0; i < before->kernels.size(); ++i) {
    const auto& k = before->kernels[i];
    if (!firsts[i] || !new_by_repo.count(repo(k)))
      diff.kernels.push_back({Change::Removed, k.repo_id, k.sha, "", {}, false, label(k)});
  }
  // kernels-data is sorted when written: its order is never a change.
  diff.kernels_reordered =
      !by_dependency && !diff.format_changed && common_order_differs(before->kernels, after.kernels, repo);
  return diff;
}

std::vector<std::string> render_diff(const LockDiff& diff) {
  std::vector<std::string> lines;
  if (diff.old_missing) lines.push_back("no kernels.lock yet");
  if (diff.format_changed) lines.push_back("the lock format changes");
  for (const auto& k : diff.kernels) {
    const std::string& what = k.label.empty() ? k.repo_id : k.label;
    switch (k.change) {
      case Change::Added: lines.push_back("+ " + what + ": new, at commit " + k.new_sha); break;
      case Change::Removed:
        lines.push_back("- " + what + ": no longer a dependency (was at commit " + k.old_sha + ")");
        break;
      case Change::Modified:
        if (k.old_sha != k.new_sha) lines.push_back("~ " + what + ": commit " + k.old_sha + " -> " + k.new_sha);
        else if (k.variants.empty() && !k.variants_reordered)
          lines.push_back("~ " + what + ": same commit " + k.new_sha);
        else lines.push_back("~ " + what + ": same commit " + k.new_sha + ", variants differ");
        for (const auto& v : k.variants) {
          switch (v.change) {
            case Change::Added: lines.push_back("    + " + v.name + ": " + hash_text(*v.after)); break;
            case Change::Removed: lines.push_back("    - " + v.name + ": " + hash_text(*v.before)); break;
            case Change::Modified:
              lines.push_back("    ~ " + v.name + ": " + hash_text(*v.before) + " -> " + hash_text(*v.after));
              break;
          }
        }
        if (k.variants_reordered) lines.push_back("    variants are listed in another order");
        break;
    }
  }
  if (diff.kernels_reordered) lines.push_back("the kernels are listed in another order");
  return lines;
}

}  // namespace kernels::lockfile
