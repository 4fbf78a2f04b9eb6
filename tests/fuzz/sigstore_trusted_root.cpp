// parse_trusted_root: trusted_root.json as `--trusted-root` gives it. Any
// bytes give a root or a "trusted_root" error; every log it holds is found
// again by its id.
#include <string>

#include "sigstore/trusted_root.hpp"
#include "tests/fuzz/fuzz_support.hpp"

using kernels::ErrorCode;

namespace sigstore = kernels::sigstore;
using kernels::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto root = sigstore::parse_trusted_root(kernels::fuzz::text_of(data, size));
  if (!root.ok()) {
    require(root.error().code == ErrorCode::trusted_root, "errors are trusted_root");
    return 0;
  }
  for (const auto& log : root->tlogs) require(root->find_tlog(log.log_id) != nullptr, "a Rekor log is found by id");
  for (const auto& log : root->ctlogs) require(root->find_ctlog(log.log_id) != nullptr, "a CT log is found by id");
  for (const auto* group : {&root->certificate_authorities, &root->timestamp_authorities}) {
    for (const auto& ca : *group) (void)ca.valid_for.contains(std::int64_t{1750000000});
  }
  return 0;
}
