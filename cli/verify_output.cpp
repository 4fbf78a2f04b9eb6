#include "cli/verify_output.hpp"
#include "util/terminal_text.hpp"

#include <cstdio>

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

nlohmann::ordered_json or_null(const std::string& s) { return s.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(s); }

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
      if (verbose)
        reason(std::string("digest: ") + lockfile::digest_algorithm_name(*v.digest_algorithm) + ", matches");
      break;
    case DigestStatus::Mismatch:
      for (const auto& d : v.digest_violations) reason("digest: " + d.text());
      break;
    case DigestStatus::NoMetadata:
      reason("digest: no metadata.json, so no digest to check (the lock hash was checked)");
      break;
    case DigestStatus::NoDigest:
      reason("digest: metadata.json has no digest (the lock hash was checked)");
      break;
    case DigestStatus::InvalidMetadata:
      reason("digest: invalid metadata.json: " + v.digest_message);
      break;
    case DigestStatus::Error:
    case DigestStatus::NotChecked:
      reason("digest: " + v.digest_message);
      break;
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
    item["signature"] = J{{"status", lockfile::signature_status_name(v.signature.status)},
                          {"detail", or_null(v.signature.detail)}};
    J violations = J::array();
    for (const auto& d : v.digest_violations) {
      J vj{{"kind", violation_kind(d.kind)}, {"path", or_null(d.path)}};
      vj["expected"] = or_null(d.expected);
      vj["actual"] = or_null(d.actual);
      vj["message"] = d.text();
      violations.push_back(vj);
    }
    item["digest"] = J{{"status", lockfile::digest_status_name(v.digest_status)},
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

}  // namespace kernels::cli
