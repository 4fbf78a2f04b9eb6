// A variant's metadata.json (kernels-data's metadata.rs), read for
// `kernels verify`: the raw bytes exactly as read (a signature covers those
// bytes; they are never re-serialised), and the fields verify uses:
// `digest` (digest.hpp), `backend` {type, archs?} and `kernel-depends`.
// Other fields (name, version, python-depends, ...) are not interpreted.
//
// Hostile input is bounded: at most kMaxMetadataBytes, nesting at most
// kMaxMetadataDepth, no byte order mark, no key twice in one object (two
// parsers could otherwise disagree about what was signed). Errors say
// "NAME:LINE:COL: ...".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lockfile/digest.hpp"
#include "util/result.hpp"

namespace kernels::lockfile {

inline constexpr std::size_t kMaxMetadataBytes = 8u << 20;
inline constexpr int kMaxMetadataDepth = 32;

// cann, cpu, cuda, metal, neuron, rocm, tpu, xpu.
bool is_known_backend(std::string_view type);

struct MetadataBackend {
  std::string type;                               // one of is_known_backend
  std::optional<std::vector<std::string>> archs;  // absent when not given
};

// {"repo-id": "org/name", "version": N} or {"repo-id": ..., "revision": "..."}.
struct MetadataKernelDependency {
  std::string repo_id;
  std::optional<std::uint64_t> version;
  std::optional<std::string> revision;
};

struct Metadata {
  std::string raw;  // the bytes of the file, unchanged
  std::optional<MetadataBackend> backend;
  std::vector<MetadataKernelDependency> kernel_depends;
  std::optional<Digest> digest;
};

// Parses `raw` (kept in the result). Errors: code "parse" for text that is
// not JSON (or too large, too deep, with duplicate keys), code "format" for
// JSON whose verify-relevant fields have the wrong shape.
Result<Metadata> parse_metadata(std::string raw, const std::string& source_name);

// The bytes of `path`, refusing a file larger than kMaxMetadataBytes. A
// missing, unreadable or too large file: code "io".
Result<std::string> read_metadata_bytes(const std::string& path);

}  // namespace kernels::lockfile
