// Rekor transparency-log entries: the signed entry timestamp (SET, Rekor
// v1's inclusion promise), the inclusion proof against a signed checkpoint,
// and the `hashedrekord` body (0.0.1 for Rekor v1, 0.0.2 for Rekor v2)
// matched against what the bundle says was signed.
#pragma once

#include <optional>
#include <string>

#include "sigstore/bundle.hpp"
#include "sigstore/trusted_root.hpp"
#include "util/result.hpp"

namespace kernels::sigstore {

// The canonical JSON a SET signs: {"body":"<base64 body>","integratedTime":N,
// "logID":"<hex log id>","logIndex":N}, keys sorted, no whitespace.
std::string set_payload(const TlogEntry& entry);

// Verifies the entry's SET with the log's key. Error code "set".
Status verify_set(const TlogEntry& entry, const TransparencyLog& log);

// Verifies the inclusion proof (the leaf is the canonicalized body) and that
// the checkpoint is signed by `log` and names the same tree size and root.
// A proof without a checkpoint (older v0.1 bundles) is accepted only when
// the entry has a SET. Error codes "inclusion_proof", "checkpoint".
Status verify_inclusion_proof(const TlogEntry& entry, const TransparencyLog& log);

// What the entry's body says was signed: the body must be hashedrekord
// 0.0.1 or 0.0.2, and all of these must match the bundle. Error code
// "rekor_body" (mismatch), "unsupported" (another kind or version).
struct SignedContent {
  Bytes artifact_sha256;  // 32 bytes
  Bytes signature;
  // Exactly one: the leaf certificate (DER) or a public key (DER SPKI).
  std::optional<Bytes> certificate;
  std::optional<Bytes> public_key;
};
Status verify_hashedrekord_body(const TlogEntry& entry, const SignedContent& expected);

}  // namespace kernels::sigstore
