// Writes a Lock as the bytes Python's `kernels lock` writes:
// json.dump(locks, f, indent=2) with ensure_ascii, i.e. two-space indentation,
// ": " after keys, "," at line ends, "{}" for a kernel without variants, "[]"
// for no kernels, \uXXXX escapes for anything outside printable ASCII, keys in
// the order repo_id, sha, variants / hash, hash_type, and no final newline.
#pragma once

#include <string>

#include "lockfile/lock.hpp"
#include "util/result.hpp"

namespace kernels::lockfile {

// The file contents for `lock`. Error (code "utf8") only when a string in
// `lock` is not valid UTF-8 (Python could not hold such a string either).
Result<std::string> serialize_lock(const Lock& lock);

}  // namespace kernels::lockfile
