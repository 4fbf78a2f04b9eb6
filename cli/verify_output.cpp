#include "cli/verify_output.hpp"

#include <cstdio>

#include "lockfile/sigstore_signature.hpp"
#include "sigstore/policy.hpp"
#include "sigstore/trusted_root.hpp"
#include "util/terminal_text.hpp"

namespace kernels::cli {
namespace {

using lockfile::DigestViolation;
using lockfile::VariantReport;
using Status = VariantReport::Status;
using DigestStatus = VariantReport::DigestStatus;

std::string label(Status s) {
  switch (s) {
    case Status::Ok: return "ok";
    case Status::NoDigest: return "no digest";
    case Status::Mismatch: return "mismatch";
    case Status::Missing: return "missing";
    case Status::Unlocked: return "unlocked";
  }
  return "?";
}

std::string pad(std::string s, std::size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

std::string human_bytes(std::uint64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, u == 0 ? "%.0f %s" : "%.1f %s", v, units[u]);
  return buf;
}

const char* violation_kind(DigestViolation::Kind k) {
  switch (k) {
    case DigestViolation::Kind::AlgorithmMismatch: return "algorithm-mismatch";
    case DigestViolation::Kind::MissingFile: return "missing-file";
    case DigestViolation::Kind::UnknownFile: return "unknown-file";
    case DigestViolation::Kind::HashMismatch: return "hash-mismatch";
  }
  return "?";
}

nlohmann::ordered_json or_null(const std::string& s) {
  return s.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(s);
}

nlohmann::ordered_json violation_json(const DigestViolation& d) {
  nlohmann::ordered_json vj{{"kind", violation_kind(d.kind)}, {"path", or_null(d.path)}};
  vj["expected"] = or_null(d.expected);
  vj["actual"] = or_null(d.actual);
  vj["message"] = d.text();
  return vj;
}

}  // namespace

std::vector<std::string> human_lines(const VariantReport& v, bool verbose) {
  std::vector<std::string> out;
  // Names and paths come from the lock, the cache and metadata.json: each
  // line is kept one line (a '\n' in a file name must not forge a line).
  std::string head = pad(label(v.status), 10) + one_line(v.repo_id, 200);
  if (!v.variant.empty()) head += " " + one_line(v.variant, 200);
  out.push_back(head);
  auto reason = [&](const std::string& text) { out.push_back("    " + one_line(text, 4096)); };
  if (v.status == Status::Missing || v.status == Status::Unlocked) {
    reason(v.missing);
    return out;
  }
  if (verbose) reason(v.dir);
  for (const auto& p : v.lock_problems) reason("lock: " + (p.path.empty() ? "" : p.path + ": ") + p.text);
  if (v.lock_problems.empty() && verbose)
    reason(v.expected_hash.empty() ? std::string("lock: no variant hash (kernels-data); files match their blobs")
                                   : "lock: " + v.expected_hash + " matches");
  // An unsigned variant is worth a line only when that failed it (--signatures) or with -v.
  bool quiet_unsigned = v.signature.status == lockfile::SignatureResult::Status::BundleMissing && !verbose &&
                        (v.status == Status::Ok || v.status == Status::NoDigest);
  if (v.signature.status != lockfile::SignatureResult::Status::NotChecked && !quiet_unsigned)
    reason(std::string("signature: ") + lockfile::signature_status_name(v.signature.status) +
           (v.signature.detail.empty() ? "" : ": " + v.signature.detail));
  switch (v.digest_status) {
    case DigestStatus::Ok:
      if (verbose) reason(std::string("digest: ") + lockfile::digest_algorithm_name(*v.digest_algorithm) + ", matches");
      break;
    case DigestStatus::Mismatch:
      for (const auto& d : v.digest_violations) reason("digest: " + d.text());
      break;
    case DigestStatus::NoMetadata:
      reason("digest: no metadata.json, so no digest to check (the lock hash was checked)");
      break;
    case DigestStatus::NoDigest: reason("digest: metadata.json has no digest (the lock hash was checked)"); break;
    case DigestStatus::InvalidMetadata: reason("digest: invalid metadata.json: " + v.digest_message); break;
    case DigestStatus::Error:
    case DigestStatus::NotChecked: reason("digest: " + v.digest_message); break;
  }
  return out;
}

std::string human_summary(const lockfile::VerifyReport& report, double seconds) {
  std::size_t n = report.variants.size();
  std::string out = std::to_string(n) + (n == 1 ? " variant: " : " variants: ");
  std::string parts;
  auto part = [&](Status s, const char* words) {
    if (std::size_t c = report.count(s)) parts += (parts.empty() ? "" : ", ") + std::to_string(c) + " " + words;
  };
  part(Status::Ok, "ok");
  part(Status::NoDigest, "without a digest");
  part(Status::Mismatch, "mismatch");
  part(Status::Missing, "missing");
  part(Status::Unlocked, "unlocked");
  if (parts.empty()) parts = "none checked";
  std::size_t files = 0;
  for (const auto& v : report.variants) files += v.files;
  char time[32];
  std::snprintf(time, sizeof time, "%.2f s", seconds);
  return out + parts + " (" + std::to_string(files) + (files == 1 ? " file, " : " files, ") +
         human_bytes(report.bytes()) + " read in " + time + ")";
}

nlohmann::ordered_json verify_json(const lockfile::VerifyReport& report, const VerifyContext& context) {
  using J = nlohmann::ordered_json;
  J out;
  out["version"] = kVerifyJsonVersion;
  out["lock_file"] = context.lock_path;
  out["cache"] = context.cache_roots;
  out["all_variants"] = context.all_variants;
  out["ok"] = report.ok();
  std::size_t files = 0;
  for (const auto& v : report.variants) files += v.files;
  out["summary"] = J{{"variants", report.variants.size()},
                     {"ok", report.count(Status::Ok)},
                     {"no_digest", report.count(Status::NoDigest)},
                     {"mismatch", report.count(Status::Mismatch)},
                     {"missing", report.count(Status::Missing)},
                     {"unlocked", report.count(Status::Unlocked)},
                     {"files", files},
                     {"bytes", report.bytes()}};
  J variants = J::array();
  for (const auto& v : report.variants) {
    J item;
    item["repo_id"] = v.repo_id;
    item["sha"] = v.sha;
    item["variant"] = or_null(v.variant);
    item["status"] = lockfile::status_name(v.status);
    item["path"] = or_null(v.dir);
    item["reason"] = or_null(v.missing);
    J problems = J::array();
    for (const auto& p : v.lock_problems) problems.push_back(J{{"path", or_null(p.path)}, {"message", p.text}});
    item["lock"] = J{{"expected", or_null(v.expected_hash)},
                     {"actual", v.actual_hash ? J(*v.actual_hash) : J(nullptr)},
                     {"problems", problems}};
    item["signature"] =
        J{{"status", lockfile::signature_status_name(v.signature.status)}, {"detail", or_null(v.signature.detail)}};
    J violations = J::array();
    for (const auto& d : v.digest_violations) violations.push_back(violation_json(d));
    item["digest"] =
        J{{"status", lockfile::digest_status_name(v.digest_status)},
          {"algorithm", v.digest_algorithm ? J(lockfile::digest_algorithm_name(*v.digest_algorithm)) : J(nullptr)},
          {"violations", violations},
          {"message", or_null(v.digest_message)}};
    item["files"] = v.files;
    item["bytes"] = v.bytes;
    variants.push_back(std::move(item));
  }
  out["variants"] = std::move(variants);
  return out;
}

const char* const kSignatureTrustHelp =
    R"(What is trusted: the Sigstore public-good trusted root shipped in this binary, a copy of
the trusted_root.json that sigstore-python 27db13db ships (2026-08-19: Fulcio CAs, Rekor
logs, CT logs, the timestamp authority, each valid for its interval), or --trusted-root
FILE (a newer one from https://tuf-repo-cdn.sigstore.dev). Nothing is fetched: there is
no TUF refresh, so a key Sigstore rotated in after that date needs --trusted-root. The
identity: by default the kernels library's policy (GitHub Actions OIDC issuer, source
repository huggingface/kernels-community, one of its build, build-mac, build-windows or
sign-old-builds workflows at refs/heads/main); --identity URI --issuer URL accepts
another signer (the certificate's SAN and OIDC issuer) instead.)";

void add_signature_options(CLI::App* cmd, SignatureOptions& options) {
  cmd->add_option("--trusted-root", options.trusted_root,
                  "Sigstore trusted_root.json to verify against (default: the snapshot in this binary)")
      ->option_text("FILE");
  auto* identity = cmd->add_option("--identity", options.identity,
                                   "Accept signatures whose certificate names this identity (SAN) instead of "
                                   "the kernels library's policy")
                       ->option_text("URI");
  auto* issuer =
      cmd->add_option("--issuer", options.issuer, "The OIDC issuer that goes with --identity")->option_text("URL");
  identity->needs(issuer);
  issuer->needs(identity);
}

Result<std::unique_ptr<lockfile::SignatureVerifier>> make_signature_verifier(const SignatureOptions& options) {
  auto root = sigstore::load_trusted_root(options.trusted_root);
  if (!root.ok()) return root.error();
  sigstore::Policy policy = options.identity.empty() ? sigstore::kernels_default_policy()
                                                     : sigstore::identity_policy(options.identity, options.issuer);
  return std::unique_ptr<lockfile::SignatureVerifier>(
      std::make_unique<lockfile::SigstoreSignatureVerifier>(std::move(*root), std::move(policy)));
}

std::vector<std::string> signature_check_lines(const std::string& variant, const lockfile::VariantVerification& v) {
  using K = lockfile::VariantVerification::Kind;
  // The variant is a directory name from the Hub, the reasons quote bundle
  // and metadata text: each printed line stays one line.
  const std::string name = one_line(variant, 200);
  const std::string bad = "\u274c " + name + ": ";
  std::vector<std::string> out;
  auto with_reason = [&](const std::string& head) {
    out.push_back(bad + head + ":");
    out.push_back(one_line(v.reason, 4096));
  };
  switch (v.kind) {
    case K::Success: out.push_back("\u2705 " + name + ": kernel metadata is correctly signed"); break;
    case K::SignatureBundleMissing: out.push_back(bad + "cannot verify kernel integrity, signature not found"); break;
    case K::SignatureBundleInvalid: with_reason("cannot verify kernel integrity, invalid signature bundle"); break;
    case K::MetadataInvalid: with_reason("cannot verify kernel integrity, invalid metadata"); break;
    case K::MetadataMissing:
    case K::DigestMissing:
      out.push_back(bad + "cannot verify kernel integrity, metadata does not have a digest");
      break;
    case K::DigestVerificationFailure:
      out.push_back(bad + "kernel integrity check failed");
      for (const auto& d : v.violations) out.push_back(one_line(d.text(), 4096));
      if (v.violations.empty() && !v.reason.empty()) out.push_back(one_line(v.reason, 4096));
      break;
    case K::SignatureVerificationFailure: with_reason("metadata signature verification failed"); break;
  }
  return out;
}

bool filtered_out(const lockfile::VariantVerification& v, bool filter_unsigned, bool filter_no_digest) {
  using K = lockfile::VariantVerification::Kind;
  if (v.kind == K::SignatureBundleMissing) return filter_unsigned;
  if (v.kind == K::MetadataMissing || v.kind == K::DigestMissing) return filter_no_digest;
  return false;
}

nlohmann::ordered_json verify_signature_json(const std::vector<SignatureCheck>& checks,
                                             const SignatureCheckContext& context) {
  using J = nlohmann::ordered_json;
  using K = lockfile::VariantVerification::Kind;
  std::size_t success = 0, failed = 0, filtered = 0;
  J variants = J::array();
  for (const auto& c : checks) {
    if (c.filtered) ++filtered;
    else if (c.result.kind == K::Success) ++success;
    else ++failed;
    J item;
    item["variant"] = c.variant;
    item["path"] = or_null(c.path);
    item["status"] = lockfile::verification_kind_name(c.result.kind);
    item["reason"] = or_null(c.result.reason);
    J violations = J::array();
    for (const auto& d : c.result.violations) violations.push_back(violation_json(d));
    item["violations"] = std::move(violations);
    item["filtered"] = c.filtered;
    variants.push_back(std::move(item));
  }
  J out;
  out["version"] = kVerifyJsonVersion;
  out["repo_id"] = context.repo_id;
  out["kernel_version"] = context.kernel_version;
  out["revision"] = context.revision;
  out["commit"] = or_null(context.commit);
  out["all_variants"] = context.all_variants;
  out["ok"] = failed == 0 && context.errors.empty();
  out["summary"] = J{{"variants", checks.size()}, {"success", success}, {"failed", failed}, {"filtered", filtered}};
  out["errors"] = context.errors;
  out["variants"] = std::move(variants);
  return out;
}

}  // namespace kernels::cli
