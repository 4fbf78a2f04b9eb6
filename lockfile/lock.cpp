#include "lockfile/lock.hpp"

namespace kernels::lockfile {

std::string_view format_name(LockFormat format) {
  return format == LockFormat::KernelsData ? "kernels-data" : "variant-hashes";
}

std::optional<LockFormat> parse_format_name(std::string_view name) {
  if (name == "kernels-data") return LockFormat::KernelsData;
  if (name == "variant-hashes") return LockFormat::VariantHashes;
  return std::nullopt;
}

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

namespace {

// 0 for a version, 1 for a revision, 2 for neither (see dependency_less).
int dependency_rank(const LockedKernel& k) { return k.version ? 0 : k.revision ? 1 : 2; }

}  // namespace

bool dependency_less(const LockedKernel& a, const LockedKernel& b) {
  if (int c = a.repo_id.compare(b.repo_id); c != 0) return c < 0;  // char_traits<char>: bytewise, unsigned
  int ra = dependency_rank(a), rb = dependency_rank(b);
  if (ra != rb) return ra < rb;
  if (ra == 0) return *a.version < *b.version;
  if (ra == 1) return a.revision->compare(*b.revision) < 0;
  return false;
}

std::string describe_dependency(const LockedKernel& kernel) {
  if (kernel.version) return "version " + std::to_string(*kernel.version);
  if (kernel.revision) return "revision \"" + *kernel.revision + "\"";
  return "no version";
}

}  // namespace kernels::lockfile
