#include <catch2/catch.hpp>

#include <openssl/ec.h>
#include <openssl/x509v3.h>

#include <map>

#include "sigstore/bundle.hpp"
#include "sigstore/certificate.hpp"
#include "sigstore/policy.hpp"
#include "tests/unit/sigstore/sigstore_test_support.hpp"

using kernels::ErrorCode;

using namespace kernels::sigstore;
using kernels::sigstore_test::conformance;

namespace {

const std::string kRepo = "https://github.com/huggingface/kernels-community";
const std::string kIssuer = "https://token.actions.githubusercontent.com";

void add_raw_extension(X509* cert, const char* oid, const std::string& bytes) {
  ASN1_OBJECT* obj = OBJ_txt2obj(oid, 1);
  ASN1_OCTET_STRING* data = ASN1_OCTET_STRING_new();
  ASN1_OCTET_STRING_set(data, reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  X509_EXTENSION* ext = X509_EXTENSION_create_by_OBJ(nullptr, obj, 0, data);
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  ASN1_OCTET_STRING_free(data);
  ASN1_OBJECT_free(obj);
}

std::string der_utf8(const std::string& s) {
  ASN1_UTF8STRING* u = ASN1_UTF8STRING_new();
  ASN1_STRING_set(u, s.data(), static_cast<int>(s.size()));
  unsigned char* out = nullptr;
  int n = i2d_ASN1_UTF8STRING(u, &out);
  std::string der(reinterpret_cast<char*>(out), static_cast<std::size_t>(n));
  OPENSSL_free(out);
  ASN1_UTF8STRING_free(u);
  return der;
}

// A certificate with the given Fulcio extensions (raw for .1.1, UTF8String
// for the rest) and a URI SAN, self-signed: the policy reads only these.
X509Ptr make_cert(const std::map<std::string, std::string>& ext, const std::string& san) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509Ptr cert(X509_new());
  X509_set_version(cert.get(), 2);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 600);
  X509_set_pubkey(cert.get(), key);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
  X509_EXTENSION* s = X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, ("URI:" + san).c_str());
  X509_add_ext(cert.get(), s, -1);
  X509_EXTENSION_free(s);
  for (const auto& [oid, value] : ext) {
    add_raw_extension(cert.get(), oid.c_str(), oid == kOidIssuerV1 ? value : der_utf8(value));
  }
  X509_sign(cert.get(), key, EVP_sha256());
  EVP_PKEY_free(key);
  return cert;
}

std::map<std::string, std::string> kernels_community(const std::string& workflow) {
  return {{kOidIssuerV1, kIssuer},
          {kOidIssuerV2, kIssuer},
          {kOidSourceRepositoryUri, kRepo},
          {kOidBuildSignerUri, kRepo + "/.github/workflows/" + workflow + "@refs/heads/main"}};
}

}  // namespace

TEST_CASE("kernels default policy: each of the four signing workflows passes", "[sigstore][policy]") {
  for (const char* wf : {"build.yaml", "build-mac.yaml", "build-windows.yaml", "sign-old-builds.yaml"}) {
    INFO(wf);
    auto cert = make_cert(kernels_community(wf), kRepo + "/.github/workflows/" + wf + "@refs/heads/main");
    CHECK(check_policy(cert.get(), kernels_default_policy()).ok());
  }
}

TEST_CASE("kernels default policy: a failure names the extension, its value and what was expected",
          "[sigstore][policy]") {
  auto other_wf = make_cert(kernels_community("release.yaml"), "x");
  auto s = check_policy(other_wf.get(), kernels_default_policy());
  REQUIRE(!s.ok());
  CHECK(s.error().code == ErrorCode::policy);
  CHECK(s.error().message == "identity policy: build signer URI (1.3.6.1.4.1.57264.1.9) is \"" + kRepo +
                                 "/.github/workflows/release.yaml@refs/heads/main\", expected one of \"" + kRepo +
                                 "/.github/workflows/build.yaml@refs/heads/main\", \"" + kRepo +
                                 "/.github/workflows/build-mac.yaml@refs/heads/main\", \"" + kRepo +
                                 "/.github/workflows/build-windows.yaml@refs/heads/main\", \"" + kRepo +
                                 "/.github/workflows/sign-old-builds.yaml@refs/heads/main\"");

  auto fork = kernels_community("build.yaml");
  fork[kOidSourceRepositoryUri] = "https://github.com/someone/kernels-community";
  auto f = make_cert(fork, "x");
  CHECK(check_policy(f.get(), kernels_default_policy()).error().message ==
        "identity policy: source repository URI (1.3.6.1.4.1.57264.1.12) is "
        "\"https://github.com/someone/kernels-community\", expected \"" +
            kRepo + "\"");

  auto v1_only = kernels_community("build.yaml");
  v1_only.erase(kOidIssuerV2);
  auto v = make_cert(v1_only, "x");
  CHECK(check_policy(v.get(), kernels_default_policy()).error().message ==
        "identity policy: the certificate has no OIDC issuer v2 (1.3.6.1.4.1.57264.1.8), expected \"" + kIssuer + "\"");

  auto bad_issuer = kernels_community("build.yaml");
  bad_issuer[kOidIssuerV1] = "https://accounts.google.com";
  auto b = make_cert(bad_issuer, "x");
  CHECK(check_policy(b.get(), kernels_default_policy()).error().message ==
        "identity policy: OIDC issuer (1.3.6.1.4.1.57264.1.1) is \"https://accounts.google.com\", expected \"" +
            kIssuer + "\"");
}

TEST_CASE("identity policy: SAN and issuer of a real Fulcio certificate", "[sigstore][policy]") {
  auto bundle = parse_bundle(conformance("happy-path-v0.3"));
  REQUIRE(bundle.ok());
  auto cert = certificate_from_der(*bundle->leaf_certificate);
  REQUIRE(cert.ok());
  const std::string beacon =
      "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/"
      "extremely-dangerous-oidc-beacon.yml@refs/heads/main";
  CHECK(check_policy(cert->get(), identity_policy(beacon, kIssuer)).ok());
  auto wrong_san = check_policy(cert->get(), identity_policy("https://example.com/x", kIssuer));
  REQUIRE(!wrong_san.ok());
  CHECK(wrong_san.error().message == "identity policy: the certificate's subject alternative name is \"" + beacon +
                                         "\", expected \"https://example.com/x\"");
  auto wrong_issuer = check_policy(cert->get(), identity_policy(beacon, "https://accounts.google.com"));
  REQUIRE(!wrong_issuer.ok());
  CHECK(wrong_issuer.error().message.find("OIDC issuer (1.3.6.1.4.1.57264.1.1) is \"" + kIssuer + "\"") !=
        std::string::npos);
  // The conformance beacon is not kernels-community.
  auto k = check_policy(cert->get(), kernels_default_policy());
  REQUIRE(!k.ok());
  CHECK(k.error().message.find("source repository URI (1.3.6.1.4.1.57264.1.12) is "
                               "\"https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon\"") !=
        std::string::npos);
  CHECK(check_code_signing_usage(cert->get()).ok());
}

TEST_CASE("Fulcio extensions: raw strings, UTF8String and wrong encodings", "[sigstore][policy]") {
  auto cert = make_cert({{kOidIssuerV1, "raw value"}, {kOidIssuerV2, "utf8 value"}}, "x");
  CHECK(**fulcio_extension(cert.get(), kOidIssuerV1, true) == "raw value");
  CHECK(**fulcio_extension(cert.get(), kOidIssuerV2, false) == "utf8 value");
  CHECK(!fulcio_extension(cert.get(), kOidBuildSignerUri, false)->has_value());
  // .1.1 is not DER: reading it as a UTF8String is an error, not a value.
  auto bad = fulcio_extension(cert.get(), kOidIssuerV1, false);
  REQUIRE(!bad.ok());
  CHECK(bad.error().message == "certificate: extension 1.3.6.1.4.1.57264.1.1 is not a DER UTF8String");
}
