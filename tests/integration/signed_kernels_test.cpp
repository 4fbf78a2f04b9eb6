// The kernels library's eight signature cases, end to end: a test Sigstore
// instance (tests/support/test_sigstore) signs the build variants of
// kernels-test/signed v1..v8 (tests/hub/signed_variants), the emulator
// serves them, and the built binary locks, downloads and verifies them
// against the instance's trusted root (--trusted-root). Real signatures over
// real metadata.json bytes: the success paths (verified, digest ok) and the
// digest failures behind a valid signature are covered here, which the
// sigstore-conformance bundles cannot do (they sign a.txt).
//
// `kernels verify` is checked per case for its human lines, its JSON
// (status, signature.status, digest.status) and its exit status; then
// `kernels verify-signature kernels-test/signed N` for Python's lines.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>

#include "tests/hub/emulator.hpp"
#include "tests/hub/signed_variants.hpp"
#include "tests/hub/test_hub.hpp"
#include "tests/support/process.hpp"
#include "tests/support/test_sigstore.hpp"

using kernels::hub_emulator::SignedCase;
using kernels::test::run_kernels;
using kernels::test::RunOptions;
using kernels::test::TempDir;
namespace he = kernels::hub_emulator;

namespace {

const std::string kRepo = "kernels-test/signed";
const std::string kSigner =
    "https://github.com/huggingface/kernels-community/.github/workflows/build.yaml@refs/heads/main";
const std::string kCross = "\xE2\x9D\x8C torch-cpu: ";
const std::string kCheck = "\xE2\x9C\x85 torch-cpu: ";

class SignedHub {
 public:
  SignedHub() : sigstore(kernels::test::TestSigstore::create()) {
    kernels = he::write_signed_kernels(scratch_.path(), sigstore, kRepo);
    trusted_root = files_.write("trusted_root.json", sigstore.trusted_root_json());
    he::EmulatorOptions options;
    options.root = scratch_.path();
    emulator = std::make_unique<he::HubEmulator>(options);
    emulator->start();
  }
  ~SignedHub() { emulator->stop(); }

  kernels::test::TestSigstore sigstore;
  he::SignedKernels kernels;
  std::string trusted_root;  // the test instance's trusted_root.json
  std::unique_ptr<he::HubEmulator> emulator;

 private:
  he::ScratchDir scratch_;
  TempDir files_;
};

SignedHub& hub() {
  static SignedHub h;
  return h;
}

RunOptions env_for(const TempDir& dir) {
  RunOptions o;
  o.env["HF_ENDPOINT"] = hub().emulator->endpoint();
  o.env["HF_HOME"] = dir.path() + "/home";
  o.env["KERNELS_CACHE"] = dir.path() + "/cache";
  o.env["KERNELS_CUDA_DRIVER"] = "none";
  return o;
}

// A project depending on version N of kernels-test/signed, locked and
// downloaded through the CLI.
struct Project {
  TempDir dir;
  const he::SignedVariant& signed_case;
  explicit Project(SignedCase c) : signed_case(hub().kernels.at(c)) {
    dir.write("pyproject.toml",
              "[tool.kernels.dependencies]\n\"" + kRepo + "\" = " + std::to_string(signed_case.version) + "\n");
    auto lock = run_kernels({"lock", dir.path(), "--lock-format", "variant-hashes"}, env_for(dir));
    INFO(lock.err);
    REQUIRE(lock.exit_code == 0);
    // --torch none: the Python environment of the machine running the tests does not decide.
    auto download = run_kernels({"download", dir.path(), "--torch", "none"}, env_for(dir));
    INFO(download.err);
    REQUIRE(download.exit_code == 0);
  }
  std::string variant_dir() const {
    return dir.path() + "/cache/kernels--kernels-test--signed/snapshots/" + signed_case.commit + "/build/torch-cpu";
  }
  kernels::test::ProcessResult verify(std::vector<std::string> extra = {"--trusted-root", hub().trusted_root,
                                                                        "--signatures"}) const {
    std::vector<std::string> args{"verify", dir.path()};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_kernels(args, env_for(dir));
  }
  nlohmann::json verify_json() const {
    auto r = verify({"--trusted-root", hub().trusted_root, "--signatures", "--format", "json"});
    INFO(r.err);
    auto j = nlohmann::json::parse(r.out);
    REQUIRE(j["variants"].size() == 1);
    CHECK(j["variants"][0]["repo_id"] == kRepo);
    CHECK(j["variants"][0]["sha"] == signed_case.commit);
    CHECK(j["variants"][0]["variant"] == "torch-cpu");
    CHECK(j["ok"] == (r.exit_code == 0));
    return j["variants"][0];
  }
};

// What `kernels verify --signatures` must say about one case.
struct Expected {
  int exit_code;
  const char* status;     // lockfile::status_name
  const char* signature;  // lockfile::signature_status_name
  const char* digest;     // lockfile::digest_status_name
};

void check_json(const Project& p, const Expected& e) {
  auto v = p.verify_json();
  CHECK(v["status"] == e.status);
  CHECK(v["signature"]["status"] == e.signature);
  CHECK(v["digest"]["status"] == e.digest);
  CHECK(v["path"] == p.variant_dir());
  // The lock check passes in every case: what the Hub serves is what was locked.
  CHECK(v["lock"]["problems"] == nlohmann::json::array());
}

std::string head(const char* label) { return std::string(label) + kRepo + " torch-cpu\n"; }
const std::string kVerifiedLine =
    "    signature: verified: " + kSigner + " (issuer https://token.actions.githubusercontent.com); Rekor entry ";
const std::string kNotChecked = "    digest: not checked: the signature of metadata.json did not verify\n";

}  // namespace

TEST_CASE("signed kernels: v1 good verifies, signature then digest", "[cli][verify][signed]") {
  Project p(SignedCase::good);
  auto r = p.verify();
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.rfind(head("ok        ") + kVerifiedLine, 0) == 0);
  CHECK(r.out.find(" at https://rekor.test.invalid\n1 variant: 1 ok (") != std::string::npos);
  auto verbose = p.verify({"--trusted-root", hub().trusted_root, "--signatures", "-v"});
  CHECK(verbose.out.find("    digest: sha256, matches\n") != std::string::npos);
  check_json(p, {0, "ok", "verified", "ok"});

  // The shipped (public-good) root does not know the test log.
  auto production = p.verify({"--signatures"});
  CHECK(production.exit_code == 1);
  CHECK(production.out.find("    signature: failed: transparency log: the entry's log ") != std::string::npos);
  CHECK(production.out.find(" is not a Rekor log of the trusted root\n") != std::string::npos);
  // Another identity than the certificate's: the policy says what the certificate held.
  auto other =
      p.verify({"--trusted-root", hub().trusted_root, "--identity", "https://github.com/org/repo/x.yml@refs/heads/main",
                "--issuer", "https://token.actions.githubusercontent.com"});
  CHECK(other.exit_code == 1);
  CHECK(other.out.find("    signature: failed: identity policy: the certificate's subject alternative name is \"" +
                       kSigner + "\", expected \"https://github.com/org/repo/x.yml@refs/heads/main\"\n") !=
        std::string::npos);
}

TEST_CASE("signed kernels: v2 invalid digest, a valid signature over a digest the files no longer match",
          "[cli][verify][signed]") {
  Project p(SignedCase::invalid_digest);
  const auto& c = p.signed_case;
  auto r = p.verify();
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.out.rfind(head("mismatch  ") + kVerifiedLine, 0) == 0);
  const std::string violation = "File hash mismatch for " + c.changed_file +
                                ": expected: " + he::sha256_base64(c.changed_from) +
                                ", got: " + he::sha256_base64(c.files[1].content);
  CHECK(r.out.find("\n    digest: " + violation + "\n1 variant: 1 mismatch") != std::string::npos);
  CHECK(r.out.find("lock:") == std::string::npos);
  check_json(p, {1, "mismatch", "verified", "mismatch"});
  auto v = p.verify_json();
  REQUIRE(v["digest"]["violations"].size() == 1);
  CHECK(v["digest"]["violations"][0]["kind"] == "hash-mismatch");
  CHECK(v["digest"]["violations"][0]["path"] == c.changed_file);
  CHECK(v["digest"]["violations"][0]["message"] == violation);
}

TEST_CASE("signed kernels: v3 invalid metadata, signed bytes that are not JSON", "[cli][verify][signed]") {
  Project p(SignedCase::invalid_metadata);
  auto r = p.verify();
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  // The signature is checked on the raw bytes first, and verifies; only then are they parsed.
  CHECK(r.out.rfind(head("mismatch  ") + kVerifiedLine, 0) == 0);
  CHECK(r.out.find("\n    digest: invalid metadata.json: " + p.variant_dir() + "/metadata.json:") != std::string::npos);
  check_json(p, {1, "mismatch", "verified", "invalid-metadata"});
}

TEST_CASE("signed kernels: v4 missing digest, signed metadata without one", "[cli][verify][signed]") {
  Project p(SignedCase::missing_digest);
  auto r = p.verify();
  INFO(r.out << r.err);
  // As for unsigned metadata: no digest is said, and is not an error for `kernels verify`.
  CHECK(r.exit_code == 0);
  CHECK(r.out.rfind(head("no digest ") + kVerifiedLine, 0) == 0);
  CHECK(r.out.find(
            "\n    digest: metadata.json has no digest (the lock hash was checked)\n1 variant: 1 without a digest") !=
        std::string::npos);
  check_json(p, {0, "no-digest", "verified", "no-digest"});
}

TEST_CASE("signed kernels: v5 missing metadata, a bundle with nothing to verify", "[cli][verify][signed]") {
  Project p(SignedCase::missing_metadata);
  auto r = p.verify();
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.out.rfind(
            head("mismatch  ") + "    signature: metadata-missing: a bundle but no metadata.json\n" + kNotChecked, 0) ==
        0);
  check_json(p, {1, "mismatch", "metadata-missing", "not-checked"});
}

TEST_CASE("signed kernels: v6 missing signature fails only when signatures are required", "[cli][verify][signed]") {
  Project p(SignedCase::missing_signature);
  auto r = p.verify();
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  // The digest is still checked (and matches): nothing failed to verify.
  CHECK(r.out.rfind(
            head("mismatch  ") + "    signature: bundle-missing: no metadata.json.sigstore\n1 variant: 1 mismatch",
            0) == 0);
  check_json(p, {1, "mismatch", "bundle-missing", "ok"});
  // Without --signatures an unsigned variant is not an error, and not worth a line.
  auto relaxed = p.verify({"--trusted-root", hub().trusted_root});
  CHECK(relaxed.exit_code == 0);
  CHECK(relaxed.out.rfind(head("ok        ") + "1 variant: 1 ok", 0) == 0);
}

TEST_CASE("signed kernels: v7 broken bundle", "[cli][verify][signed]") {
  Project p(SignedCase::broken_bundle);
  auto r = p.verify();
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.out.rfind(head("mismatch  ") + "    signature: bundle-invalid: bundle is not valid JSON: ", 0) == 0);
  CHECK(r.out.find("\n" + kNotChecked) != std::string::npos);
  check_json(p, {1, "mismatch", "bundle-invalid", "not-checked"});
}

TEST_CASE("signed kernels: v8 invalid signature, a bundle for other bytes", "[cli][verify][signed]") {
  Project p(SignedCase::invalid_signature);
  auto r = p.verify();
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);
  CHECK(r.out.rfind(head("mismatch  ") +
                        "    signature: failed: transparency log: Rekor entry: the logged artifact digest sha256:" +
                        he::sha256_hex(p.signed_case.signed_bytes) +
                        " is not this artifact's sha256:" + he::sha256_hex(p.signed_case.metadata) + "\n" + kNotChecked,
                    0) == 0);
  check_json(p, {1, "mismatch", "failed", "not-checked"});
}

// --- kernels verify-signature kernels-test/signed N -----------------------

namespace {

struct VerifySignature {
  TempDir dir;
  kernels::test::ProcessResult operator()(int version, std::vector<std::string> extra = {}) const {
    std::vector<std::string> args{
        "verify-signature", kRepo, std::to_string(version), "--trusted-root", hub().trusted_root, "--torch", "none"};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_kernels(args, env_for(dir));
  }
  std::string variant_dir(int version) const {
    return dir.path() + "/cache/kernels--kernels-test--signed/snapshots/" +
           hub().kernels.cases.at(static_cast<std::size_t>(version) - 1).commit + "/build/torch-cpu";
  }
};

int version_of(SignedCase c) { return static_cast<int>(c); }

}  // namespace

TEST_CASE("signed kernels: verify-signature prints Python's line for each of the eight cases",
          "[cli][verify-signature][signed]") {
  VerifySignature run;
  auto line = [&](SignedCase c) {
    auto r = run(version_of(c));
    INFO(hub().kernels.at(c).name << "\n" << r.out << r.err);
    return r;
  };

  auto good = line(SignedCase::good);
  CHECK(good.out == kCheck + "kernel metadata is correctly signed\n");
  CHECK(good.exit_code == 0);

  const auto& changed = hub().kernels.at(SignedCase::invalid_digest);
  auto digest = line(SignedCase::invalid_digest);
  CHECK(digest.out == kCross + "kernel integrity check failed\nFile hash mismatch for " + changed.changed_file +
                          ": expected: " + he::sha256_base64(changed.changed_from) +
                          ", got: " + he::sha256_base64(changed.files[1].content) + "\n");
  CHECK(digest.exit_code == 1);

  auto metadata = line(SignedCase::invalid_metadata);
  CHECK(metadata.out.rfind(kCross + "cannot verify kernel integrity, invalid metadata:\n" +
                               run.variant_dir(version_of(SignedCase::invalid_metadata)) + "/metadata.json:",
                           0) == 0);
  CHECK(std::count(metadata.out.begin(), metadata.out.end(), '\n') == 2);
  CHECK(metadata.exit_code == 1);

  for (SignedCase c : {SignedCase::missing_digest, SignedCase::missing_metadata}) {
    auto r = line(c);
    CHECK(r.out == kCross + "cannot verify kernel integrity, metadata does not have a digest\n");
    CHECK(r.exit_code == 1);
  }

  auto unsigned_variant = line(SignedCase::missing_signature);
  CHECK(unsigned_variant.out == kCross + "cannot verify kernel integrity, signature not found\n");
  CHECK(unsigned_variant.exit_code == 1);

  auto broken = line(SignedCase::broken_bundle);
  CHECK(broken.out.rfind(
            kCross + "cannot verify kernel integrity, invalid signature bundle:\nbundle is not valid JSON: ", 0) == 0);
  CHECK(std::count(broken.out.begin(), broken.out.end(), '\n') == 2);
  CHECK(broken.exit_code == 1);

  auto other = line(SignedCase::invalid_signature);
  CHECK(other.out == kCross +
                         "metadata signature verification failed:\n"
                         "transparency log: Rekor entry: the logged artifact digest sha256:" +
                         he::sha256_hex(hub().kernels.at(SignedCase::invalid_signature).signed_bytes) +
                         " is not this artifact's sha256:" +
                         he::sha256_hex(hub().kernels.at(SignedCase::invalid_signature).metadata) + "\n");
  CHECK(other.exit_code == 1);
}

TEST_CASE("signed kernels: verify-signature --filter-unsigned and --filter-no-digest",
          "[cli][verify-signature][signed]") {
  VerifySignature run;
  // --filter-unsigned hides only the unsigned variant.
  auto hidden = run(version_of(SignedCase::missing_signature), {"--filter-unsigned"});
  CHECK(hidden.out == "");
  CHECK(hidden.exit_code == 0);
  CHECK(run(version_of(SignedCase::missing_digest), {"--filter-unsigned"}).exit_code == 1);
  CHECK(run(version_of(SignedCase::broken_bundle), {"--filter-unsigned"}).exit_code == 1);

  // --filter-no-digest hides a missing digest and missing metadata, not a missing signature.
  for (SignedCase c : {SignedCase::missing_digest, SignedCase::missing_metadata}) {
    auto r = run(version_of(c), {"--filter-no-digest"});
    INFO(hub().kernels.at(c).name);
    CHECK(r.out == "");
    CHECK(r.exit_code == 0);
  }
  CHECK(run(version_of(SignedCase::missing_signature), {"--filter-no-digest"}).exit_code == 1);
  CHECK(run(version_of(SignedCase::invalid_metadata), {"--filter-no-digest", "--filter-unsigned"}).exit_code == 1);
  // Filters never hide a good result.
  auto good = run(version_of(SignedCase::good), {"--filter-unsigned", "--filter-no-digest"});
  CHECK(good.out == kCheck + "kernel metadata is correctly signed\n");
  CHECK(good.exit_code == 0);
}

TEST_CASE("signed kernels: verify-signature --format json names each case's status",
          "[cli][verify-signature][signed]") {
  VerifySignature run;
  const std::vector<std::pair<SignedCase, const char*>> expected = {
      {SignedCase::good, "success"},
      {SignedCase::invalid_digest, "digest-failed"},
      {SignedCase::invalid_metadata, "metadata-invalid"},
      {SignedCase::missing_digest, "digest-missing"},
      {SignedCase::missing_metadata, "metadata-missing"},
      {SignedCase::missing_signature, "signature-missing"},
      {SignedCase::broken_bundle, "signature-invalid"},
      {SignedCase::invalid_signature, "signature-failed"},
  };
  for (const auto& [c, status] : expected) {
    auto r = run(version_of(c), {"--format", "json"});
    INFO(hub().kernels.at(c).name << "\n" << r.out << r.err);
    auto j = nlohmann::json::parse(r.out);
    CHECK(j["commit"] == hub().kernels.at(c).commit);
    REQUIRE(j["variants"].size() == 1);
    CHECK(j["variants"][0]["status"] == status);
    CHECK(j["ok"] == (c == SignedCase::good));
    CHECK(r.exit_code == (c == SignedCase::good ? 0 : 1));
  }
}
