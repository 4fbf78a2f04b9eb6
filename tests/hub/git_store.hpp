// Reads one bare git repository of the emulator's root through the git
// command line: refs (git for-each-ref: refs/heads, refs/tags, refs/pr), revisions, the recursive tree of
// a commit (git ls-tree -r -t -l, in git's order; LFS pointer blobs found
// with git cat-file --batch), blobs, and commit dates. Trees are cached per
// commit: a commit never changes. Safe to use from several threads.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "tests/support/subprocess.hpp"

namespace kernels::hub_emulator {

using test::Captured;
using test::run_capture;

// run_capture({"git", "--git-dir=" + git_dir, args...}) with a fixed identity
// and no user or system config, so results do not depend on the machine.
Captured run_git(const std::string& git_dir, const std::vector<std::string>& args, const std::string& input = {});

struct LfsPointer {
  std::string oid;  // sha256 hex of the content
  std::uint64_t size = 0;
};

// Parses a git-lfs pointer ("version https://git-lfs.github.com/spec/v1\noid sha256:...\nsize N\n").
std::optional<LfsPointer> parse_lfs_pointer(const std::string& blob);

struct StoredEntry {
  bool is_directory = false;
  std::string path;
  std::string oid;              // blob or tree sha1
  std::uint64_t blob_size = 0;  // size of the git blob (for LFS files: of the pointer)
  std::optional<LfsPointer> lfs;
};

struct StoredRef {
  std::string name;    // "main", "v1.0"; a pull request's name is its full ref, "refs/pr/1"
  std::string ref;     // "refs/heads/main", "refs/tags/v1.0", "refs/pr/1"
  std::string commit;  // peeled
  bool is_tag = false;
  bool is_pull_request = false;  // refs/pr/<N>
};

class GitStore {
 public:
  explicit GitStore(std::string git_dir);

  const std::string& git_dir() const { return git_dir_; }
  // Branches, tags and pull requests (refs/pr/<N>), in git's order within each.
  std::vector<StoredRef> refs() const;
  // A branch, tag, full ref name (refs/pr/1 too) or full 40-hex commit → the commit.
  // A 40-hex commit once resolved is remembered (a commit never goes away here):
  // later calls answer without running git, and without looking for a ref of
  // that name (git's "ambiguous refname" case, which no fixture makes).
  std::optional<std::string> resolve(const std::string& revision) const;
  std::shared_ptr<const std::vector<StoredEntry>> tree(const std::string& commit) const;
  std::optional<std::string> blob(const std::string& oid) const;
  // "2023-11-14T22:13:20.000Z".
  std::string commit_date(const std::string& commit) const;
  // The last commit up to `commit` that touched `path` (git log -1), cached.
  struct LastCommit {
    std::string id, title, date;
  };
  LastCommit last_commit(const std::string& commit, const std::string& path) const;
  // Where git-lfs keeps an object: <git_dir>/lfs/objects/ab/cd/<oid>.
  std::string lfs_object_path(const std::string& oid) const;
  bool is_private() const;
  bool is_gated() const;

 private:
  std::string git_dir_;
  mutable std::mutex mutex_;
  mutable std::map<std::string, std::shared_ptr<const std::vector<StoredEntry>>> trees_;
  mutable std::map<std::string, LastCommit> last_commits_;  // key: commit + "\n" + path
  mutable std::set<std::string> commits_;                   // 40-hex revisions resolved as commits
};

}  // namespace kernels::hub_emulator
