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

namespace {

// SHA-256 over path ‖ raw_hash pairs, fed in hash order.
class ConcatHasher {
 public:
  ConcatHasher() : ctx_(EVP_MD_CTX_new(), EVP_MD_CTX_free) {
    ok_ = ctx_ && EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) == 1;
  }
  void add(std::string_view relpath, std::string_view raw) {
    EVP_DigestUpdate(ctx_.get(), relpath.data(), relpath.size());
    EVP_DigestUpdate(ctx_.get(), raw.data(), raw.size());
  }
  bool ok() const { return ok_; }
  Result<std::string> finish() {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_DigestFinal_ex(ctx_.get(), digest, &size) != 1) return hash_error("SHA-256 failed (OpenSSL)");
    return "sha256-" + lower_hex(digest, size);
  }

 private:
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx_;
  bool ok_ = false;
};

// A path with no empty and no "." component: its parts are its '/'-separated
// pieces, so the variant and the path inside it are views of it.
bool is_plain(std::string_view path) {
  return path.find("//") == std::string_view::npos && path.back() != '/' &&
         path.find("/./") == std::string_view::npos && !ends_with(path, "/.");
}

// The path inside the variant of a plain "build/<variant>[/rest]": rest, or "."
// for a file directly under build/ (Python hashes Path() == ".").
std::string_view plain_relpath(std::string_view path) {
  const std::size_t slash = path.find('/', 6);
  return slash == std::string_view::npos ? std::string_view(".") : path.substr(slash + 1);
}

// The raw bytes of an id: held raw by the listing, or hex text decoded.
std::optional<std::string> raw_bytes(const hub::ObjectIdRef& id) {
  if (id.is_raw()) return std::string(id.bytes());
  return unhex(id.bytes());
}

// Python sorts (path_bytes, hex) tuples: by path, then by the hash's text.
bool hex_less(const hub::ObjectIdRef& a, const hub::ObjectIdRef& b) {
  if (a.is_raw() && b.is_raw() && a.bytes().size() == b.bytes().size()) return a.bytes() < b.bytes();
  return a.str() < b.str();
}

}  // namespace

Result<std::string> git_lfs_concat_hash(std::vector<HashedFile> files) {
  // Python sorts (path_bytes, hex) tuples: bytewise by path, then by hex.
  std::sort(files.begin(), files.end(), [](const HashedFile& a, const HashedFile& b) {
    if (a.relpath != b.relpath) return a.relpath < b.relpath;  // std::string compares as unsigned bytes
    return a.hex < b.hex;
  });
  ConcatHasher hasher;
  if (!hasher.ok()) return hash_error("cannot initialise SHA-256 (OpenSSL)");
  for (const auto& f : files) {
    auto raw = unhex(f.hex);
    if (!raw) return hash_error("the hash of " + f.relpath + " is not hexadecimal: \"" + f.hex + "\"");
    hasher.add(f.relpath, *raw);
  }
  return hasher.finish();
}

Result<std::vector<VariantLock>> git_lfs_concat_variants(const hub::TreeListing& listing) {
  // One pass in listing order finds each hashed file's variant (numbered in
  // first-appearance order) and every error, as the listing shows them. A
  // file costs 8 bytes here, not a copy of its path and hash: its path
  // inside the variant is read back from the listing when sorting (computed
  // once, into `unusual`, for the rare path with empty or "." components).
  std::vector<std::string> names;
  std::unordered_map<std::string, std::uint32_t> index;  // name -> number
  struct File {
    std::uint32_t variant;
    std::uint32_t entry;
  };
  std::vector<File> files;
  std::unordered_map<std::uint32_t, std::string> unusual;  // entry -> its relpath
  for (std::size_t i = 0; i < listing.size(); ++i) {
    const hub::TreeEntryView entry = listing[i];
    if (entry.is_directory) continue;
    const std::string_view path = entry.path;
    if (path.substr(0, 11) != "build/torch") continue;
    if (!entry.lfs && entry.oid.empty())
      return hash_error(std::string(path) + " has no git blob id in the tree listing");
    if (ends_with(path, ".pyc") || has_pycache_component(path)) continue;

    std::string_view variant;
    if (is_plain(path)) {
      variant = path.substr(6, std::min(path.find('/', 6), path.size()) - 6);
    } else {
      auto parts = path_parts(path);  // ("build", variant, ...): at least two, given the prefix
      std::string relpath;
      for (std::size_t p = 2; p < parts.size(); ++p) {
        if (p > 2) relpath += '/';
        relpath += parts[p];
      }
      if (relpath.empty()) relpath = ".";  // a file directly under build/: Python hashes Path() == "."
      variant = parts[1];
      unusual.emplace(static_cast<std::uint32_t>(i), std::move(relpath));
    }

    const hub::ObjectIdRef hash = entry.content_hash();
    if (!raw_bytes(hash)) {
      return hash_error(std::string(path) + ": " + (entry.lfs ? "LFS sha256" : "git blob id") +
                        " is not hexadecimal: \"" + hash.str() + "\"");
    }
    auto found = index.find(std::string(variant));
    if (found == index.end()) {
      found = index.emplace(std::string(variant), static_cast<std::uint32_t>(names.size())).first;
      names.emplace_back(variant);
    }
    files.push_back(File{found->second, static_cast<std::uint32_t>(i)});
  }

  auto relpath = [&](std::uint32_t entry) -> std::string_view {
    if (!unusual.empty()) {
      auto it = unusual.find(entry);
      if (it != unusual.end()) return it->second;
    }
    return plain_relpath(listing.path(entry));
  };
  // Python sorts each variant's (path_bytes, hex) tuples: by path, then by hex.
  std::sort(files.begin(), files.end(), [&](const File& a, const File& b) {
    if (a.variant != b.variant) return a.variant < b.variant;
    const std::string_view pa = relpath(a.entry), pb = relpath(b.entry);
    if (pa != pb) return pa < pb;
    return hex_less(listing[a.entry].content_hash(), listing[b.entry].content_hash());
  });
  std::vector<VariantLock> out;
  out.reserve(names.size());
  for (std::size_t start = 0; start < files.size();) {
    ConcatHasher hasher;
    if (!hasher.ok()) return hash_error("cannot initialise SHA-256 (OpenSSL)");
    std::size_t end = start;
    for (; end < files.size() && files[end].variant == files[start].variant; ++end)
      hasher.add(relpath(files[end].entry), *raw_bytes(listing[files[end].entry].content_hash()));
    auto hash = hasher.finish();
    if (!hash.ok()) return hash.error();
    out.push_back(VariantLock{names[files[start].variant], std::move(*hash), std::string(kGitLfsConcat)});
    start = end;
  }
  return out;
}

}  // namespace kernels::lockfile
