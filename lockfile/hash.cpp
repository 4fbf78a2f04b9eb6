#include "lockfile/hash.hpp"

#include <algorithm>
#include <openssl/evp.h>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <utility>

namespace kernels::lockfile {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Raw bytes of an even-length hex string, or nullopt.
std::optional<std::string> unhex(std::string_view hex) {
  if (hex.empty() || hex.size() % 2 != 0) return std::nullopt;
  std::string out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    int hi = hex_value(hex[i]);
    int lo = hex_value(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

std::string lower_hex(const unsigned char* data, std::size_t size) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out.push_back(digits[data[i] >> 4]);
    out.push_back(digits[data[i] & 0xf]);
  }
  return out;
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Python's `"__pycache__" in path.split("/")`.
bool has_pycache_component(std::string_view path) {
  while (true) {
    auto slash = path.find('/');
    if (path.substr(0, slash) == "__pycache__") return true;
    if (slash == std::string_view::npos) return false;
    path.remove_prefix(slash + 1);
  }
}

// The components of PurePosixPath(path).parts for a relative path: empty
// components (from "//" or a trailing "/") and "." components vanish.
std::vector<std::string_view> path_parts(std::string_view path) {
  std::vector<std::string_view> parts;
  while (true) {
    auto slash = path.find('/');
    auto part = path.substr(0, slash);
    if (!part.empty() && part != ".") parts.push_back(part);
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return parts;
}

Error hash_error(std::string message) { return Error{ErrorCode::hash, std::move(message)}; }

}  // namespace

Result<std::string> git_lfs_concat_hash(std::vector<HashedFile> files) {
  // Python sorts (path_bytes, hex) tuples: bytewise by path, then by hex.
  std::sort(files.begin(), files.end(), [](const HashedFile& a, const HashedFile& b) {
    if (a.relpath != b.relpath) return a.relpath < b.relpath;  // std::string compares as unsigned bytes
    return a.hex < b.hex;
  });
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
    return hash_error("cannot initialise SHA-256 (OpenSSL)");
  for (const auto& f : files) {
    auto raw = unhex(f.hex);
    if (!raw) return hash_error("the hash of " + f.relpath + " is not hexadecimal: \"" + f.hex + "\"");
    EVP_DigestUpdate(ctx.get(), f.relpath.data(), f.relpath.size());
    EVP_DigestUpdate(ctx.get(), raw->data(), raw->size());
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_DigestFinal_ex(ctx.get(), digest, &size) != 1) return hash_error("SHA-256 failed (OpenSSL)");
  return "sha256-" + lower_hex(digest, size);
}

Result<std::vector<VariantLock>> git_lfs_concat_variants(const std::vector<hub::TreeEntry>& listing) {
  std::vector<std::pair<std::string, std::vector<HashedFile>>> variants;  // first-appearance order
  std::unordered_map<std::string, std::size_t> index;                     // name -> position in variants
  for (const auto& entry : listing) {
    if (entry.is_directory) continue;
    const std::string& path = entry.path;
    if (path.rfind("build/torch", 0) != 0) continue;
    if (!entry.lfs && entry.oid.empty()) return hash_error(path + " has no git blob id in the tree listing");
    if (ends_with(path, ".pyc") || has_pycache_component(path)) continue;

    auto parts = path_parts(path);  // ("build", variant, ...): at least two, given the prefix
    std::string relpath;
    for (std::size_t i = 2; i < parts.size(); ++i) {
      if (i > 2) relpath += '/';
      relpath += parts[i];
    }
    if (relpath.empty()) relpath = ".";  // a file directly under build/: Python hashes Path() == "."

    const std::string& hex = entry.content_hash();
    if (!unhex(hex))
      return hash_error(path + ": " + (entry.lfs ? "LFS sha256" : "git blob id") + " is not hexadecimal: \"" + hex +
                        "\"");

    auto [it, added] = index.try_emplace(std::string(parts[1]), variants.size());
    if (added) variants.emplace_back(it->first, std::vector<HashedFile>{});
    variants[it->second].second.push_back(HashedFile{std::move(relpath), hex});
  }

  std::vector<VariantLock> out;
  out.reserve(variants.size());
  for (auto& [name, files] : variants) {
    auto hash = git_lfs_concat_hash(std::move(files));
    if (!hash.ok()) return hash.error();
    out.push_back(VariantLock{name, std::move(*hash), std::string(kGitLfsConcat)});
  }
  return out;
}

}  // namespace kernels::lockfile
