// parse_metadata: a variant's metadata.json, the bytes `kernels verify`
// reads (and whose signature it checks) before trusting anything in them.
// Any bytes give Metadata or a parse/format error; an accepted digest
// compares equal to itself.
#include <string>

#include "lockfile/digest.hpp"
#include "lockfile/metadata.hpp"
#include "tests/fuzz/fuzz_support.hpp"

using kernels::ErrorCode;

namespace lockfile = kernels::lockfile;
using kernels::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string raw(kernels::fuzz::text_of(data, size));
  auto metadata = lockfile::parse_metadata(raw, "metadata.json");
  if (!metadata.ok()) {
    require(metadata.error().code == ErrorCode::parse || metadata.error().code == ErrorCode::format,
            "errors are parse or format");
    return 0;
  }
  require(metadata->raw == raw, "the raw bytes are kept unchanged");
  if (metadata->backend) (void)lockfile::is_known_backend(metadata->backend->type);
  for (const auto& dependency : metadata->kernel_depends) {
    require(dependency.version.has_value() != dependency.revision.has_value(), "exactly one of version and revision");
  }
  if (metadata->digest) {
    require(lockfile::compare_digests(*metadata->digest, *metadata->digest).empty(), "a digest agrees with itself");
    lockfile::Digest other = *metadata->digest;
    other.algorithm = other.algorithm == lockfile::DigestAlgorithm::Sha256 ? lockfile::DigestAlgorithm::Sha512
                                                                           : lockfile::DigestAlgorithm::Sha256;
    if (!other.files.empty()) other.files.erase(other.files.begin());
    for (const auto& v : lockfile::compare_digests(*metadata->digest, other)) (void)v.text();
  }
  return 0;
}
