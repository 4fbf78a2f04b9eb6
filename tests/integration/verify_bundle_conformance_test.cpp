// sigstore-conformance's bundle-verify cases (tests/data/sigstore-conformance,
// see its SOURCE), driven through `kernels verify-bundle` exactly as the
// suite's CLI protocol does: once with the artifact file and once with its
// `sha256:` digest, --key when the case has key.pub, --trusted-root when it
// has trusted_root.json, identity/issuer from the case or the defaults. Then
// the output formats: the default (human) output that the protocol reads, and
// the --format json document (kernels-verify-bundle(1), JSON OUTPUT).
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "sigstore/encoding.hpp"
#include "tests/support/process.hpp"

namespace fs = std::filesystem;
using kernels::test::data_path;
using kernels::test::run_kernels;
using kernels::test::TempDir;

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

// ---------------------------------------------------------------- --format

namespace {

// The arguments of a keyless case, for the default identity and issuer.
std::vector<std::string> keyless_args(const std::string& case_name, const std::string& format) {
  const fs::path root = data_path("sigstore-conformance");
  std::vector<std::string> args{"verify-bundle"};
  if (!format.empty()) args.insert(args.end(), {"--format", format});
  args.insert(args.end(), {"--bundle", (root / case_name / "bundle.sigstore.json").string(), "--certificate-identity",
                           kDefaultIdentity, "--certificate-oidc-issuer", kDefaultIssuer, (root / "a.txt").string()});
  return args;
}

std::vector<std::string> member_names(const nlohmann::ordered_json& doc) {
  std::vector<std::string> names;
  for (const auto& item : doc.items()) names.push_back(item.key());
  return names;
}

const std::vector<std::string> kMembers{"version", "command", "artifact", "bundle", "ok",
                                        "error",   "signer",  "times",    "log"};

}  // namespace

TEST_CASE("verify-bundle: human output, the default, is the protocol's and --format human the same",
          "[cli][verify-bundle]") {
  const std::string a_txt = data_path("sigstore-conformance/a.txt");
  auto r = run_kernels(keyless_args("happy-path-v0.3", ""));
  REQUIRE(r.exit_code == 0);
  CHECK(r.out == "OK: " + a_txt + "\n  signer: " + kDefaultIdentity + "\n  issuer: " + kDefaultIssuer +
                     "\n  signed before: 2024-03-19T17:26:26Z (Rekor integrated time)\n"
                     "  log: https://rekor.sigstore.dev entry 79571823 (hashedrekord 0.0.1)\n");
  CHECK(r.err.empty());
  auto human = run_kernels(keyless_args("happy-path-v0.3", "human"));
  CHECK(human.exit_code == 0);
  CHECK(human.out == r.out);
  auto failed = run_kernels(keyless_args("signature-mismatch_fail", ""));
  CHECK(failed.exit_code == 1);
  CHECK(failed.out.empty());
  CHECK_THAT(failed.err, Catch::StartsWith("error: kernels verify-bundle: transparency log: Rekor entry: "));
}

TEST_CASE("verify-bundle --format json: a keyless bundle that verifies", "[cli][verify-bundle][json]") {
  auto r = run_kernels(keyless_args("happy-path-v0.3", "json"));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.err.empty());
  auto doc = nlohmann::ordered_json::parse(r.out);
  CHECK(member_names(doc) == kMembers);
  CHECK(doc["version"] == 1);
  CHECK(doc["command"] == "verify-bundle");
  CHECK(doc["artifact"] == data_path("sigstore-conformance/a.txt"));
  CHECK(doc["bundle"] == data_path("sigstore-conformance/happy-path-v0.3/bundle.sigstore.json"));
  CHECK(doc["ok"] == true);
  CHECK(doc["error"].is_null());
  CHECK(doc["signer"] ==
        nlohmann::ordered_json({{"kind", "certificate"}, {"identity", kDefaultIdentity}, {"issuer", kDefaultIssuer}}));
  CHECK(doc["times"] ==
        nlohmann::ordered_json::parse(R"([{"source": "Rekor integrated time", "time": "2024-03-19T17:26:26Z"}])"));
  CHECK(doc["log"] ==
        nlohmann::ordered_json::parse(
            R"({"url": "https://rekor.sigstore.dev", "index": 79571823, "entry_kind": "hashedrekord 0.0.1"})"));
}

TEST_CASE("verify-bundle --format json: a managed-key bundle with an RFC 3161 timestamp, by digest",
          "[cli][verify-bundle][json]") {
  const fs::path dir = data_path("sigstore-conformance/managed-key-happy-path");
  const std::string digest = "sha256:" + kernels::sigstore::hex_encode(
                                             kernels::sigstore::sha256(slurp(data_path("sigstore-conformance/a.txt"))));
  auto r = run_kernels({"verify-bundle", "--bundle", (dir / "bundle.sigstore.json").string(), "--key",
                        (dir / "key.pub").string(), "--format", "json", digest});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  auto doc = nlohmann::ordered_json::parse(r.out);
  CHECK(member_names(doc) == kMembers);
  CHECK(doc["artifact"] == digest);
  CHECK(doc["signer"] == nlohmann::ordered_json({{"kind", "key"}, {"key", (dir / "key.pub").string()}}));
  REQUIRE(doc["times"].size() == 2);
  CHECK(doc["times"][0]["source"] == "Rekor integrated time");
  CHECK(doc["times"][1]["source"] == "RFC 3161 timestamp");
  CHECK(doc["times"][1]["time"] == "2025-12-18T17:04:39Z");
  CHECK(doc["log"]["index"] == 771488337);
}

TEST_CASE("verify-bundle --format json: a bundle that does not verify is a document too, exit 1",
          "[cli][verify-bundle][json]") {
  auto r = run_kernels(keyless_args("signature-mismatch_fail", "json"));
  CHECK(r.exit_code == 1);
  auto doc = nlohmann::ordered_json::parse(r.out);
  CHECK(member_names(doc) == kMembers);
  CHECK(doc["ok"] == false);
  CHECK(doc["error"]["code"] == "rekor_body");
  CHECK_THAT(doc["error"]["message"].get<std::string>(), Catch::StartsWith("transparency log: Rekor entry: "));
  CHECK(doc["signer"].is_null());
  CHECK(doc["times"] == nlohmann::ordered_json::array());
  CHECK(doc["log"].is_null());
  // The reason is on stderr as well, as with human output.
  CHECK(r.err == "error: kernels verify-bundle: " + doc["error"]["message"].get<std::string>() + "\n");
}

TEST_CASE("verify-bundle --format: an input error prints no document, a bad value says what is allowed",
          "[cli][verify-bundle][json]") {
  TempDir dir;
  auto args = keyless_args("happy-path-v0.3", "json");
  args[4] = dir.path() + "/missing.sigstore.json";  // --bundle's value
  auto missing = run_kernels(args);
  CHECK(missing.exit_code == 2);
  CHECK(missing.out.empty());
  CHECK_THAT(missing.err, Catch::Contains("missing.sigstore.json"));
  auto bad = run_kernels(keyless_args("happy-path-v0.3", "xml"));
  CHECK(bad.exit_code == 2);
  CHECK(bad.out.empty());
  CHECK_THAT(bad.err, Catch::Contains("human") && Catch::Contains("json"));
}
