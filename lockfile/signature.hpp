// The signature step of `kernels verify` and `kernels verify-signature`: the
// interface a Sigstore verifier of `metadata.json.sigstore` plugs in through
// (sigstore_signature.hpp is the real one; tests substitute their own). It runs on the RAW
// bytes of metadata.json, after the lock check and before metadata.json is
// parsed; only when it succeeds (or no verifier is configured) is the file
// parsed and its digest compared, so that a bad signature is never
// followed by trusting the digest it covers.
//
// The result kinds follow the checks of Python's `kernels verify-signature`
// (kernels' verify-signature): bundle missing, bundle invalid, metadata
// missing, verification failed, verified.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kernels::lockfile {

struct SignatureInput {
  std::string variant_dir;
  std::optional<std::string_view> metadata;  // raw metadata.json bytes; nullopt when the file is absent
  std::optional<std::string_view> bundle;    // raw metadata.json.sigstore bytes; nullopt when absent
};

struct SignatureResult {
  enum class Status {
    NotChecked,       // no verifier configured (--no-signatures)
    Verified,         // the bundle verifies over the metadata bytes and the identity policy holds
    BundleMissing,    // no metadata.json.sigstore
    BundleInvalid,    // the bundle is not a bundle a verifier accepts
    MetadataMissing,  // a bundle but no metadata.json to check it against
    Failed,           // the signature, certificate, log entry or identity does not verify
  };
  Status status = Status::NotChecked;
  std::string detail;  // why (for failures) or who signed (Verified)
};

// "not-checked", "verified", "bundle-missing", "bundle-invalid", "metadata-missing", "failed".
const char* signature_status_name(SignatureResult::Status status);

// True for the statuses that make a variant fail (a bundle that is there
// but does not verify). BundleMissing fails only when signatures are
// required, which VerifyOptions::require_signature decides.
bool signature_failed(SignatureResult::Status status);

class SignatureVerifier {
 public:
  virtual ~SignatureVerifier() = default;
  // Must be safe to call from several threads at once; must not print.
  virtual SignatureResult verify(const SignatureInput& input) const = 0;
};

}  // namespace kernels::lockfile
