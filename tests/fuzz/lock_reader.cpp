// parse_lock: kernels.lock in both formats (variant-hashes as Python writes
// it, kernels-data as serde writes it) and the recognised-and-refused older
// per-file format, all through one reader. What it accepts must survive the
// round trip lock.hpp promises (serialize, read back, same Lock; kernels-data
// entries come back sorted, as kernels-data writes them), and `lock
// --check`'s diff must handle it.
#include <algorithm>
#include <string>

#include "lockfile/diff.hpp"
#include "lockfile/reader.hpp"
#include "lockfile/writer.hpp"
#include "tests/fuzz/fuzz_support.hpp"

using kernels::ErrorCode;

namespace lockfile = kernels::lockfile;
using kernels::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto lock = lockfile::parse_lock(kernels::fuzz::text_of(data, size), "kernels.lock");
  if (!lock.ok()) {
    require(lock.error().code == ErrorCode::parse || lock.error().code == ErrorCode::format,
            "errors are parse or format");
    return 0;
  }
  // The reader takes only valid JSON, whose strings are UTF-8, so the writer
  // cannot refuse what the reader gave it.
  auto bytes = lockfile::serialize_lock(*lock);
  require(bytes.ok(), "a lock that was read can be written");
  auto again = lockfile::parse_lock(*bytes, "kernels.lock");
  require(again.ok(), "a written lock reads back");
  lockfile::Lock expected = *lock;
  if (expected.format == lockfile::LockFormat::KernelsData)
    std::stable_sort(expected.kernels.begin(), expected.kernels.end(), lockfile::dependency_less);
  require(*again == expected, "a lock survives a write and a read unchanged");

  (void)lockfile::render_diff(lockfile::diff_locks(nullptr, *lock));
  (void)lockfile::render_diff(lockfile::diff_locks(&*lock, *lock));
  lockfile::Lock empty;
  (void)lockfile::render_diff(lockfile::diff_locks(&*lock, empty));
  (void)lockfile::render_diff(lockfile::diff_locks(&empty, *lock));
  return 0;
}
