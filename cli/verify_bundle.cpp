// `kernels verify-bundle`: verify one artifact against one Sigstore bundle,
// offline, with the arguments of sigstore-conformance's CLI protocol
// (verify side).
#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/format_option.hpp"
#include "cli/json_output.hpp"
#include "cli/report.hpp"
#include "cli/term.hpp"
#include "sigstore/crypto.hpp"
#include "sigstore/encoding.hpp"
#include "sigstore/verifier.hpp"
#include "util/file.hpp"

namespace kernels::cli {

namespace {

struct VerifyBundleOptions {
  std::string bundle;
  std::string identity;
  std::string issuer;
  std::string key;
  std::string trusted_root;
  bool staging = false;
  std::string artifact;
  std::string format = "human";
};

constexpr std::size_t kMaxArtifactBytes = 256u << 20;

void report(const std::string& message) { report_error("verify-bundle", message); }

// "sha256:<64 hex>" that is not a path on disk, as the protocol says.
std::optional<sigstore::Bytes> as_digest(const std::string& arg) {
  if (arg.rfind("sha256:", 0) != 0 || arg.size() != 7 + 64) return std::nullopt;
  std::error_code ec;
  if (std::filesystem::exists(arg, ec)) return std::nullopt;
  auto d = sigstore::hex_decode(arg.substr(7));
  if (!d.ok()) return std::nullopt;
  return *d;
}

// The --format json document (kernels-verify-bundle(1), JSON OUTPUT): the
// outcome of a verification that ran, whichever way it went.
nlohmann::ordered_json verify_bundle_json(const VerifyBundleOptions& o, const Result<sigstore::Verified>& verified) {
  using ojson = nlohmann::ordered_json;
  ojson doc = json_document();
  doc["command"] = "verify-bundle";
  doc["artifact"] = o.artifact;
  doc["bundle"] = o.bundle;
  doc["ok"] = verified.ok();
  if (!verified.ok()) {
    doc["error"] = {{"code", error_code_name(verified.error().code)}, {"message", verified.error().message}};
    doc["signer"] = nullptr;
    doc["times"] = ojson::array();
    doc["log"] = nullptr;
    return doc;
  }
  const sigstore::Verified& v = *verified;
  doc["error"] = nullptr;
  if (v.managed_key) {
    doc["signer"] = {{"kind", "key"}, {"key", o.key}};
  } else {
    doc["signer"] = {{"kind", "certificate"},
                     {"identity", v.subject_alternative_names.empty() ? "" : v.subject_alternative_names.front()},
                     {"issuer", v.issuer}};
  }
  ojson times = ojson::array();
  for (const auto& t : v.times) times.push_back({{"source", t.source}, {"time", sigstore::format_rfc3339(t.seconds)}});
  doc["times"] = std::move(times);
  doc["log"] = {{"url", v.log_url}, {"index", v.log_index}, {"entry_kind", v.entry_kind}};
  return doc;
}

int run_verify_bundle(const VerifyBundleOptions& o) {
  if (o.key.empty() && (o.identity.empty() || o.issuer.empty())) {
    report("give --certificate-identity and --certificate-oidc-issuer, or --key");
    return kExitUsage;
  }
  if (o.staging && o.trusted_root.empty()) {
    report("--staging: the staging trusted root is not shipped; pass it with --trusted-root FILE");
    return kExitUsage;
  }
  auto bundle = read_file(o.bundle, sigstore::kMaxBundleBytes);
  if (!bundle.ok()) {
    return report_error("verify-bundle", bundle.error());
  }
  auto root = sigstore::load_trusted_root(o.trusted_root);
  if (!root.ok()) {
    return report_error("verify-bundle", root.error());
  }
  sigstore::Policy policy;
  if (!o.key.empty()) {
    auto pem = read_file(o.key, 64u << 10);
    if (!pem.ok()) {
      return report_error("verify-bundle", pem.error());
    }
    if (auto key = sigstore::public_key_from_pem(*pem); !key.ok()) {
      report("--key " + o.key + ": " + key.error().message);
      return kExitUsage;
    }
    policy = sigstore::managed_key_policy(*pem);
  } else {
    policy = sigstore::identity_policy(o.identity, o.issuer);
  }

  Result<sigstore::Verified> verified = Error{ErrorCode::internal, ""};
  if (auto digest = as_digest(o.artifact)) {
    verified = sigstore::verify_artifact_digest(*digest, *bundle, policy, *root);
  } else {
    auto artifact = read_file(o.artifact, kMaxArtifactBytes);
    if (!artifact.ok()) {
      return report_error("verify-bundle", artifact.error());
    }
    verified = sigstore::verify_artifact(*artifact, *bundle, policy, *root);
  }
  // The bundle is what is being verified: whatever is wrong with it (a
  // malformed certificate chain as much as a bad signature) fails the
  // verification, exit 1, as the sigstore-conformance protocol expects.
  // The reason goes to stderr with either format; json also carries it.
  if (o.format == "json") print_json(verify_bundle_json(o, verified));
  if (!verified.ok()) {
    report_error("verify-bundle", verified.error());
    return kExitProblems;
  }
  if (o.format == "json") return kExitOk;
  const auto& v = *verified;
  std::cout << "OK: " << o.artifact << "\n";
  if (!v.managed_key) {
    std::cout << "  signer: " << (v.subject_alternative_names.empty() ? "" : v.subject_alternative_names.front())
              << "\n  issuer: " << v.issuer << "\n";
  } else {
    std::cout << "  signer: the managed key " << o.key << "\n";
  }
  for (const auto& t : v.times) {
    std::cout << "  signed before: " << sigstore::format_rfc3339(t.seconds) << " (" << t.source << ")\n";
  }
  std::cout << "  log: " << v.log_url << " entry " << v.log_index << " (" << v.entry_kind << ")\n";
  return kExitOk;
}

}  // namespace

void register_verify_bundle(CLI::App& app, int* exit_code) {
  CLI::App* cmd = app.add_subcommand("verify-bundle", "Verify a file against a Sigstore bundle, offline");
  auto o = std::make_shared<VerifyBundleOptions>();
  cmd->add_flag("--staging", o->staging, "Sigstore staging: needs --trusted-root with the staging root");
  cmd->add_option("--bundle", o->bundle, "The Sigstore bundle (JSON), e.g. metadata.json.sigstore")->required();
  auto* identity = cmd->add_option("--certificate-identity", o->identity,
                                   "Expected signer: the certificate's subject alternative name (URI or email)");
  auto* issuer = cmd->add_option("--certificate-oidc-issuer", o->issuer,
                                 "Expected OIDC issuer, e.g. https://token.actions.githubusercontent.com");
  auto* key = cmd->add_option("--key", o->key, "PEM public key of a managed-key (certificate-less) bundle");
  identity->needs(issuer);
  issuer->needs(identity);
  key->excludes(identity)->excludes(issuer);
  cmd->add_option("--trusted-root", o->trusted_root,
                  "trusted_root.json to use instead of the shipped Sigstore production root");
  cmd->add_option("FILE_OR_DIGEST", o->artifact, "The signed file, or sha256:<64 hex digits>")->required();
  add_format_option(
      cmd, o->format, false,
      "{version, command, artifact, bundle, ok, error: {code, message}, signer: {kind, identity, issuer | "
      "key}, times: [{source, time}], log: {url, index, entry_kind}}");
  cmd->footer(
      "Checks, with no network: the bundle's Rekor entry (inclusion proof against a signed\n"
      "checkpoint, signed entry timestamp, hashedrekord body), RFC 3161 timestamps, the Fulcio\n"
      "certificate chain at the signing time, its embedded SCT, key usage and the identity, and\n"
      "the signature over the file. DSSE (in-toto) bundles are refused as not supported.\n\n"
      "Examples:\n"
      "  kernels verify-bundle --bundle metadata.json.sigstore \\\n"
      "    --certificate-identity "
      "https://github.com/huggingface/kernels-community/.github/workflows/build.yaml@refs/heads/main \\\n"
      "    --certificate-oidc-issuer https://token.actions.githubusercontent.com metadata.json\n"
      "  kernels verify-bundle --bundle a.sigstore.json --key key.pub a.txt\n"
      "  kernels verify-bundle --bundle a.sigstore.json --key key.pub --trusted-root trusted_root.json \\\n"
      "    sha256:a0cfc71271d6e278e57cd332ff957c3f7043fdda354c4cbb190a30d56efa01bf\n\n"
      "--format json prints one document on stdout instead, verified or not (the reason also in its\n"
      "error member).\n"
      "Exit status: 0 verified, 1 not verified (the reason is printed), 2 usage or unreadable input.");
  cmd->callback([=] { *exit_code = run_verify_bundle(*o); });
}

}  // namespace kernels::cli
