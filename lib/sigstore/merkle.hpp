// RFC 6962 / RFC 9162 Merkle trees: leaf and node hashes and the inclusion
// proof (audit path) check of RFC 9162 §2.1.3.2.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "sigstore/encoding.hpp"
#include "util/result.hpp"

namespace kernels::sigstore {

Bytes merkle_leaf_hash(std::string_view leaf);                          // SHA-256(0x00 || leaf)
Bytes merkle_node_hash(std::string_view left, std::string_view right);  // SHA-256(0x01 || l || r)

// The root the audit path `proof` gives for `leaf_hash` at `index` in a
// tree of `tree_size` leaves. Error code "inclusion_proof" when the index is
// outside the tree or the path has the wrong length for it.
Result<Bytes> merkle_root_from_proof(std::uint64_t index, std::uint64_t tree_size, std::string_view leaf_hash,
                                     const std::vector<Bytes>& proof);

// Checks that `proof` leads from `leaf_hash` to `root`.
Status verify_inclusion(std::uint64_t index, std::uint64_t tree_size, std::string_view leaf_hash,
                        const std::vector<Bytes>& proof, std::string_view root);

}  // namespace kernels::sigstore
