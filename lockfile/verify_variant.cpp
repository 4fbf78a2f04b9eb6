#include "lockfile/verify_variant.hpp"

#include <filesystem>
#include <optional>
#include <system_error>

#include "lockfile/metadata.hpp"

namespace fs = std::filesystem;

namespace kernels::lockfile {
namespace {

using Kind = VariantVerification::Kind;

// A top-level file of the variant: nullopt when there is none (a dangling
// link counts as none, as Python's Path.exists() follows links), its bytes,
// or the error that reading it gave.
std::optional<Result<std::string>> read_if_present(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return std::nullopt;
  return read_metadata_bytes(path);
}

VariantVerification result(Kind kind, std::string reason = {}) {
  VariantVerification out;
  out.kind = kind;
  out.reason = std::move(reason);
  return out;
}

}  // namespace

const char* verification_kind_name(VariantVerification::Kind kind) {
  switch (kind) {
    case Kind::Success: return "success";
    case Kind::SignatureBundleMissing: return "signature-missing";
    case Kind::SignatureBundleInvalid: return "signature-invalid";
    case Kind::MetadataMissing: return "metadata-missing";
    case Kind::SignatureVerificationFailure: return "signature-failed";
    case Kind::MetadataInvalid: return "metadata-invalid";
    case Kind::DigestMissing: return "digest-missing";
    case Kind::DigestVerificationFailure: return "digest-failed";
  }
  return "?";
}

VariantVerification verify_variant_dir(const std::string& dir, const SignatureVerifier& verifier, std::size_t jobs) {
  const std::string metadata_path = dir + "/metadata.json";
  auto bundle = read_if_present(metadata_path + ".sigstore");
  auto metadata = read_if_present(metadata_path);

  // Steps 1-4: the verifier decides in Python's order (bundle missing,
  // bundle invalid, metadata missing, signature) from the raw bytes. A file
  // that is there but cannot be read is answered where its check comes.
  if (!bundle) return result(Kind::SignatureBundleMissing);
  if (!bundle->ok()) return result(Kind::SignatureBundleInvalid, bundle->error().message);
  SignatureInput input{dir, std::nullopt, bundle->value()};
  if (metadata && metadata->ok()) input.metadata = metadata->value();
  SignatureResult signature;
  if (metadata && !metadata->ok()) {
    // The bundle must still be a bundle before metadata.json is looked at.
    SignatureInput bundle_only{dir, std::nullopt, bundle->value()};
    signature = verifier.verify(bundle_only);
    if (signature.status == SignatureResult::Status::BundleInvalid)
      return result(Kind::SignatureBundleInvalid, signature.detail);
    return result(Kind::MetadataInvalid, metadata->error().message);
  }
  signature = verifier.verify(input);
  using S = SignatureResult::Status;
  switch (signature.status) {
    case S::BundleMissing: return result(Kind::SignatureBundleMissing);
    case S::BundleInvalid: return result(Kind::SignatureBundleInvalid, signature.detail);
    case S::MetadataMissing: return result(Kind::MetadataMissing);
    case S::Failed: return result(Kind::SignatureVerificationFailure, signature.detail);
    case S::NotChecked: return result(Kind::SignatureVerificationFailure, "no signature verifier is configured");
    case S::Verified: break;
  }
  const std::string signer = signature.detail;

  // Step 5: only now are the (verified) bytes parsed.
  auto parsed = parse_metadata(metadata->value(), metadata_path);
  if (!parsed.ok()) return result(Kind::MetadataInvalid, parsed.error().message);
  // Step 6.
  if (!parsed->digest) return result(Kind::DigestMissing);
  // Step 7.
  auto actual = compute_digest(dir, parsed->digest->algorithm, jobs);
  if (!actual.ok()) return result(Kind::DigestVerificationFailure, actual.error().message);
  auto violations = compare_digests(*parsed->digest, *actual);
  if (!violations.empty()) {
    VariantVerification out = result(Kind::DigestVerificationFailure);
    out.violations = std::move(violations);
    return out;
  }
  return result(Kind::Success, signer);
}

}  // namespace kernels::lockfile
