#include <catch2/catch.hpp>

#include "sigstore/bundle.hpp"
#include "sigstore/certificate.hpp"
#include "sigstore/sct.hpp"
#include "tests/unit/sigstore/sigstore_test_support.hpp"

using namespace kernels::sigstore;
using kernels::sigstore_test::conformance;

namespace {

struct LeafAndIssuer {
  X509Ptr leaf;
  X509Ptr issuer;
};

LeafAndIssuer leaf_of(const std::string& name, const TrustedRoot& root) {
  auto b = parse_bundle(conformance(name));
  REQUIRE(b.ok());
  auto leaf = certificate_from_der(*b->leaf_certificate);
  REQUIRE(leaf.ok());
  auto validity = certificate_validity(leaf->get());
  REQUIRE(validity.ok());
  auto t = validity->not_before + 1;
  auto issuer = verify_chain(leaf->get(), root.certificate_authorities, t);
  REQUIRE(issuer.ok());
  return {std::move(*leaf), std::move(*issuer)};
}

}  // namespace

TEST_CASE("SCT: the embedded SCT of a Fulcio leaf verifies against the production CT log", "[sigstore][sct]") {
  auto root = production_trusted_root();
  REQUIRE(root.ok());
  auto c = leaf_of("happy-path-v0.3", *root);
  CHECK(verify_embedded_scts(c.leaf.get(), c.issuer.get(), *root).ok());

  // The precertificate TBS has no SCT extension; the leaf's own TBS does.
  auto tbs = tbs_without_sct_extension(c.leaf.get());
  REQUIRE(tbs.ok());
  unsigned char* full = nullptr;
  int n = i2d_re_X509_tbs(c.leaf.get(), &full);
  REQUIRE(n > 0);
  CHECK(tbs->size() < static_cast<std::size_t>(n));
  OPENSSL_free(full);

  // A wrong issuer key hash (another key as issuer) breaks the signature.
  auto wrong = verify_embedded_scts(c.leaf.get(), c.leaf.get(), *root);
  REQUIRE(!wrong.ok());
  CHECK(wrong.error().message.find("does not verify") != std::string::npos);

  // A root without that CT log: the SCT's log is unknown.
  TrustedRoot no_ct = *root;
  no_ct.ctlogs.clear();
  auto unknown = verify_embedded_scts(c.leaf.get(), c.issuer.get(), no_ct);
  REQUIRE(!unknown.ok());
  CHECK(unknown.error().message.find("is not a CT log of the trusted root") != std::string::npos);
}

TEST_CASE("SCT: an SCT carrying extensions (static CT) verifies", "[sigstore][sct]") {
  auto root = parse_trusted_root(conformance("bundle-with-sct-with-extensions", "trusted_root.json"));
  REQUIRE(root.ok());
  auto c = leaf_of("bundle-with-sct-with-extensions", *root);
  CHECK(verify_embedded_scts(c.leaf.get(), c.issuer.get(), *root).ok());
}

TEST_CASE("SCT: hostile SCT lists", "[sigstore][sct]") {
  CHECK(!parse_sct_list("").ok());
  CHECK(!parse_sct_list(std::string("\x00\x05\x00", 3)).ok());          // total length lies
  CHECK(!parse_sct_list(std::string("\x00\x02\x00\x00", 4)).ok());      // empty SCT
  CHECK(!parse_sct_list(std::string("\x00\x03\x00\x01\x01", 5)).ok());  // version 2
  std::string sct(1, '\0');
  sct += std::string(32, 'L') + std::string(8, '\0') + std::string("\x00\x00\x04\x03\x00\x02xy", 8);
  std::string list = std::string(1, '\0') + static_cast<char>(sct.size() + 2) + std::string(1, '\0') +
                     static_cast<char>(sct.size()) + sct;
  auto parsed = parse_sct_list(list);
  REQUIRE(parsed.ok());
  REQUIRE(parsed->size() == 1);
  CHECK((*parsed)[0].signature == "xy");
  CHECK((*parsed)[0].hash_algorithm == 4);
  std::string truncated = list.substr(0, list.size() - 1);
  truncated[1] = static_cast<char>(truncated[1] - 1);
  CHECK(!parse_sct_list(truncated).ok());
}
