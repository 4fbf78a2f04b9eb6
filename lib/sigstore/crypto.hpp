// OpenSSL, owned: RAII handles and the signature checks every step uses.
// Keys come in as DER SubjectPublicKeyInfo (the trusted root's rawBytes),
// PKCS#1 RSAPublicKey (older CT log entries) or PEM.
#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <string_view>

#include "sigstore/encoding.hpp"
#include "util/result.hpp"

namespace kernels::sigstore {

struct PKeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
using PKey = std::unique_ptr<EVP_PKEY, PKeyFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;

// A public key from DER SubjectPublicKeyInfo, or PKCS#1 RSAPublicKey.
Result<PKey> public_key_from_der(std::string_view der);
// A public key from a PEM "PUBLIC KEY" block.
Result<PKey> public_key_from_pem(std::string_view pem);
// DER SubjectPublicKeyInfo of `key`.
Bytes public_key_der(EVP_PKEY* key);

// "ECDSA P-256", "Ed25519", "RSA 2048", ... for messages.
std::string describe_key(EVP_PKEY* key);

// A certificate from DER; trailing bytes are an error.
Result<X509Ptr> certificate_from_der(std::string_view der);
Bytes certificate_der(X509* cert);

// Verifies `signature` over `message`. ECDSA and RSA (PKCS#1 v1.5) hash the
// message with SHA-256 (SHA-384 for P-384, SHA-512 for P-521); Ed25519
// signs the message itself. Error code "signature" on mismatch.
Status verify_message(EVP_PKEY* key, std::string_view message, std::string_view signature);
// Verifies `signature` over a precomputed SHA-256 `digest` (ECDSA or RSA
// only: Ed25519 cannot sign a digest, so it is "not supported").
Status verify_sha256_digest(EVP_PKEY* key, std::string_view digest, std::string_view signature);

// The last OpenSSL error as text (and clears the queue).
std::string openssl_error();

}  // namespace kernels::sigstore
