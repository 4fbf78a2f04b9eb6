// What `kernels verify` prints: the human lines (one per variant, reasons
// indented under it, a summary) and the JSON document (format version 1,
// documented in kernels-verify(1)).
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "lockfile/verify.hpp"

namespace kernels::cli {

inline constexpr int kVerifyJsonVersion = 1;

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

}  // namespace kernels::cli
