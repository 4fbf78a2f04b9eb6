// The test Sigstore instance (tests/support/test_sigstore) against the real
// verifier: what it signs must pass every step of lib/sigstore with the
// kernels library's default policy, and fail the right step when one thing
// is wrong. The signed kernel fixtures (tests/hub/signed_variants) rely on
// both halves.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <ctime>
#include <nlohmann/json.hpp>

#include "sigstore/bundle.hpp"
#include "sigstore/encoding.hpp"
#include "sigstore/policy.hpp"
#include "sigstore/verifier.hpp"
#include "tests/support/test_sigstore.hpp"

using kernels::ErrorCode;

using namespace kernels::sigstore;
using kernels::test::Identity;
using kernels::test::TestSigstore;

namespace {

const TestSigstore& signer() {
  static const TestSigstore s = TestSigstore::create();
  return s;
}

TrustedRoot root_of(const TestSigstore& s) {
  auto root = parse_trusted_root(s.trusted_root_json());
  REQUIRE(root.ok());
  return *root;
}

const std::string kMetadata = "{\n  \"name\": \"relu\",\n  \"python-depends\": []\n}";

}  // namespace

TEST_CASE("test sigstore: its trusted root lists one CA chain, one Rekor log and one CT log",
          "[sigstore][test-signer]") {
  TrustedRoot root = root_of(signer());
  REQUIRE(root.tlogs.size() == 1);
  CHECK(root.tlogs[0].base_url == TestSigstore::kRekorUrl);
  CHECK(root.tlogs[0].log_id == sha256(root.tlogs[0].public_key));
  REQUIRE(root.ctlogs.size() == 1);
  CHECK(root.ctlogs[0].log_id == sha256(root.ctlogs[0].public_key));
  REQUIRE(root.certificate_authorities.size() == 1);
  CHECK(root.certificate_authorities[0].chain.size() == 2);  // intermediate, root
  CHECK(root.timestamp_authorities.empty());
  CHECK(root.certificate_authorities[0].valid_for.contains(std::time(nullptr)));
}

TEST_CASE("test sigstore: a signed artifact verifies with the kernels library's default policy",
          "[sigstore][test-signer]") {
  std::string bundle = signer().sign(kMetadata);
  auto v = verify_artifact(kMetadata, bundle, kernels_default_policy(), root_of(signer()));
  INFO((v.ok() ? std::string() : v.error().message));
  REQUIRE(v.ok());
  CHECK(v->log_url == TestSigstore::kRekorUrl);
  CHECK(v->entry_kind == "hashedrekord 0.0.1");
  CHECK(v->issuer == "https://token.actions.githubusercontent.com");
  REQUIRE(v->subject_alternative_names.size() == 1);
  CHECK(v->subject_alternative_names[0] ==
        "https://github.com/huggingface/kernels-community/.github/workflows/build.yaml@refs/heads/main");
  REQUIRE(v->times.size() == 1);
  CHECK(v->times[0].source == "Rekor integrated time");
  CHECK(std::abs(v->times[0].seconds - static_cast<std::int64_t>(std::time(nullptr))) < 60);
  CHECK(!v->managed_key);

  // The same bundle by digest, and the bundle's shape as the parser sees it.
  CHECK(verify_artifact_digest(sha256(kMetadata), bundle, kernels_default_policy(), root_of(signer())).ok());
  auto parsed = parse_bundle(bundle);
  REQUIRE(parsed.ok());
  CHECK(parsed->minor_version == 3);
  REQUIRE(parsed->tlog_entries.size() == 1);
  const TlogEntry& e = parsed->tlog_entries[0];
  REQUIRE(e.inclusion_proof);
  REQUIRE(e.inclusion_proof->checkpoint);
  // Rekor v1 shards: the global index is not the index in the tree.
  CHECK(e.log_index != e.inclusion_proof->log_index);
  CHECK(!e.inclusion_proof->hashes.empty());
}

TEST_CASE("test sigstore: successive signatures grow one log and all verify", "[sigstore][test-signer]") {
  TestSigstore s = TestSigstore::create();
  TrustedRoot root = root_of(s);
  // Tree sizes 4 to 11: proofs from the right edge, with and without a
  // lone right subtree (each shape of RFC 6962's audit path).
  for (int i = 0; i < 8; ++i) {
    std::string artifact = kMetadata + std::to_string(i);
    auto v = verify_artifact(artifact, s.sign(artifact), kernels_default_policy(), root);
    INFO(i << ": " << (v.ok() ? std::string() : v.error().message));
    CHECK(v.ok());
  }
}

TEST_CASE("test sigstore: a changed artifact is refused", "[sigstore][test-signer]") {
  std::string bundle = signer().sign(kMetadata);
  auto v = verify_artifact(kMetadata + " ", bundle, kernels_default_policy(), root_of(signer()));
  REQUIRE(!v.ok());
  CHECK(v.error().code == ErrorCode::rekor_body);
  CHECK(v.error().message.find("is not this artifact's sha256:" + hex_encode(sha256(kMetadata + " "))) !=
        std::string::npos);
}

TEST_CASE("test sigstore: a bundle from another instance is refused by this one's root", "[sigstore][test-signer]") {
  TestSigstore other = TestSigstore::create();
  std::string bundle = other.sign(kMetadata);
  auto v = verify_artifact(kMetadata, bundle, kernels_default_policy(), root_of(signer()));
  REQUIRE(!v.ok());
  CHECK(v.error().code == ErrorCode::tlog);
  CHECK(v.error().message.find("is not a Rekor log of the trusted root") != std::string::npos);
  // Its own root accepts it.
  CHECK(verify_artifact(kMetadata, bundle, kernels_default_policy(), root_of(other)).ok());

  // This instance's logs with the other's CA: the chain is what fails.
  TrustedRoot mixed = root_of(other);
  mixed.certificate_authorities = root_of(signer()).certificate_authorities;
  auto chain = verify_artifact(kMetadata, bundle, kernels_default_policy(), mixed);
  REQUIRE(!chain.ok());
  CHECK(chain.error().code == ErrorCode::certificate);
  CHECK(chain.error().message.find("does not chain to a trusted certificate authority") != std::string::npos);
}

TEST_CASE("test sigstore: a wrong identity fails the policy, naming the extension", "[sigstore][test-signer]") {
  TrustedRoot root = root_of(signer());
  Identity fork;
  fork.build_signer_uri = "https://github.com/evil/kernels-community/.github/workflows/build.yaml@refs/heads/main";
  auto v = verify_artifact(kMetadata, signer().sign(kMetadata, fork), kernels_default_policy(), root);
  REQUIRE(!v.ok());
  CHECK(v.error().code == ErrorCode::policy);
  CHECK(v.error().message.find("build signer URI (1.3.6.1.4.1.57264.1.9) is \"" + fork.build_signer_uri +
                               "\", expected one of ") != std::string::npos);

  Identity repo;
  repo.source_repository_uri = "https://github.com/evil/kernels";
  auto r = verify_artifact(kMetadata, signer().sign(kMetadata, repo), kernels_default_policy(), root);
  REQUIRE(!r.ok());
  CHECK(
      r.error().message.find("source repository URI (1.3.6.1.4.1.57264.1.12) is \"https://github.com/evil/kernels\"") !=
      std::string::npos);

  Identity gitlab;
  gitlab.issuer = "https://gitlab.com";
  auto g = verify_artifact(kMetadata, signer().sign(kMetadata, gitlab), kernels_default_policy(), root);
  REQUIRE(!g.ok());
  CHECK(g.error().message.find("OIDC issuer (1.3.6.1.4.1.57264.1.1) is \"https://gitlab.com\"") != std::string::npos);

  // --identity/--issuer: the SAN is what counts there.
  Identity mine;
  mine.san = "https://github.com/org/repo/.github/workflows/sign.yml@refs/heads/main";
  auto id = verify_artifact(kMetadata, signer().sign(kMetadata, mine),
                            identity_policy(mine.san, "https://token.actions.githubusercontent.com"), root);
  CHECK(id.ok());
}

TEST_CASE("test sigstore: a tampered log entry or SCT is caught by its step", "[sigstore][test-signer]") {
  TrustedRoot root = root_of(signer());
  auto bundle = nlohmann::json::parse(signer().sign(kMetadata));
  auto& entry = bundle["verificationMaterial"]["tlogEntries"][0];

  SECTION("the integrated time (the SET covers it)") {
    entry["integratedTime"] = std::to_string(std::stoll(entry["integratedTime"].get<std::string>()) - 1);
    auto v = verify_artifact(kMetadata, bundle.dump(), kernels_default_policy(), root);
    REQUIRE(!v.ok());
    CHECK(v.error().code == ErrorCode::set);
  }
  SECTION("the checkpoint's signature") {
    std::string cp = entry["inclusionProof"]["checkpoint"]["envelope"];
    cp.replace(0, 4, "REKO");
    entry["inclusionProof"]["checkpoint"]["envelope"] = cp;
    auto v = verify_artifact(kMetadata, bundle.dump(), kernels_default_policy(), root);
    REQUIRE(!v.ok());
    CHECK(v.error().code == ErrorCode::checkpoint);
  }
  SECTION("the CT log unknown to the root") {
    root.ctlogs[0].log_id[0] = static_cast<char>(root.ctlogs[0].log_id[0] ^ 1);
    auto v = verify_artifact(kMetadata, bundle.dump(), kernels_default_policy(), root);
    REQUIRE(!v.ok());
    CHECK(v.error().code == ErrorCode::sct);
  }
}
