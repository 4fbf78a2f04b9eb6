#include "lockfile/writer.hpp"

#include <algorithm>
#include <numeric>
#include <string_view>
#include <vector>

#include "lockfile/kernels_data.hpp"
#include "lockfile/python_json.hpp"
#include "lockfile/serde_json.hpp"

namespace kernels::lockfile {
namespace {

// Appends `indent` spaces, then "key": "value" (both escaped as Python does).
Status append_member(std::string& out, int indent, std::string_view key, std::string_view value) {
  auto k = python_json_string(key);
  if (!k.ok()) return k.error();
  auto v = python_json_string(value);
  if (!v.ok()) return v.error();
  out.append(static_cast<std::size_t>(indent), ' ');
  out += *k;
  out += ": ";
  out += *v;
  return ok_status();
}

// kernels-data: serde_json::to_string_pretty of KernelLocks.
Result<std::string> serialize_kernels_data(const Lock& lock) {
  auto named = [&](std::size_t i) {
    return "cannot write a kernels-data lock: entry " + std::to_string(i + 1) + " (" + lock.kernels[i].repo_id + ")";
  };
  for (std::size_t i = 0; i < lock.kernels.size(); ++i) {
    const LockedKernel& k = lock.kernels[i];
    if (k.version && k.revision) return Error{ErrorCode::format, named(i) + " has both a version and a revision"};
    if (!k.version && !k.revision) return Error{ErrorCode::format, named(i) + " has neither a version nor a revision"};
    if (!detail::is_canonical_oid(k.sha))
      return Error{ErrorCode::format,
                   named(i) + " has the commit \"" + k.sha + "\", expected 40 or 64 lowercase hexadecimal digits"};
  }
  if (lock.kernels.empty()) return std::string("[]");
  // BTreeMap order; equal neighbours are one dependency locked twice.
  std::vector<std::size_t> order(lock.kernels.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return dependency_less(lock.kernels[a], lock.kernels[b]); });
  for (std::size_t j = 1; j < order.size(); ++j) {
    const LockedKernel& a = lock.kernels[order[j - 1]];
    const LockedKernel& b = lock.kernels[order[j]];
    if (!dependency_less(a, b))
      return Error{ErrorCode::duplicate, "cannot write a kernels-data lock: " + b.repo_id + " " +
                                             describe_dependency(b) + " is locked twice (entries " +
                                             std::to_string(order[j - 1] + 1) + " and " + std::to_string(order[j] + 1) +
                                             ")"};
  }
  std::string out = "[";
  for (std::size_t j = 0; j < order.size(); ++j) {
    const LockedKernel& k = lock.kernels[order[j]];
    auto repo_id = serde_json_string(k.repo_id);
    if (!repo_id.ok()) return repo_id.error();
    out += j == 0 ? "\n  {\n    \"dependency\": {\n      \"repo-id\": "
                  : ",\n  {\n    \"dependency\": {\n      \"repo-id\": ";
    out += *repo_id;
    if (k.version) {
      out += ",\n      \"version\": ";
      out += std::to_string(*k.version);
    } else {
      auto revision = serde_json_string(*k.revision);
      if (!revision.ok()) return revision.error();
      out += ",\n      \"revision\": ";
      out += *revision;
    }
    out += "\n    },\n    \"lock\": {\n      \"commit\": \"";
    out += k.sha;  // lowercase hex, checked above
    out += "\"\n    }\n  }";
  }
  out += "\n]";
  return out;
}

}  // namespace

Result<std::string> serialize_lock(const Lock& lock) {
  if (lock.format == LockFormat::KernelsData) return serialize_kernels_data(lock);
  if (lock.kernels.empty()) return std::string("[]");
  std::string out = "[";
  for (std::size_t i = 0; i < lock.kernels.size(); ++i) {
    const LockedKernel& kernel = lock.kernels[i];
    out += i == 0 ? "\n  {\n" : ",\n  {\n";
    if (auto s = append_member(out, 4, "repo_id", kernel.repo_id); !s.ok()) return s.error();
    out += ",\n";
    if (auto s = append_member(out, 4, "sha", kernel.sha); !s.ok()) return s.error();
    out += ",\n    \"variants\": ";
    if (kernel.variants.empty()) {
      out += "{}";
    } else {
      out += "{";
      for (std::size_t j = 0; j < kernel.variants.size(); ++j) {
        const VariantLock& variant = kernel.variants[j];
        auto name = python_json_string(variant.name);
        if (!name.ok()) return name.error();
        out += j == 0 ? "\n      " : ",\n      ";
        out += *name;
        out += ": {\n";
        if (auto s = append_member(out, 8, "hash", variant.hash); !s.ok()) return s.error();
        out += ",\n";
        if (auto s = append_member(out, 8, "hash_type", variant.hash_type); !s.ok()) return s.error();
        out += "\n      }";
      }
      out += "\n    }";
    }
    out += "\n  }";
  }
  out += "\n]";
  return out;
}

}  // namespace kernels::lockfile
