// X.509 facts and checks for the Fulcio leaf certificate: the chain to a
// trusted CA at a given time (OpenSSL X509_STORE with
// X509_V_FLAG_USE_CHECK_TIME), key usage digitalSignature and extended key
// usage codeSigning, the subject alternative names and the Fulcio
// extensions (1.3.6.1.4.1.57264.1.*) the identity policies read.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sigstore/crypto.hpp"
#include "sigstore/time.hpp"
#include "sigstore/trusted_root.hpp"
#include "util/result.hpp"

namespace kernels::sigstore {

// notBefore/notAfter as Unix seconds.
struct Validity {
  std::int64_t not_before = 0;
  std::int64_t not_after = 0;
};
Result<Validity> certificate_validity(X509* cert);

bool is_self_signed(X509* cert);
bool is_ca(X509* cert);

// Verifies that `leaf` chains to one of `cas` (each valid at `time` per the
// trusted root) with every certificate valid at `time`. Returns the leaf's
// issuer (for the SCT's issuer key hash). Error code "certificate".
Result<X509Ptr> verify_chain(X509* leaf, const std::vector<CertificateAuthority>& cas, std::int64_t time);

// Key usage digitalSignature and extended key usage codeSigning, both
// present. Error code "certificate".
Status check_code_signing_usage(X509* leaf);

// URIs and email addresses of the subject alternative name, in order.
std::vector<std::string> subject_alternative_names(X509* cert);

// The value of extension `oid` (dotted form): `raw` takes the extension's
// bytes as a string (how 1.3.6.1.4.1.57264.1.1 through .1.6 are written),
// otherwise they must be a DER UTF8String (.1.8 and later). nullopt when
// the certificate does not have it; error code "certificate" when the
// value is not the expected encoding.
Result<std::optional<std::string>> fulcio_extension(X509* cert, const std::string& oid, bool raw);

}  // namespace kernels::sigstore
