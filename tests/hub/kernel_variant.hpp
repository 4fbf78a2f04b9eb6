// Build variants with a metadata.json for fixture repositories: the files of
// build/<variant>/ and the metadata kernel-builder writes beside them
// (kernels-data's metadata.rs), whose `digest` is computed here with
// OpenSSL as kernels-data's digest.rs defines it:
//   - every file of the variant, keyed by its path relative to the variant
//     directory, in bytewise key order;
//   - skipped: metadata.json and metadata.json.sigstore at the variant's top,
//     any path with a __pycache__ component, files whose extension is "pyc";
//   - values: base64 (with padding) of the sha256 of the raw bytes.
//
//   VariantMetadata meta{"relu", "_relu_0123", "cuda", {{"8.0", "9.0"}}};
//   write_variant(repo, "torch210-cxx11-cu128-x86_64-linux",
//                 {{"relu/__init__.py", "x = 1\n"}, {"relu/_relu.abi3.so", so_bytes, true}}, meta);
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tests/hub/fixture_repo.hpp"

namespace kernels::hub_emulator {

struct VariantFile {
  std::string path;  // relative to build/<variant>/, '/'-separated
  std::string content;
  bool lfs = false;  // stored through LFS (the repository keeps a pointer)
};

enum class DigestKind {
  correct,      // every hashed file with its real hash
  wrong_entry,  // the first hashed file (key order) with the hash of other bytes
  none,         // no "digest" field at all
};

struct VariantMetadata {
  std::string name;                               // "relu"
  std::string id;                                 // "_relu_0123abcd"
  std::string backend;                            // cuda, rocm, cpu, metal, xpu, ...
  std::optional<std::vector<std::string>> archs;  // "8.0", "9.0" (CUDA) or "gfx942" (ROCm), as kernel-builder writes
  int version = 1;
  std::string license = "Apache-2.0";
  std::vector<std::string> python_depends;
  DigestKind digest = DigestKind::correct;
};

// Whether the digest covers a file at `path` (relative to the variant directory).
bool digest_covers(const std::string& path);

// Standard base64 with '=' padding.
std::string base64(const std::string& bytes);
// base64 of the raw sha256 of `data`.
std::string sha256_base64(const std::string& data);
// The same for a digest already known as 64 hex digits.
std::string hex_to_base64(const std::string& hex);

// relpath → base64 sha256 for the files the digest covers.
std::map<std::string, std::string> variant_digest(const std::vector<VariantFile>& files);

// The bytes of metadata.json: serde's pretty printer (two-space indent,
// "key": value, no trailing newline), fields in kebab-case write order:
// name, id, version, license, python-depends, kernel-depends, backend {type, archs?}, digest? {algorithm, files}.
// `digest` is written as given (empty map: "files": {}) unless meta.digest is none.
std::string metadata_json(const VariantMetadata& meta, const std::map<std::string, std::string>& digest);

// Writes build/<variant>/<file> for each file and build/<variant>/metadata.json
// into the repository's next commit. Returns the metadata.json bytes.
std::string write_variant(FixtureRepo& repo, const std::string& variant, const std::vector<VariantFile>& files,
                          const VariantMetadata& meta);

}  // namespace kernels::hub_emulator
