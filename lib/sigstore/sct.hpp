// Embedded signed certificate timestamps (RFC 6962 §3.3): the Fulcio leaf
// carries SCTs from CT logs in extension 1.3.6.1.4.1.11129.2.4.2. Each SCT
// signs the precertificate entry: the leaf's TBSCertificate with that
// extension removed, and the SHA-256 of the issuer's public key.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "sigstore/crypto.hpp"
#include "sigstore/trusted_root.hpp"
#include "util/result.hpp"

namespace kernels::sigstore {

struct Sct {
  Bytes log_id;  // 32 bytes
  std::uint64_t timestamp_ms = 0;
  Bytes extensions;
  std::uint8_t hash_algorithm = 0;       // 4 = sha256
  std::uint8_t signature_algorithm = 0;  // 1 = RSA, 3 = ECDSA
  Bytes signature;
};

// Parses a TLS-encoded SignedCertificateTimestampList (the extension's
// inner OCTET STRING content). Error code "sct".
Result<std::vector<Sct>> parse_sct_list(std::string_view tls);

// The bytes an SCT signs for a precertificate entry.
Bytes sct_signed_data(const Sct& sct, std::string_view tbs_without_scts, std::string_view issuer_key_hash);

// The leaf's TBSCertificate, DER, without the SCT list extension.
Result<Bytes> tbs_without_sct_extension(X509* leaf);

// Checks that at least one embedded SCT is from a CT log of the trusted
// root, inside that log's validity, and verifies with its key.
Status verify_embedded_scts(X509* leaf, X509* issuer, const TrustedRoot& root);

}  // namespace kernels::sigstore
