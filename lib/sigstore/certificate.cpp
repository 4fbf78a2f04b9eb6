#include "sigstore/certificate.hpp"

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <ctime>

namespace kernels::sigstore {

namespace {

Error cert_error(std::string m) { return Error{ErrorCode::certificate, "certificate: " + std::move(m)}; }

Result<std::int64_t> asn1_time_seconds(const ASN1_TIME* t) {
  std::tm tm{};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) return cert_error("unreadable validity time");
  return days_from_civil(tm.tm_year + 1900, static_cast<unsigned>(tm.tm_mon + 1), static_cast<unsigned>(tm.tm_mday)) *
             86400 +
         tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec;
}

struct StoreFree {
  void operator()(X509_STORE* p) const { X509_STORE_free(p); }
};
struct StoreCtxFree {
  void operator()(X509_STORE_CTX* p) const { X509_STORE_CTX_free(p); }
};
struct StackFree {
  void operator()(STACK_OF(X509) * p) const { sk_X509_pop_free(p, X509_free); }
};

Result<X509Ptr> verify_with_ca(X509* leaf, const CertificateAuthority& ca, std::int64_t time) {
  std::unique_ptr<X509_STORE, StoreFree> store(X509_STORE_new());
  std::unique_ptr<STACK_OF(X509), StackFree> untrusted(sk_X509_new_null());
  for (std::size_t i = 0; i < ca.chain.size(); ++i) {
    auto c = certificate_from_der(ca.chain[i]);
    if (!c.ok()) return cert_error("a certificate of CA " + ca.uri + " in the trusted root is not DER");
    if (i + 1 == ca.chain.size()) {
      X509_STORE_add_cert(store.get(), c->get());
    } else {
      sk_X509_push(untrusted.get(), c->release());
    }
  }
  std::unique_ptr<X509_STORE_CTX, StoreCtxFree> ctx(X509_STORE_CTX_new());
  if (!ctx || X509_STORE_CTX_init(ctx.get(), store.get(), leaf, untrusted.get()) != 1) {
    return cert_error("cannot set up chain verification: " + openssl_error());
  }
  X509_STORE_CTX_set_time(ctx.get(), 0, static_cast<time_t>(time));  // sets X509_V_FLAG_USE_CHECK_TIME
  if (X509_verify_cert(ctx.get()) != 1) {
    int err = X509_STORE_CTX_get_error(ctx.get());
    ERR_clear_error();
    return cert_error(std::string(X509_verify_cert_error_string(err)));
  }
  STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(ctx.get());
  if (chain == nullptr || sk_X509_num(chain) < 2) return cert_error("the chain has no issuer");
  X509* issuer = sk_X509_value(chain, 1);
  X509_up_ref(issuer);
  return X509Ptr(issuer);
}

}  // namespace

Result<Validity> certificate_validity(X509* cert) {
  auto nb = asn1_time_seconds(X509_get0_notBefore(cert));
  if (!nb.ok()) return nb.error();
  auto na = asn1_time_seconds(X509_get0_notAfter(cert));
  if (!na.ok()) return na.error();
  return Validity{*nb, *na};
}

bool is_self_signed(X509* cert) { return X509_self_signed(cert, 0) == 1; }

bool is_ca(X509* cert) { return X509_check_ca(cert) != 0; }

Result<X509Ptr> verify_chain(X509* leaf, const std::vector<CertificateAuthority>& cas, std::int64_t time) {
  if (is_ca(leaf)) return cert_error("the signing certificate is a CA certificate");
  std::string last_error = "no certificate authority in the trusted root";
  bool any_valid = false;
  for (const auto& ca : cas) {
    if (!ca.valid_for.contains(time)) continue;
    any_valid = true;
    auto issuer = verify_with_ca(leaf, ca, time);
    if (issuer.ok()) return issuer;
    last_error = issuer.error().message + " (CA " + ca.uri + ")";
  }
  if (!any_valid) {
    return cert_error("no certificate authority of the trusted root is valid at " + format_rfc3339(time));
  }
  return cert_error("does not chain to a trusted certificate authority at " + format_rfc3339(time) + ": " + last_error);
}

Status check_code_signing_usage(X509* leaf) {
  std::uint32_t flags = X509_get_extension_flags(leaf);
  if ((flags & EXFLAG_KUSAGE) == 0 || (X509_get_key_usage(leaf) & KU_DIGITAL_SIGNATURE) == 0) {
    return cert_error("key usage does not include digitalSignature");
  }
  if ((flags & EXFLAG_XKUSAGE) == 0 || (X509_get_extended_key_usage(leaf) & XKU_CODE_SIGN) == 0) {
    return cert_error("extended key usage does not include codeSigning");
  }
  return ok_status();
}

std::vector<std::string> subject_alternative_names(X509* cert) {
  std::vector<std::string> out;
  auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (names == nullptr) return out;
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* n = sk_GENERAL_NAME_value(names, i);
    if (n->type == GEN_URI || n->type == GEN_EMAIL) {
      const ASN1_IA5STRING* s = n->type == GEN_URI ? n->d.uniformResourceIdentifier : n->d.rfc822Name;
      out.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                       static_cast<std::size_t>(ASN1_STRING_length(s)));
    }
  }
  GENERAL_NAMES_free(names);
  return out;
}

Result<std::optional<std::string>> fulcio_extension(X509* cert, const std::string& oid, bool raw) {
  ASN1_OBJECT* obj = OBJ_txt2obj(oid.c_str(), 1);
  if (obj == nullptr) return cert_error("bad OID " + oid);
  int idx = X509_get_ext_by_OBJ(cert, obj, -1);
  ASN1_OBJECT_free(obj);
  if (idx < 0) return std::optional<std::string>();
  X509_EXTENSION* ext = X509_get_ext(cert, idx);
  const ASN1_OCTET_STRING* data = X509_EXTENSION_get_data(ext);
  std::string bytes(reinterpret_cast<const char*>(ASN1_STRING_get0_data(data)),
                    static_cast<std::size_t>(ASN1_STRING_length(data)));
  if (raw) return std::optional<std::string>(bytes);
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  ASN1_UTF8STRING* s = d2i_ASN1_UTF8STRING(nullptr, &p, static_cast<long>(bytes.size()));
  if (s == nullptr || p != reinterpret_cast<const unsigned char*>(bytes.data()) + bytes.size()) {
    if (s != nullptr) ASN1_UTF8STRING_free(s);
    ERR_clear_error();
    return cert_error("extension " + oid + " is not a DER UTF8String");
  }
  std::string value(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                    static_cast<std::size_t>(ASN1_STRING_length(s)));
  ASN1_UTF8STRING_free(s);
  return std::optional<std::string>(value);
}

}  // namespace kernels::sigstore
