// `kernels verify-signature REPO_ID VERSION [--all-variants]
// [--filter-unsigned] [--filter-no-digest]`: Python's command of that name.
// The revision is the commit of branch v<VERSION>; the variant this machine
// prefers (or, with --all-variants, every variant) is installed into the HF
// cache by the download code `kernels download` uses (files hash-checked
// against the Hub's listing), then each variant directory is checked as
// Python's verify_variant checks it (lockfile/verify_variant) and reported
// with Python's lines.
#include <algorithm>
#include <iostream>
#include <memory>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/download_choice.hpp"
#include "cli/exit_codes.hpp"
#include "cli/report.hpp"
#include "cli/hub_options.hpp"
#include "cli/system_options.hpp"
#include "cli/term.hpp"
#include "cli/verify_output.hpp"
#include "hub/hf_cache.hpp"
#include "hub/versions.hpp"
#include "lockfile/download.hpp"
#include "lockfile/verify_variant.hpp"
#include "util/number.hpp"
#include "util/parallel.hpp"
#include "util/terminal_text.hpp"
#include "variants/variant.hpp"

namespace kernels::cli {
namespace {

constexpr const char* kFooter = R"(Python's `kernels verify-signature`, with the same arguments and output lines. The
revision is the commit at the head of branch v<VERSION> of REPO_ID. Without
--all-variants the build variant this machine prefers (the choice `kernels download`
and `kernels variants` make; --torch, --cuda, --capability stand in for the machine) is
installed into the Hugging Face cache, with --all-variants every build variant, through
`kernels download`'s code: every file is hashed while it streams and compared with the
Hub's listing, and nothing that does not match is kept. Then each variant directory
(with --all-variants, every one whose name is a build variant, in name order) is
checked, stopping at the first check that fails:

  1. metadata.json.sigstore is there         else "signature not found"
  2. it is a Sigstore bundle we support       else "invalid signature bundle"
  3. metadata.json is there                   else "metadata does not have a digest"
  4. the bundle verifies over the raw bytes of metadata.json, offline: the Rekor
     entry (SET, inclusion proof against a signed checkpoint, hashedrekord body),
     the signing time, the Fulcio chain at that time, the SCT, the identity
                                              else "metadata signature verification failed"
  5. only now is metadata.json parsed         else "invalid metadata"
  6. it has a "digest"                        else "metadata does not have a digest"
  7. every file hashes to that digest (SHA-256 or SHA-512, as kernels-data hashes)
                                              else "kernel integrity check failed" and one
                                              line per missing, unknown or changed file
  8. "kernel metadata is correctly signed"

The signature covers metadata.json only; the files are protected through its digest,
which is why a digest is only trusted once the signature over it has verified.
)";

constexpr const char* kMoreHelp = R"(
--filter-unsigned leaves out variants with no metadata.json.sigstore, --filter-no-digest
those with no metadata.json or no digest: not printed, neither success nor failure (as
in Python). Everything else that is not a success fails the command.

--format json prints one document instead (version 1, documented in
kernels-verify-signature(1)): {version, repo_id, kernel_version, revision, commit,
all_variants, ok, summary, errors, variants: [{variant, path, status, reason,
violations, filtered}]}; status is success, signature-missing, signature-invalid,
metadata-missing, signature-failed, metadata-invalid, digest-missing or digest-failed.

Examples:
  kernels verify-signature kernels-community/relu 1
  kernels verify-signature kernels-community/relu 1 --all-variants --filter-unsigned
  kernels verify-signature org/kernel 2 --identity https://github.com/org/repo/.github/workflows/sign.yml@refs/heads/main \
      --issuer https://token.actions.githubusercontent.com
  kernels verify-signature kernels-community/relu 1 --json | jq '.variants[] | select(.status != "success")'
)";

constexpr const char* kExitStatus = R"(
Exit status: 0 every variant checked is correctly signed (filtered ones aside), 1 one is
not, or the version, repository or a variant's download failed, 2 usage or I/O error (a
VERSION that is not a whole number >= 1, an unreadable --trusted-root, no network).)";

struct Options {
  std::string repo;
  std::string version;
  bool all_variants = false;
  bool filter_unsigned = false;
  bool filter_no_digest = false;
  std::string format = "human";
  bool json = false;
  std::size_t jobs = 8;
  SignatureOptions signature;
  variants::ProbeOptions probe;
  HubOptions hub;
};

void error_lines(const std::string& message) { report_error("verify-signature", message); }

int run_verify_signature(const Options& o) {
  const Terminal& term = terminal();
  const bool as_json = o.json || o.format == "json";
  auto version = parse_decimal<int>(o.version);
  if (!version || *version < 1) {
    error_lines("VERSION must be a whole number >= 1 (version N is the branch vN), not \"" + one_line(o.version, 80) +
                "\"");
    return kExitUsage;
  }
  auto made = make_repo_client(o.repo, o.hub);
  if (!made.ok()) {
    return report_error("verify-signature", made.error());
  }
  const hub::HubClient& client = **made;
  // The trusted root is read before anything is downloaded: a bad
  // --trusted-root fails at once.
  auto verifier = make_signature_verifier(o.signature);
  if (!verifier.ok()) {
    return report_error("verify-signature", verifier.error());
  }

  auto refs = client.list_refs(o.repo);
  if (!refs.ok()) {
    return report_error("verify-signature", refs.error());
  }
  auto branch = hub::resolve_version(o.repo, *refs, *version);
  if (!branch.ok()) {
    return report_error("verify-signature", branch.error());
  }
  const std::string commit = branch->target_commit;
  (void)client.record_ref(o.repo, branch->name, commit);  // best effort: lets a later --offline run find v<N>

  Result<variants::System> system = variants::System{};
  if (!o.all_variants) system = variants::probe_system(o.probe);
  if (!system.ok()) {
    return report_error("verify-signature", system.error());
  }

  // One entry without variant hashes: download_lock then checks every file
  // against the Hub's listing at the commit (there is no lock to check the
  // listing against, as in Python).
  lockfile::Lock lock;
  lockfile::LockedKernel entry;
  entry.repo_id = o.repo;
  entry.sha = commit;
  lock.kernels.push_back(entry);
  lockfile::DownloadOptions options;
  options.jobs = o.jobs;
  options.choose = [&](const std::string& repo, const std::string& at,
                       const std::vector<std::string>& names) -> Result<std::vector<std::string>> {
    if (o.all_variants) return names;
    return choose_download_variants(client, repo, at, names, *system);
  };
  if (term.verbosity > 0 && !as_json)
    options.on_entry = [](const lockfile::LockedKernel& k) {
      std::cerr << "Downloading `" << k.repo_id << "` with SHA: " << k.sha << "\n";
    };
  auto report = lockfile::download_lock(client, client.config().kernels_cache, lock, options);
  if (!report.ok()) {
    return report_error("verify-signature", report.error());
  }
  const lockfile::EntryReport& installed = report->entries.front();

  SignatureCheckContext context;
  context.repo_id = o.repo;
  context.kernel_version = *version;
  context.revision = branch->name;
  context.commit = commit;
  context.all_variants = o.all_variants;
  int download_status = kExitOk;
  for (const auto& e : installed.errors) {
    context.errors.push_back(e.message);
    // No variant fits, a file does not match, the Hub or the network
    // failed: the command fails (Python's install raises, exit 1).
    download_status = kExitProblems;
  }

  // The installed variants, in name order; with --all-variants only the
  // names that are build variants (Python skips the others).
  std::vector<std::string> names = installed.linked;
  if (o.all_variants)
    names.erase(std::remove_if(names.begin(), names.end(),
                               [](const std::string& n) { return !variants::parse_variant(n).ok(); }),
                names.end());
  std::sort(names.begin(), names.end());
  const std::string snapshot = client.config().kernels_cache + "/" +
                               hub::repo_folder_name(o.repo, client.config().repo_type) + "/snapshots/" + commit;
  std::vector<SignatureCheck> checks(names.size());
  // Variants are checked one at a time, each hashing on o.jobs threads.
  for (std::size_t i = 0; i < names.size(); ++i) {
    checks[i].variant = names[i];
    checks[i].path = snapshot + "/build/" + names[i];
    checks[i].result = lockfile::verify_variant_dir(checks[i].path, **verifier, o.jobs);
    checks[i].filtered = filtered_out(checks[i].result, o.filter_unsigned, o.filter_no_digest);
  }

  bool failed = false;
  for (const auto& c : checks)
    if (!c.filtered && c.result.kind != lockfile::VariantVerification::Kind::Success) failed = true;

  if (as_json) {
    std::cout
        << verify_signature_json(checks, context).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace)
        << "\n";
  } else {
    for (const auto& e : context.errors) error_lines(e);
    for (const auto& c : checks) {
      if (c.filtered) continue;
      for (const auto& line : signature_check_lines(c.variant, c.result)) std::cout << line << "\n";
      if (term.verbosity > 0 && c.result.kind == lockfile::VariantVerification::Kind::Success)
        std::cout << paint(term.color_stdout, Style::Dim, "    signed by " + one_line(c.result.reason, 1000)) << "\n";
    }
  }
  if (failed) return kExitProblems;
  return download_status;
}

}  // namespace

void register_verify_signature(CLI::App& app, int* exit_code) {
  CLI::App* cmd = app.add_subcommand(
      "verify-signature", "Download a kernel version and check its Sigstore signatures and digests (Python's command)");
  auto o = std::make_shared<Options>();
  cmd->add_option("repo_id", o->repo, "The kernel repository, ORG/NAME")->required()->option_text("REPO_ID");
  cmd->add_option("version", o->version, "The kernel version N (the branch vN), a whole number >= 1")
      ->required()
      ->option_text("VERSION");
  cmd->add_flag("--all-variants", o->all_variants,
                "Download and check every build variant, not only the one this machine prefers");
  cmd->add_flag("--filter-unsigned", o->filter_unsigned,
                "Do not report variants without a signature (metadata.json.sigstore), nor count them as failures");
  cmd->add_flag("--filter-no-digest", o->filter_no_digest,
                "Do not report variants whose metadata is missing or has no digest, nor count them as failures");
  auto* format = cmd->add_option("--format", o->format, "Output: human (default; Python's lines) or json")
                     ->check(CLI::IsMember({"human", "json"}))
                     ->option_text("human|json");
  cmd->add_flag("--json", o->json, "Same as --format json")->excludes(format);
  cmd->add_option("--jobs,-j", o->jobs, "Files downloaded, and hashed, at once (default 8)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{64}))
      ->option_text("N");
  add_signature_options(cmd, o->signature);
  add_system_options(cmd, o->probe);
  add_hub_options(cmd, o->hub);
  cmd->footer(std::string(kFooter) + "\n" + kSignatureTrustHelp + "\n" + kMoreHelp + "\n" + kSystemHelp + "\n" +
              kHubEnvironmentHelp + kExitStatus);
  cmd->callback([=] { *exit_code = run_verify_signature(*o); });
}

}  // namespace kernels::cli
