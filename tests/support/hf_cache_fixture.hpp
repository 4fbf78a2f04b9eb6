// Hugging Face caches built by hand for the `kernels verify` tests (and for
// later download -> verify tests): blobs/<name> plus relative symlinks from
// snapshots/<sha>/build/<variant>/..., exactly as huggingface_hub lays them
// out (huggingface_hub's cache layout), and the kernels.lock and metadata.json digests that
// go with them. Every hash here is computed independently of lockfile/:
// blob ids and LFS sha256 with the emulator's helpers, digests with one-shot
// OpenSSL calls and a base64 encoder of its own.
//
//   HfCacheFixture cache(tmp.path() + "/hub");
//   auto files = with_metadata({{"__init__.py", "x = 1\n"}, {"_ops.so", so, true}});
//   cache.add_variant("org/relu", kSha, "torch-cpu", files);
//   write_lock(project, {{"org/relu", kSha, {{"torch-cpu", lock_hash(files)}}}});
#pragma once

#include <openssl/evp.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "tests/hub/fixture_repo.hpp"

namespace kernels::test {

struct FixtureFile {
  std::string path;  // inside the variant, '/'-separated
  std::string content;
  bool lfs = false;  // blob named by its sha256 (an LFS file) instead of its git blob id
};

inline std::string fixture_base64(const std::string& raw) {
  static const char* table = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < raw.size(); i += 3) {
    unsigned v = (static_cast<unsigned char>(raw[i]) << 16) | (static_cast<unsigned char>(raw[i + 1]) << 8) |
                 static_cast<unsigned char>(raw[i + 2]);
    out += {table[(v >> 18) & 63], table[(v >> 12) & 63], table[(v >> 6) & 63], table[v & 63]};
  }
  if (raw.size() - i == 1) {
    unsigned v = static_cast<unsigned char>(raw[i]) << 16;
    out += {table[(v >> 18) & 63], table[(v >> 12) & 63], '=', '='};
  } else if (raw.size() - i == 2) {
    unsigned v = (static_cast<unsigned char>(raw[i]) << 16) | (static_cast<unsigned char>(raw[i + 1]) << 8);
    out += {table[(v >> 18) & 63], table[(v >> 12) & 63], table[(v >> 6) & 63], '='};
  }
  return out;
}

// base64 of SHA-256 or SHA-512 ("sha256" / "sha512") of `content`.
inline std::string fixture_digest_value(const std::string& content, const std::string& algorithm = "sha256") {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_Digest(content.data(), content.size(), out, &n, algorithm == "sha512" ? EVP_sha512() : EVP_sha256(), nullptr);
  return fixture_base64(std::string(reinterpret_cast<char*>(out), n));
}

inline std::string fixture_blob_name(const FixtureFile& f) {
  return f.lfs ? hub_emulator::sha256_hex(f.content) : hub_emulator::git_blob_oid(f.content);
}

inline std::string fixture_unhex(const std::string& hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2)
    out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return out;
}

// git_lfs_concat (kernels' locking.py) over the files, bytecode
// left out as the lock leaves it out.
inline std::string fixture_lock_hash(std::vector<FixtureFile> files) {
  std::sort(files.begin(), files.end(), [](const FixtureFile& a, const FixtureFile& b) { return a.path < b.path; });
  std::string bytes;
  for (const auto& f : files) {
    bool pyc = f.path.size() >= 4 && f.path.compare(f.path.size() - 4, 4, ".pyc") == 0;
    if (pyc || ("/" + f.path + "/").find("/__pycache__/") != std::string::npos) continue;
    bytes += f.path + fixture_unhex(fixture_blob_name(f));
  }
  return "sha256-" + hub_emulator::sha256_hex(bytes);
}

// A metadata.json (pretty-printed, as kernel-builder writes it) with a
// digest over `files` (every file given; the caller leaves out what the
// digest does not cover).
inline std::string fixture_metadata(const std::vector<FixtureFile>& files, const std::string& algorithm = "sha256") {
  std::vector<std::pair<std::string, std::string>> entries;
  entries.reserve(files.size());
  for (const auto& f : files) entries.emplace_back(f.path, fixture_digest_value(f.content, algorithm));
  std::sort(entries.begin(), entries.end());
  std::string out =
      "{\n  \"name\": \"relu\",\n  \"version\": 1,\n  \"python-depends\": [],\n"
      "  \"kernel-depends\": [],\n  \"backend\": {\n    \"type\": \"cpu\"\n  },\n"
      "  \"digest\": {\n    \"algorithm\": \"" +
      algorithm + "\",\n    \"files\": {";
  for (std::size_t i = 0; i < entries.size(); ++i)
    out += std::string(i ? "," : "") + "\n      \"" + entries[i].first + "\": \"" + entries[i].second + "\"";
  out += entries.empty() ? "}\n  }\n}" : "\n    }\n  }\n}";
  return out;
}

// `files` plus a metadata.json whose digest covers them all.
inline std::vector<FixtureFile> with_metadata(std::vector<FixtureFile> files, const std::string& algorithm = "sha256") {
  std::string metadata = fixture_metadata(files, algorithm);
  files.push_back({"metadata.json", metadata, false});
  return files;
}

struct FixtureLockEntry {
  std::string repo_id;
  std::string sha;
  std::vector<std::pair<std::string, std::string>> variants;  // name, hash
};

inline std::string fixture_lock_text(const std::vector<FixtureLockEntry>& entries) {
  std::string out = "[";
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto& e = entries[i];
    out += std::string(i ? "," : "") + "\n  {\n    \"repo_id\": \"" + e.repo_id + "\",\n    \"sha\": \"" + e.sha +
           "\",\n    \"variants\": {";
    for (std::size_t j = 0; j < e.variants.size(); ++j)
      out += std::string(j ? "," : "") + "\n      \"" + e.variants[j].first + "\": {\n        \"hash\": \"" +
             e.variants[j].second + "\",\n        \"hash_type\": \"git_lfs_concat\"\n      }";
    out += "\n    }\n  }";
  }
  return out + "\n]\n";
}

inline void fixture_put(const std::string& path, const std::string& content) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
}

inline void write_lock(const std::string& project_dir, const std::vector<FixtureLockEntry>& entries) {
  fixture_put(project_dir + "/kernels.lock", fixture_lock_text(entries));
}

class HfCacheFixture {
 public:
  explicit HfCacheFixture(std::string root) : root_(std::move(root)) { std::filesystem::create_directories(root_); }
  const std::string& root() const { return root_; }

  // <root>/<prefix>--org--name
  std::string repo_dir(const std::string& repo, const std::string& prefix = "kernels") const {
    std::string out = root_ + "/" + prefix;
    for (char c : "--" + repo) out += c == '/' ? std::string("--") : std::string(1, c);
    return out;
  }

  // Writes the blobs and the snapshot links of one variant; returns its directory.
  std::string add_variant(const std::string& repo, const std::string& sha, const std::string& variant,
                          const std::vector<FixtureFile>& files, const std::string& prefix = "kernels") const {
    for (const auto& f : files) add_file(repo, sha, {"build/" + variant + "/" + f.path, f.content, f.lfs}, prefix);
    std::string variant_dir = repo_dir(repo, prefix) + "/snapshots/" + sha + "/build/" + variant;
    std::filesystem::create_directories(variant_dir);
    return variant_dir;
  }

  // One file of a snapshot (`f.path` from the repository's root): its blob
  // and the relative link snapshots/<sha>/<path> -> ../(..)/blobs/<name>.
  void add_file(const std::string& repo, const std::string& sha, const FixtureFile& f,
                const std::string& prefix = "kernels") const {
    std::string dir = repo_dir(repo, prefix);
    std::string name = fixture_blob_name(f);
    fixture_put(dir + "/blobs/" + name, f.content);
    std::string link = dir + "/snapshots/" + sha + "/" + f.path;
    std::filesystem::create_directories(std::filesystem::path(link).parent_path());
    std::string up;
    for (char c : "snapshots/" + sha + "/" + f.path)
      if (c == '/') up += "../";
    std::error_code ec;
    std::filesystem::remove(link, ec);
    std::filesystem::create_symlink(up + "blobs/" + name, link);
  }

  // refs/<ref> holding `sha`, without a newline, as huggingface_hub writes it.
  void add_ref(const std::string& repo, const std::string& ref, const std::string& sha) const {
    fixture_put(repo_dir(repo) + "/refs/" + ref, sha);
  }

  // .no_exist/<sha>/<path>: the Hub said there is no such file at `sha`.
  void mark_missing(const std::string& repo, const std::string& sha, const std::string& path) const {
    fixture_put(repo_dir(repo) + "/.no_exist/" + sha + "/" + path, "");
  }

  // The git-lfs pointer file that stands for `content` in the git tree.
  static std::string lfs_pointer(const std::string& content) {
    return "version https://git-lfs.github.com/spec/v1\noid sha256:" + hub_emulator::sha256_hex(content) + "\nsize " +
           std::to_string(content.size()) + "\n";
  }

  // trees/<sha>.json, the complete listing huggingface_hub caches
  // ({"format_version": 1, "files": {path: {size, blob_id[, lfs_sha256, lfs_size]}}}),
  // for files given from the repository's root.
  void add_tree_listing(const std::string& repo, const std::string& sha, std::vector<FixtureFile> files) const {
    std::sort(files.begin(), files.end(), [](const FixtureFile& a, const FixtureFile& b) { return a.path < b.path; });
    std::string out = "{\"format_version\": 1, \"files\": {";
    for (std::size_t i = 0; i < files.size(); ++i) {
      const auto& f = files[i];
      std::string size = std::to_string(f.content.size());
      out += std::string(i ? ", " : "") + "\"" + f.path + "\": {\"size\": " + size + ", \"blob_id\": \"" +
             hub_emulator::git_blob_oid(f.lfs ? lfs_pointer(f.content) : f.content) + "\"";
      if (f.lfs) out += ", \"lfs_sha256\": \"" + hub_emulator::sha256_hex(f.content) + "\", \"lfs_size\": " + size;
      out += "}";
    }
    fixture_put(repo_dir(repo) + "/trees/" + sha + ".json", out + "}}");
  }

  // The blob file a fixture file's link points at.
  std::string blob_path(const std::string& repo, const FixtureFile& f, const std::string& prefix = "kernels") const {
    return repo_dir(repo, prefix) + "/blobs/" + fixture_blob_name(f);
  }

 private:
  std::string root_;
};

}  // namespace kernels::test
