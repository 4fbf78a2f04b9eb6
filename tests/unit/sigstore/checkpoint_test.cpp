#include <catch2/catch.hpp>

#include "sigstore/bundle.hpp"
#include "sigstore/checkpoint.hpp"
#include "tests/unit/sigstore/sigstore_test_support.hpp"

using namespace kernels::sigstore;
using kernels::sigstore_test::conformance;

namespace {

std::string checkpoint_of(const std::string& case_name) {
  auto b = parse_bundle(conformance(case_name));
  REQUIRE(b.ok());
  return b->tlog_entries.at(0).inclusion_proof->checkpoint.value();
}

TrustedRoot root_of(const std::string& case_name) {
  auto r = parse_trusted_root(conformance(case_name, "trusted_root.json"));
  REQUIRE(r.ok());
  return *r;
}

}  // namespace

TEST_CASE("checkpoint: a Rekor v1 note with a timestamp extension line", "[sigstore][checkpoint]") {
  auto cp = parse_checkpoint(checkpoint_of("happy-path-v0.1"));
  REQUIRE(cp.ok());
  CHECK(cp->origin == "rekor.sigstore.dev - 2605736670972794746");
  CHECK(cp->tree_size == 23083062);
  CHECK(base64_encode(cp->root_hash) == "dauhleYK4YyAdxwwDtR0l0KnSOWZdG2bwqHftlanvcI=");
  REQUIRE(cp->extensions.size() == 1);
  CHECK(cp->extensions[0] == "Timestamp: 1689177396617352539");
  REQUIRE(cp->signatures.size() == 1);
  CHECK(cp->signatures[0].name == "rekor.sigstore.dev");
  CHECK(base64_encode(cp->signatures[0].key_hint) == "wNI9ag==");
  CHECK(cp->body.back() == '\n');
  CHECK(cp->body.find("\n\n") == std::string::npos);

  auto prod = production_trusted_root();
  REQUIRE(prod.ok());
  const TransparencyLog* log = prod->find_tlog(*base64_decode("wNI9atQGlz+VWfO6LRygH4QUfY/8W4RFwiT5i5WRgB0="));
  REQUIRE(log != nullptr);
  CHECK(verify_checkpoint_signature(*cp, *log).ok());
  auto tampered = *cp;
  tampered.body[0] = 'R';
  auto bad = verify_checkpoint_signature(tampered, *log);
  REQUIRE(!bad.ok());
  CHECK(bad.error().message == "checkpoint: the log's signature does not verify over the note");
}

TEST_CASE("checkpoint: Rekor v2 Ed25519 key hints and ignored cosignatures", "[sigstore][checkpoint]") {
  TrustedRoot root = root_of("rekor2-happy-path");
  const TransparencyLog* log = root.find_tlog(*base64_decode("8w1amZ2S5mJIQkQmPxdMuOrL/oJkvFg9MnQXmeOCXck="));
  REQUIRE(log != nullptr);
  // SHA-256("log2025-alpha1.rekor.sigstage.dev\n\x01" || key)[:4], not the log id's first bytes.
  CHECK(hex_encode(note_key_hint(*log, "log2025-alpha1.rekor.sigstage.dev")) == "f30d5a99");
  for (const char* ok_case : {"rekor2-happy-path", "rekor2-checkpoint-cosigned", "rekor2-checkpoint-origin-not-first",
                              "rekor2-checkpoint-multiple-cosigs", "rekor2-checkpoint-two-sigs-from-origin"}) {
    INFO(ok_case);
    auto cp = parse_checkpoint(checkpoint_of(ok_case));
    REQUIRE(cp.ok());
    CHECK(verify_checkpoint_signature(*cp, *log).ok());
  }
  auto renamed = parse_checkpoint(checkpoint_of("rekor2-checkpoint-no-matching-signature_fail"));
  REQUIRE(renamed.ok());
  auto s = verify_checkpoint_signature(*renamed, *log);
  REQUIRE(!s.ok());
  CHECK(s.error().message.find("no key hint matches") != std::string::npos);
}

TEST_CASE("checkpoint: malformed notes", "[sigstore][checkpoint]") {
  const std::string sig = "\xE2\x80\x94 log AAAAAAAA\n";
  const std::string root = "rs1YPY0ydAV0lxgfrq5pE4oRpUJwo3syeps5+eGUTDI=";
  CHECK(!parse_checkpoint("origin\n10\n" + root + "\n").ok());           // no blank line
  CHECK(!parse_checkpoint("origin\n10\n" + root + "\n\n").ok());         // no signatures
  CHECK(!parse_checkpoint("10\n" + root + "\n\n" + sig).ok());           // missing origin
  CHECK(!parse_checkpoint("origin\n" + root + "\n\n" + sig).ok());       // missing size
  CHECK(!parse_checkpoint("origin\n10\n\n" + sig).ok());                 // missing root
  CHECK(!parse_checkpoint("origin\n-1\n" + root + "\n\n" + sig).ok());   // bad size
  CHECK(!parse_checkpoint("origin\n010\n" + root + "\n\n" + sig).ok());  // leading zero
  CHECK(!parse_checkpoint("origin\n99999999999999999999999\n" + root + "\n\n" + sig).ok());
  CHECK(!parse_checkpoint("origin\n10\nAAAA\n\n" + sig).ok());                           // root not 32 bytes
  CHECK(!parse_checkpoint("origin\n10\n" + root + "\n\n- log AAAAAAAA\n").ok());         // ASCII dash
  CHECK(!parse_checkpoint("origin\n10\n" + root + "\n\n\xE2\x80\x94 log AAA=\n").ok());  // too short
  auto good = parse_checkpoint("origin\n10\n" + root + "\n\n" + sig);
  REQUIRE(good.ok());
  CHECK(good->tree_size == 10);
}
