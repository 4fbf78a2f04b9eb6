#include "sigstore/trusted_root.hpp"

#include "sigstore/json.hpp"
#include "util/file.hpp"

namespace kernels::sigstore {

namespace {

Error root_error(std::string m) { return Error{ErrorCode::trusted_root, "trusted root: " + std::move(m)}; }

Result<TimeRange> parse_range(const nlohmann::json& parent, const std::string& path) {
  const nlohmann::json* v = optional_field(parent, "validFor");
  if (v == nullptr || !v->is_object()) return root_error(path + ".validFor is missing");
  const nlohmann::json* start = optional_field(*v, "start");
  if (start == nullptr || !start->is_string()) return root_error(path + ".validFor.start is missing");
  auto s = parse_rfc3339(start->get<std::string>());
  if (!s.ok()) return root_error(path + ".validFor.start: " + s.error().message);
  TimeRange r{*s, std::nullopt};
  if (const nlohmann::json* end = optional_field(*v, "end")) {
    if (!end->is_string()) return root_error(path + ".validFor.end is not a string");
    auto e = parse_rfc3339(end->get<std::string>());
    if (!e.ok()) return root_error(path + ".validFor.end: " + e.error().message);
    if (*e < *s) return root_error(path + ".validFor ends before it starts");
    r.end = *e;
  }
  return r;
}

Result<std::vector<TransparencyLog>> parse_logs(const nlohmann::json& root, const char* key) {
  std::vector<TransparencyLog> out;
  const nlohmann::json* list = optional_field(root, key);
  if (list == nullptr) return out;
  if (!list->is_array()) return root_error(std::string(key) + " is not an array");
  for (std::size_t i = 0; i < list->size(); ++i) {
    const auto& e = (*list)[i];
    std::string path = std::string(key) + "[" + std::to_string(i) + "]";
    if (!e.is_object()) return root_error(path + " is not an object");
    TransparencyLog log;
    if (auto u = optional_field(e, "baseUrl"); u && u->is_string()) log.base_url = u->get<std::string>();
    if (auto h = optional_field(e, "hashAlgorithm"); h && h->is_string()) log.hash_algorithm = h->get<std::string>();
    auto pk = object_field(e, "publicKey", path + ".publicKey");
    if (!pk.ok()) return root_error(pk.error().message);
    auto raw = bytes_field(**pk, "rawBytes", path + ".publicKey.rawBytes");
    if (!raw.ok()) return root_error(raw.error().message);
    log.public_key = std::move(*raw);
    if (auto kd = optional_field(**pk, "keyDetails"); kd && kd->is_string()) log.key_details = kd->get<std::string>();
    auto range = parse_range(**pk, path + ".publicKey");
    if (!range.ok()) return range.error();
    log.valid_for = *range;
    auto id = object_field(e, "logId", path + ".logId");
    if (!id.ok()) return root_error(id.error().message);
    auto key_id = bytes_field(**id, "keyId", path + ".logId.keyId");
    if (!key_id.ok()) return root_error(key_id.error().message);
    log.log_id = std::move(*key_id);
    out.push_back(std::move(log));
  }
  return out;
}

Result<std::vector<CertificateAuthority>> parse_authorities(const nlohmann::json& root, const char* key) {
  std::vector<CertificateAuthority> out;
  const nlohmann::json* list = optional_field(root, key);
  if (list == nullptr) return out;
  if (!list->is_array()) return root_error(std::string(key) + " is not an array");
  for (std::size_t i = 0; i < list->size(); ++i) {
    const auto& e = (*list)[i];
    std::string path = std::string(key) + "[" + std::to_string(i) + "]";
    if (!e.is_object()) return root_error(path + " is not an object");
    CertificateAuthority ca;
    if (auto u = optional_field(e, "uri"); u && u->is_string()) ca.uri = u->get<std::string>();
    if (auto s = optional_field(e, "subject"); s && s->is_object()) {
      auto o = optional_field(*s, "organization");
      auto c = optional_field(*s, "commonName");
      ca.subject =
          (o && o->is_string() ? o->get<std::string>() : "") + "/" + (c && c->is_string() ? c->get<std::string>() : "");
    }
    auto chain = object_field(e, "certChain", path + ".certChain");
    if (!chain.ok()) return root_error(chain.error().message);
    const nlohmann::json* certs = optional_field(**chain, "certificates");
    if (certs == nullptr || !certs->is_array() || certs->empty()) {
      return root_error(path + ".certChain.certificates is missing or empty");
    }
    for (std::size_t j = 0; j < certs->size(); ++j) {
      auto raw = bytes_field((*certs)[j], "rawBytes", path + ".certChain.certificates[" + std::to_string(j) + "]");
      if (!raw.ok()) return root_error(raw.error().message);
      ca.chain.push_back(std::move(*raw));
    }
    auto range = parse_range(e, path);
    if (!range.ok()) return range.error();
    ca.valid_for = *range;
    out.push_back(std::move(ca));
  }
  return out;
}

}  // namespace

const TransparencyLog* TrustedRoot::find_tlog(std::string_view log_id) const {
  for (const auto& l : tlogs) {
    if (l.log_id == log_id) return &l;
  }
  return nullptr;
}

const TransparencyLog* TrustedRoot::find_ctlog(std::string_view log_id) const {
  for (const auto& l : ctlogs) {
    if (l.log_id == log_id) return &l;
  }
  return nullptr;
}

Result<TrustedRoot> parse_trusted_root(std::string_view json) {
  auto doc = parse_json_bounded(json, "trusted root");
  if (!doc.ok()) return Error{ErrorCode::trusted_root, doc.error().message};
  if (!doc->is_object()) return root_error("not a JSON object");
  auto media = string_field(*doc, "mediaType", "mediaType");
  if (!media.ok()) return root_error(media.error().message);
  if (*media != "application/vnd.dev.sigstore.trustedroot+json;version=0.1" &&
      *media != "application/vnd.dev.sigstore.trustedroot.v0.1+json") {
    return root_error("unsupported media type \"" + *media + "\"");
  }
  TrustedRoot root;
  auto tlogs = parse_logs(*doc, "tlogs");
  if (!tlogs.ok()) return tlogs.error();
  root.tlogs = std::move(*tlogs);
  auto ctlogs = parse_logs(*doc, "ctlogs");
  if (!ctlogs.ok()) return ctlogs.error();
  root.ctlogs = std::move(*ctlogs);
  auto cas = parse_authorities(*doc, "certificateAuthorities");
  if (!cas.ok()) return cas.error();
  root.certificate_authorities = std::move(*cas);
  auto tsas = parse_authorities(*doc, "timestampAuthorities");
  if (!tsas.ok()) return tsas.error();
  root.timestamp_authorities = std::move(*tsas);
  return root;
}

std::string_view production_trusted_root_source() {
  return "Sigstore public-good production trusted root, snapshot shipped by sigstore/sigstore-python "
         "at commit 27db13db (2026-08-19)";
}

Result<TrustedRoot> production_trusted_root() { return parse_trusted_root(production_trusted_root_json()); }

Result<TrustedRoot> load_trusted_root(const std::string& path) {
  if (path.empty()) return production_trusted_root();
  auto text = read_file(path, 8u << 20);
  if (!text.ok()) return text.error();
  auto root = parse_trusted_root(*text);
  if (!root.ok()) return Error{root.error().code, path + ": " + root.error().message};
  return root;
}

}  // namespace kernels::sigstore
