#include <catch2/catch.hpp>

#include <filesystem>
#include <mutex>

#include "lockfile/verify.hpp"
#include "tests/support/hf_cache_fixture.hpp"
#include "tests/support/process.hpp"

using namespace kernels::lockfile;
using kernels::hub::HfCache;
using kernels::hub::RepoType;
using kernels::test::fixture_lock_hash;
using kernels::test::FixtureFile;
using kernels::test::HfCacheFixture;
using kernels::test::with_metadata;
namespace fs = std::filesystem;

namespace {

const std::string kSha = "0123456789abcdef0123456789abcdef01234567";
const std::string kRepo = "org/relu";

std::vector<FixtureFile> cpu_files() {
  return {{"__init__.py", "from ._ops import ops\n"},
          {"_ops.py", "ops = 1\n"},
          {"relu/__init__.py", ""},
          {"_relu.abi3.so", std::string(70000, '\x7f'), true}};
}

struct Setup {
  kernels::test::TempDir tmp;
  HfCacheFixture fixture{tmp.path() + "/hub"};
  std::vector<FixtureFile> files = with_metadata(cpu_files());
  std::string dir;
  Lock lock;
  Setup() {
    dir = fixture.add_variant(kRepo, kSha, "torch-cpu", files);
    lock.kernels.push_back(LockedKernel{kRepo, kSha, {VariantLock{"torch-cpu", fixture_lock_hash(files)}}});
  }
  HfCache cache() const { return HfCache({fixture.root()}, RepoType::Kernel); }
  VerifyReport run(VerifyOptions options = {}) const {
    auto r = verify_lock(lock, cache(), options);
    REQUIRE(r.ok());
    return *r;
  }
};

std::vector<std::string> texts(const VariantReport& v) {
  std::vector<std::string> out;
  for (const auto& p : v.lock_problems) out.push_back((p.path.empty() ? "" : p.path + ": ") + p.text);
  for (const auto& d : v.digest_violations) out.push_back(d.text());
  return out;
}

}  // namespace

TEST_CASE("verify: a cached variant whose bytes match the lock and the digest is ok", "[lockfile][verify]") {
  Setup s;
  for (std::size_t jobs : {1, 3}) {
    VerifyOptions o;
    o.jobs = jobs;
    auto r = s.run(o);
    REQUIRE(r.variants.size() == 1);
    const auto& v = r.variants[0];
    CHECK(v.status == VariantReport::Status::Ok);
    CHECK(v.dir == s.dir);
    CHECK(v.actual_hash == s.lock.kernels[0].variants[0].hash);
    CHECK(v.digest_status == VariantReport::DigestStatus::Ok);
    CHECK(v.digest_algorithm == DigestAlgorithm::Sha256);
    CHECK(v.signature.status == SignatureResult::Status::NotChecked);
    CHECK(v.files == 5);
    CHECK(r.ok());
  }
}

TEST_CASE("verify: sha512 digests and model-- folders in a second root", "[lockfile][verify]") {
  kernels::test::TempDir tmp;
  HfCacheFixture first(tmp.path() + "/kernels-cache");
  HfCacheFixture second(tmp.path() + "/hub");
  auto files = with_metadata(cpu_files(), "sha512");
  second.add_variant(kRepo, kSha, "torch-cpu", files, "models");
  Lock lock{{LockedKernel{kRepo, kSha, {VariantLock{"torch-cpu", fixture_lock_hash(files)}}}}};
  auto r = verify_lock(lock, HfCache({first.root(), second.root()}, RepoType::Kernel), {});
  REQUIRE(r.ok());
  REQUIRE(r->variants.size() == 1);
  CHECK(r->variants[0].status == VariantReport::Status::Ok);
  CHECK(r->variants[0].digest_algorithm == DigestAlgorithm::Sha512);
  CHECK(r->variants[0].dir.find("/hub/models--org--relu/snapshots/") != std::string::npos);
}

TEST_CASE("verify: a tampered blob is named, by the lock check and by the digest", "[lockfile][verify]") {
  Setup s;
  FixtureFile ops = s.files[1];
  std::string blob = s.fixture.blob_path(kRepo, ops);
  fs::remove(blob);
  kernels::test::fixture_put(blob, "ops = 2\n");
  auto r = s.run();
  const auto& v = r.variants[0];
  CHECK(v.status == VariantReport::Status::Mismatch);
  auto t = texts(v);
  REQUIRE(t.size() == 3);
  CHECK(t[0] == "_ops.py: content does not match its blob: the bytes hash to " +
                    kernels::hub_emulator::git_blob_oid("ops = 2\n") + " (git blob SHA-1), the link names " +
                    kernels::hub_emulator::git_blob_oid("ops = 1\n"));
  CHECK(t[1].rfind("variant hash mismatch: kernels.lock has " + s.lock.kernels[0].variants[0].hash, 0) == 0);
  CHECK(t[2] == "File hash mismatch for _ops.py: expected: " + kernels::test::fixture_digest_value("ops = 1\n") +
                    ", got: " + kernels::test::fixture_digest_value("ops = 2\n"));
  CHECK_FALSE(r.ok());
}

TEST_CASE("verify: a tampered LFS blob is checked with SHA-256", "[lockfile][verify]") {
  Setup s;
  std::string blob = s.fixture.blob_path(kRepo, s.files[3]);
  fs::remove(blob);
  kernels::test::fixture_put(blob, std::string(70000, '\x7e'));
  auto v = s.run().variants[0];
  REQUIRE_FALSE(v.lock_problems.empty());
  CHECK(v.lock_problems[0].path == "_relu.abi3.so");
  CHECK(v.lock_problems[0].text.find("(SHA-256), the link names " +
                                     kernels::hub_emulator::sha256_hex(s.files[3].content)) != std::string::npos);
}

TEST_CASE("verify: a missing file and an extra file", "[lockfile][verify]") {
  Setup s;
  fs::remove(s.dir + "/relu/__init__.py");
  s.fixture.add_variant(kRepo, kSha, "torch-cpu", {{"extra.py", "import os\n"}});
  auto v = s.run().variants[0];
  CHECK(v.status == VariantReport::Status::Mismatch);
  auto t = texts(v);
  REQUIRE(t.size() == 3);
  CHECK(t[0].rfind("variant hash mismatch", 0) == 0);
  CHECK(t[1] == "Missing file: relu/__init__.py");
  CHECK(t[2] == "Unknown file: extra.py");
}

TEST_CASE("verify: a dangling symlink fails the lock check and the whole digest", "[lockfile][verify]") {
  Setup s;
  fs::remove(s.fixture.blob_path(kRepo, s.files[0]));
  auto v = s.run().variants[0];
  CHECK(v.status == VariantReport::Status::Mismatch);
  REQUIRE(v.lock_problems.size() == 1);
  CHECK(v.lock_problems[0].path == "__init__.py");
  CHECK(v.lock_problems[0].text.rfind("a dangling link to ../../../../blobs/", 0) == 0);
  CHECK_FALSE(v.actual_hash);
  CHECK(v.digest_status == VariantReport::DigestStatus::Error);
  CHECK(v.digest_message.find("dangling symlink __init__.py") != std::string::npos);
}

TEST_CASE("verify: no metadata.json, or one without a digest, is 'no digest', not an error", "[lockfile][verify]") {
  Setup s;
  s.files = cpu_files();
  s.files.push_back({"metadata.json", "{\"python-depends\": []}\n"});
  s.lock.kernels[0].sha = "1111111111111111111111111111111111111111";
  s.fixture.add_variant(kRepo, s.lock.kernels[0].sha, "torch-cpu", s.files);
  s.lock.kernels[0].variants[0].hash = fixture_lock_hash(s.files);
  auto files_without = cpu_files();
  s.fixture.add_variant(kRepo, kSha, "torch-cuda", files_without);
  s.lock.kernels.push_back(LockedKernel{kRepo, kSha, {VariantLock{"torch-cuda", fixture_lock_hash(files_without)}}});
  auto r = s.run();
  // The second entry also finds the cached torch-cpu of kSha: unlocked for it.
  REQUIRE(r.variants.size() == 3);
  CHECK(r.variants[0].status == VariantReport::Status::NoDigest);
  CHECK(r.variants[0].digest_status == VariantReport::DigestStatus::NoDigest);
  CHECK(r.variants[1].variant == "torch-cuda");
  CHECK(r.variants[1].status == VariantReport::Status::NoDigest);
  CHECK(r.variants[1].digest_status == VariantReport::DigestStatus::NoMetadata);
  CHECK(r.variants[2].variant == "torch-cpu");
  CHECK(r.variants[2].status == VariantReport::Status::Unlocked);
  CHECK_FALSE(r.ok());
}

TEST_CASE("verify: invalid metadata.json fails the variant with the parser's position", "[lockfile][verify]") {
  Setup s;
  s.files = cpu_files();
  s.files.push_back({"metadata.json", "{\"digest\": {\"algorithm\": \"md5\", \"files\": {}}}"});
  s.fixture.add_variant(kRepo, kSha, "torch-cpu", s.files);
  s.lock.kernels[0].variants[0].hash = fixture_lock_hash(s.files);
  auto v = s.run().variants[0];
  CHECK(v.lock_problems.empty());
  CHECK(v.status == VariantReport::Status::Mismatch);
  CHECK(v.digest_status == VariantReport::DigestStatus::InvalidMetadata);
  CHECK(v.digest_message ==
        s.dir + "/metadata.json:1:26: unknown digest algorithm \"md5\" (expected sha256 or sha512)");
}

TEST_CASE("verify: without --all-variants only cached variants, an entry with none is missing", "[lockfile][verify]") {
  Setup s;
  s.lock.kernels[0].variants.push_back(VariantLock{"torch-cuda", "sha256-" + std::string(64, '0')});
  s.lock.kernels.push_back(
      LockedKernel{"org/absent", kSha, {VariantLock{"torch-cpu", "sha256-" + std::string(64, '1')}}});
  auto r = s.run();
  REQUIRE(r.variants.size() == 2);
  CHECK(r.variants[0].status == VariantReport::Status::Ok);
  CHECK(r.variants[1].repo_id == "org/absent");
  CHECK(r.variants[1].variant.empty());
  CHECK(r.variants[1].status == VariantReport::Status::Missing);
  CHECK(r.variants[1].missing == "no snapshot of commit " + kSha + " in the cache (looked for " + s.fixture.root() +
                                     "/kernels--org--absent/snapshots/" + kSha + ", " + s.fixture.root() +
                                     "/models--org--absent/snapshots/" + kSha + ")");

  VerifyOptions all;
  all.all_variants = true;
  auto a = s.run(all);
  REQUIRE(a.variants.size() == 3);
  CHECK(a.variants[1].variant == "torch-cuda");
  CHECK(a.variants[1].status == VariantReport::Status::Missing);
  CHECK(a.variants[1].missing == "not in " + s.fixture.repo_dir(kRepo) + "/snapshots/" + kSha + "/build/");
  CHECK(a.variants[2].status == VariantReport::Status::Missing);
  CHECK(a.count(VariantReport::Status::Missing) == 2);
}

TEST_CASE("verify: files huggingface_hub does not write fail the lock check", "[lockfile][verify]") {
  Setup s;
  kernels::test::fixture_put(s.dir + "/planted.py", "import os\n");       // a regular file
  fs::create_directory_symlink("/tmp", s.dir + "/dirlink");               // a directory link
  fs::create_symlink("../../../../blobs/not-a-blob", s.dir + "/odd.py");  // not a blob name
  kernels::test::fixture_put(s.fixture.repo_dir(kRepo) + "/blobs/not-a-blob", "x");
  kernels::test::fixture_put(s.dir + "/__pycache__/x.cpython-312.pyc", "bytecode is ignored");
  kernels::test::fixture_put(s.dir + "/y.pyc", "bytecode is ignored");
  auto v = s.run().variants[0];
  auto t = texts(v);
  REQUIRE(t.size() == 5);
  CHECK(t[0] == "dirlink: a link to a directory (/tmp), which huggingface_hub never writes; not followed");
  CHECK(t[1] == "odd.py: links to ../../../../blobs/not-a-blob, which is not a blob (40 or 64 lowercase hex digits)");
  CHECK(t[2] == "planted.py: a regular file, not a link into blobs/: huggingface_hub did not put it there");
  CHECK(t[3] == "Unknown file: odd.py");
  CHECK(t[4] == "Unknown file: planted.py");
}

TEST_CASE("verify: lock entries that cannot name a cache path are refused", "[lockfile][verify]") {
  Setup s;
  s.lock.kernels[0].sha = "../../../etc";
  auto r = verify_lock(s.lock, s.cache(), {});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message ==
        "kernels.lock entry 1 (org/relu): \"sha\" is \"../../../etc\", expected 40 lowercase hex digits");
  s.lock.kernels[0].sha = kSha;
  s.lock.kernels[0].variants[0].name = "..";
  CHECK_FALSE(verify_lock(s.lock, s.cache(), {}).ok());
  s.lock.kernels[0].variants[0].name = "torch-cpu";
  s.lock.kernels[0].repo_id = "../x";
  CHECK_FALSE(verify_lock(s.lock, s.cache(), {}).ok());
}

namespace {

// A stand-in for the Sigstore verifier of the next issue: records what it
// was given and answers as told.
class RecordingVerifier : public SignatureVerifier {
 public:
  explicit RecordingVerifier(SignatureResult answer) : answer_(std::move(answer)) {}
  SignatureResult verify(const SignatureInput& input) const override {
    std::lock_guard<std::mutex> lock(mutex_);
    metadata = input.metadata ? std::optional<std::string>(std::string(*input.metadata)) : std::nullopt;
    bundle = input.bundle ? std::optional<std::string>(std::string(*input.bundle)) : std::nullopt;
    return answer_;
  }
  mutable std::optional<std::string> metadata, bundle;

 private:
  SignatureResult answer_;
  mutable std::mutex mutex_;
};

}  // namespace

TEST_CASE("verify: the signature step sees the raw bytes, a failed signature stops the digest", "[lockfile][verify]") {
  Setup s;
  s.files.push_back({"metadata.json.sigstore", "{\"mediaType\": \"bundle\"}"});
  s.fixture.add_variant(kRepo, kSha, "torch-cpu", s.files);
  s.lock.kernels[0].variants[0].hash = fixture_lock_hash(s.files);

  RecordingVerifier good(SignatureResult{SignatureResult::Status::Verified, "signed by CI"});
  VerifyOptions o;
  o.signature_verifier = &good;
  auto ok = s.run(o).variants[0];
  CHECK(ok.status == VariantReport::Status::Ok);
  CHECK(ok.signature.status == SignatureResult::Status::Verified);
  CHECK(good.metadata == s.files[4].content);
  CHECK(good.bundle == "{\"mediaType\": \"bundle\"}");

  RecordingVerifier bad(SignatureResult{SignatureResult::Status::Failed, "wrong identity"});
  o.signature_verifier = &bad;
  auto failed = s.run(o).variants[0];
  CHECK(failed.status == VariantReport::Status::Mismatch);
  CHECK(failed.signature.detail == "wrong identity");
  CHECK(failed.digest_status == VariantReport::DigestStatus::NotChecked);

  RecordingVerifier unsigned_(SignatureResult{SignatureResult::Status::BundleMissing, ""});
  o.signature_verifier = &unsigned_;
  CHECK(s.run(o).variants[0].status == VariantReport::Status::Ok);
  o.require_signature = true;
  CHECK(s.run(o).variants[0].status == VariantReport::Status::Mismatch);
}

TEST_CASE("verify: default_variants keeps the cached variants in lock order", "[lockfile][verify]") {
  LockedKernel k{kRepo, kSha, {VariantLock{"b", ""}, VariantLock{"a", ""}, VariantLock{"c", ""}}};
  CHECK(default_variants(k, {"c", "b", "z"}) == std::vector<std::string>{"b", "c"});
  CHECK(default_variants(k, {}).empty());
}

TEST_CASE("verify: a hash type other than git_lfs_concat cannot be checked and fails the variant",
          "[lockfile][verify]") {
  Setup s;
  s.lock.kernels[0].variants[0].hash_type = "nix_sri";
  auto v = s.run().variants[0];
  CHECK(v.status == VariantReport::Status::Mismatch);
  REQUIRE_FALSE(v.lock_problems.empty());
  CHECK(v.lock_problems[0].text == "kernels.lock gives hash type \"nix_sri\"; only git_lfs_concat can be checked");
}
