#include <catch2/catch.hpp>

#include "sigstore/bundle.hpp"
#include "tests/unit/sigstore/sigstore_test_support.hpp"

using kernels::ErrorCode;

using namespace kernels::sigstore;
using kernels::sigstore_test::conformance;

TEST_CASE("bundle: the four accepted media types", "[sigstore][bundle]") {
  const std::pair<const char*, int> cases[] = {
      {"happy-path-v0.1", 1}, {"happy-path-v0.2", 2}, {"happy-path-v0.3", 3}, {"happy-path-v0.3-new-mediaType", 3}};
  for (auto [name, minor] : cases) {
    INFO(name);
    auto b = parse_bundle(conformance(name));
    REQUIRE(b.ok());
    CHECK(b->minor_version == minor);
    CHECK(b->leaf_certificate.has_value());
    REQUIRE(b->tlog_entries.size() == 1);
    CHECK(b->tlog_entries[0].kind == "hashedrekord");
    CHECK(b->tlog_entries[0].inclusion_proof.has_value());
    CHECK(b->signature.size() > 60);
    CHECK(b->message_digest->size() == 32);
  }
}

TEST_CASE("bundle: v0.3 fields of a Rekor v1 entry", "[sigstore][bundle]") {
  auto b = parse_bundle(conformance("happy-path-v0.3"));
  REQUIRE(b.ok());
  const auto& e = b->tlog_entries[0];
  CHECK(e.log_index == 79571823);
  CHECK(*e.integrated_time == 1710869186);
  CHECK(e.inclusion_proof->log_index == 75408392);
  CHECK(e.inclusion_proof->hashes.size() == 11);
  CHECK(e.signed_entry_timestamp.has_value());
  CHECK(e.canonicalized_body.rfind("{\"apiVersion\":\"0.0.1\"", 0) == 0);
}

TEST_CASE("bundle: malformed and unsupported bundles say why", "[sigstore][bundle]") {
  auto code_and_message = [](const std::string& text) {
    auto b = parse_bundle(text);
    REQUIRE(!b.ok());
    return b.error();
  };
  CHECK(code_and_message(conformance("bundle-malformed-json_fail")).message.find("bundle is not valid JSON") == 0);
  CHECK(code_and_message(conformance("bundle-negative-log-index_fail")).message.find("negative") != std::string::npos);
  CHECK(code_and_message(conformance("bundle-invalid-base64-signature_fail")).message.find("invalid base64") !=
        std::string::npos);
  auto unknown = code_and_message(conformance("bundle-unknown-version_fail"));
  CHECK(unknown.code == ErrorCode::unsupported);
  CHECK(unknown.message.find("not supported") != std::string::npos);
  auto dsse = code_and_message(conformance("happy-path-intoto-in-dsse-v3"));
  CHECK(dsse.code == ErrorCode::unsupported);
  CHECK(dsse.message == "bundle: DSSE envelopes (in-toto attestations) are not supported; only message signatures are");
  CHECK(code_and_message(conformance("bundle-empty-certificate-chain_fail")).message.find("no certificates") !=
        std::string::npos);
  CHECK(code_and_message(std::string(5u << 20, ' ')).message.find("too large") != std::string::npos);
  CHECK(code_and_message(std::string(1000, '[')).message.find("nested deeper") != std::string::npos);
  CHECK(code_and_message("{\"mediaType\":\"application/vnd.dev.sigstore.bundle.v0.3+json\"}").message ==
        "bundle: missing messageSignature");
}

TEST_CASE("bundle: a managed-key bundle has a key hint and no certificate", "[sigstore][bundle]") {
  auto b = parse_bundle(conformance("managed-key-happy-path"));
  REQUIRE(b.ok());
  CHECK(!b->leaf_certificate.has_value());
  CHECK(*b->public_key_hint == "TLMsSDfG3ajPsWge+z/vX5T/zluXnmvbkTkwLIV68Tk=");
}

TEST_CASE("bundle: Rekor v2 entries and RFC 3161 timestamps", "[sigstore][bundle]") {
  auto b = parse_bundle(conformance("rekor2-happy-path"));
  REQUIRE(b.ok());
  CHECK(b->tlog_entries[0].version == "0.0.2");
  CHECK(!b->tlog_entries[0].integrated_time.has_value());
  CHECK(!b->tlog_entries[0].signed_entry_timestamp.has_value());
  CHECK(b->rfc3161_timestamps.size() == 1);
}
