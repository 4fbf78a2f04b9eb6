// parse_checkpoint: the signed note inside a Rekor inclusion proof, then its
// signature lines checked against every Rekor log of the production root.
#include <string>

#include "sigstore/checkpoint.hpp"
#include "sigstore/trusted_root.hpp"
#include "tests/fuzz/fuzz_support.hpp"

using kernels::ErrorCode;

namespace sigstore = kernels::sigstore;
using kernels::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const sigstore::TrustedRoot root = *sigstore::production_trusted_root();
  auto cp = sigstore::parse_checkpoint(kernels::fuzz::text_of(data, size));
  if (!cp.ok()) {
    require(cp.error().code == ErrorCode::checkpoint, "errors are checkpoint");
    return 0;
  }
  for (const auto& signature : cp->signatures) require(signature.key_hint.size() == 4, "key hints are 4 bytes");
  for (const auto& log : root.tlogs) {
    (void)sigstore::note_key_hint(log, cp->origin);
    (void)sigstore::verify_checkpoint_signature(*cp, log);
  }
  return 0;
}
