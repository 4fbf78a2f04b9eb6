// Builds fixture repositories for the emulator with the git command line:
// ROOT/<org>/<name> is a bare repository; LFS contents live beside it as
// git-lfs keeps them (<git dir>/lfs/objects/ab/cd/<sha256>), the repository
// holding only the pointer blob. Commits are written with git fast-import
// (one process per commit), with fixed identities and increasing fixed
// dates, so the same calls give the same commit ids.
//
//   FixtureRepo repo(root, "kernels-community/relu");
//   repo.write("build/torch-cpu/__init__.py", "...").write_lfs("build/torch-cpu/_relu.so", bytes);
//   std::string c1 = repo.commit("main");
//   repo.commit("v1");                      // v1 starts at main's head
//   repo.tag("v1.0", c1, /*annotated=*/true);
//   repo.write("README.md", "fix\n").commit_pull_request(1);   // refs/pr/1
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace kernels::hub_emulator {

// sha256 of `data` as 64 lowercase hex digits.
std::string sha256_hex(const std::string& data);
// git's blob id: sha1("blob <size>\0" + data).
std::string git_blob_oid(const std::string& data);
// The git-lfs pointer blob for content with this sha256 and size.
std::string lfs_pointer(const std::string& sha256, std::uint64_t size);
// `size` deterministic bytes (a linear congruential generator from `seed`),
// standing in for a compiled extension.
std::string binary(std::size_t size, unsigned seed);

class FixtureRepo {
 public:
  // Creates ROOT/<repo_id> as a bare repository (or opens it if it exists).
  FixtureRepo(const std::string& root, const std::string& repo_id);

  const std::string& git_dir() const { return git_dir_; }
  const std::string& repo_id() const { return repo_id_; }

  // Changes to the file set of the next commit.
  FixtureRepo& write(const std::string& path, const std::string& content);
  // `sha256`: the content's sha256 in hex when the caller has it already (else computed).
  FixtureRepo& write_lfs(const std::string& path, const std::string& content, const std::string& sha256 = "");
  FixtureRepo& remove(const std::string& path);
  FixtureRepo& clear();
  // kernel-status.toml redirecting to `destination` (committed with the next commit).
  FixtureRepo& redirect_to(const std::string& destination, const std::string& revision = "");

  // Commits the current file set on `branch`. The parent is the branch's
  // head, or, for a new branch, the last commit made here (none for the
  // first). Returns the commit id.
  std::string commit(const std::string& branch, const std::string& message = "");
  // Commits the current file set on refs/pr/<number> (parent: that ref's
  // head, else main's head), as a Hub pull request; lists no branch.
  std::string commit_pull_request(int number, const std::string& message = "");

  // refs/heads/<name> (or a lightweight / annotated tag) at `commit`.
  void branch(const std::string& name, const std::string& commit);
  void tag(const std::string& name, const std::string& commit, bool annotated = false);
  // refs/pr/<number> at `commit`, as the Hub keeps a pull request's head.
  void pull_request(int number, const std::string& commit);

  void set_private(bool on);
  void set_gated(bool on);

  std::string head(const std::string& branch) const;

 private:
  struct File {
    std::string content;  // for LFS files: the pointer
  };
  // fast-import of the file set as one commit on `ref`; returns its id.
  std::string commit_to_ref(const std::string& ref, const std::string& parent, const std::string& msg);

  std::string git_dir_;
  std::string repo_id_;
  std::map<std::string, File> files_;
  std::string last_commit_;
  int commits_ = 0;
};

}  // namespace kernels::hub_emulator
