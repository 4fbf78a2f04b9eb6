// The git_lfs_concat variant hash, computed from a Hub tree listing.
//
//   hash = "sha256-" + hex(SHA-256( for each file of the variant, sorted by the
//          bytes of its path relative to build/<variant>/:  path ‖ raw_hash ))
//
// where raw_hash is the file's LFS SHA-256 (32 bytes) when it is an LFS file
// and its git blob SHA-1 (20 bytes) otherwise; no separators, no lengths.
// Only paths starting with "build/torch" count; "*.pyc" files and anything
// with a "__pycache__" path component are left out.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "hub/tree_listing.hpp"
#include "lockfile/lock.hpp"
#include "util/result.hpp"

namespace kernels::lockfile {

// A file as the hash sees it: its path inside the variant and the hex of the
// hash that stands for its contents (LFS SHA-256 or git blob SHA-1).
struct HashedFile {
  std::string relpath;
  std::string hex;
};

// Hashes one variant's files (any order; they are sorted here). Hex digits
// may be upper or lower case. Error (code "hash") for a hash that is not an
// even number of hex digits.
Result<std::string> git_lfs_concat_hash(std::vector<HashedFile> files);

// The variants of one commit, from its recursive tree listing (as the Hub client or the HF cache gives it) in listing
// order: a variant appears where its first hashed file appears (never sorted), hash_type "git_lfs_concat". Directories
// are ignored; a variant whose files are all excluded does not appear. Error (code "hash") naming the path for a file
// under build/torch* without a usable hash. An LFS file counts by its sha256 alone: the HF cache does not know the
// pointer's git id. Works on the listing in place: 8 bytes a hashed file besides it (a million-file listing is
// hashed without copying its paths or hashes).
Result<std::vector<VariantLock>> git_lfs_concat_variants(const hub::TreeListing& listing);

}  // namespace kernels::lockfile
