// lockfile/verify_variant: one variant directory through Python's
// verify_variant order, with a stand-in SignatureVerifier (the real one,
// lib/sigstore, has its own tests) and digests computed by the fixture.
#include <catch2/catch.hpp>

#include <filesystem>

#include "cli/verify_output.hpp"
#include "lockfile/sigstore_signature.hpp"
#include "lockfile/verify_variant.hpp"
#include "sigstore/trusted_root.hpp"
#include "tests/support/hf_cache_fixture.hpp"
#include "tests/support/process.hpp"

using namespace kernels::lockfile;
using Kind = VariantVerification::Kind;
using kernels::test::FixtureFile;
using kernels::test::HfCacheFixture;
using kernels::test::with_metadata;
namespace fs = std::filesystem;

namespace {

const std::string kSha = "0123456789abcdef0123456789abcdef01234567";
const std::string kBundle = "{\"a bundle\": true}";

// Verifies a bundle equal to kBundle over metadata bytes equal to `signed_`;
// refuses any other bundle as invalid. Records what it was given.
class StubVerifier final : public SignatureVerifier {
 public:
  explicit StubVerifier(std::string signed_bytes) : signed_(std::move(signed_bytes)) {}
  SignatureResult verify(const SignatureInput& input) const override {
    using S = SignatureResult::Status;
    ++calls;
    if (!input.bundle) return {S::BundleMissing, ""};
    if (*input.bundle != kBundle) return {S::BundleInvalid, "not a bundle: " + std::string(*input.bundle)};
    if (!input.metadata) return {S::MetadataMissing, ""};
    if (*input.metadata != signed_) return {S::Failed, "the signature is over other bytes"};
    return {S::Verified, "someone@example.com"};
  }
  mutable int calls = 0;

 private:
  std::string signed_;
};

std::vector<FixtureFile> files() {
  return {{"__init__.py", "from ._ops import ops\n"},
          {"_ops.py", "ops = 1\n"},
          {"relu/__init__.py", "def relu(x):\n    return x\n"},
          {"_relu.abi3.so", std::string(50000, 'S'), true}};
}

struct Variant {
  kernels::test::TempDir tmp;
  HfCacheFixture cache{tmp.path() + "/hub"};
  std::vector<FixtureFile> with_meta = with_metadata(files());
  std::string metadata = with_meta.back().content;
  std::string dir;
  explicit Variant(bool signed_ = true, bool with_metadata_file = true) {
    auto set = with_metadata_file ? with_meta : files();
    if (signed_) set.push_back({"metadata.json.sigstore", kBundle});
    dir = cache.add_variant("org/relu", kSha, "torch-cpu", set);
  }
  VariantVerification check(const std::string& signed_bytes) const {
    StubVerifier v(signed_bytes);
    return verify_variant_dir(dir, v, 2);
  }
  VariantVerification check() const { return check(metadata); }
  void replace(const std::string& relpath, const std::string& content) const {
    fs::remove(dir + "/" + relpath);
    kernels::test::fixture_put(dir + "/" + relpath, content);
  }
};

}  // namespace

TEST_CASE("verify_variant_dir: signed, digest matching: Success with the signer", "[lockfile][verify_variant]") {
  Variant v;
  auto r = v.check();
  CHECK(r.kind == Kind::Success);
  CHECK(r.reason == "someone@example.com");
  CHECK(r.violations.empty());
  CHECK(std::string(verification_kind_name(r.kind)) == "success");
}

TEST_CASE("verify_variant_dir: no bundle comes first, even with nothing else", "[lockfile][verify_variant]") {
  Variant v(false);
  CHECK(v.check().kind == Kind::SignatureBundleMissing);
  Variant bare(false, false);
  CHECK(bare.check().kind == Kind::SignatureBundleMissing);
  // A dangling link counts as absent, as Path.exists() says.
  Variant dangling;
  fs::remove(dangling.cache.blob_path("org/relu", {"metadata.json.sigstore", kBundle}));
  CHECK(dangling.check().kind == Kind::SignatureBundleMissing);
}

TEST_CASE("verify_variant_dir: an invalid bundle is found before a missing metadata.json",
          "[lockfile][verify_variant]") {
  Variant v(true, false);
  v.replace("metadata.json.sigstore", "not json");
  auto r = v.check();
  CHECK(r.kind == Kind::SignatureBundleInvalid);
  CHECK(r.reason == "not a bundle: not json");
  // A bundle that is not a regular file cannot be read: invalid, with why.
  Variant dir_bundle(false);
  fs::create_directories(dir_bundle.dir + "/metadata.json.sigstore");
  auto d = dir_bundle.check();
  CHECK(d.kind == Kind::SignatureBundleInvalid);
  CHECK_FALSE(d.reason.empty());
}

TEST_CASE("verify_variant_dir: a bundle without metadata.json is MetadataMissing", "[lockfile][verify_variant]") {
  Variant v(true, false);
  auto r = v.check();
  CHECK(r.kind == Kind::MetadataMissing);
  CHECK(std::string(verification_kind_name(r.kind)) == "metadata-missing");
}

TEST_CASE("verify_variant_dir: the signature is checked on the raw bytes before parsing",
          "[lockfile][verify_variant]") {
  Variant v;
  // Signed bytes differ from the file by one space: the signature fails,
  // though the file would parse and its digest match.
  auto r = v.check(v.metadata + " ");
  CHECK(r.kind == Kind::SignatureVerificationFailure);
  CHECK(r.reason == "the signature is over other bytes");
  // Metadata that is not JSON but carries a valid signature: only then parsed.
  v.replace("metadata.json", "{not json");
  auto bad = v.check("{not json");
  CHECK(bad.kind == Kind::MetadataInvalid);
  INFO(bad.reason);
  CHECK(bad.reason.find("/metadata.json:1:") != std::string::npos);
  CHECK(bad.reason.find("not valid JSON") != std::string::npos);
  // And when the signature does not verify, the parse error is never reached.
  CHECK(v.check("other").kind == Kind::SignatureVerificationFailure);
}

TEST_CASE("verify_variant_dir: no digest is DigestMissing", "[lockfile][verify_variant]") {
  Variant v;
  std::string no_digest = "{\n  \"name\": \"relu\",\n  \"python-depends\": []\n}";
  v.replace("metadata.json", no_digest);
  auto r = v.check(no_digest);
  CHECK(r.kind == Kind::DigestMissing);
  CHECK(r.reason.empty());
}

TEST_CASE("verify_variant_dir: digest violations in kernels-data's order", "[lockfile][verify_variant]") {
  Variant v;
  v.replace("_ops.py", "ops = 2\n");
  fs::remove(v.dir + "/relu/__init__.py");
  v.replace("zz_extra.py", "x\n");
  v.replace("aa_extra.py", "y\n");
  // Neither bytecode nor __pycache__ counts.
  v.replace("stale.pyc", "bytecode");
  v.replace("__pycache__/x.cpython-311.pyc", "bytecode");
  auto r = v.check();
  REQUIRE(r.kind == Kind::DigestVerificationFailure);
  REQUIRE(r.violations.size() == 4);
  CHECK(r.violations[0].text() ==
        "File hash mismatch for _ops.py: expected: " + kernels::test::fixture_digest_value("ops = 1\n") +
            ", got: " + kernels::test::fixture_digest_value("ops = 2\n"));
  CHECK(r.violations[1].text() == "Missing file: relu/__init__.py");
  CHECK(r.violations[2].text() == "Unknown file: aa_extra.py");
  CHECK(r.violations[3].text() == "Unknown file: zz_extra.py");
  CHECK(std::string(verification_kind_name(r.kind)) == "digest-failed");
}

TEST_CASE("verify_variant_dir: a digest that cannot be computed fails with why", "[lockfile][verify_variant]") {
  Variant v;
  fs::remove(v.cache.blob_path("org/relu", files()[3]));
  auto r = v.check();
  CHECK(r.kind == Kind::DigestVerificationFailure);
  CHECK(r.violations.empty());
  CHECK(r.reason.find("dangling symlink _relu.abi3.so") != std::string::npos);
}

TEST_CASE("verify_variant_dir: SHA-512 digests", "[lockfile][verify_variant]") {
  kernels::test::TempDir tmp;
  HfCacheFixture cache{tmp.path() + "/hub"};
  auto set = with_metadata(files(), "sha512");
  std::string metadata = set.back().content;
  set.push_back({"metadata.json.sigstore", kBundle});
  std::string dir = cache.add_variant("org/relu", kSha, "torch-cpu", set);
  StubVerifier verifier(metadata);
  CHECK(verify_variant_dir(dir, verifier).kind == Kind::Success);
}

TEST_CASE("verify_variant_dir: the real verifier refuses the stand-in bundle as invalid",
          "[lockfile][verify_variant]") {
  Variant v;
  auto root = kernels::sigstore::load_trusted_root("");
  REQUIRE(root.ok());
  SigstoreSignatureVerifier real(std::move(*root), kernels::sigstore::kernels_default_policy());
  auto r = verify_variant_dir(v.dir, real);
  CHECK(r.kind == Kind::SignatureBundleInvalid);
  CHECK_FALSE(r.reason.empty());
}

TEST_CASE("verification_kind_name: one stable name per kind", "[lockfile][verify_variant]") {
  std::vector<std::string> names;
  for (Kind k : {Kind::Success, Kind::SignatureBundleMissing, Kind::SignatureBundleInvalid, Kind::MetadataMissing,
                 Kind::SignatureVerificationFailure, Kind::MetadataInvalid, Kind::DigestMissing,
                 Kind::DigestVerificationFailure})
    names.push_back(verification_kind_name(k));
  CHECK(names == std::vector<std::string>{"success", "signature-missing", "signature-invalid", "metadata-missing",
                                          "signature-failed", "metadata-invalid", "digest-missing", "digest-failed"});
}

// The lines `kernels verify-signature` prints for each kind (cli/verify_output),
// checked here beside the kinds, since the integration test cannot reach a
// signature over real metadata with the conformance bundles alone.

TEST_CASE("verify-signature lines: Python's words for every kind", "[lockfile][verify_variant][cli]") {
  using kernels::cli::signature_check_lines;
  using Lines = std::vector<std::string>;
  const std::string x = "\xE2\x9D\x8C torch-cpu: ";
  auto of = [](Kind k, std::string reason = {}, std::vector<DigestViolation> violations = {}) {
    VariantVerification v;
    v.kind = k;
    v.reason = std::move(reason);
    v.violations = std::move(violations);
    return v;
  };
  CHECK(signature_check_lines("torch-cpu", of(Kind::Success, "signer")) ==
        Lines{"\xE2\x9C\x85 torch-cpu: kernel metadata is correctly signed"});
  CHECK(signature_check_lines("torch-cpu", of(Kind::SignatureBundleMissing)) ==
        Lines{x + "cannot verify kernel integrity, signature not found"});
  CHECK(signature_check_lines("torch-cpu", of(Kind::SignatureBundleInvalid, "bad")) ==
        Lines{x + "cannot verify kernel integrity, invalid signature bundle:", "bad"});
  CHECK(signature_check_lines("torch-cpu", of(Kind::MetadataInvalid, "m:1:1: bad")) ==
        Lines{x + "cannot verify kernel integrity, invalid metadata:", "m:1:1: bad"});
  for (Kind k : {Kind::MetadataMissing, Kind::DigestMissing})
    CHECK(signature_check_lines("torch-cpu", of(k)) ==
          Lines{x + "cannot verify kernel integrity, metadata does not have a digest"});
  using VK = DigestViolation::Kind;
  CHECK(signature_check_lines("torch-cpu", of(Kind::DigestVerificationFailure, "",
                                              {{VK::AlgorithmMismatch, "", "SHA256", "SHA512"},
                                               {VK::MissingFile, "a.py", "", ""},
                                               {VK::HashMismatch, "b.py", "E=", "G="},
                                               {VK::UnknownFile, "c.py", "", ""}})) ==
        Lines{x + "kernel integrity check failed", "Algorithm mismatch: expected: SHA256, got: SHA512",
              "Missing file: a.py", "File hash mismatch for b.py: expected: E=, got: G=", "Unknown file: c.py"});
  CHECK(signature_check_lines("torch-cpu", of(Kind::DigestVerificationFailure, "dangling symlink x")) ==
        Lines{x + "kernel integrity check failed", "dangling symlink x"});
  CHECK(signature_check_lines("torch-cpu", of(Kind::SignatureVerificationFailure, "policy: no")) ==
        Lines{x + "metadata signature verification failed:", "policy: no"});
  // A name or reason cannot forge a line.
  auto forged = signature_check_lines("torch-cpu\n\xE2\x9C\x85 evil", of(Kind::SignatureBundleInvalid, "a\nb"));
  REQUIRE(forged.size() == 2);
  CHECK(forged[0].find('\n') == std::string::npos);
  CHECK(forged[1].find('\n') == std::string::npos);
}

TEST_CASE("verify-signature filters: which kinds each one leaves out", "[lockfile][verify_variant][cli]") {
  using kernels::cli::filtered_out;
  auto v = [](Kind k) {
    VariantVerification out;
    out.kind = k;
    return out;
  };
  CHECK(filtered_out(v(Kind::SignatureBundleMissing), true, false));
  CHECK_FALSE(filtered_out(v(Kind::SignatureBundleMissing), false, true));
  CHECK(filtered_out(v(Kind::MetadataMissing), false, true));
  CHECK(filtered_out(v(Kind::DigestMissing), false, true));
  CHECK_FALSE(filtered_out(v(Kind::DigestMissing), true, false));
  for (Kind k : {Kind::Success, Kind::SignatureBundleInvalid, Kind::SignatureVerificationFailure, Kind::MetadataInvalid,
                 Kind::DigestVerificationFailure})
    CHECK_FALSE(filtered_out(v(k), true, true));
}
