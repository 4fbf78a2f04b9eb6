// What `kernels verify` and `kernels verify-signature` share: the signature
// options (--trusted-root, --identity, --issuer) and the verifier they
// build, and what each prints: for verify the human lines (one per variant,
// reasons indented under it, a summary) and the JSON document (format
// version 1, documented in kernels-verify(1)); for verify-signature
// Python's lines and its JSON document (version 1, kernels-verify-signature(1)).
#pragma once

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

#include "cli/json_output.hpp"
#include "lockfile/signature.hpp"
#include "lockfile/verify.hpp"
#include "lockfile/verify_variant.hpp"
#include "util/result.hpp"

namespace kernels::cli {

inline constexpr int kVerifyJsonVersion = kJsonVersion;  // one version for every command

struct VerifyContext {
  std::string lock_path;
  std::vector<std::string> cache_roots;
  bool all_variants = false;
  double seconds = 0;
};

// The lines for one variant: "ok        org/name torch-cpu", then for
// anything but ok, indented reasons ("    lock: ...", "    digest: ...").
// With `verbose`, ok variants get their directory and what was checked.
std::vector<std::string> human_lines(const lockfile::VariantReport& v, bool verbose);

// "4 variants: 2 ok, 1 without a digest, 1 mismatch (12 files, 3.4 MiB read in 0.20 s)".
std::string human_summary(const lockfile::VerifyReport& report, double seconds);

nlohmann::ordered_json verify_json(const lockfile::VerifyReport& report, const VerifyContext& context);

// --trusted-root FILE, --identity URI --issuer URL (each needing the other).
struct SignatureOptions {
  std::string trusted_root;      // "": the snapshot shipped in the binary
  std::string identity, issuer;  // empty: the kernels library's policy
};
void add_signature_options(CLI::App* cmd, SignatureOptions& options);

// The verifier those options ask for: the trusted root (shipped or FILE)
// and the identity policy (the kernels library's default, or --identity).
// Errors: the trusted root cannot be read.
Result<std::unique_ptr<lockfile::SignatureVerifier>> make_signature_verifier(const SignatureOptions& options);

// Help text on what the signature step checks and trusts, for footers.
extern const char* const kSignatureTrustHelp;

// `kernels verify-signature`: one variant's result as Python prints it
// ("✅ <v>: kernel metadata is correctly signed", "❌ <v>: ..." and the
// reason or violation lines under it).
std::vector<std::string> signature_check_lines(const std::string& variant, const lockfile::VariantVerification& v);

// Whether a result is left out by --filter-unsigned / --filter-no-digest
// (Python: SignatureBundleMissing; MetadataMissing and DigestMissing).
bool filtered_out(const lockfile::VariantVerification& v, bool filter_unsigned, bool filter_no_digest);

struct SignatureCheck {
  std::string variant;
  std::string path;  // the variant directory
  lockfile::VariantVerification result;
  bool filtered = false;
};

struct SignatureCheckContext {
  std::string repo_id;
  int kernel_version = 0;
  std::string revision;  // "v<N>"
  std::string commit;
  bool all_variants = false;
  std::vector<std::string> errors;  // download or listing failures, one line each
};

// {"version": 1, "repo_id", "kernel_version", "revision", "commit",
//  "all_variants", "ok", "summary": {"variants", "success", "failed", "filtered"},
//  "errors": [...], "variants": [{"variant", "path", "status", "reason",
//  "violations": [{"kind", "path", "expected", "actual", "message"}], "filtered"}]}
nlohmann::ordered_json verify_signature_json(const std::vector<SignatureCheck>& checks,
                                             const SignatureCheckContext& context);

}  // namespace kernels::cli
