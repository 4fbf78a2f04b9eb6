// The DER and PEM that a bundle or trusted root carries, decoded by OpenSSL
// and then read by lib/sigstore: X.509 certificates (validity, SAN, Fulcio
// extensions, embedded SCTs, the chain check against the production Fulcio
// CAs), public keys (DER and PEM), RFC 3161 timestamp responses and
// TLS-encoded SCT lists. Every decoder gets the whole input.
#include <string>

#include "sigstore/certificate.hpp"
#include "sigstore/crypto.hpp"
#include "sigstore/policy.hpp"
#include "sigstore/sct.hpp"
#include "sigstore/trusted_root.hpp"
#include "sigstore/tsa.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace sigstore = kernels::sigstore;

namespace {

constexpr std::int64_t kNow = 1750000000;  // fixed, so that runs are reproducible

void certificate(std::string_view der, const sigstore::TrustedRoot& root) {
  auto cert = sigstore::certificate_from_der(der);
  if (!cert.ok()) return;
  X509* c = cert->get();
  (void)sigstore::certificate_validity(c);
  (void)sigstore::is_self_signed(c);
  (void)sigstore::is_ca(c);
  (void)sigstore::subject_alternative_names(c);
  (void)sigstore::check_code_signing_usage(c);
  for (const char* oid : {"1.3.6.1.4.1.57264.1.1", "1.3.6.1.4.1.57264.1.8", "1.3.6.1.4.1.57264.1.9"}) {
    (void)sigstore::fulcio_extension(c, oid, /*raw=*/false);
    (void)sigstore::fulcio_extension(c, oid, /*raw=*/true);
  }
  (void)sigstore::check_policy(c, sigstore::kernels_default_policy());
  (void)sigstore::tbs_without_sct_extension(c);
  (void)sigstore::certificate_der(c);
  // Its own issuer when no CA vouches for it: the SCT code still parses the
  // extension and rebuilds the precertificate before any signature fails.
  auto issuer = sigstore::verify_chain(c, root.certificate_authorities, kNow);
  (void)sigstore::verify_embedded_scts(c, issuer.ok() ? issuer->get() : c, root);
}

void use_key(const kernels::Result<sigstore::PKey>& parsed, std::string_view bytes) {
  if (!parsed.ok()) return;
  EVP_PKEY* k = parsed->get();
  (void)sigstore::describe_key(k);
  (void)sigstore::public_key_der(k);
  (void)sigstore::verify_message(k, "message", bytes.substr(0, 512));
  (void)sigstore::verify_sha256_digest(k, std::string(32, '\x01'), bytes.substr(0, 512));
}

void key(std::string_view bytes) {
  use_key(sigstore::public_key_from_der(bytes), bytes);
  use_key(sigstore::public_key_from_pem(bytes), bytes);
}

void scts(std::string_view tls) {
  auto list = sigstore::parse_sct_list(tls);
  if (!list.ok()) return;
  for (const auto& sct : *list) (void)sigstore::sct_signed_data(sct, "tbs", std::string(32, '\x02'));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const sigstore::TrustedRoot root = *sigstore::production_trusted_root();
  const std::string_view der = kernels::fuzz::text_of(data, size);
  certificate(der, root);
  key(der);
  (void)sigstore::timestamp_gen_time(der);
  (void)sigstore::verify_rfc3161_timestamp(der, "signature", root);
  scts(der);
  (void)sigstore::openssl_error();  // leave no error queued for the next input
  return 0;
}
