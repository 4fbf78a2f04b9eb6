// A test Sigstore instance: a Fulcio-like CA (root and intermediate), a CT
// log, a Rekor v1 log, and the trusted_root.json that lists them, with keys
// generated at run time. sign() produces the bundle a real keyless signing
// would: an ephemeral leaf certificate with the Fulcio extensions and an
// embedded SCT, a hashedrekord 0.0.1 entry with its SET and an inclusion
// proof under a signed checkpoint, and the message signature.
//
// Written with OpenSSL alone and on purpose without lib/sigstore: a bundle
// that lib/sigstore accepts then proves that both sides read the formats the
// same way, not that one piece of code agrees with itself.
//
//   auto sigstore = kernels::test::TestSigstore::create();
//   write("trusted_root.json", sigstore.trusted_root_json());
//   std::string bundle = sigstore.sign(metadata_bytes);          // the kernels library's identity
//   Identity other; other.build_signer_uri = "https://github.com/evil/x/.github/workflows/a.yaml@refs/heads/main";
//   std::string refused = sigstore.sign(metadata_bytes, other);
//
// Failures of OpenSSL throw std::runtime_error: a fixture that cannot be
// built is a broken test, not a result.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace kernels::test {

// What the leaf certificate says about the signer. The defaults are what
// the kernels library's default policy accepts (kernels-community's build
// workflow on GitHub Actions).
struct Identity {
  // The subject alternative name (a URI), as Fulcio writes a workflow's.
  std::string san = "https://github.com/huggingface/kernels-community/.github/workflows/build.yaml@refs/heads/main";
  // 1.3.6.1.4.1.57264.1.1 (raw string) and .1.8 (DER UTF8String).
  std::string issuer = "https://token.actions.githubusercontent.com";
  // 1.3.6.1.4.1.57264.1.9 (DER UTF8String).
  std::string build_signer_uri =
      "https://github.com/huggingface/kernels-community/.github/workflows/build.yaml@refs/heads/main";
  // 1.3.6.1.4.1.57264.1.12 (DER UTF8String).
  std::string source_repository_uri = "https://github.com/huggingface/kernels-community";
};

class TestSigstore {
 public:
  // Fresh keys and CA certificates, valid from a day ago for a year.
  static TestSigstore create();

  // The trusted root listing this instance's CA chain, Rekor log and CT log.
  std::string trusted_root_json() const;

  // A v0.3 bundle (application/vnd.dev.sigstore.bundle.v0.3+json) signing
  // `artifact`'s raw bytes, logged at the next log index, integrated now.
  std::string sign(std::string_view artifact, const Identity& identity = {}) const;

  // The Rekor log's base URL in the trusted root (for messages and checks).
  static constexpr const char* kRekorUrl = "https://rekor.test.invalid";

  struct State;  // keys, certificates, the log: shared by copies

 private:
  std::shared_ptr<State> state_;
};

}  // namespace kernels::test
