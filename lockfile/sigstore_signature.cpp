#include "lockfile/sigstore_signature.hpp"

#include "sigstore/bundle.hpp"
#include "sigstore/verifier.hpp"

namespace kernels::lockfile {

SignatureResult SigstoreSignatureVerifier::verify(const SignatureInput& input) const {
  using S = SignatureResult::Status;
  if (!input.bundle) return {S::BundleMissing, "no metadata.json.sigstore"};
  auto bundle = sigstore::parse_bundle(*input.bundle);
  if (!bundle.ok()) return {S::BundleInvalid, bundle.error().message};
  if (!input.metadata) return {S::MetadataMissing, "a bundle but no metadata.json"};
  auto verified = sigstore::verify_artifact(*input.metadata, *input.bundle, policy_, root_);
  if (!verified.ok()) {
    const ErrorCode code = verified.error().code;
    S status = code == ErrorCode::parse || code == ErrorCode::unsupported ? S::BundleInvalid : S::Failed;
    return {status, verified.error().message};
  }
  std::string who = verified->managed_key ? "managed key" : "";
  if (!verified->managed_key) {
    for (const auto& san : verified->subject_alternative_names) who += (who.empty() ? "" : ", ") + san;
    if (!verified->issuer.empty()) who += " (issuer " + verified->issuer + ")";
  }
  if (!verified->log_url.empty())
    who += "; Rekor entry " + std::to_string(verified->log_index) + " at " + verified->log_url;
  return {S::Verified, who};
}

}  // namespace kernels::lockfile
