#include <catch2/catch.hpp>

#include "sigstore/bundle.hpp"
#include "sigstore/merkle.hpp"
#include "tests/unit/sigstore/sigstore_test_support.hpp"

using namespace kernels::sigstore;

namespace {

// RFC 6962 §2.1 by its recursive definitions, independent of merkle.cpp's
// iterative audit-path walk.
std::size_t split_point(std::size_t n) {
  std::size_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

Bytes mth(const std::vector<Bytes>& leaves, std::size_t begin, std::size_t end) {
  if (end - begin == 1) return merkle_leaf_hash(leaves[begin]);
  std::size_t k = split_point(end - begin);
  return merkle_node_hash(mth(leaves, begin, begin + k), mth(leaves, begin + k, end));
}

std::vector<Bytes> path(std::size_t m, const std::vector<Bytes>& leaves, std::size_t begin, std::size_t end) {
  if (end - begin == 1) return {};
  std::size_t k = split_point(end - begin);
  std::vector<Bytes> p;
  if (m < k) {
    p = path(m, leaves, begin, begin + k);
    p.push_back(mth(leaves, begin + k, end));
  } else {
    p = path(m - k, leaves, begin + k, end);
    p.push_back(mth(leaves, begin, begin + k));
  }
  return p;
}

}  // namespace

TEST_CASE("Merkle: the empty-tree and one-leaf hashes of RFC 6962", "[sigstore][merkle]") {
  CHECK(hex_encode(merkle_leaf_hash("")) == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
  auto root = merkle_root_from_proof(0, 1, merkle_leaf_hash("x"), {});
  REQUIRE(root.ok());
  CHECK(*root == merkle_leaf_hash("x"));
}

TEST_CASE("Merkle: every audit path of trees of 1 to 33 leaves verifies, and no tampered one", "[sigstore][merkle]") {
  for (std::size_t n = 1; n <= 33; ++n) {
    std::vector<Bytes> leaves;
    for (std::size_t i = 0; i < n; ++i) leaves.push_back("leaf " + std::to_string(i));
    Bytes root = mth(leaves, 0, n);
    for (std::size_t m = 0; m < n; ++m) {
      INFO("tree " << n << " leaf " << m);
      auto p = path(m, leaves, 0, n);
      CHECK(verify_inclusion(m, n, merkle_leaf_hash(leaves[m]), p, root).ok());
      // Wrong leaf, wrong index, a flipped bit, one hash too few or too many. (A
      // wrong tree size can give the same root: the checkpoint binds the size.)
      CHECK(!verify_inclusion(m, n, merkle_leaf_hash("other"), p, root).ok());
      if (n > 1) CHECK(!verify_inclusion((m + 1) % n, n, merkle_leaf_hash(leaves[m]), p, root).ok());
      if (!p.empty()) {
        auto flipped = p;
        flipped.back()[0] = static_cast<char>(flipped.back()[0] ^ 1);
        CHECK(!verify_inclusion(m, n, merkle_leaf_hash(leaves[m]), flipped, root).ok());
        auto shorter = p;
        shorter.pop_back();
        CHECK(!verify_inclusion(m, n, merkle_leaf_hash(leaves[m]), shorter, root).ok());
      }
      auto longer = p;
      longer.push_back(Bytes(32, 'x'));
      CHECK(!verify_inclusion(m, n, merkle_leaf_hash(leaves[m]), longer, root).ok());
    }
  }
}

TEST_CASE("Merkle: index outside the tree and malformed hashes", "[sigstore][merkle]") {
  auto r = merkle_root_from_proof(5, 5, Bytes(32, 'a'), {});
  REQUIRE(!r.ok());
  CHECK(r.error().message == "inclusion proof: leaf index 5 is outside a tree of 5");
  CHECK(!merkle_root_from_proof(0, 2, Bytes(32, 'a'), {Bytes(31, 'b')}).ok());
  CHECK(!merkle_root_from_proof(0, 2, Bytes(20, 'a'), {Bytes(32, 'b')}).ok());
}

TEST_CASE("Merkle: a real Rekor v1 proof (75 million leaves) gives its root", "[sigstore][merkle]") {
  auto b = parse_bundle(kernels::sigstore_test::conformance("happy-path-v0.3"));
  REQUIRE(b.ok());
  const auto& e = b->tlog_entries.at(0);
  const auto& p = *e.inclusion_proof;
  CHECK(p.tree_size == 75408393);
  CHECK(verify_inclusion(p.log_index, p.tree_size, merkle_leaf_hash(e.canonicalized_body), p.hashes, p.root_hash).ok());
}
