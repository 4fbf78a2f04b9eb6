// `kernels verify`: checks the cached copies of the kernels a kernels.lock
// pins, offline, by re-hashing their bytes. For each variant directory
// <cache>/kernels--org--name/snapshots/<sha>/build/<variant>/, in order:
//
//   1. the lock check: every file (bytecode left out, as the lock leaves it
//      out) must be a link into blobs/ whose bytes hash to the blob's name
//      (git blob SHA-1 for a 40-hex name, SHA-256 for a 64-hex one), and the
//      git_lfs_concat of those computed hashes must equal the lock's hash;
//   2. the signature step (signature.hpp) over the raw metadata.json bytes,
//      when a verifier is configured;
//   3. metadata.json is parsed and, when it has a `digest`, the variant is
//      hashed as kernels-data hashes it and compared (digest.hpp).
//
// Each file is read once, computing every hash the steps need, with up to
// `jobs` files at once. Nothing here prints.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hub/hf_cache.hpp"
#include "lockfile/digest.hpp"
#include "lockfile/lock.hpp"
#include "lockfile/signature.hpp"
#include "util/result.hpp"

namespace kernels::lockfile {

struct VerifyOptions {
  bool all_variants = false;                              // every variant of the lock, not only the cached ones
  std::size_t jobs = 1;                                   // files hashed at once
  const SignatureVerifier* signature_verifier = nullptr;  // nullptr: the signature step reports NotChecked
  bool require_signature = false;                         // a missing bundle fails the variant
};

// A problem the lock check found, about one file (`path` relative to the
// variant directory) or, with `path` empty, about the variant.
struct LockProblem {
  std::string path;
  std::string text;
  friend bool operator==(const LockProblem&, const LockProblem&) = default;
};

struct VariantReport {
  enum class Status {
    Ok,        // the lock hash and the digest check out
    NoDigest,  // the lock hash checks out; no metadata.json digest to compare with (not an error)
    Mismatch,  // some check failed (see the fields below)
    Missing,   // not in the cache
    Unlocked,  // a build/torch* directory of the cached commit that kernels.lock does not list
  };
  enum class DigestStatus {
    Ok,
    Mismatch,         // digest_violations
    NoMetadata,       // no metadata.json
    NoDigest,         // metadata.json without a digest
    InvalidMetadata,  // metadata.json unreadable or malformed (digest_message)
    Error,            // the digest cannot be computed, e.g. a dangling symlink (digest_message)
    NotChecked,       // the variant is missing, or the signature failed (digest_message)
  };

  std::string repo_id;
  std::string sha;
  std::string variant;  // empty for an entry none of whose variants is cached
  Status status = Status::Ok;
  std::string dir;      // the variant directory; empty when missing
  std::string missing;  // for Missing: what was looked for, and where

  std::string expected_hash;               // from kernels.lock; empty for Unlocked
  std::optional<std::string> actual_hash;  // nullopt when it could not be computed
  std::vector<LockProblem> lock_problems;  // file problems in path order, then the variant hash

  SignatureResult signature;

  DigestStatus digest_status = DigestStatus::NotChecked;
  std::optional<DigestAlgorithm> digest_algorithm;
  std::vector<DigestViolation> digest_violations;
  std::string digest_message;

  std::size_t files = 0;    // files read
  std::uint64_t bytes = 0;  // bytes read
};

// "ok", "no-digest", "mismatch", "missing", "unlocked".
const char* status_name(VariantReport::Status status);
// "ok", "mismatch", "no-metadata", "no-digest", "invalid-metadata", "error", "not-checked".
const char* digest_status_name(VariantReport::DigestStatus status);

struct VerifyReport {
  std::vector<VariantReport> variants;  // lock order; within an entry, lock variant order, then unlocked ones
  std::size_t count(VariantReport::Status status) const;
  bool ok() const;  // nothing Mismatch, Missing or Unlocked
  std::uint64_t bytes() const;
};

// The variants of `kernel` checked without --all-variants, given the names
// of its variant directories in the cache. Today: those of the lock entry
// that are cached, in lock order: what `kernels download` installed (the
// preferred variant, or all with --all-variants), whatever machine chose it.
std::vector<std::string> default_variants(const LockedKernel& kernel, const std::vector<std::string>& cached);

// Verifies `lock` against `cache`. Error (code "format") only for a lock
// entry that cannot name a cache path safely (a sha that is not 40 hex, a
// variant name with '/', "." or ".."); everything found in the cache is
// part of the report.
Result<VerifyReport> verify_lock(const Lock& lock, const hub::HfCache& cache, const VerifyOptions& options);

}  // namespace kernels::lockfile
