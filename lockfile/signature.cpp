#include "lockfile/signature.hpp"

namespace kernels::lockfile {

const char* signature_status_name(SignatureResult::Status status) {
  using S = SignatureResult::Status;
  switch (status) {
    case S::NotChecked: return "not-checked";
    case S::Verified: return "verified";
    case S::BundleMissing: return "bundle-missing";
    case S::BundleInvalid: return "bundle-invalid";
    case S::MetadataMissing: return "metadata-missing";
    case S::Failed: return "failed";
  }
  return "?";
}

bool signature_failed(SignatureResult::Status status) {
  using S = SignatureResult::Status;
  return status == S::BundleInvalid || status == S::MetadataMissing || status == S::Failed;
}

}  // namespace kernels::lockfile
