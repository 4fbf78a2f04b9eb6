// The streaming content hashes the downloader checks files with.
#include <catch2/catch.hpp>

#include "lockfile/download.hpp"

using kernels::lockfile::ContentHasher;

TEST_CASE("ContentHasher: git blob ids and sha256, fed in pieces", "[lockfile][download]") {
  ContentHasher empty(ContentHasher::Kind::GitBlob, 0);
  CHECK(empty.hex() == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");  // git hash-object /dev/null
  // the git_lfs_concat vector V1: "from ._ops import ops\n".
  ContentHasher blob(ContentHasher::Kind::GitBlob, 22);
  blob.update("from ._ops ");
  blob.update("import ops\n");
  CHECK(blob.hex() == "1cec5723464b586acbda5ab039a6248d38255033");
  ContentHasher sha(ContentHasher::Kind::Sha256, 11);
  sha.update("hello");
  sha.update(" world");
  CHECK(sha.hex() == "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9");
  ContentHasher restarted(ContentHasher::Kind::Sha256, 11);
  restarted.update("garbage");
  restarted.reset();
  restarted.update("hello world");
  CHECK(restarted.hex() == "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9");
}
