// The trusted root (`trusted_root.json`, media type
// application/vnd.dev.sigstore.trustedroot+json;version=0.1): which Fulcio
// CAs, Rekor logs, CT logs and timestamp authorities a verifier trusts, each
// for a validity interval. Parsed strictly: a log without a validity start,
// a key that is not base64 or an unknown media type is an error, never
// "trust everything".
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sigstore/encoding.hpp"
#include "sigstore/time.hpp"
#include "util/result.hpp"

namespace kernels::sigstore {

// A closed interval [start, end]; no end means still valid.
struct TimeRange {
  Timestamp start;
  std::optional<Timestamp> end;
  bool contains(Timestamp t) const { return start <= t && (!end || t <= *end); }
  bool contains(std::int64_t seconds) const { return contains(Timestamp{seconds, 0}); }
};

// A transparency log: Rekor or a CT log.
struct TransparencyLog {
  std::string base_url;
  std::string hash_algorithm;  // "SHA2_256"
  Bytes public_key;            // DER as given (SubjectPublicKeyInfo, or PKCS#1 for old RSA CT logs)
  std::string key_details;     // "PKIX_ECDSA_P256_SHA_256", "PKIX_ED25519", ...
  TimeRange valid_for;
  Bytes log_id;  // the keyId bytes (SHA-256 of the key for Rekor v1 and CT logs)
};

// A Fulcio CA or a timestamp authority: a certificate chain, leaf-most first.
struct CertificateAuthority {
  std::string uri;
  std::string subject;  // "organization/commonName", for messages
  std::vector<Bytes> chain;
  TimeRange valid_for;
};

struct TrustedRoot {
  std::vector<TransparencyLog> tlogs;
  std::vector<CertificateAuthority> certificate_authorities;
  std::vector<TransparencyLog> ctlogs;
  std::vector<CertificateAuthority> timestamp_authorities;

  const TransparencyLog* find_tlog(std::string_view log_id) const;
  const TransparencyLog* find_ctlog(std::string_view log_id) const;
};

// Parses trusted_root.json. Error code "trusted_root".
Result<TrustedRoot> parse_trusted_root(std::string_view json);

// The Sigstore public-good production root shipped in the binary, and where
// it came from (see data/sigstore/SOURCE).
std::string_view production_trusted_root_json();
std::string_view production_trusted_root_source();
Result<TrustedRoot> production_trusted_root();

// `--trusted-root FILE`: the file's root (at most 8 MiB, errors naming the
// file), or the production root when `path` is empty.
Result<TrustedRoot> load_trusted_root(const std::string& path);

}  // namespace kernels::sigstore
