// RFC 3161 signed timestamps over the bundle's signature bytes, verified
// with OpenSSL's TS API against the timestamp authorities of the trusted
// root: the response is granted, its message imprint is the hash of the
// signature, the CMS signature chains to a trusted TSA at the timestamp's
// own time (an expired TSA chain is fine if it was valid then), and the
// time lies in that TSA's validity interval.
#pragma once

#include <string_view>

#include "sigstore/time.hpp"
#include "sigstore/trusted_root.hpp"
#include "util/result.hpp"

namespace kernels::sigstore {

// The genTime of a DER TimeStampResp, unverified. Error code "timestamp".
Result<Timestamp> timestamp_gen_time(std::string_view response_der);

// Verifies `response_der` over `signed_data` and returns its time.
Result<Timestamp> verify_rfc3161_timestamp(std::string_view response_der, std::string_view signed_data,
                                           const TrustedRoot& root);

}  // namespace kernels::sigstore
