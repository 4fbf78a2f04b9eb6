// Reading files whole and writing them atomically.
#pragma once

#include <atomic>
#include <cstddef>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace kernels {

// Reads a regular file whole. Errors (code "io") name the path and say why:
// missing, a directory, unreadable, or larger than `max_bytes`.
Result<std::string> read_file(const std::string& path, std::size_t max_bytes = 64u << 20);

// The same checks, then the open file descriptor (the caller closes it), for
// a file read as a stream rather than whole (a 120 MB trees/<commit>.json).
// `max_bytes` bounds the size the file reports.
Result<int> open_for_reading(const std::string& path, std::size_t max_bytes);

// Writes `contents` to `path` atomically: a temporary file in the same
// directory, fsync, rename over the target, fsync of the directory. On any
// failure the temporary is removed and the old file, if any, is untouched.
// A `path` that is a symbolic link stays one: the file it points to is
// replaced (as Python writes through it).
Status write_file_atomic(const std::string& path, std::string_view contents);

// Installs handlers for SIGINT, SIGTERM and SIGHUP that remove the
// temporaries of writes in progress (write_file_atomic's, and those held by a
// TemporaryOnSignal), then end the process by that signal (exit status
// 128 + N, as before). main() calls it once.
void remove_temporaries_on_signals();

// While it lives, <dir_fd>/<name> is a temporary being written that the
// signal handlers above remove. Register the name before creating the file,
// and declare the registration after what owns `dir_fd`, so that it ends
// first; `name` must stay valid (and in place) as long. At most 64 are held
// at once; one more is not registered, and is left as after a SIGKILL (the
// next write of the same file removes it).
class TemporaryOnSignal {
 public:
  TemporaryOnSignal(int dir_fd, const char* name);
  ~TemporaryOnSignal();
  TemporaryOnSignal(const TemporaryOnSignal&) = delete;
  TemporaryOnSignal& operator=(const TemporaryOnSignal&) = delete;
  // What the handler calls: unlinkat, async-signal-safe.
  void unlink_now() const noexcept;

 private:
  int dir_fd_;
  const char* name_;
  std::atomic<const TemporaryOnSignal*>* slot_ = nullptr;
};

// Temporaries are named ".<name>.tmp.<pid>-<random>" beside the file they
// become. SIGKILL (or a power cut) ends a writer with no handler run, so
// its temporary stays; the pid lets a later writer of the same file tell
// such a leftover from a temporary being written now by another process.
std::string temporary_name(std::string_view name);

// Removes, in the directory open as `dir_fd`, the temporaries of `name`
// (of every name when `name` is empty) whose process no longer exists
// (kill(pid, 0) says ESRCH): what a killed writer left. A live process's
// temporaries, and names of any other form, are left alone. Best effort;
// write_file_atomic calls it before writing. (A pid is only meaningful on
// this machine and in this pid namespace.)
void remove_dead_temporaries(int dir_fd, std::string_view name);

}  // namespace kernels
