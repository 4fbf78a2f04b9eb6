// parse_bundle on bundle JSON, then, for what it accepts, every verification
// step (verify_bundle) against the embedded production trusted root: the
// bundle is the untrusted input of `kernels verify` and `verify-bundle`, and
// each step decodes more of it (Rekor body, checkpoint, certificate, SCTs,
// timestamps). The artifact is the conformance suite's a.txt and "now" is
// fixed, so a run is reproducible: the happy-path seeds verify to the end.
#include <string>

#include "sigstore/bundle.hpp"
#include "sigstore/encoding.hpp"
#include "sigstore/policy.hpp"
#include "sigstore/trusted_root.hpp"
#include "sigstore/verifier.hpp"
#include "tests/fuzz/fuzz_support.hpp"

using kernels::ErrorCode;

namespace sigstore = kernels::sigstore;
using kernels::fuzz::require;

namespace {

// tests/data/sigstore-conformance/a.txt and the suite's default identity.
constexpr std::string_view kArtifact =
    "DO NOT MODIFY ME!\n\nthis is \"a.txt\", a sample input for sigstore-conformance's test suite.\n\n"
    "DO NOT MODIFY ME!\n";
constexpr const char* kIdentity =
    "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/"
    "extremely-dangerous-oidc-beacon.yml@refs/heads/main";
constexpr const char* kIssuer = "https://token.actions.githubusercontent.com";
constexpr std::int64_t kNow = 1750000000;  // 2025-06-15

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const sigstore::TrustedRoot root = *sigstore::production_trusted_root();
  static const sigstore::Policy identity = sigstore::identity_policy(kIdentity, kIssuer);
  static const sigstore::Policy kernels_policy = sigstore::kernels_default_policy();
  static const std::string digest = sigstore::sha256(kArtifact);

  auto bundle = sigstore::parse_bundle(kernels::fuzz::text_of(data, size));
  if (!bundle.ok()) {
    require(bundle.error().code == ErrorCode::parse || bundle.error().code == ErrorCode::unsupported,
            "errors are parse or unsupported");
    return 0;
  }
  (void)sigstore::verify_bundle(*bundle, digest, kArtifact, identity, root, kNow);
  (void)sigstore::verify_bundle(*bundle, digest, std::nullopt, kernels_policy, root, kNow);
  return 0;
}
