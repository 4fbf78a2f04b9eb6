#include "sigstore/bundle.hpp"

#include "sigstore/json.hpp"

namespace kernels::sigstore {

namespace {

Error parse_error(std::string m) { return Error{ErrorCode::parse, "bundle: " + std::move(m)}; }
Error unsupported(std::string m) { return Error{ErrorCode::unsupported, "bundle: " + std::move(m)}; }

Result<int> media_type_version(const std::string& media) {
  if (media == "application/vnd.dev.sigstore.bundle+json;version=0.1") return 1;
  if (media == "application/vnd.dev.sigstore.bundle+json;version=0.2") return 2;
  if (media == "application/vnd.dev.sigstore.bundle+json;version=0.3") return 3;
  if (media == "application/vnd.dev.sigstore.bundle.v0.3+json") return 3;
  return unsupported("media type \"" + media.substr(0, 120) + "\" is not supported");
}

Result<InclusionProof> parse_proof(const nlohmann::json& j, const std::string& path) {
  InclusionProof p;
  auto idx = int64_field(j, "logIndex", path + ".logIndex");
  if (!idx.ok()) return parse_error(idx.error().message);
  p.log_index = *idx;
  auto size = int64_field(j, "treeSize", path + ".treeSize");
  if (!size.ok()) return parse_error(size.error().message);
  p.tree_size = *size;
  auto root = bytes_field(j, "rootHash", path + ".rootHash", 64);
  if (!root.ok()) return parse_error(root.error().message);
  p.root_hash = std::move(*root);
  const nlohmann::json* hashes = optional_field(j, "hashes");
  if (hashes != nullptr) {
    if (!hashes->is_array()) return parse_error(path + ".hashes is not an array");
    if (hashes->size() > kMaxProofHashes) return parse_error(path + ".hashes has too many entries");
    for (std::size_t i = 0; i < hashes->size(); ++i) {
      const auto& h = (*hashes)[i];
      if (!h.is_string()) return parse_error(path + ".hashes[" + std::to_string(i) + "] is not a string");
      auto b = base64_decode(h.get<std::string>(), 64);
      if (!b.ok()) return parse_error(path + ".hashes[" + std::to_string(i) + "]: " + b.error().message);
      p.hashes.push_back(std::move(*b));
    }
  }
  // Older (v0.1) bundles may carry a proof without a checkpoint.
  if (const nlohmann::json* cp = optional_field(j, "checkpoint")) {
    auto env = string_field(*cp, "envelope", path + ".checkpoint.envelope");
    if (!env.ok()) return parse_error(env.error().message);
    if (env->size() > 64 * 1024) return parse_error(path + ".checkpoint.envelope is too large");
    p.checkpoint = std::move(*env);
  }
  return p;
}

Result<TlogEntry> parse_entry(const nlohmann::json& j, const std::string& path) {
  if (!j.is_object()) return parse_error(path + " is not an object");
  TlogEntry e;
  auto idx = int64_field(j, "logIndex", path + ".logIndex");
  if (!idx.ok()) return parse_error(idx.error().message);
  e.log_index = *idx;
  auto log_id = object_field(j, "logId", path + ".logId");
  if (!log_id.ok()) return parse_error(log_id.error().message);
  auto key_id = bytes_field(**log_id, "keyId", path + ".logId.keyId", 64);
  if (!key_id.ok()) return parse_error(key_id.error().message);
  e.log_id = std::move(*key_id);
  auto kv = object_field(j, "kindVersion", path + ".kindVersion");
  if (!kv.ok()) return parse_error(kv.error().message);
  auto kind = string_field(**kv, "kind", path + ".kindVersion.kind");
  if (!kind.ok()) return parse_error(kind.error().message);
  auto version = string_field(**kv, "version", path + ".kindVersion.version");
  if (!version.ok()) return parse_error(version.error().message);
  e.kind = *kind;
  e.version = *version;
  if (optional_field(j, "integratedTime") != nullptr) {
    auto t = int64_field(j, "integratedTime", path + ".integratedTime");
    if (!t.ok()) return parse_error(t.error().message);
    if (*t != 0) e.integrated_time = *t;
  }
  if (const nlohmann::json* promise = optional_field(j, "inclusionPromise")) {
    auto set = bytes_field(*promise, "signedEntryTimestamp", path + ".inclusionPromise.signedEntryTimestamp", 1024);
    if (!set.ok()) return parse_error(set.error().message);
    e.signed_entry_timestamp = std::move(*set);
  }
  if (const nlohmann::json* proof = optional_field(j, "inclusionProof")) {
    auto p = parse_proof(*proof, path + ".inclusionProof");
    if (!p.ok()) return p.error();
    e.inclusion_proof = std::move(*p);
  }
  auto body = bytes_field(j, "canonicalizedBody", path + ".canonicalizedBody");
  if (!body.ok()) return parse_error(body.error().message);
  e.canonicalized_body = std::move(*body);
  return e;
}

}  // namespace

Result<Bundle> parse_bundle(std::string_view json) {
  auto doc = parse_json_bounded(json, "bundle", kMaxBundleBytes);
  if (!doc.ok()) return Error{ErrorCode::parse, doc.error().message};
  if (!doc->is_object()) return parse_error("not a JSON object");
  Bundle b;
  auto media = string_field(*doc, "mediaType", "mediaType");
  if (!media.ok()) return parse_error(media.error().message);
  auto minor = media_type_version(*media);
  if (!minor.ok()) return minor.error();
  b.media_type = *media;
  b.minor_version = *minor;

  if (optional_field(*doc, "dsseEnvelope") != nullptr) {
    return unsupported("DSSE envelopes (in-toto attestations) are not supported; only message signatures are");
  }
  const nlohmann::json* msg = optional_field(*doc, "messageSignature");
  if (msg == nullptr || !msg->is_object()) return parse_error("missing messageSignature");

  auto vm = object_field(*doc, "verificationMaterial", "verificationMaterial");
  if (!vm.ok()) return parse_error(vm.error().message);
  const nlohmann::json& m = **vm;
  int materials = 0;
  if (const nlohmann::json* cert = optional_field(m, "certificate")) {
    ++materials;
    auto raw = bytes_field(*cert, "rawBytes", "verificationMaterial.certificate.rawBytes");
    if (!raw.ok()) return parse_error(raw.error().message);
    if (raw->empty()) return parse_error("verificationMaterial.certificate is empty");
    b.leaf_certificate = std::move(*raw);
  }
  if (const nlohmann::json* chain = optional_field(m, "x509CertificateChain")) {
    ++materials;
    const nlohmann::json* certs = optional_field(*chain, "certificates");
    if (certs == nullptr || !certs->is_array() || certs->empty()) {
      return parse_error("verificationMaterial.x509CertificateChain has no certificates");
    }
    if (certs->size() > 10) return parse_error("verificationMaterial.x509CertificateChain is too long");
    for (std::size_t i = 0; i < certs->size(); ++i) {
      auto raw = bytes_field((*certs)[i], "rawBytes",
                             "verificationMaterial.x509CertificateChain.certificates[" + std::to_string(i) + "]");
      if (!raw.ok()) return parse_error(raw.error().message);
      if (i == 0) b.leaf_certificate = std::move(*raw);
      else b.chain_rest.push_back(std::move(*raw));
    }
  }
  if (const nlohmann::json* key = optional_field(m, "publicKey")) {
    ++materials;
    const nlohmann::json* hint = optional_field(*key, "hint");
    b.public_key_hint = hint != nullptr && hint->is_string() ? hint->get<std::string>() : std::string();
  }
  if (materials == 0) return parse_error("verificationMaterial has no certificate, chain or public key");
  if (materials > 1) return parse_error("verificationMaterial has more than one key material");
  if (b.leaf_certificate && b.minor_version >= 3 && optional_field(m, "x509CertificateChain") != nullptr) {
    return parse_error("a v0.3 bundle carries a single certificate, not a chain");
  }

  if (const nlohmann::json* entries = optional_field(m, "tlogEntries")) {
    if (!entries->is_array()) return parse_error("verificationMaterial.tlogEntries is not an array");
    if (entries->size() > kMaxTlogEntries) return parse_error("too many tlogEntries");
    for (std::size_t i = 0; i < entries->size(); ++i) {
      auto e = parse_entry((*entries)[i], "tlogEntries[" + std::to_string(i) + "]");
      if (!e.ok()) return e.error();
      b.tlog_entries.push_back(std::move(*e));
    }
  }
  if (const nlohmann::json* tvd = optional_field(m, "timestampVerificationData")) {
    if (const nlohmann::json* ts = optional_field(*tvd, "rfc3161Timestamps")) {
      if (!ts->is_array()) return parse_error("rfc3161Timestamps is not an array");
      if (ts->size() > kMaxTimestamps) return parse_error("too many rfc3161Timestamps");
      for (std::size_t i = 0; i < ts->size(); ++i) {
        auto raw = bytes_field((*ts)[i], "signedTimestamp", "rfc3161Timestamps[" + std::to_string(i) + "]");
        if (!raw.ok()) return parse_error(raw.error().message);
        b.rfc3161_timestamps.push_back(std::move(*raw));
      }
    }
  }

  auto sig = bytes_field(*msg, "signature", "messageSignature.signature", 4096);
  if (!sig.ok()) return parse_error(sig.error().message);
  if (sig->empty()) return parse_error("messageSignature.signature is empty");
  b.signature = std::move(*sig);
  if (const nlohmann::json* md = optional_field(*msg, "messageDigest")) {
    auto alg = string_field(*md, "algorithm", "messageSignature.messageDigest.algorithm");
    if (!alg.ok()) return parse_error(alg.error().message);
    auto digest = bytes_field(*md, "digest", "messageSignature.messageDigest.digest", 64);
    if (!digest.ok()) return parse_error(digest.error().message);
    if (*alg != "SHA2_256") return unsupported("message digest algorithm " + *alg + " is not supported");
    b.message_digest = std::move(*digest);
  }
  return b;
}

}  // namespace kernels::sigstore
