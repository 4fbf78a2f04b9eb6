// kernels.lock on disk: writing it only when its bytes change, and checking
// whether it is current (`kernels lock --check`).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "lockfile/diff.hpp"
#include "lockfile/lock.hpp"
#include "util/result.hpp"

namespace kernels::lockfile {

enum class WriteOutcome { Created, Updated, Unchanged };

// Serializes `lock`; when `path` already holds exactly those bytes it is not
// touched (Unchanged), otherwise it is replaced atomically (temporary file,
// fsync, rename). On any error nothing is written and the old file stays.
Result<WriteOutcome> write_lock_if_changed(const std::string& path, const Lock& lock);

struct LockCheck {
  bool current = false;                   // the file holds exactly the bytes kernels lock would write
  LockDiff diff;                          // what changed (empty diff: same contents, other formatting)
  std::optional<std::string> unreadable;  // why the existing file could not be read as a lock
};

// Compares `path` with `lock` without writing. A missing file is stale with
// diff.old_missing; a malformed one is stale with `unreadable` set. Errors
// only for I/O failures other than a missing file (and bad UTF-8 in `lock`).
Result<LockCheck> check_lock(const std::string& path, const Lock& lock);

// Lines explaining a stale check, for printing (render_diff plus the notes
// for an unreadable file or a formatting-only difference). Empty if current.
std::vector<std::string> render_check(const LockCheck& check, const std::string& path);

}  // namespace kernels::lockfile
