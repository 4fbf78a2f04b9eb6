// sigstore-conformance's bundle-verify cases (tests/data/sigstore-conformance,
// see its SOURCE), driven through `kernels verify-bundle` exactly as the
// suite's CLI protocol does: once with the artifact file and once with its
// `sha256:` digest, --key when the case has key.pub, --trusted-root when it
// has trusted_root.json, identity/issuer from the case or the defaults.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "sigstore/encoding.hpp"
#include "tests/support/process.hpp"

namespace fs = std::filesystem;
using kernels::test::data_path;
using kernels::test::run_kernels;

namespace {

constexpr const char* kDefaultIdentity =
    "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/workflows/"
    "extremely-dangerous-oidc-beacon.yml@refs/heads/main";
constexpr const char* kDefaultIssuer = "https://token.actions.githubusercontent.com";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

// What each failing case's README says is wrong, as the words our reason
// must contain.
const std::map<std::string, std::string>& expected_reasons() {
  static const std::map<std::string, std::string> m{
      {"bundle-empty-certificate-chain_fail", "no certificates"},
      {"bundle-from-wrong-instance_fail", "is not a Rekor log of the trusted root"},
      {"bundle-invalid-base64-signature_fail", "invalid base64"},
      {"bundle-malformed-json_fail", "not valid JSON"},
      {"bundle-negative-log-index_fail", "negative"},
      {"bundle-unknown-version_fail", "not supported"},
      {"bundle-with-root-cert_fail", "root certificate"},
      {"checkpoint-bad-keyhint_fail", "key hint"},
      {"checkpoint-wrong-roothash_fail", "checkpoint: its root hash"},
      {"inclusion-proof-corrupted-hash_fail", "inclusion proof"},
      {"incorrect-public-key_fail", "Rekor entry: the logged certificate"},
      {"integrated-time-in-future_fail", "integrated time"},
      {"invalid-checkpoint-signature_fail", "checkpoint"},
      {"invalid-ct-key_fail", "SCT"},
      {"invalid-inclusion-proof_fail", "inclusion proof"},
      {"managed-key-no-key_fail", "managed key"},
      {"managed-key-wrong-key_fail", "--key"},
      {"message-digest-mismatch_fail", "message digest"},
      {"rekor2-checkpoint-missing-log-signature_fail", "checkpoint"},
      {"rekor2-checkpoint-missing-origin_fail", "checkpoint"},
      {"rekor2-checkpoint-missing-root-hash_fail", "checkpoint"},
      {"rekor2-checkpoint-missing-size_fail", "checkpoint"},
      {"rekor2-checkpoint-no-matching-signature_fail", "checkpoint"},
      {"rekor2-no-inclusion-proof_fail", "no inclusion proof"},
      {"rekor2-no-timestamp_fail", "no verified time source"},
      {"rekor2-timestamp-outside-trust-root-tsa-validity_fail", "timestamp"},
      {"rekor2-timestamp-outside-tsa-cert-validity_fail", "timestamp"},
      {"rekor2-timestamp-payload-mismatch_fail", "timestamp"},
      {"rekor2-timestamp-untrusted-tsa-with-embedded-cert_fail", "timestamp"},
      {"rekor2-timestamp-untrusted-tsa-without-embedded-cert_fail", "timestamp"},
      {"rekor2-timestamp-with-incorrect-time_fail", "outside the certificate's validity"},
      {"set-invalid-signature_fail", "signed entry timestamp"},
      {"signature-mismatch_fail", "signature"},
      {"trust-root-tlog-missing-validity-start_fail", "validFor.start is missing"},
      {"wrong-hashedrekord-artifact_fail", "artifact digest"},
      {"wrong-hashedrekord-cert-and-sig_fail", "Rekor entry"},
      {"wrong-hashedrekord-entry_fail", "Rekor entry"},
      {"wrong-material_fail", "artifact digest"},
  };
  return m;
}

struct CaseOutcome {
  int file_exit = -1;
  int digest_exit = -1;
  std::string file_err;
  std::string digest_err;
};

CaseOutcome run_case(const fs::path& dir) {
  std::vector<std::string> args{"verify-bundle", "--bundle", (dir / "bundle.sigstore.json").string()};
  if (fs::exists(dir / "key.pub")) {
    args.insert(args.end(), {"--key", (dir / "key.pub").string()});
  } else {
    std::string identity = fs::exists(dir / "identity") ? trim(slurp(dir / "identity")) : kDefaultIdentity;
    std::string issuer = fs::exists(dir / "issuer") ? trim(slurp(dir / "issuer")) : kDefaultIssuer;
    args.insert(args.end(), {"--certificate-identity", identity, "--certificate-oidc-issuer", issuer});
  }
  if (fs::exists(dir / "trusted_root.json"))
    args.insert(args.end(), {"--trusted-root", (dir / "trusted_root.json").string()});
  fs::path artifact = fs::exists(dir / "artifact") ? dir / "artifact" : dir.parent_path() / "a.txt";
  CaseOutcome o;
  auto with_file = args;
  with_file.push_back(artifact.string());
  auto r = run_kernels(with_file);
  o.file_exit = r.exit_code;
  o.file_err = r.err;
  auto with_digest = args;
  with_digest.push_back("sha256:" + kernels::sigstore::hex_encode(kernels::sigstore::sha256(slurp(artifact))));
  auto d = run_kernels(with_digest);
  o.digest_exit = d.exit_code;
  o.digest_err = d.err;
  return o;
}

}  // namespace

TEST_CASE("verify-bundle: the sigstore-conformance bundle-verify suite", "[cli][verify-bundle][conformance]") {
  const fs::path root = data_path("sigstore-conformance");
  std::vector<fs::path> cases;
  for (const auto& e : fs::directory_iterator(root)) {
    if (e.is_directory()) cases.push_back(e.path());
  }
  std::sort(cases.begin(), cases.end());
  REQUIRE(cases.size() == 70);

  int pass_cases = 0, passed = 0, fail_cases = 0, failed = 0, dsse = 0, dsse_refused = 0;
  for (const auto& dir : cases) {
    const std::string name = dir.filename().string();
    const bool must_fail = name.size() > 5 && name.compare(name.size() - 5, 5, "_fail") == 0;
    const bool is_dsse = slurp(dir / "bundle.sigstore.json").find("\"dsseEnvelope\"") != std::string::npos;
    INFO("case " << name);
    CaseOutcome o = run_case(dir);
    INFO("file: exit " << o.file_exit << ": " << o.file_err);
    INFO("digest: exit " << o.digest_exit << ": " << o.digest_err);
    if (is_dsse) {
      ++dsse;
      CHECK(o.file_exit == 1);
      CHECK(o.digest_exit == 1);
      CHECK(o.file_err.find("not supported") != std::string::npos);
      if (o.file_exit == 1 && o.file_err.find("not supported") != std::string::npos) ++dsse_refused;
    } else if (must_fail) {
      ++fail_cases;
      // A malformed trusted root or --key file is an input error (2); everything
      // else a failed verification (1).
      const int want =
          name == "trust-root-tlog-missing-validity-start_fail" || name == "managed-key-wrong-key_fail" ? 2 : 1;
      CHECK(o.file_exit == want);
      CHECK(o.digest_exit == want);
      auto reason = expected_reasons().find(name);
      REQUIRE(reason != expected_reasons().end());
      CHECK(o.file_err.find(reason->second) != std::string::npos);
      CHECK(o.digest_err.find(reason->second) != std::string::npos);
      if (o.file_exit == want && o.digest_exit == want) ++failed;
    } else {
      ++pass_cases;
      CHECK(o.file_exit == 0);
      CHECK(o.digest_exit == 0);
      if (o.file_exit == 0 && o.digest_exit == 0) ++passed;
    }
  }
  // 70 cases: 18 message-signature cases that must pass, 38 that must fail,
  // 14 DSSE (in-toto) cases this verifier refuses as not supported.
  CHECK(pass_cases == 18);
  CHECK(fail_cases == 38);
  CHECK(dsse == 14);
  CHECK(passed == pass_cases);
  CHECK(failed == fail_cases);
  CHECK(dsse_refused == dsse);
}
