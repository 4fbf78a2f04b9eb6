// The `digest` of a variant's metadata.json, as kernels-data computes and
// compares it (kernels-data's digest.rs):
//
//   {"algorithm": "sha256" | "sha512", "files": {"<relpath>": "<base64>", ...}}
//
// over every regular file under the variant directory (file symlinks
// followed, directory symlinks not; a dangling symlink is an error for the
// whole variant), leaving out metadata.json and metadata.json.sigstore at
// the top only, anything with a `__pycache__` path component (the variant
// directory's own path included), and files whose extension is `pyc`
// (case-sensitive; a file named exactly ".pyc" has none and is hashed).
// Values are standard base64 with padding of SHA-256 or SHA-512.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lockfile/variant_tree.hpp"
#include "util/result.hpp"

namespace kernels::lockfile {

enum class DigestAlgorithm { Sha256, Sha512 };

// "sha256" / "sha512", as metadata.json spells them.
const char* digest_algorithm_name(DigestAlgorithm algorithm);
// "SHA256" / "SHA512", as the violation texts spell them.
const char* digest_algorithm_label(DigestAlgorithm algorithm);
std::optional<DigestAlgorithm> parse_digest_algorithm(std::string_view name);

struct Digest {
  DigestAlgorithm algorithm = DigestAlgorithm::Sha256;
  std::map<std::string, std::string> files;  // relpath -> base64; std::string orders keys bytewise

  friend bool operator==(const Digest&, const Digest&) = default;
};

// Whether the digest covers the file at `relpath` (variant-relative) of a
// variant directory at `variant_dir`.
bool digest_covers(const std::string& variant_dir, const std::string& relpath);

// The files of a walked variant the digest hashes, in relpath order. Error
// (code "digest") naming the first dangling symlink.
Result<std::vector<const TreeItem*>> digest_files(const std::string& variant_dir, const std::vector<TreeItem>& tree);

// Walks and hashes `variant_dir` (at most `jobs` files at once).
Result<Digest> compute_digest(const std::string& variant_dir, DigestAlgorithm algorithm, std::size_t jobs = 1);

struct DigestViolation {
  enum class Kind { AlgorithmMismatch, MissingFile, UnknownFile, HashMismatch };
  Kind kind = Kind::MissingFile;
  std::string path;      // empty for AlgorithmMismatch
  std::string expected;  // HashMismatch: base64; AlgorithmMismatch: "SHA256"/"SHA512"
  std::string actual;

  // "Missing file: P", "Unknown file: P",
  // "File hash mismatch for P: expected: E, got: G",
  // "Algorithm mismatch: expected: SHA256, got: SHA512".
  std::string text() const;

  friend bool operator==(const DigestViolation&, const DigestViolation&) = default;
};

// Expected (metadata.json) against actual: the algorithm first, then each
// expected path in key order (missing or mismatching), then each actual
// path that was not expected, in key order. Empty when they agree.
std::vector<DigestViolation> compare_digests(const Digest& expected, const Digest& actual);

}  // namespace kernels::lockfile
