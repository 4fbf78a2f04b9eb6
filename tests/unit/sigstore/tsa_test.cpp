#include <catch2/catch.hpp>

#include "sigstore/bundle.hpp"
#include "sigstore/tsa.hpp"
#include "tests/unit/sigstore/sigstore_test_support.hpp"

using kernels::ErrorCode;

using namespace kernels::sigstore;
using kernels::sigstore_test::conformance;

namespace {

struct Case {
  Bundle bundle;
  TrustedRoot root;
};

Case load(const std::string& name) {
  auto b = parse_bundle(conformance(name));
  REQUIRE(b.ok());
  auto r = parse_trusted_root(conformance(name, "trusted_root.json"));
  REQUIRE(r.ok());
  return {*b, *r};
}

}  // namespace

TEST_CASE("RFC 3161: a staging TSA timestamp over the signature verifies", "[sigstore][tsa]") {
  for (const char* name : {"rekor2-happy-path", "rekor2-timestamp-with-embedded-cert",
                           "rekor2-timestamp-without-embedded-cert", "rekor2-timestamp-with-expired-cert-chain"}) {
    INFO(name);
    Case c = load(name);
    REQUIRE(c.bundle.rfc3161_timestamps.size() == 1);
    auto t = verify_rfc3161_timestamp(c.bundle.rfc3161_timestamps[0], c.bundle.signature, c.root);
    REQUIRE(t.ok());
    CHECK(*t == *timestamp_gen_time(c.bundle.rfc3161_timestamps[0]));
  }
}

TEST_CASE("RFC 3161: other data, an untrusted TSA, a time outside the TSA's validity", "[sigstore][tsa]") {
  Case c = load("rekor2-happy-path");
  auto other = verify_rfc3161_timestamp(c.bundle.rfc3161_timestamps[0], "other data", c.root);
  REQUIRE(!other.ok());
  CHECK(other.error().code == ErrorCode::timestamp);

  TrustedRoot no_tsa = c.root;
  no_tsa.timestamp_authorities.clear();
  CHECK(verify_rfc3161_timestamp(c.bundle.rfc3161_timestamps[0], c.bundle.signature, no_tsa).error().message ==
        "RFC 3161 timestamp: the trusted root has no timestamp authorities");

  TrustedRoot ended = c.root;
  auto t = *timestamp_gen_time(c.bundle.rfc3161_timestamps[0]);
  for (auto& tsa : ended.timestamp_authorities) tsa.valid_for.end = Timestamp{t.seconds - 1, 0};
  auto outside = verify_rfc3161_timestamp(c.bundle.rfc3161_timestamps[0], c.bundle.signature, ended);
  REQUIRE(!outside.ok());
  CHECK(outside.error().message.find("outside the validity of every timestamp authority") != std::string::npos);

  CHECK(!verify_rfc3161_timestamp("not DER", c.bundle.signature, c.root).ok());
  Bytes truncated = c.bundle.rfc3161_timestamps[0].substr(0, 100);
  CHECK(!verify_rfc3161_timestamp(truncated, c.bundle.signature, c.root).ok());
}
