// Writes a Lock in its format (lock.format), byte for byte as the tool that
// owns the format writes it.
//
//  - variant-hashes: what Python's `kernels lock` writes,
//    json.dump(locks, f, indent=2) with ensure_ascii, i.e. two-space
//    indentation, ": " after keys, "," at line ends, "{}" for a kernel without
//    variants, "[]" for no kernels, \uXXXX escapes for anything outside
//    printable ASCII, keys in the order repo_id, sha, variants / hash,
//    hash_type, and no final newline. Entries and variants in the order held.
//    version and revision are not written.
//  - kernels-data: serde_json::to_string_pretty of kernels-data's KernelLocks:
//    the same layout ("[]" for no kernels), keys dependency, lock / repo-id,
//    version or revision (only the one set) / commit, non-ASCII as raw UTF-8
//    (serde_json.hpp), no final newline. Entries sorted by dependency
//    (dependency_less), whatever order they are held in. Variants are not
//    written (the format has none).
#pragma once

#include <string>

#include "lockfile/lock.hpp"
#include "util/result.hpp"

namespace kernels::lockfile {

// The file contents for `lock`. Errors: code "utf8" when a string in `lock`
// is not valid UTF-8 (neither Python nor Rust could hold such a string).
// kernels-data only, so that nothing is written that the reader refuses:
// code "format" for an entry without exactly one of version and revision or
// whose sha is not 40 or 64 lowercase hex digits, code "duplicate" for two
// entries with the same dependency (repo_id and version, or repo_id and
// revision).
Result<std::string> serialize_lock(const Lock& lock);

}  // namespace kernels::lockfile
