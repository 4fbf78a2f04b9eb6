#include <catch2/catch.hpp>

#include "sigstore/trusted_root.hpp"
#include "tests/unit/sigstore/sigstore_test_support.hpp"

using kernels::ErrorCode;

using namespace kernels::sigstore;
using kernels::sigstore_test::conformance;

TEST_CASE("trusted root: the shipped production snapshot", "[sigstore][trusted-root]") {
  auto root = production_trusted_root();
  REQUIRE(root.ok());
  CHECK(root->tlogs.size() == 2);  // rekor.sigstore.dev and the Rekor v2 log2025-1
  CHECK(root->tlogs[0].base_url == "https://rekor.sigstore.dev");
  CHECK(root->tlogs[1].key_details == "PKIX_ED25519");
  CHECK(root->certificate_authorities.size() == 2);
  CHECK(root->ctlogs.size() == 2);
  CHECK(root->timestamp_authorities.size() == 1);
  // The first CT log's interval ends (closed) at 2022-10-31T23:59:59.999Z.
  const auto& ct = root->ctlogs[0];
  REQUIRE(ct.valid_for.end.has_value());
  CHECK(ct.valid_for.contains(Timestamp{1667260799, 999000000}));
  CHECK(!ct.valid_for.contains(Timestamp{1667260800, 0}));
  CHECK(production_trusted_root_source().find("27db13db (2026-08-19)") != std::string::npos);
}

TEST_CASE("trusted root: a log without a validity start is an error", "[sigstore][trusted-root]") {
  auto r = parse_trusted_root(conformance("trust-root-tlog-missing-validity-start_fail", "trusted_root.json"));
  REQUIRE(!r.ok());
  CHECK(r.error().code == ErrorCode::trusted_root);
  CHECK(r.error().message.find("validFor.start is missing") != std::string::npos);
}

TEST_CASE("trusted root: malformed documents", "[sigstore][trusted-root]") {
  CHECK(!parse_trusted_root("[]").ok());
  CHECK(parse_trusted_root(R"({"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=9"})")
            .error()
            .message.find("unsupported media type") != std::string::npos);
  const std::string head = R"({"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1",)";
  CHECK(!parse_trusted_root(head + R"("tlogs":{}})").ok());
  CHECK(!parse_trusted_root(head +
                            R"("tlogs":[{"publicKey":{"rawBytes":"!!","validFor":{"start":"2021-01-01T00:00:00Z"}},)"
                            R"("logId":{"keyId":"AAAA"}}]})")
             .ok());
  CHECK(!parse_trusted_root(head + R"("certificateAuthorities":[{"certChain":{"certificates":[]},)"
                                   R"("validFor":{"start":"2021-01-01T00:00:00Z"}}]})")
             .ok());
  auto reversed = parse_trusted_root(
      head + R"("tlogs":[{"publicKey":{"rawBytes":"AAAA","validFor":{"start":"2022-01-01T00:00:00Z",)"
             R"("end":"2021-01-01T00:00:00Z"}},"logId":{"keyId":"AAAA"}}]})");
  REQUIRE(!reversed.ok());
  CHECK(reversed.error().message.find("ends before it starts") != std::string::npos);
}
