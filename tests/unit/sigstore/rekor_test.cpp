#include <catch2/catch.hpp>

#include "sigstore/certificate.hpp"
#include "sigstore/rekor.hpp"
#include "tests/unit/sigstore/sigstore_test_support.hpp"

using kernels::ErrorCode;

using namespace kernels::sigstore;
using kernels::sigstore_test::artifact_a_txt;
using kernels::sigstore_test::conformance;

namespace {

Bundle bundle_of(const std::string& name) {
  auto b = parse_bundle(conformance(name));
  REQUIRE(b.ok());
  return *b;
}

const TransparencyLog& prod_rekor() {
  static const TrustedRoot root = *production_trusted_root();
  static const TransparencyLog* log = root.find_tlog(*base64_decode("wNI9atQGlz+VWfO6LRygH4QUfY/8W4RFwiT5i5WRgB0="));
  REQUIRE(log != nullptr);
  return *log;
}

}  // namespace

TEST_CASE("SET: the canonical JSON payload", "[sigstore][rekor]") {
  TlogEntry e;
  e.canonicalized_body = "{}";
  e.integrated_time = 1710869186;
  e.log_id = Bytes("\xc0\xd2\x3d", 3);
  e.log_index = 79571823;
  CHECK(set_payload(e) == R"({"body":"e30=","integratedTime":1710869186,"logID":"c0d23d","logIndex":79571823})");
}

TEST_CASE("SET: a real inclusion promise verifies, and not once anything it covers changes", "[sigstore][rekor]") {
  Bundle b = bundle_of("happy-path-v0.3");
  const TlogEntry& e = b.tlog_entries.at(0);
  CHECK(verify_set(e, prod_rekor()).ok());
  for (int field = 0; field < 3; ++field) {
    TlogEntry t = e;
    if (field == 0) t.integrated_time = *t.integrated_time + 1;
    if (field == 1) t.log_index += 1;
    if (field == 2) t.canonicalized_body += " ";
    auto s = verify_set(t, prod_rekor());
    REQUIRE(!s.ok());
    CHECK(s.error().message == "the signed entry timestamp does not verify with the key of https://rekor.sigstore.dev");
  }
  TlogEntry none = e;
  none.signed_entry_timestamp.reset();
  CHECK(!verify_set(none, prod_rekor()).ok());
}

TEST_CASE("inclusion proof with checkpoint: real entry, corrupted hash, wrong root", "[sigstore][rekor]") {
  Bundle b = bundle_of("happy-path-v0.3");
  CHECK(verify_inclusion_proof(b.tlog_entries.at(0), prod_rekor()).ok());
  TlogEntry t = b.tlog_entries.at(0);
  t.inclusion_proof->hashes[3][5] = static_cast<char>(t.inclusion_proof->hashes[3][5] ^ 0x10);
  auto s = verify_inclusion_proof(t, prod_rekor());
  REQUIRE(!s.ok());
  CHECK(s.error().code == ErrorCode::inclusion_proof);

  Bundle wrong = bundle_of("checkpoint-wrong-roothash_fail");
  auto w = verify_inclusion_proof(wrong.tlog_entries.at(0), prod_rekor());
  REQUIRE(!w.ok());
}

TEST_CASE("hashedrekord 0.0.1: digest, signature and certificate must all match", "[sigstore][rekor]") {
  Bundle b = bundle_of("happy-path-v0.3");
  SignedContent c{sha256(artifact_a_txt()), b.signature, *b.leaf_certificate, std::nullopt};
  CHECK(verify_hashedrekord_body(b.tlog_entries.at(0), c).ok());

  SignedContent other_digest = c;
  other_digest.artifact_sha256 = sha256("other");
  auto d = verify_hashedrekord_body(b.tlog_entries.at(0), other_digest);
  REQUIRE(!d.ok());
  CHECK(d.error().message.find("Rekor entry: the logged artifact digest sha256:a0cfc712") == 0);

  SignedContent other_sig = c;
  other_sig.signature[10] = static_cast<char>(other_sig.signature[10] ^ 1);
  CHECK(verify_hashedrekord_body(b.tlog_entries.at(0), other_sig).error().message ==
        "Rekor entry: the logged signature is not the bundle's signature");

  SignedContent other_cert = c;
  other_cert.certificate = *bundle_of("happy-path-v0.1").leaf_certificate;
  CHECK(verify_hashedrekord_body(b.tlog_entries.at(0), other_cert).error().message ==
        "Rekor entry: the logged certificate is not the bundle's certificate");

  TlogEntry dsse = b.tlog_entries.at(0);
  dsse.kind = "dsse";
  CHECK(verify_hashedrekord_body(dsse, c).error().code == ErrorCode::unsupported);
  TlogEntry mislabeled = b.tlog_entries.at(0);
  mislabeled.version = "0.0.2";
  CHECK(verify_hashedrekord_body(mislabeled, c).error().message.find("the body is hashedrekord 0.0.1") !=
        std::string::npos);
}

TEST_CASE("hashedrekord 0.0.2 (Rekor v2)", "[sigstore][rekor]") {
  Bundle b = bundle_of("rekor2-happy-path");
  SignedContent c{sha256(artifact_a_txt()), b.signature, *b.leaf_certificate, std::nullopt};
  CHECK(verify_hashedrekord_body(b.tlog_entries.at(0), c).ok());
  c.artifact_sha256 = sha256("x");
  CHECK(!verify_hashedrekord_body(b.tlog_entries.at(0), c).ok());
}
