#include "sigstore/verifier.hpp"

#include <ctime>

#include "sigstore/certificate.hpp"
#include "sigstore/crypto.hpp"
#include "sigstore/rekor.hpp"
#include "sigstore/sct.hpp"
#include "sigstore/tsa.hpp"

namespace kernels::sigstore {

namespace {

// Integrated times may run this far ahead of the local clock.
constexpr std::int64_t kClockSkew = 5 * 60;

Error with_step(const char* step, const Error& e) { return Error{e.code, std::string(step) + ": " + e.message}; }

// The signing key: the leaf certificate's, or the managed key.
struct SigningKey {
  X509Ptr leaf;
  PKey key;
  Bytes key_der;
};

Result<SigningKey> signing_key(const Bundle& bundle, const Policy& policy) {
  SigningKey k;
  if (policy.is_managed_key()) {
    if (bundle.leaf_certificate) {
      return Error{ErrorCode::key,
                   "key material: the bundle carries a certificate; --key verifies managed-key bundles only"};
    }
    auto key = public_key_from_pem(*policy.managed_key_pem);
    if (!key.ok()) return with_step("key material", key.error());
    k.key_der = public_key_der(key->get());
    k.key = std::move(*key);
    return k;
  }
  if (!bundle.leaf_certificate) {
    return Error{ErrorCode::key,
                 "key material: the bundle is signed with a managed key (no certificate); verify it with --key"};
  }
  for (const Bytes& der : bundle.chain_rest) {
    auto c = certificate_from_der(der);
    if (!c.ok()) return with_step("key material", c.error());
    if (is_self_signed(c->get())) {
      return Error{ErrorCode::certificate, "key material: the bundle's certificate chain contains a root certificate"};
    }
  }
  auto leaf = certificate_from_der(*bundle.leaf_certificate);
  if (!leaf.ok()) return with_step("key material", leaf.error());
  if (is_self_signed(leaf->get())) {
    return Error{ErrorCode::certificate, "key material: the signing certificate is self-signed (a root certificate)"};
  }
  EVP_PKEY* pub = X509_get0_pubkey(leaf->get());
  if (pub == nullptr) return Error{ErrorCode::certificate, "key material: the certificate's public key is unreadable"};
  EVP_PKEY_up_ref(pub);
  k.key = PKey(pub);
  k.key_der = public_key_der(pub);
  k.leaf = std::move(*leaf);
  return k;
}

}  // namespace

Result<Verified> verify_bundle(const Bundle& bundle, std::string_view sha256_digest,
                               std::optional<std::string_view> raw_bytes, const Policy& policy, const TrustedRoot& root,
                               std::int64_t now) {
  if (sha256_digest.size() != 32) return Error{ErrorCode::usage, "the artifact digest must be 32 bytes of SHA-256"};
  auto key = signing_key(bundle, policy);
  if (!key.ok()) return key.error();
  Verified out;
  out.managed_key = policy.is_managed_key();

  // Transparency log entries.
  if (bundle.tlog_entries.empty()) return Error{ErrorCode::tlog, "transparency log: the bundle has no Rekor entry"};
  SignedContent content{Bytes(sha256_digest), bundle.signature, std::nullopt, std::nullopt};
  if (key->leaf) content.certificate = *bundle.leaf_certificate;
  else content.public_key = key->key_der;
  std::vector<std::pair<const TransparencyLog*, std::optional<std::int64_t>>> logs_used;
  for (const TlogEntry& entry : bundle.tlog_entries) {
    const TransparencyLog* log = root.find_tlog(entry.log_id);
    if (log == nullptr) {
      return Error{ErrorCode::tlog, "transparency log: the entry's log " + base64_encode(entry.log_id) +
                                        " is not a Rekor log of the trusted root"};
    }
    if (auto s = verify_hashedrekord_body(entry, content); !s.ok()) return with_step("transparency log", s.error());
    bool rekor_v2 = entry.version == "0.0.2";
    if (!entry.inclusion_proof && (bundle.minor_version >= 2 || rekor_v2 || !entry.signed_entry_timestamp)) {
      return Error{ErrorCode::inclusion_proof, "transparency log: the entry has no inclusion proof"};
    }
    if (entry.inclusion_proof) {
      if (auto s = verify_inclusion_proof(entry, *log); !s.ok()) return with_step("transparency log", s.error());
    }
    std::optional<std::int64_t> integrated;
    if (entry.signed_entry_timestamp) {
      if (auto s = verify_set(entry, *log); !s.ok()) return with_step("transparency log", s.error());
      integrated = entry.integrated_time;
      if (*integrated > now + kClockSkew) {
        return Error{ErrorCode::tlog,
                     "transparency log: the integrated time " + format_rfc3339(*integrated) + " is in the future"};
      }
      if (!log->valid_for.contains(*integrated)) {
        return Error{ErrorCode::tlog, "transparency log: the integrated time " + format_rfc3339(*integrated) +
                                          " is outside the validity of log " + log->base_url + " in the trusted root"};
      }
      out.times.push_back({"Rekor integrated time", *integrated});
    }
    logs_used.emplace_back(log, integrated);
    if (out.log_url.empty()) {
      out.log_url = log->base_url;
      out.log_index = entry.log_index;
      out.entry_kind = entry.kind + " " + entry.version;
    }
  }

  // RFC 3161 timestamps over the signature.
  std::size_t first_tsa = out.times.size();
  for (std::size_t i = 0; i < bundle.rfc3161_timestamps.size(); ++i) {
    auto t = verify_rfc3161_timestamp(bundle.rfc3161_timestamps[i], bundle.signature, root);
    if (!t.ok()) return with_step("timestamp", t.error());
    out.times.push_back({"RFC 3161 timestamp", t->seconds});
  }
  if (out.times.empty()) {
    return Error{ErrorCode::time,
                 "signing time: no verified time source (no signed entry timestamp, no RFC 3161 timestamp)"};
  }
  // A log without an integrated time must have been valid at a timestamp.
  for (const auto& [log, integrated] : logs_used) {
    if (integrated) continue;
    bool valid = false;
    for (std::size_t i = first_tsa; i < out.times.size(); ++i)
      valid = valid || log->valid_for.contains(out.times[i].seconds);
    if (!valid) {
      return Error{ErrorCode::tlog,
                   "transparency log: log " + log->base_url + " was not valid in the trusted root at the signing time"};
    }
  }

  if (key->leaf) {
    X509* leaf = key->leaf.get();
    auto validity = certificate_validity(leaf);
    if (!validity.ok()) return with_step("certificate", validity.error());
    X509Ptr issuer;
    for (const auto& t : out.times) {
      if (t.seconds < validity->not_before || t.seconds > validity->not_after) {
        return Error{ErrorCode::certificate, "certificate: the " + t.source + " " + format_rfc3339(t.seconds) +
                                                 " is outside the certificate's validity " +
                                                 format_rfc3339(validity->not_before) + " to " +
                                                 format_rfc3339(validity->not_after)};
      }
      auto iss = verify_chain(leaf, root.certificate_authorities, t.seconds);
      if (!iss.ok()) return iss.error();
      if (!issuer) issuer = std::move(*iss);
    }
    if (auto s = verify_embedded_scts(leaf, issuer.get(), root); !s.ok()) return with_step("certificate", s.error());
    if (auto s = check_code_signing_usage(leaf); !s.ok()) return s.error();
    if (auto s = check_policy(leaf, policy); !s.ok()) return s.error();
    out.subject_alternative_names = subject_alternative_names(leaf);
    if (auto v2 = fulcio_extension(leaf, kOidIssuerV2, false); v2.ok() && *v2) out.issuer = **v2;
    else if (auto v1 = fulcio_extension(leaf, kOidIssuerV1, true); v1.ok() && *v1) out.issuer = **v1;
  }

  // The signature over the artifact.
  Status sig = Error{ErrorCode::signature, ""};
  if (EVP_PKEY_base_id(key->key.get()) == EVP_PKEY_ED25519) {
    if (!raw_bytes) {
      return Error{ErrorCode::unsupported,
                   "signature: Ed25519 signatures over an artifact given only by its digest are not "
                   "supported"};
    }
    sig = verify_message(key->key.get(), *raw_bytes, bundle.signature);
  } else {
    sig = verify_sha256_digest(key->key.get(), sha256_digest, bundle.signature);
  }
  if (!sig.ok()) {
    return Error{sig.error().code, "signature: the artifact's signature does not verify with the " +
                                       std::string(key->leaf ? "certificate's " : "given ") +
                                       describe_key(key->key.get()) + " key"};
  }
  if (bundle.message_digest && *bundle.message_digest != sha256_digest) {
    return Error{ErrorCode::signature,
                 "signature: the bundle's message digest sha256:" + hex_encode(*bundle.message_digest) +
                     " is not the artifact's sha256:" + hex_encode(sha256_digest)};
  }
  return out;
}

Result<Verified> verify_artifact_digest(std::string_view sha256_digest, std::string_view bundle_bytes,
                                        const Policy& policy, const TrustedRoot& trusted_root) {
  auto bundle = parse_bundle(bundle_bytes);
  if (!bundle.ok()) return bundle.error();
  return verify_bundle(*bundle, sha256_digest, std::nullopt, policy, trusted_root, std::time(nullptr));
}

Result<Verified> verify_artifact(std::string_view raw_bytes, std::string_view bundle_bytes, const Policy& policy,
                                 const TrustedRoot& trusted_root) {
  auto bundle = parse_bundle(bundle_bytes);
  if (!bundle.ok()) return bundle.error();
  return verify_bundle(*bundle, sha256(raw_bytes), raw_bytes, policy, trusted_root, std::time(nullptr));
}

}  // namespace kernels::sigstore
