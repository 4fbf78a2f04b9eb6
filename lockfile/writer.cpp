#include "lockfile/writer.hpp"

#include <string_view>

#include "lockfile/python_json.hpp"

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

}  // namespace

Result<std::string> serialize_lock(const Lock& lock) {
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
