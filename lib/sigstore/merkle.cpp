#include "sigstore/merkle.hpp"

namespace kernels::sigstore {

Bytes merkle_leaf_hash(std::string_view leaf) {
  Bytes in(1, '\0');
  in.append(leaf);
  return sha256(in);
}

Bytes merkle_node_hash(std::string_view left, std::string_view right) {
  Bytes in(1, '\x01');
  in.append(left);
  in.append(right);
  return sha256(in);
}

Result<Bytes> merkle_root_from_proof(std::uint64_t index, std::uint64_t tree_size, std::string_view leaf_hash,
                                     const std::vector<Bytes>& proof) {
  auto fail = [](std::string m) { return Error{ErrorCode::inclusion_proof, "inclusion proof: " + std::move(m)}; };
  if (index >= tree_size) {
    return fail("leaf index " + std::to_string(index) + " is outside a tree of " + std::to_string(tree_size));
  }
  if (leaf_hash.size() != 32) return fail("leaf hash is not 32 bytes");
  std::uint64_t fn = index;
  std::uint64_t sn = tree_size - 1;
  Bytes r(leaf_hash);
  for (const Bytes& p : proof) {
    if (p.size() != 32) return fail("a path hash is not 32 bytes");
    if (sn == 0) return fail("the path is longer than the tree is deep");
    if ((fn & 1) != 0 || fn == sn) {
      r = merkle_node_hash(p, r);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = merkle_node_hash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) return fail("the path is shorter than the tree is deep");
  return r;
}

Status verify_inclusion(std::uint64_t index, std::uint64_t tree_size, std::string_view leaf_hash,
                        const std::vector<Bytes>& proof, std::string_view root) {
  auto computed = merkle_root_from_proof(index, tree_size, leaf_hash, proof);
  if (!computed.ok()) return computed.error();
  if (*computed != root) {
    return Error{ErrorCode::inclusion_proof, "inclusion proof: the path gives root " + hex_encode(*computed) +
                                                 ", the proof claims " + hex_encode(root)};
  }
  return ok_status();
}

}  // namespace kernels::sigstore
