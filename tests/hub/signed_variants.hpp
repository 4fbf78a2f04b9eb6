// The kernels library's eight signature cases (kernels/tests/test_verify.py)
// as one emulator repository: branch vN holds one build variant,
// build/torch-cpu/, in the state of case N, signed by a test Sigstore
// instance (tests/support/test_sigstore.hpp) whose trusted root the caller
// writes out for `--trusted-root`.
//
// One repository with eight versions, not eight repositories, because that
// is how the library's tests have it (revisions of one test repo) and how a
// user meets it: `kernels verify-signature kernels-test/signed 3` reads as
// "version 3 of the test kernel". Each commit holds only its own variant, so
// cases never see each other's files.
//
//   v1 good               metadata.json with a correct digest, signed
//   v2 invalid digest     as v1, then a file changed after the digest was computed (signature still valid)
//   v3 invalid metadata   signed bytes that are not JSON
//   v4 missing digest     signed metadata.json without "digest"
//   v5 missing metadata   a valid bundle, no metadata.json
//   v6 missing signature  metadata.json with a correct digest, no metadata.json.sigstore
//   v7 broken bundle      metadata.json.sigstore that is not a bundle
//   v8 invalid signature  a valid bundle for other bytes (another metadata.json)
#pragma once

#include <string>
#include <vector>

#include "tests/hub/kernel_variant.hpp"
#include "tests/support/test_sigstore.hpp"

namespace kernels::hub_emulator {

enum class SignedCase {
  good = 1,
  invalid_digest,
  invalid_metadata,
  missing_digest,
  missing_metadata,
  missing_signature,
  broken_bundle,
  invalid_signature,
};

struct SignedVariant {
  SignedCase kind;
  int version = 0;   // the branch is v<version>
  std::string name;  // "good", "invalid digest", ... (for test names and messages)
  std::string commit;
  std::vector<VariantFile> files;  // as served, metadata.json and its bundle excluded
  std::string metadata;            // metadata.json as served; empty when there is none
  std::string bundle;              // metadata.json.sigstore as served; empty when there is none
  std::string signed_bytes;        // what the bundle signs (before a broken bundle was cut); empty without one
  std::string changed_file;        // invalid digest: the file whose bytes differ from its digest entry
  std::string changed_from;        // ... and the bytes the digest (and the signature) were made over
};

struct SignedKernels {
  std::string repo_id;
  std::string variant = "torch-cpu";
  std::vector<SignedVariant> cases;  // in version order, cases[N-1] is vN
  const SignedVariant& at(SignedCase c) const { return cases.at(static_cast<std::size_t>(c) - 1); }
};

// Writes the repository ROOT/<repo_id> (main at v8's commit, branches
// v1..v8), every signature made by `signer` with its default identity.
SignedKernels write_signed_kernels(const std::string& root, const test::TestSigstore& signer,
                                   const std::string& repo_id = "kernels-test/signed");

}  // namespace kernels::hub_emulator
