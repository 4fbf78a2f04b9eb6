// One build variant directory checked the way Python's `kernels
// verify-signature` checks it (kernels' verify.py, `verify_variant`), for
// `kernels verify-signature`. The checks stop at the first that fails, in
// this order:
//
//   1. metadata.json.sigstore absent               -> SignatureBundleMissing
//   2. the bundle is not a bundle we accept         -> SignatureBundleInvalid
//   3. metadata.json absent                         -> MetadataMissing
//   4. the bundle does not verify over the RAW bytes of metadata.json
//      (trusted root, log entry, certificate, identity policy)
//                                                   -> SignatureVerificationFailure
//   5. metadata.json does not parse                 -> MetadataInvalid
//   6. metadata.json has no "digest"                -> DigestMissing
//   7. the files do not hash to the digest          -> DigestVerificationFailure
//   8. otherwise                                    -> Success
//
// Steps 1-4 are the SignatureVerifier's (signature.hpp; sigstore_signature.hpp
// does them with lib/sigstore), 5 is metadata.hpp and 6-7 digest.hpp, so
// that `kernels verify` and this share every check. Nothing is parsed
// before the signature has verified; nothing here prints.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "lockfile/digest.hpp"
#include "lockfile/signature.hpp"

namespace kernels::lockfile {

struct VariantVerification {
  // Python's VerificationResult kinds, in the order they are checked.
  enum class Kind {
    Success,
    SignatureBundleMissing,
    SignatureBundleInvalid,
    MetadataMissing,
    SignatureVerificationFailure,
    MetadataInvalid,
    DigestMissing,
    DigestVerificationFailure,
  };
  Kind kind = Kind::Success;
  // SignatureBundleInvalid, SignatureVerificationFailure, MetadataInvalid:
  // why. DigestVerificationFailure without violations: why the digest could
  // not be computed (a dangling link, an unreadable file). Success: who
  // signed and where it was logged. Empty otherwise.
  std::string reason;
  // DigestVerificationFailure: the violations in kernels-data's order
  // (algorithm, expected files in path order, then unknown files).
  std::vector<DigestViolation> violations;
};

// "success", "signature-missing", "signature-invalid", "metadata-missing",
// "signature-failed", "metadata-invalid", "digest-missing", "digest-failed":
// stable names for JSON output.
const char* verification_kind_name(VariantVerification::Kind kind);

// Verifies the variant directory `dir` (e.g. <cache>/kernels--org--name/
// snapshots/<commit>/build/<variant>). `jobs`: files hashed at once for the
// digest. A metadata.json or bundle that exists but cannot be read (not a
// regular file, larger than kMaxMetadataBytes) is MetadataInvalid or
// SignatureBundleInvalid with the reason.
VariantVerification verify_variant_dir(const std::string& dir, const SignatureVerifier& verifier, std::size_t jobs = 1);

}  // namespace kernels::lockfile
