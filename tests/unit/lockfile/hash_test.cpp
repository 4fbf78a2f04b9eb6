#include <catch2/catch.hpp>

#include "lockfile/hash.hpp"

using kernels::ErrorCode;

using kernels::hub::LfsInfo;
using kernels::hub::TreeEntry;
using kernels::hub::TreeListing;
using kernels::lockfile::git_lfs_concat_hash;
using kernels::lockfile::git_lfs_concat_variants;
using kernels::lockfile::HashedFile;
using kernels::lockfile::VariantLock;

namespace {

TreeEntry file(std::string path, std::string oid, std::optional<std::string> lfs = std::nullopt) {
  TreeEntry e{false, std::move(path), std::move(oid), 0, std::nullopt};
  if (lfs) e.lfs = LfsInfo{*lfs, 0, 0};
  return e;
}
TreeEntry dir(std::string path) { return TreeEntry{true, std::move(path), "0000", 0, std::nullopt}; }

std::vector<std::string> names(const std::vector<VariantLock>& variants) {
  std::vector<std::string> out;
  out.reserve(variants.size());
  for (const auto& v : variants) out.push_back(v.name);
  return out;
}

// Reference §2.4, V1: blob ids confirmed with `printf ... | git hash-object --stdin`.
const std::vector<HashedFile> kV1 = {
    {"__init__.py", "1cec5723464b586acbda5ab039a6248d38255033"},       // "from ._ops import ops\n"
    {"relu/__init__.py", "c8bfb57eafb0455123d2d2720389b13805b3b16f"},  // "def relu(x):\n    return x\n"
};
const char* kV1Hash = "sha256-683793b97c71d5454330b912468b7eb58e01c34532564e5b6b62665eee875509";

// Reference §2.4, V2, listed here out of order on purpose.
const std::vector<HashedFile> kV2 = {
    {"relu/__init__.py", "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"},
    {"relu.py", "7d4290a117a4ddcc11daae7ea675841033830c8f"},
    {"_relu_cuda_0a1b2c3.abi3.so", "69aa6b82d3b9e2bc578213ac6f77a0c1959053798cb026b96bac125d878b6766"},  // LFS
    {"relu-extra/a.py", "2ae28399f5fda2dfb1b04405f4a3b4895f5fac1e"},
    {"metadata.json", "0967ef424bce6791893e9a57bb952f80fd536e93"},
    {"Relu/README.md", "fd9ab4d7bad5044d5460e3720002c507b7f39045"},
};
const char* kV2Hash = "sha256-69090d057a84547e7fe6a06b1fc37ae9085b3167fbeb88c304c67da3c38bc406";

}  // namespace

TEST_CASE("git_lfs_concat reproduces the reference vectors V1, V2 and V3", "[lockfile][hash]") {
  CHECK(*git_lfs_concat_hash(kV1) == kV1Hash);
  CHECK(*git_lfs_concat_hash(kV2) == kV2Hash);
  // V3: one empty file.
  CHECK(*git_lfs_concat_hash({{"__init__.py", "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"}}) ==
        "sha256-c8eca8bd81e9918b0995475c2190c41be2638cab2f7cdbaf9e2f750760bf87b0");
}

TEST_CASE("git_lfs_concat does not depend on input order or hex case", "[lockfile][hash]") {
  auto reversed = kV1;
  std::reverse(reversed.begin(), reversed.end());
  CHECK(*git_lfs_concat_hash(reversed) == kV1Hash);
  auto upper = kV1;
  for (auto& f : upper)
    for (auto& c : f.hex) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  CHECK(*git_lfs_concat_hash(upper) == kV1Hash);
}

TEST_CASE("git_lfs_concat of no files is the SHA-256 of nothing", "[lockfile][hash]") {
  // printf '' | sha256sum
  CHECK(*git_lfs_concat_hash({}) == "sha256-e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST_CASE("git_lfs_concat refuses a hash that is not hex", "[lockfile][hash]") {
  for (std::string bad : {"xyz0", "abc", ""}) {
    auto r = git_lfs_concat_hash({{"a.py", bad}});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == ErrorCode::hash);
    CHECK_THAT(r.error().message, Catch::Contains("a.py"));
  }
}

TEST_CASE("git_lfs_concat variants: the 443-byte example's two variants from a listing", "[lockfile][hash]") {
  std::vector<TreeEntry> listing = {dir("build"),
                                    dir("build/torch-cpu"),
                                    file("build/torch-cpu/__init__.py", kV1[0].hex),
                                    dir("build/torch-cpu/relu"),
                                    file("build/torch-cpu/relu/__init__.py", kV1[1].hex),
                                    dir("build/torch-cuda")};
  for (const auto& f : kV2) {
    // The LFS file's listing oid is its pointer's blob id, which the hash must not use.
    if (f.relpath.find(".so") != std::string::npos)
      listing.push_back(file("build/torch-cuda/" + f.relpath, "76bddd3d3e4a0618b4d0da78a65441993fb3029f", f.hex));
    else listing.push_back(file("build/torch-cuda/" + f.relpath, f.hex));
  }
  auto variants = git_lfs_concat_variants(TreeListing::from(listing));
  REQUIRE(variants.ok());
  REQUIRE(variants->size() == 2);
  CHECK((*variants)[0] == VariantLock{"torch-cpu", kV1Hash, "git_lfs_concat"});
  CHECK((*variants)[1] == VariantLock{"torch-cuda", kV2Hash, "git_lfs_concat"});
}

// A real git repository, made with git 2.39 / git-lfs 3.3 (commands below), its
// `git ls-tree -r -t HEAD` listing pasted in tree order, as the Hub lists it:
//   build/torch-cuda/{__init__.py "import torch\n", metadata.json '{"version": 1}\n',
//     relu/__init__.py "def relu(x):\n    return x\n", _relu.abi3.so = 64 x 'E' via LFS}
//   build/torch-cuda-x/a.py "x\n"            (sorts before torch-cuda/ in git tree order)
//   build/torch-cpu/{__init__.py "cpu\n", notes.pyc.txt "kept\n", ops/ünï/kernel.py "umlaut\n",
//     stray.pyc "stray", __pycache__/__init__.cpython-311.pyc "bytecode"}
//   build/torch-pyc/__pycache__/x.pyc, build/torch-notes.md "notes\n", build/README.md,
//   build/tvm-ffi01-cu128-x86_64-linux/__init__.py, src/torch.cpp
// LFS: `git lfs pointer --file=so.bin` -> pointer blob 76bddd3d..., `sha256sum so.bin` -> b7c30af0...
// Expected hashes by hand, e.g. torch-cpu:
//   { printf '__init__.py'; echo 40a991e2... | xxd -r -p; printf 'notes.pyc.txt'; echo bd930095... | xxd -r -p;
//     printf 'ops/ünï/kernel.py'; echo b39b3b6d... | xxd -r -p; } | sha256sum
TEST_CASE("git_lfs_concat variants of a real git tree: order, exclusions, LFS, nesting, non-ASCII",
          "[lockfile][hash]") {
  std::vector<TreeEntry> listing = {
      dir("build"),
      file("build/README.md", "8178c76d627cade75005b40711b92f4177bc6cfc"),
      dir("build/torch-cpu"),
      file("build/torch-cpu/__init__.py", "40a991e2f3a14c1ee6683ac0ddf11159ac5578e6"),
      dir("build/torch-cpu/__pycache__"),
      file("build/torch-cpu/__pycache__/__init__.cpython-311.pyc", "dbc36347ae37867ef851571aad292b7a9c096506"),
      file("build/torch-cpu/notes.pyc.txt", "bd93009536360a2d96f2b097ac88b28f1fc8cdb4"),
      dir("build/torch-cpu/ops"),
      dir("build/torch-cpu/ops/\xC3\xBCn\xC3\xAF"),
      file("build/torch-cpu/ops/\xC3\xBCn\xC3\xAF/kernel.py", "b39b3b6d7f072529bdf7de8d150c8586a143bad3"),
      file("build/torch-cpu/stray.pyc", "f796d3504b700119fbe64c7332a6f1178df2b186"),
      dir("build/torch-cuda-x"),
      file("build/torch-cuda-x/a.py", "587be6b4c3f93f93c489c0111bba5596147a26cb"),
      dir("build/torch-cuda"),
      file("build/torch-cuda/__init__.py", "aaa328524fcb5dc345868d46422ba321f2ad9439"),
      file("build/torch-cuda/_relu.abi3.so", "76bddd3d3e4a0618b4d0da78a65441993fb3029f",
           "b7c30af04cbc5be8a5c7120c3f15e25c6823404a1da36b9baf30591679cb4736"),
      file("build/torch-cuda/metadata.json", "cb608f6e9c4c20c8a05636c127dc423ab86452bb"),
      dir("build/torch-cuda/relu"),
      file("build/torch-cuda/relu/__init__.py", "c8bfb57eafb0455123d2d2720389b13805b3b16f"),
      file("build/torch-notes.md", "bfa655111293037a5564088d1a9bbca4cbcf446b"),
      dir("build/torch-pyc"),
      dir("build/torch-pyc/__pycache__"),
      file("build/torch-pyc/__pycache__/x.pyc", "23410f7888a99ba800c42641c2c995385fd6028a"),
      dir("build/tvm-ffi01-cu128-x86_64-linux"),
      file("build/tvm-ffi01-cu128-x86_64-linux/__init__.py", "b0b3d671ac77df0a245b6327d96fa272d37c6a51"),
      dir("src"),
      file("src/torch.cpp", "85de9cf93344b897ee6b677d44c645d747f82b0c"),
  };
  auto variants = git_lfs_concat_variants(TreeListing::from(listing));
  REQUIRE(variants.ok());
  // First-appearance order, not sorted (sorting would put torch-cuda before torch-cuda-x);
  // torch-pyc has only bytecode and vanishes; tvm-ffi and README are not build/torch*.
  CHECK(names(*variants) == std::vector<std::string>{"torch-cpu", "torch-cuda-x", "torch-cuda", "torch-notes.md"});
  CHECK((*variants)[0].hash == "sha256-b6f5481f79f3d75994a276f8716f5d7b749914615e0b25d36248f960ce13e7d8");
  CHECK((*variants)[1].hash == "sha256-50d3fc94fcfb30eba611534ff105bf3263112e927e03346ba3518ebf9e17b8d6");
  CHECK((*variants)[2].hash == "sha256-ff4ae89e9c462d13f85ecd1680b5f7fb977f8bf538a9cf504b52f5281b082cd0");
  // A file directly under build/ is hashed as "." (Python's Path() of no parts):
  // { printf '.'; echo bfa655111293037a5564088d1a9bbca4cbcf446b | xxd -r -p; } | sha256sum
  CHECK((*variants)[3].hash == "sha256-0514956b0b89b888278ef2a84911332b1950ffcd729d7fb5a478d5d07712d0d2");
  for (const auto& v : *variants) CHECK(v.hash_type == "git_lfs_concat");
}

TEST_CASE("git_lfs_concat variants: __pycache__ is a path component test, .pyc a suffix test", "[lockfile][hash]") {
  const std::string blob = "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391";
  auto only = [&](std::string path) {
    return git_lfs_concat_variants({file("build/torch-cpu/__init__.py", blob), file(std::move(path), blob)});
  };
  auto base = git_lfs_concat_variants({file("build/torch-cpu/__init__.py", blob)});
  REQUIRE(base.ok());
  // Excluded: the variant hash is the one of __init__.py alone (V3).
  for (std::string path :
       {"build/torch-cpu/x.pyc", "build/torch-cpu/__pycache__/x.txt", "build/torch-cpu/a/__pycache__/b/c.py"}) {
    auto r = only(path);
    REQUIRE(r.ok());
    CHECK((*r)[0].hash == "sha256-c8eca8bd81e9918b0995475c2190c41be2638cab2f7cdbaf9e2f750760bf87b0");
  }
  // Kept: these change the hash.
  for (std::string path :
       {"build/torch-cpu/x.pyc.bak", "build/torch-cpu/my__pycache__/x.py", "build/torch-cpu/__pycache__x"}) {
    auto r = only(path);
    REQUIRE(r.ok());
    CHECK((*r)[0].hash != "sha256-c8eca8bd81e9918b0995475c2190c41be2638cab2f7cdbaf9e2f750760bf87b0");
  }
}

TEST_CASE("git_lfs_concat variants: an empty listing or one without build/torch gives no variants",
          "[lockfile][hash]") {
  CHECK(git_lfs_concat_variants({})->empty());
  CHECK(git_lfs_concat_variants({file("README.md", "aa"), file("build/tvm-ffi01-cpu-x86_64-linux/a", "bb"),
                                 file("Build/torch-cpu/a", "cc"), dir("build/torch-cpu")})
            ->empty());
}

TEST_CASE("git_lfs_concat variants: a file without a usable hash is an error naming it", "[lockfile][hash]") {
  auto no_oid = git_lfs_concat_variants({file("build/torch-cpu/a.py", "")});
  REQUIRE_FALSE(no_oid.ok());
  CHECK(no_oid.error().code == ErrorCode::hash);
  CHECK(no_oid.error().message == "build/torch-cpu/a.py has no git blob id in the tree listing");

  // Python checks the blob id before the exclusions, so an excluded file counts too.
  CHECK_FALSE(git_lfs_concat_variants({file("build/torch-cpu/a.pyc", "")}).ok());

  auto bad_lfs = git_lfs_concat_variants({file("build/torch-cpu/k.so", "abcd", "not-hex")});
  REQUIRE_FALSE(bad_lfs.ok());
  CHECK(bad_lfs.error().message == "build/torch-cpu/k.so: LFS sha256 is not hexadecimal: \"not-hex\"");
}
