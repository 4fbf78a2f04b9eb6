// Installs what kernels.lock pins into the Hugging Face cache, as Python's
// `kernels download` does, but checked against the lock: for each entry,
// list the recursive tree at the locked commit, let the caller choose the
// build variants, check the listing's git_lfs_concat hash of each chosen
// variant against the lock, then fetch every file not yet in the cache
// through /resolve/<commit>/<path> (LFS files through the storage redirect,
// never with the token), hashing while streaming (git blob sha1, or sha256
// for LFS) and checking size and hash against the listing; finally the
// variant's git_lfs_concat over the verified hashes must equal the lock
// before any snapshot link of that variant is made (hub/cache_writer).
// `*.pyc` and `__pycache__/` are skipped. Files already linked to a blob of
// the right size (a cache Python filled) are not fetched again. An
// interrupted transfer is resumed with `Range: bytes=N-`, also across runs
// (a leftover .incomplete is re-hashed first). Several blobs are fetched at
// once by a bounded pool. No terminal I/O: choice and progress are
// callbacks, and every failure of every entry comes back in the report.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "hub/client.hpp"
#include "lockfile/lock.hpp"
#include "util/result.hpp"

namespace kernels::lockfile {

struct DownloadProgress {
  std::uint64_t bytes_done = 0;   // of the bytes to fetch (resumed bytes count as done)
  std::uint64_t bytes_total = 0;  // grows as entries are planned
  std::size_t files_done = 0;     // blobs fetched or failed
  std::size_t files_total = 0;    // blobs to fetch
};

struct DownloadOptions {
  std::size_t jobs = 8;  // files in flight at once (at least 1)
  // Which variants to install, from the names under build/ at the commit (in
  // listing order). An Error says why nothing fits; an empty list is an
  // error too. Called from the calling thread, one entry at a time.
  std::function<Result<std::vector<std::string>>(const std::string& repo, const std::string& commit,
                                                 const std::vector<std::string>& variants)>
      choose;
  // Called as an entry starts (Python prints "Downloading `repo` with SHA: sha").
  std::function<void(const LockedKernel&)> on_entry;
  // Called as bytes arrive and files finish, from the workers; never overlapping.
  std::function<void(const DownloadProgress&)> on_progress;
  // Pause between retries of an interrupted transfer (doubling, 5 tries without progress).
  std::chrono::milliseconds resume_delay{500};
};

struct EntryReport {
  std::string repo_id;
  std::string sha;
  std::vector<std::string> variants;  // chosen
  std::vector<std::string> linked;    // variants fully installed
  std::size_t files_fetched = 0;      // blobs downloaded (or resumed) this run
  std::size_t files_skipped = 0;      // snapshot files already present
  std::uint64_t bytes_fetched = 0;    // bytes received this run
  std::vector<Error> errors;          // one per failed file or variant, each naming it
};

struct DownloadReport {
  std::vector<EntryReport> entries;  // in lock order
  bool ok() const;
  std::size_t files_fetched() const;
  std::size_t files_skipped() const;
  std::uint64_t bytes_fetched() const;
};

// Downloads every entry of `lock` into the cache at `cache_root` (KERNELS_CACHE
// or HF_HUB_CACHE). Errors come back per entry in the report; the Result is
// an Error only when nothing could start (code "io": the cache root cannot be used).
Result<DownloadReport> download_lock(const hub::HubClient& client, const std::string& cache_root, const Lock& lock,
                                     const DownloadOptions& options);

// Streaming hashes of file contents, as the Hub names them.
class ContentHasher {
 public:
  enum class Kind { GitBlob, Sha256 };
  // GitBlob needs the total size up front ("blob <size>\0" comes first).
  ContentHasher(Kind kind, std::uint64_t size);
  ~ContentHasher();
  ContentHasher(const ContentHasher&) = delete;
  ContentHasher& operator=(const ContentHasher&) = delete;
  void update(std::string_view bytes);
  void reset();
  std::string hex();  // finishes; lowercase hex

 private:
  Kind kind_;
  std::uint64_t size_;
  void* ctx_ = nullptr;
};

}  // namespace kernels::lockfile
