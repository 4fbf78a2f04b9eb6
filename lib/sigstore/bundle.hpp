// A Sigstore bundle (media types application/vnd.dev.sigstore.bundle+json;
// version=0.1|0.2|0.3 and application/vnd.dev.sigstore.bundle.v0.3+json),
// decoded but not yet trusted: every field here is only what the bundle
// claims until verifier.cpp has checked it. Message-signature bundles only;
// a DSSE envelope is parsed far enough to say "not supported".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sigstore/encoding.hpp"
#include "util/result.hpp"

namespace kernels::sigstore {

inline constexpr std::size_t kMaxBundleBytes = 4u << 20;
inline constexpr std::size_t kMaxProofHashes = 64;
inline constexpr std::size_t kMaxTlogEntries = 8;
inline constexpr std::size_t kMaxTimestamps = 8;

struct InclusionProof {
  std::int64_t log_index = 0;
  std::int64_t tree_size = 0;
  Bytes root_hash;
  std::vector<Bytes> hashes;
  std::optional<std::string> checkpoint;  // the signed note, as text
};

struct TlogEntry {
  std::int64_t log_index = 0;
  Bytes log_id;
  std::string kind;
  std::string version;
  std::optional<std::int64_t> integrated_time;  // absent or 0 for Rekor v2
  std::optional<Bytes> signed_entry_timestamp;  // the inclusion promise (SET)
  std::optional<InclusionProof> inclusion_proof;
  Bytes canonicalized_body;  // decoded
};

struct Bundle {
  std::string media_type;
  int minor_version = 0;  // 1, 2 or 3 (of 0.x)
  // Exactly one of these key materials.
  std::optional<Bytes> leaf_certificate;  // DER
  std::vector<Bytes> chain_rest;          // v0.1/0.2 x509CertificateChain beyond the leaf
  std::optional<Bytes> public_key_hint;   // managed-key bundles
  std::vector<TlogEntry> tlog_entries;
  std::vector<Bytes> rfc3161_timestamps;  // DER TimeStampResponse each
  // messageSignature
  std::optional<Bytes> message_digest;  // SHA2_256 only
  Bytes signature;
};

// Parses bundle JSON. Error codes: "parse" (malformed), "unsupported"
// (DSSE envelopes, unknown versions or kinds: the message says "not
// supported").
Result<Bundle> parse_bundle(std::string_view json);

}  // namespace kernels::sigstore
