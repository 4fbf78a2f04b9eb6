#include <catch2/catch.hpp>

#include <sys/stat.h>

#include "lockfile/file_hash.hpp"
#include "tests/support/process.hpp"

using kernels::ErrorCode;

using namespace kernels::lockfile;

TEST_CASE("file hashes: the reference vectors of `hello world` in base64 and git's blob id", "[lockfile][file_hash]") {
  // kernels-data's digest.rs; the blob id from `printf 'hello world' | git hash-object --stdin`.
  FileHashes h = hash_bytes("hello world", kGitBlobSha1 | kSha256 | kSha512);
  CHECK(to_base64(h.sha256) == "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=");
  CHECK(to_base64(h.sha512) ==
        "MJ7MSJwS1utMxA9QyQLytNDtd+5RGnx6m808qG1M2G+YndNbxf9JlnDaNCVbRbDP2DDoH2Bdz33FVC6TrpzXbw==");
  CHECK(to_hex(h.git_blob_sha1) == "95d09f2b10159347eece71399a7e2e907ea3df4f");
  CHECK(to_hex(h.sha256) == "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9");
  CHECK(h.size == 11);
}

TEST_CASE("file hashes: only the hashes asked for, the empty file", "[lockfile][file_hash]") {
  FileHashes h = hash_bytes("", kGitBlobSha1);
  CHECK(to_hex(h.git_blob_sha1) == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
  CHECK(h.sha256.empty());
  CHECK(h.sha512.empty());
  CHECK(to_base64("") == "");
  CHECK(to_base64("a") == "YQ==");
  CHECK(to_base64("ab") == "YWI=");
}

TEST_CASE("file hashes: a file read in 1 MiB pieces hashes as its bytes do", "[lockfile][file_hash]") {
  kernels::test::TempDir tmp;
  std::string big;
  for (int i = 0; i < (3 << 20) + 12345; ++i) big.push_back(static_cast<char>(i * 131 + (i >> 9)));
  std::string path = tmp.write("big.bin", big);
  auto h = hash_file(path, kGitBlobSha1 | kSha256 | kSha512);
  REQUIRE(h.ok());
  FileHashes expected = hash_bytes(big, kGitBlobSha1 | kSha256 | kSha512);
  CHECK(h->size == big.size());
  CHECK(h->git_blob_sha1 == expected.git_blob_sha1);
  CHECK(h->sha256 == expected.sha256);
  CHECK(h->sha512 == expected.sha512);
}

TEST_CASE("file hashes: missing files, directories and FIFOs are errors, never a hang", "[lockfile][file_hash]") {
  kernels::test::TempDir tmp;
  auto missing = hash_file(tmp.path() + "/nope", kSha256);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::io);
  CHECK(missing.error().message.find(tmp.path() + "/nope") != std::string::npos);
  auto dir = hash_file(tmp.path(), kSha256);
  REQUIRE_FALSE(dir.ok());
  CHECK(dir.error().message.find("not a regular file") != std::string::npos);
  std::string fifo = tmp.path() + "/fifo";
  REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  auto f = hash_file(fifo, kSha256);
  REQUIRE_FALSE(f.ok());
  CHECK(f.error().message.find("not a regular file") != std::string::npos);
}
