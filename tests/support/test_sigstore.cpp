#include "tests/support/test_sigstore.hpp"

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <vector>

namespace kernels::test {

namespace {

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error("test sigstore: " + what); }

struct PKeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct X509Free {
  void operator()(X509* p) const { X509_free(p); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
using Key = std::unique_ptr<EVP_PKEY, PKeyFree>;
using Cert = std::unique_ptr<X509, X509Free>;

// A Rekor v1 shard: the bundle's logIndex is global, the inclusion proof's
// is the leaf's index in the shard's tree. Keeping them apart catches a
// verifier that mixes them up.
constexpr std::int64_t kShardStart = 90000000;
// Entries already in the tree before the first signature, so that proofs
// have hashes on both sides.
constexpr int kSeedEntries = 3;
constexpr const char* kRekorOrigin = "rekor.test.invalid - 4711";
constexpr const char* kFulcioUrl = "https://fulcio.test.invalid";
constexpr const char* kCtLogUrl = "https://ctfe.test.invalid/test";

Key new_p256_key() {
  EVP_PKEY* k = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  if (k == nullptr) fail("P-256 key generation failed");
  return Key(k);
}

std::string sha256(std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out, &len, EVP_sha256(), nullptr) != 1) fail("sha256 failed");
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

template <typename T, typename Encode>
std::string der_of(T* object, Encode encode) {
  unsigned char* out = nullptr;
  int n = encode(object, &out);
  if (n <= 0) fail("DER encoding failed");
  std::string der(reinterpret_cast<char*>(out), static_cast<std::size_t>(n));
  OPENSSL_free(out);
  return der;
}

std::string spki_der(EVP_PKEY* key) { return der_of(key, i2d_PUBKEY); }
std::string cert_der(X509* cert) { return der_of(cert, i2d_X509); }

std::string pem(std::string_view der, const std::string& label) {
  std::string b64 = base64(der);
  std::string out = "-----BEGIN " + label + "-----\n";
  for (std::size_t i = 0; i < b64.size(); i += 64) out += b64.substr(i, 64) + "\n";
  return out + "-----END " + label + "-----\n";
}

// ECDSA over SHA-256 of `message`, DER-encoded as Sigstore carries it.
std::string sign_message(EVP_PKEY* key, std::string_view message) {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  std::size_t len = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(message.data());
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, data, message.size()) != 1) {
    fail("cannot start an ECDSA signature");
  }
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, data, message.size()) != 1) {
    fail("ECDSA signing failed");
  }
  sig.resize(len);
  return sig;
}

std::string rfc3339(std::int64_t seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// Big-endian integer of `n` bytes, as TLS (RFC 6962) writes them.
void put(std::string& out, std::uint64_t v, int n) {
  for (int i = n - 1; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

// --- certificates ---------------------------------------------------------

// A certificate for `key` with a random serial; `cn` empty leaves the
// subject empty, as Fulcio does (the identity is in the SAN).
Cert new_cert(EVP_PKEY* key, const std::string& cn, std::int64_t not_before, std::int64_t not_after) {
  Cert c(X509_new());
  if (!c || X509_set_version(c.get(), 2) != 1) fail("X509_new failed");
  unsigned char serial[16];
  if (RAND_bytes(serial, sizeof serial) != 1) fail("RAND_bytes failed");
  serial[0] &= 0x7f;
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  if (bn == nullptr || BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(c.get())) == nullptr) fail("serial failed");
  BN_free(bn);
  ASN1_TIME_set(X509_getm_notBefore(c.get()), static_cast<time_t>(not_before));
  ASN1_TIME_set(X509_getm_notAfter(c.get()), static_cast<time_t>(not_after));
  if (X509_set_pubkey(c.get(), key) != 1) fail("X509_set_pubkey failed");
  if (!cn.empty()) {
    X509_NAME* name = X509_get_subject_name(c.get());
    X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("sigstore.test"), -1,
                               -1, 0);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(cn.c_str()), -1, -1,
                               0);
  }
  return c;
}

// A standard extension in openssl.cnf syntax ("critical,CA:TRUE").
void add_conf_ext(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  if (ext == nullptr) fail(std::string("extension ") + OBJ_nid2sn(nid) + " = " + value);
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

// A non-critical extension whose value (the OCTET STRING's content) is `value`.
void add_raw_ext(X509* cert, const char* oid, std::string_view value) {
  ASN1_OBJECT* obj = OBJ_txt2obj(oid, 1);
  ASN1_OCTET_STRING* data = ASN1_OCTET_STRING_new();
  if (obj == nullptr || data == nullptr ||
      ASN1_OCTET_STRING_set(data, reinterpret_cast<const unsigned char*>(value.data()),
                            static_cast<int>(value.size())) != 1) {
    fail(std::string("extension ") + oid);
  }
  X509_EXTENSION* ext = X509_EXTENSION_create_by_OBJ(nullptr, obj, 0, data);
  if (ext == nullptr || X509_add_ext(cert, ext, -1) != 1) fail(std::string("extension ") + oid);
  X509_EXTENSION_free(ext);
  ASN1_OCTET_STRING_free(data);
  ASN1_OBJECT_free(obj);
}

// The DER of an ASN.1 UTF8String: how Fulcio writes 1.3.6.1.4.1.57264.1.8 and later.
std::string der_utf8(std::string_view s) {
  ASN1_UTF8STRING* u = ASN1_UTF8STRING_new();
  if (u == nullptr || ASN1_STRING_set(u, s.data(), static_cast<int>(s.size())) != 1) fail("UTF8String");
  std::string der = der_of(u, i2d_ASN1_UTF8STRING);
  ASN1_UTF8STRING_free(u);
  return der;
}

// The DER of an OCTET STRING holding `content` (the SCT extension's value
// is an OCTET STRING inside the extension's own OCTET STRING).
std::string der_octets(std::string_view content) {
  ASN1_OCTET_STRING* o = ASN1_OCTET_STRING_new();
  if (o == nullptr || ASN1_OCTET_STRING_set(o, reinterpret_cast<const unsigned char*>(content.data()),
                                            static_cast<int>(content.size())) != 1) {
    fail("OCTET STRING");
  }
  std::string der = der_of(o, i2d_ASN1_OCTET_STRING);
  ASN1_OCTET_STRING_free(o);
  return der;
}

void add_san_uri(X509* cert, const std::string& uri) {
  GENERAL_NAMES* names = sk_GENERAL_NAME_new_null();
  GENERAL_NAME* name = GENERAL_NAME_new();
  ASN1_IA5STRING* text = ASN1_IA5STRING_new();
  if (names == nullptr || name == nullptr || text == nullptr ||
      ASN1_STRING_set(text, uri.data(), static_cast<int>(uri.size())) != 1) {
    fail("subject alternative name");
  }
  GENERAL_NAME_set0_value(name, GEN_URI, text);
  sk_GENERAL_NAME_push(names, name);
  // Critical: the subject is empty (RFC 5280 §4.2.1.6), as in Fulcio's certificates.
  if (X509_add1_ext_i2d(cert, NID_subject_alt_name, names, 1, X509V3_ADD_DEFAULT) != 1) fail("SAN extension");
  GENERAL_NAMES_free(names);
}

void sign_cert(X509* cert, EVP_PKEY* issuer_key) {
  if (X509_sign(cert, issuer_key, EVP_sha256()) <= 0) fail("certificate signing failed");
}

// --- the Merkle tree (RFC 6962 §2.1) --------------------------------------

std::string leaf_hash(std::string_view entry) { return sha256(std::string(1, '\0') + std::string(entry)); }
std::string node_hash(const std::string& l, const std::string& r) { return sha256(std::string(1, '\x01') + l + r); }

std::size_t split_point(std::size_t n) {  // the largest power of two smaller than n (n > 1)
  std::size_t k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

// MTH(D[lo:hi]) over leaf hashes.
std::string tree_hash(const std::vector<std::string>& leaves, std::size_t lo, std::size_t hi) {
  if (hi - lo == 1) return leaves[lo];
  std::size_t k = split_point(hi - lo);
  return node_hash(tree_hash(leaves, lo, lo + k), tree_hash(leaves, lo + k, hi));
}

// PATH(m, D[lo:hi]): the audit path, the sibling nearest the leaf first.
void audit_path(const std::vector<std::string>& leaves, std::size_t m, std::size_t lo, std::size_t hi,
                std::vector<std::string>& out) {
  if (hi - lo <= 1) return;
  std::size_t k = split_point(hi - lo);
  if (m < k) {
    audit_path(leaves, m, lo, lo + k, out);
    out.push_back(tree_hash(leaves, lo + k, hi));
  } else {
    audit_path(leaves, m - k, lo + k, hi, out);
    out.push_back(tree_hash(leaves, lo, lo + k));
  }
}

}  // namespace

// --- the instance ---------------------------------------------------------

struct TestSigstore::State {
  std::int64_t created = 0;
  Key root_key, intermediate_key, ct_key, rekor_key;
  Cert root, intermediate;
  std::string ct_log_id, rekor_log_id;  // SHA-256 of the DER key, as the trusted root names them
  std::mutex log_mutex;
  std::vector<std::string> log_leaves;  // leaf hashes of every entry the test Rekor holds
};

TestSigstore TestSigstore::create() {
  auto s = std::make_shared<State>();
  s->created = static_cast<std::int64_t>(std::time(nullptr));
  const std::int64_t from = s->created - 86400, to = s->created + 365 * 86400;
  s->root_key = new_p256_key();
  s->intermediate_key = new_p256_key();
  s->ct_key = new_p256_key();
  s->rekor_key = new_p256_key();

  s->root = new_cert(s->root_key.get(), "sigstore-test-root", from, to);
  X509_set_issuer_name(s->root.get(), X509_get_subject_name(s->root.get()));
  add_conf_ext(s->root.get(), s->root.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:1");
  add_conf_ext(s->root.get(), s->root.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
  add_conf_ext(s->root.get(), s->root.get(), NID_subject_key_identifier, "hash");
  add_conf_ext(s->root.get(), s->root.get(), NID_authority_key_identifier, "keyid:always");
  sign_cert(s->root.get(), s->root_key.get());

  s->intermediate = new_cert(s->intermediate_key.get(), "sigstore-test-intermediate", from, to);
  X509_set_issuer_name(s->intermediate.get(), X509_get_subject_name(s->root.get()));
  add_conf_ext(s->intermediate.get(), s->root.get(), NID_basic_constraints, "critical,CA:TRUE,pathlen:0");
  add_conf_ext(s->intermediate.get(), s->root.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
  add_conf_ext(s->intermediate.get(), s->root.get(), NID_ext_key_usage, "codeSigning");
  add_conf_ext(s->intermediate.get(), s->root.get(), NID_subject_key_identifier, "hash");
  add_conf_ext(s->intermediate.get(), s->root.get(), NID_authority_key_identifier, "keyid:always");
  sign_cert(s->intermediate.get(), s->root_key.get());

  s->ct_log_id = sha256(spki_der(s->ct_key.get()));
  s->rekor_log_id = sha256(spki_der(s->rekor_key.get()));
  for (int i = 0; i < kSeedEntries; ++i) s->log_leaves.push_back(leaf_hash("seed entry " + std::to_string(i)));
  TestSigstore out;
  out.state_ = std::move(s);
  return out;
}

std::string TestSigstore::trusted_root_json() const {
  using J = nlohmann::ordered_json;
  const State& s = *state_;
  const std::string start = rfc3339(s.created - 86400);
  auto log = [&](const char* url, EVP_PKEY* key, const std::string& log_id) {
    return J{{"baseUrl", url},
             {"hashAlgorithm", "SHA2_256"},
             {"publicKey",
              {{"rawBytes", base64(spki_der(key))},
               {"keyDetails", "PKIX_ECDSA_P256_SHA_256"},
               {"validFor", {{"start", start}}}}},
             {"logId", {{"keyId", base64(log_id)}}}};
  };
  J ca{{"subject", {{"organization", "sigstore.test"}, {"commonName", "sigstore-test"}}},
       {"uri", kFulcioUrl},
       {"certChain",
        {{"certificates", J::array({J{{"rawBytes", base64(cert_der(s.intermediate.get()))}},
                                    J{{"rawBytes", base64(cert_der(s.root.get()))}}})}}},
       {"validFor", {{"start", start}}}};
  J root{{"mediaType", "application/vnd.dev.sigstore.trustedroot+json;version=0.1"},
         {"tlogs", J::array({log(kRekorUrl, s.rekor_key.get(), s.rekor_log_id)})},
         {"certificateAuthorities", J::array({ca})},
         {"ctlogs", J::array({log(kCtLogUrl, s.ct_key.get(), s.ct_log_id)})},
         {"timestampAuthorities", J::array()}};
  return root.dump(2) + "\n";
}

namespace {

// The leaf certificate for `key`, issued by the intermediate, with an
// embedded SCT. The SCT signs the precertificate entry as RFC 6962 §3.2
// defines it and lib/sigstore/sct.cpp rebuilds it: the final TBSCertificate
// without the SCT extension, and the SHA-256 of the issuer's key.
Cert issue_leaf(const TestSigstore::State& s, EVP_PKEY* key, const Identity& id, std::int64_t not_before) {
  Cert leaf = new_cert(key, "", not_before, not_before + 600);  // Fulcio's ten minutes
  X509* c = leaf.get();
  X509_set_issuer_name(c, X509_get_subject_name(s.intermediate.get()));
  add_conf_ext(c, s.intermediate.get(), NID_key_usage, "critical,digitalSignature");
  add_conf_ext(c, s.intermediate.get(), NID_ext_key_usage, "codeSigning");
  add_conf_ext(c, s.intermediate.get(), NID_subject_key_identifier, "hash");
  add_conf_ext(c, s.intermediate.get(), NID_authority_key_identifier, "keyid");
  add_san_uri(c, id.san);
  add_raw_ext(c, "1.3.6.1.4.1.57264.1.1", id.issuer);
  add_raw_ext(c, "1.3.6.1.4.1.57264.1.8", der_utf8(id.issuer));
  add_raw_ext(c, "1.3.6.1.4.1.57264.1.9", der_utf8(id.build_signer_uri));
  add_raw_ext(c, "1.3.6.1.4.1.57264.1.12", der_utf8(id.source_repository_uri));
  // Signed once so that the TBS names its signature algorithm, as the final one will.
  sign_cert(c, s.intermediate_key.get());
  const std::string tbs = der_of(c, i2d_re_X509_tbs);
  const std::string issuer_key_hash = sha256(spki_der(s.intermediate_key.get()));

  const std::uint64_t timestamp_ms = static_cast<std::uint64_t>(not_before) * 1000 + 250;
  std::string signed_data;
  put(signed_data, 0, 1);  // sct_version v1
  put(signed_data, 0, 1);  // signature_type certificate_timestamp
  put(signed_data, timestamp_ms, 8);
  put(signed_data, 1, 2);  // entry_type precert_entry
  signed_data += issuer_key_hash;
  put(signed_data, tbs.size(), 3);
  signed_data += tbs;
  put(signed_data, 0, 2);  // no CT extensions
  const std::string sct_sig = sign_message(s.ct_key.get(), signed_data);

  std::string sct;
  put(sct, 0, 1);
  sct += s.ct_log_id;
  put(sct, timestamp_ms, 8);
  put(sct, 0, 2);
  put(sct, 4, 1);  // sha256
  put(sct, 3, 1);  // ecdsa
  put(sct, sct_sig.size(), 2);
  sct += sct_sig;
  std::string list;
  put(list, sct.size() + 2, 2);
  put(list, sct.size(), 2);
  list += sct;
  add_raw_ext(c, "1.3.6.1.4.1.11129.2.4.2", der_octets(list));
  sign_cert(c, s.intermediate_key.get());
  return leaf;
}

}  // namespace

std::string TestSigstore::sign(std::string_view artifact, const Identity& identity) const {
  using J = nlohmann::ordered_json;
  State& s = *state_;
  const auto now = static_cast<std::int64_t>(std::time(nullptr));
  Key key = new_p256_key();  // ephemeral, as in keyless signing
  Cert leaf = issue_leaf(s, key.get(), identity, now - 30);
  const std::string leaf_der = cert_der(leaf.get());
  const std::string digest = sha256(artifact);
  const std::string signature = sign_message(key.get(), artifact);

  // The hashedrekord 0.0.1 body, canonical: keys sorted, no whitespace
  // (nlohmann::json keeps objects in key order).
  nlohmann::json body_json = {
      {"apiVersion", "0.0.1"},
      {"kind", "hashedrekord"},
      {"spec",
       {{"data", {{"hash", {{"algorithm", "sha256"}, {"value", hex(digest)}}}}},
        {"signature",
         {{"content", base64(signature)}, {"publicKey", {{"content", base64(pem(leaf_der, "CERTIFICATE"))}}}}}}}};
  const std::string body = body_json.dump();

  std::size_t index = 0, tree_size = 0;
  std::vector<std::string> path;
  std::string root_hash;
  {
    std::lock_guard<std::mutex> lock(s.log_mutex);
    s.log_leaves.push_back(leaf_hash(body));
    index = s.log_leaves.size() - 1;
    tree_size = s.log_leaves.size();
    audit_path(s.log_leaves, index, 0, tree_size, path);
    root_hash = tree_hash(s.log_leaves, 0, tree_size);
  }
  const std::int64_t log_index = kShardStart + static_cast<std::int64_t>(index);
  const std::int64_t integrated = now;

  // The SET: Rekor's signature over the entry's canonical JSON.
  nlohmann::json set_json = {
      {"body", base64(body)}, {"integratedTime", integrated}, {"logID", hex(s.rekor_log_id)}, {"logIndex", log_index}};
  const std::string set = sign_message(s.rekor_key.get(), set_json.dump());

  // The checkpoint: a signed note whose signature line carries the key hint
  // (the first four bytes of the log id) before the signature.
  const std::string note =
      std::string(kRekorOrigin) + "\n" + std::to_string(tree_size) + "\n" + base64(root_hash) + "\n";
  const std::string note_sig = sign_message(s.rekor_key.get(), note);
  const std::string checkpoint =
      note + "\n\xE2\x80\x94 rekor.test.invalid " + base64(s.rekor_log_id.substr(0, 4) + note_sig) + "\n";

  J hashes = J::array();
  for (const auto& h : path) hashes.push_back(base64(h));
  J entry{{"logIndex", std::to_string(log_index)},
          {"logId", {{"keyId", base64(s.rekor_log_id)}}},
          {"kindVersion", {{"kind", "hashedrekord"}, {"version", "0.0.1"}}},
          {"integratedTime", std::to_string(integrated)},
          {"inclusionPromise", {{"signedEntryTimestamp", base64(set)}}},
          {"inclusionProof",
           {{"logIndex", std::to_string(index)},
            {"rootHash", base64(root_hash)},
            {"treeSize", std::to_string(tree_size)},
            {"hashes", hashes},
            {"checkpoint", {{"envelope", checkpoint}}}}},
          {"canonicalizedBody", base64(body)}};
  J bundle{
      {"mediaType", "application/vnd.dev.sigstore.bundle.v0.3+json"},
      {"verificationMaterial", {{"certificate", {{"rawBytes", base64(leaf_der)}}}, {"tlogEntries", J::array({entry})}}},
      {"messageSignature",
       {{"messageDigest", {{"algorithm", "SHA2_256"}, {"digest", base64(digest)}}}, {"signature", base64(signature)}}}};
  return bundle.dump();
}

}  // namespace kernels::test
