#include <catch2/catch.hpp>

#include <filesystem>

#include "lockfile/digest.hpp"
#include "tests/support/hf_cache_fixture.hpp"
#include "tests/support/process.hpp"

using kernels::ErrorCode;

using namespace kernels::lockfile;
using kernels::test::fixture_digest_value;
namespace fs = std::filesystem;

namespace {

std::vector<std::string> keys(const Digest& d) {
  std::vector<std::string> out;
  for (const auto& [k, v] : d.files) out.push_back(k);
  return out;
}

}  // namespace

TEST_CASE("digest: the walk rules of kernels-data, one file each", "[lockfile][digest]") {
  kernels::test::TempDir tmp;
  std::string v = tmp.path() + "/torch-cpu";
  tmp.write("torch-cpu/__init__.py", "hello world");
  tmp.write("torch-cpu/metadata.json", "{}");               // top: skipped
  tmp.write("torch-cpu/metadata.json.sigstore", "{}");      // top: skipped
  tmp.write("torch-cpu/sub/metadata.json", "nested");       // nested: hashed
  tmp.write("torch-cpu/sub/metadata.json.sigstore", "n2");  // nested: hashed
  tmp.write("torch-cpu/__pycache__/x.cpython-312.pyc", "b");
  tmp.write("torch-cpu/sub/__pycache__/y.py", "not bytecode, but under __pycache__");
  tmp.write("torch-cpu/ops.pyc", "bytecode");
  tmp.write("torch-cpu/.pyc", "no extension: hashed");
  tmp.write("torch-cpu/UPPER.PYC", "case-sensitive: hashed");
  tmp.write("torch-cpu/a__pycache__b/z.py", "a component must be exactly __pycache__");
  tmp.write("outside/target.txt", "through a file symlink");
  tmp.write("outside/dir/hidden.py", "behind a directory symlink");
  fs::create_symlink("../outside/target.txt", v + "/linked.txt");
  fs::create_symlink("../outside/dir", v + "/dirlink");

  auto d = compute_digest(v, DigestAlgorithm::Sha256);
  REQUIRE(d.ok());
  CHECK(keys(*d) == std::vector<std::string>{".pyc", "UPPER.PYC", "__init__.py", "a__pycache__b/z.py", "linked.txt",
                                             "sub/metadata.json", "sub/metadata.json.sigstore"});
  CHECK(d->files.at("__init__.py") == "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=");
  CHECK(d->files.at("linked.txt") == fixture_digest_value("through a file symlink"));
  CHECK(d->files.at("sub/metadata.json") == fixture_digest_value("nested"));
}

TEST_CASE("digest: sha512 values, an empty directory gives an empty map", "[lockfile][digest]") {
  kernels::test::TempDir tmp;
  tmp.write("v/a/b/c.txt", "hello world");
  auto d = compute_digest(tmp.path() + "/v", DigestAlgorithm::Sha512, 4);
  REQUIRE(d.ok());
  CHECK(d->algorithm == DigestAlgorithm::Sha512);
  CHECK(keys(*d) == std::vector<std::string>{"a/b/c.txt"});
  CHECK(d->files.at("a/b/c.txt") ==
        "MJ7MSJwS1utMxA9QyQLytNDtd+5RGnx6m808qG1M2G+YndNbxf9JlnDaNCVbRbDP2DDoH2Bdz33FVC6TrpzXbw==");
  fs::create_directories(tmp.path() + "/empty");
  auto e = compute_digest(tmp.path() + "/empty", DigestAlgorithm::Sha256);
  REQUIRE(e.ok());
  CHECK(e->files.empty());
}

TEST_CASE("digest: keys sort bytewise (uppercase, '-', '.', '/', '_', lowercase)", "[lockfile][digest]") {
  kernels::test::TempDir tmp;
  for (const char* name : {"relu/__init__.py", "relu.py", "relu-extra/a.py", "Relu/README.md", "_relu.so", "a"})
    tmp.write(std::string("v/") + name, name);
  auto d = compute_digest(tmp.path() + "/v", DigestAlgorithm::Sha256, 2);
  REQUIRE(d.ok());
  CHECK(keys(*d) ==
        std::vector<std::string>{"Relu/README.md", "_relu.so", "a", "relu-extra/a.py", "relu.py", "relu/__init__.py"});
}

TEST_CASE("digest: a dangling symlink is an error for the whole variant", "[lockfile][digest]") {
  kernels::test::TempDir tmp;
  tmp.write("v/ok.py", "x");
  fs::create_directories(tmp.path() + "/v/sub");
  fs::create_symlink("../../blobs/gone", tmp.path() + "/v/sub/gone.py");
  auto d = compute_digest(tmp.path() + "/v", DigestAlgorithm::Sha256);
  REQUIRE_FALSE(d.ok());
  CHECK(d.error().code == ErrorCode::digest);
  CHECK(d.error().message.find("dangling symlink sub/gone.py -> ../../blobs/gone") != std::string::npos);
  // ... but not when the digest would skip it anyway.
  fs::remove(tmp.path() + "/v/sub/gone.py");
  fs::create_symlink("nowhere", tmp.path() + "/v/sub/gone.pyc");
  CHECK(compute_digest(tmp.path() + "/v", DigestAlgorithm::Sha256).ok());
}

TEST_CASE("digest: a __pycache__ component in the variant directory's own path skips everything",
          "[lockfile][digest]") {
  kernels::test::TempDir tmp;
  tmp.write("__pycache__/v/a.py", "x");
  auto d = compute_digest(tmp.path() + "/__pycache__/v", DigestAlgorithm::Sha256);
  REQUIRE(d.ok());
  CHECK(d->files.empty());
  CHECK_FALSE(digest_covers("/x/__pycache__/v", "a.py"));
  CHECK(digest_covers("/x/pycache/v", "a.py"));
}

TEST_CASE("digest comparison: every violation kind, in kernels-data's order and words", "[lockfile][digest]") {
  Digest expected{DigestAlgorithm::Sha256, {{"b.py", "B="}, {"a.py", "A="}, {"c.py", "C="}, {"d.py", "D="}}};
  Digest actual{DigestAlgorithm::Sha512, {{"0.py", "Z="}, {"c.py", "C2="}, {"b.py", "B="}, {"e.py", "E="}}};
  auto v = compare_digests(expected, actual);
  std::vector<std::string> texts;
  texts.reserve(v.size());
  for (const auto& x : v) texts.push_back(x.text());
  CHECK(texts == std::vector<std::string>{
                     "Algorithm mismatch: expected: SHA256, got: SHA512",
                     "Missing file: a.py",
                     "File hash mismatch for c.py: expected: C=, got: C2=",
                     "Missing file: d.py",
                     "Unknown file: 0.py",
                     "Unknown file: e.py",
                 });
  REQUIRE(v.size() == 6);
  CHECK(v[0].kind == DigestViolation::Kind::AlgorithmMismatch);
  CHECK(v[2].kind == DigestViolation::Kind::HashMismatch);
  CHECK(v[2].path == "c.py");
  CHECK(v[4].kind == DigestViolation::Kind::UnknownFile);
  CHECK(compare_digests(expected, expected).empty());
}

TEST_CASE("digest algorithms: names and labels", "[lockfile][digest]") {
  CHECK(parse_digest_algorithm("sha256") == DigestAlgorithm::Sha256);
  CHECK(parse_digest_algorithm("sha512") == DigestAlgorithm::Sha512);
  CHECK_FALSE(parse_digest_algorithm("SHA256"));
  CHECK_FALSE(parse_digest_algorithm("sha1"));
  CHECK(std::string(digest_algorithm_label(DigestAlgorithm::Sha512)) == "SHA512");
  CHECK(std::string(digest_algorithm_name(DigestAlgorithm::Sha256)) == "sha256");
}
