#include "sigstore/crypto.hpp"

#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

namespace kernels::sigstore {

namespace {

struct MdCtxFree {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
struct PKeyCtxFree {
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};

Error key_error(std::string m) { return Error{ErrorCode::key, std::move(m)}; }

// The digest ECDSA/RSA signatures use with this key.
const EVP_MD* digest_for(EVP_PKEY* key) {
  if (EVP_PKEY_base_id(key) == EVP_PKEY_EC) {
    int bits = EVP_PKEY_get_bits(key);
    if (bits > 384) return EVP_sha512();
    if (bits > 256) return EVP_sha384();
  }
  return EVP_sha256();
}

}  // namespace

std::string openssl_error() {
  unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "no OpenSSL detail";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

Result<PKey> public_key_from_der(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  PKey key(d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size())));
  if (key && p == reinterpret_cast<const unsigned char*>(der.data()) + der.size()) return key;
  ERR_clear_error();
  p = reinterpret_cast<const unsigned char*>(der.data());
  PKey rsa(d2i_PublicKey(EVP_PKEY_RSA, nullptr, &p, static_cast<long>(der.size())));
  if (rsa && p == reinterpret_cast<const unsigned char*>(der.data()) + der.size()) return rsa;
  ERR_clear_error();
  return key_error("not a DER public key (SubjectPublicKeyInfo or PKCS#1 RSA)");
}

Result<PKey> public_key_from_pem(std::string_view pem) {
  auto blocks = pem_decode(pem, "PUBLIC KEY", 1);
  if (!blocks.ok()) return key_error("public key: " + blocks.error().message);
  return public_key_from_der(blocks->front());
}

Bytes public_key_der(EVP_PKEY* key) {
  unsigned char* out = nullptr;
  int n = i2d_PUBKEY(key, &out);
  if (n <= 0) return {};
  Bytes b(reinterpret_cast<char*>(out), static_cast<std::size_t>(n));
  OPENSSL_free(out);
  return b;
}

std::string describe_key(EVP_PKEY* key) {
  switch (EVP_PKEY_base_id(key)) {
    case EVP_PKEY_EC: {
      char name[64] = {};
      std::size_t len = 0;
      if (EVP_PKEY_get_utf8_string_param(key, "group", name, sizeof name, &len) == 1) {
        std::string n(name);
        if (n == "prime256v1") return "ECDSA P-256";
        if (n == "secp384r1") return "ECDSA P-384";
        if (n == "secp521r1") return "ECDSA P-521";
        return "ECDSA " + n;
      }
      return "ECDSA";
    }
    case EVP_PKEY_ED25519: return "Ed25519";
    case EVP_PKEY_RSA: return "RSA " + std::to_string(EVP_PKEY_get_bits(key));
    default: return "key type " + std::to_string(EVP_PKEY_base_id(key));
  }
}

Result<X509Ptr> certificate_from_der(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!cert) {
    ERR_clear_error();
    return Error{ErrorCode::certificate, "not a DER X.509 certificate"};
  }
  if (p != reinterpret_cast<const unsigned char*>(der.data()) + der.size()) {
    return Error{ErrorCode::certificate, "trailing bytes after the DER certificate"};
  }
  return cert;
}

Bytes certificate_der(X509* cert) {
  unsigned char* out = nullptr;
  int n = i2d_X509(cert, &out);
  if (n <= 0) return {};
  Bytes b(reinterpret_cast<char*>(out), static_cast<std::size_t>(n));
  OPENSSL_free(out);
  return b;
}

Status verify_message(EVP_PKEY* key, std::string_view message, std::string_view signature) {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  const EVP_MD* md = EVP_PKEY_base_id(key) == EVP_PKEY_ED25519 ? nullptr : digest_for(key);
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, key) != 1) {
    return Error{ErrorCode::signature, "cannot use " + describe_key(key) + " to verify: " + openssl_error()};
  }
  int rc = EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                            reinterpret_cast<const unsigned char*>(message.data()), message.size());
  ERR_clear_error();
  if (rc != 1) return Error{ErrorCode::signature, describe_key(key) + " signature does not verify"};
  return ok_status();
}

Status verify_sha256_digest(EVP_PKEY* key, std::string_view digest, std::string_view signature) {
  int type = EVP_PKEY_base_id(key);
  if (type != EVP_PKEY_EC && type != EVP_PKEY_RSA) {
    return Error{ErrorCode::unsupported, "signatures by " + describe_key(key) + " over a digest are not supported"};
  }
  if (digest.size() != 32) return Error{ErrorCode::signature, "a SHA-256 digest is 32 bytes"};
  std::unique_ptr<EVP_PKEY_CTX, PKeyCtxFree> ctx(EVP_PKEY_CTX_new(key, nullptr));
  if (!ctx || EVP_PKEY_verify_init(ctx.get()) != 1 || EVP_PKEY_CTX_set_signature_md(ctx.get(), EVP_sha256()) != 1 ||
      (type == EVP_PKEY_RSA && EVP_PKEY_CTX_set_rsa_padding(ctx.get(), RSA_PKCS1_PADDING) != 1)) {
    return Error{ErrorCode::signature, "cannot use " + describe_key(key) + " to verify: " + openssl_error()};
  }
  int rc = EVP_PKEY_verify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
                           reinterpret_cast<const unsigned char*>(digest.data()), digest.size());
  ERR_clear_error();
  if (rc != 1) return Error{ErrorCode::signature, describe_key(key) + " signature does not verify"};
  return ok_status();
}

}  // namespace kernels::sigstore
