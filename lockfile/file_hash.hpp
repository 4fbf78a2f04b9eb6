// Hashing a file's bytes with several algorithms in one pass (OpenSSL EVP,
// 1 MiB reads): the git blob id (SHA-1 of "blob <size>\0" + bytes), SHA-256
// and SHA-512. `kernels verify` needs up to two of them per file (the blob
// name check and the metadata.json digest) and reads each file once.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "util/result.hpp"

namespace kernels::lockfile {

// Bit flags: which hashes hash_file computes.
enum HashKind : unsigned {
  kGitBlobSha1 = 1u << 0,
  kSha256 = 1u << 1,
  kSha512 = 1u << 2,
};

// Raw digests (20, 32, 64 bytes); empty when not asked for.
struct FileHashes {
  std::uint64_t size = 0;
  std::string git_blob_sha1;
  std::string sha256;
  std::string sha512;
};

// Opens `path` (following symlinks), refuses anything but a regular file
// (never blocks on a FIFO) and hashes its bytes. Errors (code "io") name the
// path and say why.
Result<FileHashes> hash_file(const std::string& path, unsigned kinds);

// The same hashes of bytes in memory.
FileHashes hash_bytes(std::string_view bytes, unsigned kinds);

// Lowercase hex and standard base64 (with '=' padding) of raw bytes.
std::string to_hex(std::string_view raw);
std::string to_base64(std::string_view raw);

}  // namespace kernels::lockfile
