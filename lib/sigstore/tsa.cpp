#include "sigstore/tsa.hpp"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ts.h>

#include <memory>

#include "sigstore/crypto.hpp"

namespace kernels::sigstore {

namespace {

Error ts_error(std::string m) { return Error{ErrorCode::timestamp, "RFC 3161 timestamp: " + std::move(m)}; }

struct RespFree {
  void operator()(TS_RESP* p) const { TS_RESP_free(p); }
};
struct VerifyCtxFree {
  void operator()(TS_VERIFY_CTX* p) const { TS_VERIFY_CTX_free(p); }
};
using Resp = std::unique_ptr<TS_RESP, RespFree>;

Result<Resp> decode(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  Resp resp(d2i_TS_RESP(nullptr, &p, static_cast<long>(der.size())));
  if (!resp || p != reinterpret_cast<const unsigned char*>(der.data()) + der.size()) {
    ERR_clear_error();
    return ts_error("not a DER TimeStampResp");
  }
  if (TS_RESP_get_tst_info(resp.get()) == nullptr) return ts_error("the response has no timestamp token");
  return resp;
}

// GeneralizedTime "YYYYMMDDHHMMSS[.f*]Z" with its fraction.
Result<Timestamp> generalized_time(const ASN1_GENERALIZEDTIME* t) {
  if (t == nullptr) return ts_error("no genTime");
  std::string s(reinterpret_cast<const char*>(ASN1_STRING_get0_data(t)),
                static_cast<std::size_t>(ASN1_STRING_length(t)));
  if (s.size() < 15 || s.back() != 'Z') return ts_error("genTime \"" + s.substr(0, 40) + "\" is not UTC");
  std::string rfc = s.substr(0, 4) + "-" + s.substr(4, 2) + "-" + s.substr(6, 2) + "T" + s.substr(8, 2) + ":" +
                    s.substr(10, 2) + ":" + s.substr(12, 2) + s.substr(14);
  auto ts = parse_rfc3339(rfc);
  if (!ts.ok()) return ts_error("genTime \"" + s.substr(0, 40) + "\" is malformed");
  return ts;
}

Status verify_with_tsa(TS_RESP* resp, std::string_view signed_data, const CertificateAuthority& tsa,
                       std::int64_t when) {
  X509_STORE* store = X509_STORE_new();
  STACK_OF(X509)* untrusted = sk_X509_new_null();
  for (std::size_t i = 0; i < tsa.chain.size(); ++i) {
    auto c = certificate_from_der(tsa.chain[i]);
    if (!c.ok()) {
      X509_STORE_free(store);
      sk_X509_pop_free(untrusted, X509_free);
      return ts_error("a certificate of TSA " + tsa.uri + " in the trusted root is not DER");
    }
    if (i + 1 == tsa.chain.size()) X509_STORE_add_cert(store, c->get());
    else sk_X509_push(untrusted, c->release());
  }
  X509_VERIFY_PARAM* param = X509_STORE_get0_param(store);
  X509_VERIFY_PARAM_set_time(param, static_cast<time_t>(when));  // also sets X509_V_FLAG_USE_CHECK_TIME

  std::unique_ptr<TS_VERIFY_CTX, VerifyCtxFree> ctx(TS_VERIFY_CTX_new());
  TS_VERIFY_CTX_set_flags(ctx.get(), TS_VFY_VERSION | TS_VFY_SIGNATURE | TS_VFY_DATA);
  TS_VERIFY_CTX_set_store(ctx.get(), store);      // owned by ctx from here
  TS_VERIFY_CTX_set_certs(ctx.get(), untrusted);  // owned by ctx from here
  BIO* data = BIO_new_mem_buf(signed_data.data(), static_cast<int>(signed_data.size()));
  TS_VERIFY_CTX_set_data(ctx.get(), data);  // owned by ctx from here
  int rc = TS_RESP_verify_response(ctx.get(), resp);
  if (rc != 1) {
    std::string why = openssl_error();
    return ts_error("does not verify with TSA " + tsa.subject + " (" + why + ")");
  }
  return ok_status();
}

}  // namespace

Result<Timestamp> timestamp_gen_time(std::string_view response_der) {
  auto resp = decode(response_der);
  if (!resp.ok()) return resp.error();
  return generalized_time(TS_TST_INFO_get_time(TS_RESP_get_tst_info(resp->get())));
}

Result<Timestamp> verify_rfc3161_timestamp(std::string_view response_der, std::string_view signed_data,
                                           const TrustedRoot& root) {
  auto resp = decode(response_der);
  if (!resp.ok()) return resp.error();
  auto when = generalized_time(TS_TST_INFO_get_time(TS_RESP_get_tst_info(resp->get())));
  if (!when.ok()) return when.error();
  if (root.timestamp_authorities.empty()) return ts_error("the trusted root has no timestamp authorities");
  std::string reasons;
  bool any_in_range = false;
  for (const auto& tsa : root.timestamp_authorities) {
    if (!tsa.valid_for.contains(*when)) continue;
    any_in_range = true;
    auto s = verify_with_tsa(resp->get(), signed_data, tsa, when->seconds);
    if (s.ok()) return *when;
    reasons += "; " + s.error().message;
  }
  if (!any_in_range) {
    return ts_error("its time " + format_rfc3339(when->seconds) +
                    " is outside the validity of every timestamp authority in the trusted root");
  }
  return Error{ErrorCode::timestamp, reasons.substr(2)};
}

}  // namespace kernels::sigstore
