// Verifying one artifact against one Sigstore bundle, offline, from a
// trusted root: the entry point `kernels verify-bundle` and `kernels verify`
// call. Each step lives in its own file (bundle, trusted_root, rekor,
// checkpoint, merkle, tsa, certificate, sct, policy); this file only orders
// them and says which one failed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sigstore/bundle.hpp"
#include "sigstore/policy.hpp"
#include "sigstore/trusted_root.hpp"
#include "util/result.hpp"

namespace kernels::sigstore {

// A time the signature is proven to have existed by.
struct VerifiedTime {
  std::string source;  // "Rekor integrated time" or "RFC 3161 timestamp"
  std::int64_t seconds = 0;
};

// What a successful verification established.
struct Verified {
  std::vector<VerifiedTime> times;
  std::string log_url;  // the Rekor log of the (first) entry
  std::int64_t log_index = 0;
  std::string entry_kind;  // "hashedrekord 0.0.1"
  bool managed_key = false;
  // Keyless only: the certificate's identity.
  std::vector<std::string> subject_alternative_names;
  std::string issuer;
};

// Verifies `bundle_bytes` (JSON) for the artifact `raw_bytes`. Errors are
// values whose message names the failed step; code "unsupported" for what
// this verifier refuses (DSSE, other entry kinds), "parse" for malformed
// input, and the step's code otherwise.
Result<Verified> verify_artifact(std::string_view raw_bytes, std::string_view bundle_bytes, const Policy& policy,
                                 const TrustedRoot& trusted_root);

// The same for an artifact known only by its SHA-256 digest (32 bytes).
Result<Verified> verify_artifact_digest(std::string_view sha256_digest, std::string_view bundle_bytes,
                                        const Policy& policy, const TrustedRoot& trusted_root);

// The steps after parsing. `raw_bytes` is needed only for Ed25519 managed
// keys (which cannot sign a digest). `now` bounds integrated times.
Result<Verified> verify_bundle(const Bundle& bundle, std::string_view sha256_digest,
                               std::optional<std::string_view> raw_bytes, const Policy& policy,
                               const TrustedRoot& trusted_root, std::int64_t now);

}  // namespace kernels::sigstore
