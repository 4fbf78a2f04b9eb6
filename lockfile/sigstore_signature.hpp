// The signature step of `kernels verify` done with lib/sigstore: a
// SignatureVerifier that checks metadata.json.sigstore over the raw
// metadata.json bytes, offline, against one trusted root and one policy
// (by default the kernels library's: kernels-community's GitHub workflows).
//
// The checks run in the order of Python's `verify_variant`
// (kernels' verify-signature): bundle missing, bundle unreadable,
// metadata.json missing, then the signature itself.
#pragma once

#include "lockfile/signature.hpp"
#include "sigstore/policy.hpp"
#include "sigstore/trusted_root.hpp"

namespace kernels::lockfile {

class SigstoreSignatureVerifier final : public SignatureVerifier {
 public:
  SigstoreSignatureVerifier(sigstore::TrustedRoot root, sigstore::Policy policy)
      : root_(std::move(root)), policy_(std::move(policy)) {}
  SignatureResult verify(const SignatureInput& input) const override;

 private:
  sigstore::TrustedRoot root_;
  sigstore::Policy policy_;
};

}  // namespace kernels::lockfile
