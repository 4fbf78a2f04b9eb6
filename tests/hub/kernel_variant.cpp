#include "tests/hub/kernel_variant.hpp"

#include <openssl/evp.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

namespace kernels::hub_emulator {

namespace {

using json = nlohmann::ordered_json;

std::string sha256_raw(const std::string& data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out, &len, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("fixture: sha256 failed");
  }
  return std::string(reinterpret_cast<const char*>(out), len);
}

std::string raw_to_hex(const std::string& raw) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : raw) {
    hex += kHex[c >> 4];
    hex += kHex[c & 15];
  }
  return hex;
}

}  // namespace

bool digest_covers(const std::string& path) {
  if (path == "metadata.json" || path == "metadata.json.sigstore") return false;
  std::size_t start = 0;
  while (start <= path.size()) {
    auto slash = path.find('/', start);
    if (slash == std::string::npos) slash = path.size();
    if (path.compare(start, slash - start, "__pycache__") == 0 && slash - start == 11) return false;
    start = slash + 1;
  }
  std::string base = path.substr(path.rfind('/') == std::string::npos ? 0 : path.rfind('/') + 1);
  auto dot = base.rfind('.');
  // A name that starts with its only dot (".pyc") has no extension.
  bool has_extension = dot != std::string::npos && dot != 0;
  return !(has_extension && base.substr(dot + 1) == "pyc");
}

std::string base64(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string sha256_base64(const std::string& data) { return base64(sha256_raw(data)); }

std::string hex_to_base64(const std::string& hex) {
  std::string raw;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    raw += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return base64(raw);
}

std::map<std::string, std::string> variant_digest(const std::vector<VariantFile>& files) {
  std::map<std::string, std::string> out;  // std::string's < compares bytes as unsigned char
  for (const auto& f : files) {
    if (digest_covers(f.path)) out[f.path] = sha256_base64(f.content);
  }
  return out;
}

std::string metadata_json(const VariantMetadata& meta, const std::map<std::string, std::string>& digest) {
  json backend{{"type", meta.backend}};
  if (meta.archs) backend["archs"] = *meta.archs;
  json j{{"name", meta.name},
         {"id", meta.id},
         {"version", meta.version},
         {"license", meta.license},
         {"python-depends", meta.python_depends},
         {"kernel-depends", json::array()},
         {"backend", backend}};
  if (meta.digest != DigestKind::none) {
    json files = json::object();
    for (const auto& [path, hash] : digest) files[path] = hash;
    j["digest"] = json{{"algorithm", "sha256"}, {"files", files}};
  }
  return j.dump(2);
}

std::string write_variant(FixtureRepo& repo, const std::string& variant, const std::vector<VariantFile>& files,
                          const VariantMetadata& meta) {
  std::map<std::string, std::string> digest;
  const std::string dir = "build/" + variant + "/";
  for (const auto& f : files) {
    std::string raw = sha256_raw(f.content);
    if (f.lfs) {
      repo.write_lfs(dir + f.path, f.content, raw_to_hex(raw));
    } else {
      repo.write(dir + f.path, f.content);
    }
    if (digest_covers(f.path)) digest[f.path] = base64(raw);
  }
  if (meta.digest == DigestKind::wrong_entry && !digest.empty()) {
    digest.begin()->second = sha256_base64("not the bytes of " + digest.begin()->first);
  }
  std::string text = metadata_json(meta, digest);
  repo.write(dir + "metadata.json", text);
  return text;
}

}  // namespace kernels::hub_emulator
