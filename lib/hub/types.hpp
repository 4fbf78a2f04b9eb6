// What the Hub answers, as plain values (the shapes of its HTTP API: /api/.../refs, revision, tree).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kernels::hub {

// One branch or tag from /refs.
struct GitRef {
  std::string name;           // "v1", "main"
  std::string ref;            // "refs/heads/v1"
  std::string target_commit;  // 40-hex commit (annotated tags peeled)
};

struct Refs {
  std::vector<GitRef> branches;
  std::vector<GitRef> tags;
  std::vector<GitRef> converts;
};

struct RepoInfo {
  std::string id;   // "org/name"
  std::string sha;  // commit the revision resolved to
  std::string author;
  std::string last_modified;
  bool is_private = false;
  std::string gated;  // "", "auto" or "manual"
};

struct LfsInfo {
  std::string oid;  // sha256 of the content
  std::uint64_t size = 0;
  std::uint64_t pointer_size = 0;
};

struct TreeEntry {
  bool is_directory = false;
  std::string path;        // repo-relative, "/"-separated
  std::string oid;         // git blob (or tree) sha1; for LFS files the pointer blob's
  std::uint64_t size = 0;  // the real size (LFS: the content's)
  std::optional<LfsInfo> lfs;

  // The hash kernels.lock uses: lfs.oid for LFS files, else the blob oid.
  const std::string& content_hash() const { return lfs ? lfs->oid : oid; }
};

// HEAD on /resolve (after same-host and relative redirects).
struct FileMetadata {
  std::string commit;      // X-Repo-Commit
  std::string etag;        // X-Linked-Etag or ETag, unquoted: git sha1 or LFS sha256
  std::uint64_t size = 0;  // X-Linked-Size or Content-Length
  std::string location;    // where the bytes are (another host for LFS)
};

// kernel-status.toml with kind = "redirect".
struct Redirect {
  std::string destination;  // "org/name"
  std::string revision = "main";
};

}  // namespace kernels::hub
