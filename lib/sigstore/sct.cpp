#include "sigstore/sct.hpp"

#include <openssl/err.h>
#include <openssl/x509v3.h>

namespace kernels::sigstore {

namespace {

Error sct_error(std::string m) { return Error{ErrorCode::sct, "SCT: " + std::move(m)}; }

struct Reader {
  std::string_view in;
  bool ok = true;
  std::uint64_t uint(int n) {
    if (in.size() < static_cast<std::size_t>(n)) {
      ok = false;
      return 0;
    }
    std::uint64_t v = 0;
    for (int i = 0; i < n; ++i) v = (v << 8) | static_cast<std::uint8_t>(in[static_cast<std::size_t>(i)]);
    in.remove_prefix(static_cast<std::size_t>(n));
    return v;
  }
  std::string_view bytes(std::size_t n) {
    if (in.size() < n) {
      ok = false;
      return {};
    }
    auto b = in.substr(0, n);
    in.remove_prefix(n);
    return b;
  }
};

void put(Bytes& out, std::uint64_t v, int n) {
  for (int i = n - 1; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

}  // namespace

Result<std::vector<Sct>> parse_sct_list(std::string_view tls) {
  Reader r{tls};
  std::size_t total = r.uint(2);
  if (!r.ok || total != r.in.size()) return sct_error("the SCT list length does not match its contents");
  std::vector<Sct> out;
  while (!r.in.empty()) {
    std::size_t len = r.uint(2);
    std::string_view one = r.bytes(len);
    if (!r.ok || len == 0) return sct_error("an SCT is truncated");
    if (out.size() == 32) return sct_error("too many SCTs");
    Reader s{one};
    if (s.uint(1) != 0) return sct_error("an SCT is not version 1");
    Sct sct;
    sct.log_id = Bytes(s.bytes(32));
    sct.timestamp_ms = s.uint(8);
    sct.extensions = Bytes(s.bytes(s.uint(2)));
    sct.hash_algorithm = static_cast<std::uint8_t>(s.uint(1));
    sct.signature_algorithm = static_cast<std::uint8_t>(s.uint(1));
    sct.signature = Bytes(s.bytes(s.uint(2)));
    if (!s.ok || !s.in.empty()) return sct_error("an SCT is malformed");
    out.push_back(std::move(sct));
  }
  return out;
}

Bytes sct_signed_data(const Sct& sct, std::string_view tbs, std::string_view issuer_key_hash) {
  Bytes d;
  put(d, 0, 1);  // sct_version v1
  put(d, 0, 1);  // signature_type certificate_timestamp
  put(d, sct.timestamp_ms, 8);
  put(d, 1, 2);  // entry_type precert_entry
  d.append(issuer_key_hash);
  put(d, tbs.size(), 3);
  d.append(tbs);
  put(d, sct.extensions.size(), 2);
  d.append(sct.extensions);
  return d;
}

Result<Bytes> tbs_without_sct_extension(X509* leaf) {
  X509Ptr copy(X509_dup(leaf));
  if (!copy) return sct_error("cannot copy the certificate");
  int idx = X509_get_ext_by_NID(copy.get(), NID_ct_precert_scts, -1);
  if (idx < 0) return sct_error("the certificate has no embedded SCTs");
  X509_EXTENSION_free(X509_delete_ext(copy.get(), idx));
  unsigned char* out = nullptr;
  int n = i2d_re_X509_tbs(copy.get(), &out);
  if (n <= 0) return sct_error("cannot re-encode the TBSCertificate");
  Bytes tbs(reinterpret_cast<char*>(out), static_cast<std::size_t>(n));
  OPENSSL_free(out);
  return tbs;
}

Status verify_embedded_scts(X509* leaf, X509* issuer, const TrustedRoot& root) {
  int idx = X509_get_ext_by_NID(leaf, NID_ct_precert_scts, -1);
  if (idx < 0) return sct_error("the certificate has no embedded SCTs");
  const ASN1_OCTET_STRING* data = X509_EXTENSION_get_data(X509_get_ext(leaf, idx));
  // The extension value is itself a DER OCTET STRING holding the TLS list.
  const unsigned char* p = ASN1_STRING_get0_data(data);
  ASN1_OCTET_STRING* inner = d2i_ASN1_OCTET_STRING(nullptr, &p, ASN1_STRING_length(data));
  if (inner == nullptr) {
    ERR_clear_error();
    return sct_error("the SCT extension is not an OCTET STRING");
  }
  std::string tls(reinterpret_cast<const char*>(ASN1_STRING_get0_data(inner)),
                  static_cast<std::size_t>(ASN1_STRING_length(inner)));
  ASN1_OCTET_STRING_free(inner);
  auto scts = parse_sct_list(tls);
  if (!scts.ok()) return scts.error();

  auto tbs = tbs_without_sct_extension(leaf);
  if (!tbs.ok()) return tbs.error();
  unsigned char* spki = nullptr;
  int spki_len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(issuer), &spki);
  if (spki_len <= 0) return sct_error("cannot encode the issuer's key");
  Bytes issuer_key_hash = sha256(std::string_view(reinterpret_cast<char*>(spki), static_cast<std::size_t>(spki_len)));
  OPENSSL_free(spki);

  std::string reasons;
  for (const Sct& sct : *scts) {
    const TransparencyLog* log = root.find_ctlog(sct.log_id);
    if (log == nullptr) {
      reasons += "; log " + base64_encode(sct.log_id) + " is not a CT log of the trusted root";
      continue;
    }
    auto seconds = static_cast<std::int64_t>(sct.timestamp_ms / 1000);
    if (!log->valid_for.contains(Timestamp{seconds, static_cast<std::int32_t>(sct.timestamp_ms % 1000) * 1000000})) {
      reasons += "; its timestamp is outside the validity of CT log " + log->base_url;
      continue;
    }
    if (sct.hash_algorithm != 4) {
      reasons += "; hash algorithm " + std::to_string(sct.hash_algorithm) + " is not supported";
      continue;
    }
    auto key = public_key_from_der(log->public_key);
    if (!key.ok()) {
      reasons += "; the key of CT log " + log->base_url + " is unusable";
      continue;
    }
    if (verify_message(key->get(), sct_signed_data(sct, *tbs, issuer_key_hash), sct.signature).ok()) {
      return ok_status();
    }
    reasons += "; the signature of CT log " + log->base_url + " does not verify";
  }
  return sct_error("no embedded SCT verifies" + (reasons.empty() ? std::string() : ":" + reasons.substr(1)));
}

}  // namespace kernels::sigstore
