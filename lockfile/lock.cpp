#include "lockfile/lock.hpp"

namespace kernels::lockfile {

const VariantLock* LockedKernel::find_variant(std::string_view name) const {
  for (const auto& v : variants)
    if (v.name == name) return &v;
  return nullptr;
}

const LockedKernel* Lock::find(std::string_view repo_id) const {
  for (const auto& k : kernels)
    if (k.repo_id == repo_id) return &k;
  return nullptr;
}

}  // namespace kernels::lockfile
