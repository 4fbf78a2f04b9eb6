#include "sigstore/rekor.hpp"

#include "sigstore/checkpoint.hpp"
#include "sigstore/crypto.hpp"
#include "sigstore/json.hpp"
#include "sigstore/merkle.hpp"

namespace kernels::sigstore {

namespace {

Error body_error(std::string m) { return Error{ErrorCode::rekor_body, "Rekor entry: " + std::move(m)}; }

// The DER certificate or DER public key in a 0.0.1 body's
// spec.signature.publicKey.content (base64 of PEM).
Status match_verifier_pem(const std::string& pem, const SignedContent& expected) {
  if (expected.certificate) {
    auto certs = pem_decode(pem, "CERTIFICATE", 4);
    if (!certs.ok()) return body_error("the logged verifier is not a PEM certificate, but the bundle has one");
    if (certs->front() != *expected.certificate) {
      return body_error("the logged certificate is not the bundle's certificate");
    }
    return ok_status();
  }
  auto keys = pem_decode(pem, "PUBLIC KEY", 1);
  if (!keys.ok()) return body_error("the logged verifier is not a PEM public key");
  auto logged = public_key_from_der(keys->front());
  auto mine = public_key_from_der(*expected.public_key);
  if (!logged.ok() || !mine.ok() || EVP_PKEY_eq(logged->get(), mine->get()) != 1) {
    return body_error("the logged public key is not the verification key");
  }
  return ok_status();
}

Status check_001(const nlohmann::json& spec, const SignedContent& expected) {
  const nlohmann::json* data = optional_field(spec, "data");
  const nlohmann::json* hash = data ? optional_field(*data, "hash") : nullptr;
  if (hash == nullptr) return body_error("spec.data.hash is missing");
  auto alg = string_field(*hash, "algorithm", "spec.data.hash.algorithm");
  auto value = string_field(*hash, "value", "spec.data.hash.value");
  if (!alg.ok() || !value.ok()) return body_error("spec.data.hash has no algorithm or value");
  if (*alg != "sha256") return body_error("the logged digest algorithm is " + *alg + ", not sha256");
  if (*value != hex_encode(expected.artifact_sha256)) {
    return body_error("the logged artifact digest sha256:" + value->substr(0, 64) +
                      " is not this artifact's sha256:" + hex_encode(expected.artifact_sha256));
  }
  const nlohmann::json* sig = optional_field(spec, "signature");
  if (sig == nullptr) return body_error("spec.signature is missing");
  auto content = bytes_field(*sig, "content", "spec.signature.content", 4096);
  if (!content.ok()) return body_error(content.error().message);
  if (*content != expected.signature) return body_error("the logged signature is not the bundle's signature");
  const nlohmann::json* pk = optional_field(*sig, "publicKey");
  if (pk == nullptr) return body_error("spec.signature.publicKey is missing");
  auto pem = bytes_field(*pk, "content", "spec.signature.publicKey.content");
  if (!pem.ok()) return body_error(pem.error().message);
  return match_verifier_pem(*pem, expected);
}

Status check_002(const nlohmann::json& spec, const SignedContent& expected) {
  const nlohmann::json* v = optional_field(spec, "hashedRekordV002");
  if (v == nullptr) return body_error("spec.hashedRekordV002 is missing");
  const nlohmann::json* data = optional_field(*v, "data");
  if (data == nullptr) return body_error("spec.hashedRekordV002.data is missing");
  auto alg = string_field(*data, "algorithm", "data.algorithm");
  auto digest = bytes_field(*data, "digest", "data.digest", 64);
  if (!alg.ok() || !digest.ok()) return body_error("the logged digest has no algorithm or value");
  if (*alg != "SHA2_256") return body_error("the logged digest algorithm is " + *alg + ", not SHA2_256");
  if (*digest != expected.artifact_sha256) {
    return body_error("the logged artifact digest sha256:" + hex_encode(*digest) +
                      " is not this artifact's sha256:" + hex_encode(expected.artifact_sha256));
  }
  const nlohmann::json* sig = optional_field(*v, "signature");
  if (sig == nullptr) return body_error("signature is missing");
  auto content = bytes_field(*sig, "content", "signature.content", 4096);
  if (!content.ok()) return body_error(content.error().message);
  if (*content != expected.signature) return body_error("the logged signature is not the bundle's signature");
  const nlohmann::json* verifier = optional_field(*sig, "verifier");
  if (verifier == nullptr) return body_error("signature.verifier is missing");
  if (const nlohmann::json* cert = optional_field(*verifier, "x509Certificate")) {
    auto raw = bytes_field(*cert, "rawBytes", "verifier.x509Certificate.rawBytes");
    if (!raw.ok()) return body_error(raw.error().message);
    if (!expected.certificate || *raw != *expected.certificate) {
      return body_error("the logged certificate is not the bundle's certificate");
    }
    return ok_status();
  }
  if (const nlohmann::json* key = optional_field(*verifier, "publicKey")) {
    auto raw = bytes_field(*key, "rawBytes", "verifier.publicKey.rawBytes");
    if (!raw.ok()) return body_error(raw.error().message);
    if (!expected.public_key)
      return body_error("the logged verifier is a public key, but the bundle has a certificate");
    auto logged = public_key_from_der(*raw);
    auto mine = public_key_from_der(*expected.public_key);
    if (!logged.ok() || !mine.ok() || EVP_PKEY_eq(logged->get(), mine->get()) != 1) {
      return body_error("the logged public key is not the verification key");
    }
    return ok_status();
  }
  return body_error("signature.verifier has neither a certificate nor a public key");
}

}  // namespace

std::string set_payload(const TlogEntry& entry) {
  // All four values are base64, hex or decimal: nothing needs JSON escaping.
  return "{\"body\":\"" + base64_encode(entry.canonicalized_body) +
         "\",\"integratedTime\":" + std::to_string(entry.integrated_time.value_or(0)) + ",\"logID\":\"" +
         hex_encode(entry.log_id) + "\",\"logIndex\":" + std::to_string(entry.log_index) + "}";
}

Status verify_set(const TlogEntry& entry, const TransparencyLog& log) {
  if (!entry.signed_entry_timestamp) return Error{ErrorCode::set, "the entry has no signed entry timestamp"};
  if (!entry.integrated_time)
    return Error{ErrorCode::set, "the entry has a signed entry timestamp but no integrated time"};
  auto key = public_key_from_der(log.public_key);
  if (!key.ok()) return Error{ErrorCode::set, "the log's key in the trusted root is unusable: " + key.error().message};
  auto s = verify_message(key->get(), set_payload(entry), *entry.signed_entry_timestamp);
  if (!s.ok()) {
    return Error{ErrorCode::set, "the signed entry timestamp does not verify with the key of " + log.base_url};
  }
  return ok_status();
}

Status verify_inclusion_proof(const TlogEntry& entry, const TransparencyLog& log) {
  if (!entry.inclusion_proof) return Error{ErrorCode::inclusion_proof, "the entry has no inclusion proof"};
  const InclusionProof& p = *entry.inclusion_proof;
  auto proof = verify_inclusion(static_cast<std::uint64_t>(p.log_index), static_cast<std::uint64_t>(p.tree_size),
                                merkle_leaf_hash(entry.canonicalized_body), p.hashes, p.root_hash);
  if (!proof.ok()) return proof.error();
  if (!p.checkpoint) {
    if (entry.signed_entry_timestamp) return ok_status();  // v0.1: the SET vouches for the entry
    return Error{ErrorCode::checkpoint, "checkpoint: the inclusion proof has no checkpoint"};
  }
  auto cp = parse_checkpoint(*p.checkpoint);
  if (!cp.ok()) return cp.error();
  if (auto s = verify_checkpoint_signature(*cp, log); !s.ok()) return s;
  if (cp->root_hash != p.root_hash) {
    return Error{ErrorCode::checkpoint, "checkpoint: its root hash " + hex_encode(cp->root_hash) +
                                            " is not the proof's " + hex_encode(p.root_hash)};
  }
  if (cp->tree_size != static_cast<std::uint64_t>(p.tree_size)) {
    return Error{ErrorCode::checkpoint, "checkpoint: its tree size " + std::to_string(cp->tree_size) +
                                            " is not the proof's " + std::to_string(p.tree_size)};
  }
  return ok_status();
}

Status verify_hashedrekord_body(const TlogEntry& entry, const SignedContent& expected) {
  if (entry.kind != "hashedrekord") {
    return Error{ErrorCode::unsupported, "Rekor entry kind \"" + entry.kind.substr(0, 40) +
                                             "\" is not supported (only hashedrekord message signatures)"};
  }
  if (entry.version != "0.0.1" && entry.version != "0.0.2") {
    return Error{ErrorCode::unsupported, "hashedrekord version " + entry.version.substr(0, 20) + " is not supported"};
  }
  auto body = parse_json_bounded(entry.canonicalized_body, "Rekor entry body", 1u << 20, 16);
  if (!body.ok()) return body_error(body.error().message);
  if (!body->is_object()) return body_error("the body is not a JSON object");
  auto kind = string_field(*body, "kind", "kind");
  auto api = string_field(*body, "apiVersion", "apiVersion");
  if (!kind.ok() || !api.ok()) return body_error("the body has no kind or apiVersion");
  if (*kind != entry.kind || *api != entry.version) {
    return body_error("the body is " + kind->substr(0, 40) + " " + api->substr(0, 20) + ", the bundle says " +
                      entry.kind + " " + entry.version);
  }
  const nlohmann::json* spec = optional_field(*body, "spec");
  if (spec == nullptr || !spec->is_object()) return body_error("the body has no spec");
  return entry.version == "0.0.1" ? check_001(*spec, expected) : check_002(*spec, expected);
}

}  // namespace kernels::sigstore
