// Who must have signed: identity policies over the Fulcio certificate, or a
// managed key. A failed policy says which extension held what and what was
// expected, not just "0 of 1 policies succeeded".
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <openssl/x509.h>

#include "util/result.hpp"

namespace kernels::sigstore {

inline constexpr const char* kOidIssuerV1 = "1.3.6.1.4.1.57264.1.1";
inline constexpr const char* kOidIssuerV2 = "1.3.6.1.4.1.57264.1.8";
inline constexpr const char* kOidBuildSignerUri = "1.3.6.1.4.1.57264.1.9";
inline constexpr const char* kOidSourceRepositoryUri = "1.3.6.1.4.1.57264.1.12";

// One certificate extension that must hold one of `allowed`.
struct ExtensionRule {
  std::string oid;
  std::string name;  // "OIDC issuer (v2)", for messages
  bool raw = false;  // raw string (1.3.6.1.4.1.57264.1.1-6) or DER UTF8String (.1.8 and later)
  std::vector<std::string> allowed;
};

struct Policy {
  // Keyless: the SAN (URI or email) must equal `san` when set, the OIDC
  // issuer must equal `issuer` when set (in whichever of the v1 and v2
  // extensions the certificate has, at least one), and every rule holds.
  std::optional<std::string> san;
  std::optional<std::string> issuer;
  std::vector<ExtensionRule> rules;
  // Managed key: the PEM public key the signature must verify with; the
  // bundle then carries a public key hint instead of a certificate.
  std::optional<std::string> managed_key_pem;

  bool is_managed_key() const { return managed_key_pem.has_value(); }
};

// --certificate-identity / --certificate-oidc-issuer (the conformance protocol).
Policy identity_policy(std::string san, std::string issuer);
// The kernels library's DEFAULT_POLICIES (verify.py): GitHub Actions of
// huggingface/kernels-community, one of its four signing workflows at main.
Policy kernels_default_policy();
// --key PEM.
Policy managed_key_policy(std::string pem);

// Checks a certificate against a keyless policy. Error code "policy".
Status check_policy(X509* leaf, const Policy& policy);

}  // namespace kernels::sigstore
