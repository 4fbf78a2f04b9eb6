#include "lockfile/store.hpp"

#include <filesystem>

#include "lockfile/reader.hpp"
#include "lockfile/writer.hpp"
#include "util/file.hpp"

namespace kernels::lockfile {
namespace {

// The file's bytes, nullopt when it does not exist, or an I/O error.
Result<std::optional<std::string>> existing_bytes(const std::string& path) {
  std::error_code ec;
  auto status = std::filesystem::symlink_status(path, ec);
  if (status.type() == std::filesystem::file_type::not_found) return std::optional<std::string>{};
  auto text = read_file(path);
  if (!text.ok()) return text.error();
  return std::optional<std::string>{std::move(*text)};
}

}  // namespace

Result<WriteOutcome> write_lock_if_changed(const std::string& path, const Lock& lock) {
  auto text = serialize_lock(lock);
  if (!text.ok()) return text.error();
  auto old = existing_bytes(path);
  if (!old.ok()) return old.error();
  if (*old && **old == *text) return WriteOutcome::Unchanged;
  auto written = write_file_atomic(path, *text);
  if (!written.ok()) return written.error();
  return *old ? WriteOutcome::Updated : WriteOutcome::Created;
}

Result<LockCheck> check_lock(const std::string& path, const Lock& lock) {
  auto text = serialize_lock(lock);
  if (!text.ok()) return text.error();
  auto old = existing_bytes(path);
  if (!old.ok()) return old.error();
  LockCheck check;
  if (!*old) {
    check.diff = diff_locks(nullptr, lock);
    return check;
  }
  check.current = **old == *text;
  if (check.current) return check;
  auto before = parse_lock(**old, path);
  if (!before.ok()) {
    check.unreadable = before.error().message;
    check.diff = diff_locks(nullptr, lock);
    check.diff.old_missing = false;
    return check;
  }
  check.diff = diff_locks(&*before, lock);
  return check;
}

std::vector<std::string> render_check(const LockCheck& check, const std::string& path) {
  if (check.current) return {};
  std::vector<std::string> lines;
  if (check.unreadable) {
    lines.push_back(path + " cannot be read as a lock file: " + *check.unreadable);
    lines.push_back("kernels lock would write:");
  }
  auto diff = render_diff(check.diff);
  if (check.diff.old_missing) diff.front() = path + " does not exist; kernels lock would write:";
  lines.insert(lines.end(), diff.begin(), diff.end());
  if (!check.unreadable && check.diff.empty())
    lines.push_back(path + " has the same contents, formatted differently from what kernels lock writes");
  return lines;
}

}  // namespace kernels::lockfile
