#include <catch2/catch.hpp>

#include <chrono>

#include "sigstore/verifier.hpp"
#include "tests/unit/sigstore/sigstore_test_support.hpp"

using kernels::ErrorCode;

using namespace kernels::sigstore;
using kernels::sigstore_test::artifact_a_txt;
using kernels::sigstore_test::conformance;

namespace {

const std::string kBeacon =
    "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/"
    "extremely-dangerous-oidc-beacon.yml@refs/heads/main";
const std::string kIssuer = "https://token.actions.githubusercontent.com";

const TrustedRoot& prod() {
  static const TrustedRoot root = *production_trusted_root();
  return root;
}

}  // namespace

TEST_CASE("verify_artifact: a Rekor v1 hashedrekord bundle, end to end", "[sigstore][verifier]") {
  auto v = verify_artifact(artifact_a_txt(), conformance("happy-path-v0.3"), identity_policy(kBeacon, kIssuer), prod());
  REQUIRE(v.ok());
  CHECK(v->log_url == "https://rekor.sigstore.dev");
  CHECK(v->log_index == 79571823);
  CHECK(v->entry_kind == "hashedrekord 0.0.1");
  REQUIRE(v->times.size() == 1);
  CHECK(v->times[0].seconds == 1710869186);
  CHECK(v->times[0].source == "Rekor integrated time");
  CHECK(v->issuer == kIssuer);
  CHECK(v->subject_alternative_names.at(0) == kBeacon);
  CHECK(!v->managed_key);

  // By digest, as `sha256:<hex>` gives it.
  auto d = verify_artifact_digest(sha256(artifact_a_txt()), conformance("happy-path-v0.3"),
                                  identity_policy(kBeacon, kIssuer), prod());
  CHECK(d.ok());
}

TEST_CASE("verify_artifact: each failure names its step", "[sigstore][verifier]") {
  auto policy = identity_policy(kBeacon, kIssuer);
  auto other = verify_artifact("not a.txt", conformance("happy-path-v0.3"), policy, prod());
  REQUIRE(!other.ok());
  CHECK(other.error().message.find("transparency log: Rekor entry: the logged artifact digest") == 0);

  auto kernels_policy =
      verify_artifact(artifact_a_txt(), conformance("happy-path-v0.3"), kernels_default_policy(), prod());
  REQUIRE(!kernels_policy.ok());
  CHECK(kernels_policy.error().code == ErrorCode::policy);

  auto dsse = verify_artifact(artifact_a_txt(), conformance("happy-path-intoto-in-dsse-v3"), policy, prod());
  REQUIRE(!dsse.ok());
  CHECK(dsse.error().code == ErrorCode::unsupported);

  auto staging = verify_artifact(artifact_a_txt(), conformance("bundle-from-wrong-instance_fail"), policy, prod());
  REQUIRE(!staging.ok());
  CHECK(staging.error().message.find("is not a Rekor log of the trusted root") != std::string::npos);

  auto key_bundle = verify_artifact(artifact_a_txt(), conformance("managed-key-happy-path"), policy, prod());
  REQUIRE(!key_bundle.ok());
  CHECK(key_bundle.error().message.find("verify it with --key") != std::string::npos);
}

TEST_CASE("verify_artifact: managed keys", "[sigstore][verifier]") {
  auto key = managed_key_policy(conformance("managed-key-happy-path", "key.pub"));
  auto v = verify_artifact(artifact_a_txt(), conformance("managed-key-happy-path"), key, prod());
  REQUIRE(v.ok());
  CHECK(v->managed_key);
  auto wrong = verify_artifact(artifact_a_txt(), conformance("managed-key-wrong-key_fail"),
                               managed_key_policy(conformance("managed-key-wrong-key_fail", "key.pub")), prod());
  CHECK(!wrong.ok());
  auto cert_bundle = verify_artifact(artifact_a_txt(), conformance("happy-path-v0.3"), key, prod());
  REQUIRE(!cert_bundle.ok());
  CHECK(cert_bundle.error().message.find("--key verifies managed-key bundles only") != std::string::npos);
}

TEST_CASE("verify_artifact: Rekor v2 with an RFC 3161 timestamp", "[sigstore][verifier]") {
  auto root = parse_trusted_root(conformance("rekor2-happy-path", "trusted_root.json"));
  REQUIRE(root.ok());
  auto v =
      verify_artifact(artifact_a_txt(), conformance("rekor2-happy-path"), identity_policy(kBeacon, kIssuer), *root);
  REQUIRE(v.ok());
  CHECK(v->entry_kind == "hashedrekord 0.0.2");
  REQUIRE(v->times.size() == 1);
  CHECK(v->times[0].source == "RFC 3161 timestamp");
  auto none = verify_artifact(artifact_a_txt(), conformance("rekor2-no-timestamp_fail"),
                              identity_policy(kBeacon, kIssuer), *root);
  REQUIRE(!none.ok());
  CHECK(none.error().message.find("no verified time source") != std::string::npos);
}

TEST_CASE("verify_artifact: one verification takes milliseconds", "[sigstore][verifier]") {
  const std::string bundle = conformance("happy-path-v0.3");
  const std::string artifact = artifact_a_txt();
  auto policy = identity_policy(kBeacon, kIssuer);
  const int n = 20;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) REQUIRE(verify_artifact(artifact, bundle, policy, prod()).ok());
  auto per_call = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() / n;
  // Measured at 4.0 ms (Rekor v1, production root) on an idle machine; the bound leaves room for a loaded one.
  CHECK(per_call < 100.0);
}
