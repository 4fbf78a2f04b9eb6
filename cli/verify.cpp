// `kernels verify [PROJECT_DIR] [--all-variants] [--format human|json]
// [--jobs N] [--signatures | --no-signatures] [--filter-unsigned]
// [--filter-no-digest] [--trusted-root FILE] [--identity URI --issuer URL]`: offline, re-hash the cached copies of the
// kernels that kernels.lock pins and compare them with the lock and with each variant's metadata.json digest
// (lockfile/verify).
#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>

#include "cli/commands.hpp"
#include "cli/json_output.hpp"
#include "cli/exit_codes.hpp"
#include "cli/report.hpp"
#include "cli/term.hpp"
#include "cli/verify_output.hpp"
#include "hub/config.hpp"
#include "hub/hf_cache.hpp"
#include "lockfile/reader.hpp"
#include "lockfile/verify.hpp"
#include "util/parallel.hpp"

namespace kernels::cli {
namespace {

constexpr const char* kFooter = R"(Reads PROJECT_DIR/kernels.lock (default: the current directory) and checks, with no
network, the copy of each locked kernel in the Hugging Face cache (KERNELS_CACHE, then
HF_HUB_CACHE or HF_HOME/hub; kernels--org--name and legacy models--org--name folders),
under snapshots/<sha>/build/<variant>/. For each variant, in order:

  1. lock: every file must be a link into blobs/ whose bytes hash to the blob's
     name (git blob SHA-1 or LFS SHA-256), and the git_lfs_concat hash of those
     hashes must equal the variant's hash in kernels.lock;
  2. signature: metadata.json.sigstore, a Sigstore bundle, is verified over the raw
     bytes of metadata.json, offline, from the trusted root shipped in this binary
     (or --trusted-root FILE): the Rekor entry and its inclusion proof, the signing
     time, the Fulcio chain at that time, the SCT, and the identity: by default the
     kernels library's policy (signed by kernels-community's GitHub workflows), or
     --identity URI --issuer URL. A signature that does not verify fails the variant
     and its digest is not trusted (not checked). An unsigned variant passes, unless
     --signatures; --no-signatures skips this step;
  3. digest: when metadata.json has a "digest", every file is hashed as
     kernels-data does (SHA-256 or SHA-512) and compared with it.

Each file is read once, for every hash it needs, with --jobs files at once. A variant
whose metadata.json has no digest is reported as "no digest": its lock hash was
checked, but there is nothing to check its files against beyond the lock.

Without --all-variants, the variants checked are those of the lock that are in the
cache, and an entry with none of them cached is "missing"; with it, every variant of
the lock is checked and each one not cached is "missing". A build/torch* directory of
a locked commit that the lock does not list is "unlocked".

Examples:
  kernels verify                         # ./kernels.lock against the cache
  kernels verify path/to/project --all-variants
  kernels verify --signatures            # every variant must carry a valid signature
  kernels verify --filter-unsigned --filter-no-digest   # only signed variants with a digest
  kernels verify --format json | jq '.variants[] | select(.status != "ok")'
  KERNELS_CACHE=/data/kernels kernels verify --jobs 4
)";

constexpr const char* kFilterHelp = R"(
Filters, as in Python's `kernels verify-signature`: --filter-unsigned leaves out the
variants that have no metadata.json.sigstore, --filter-no-digest those whose metadata.json
has no digest (or that have none); either is then neither printed nor counted, nor a
failure. Only a variant that passed every check it had is left out: a lock or digest
mismatch is reported whatever the filters, so deleting a bundle cannot hide a changed
file. --filter-unsigned cannot be combined with --signatures (which makes an unsigned
variant a failure) nor with --no-signatures (which does not look for bundles).)";

constexpr const char* kExitStatus = R"(
Exit status: 0 every variant checked is ok (or has no digest), 1 a variant does not
match or is missing, 2 usage or I/O error (no kernels.lock, an unreadable lock).)";

struct Options {
  std::string project_dir;
  bool all_variants = false;
  std::string format = "human";
  std::size_t jobs = 0;  // 0: the core count
  bool require_signatures = false;
  bool no_signatures = false;
  bool filter_unsigned = false;
  bool filter_no_digest = false;
  SignatureOptions signature;
};

// --filter-unsigned / --filter-no-digest: a variant that passed every check
// it had (status ok or no digest) but has no signature, or no digest, is
// left out. A variant with a failed lock or digest check never is.
bool left_out(const lockfile::VariantReport& v, const Options& o) {
  using S = lockfile::VariantReport::Status;
  if (o.filter_no_digest && v.status == S::NoDigest) return true;
  return o.filter_unsigned && v.signature.status == lockfile::SignatureResult::Status::BundleMissing &&
         (v.status == S::Ok || v.status == S::NoDigest);
}

void error_line(const std::string& message) { report_error("verify", message); }

Style style_for(lockfile::VariantReport::Status s) {
  using S = lockfile::VariantReport::Status;
  switch (s) {
    case S::Ok: return Style::Green;
    case S::NoDigest: return Style::Yellow;
    default: return Style::BoldRed;
  }
}

int run_verify(const Options& o) {
  const Terminal& term = terminal();
  std::string dir = o.project_dir.empty() ? "." : o.project_dir;
  std::string lock_path = (std::filesystem::path(dir) / "kernels.lock").string();
  std::error_code ec;
  if (!std::filesystem::exists(lock_path, ec)) {
    error_line("no kernels.lock in " + dir + " (looked for " + lock_path + "); run `kernels lock` first");
    return kExitUsage;
  }
  auto lock = lockfile::read_lock(lock_path);
  if (!lock.ok()) {
    return report_error("verify", lock.error());
  }
  auto config = hub::load_hub_config(hub::process_env());
  if (!config.ok()) {
    return report_error("verify", config.error());
  }
  std::vector<std::string> roots{config->kernels_cache};
  if (config->hub_cache != config->kernels_cache) roots.push_back(config->hub_cache);
  hub::HfCache cache(roots, hub::RepoType::Kernel);

  lockfile::VerifyOptions options;
  std::unique_ptr<lockfile::SignatureVerifier> verifier;
  if (!o.no_signatures) {
    auto made = make_signature_verifier(o.signature);
    if (!made.ok()) {
      return report_error("verify", made.error());
    }
    verifier = std::move(*made);
    options.signature_verifier = verifier.get();
    options.require_signature = o.require_signatures;
  }
  options.all_variants = o.all_variants;
  options.jobs = o.jobs == 0 ? hardware_jobs() : o.jobs;
  auto started = std::chrono::steady_clock::now();
  auto report = lockfile::verify_lock(*lock, cache, options);
  if (!report.ok()) {
    error_line(lock_path + ": " + report.error().message);
    return kExitUsage;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::size_t filtered = 0;
  if (o.filter_unsigned || o.filter_no_digest) {
    std::vector<lockfile::VariantReport> kept;
    for (auto& v : report->variants) {
      if (left_out(v, o)) ++filtered;
      else kept.push_back(std::move(v));
    }
    report->variants = std::move(kept);
  }

  if (o.format == "json") {
    VerifyContext context{lock_path, roots, o.all_variants, seconds};
    auto doc = verify_json(*report, context);
    doc["filtered"] = filtered;
    print_json(doc);
  } else {
    for (const auto& v : report->variants) {
      auto lines = human_lines(v, term.verbosity > 0);
      std::string word = lines[0].substr(0, 10);
      std::cout << paint(term.color_stdout, style_for(v.status), word) << lines[0].substr(10) << "\n";
      for (std::size_t i = 1; i < lines.size(); ++i) std::cout << lines[i] << "\n";
    }
    if (report->variants.empty() && filtered == 0) std::cout << lock_path << " locks no kernels\n";
    std::cout << human_summary(*report, seconds);
    if (filtered > 0)
      std::cout << "; " << filtered << (filtered == 1 ? " variant" : " variants") << " left out by "
                << (o.filter_unsigned && o.filter_no_digest ? "--filter-unsigned/--filter-no-digest"
                    : o.filter_unsigned                     ? "--filter-unsigned"
                                                            : "--filter-no-digest");
    std::cout << "\n";
  }
  return report->ok() ? kExitOk : kExitProblems;
}

}  // namespace

void register_verify(CLI::App& app, int* exit_code) {
  CLI::App* cmd =
      app.add_subcommand("verify", "Check cached kernels against kernels.lock and their metadata digests, offline");
  auto o = std::make_shared<Options>();
  cmd->add_option("project_dir", o->project_dir, "Directory holding kernels.lock (default: .)")
      ->option_text("PROJECT_DIR");
  cmd->add_flag("--all-variants", o->all_variants, "Check every variant of the lock; those not cached are missing");
  cmd->add_option("--format", o->format, "Output: human (default) or json")
      ->check(CLI::IsMember({"human", "json"}))
      ->option_text("human|json");
  cmd->add_option("--jobs,-j", o->jobs, "Files hashed at once (default: the number of cores)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{256}))
      ->option_text("N");
  auto* sig =
      cmd->add_flag("--signatures", o->require_signatures, "Require a valid signature: an unsigned variant fails");
  cmd->add_flag("--no-signatures", o->no_signatures, "Skip the signature step")->excludes(sig);
  auto* unsigned_filter = cmd->add_flag(
      "--filter-unsigned", o->filter_unsigned,
      "Leave out variants without metadata.json.sigstore that pass every other check (not with --signatures)");
  unsigned_filter->excludes(sig);
  unsigned_filter->excludes("--no-signatures");
  cmd->add_flag("--filter-no-digest", o->filter_no_digest,
                "Leave out variants whose metadata.json has no digest (or that have no metadata.json) and "
                "that pass every other check");
  add_signature_options(cmd, o->signature);
  cmd->footer(std::string(kFooter) + "\n" + kSignatureTrustHelp + "\n" + kFilterHelp + kExitStatus);
  cmd->callback([=] { *exit_code = run_verify(*o); });
}

}  // namespace kernels::cli
