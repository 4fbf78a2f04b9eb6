// `kernels lock [PROJECT_DIR]` / `kernels lock --config kernels.toml`: pin
// every kernel dependency to a commit with per-variant hashes, in the
// kernels.lock that Python's kernels library reads (lockfile/resolve).
#include <chrono>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/diagnostic_printer.hpp"
#include "cli/exit_codes.hpp"
#include "cli/hub_options.hpp"
#include "cli/term.hpp"
#include "config/config.hpp"
#include "lockfile/config_dependencies.hpp"
#include "lockfile/dependencies.hpp"
#include "lockfile/resolve.hpp"
#include "lockfile/store.hpp"
#include "util/file.hpp"

namespace kernels::cli {
namespace {

constexpr const char* kFooter = R"(Reads [tool.kernels.dependencies] from PROJECT_DIR/pyproject.toml (default: the
current directory) and writes PROJECT_DIR/kernels.lock:

  [tool.kernels.dependencies]
  "kernels-community/relu" = 1                              # the head of branch v1
  "kernels-community/activation" = { revision = "v0.1.0" }  # a branch, tag or commit

With --config, the Hub repos a KernelConfig (kernels.toml) names are locked
instead: [kernel_mapping], [[fusion]] and [[layer]], local kernels left out, a
bare repo string meaning version 1; the lock goes beside the config unless
--output says where. For each repo: a kernel-status.toml redirect at main is
followed (one hop; the lock records the destination), the version or revision
is resolved to a commit, and every variant under build/torch* is hashed
(git_lfs_concat). The file is byte-for-byte what Python's `kernels lock` writes,
is replaced atomically, is left alone when unchanged, and nothing is written when
anything fails.

Examples:
  kernels lock                            # ./pyproject.toml -> ./kernels.lock
  kernels lock path/to/project --jobs 16
  kernels lock --check                    # in CI: exit 1 with a diff when stale
  kernels lock --config kernels.toml --output model/kernels.lock
  kernels lock --offline                  # from the HF cache alone

)";

constexpr const char* kExitStatus = R"(

Exit status: 0 locked (or, with --check, the lock is current), 1 the lock is stale
(--check), a repository, version or revision was not found, access was refused, or
offline the cache lacks something, 2 usage, input, I/O, network or server error.)";

struct Options {
  std::string project_dir;
  std::string config_file;
  std::string output;
  bool check = false;
  std::size_t jobs = 8;
  HubOptions hub;
};

void error_lines(const std::string& message) {
  bool color = terminal().color_stderr;
  std::istringstream in(message);
  for (std::string line; std::getline(in, line);) {
    std::cerr << paint(color, Style::BoldRed, "error") << ": kernels lock: " << line << "\n";
  }
}

std::string short_sha(const std::string& sha) { return sha.substr(0, 12); }

// The dependencies and where the lock goes, from pyproject.toml or --config.
struct Input {
  std::vector<lockfile::Dependency> dependencies;
  std::string lock_path;
};

// nullopt after printing why (exit status in `status`).
std::optional<Input> read_input(const Options& o, int& status) {
  Input in;
  if (o.config_file.empty()) {
    std::string dir = o.project_dir.empty() ? "." : o.project_dir;
    auto deps = lockfile::read_dependencies(dir);
    if (!deps.ok()) {
      error_lines(deps.error().message);
      status = kExitUsage;
      return std::nullopt;
    }
    in.dependencies = std::move(*deps);
    in.lock_path = o.output.empty() ? (std::filesystem::path(dir) / "kernels.lock").string() : o.output;
    return in;
  }
  auto text = read_file(o.config_file, config::kMaxConfigBytes);
  if (!text.ok()) {
    error_lines(text.error().message);
    status = kExitUsage;
    return std::nullopt;
  }
  auto checked = config::check_config(o.config_file, *text);
  if (config::has_errors(checked.diagnostics)) {
    FileDiagnostics fd{o.config_file, *text, {}};
    for (const auto& d : checked.diagnostics)
      if (d.severity == config::Severity::Error) fd.diagnostics.push_back(d);
    print_human(std::cerr, fd, terminal().color_stderr, true);
    error_lines(o.config_file + " has errors; `kernels check " + o.config_file + "` lists every problem");
    status = kExitUsage;
    return std::nullopt;
  }
  auto deps = lockfile::dependencies_from_config(checked.config);
  if (!deps.ok()) {
    error_lines(deps.error().message);
    status = kExitUsage;
    return std::nullopt;
  }
  in.dependencies = std::move(*deps);
  in.lock_path = !o.output.empty() ? o.output
                                   : (std::filesystem::path(o.config_file).parent_path() / "kernels.lock").string();
  return in;
}

int run_lock(const Options& o) {
  const Terminal& term = terminal();
  if (!o.config_file.empty() && !o.project_dir.empty()) {
    error_lines("give either PROJECT_DIR or --config, not both");
    return kExitUsage;
  }
  int status = kExitOk;
  auto input = read_input(o, status);
  if (!input) return status;

  auto client = make_hub_client(o.hub);
  if (!client.ok()) {
    error_lines(client.error().message);
    return kExitUsage;
  }

  auto started = std::chrono::steady_clock::now();
  lockfile::ResolveOptions options;
  options.jobs = o.jobs;
  if (term.stderr_is_tty && term.verbosity >= 0) {
    options.on_resolved = [&term](const lockfile::Dependency& d, const lockfile::ResolvedKernel& k) {
      std::string what = d.version ? std::to_string(*d.version) : *d.revision;
      std::cerr << paint(term.color_stderr, Style::Green, "  resolved") << " " << d.repo_id << " " << what;
      if (!k.redirected_from.empty()) std::cerr << " -> " << k.kernel.repo_id;
      std::cerr << " @ " << short_sha(k.kernel.sha) << " (" << k.kernel.variants.size() << " variants)\n";
    };
  }
  auto resolution = lockfile::resolve_lock(**client, input->dependencies, options);
  if (!resolution.ok()) {
    error_lines(resolution.error().message);
    error_lines("nothing was written to " + input->lock_path);
    return exit_code_for(resolution.error());
  }
  if (term.verbosity >= 0) {
    for (const auto& notice : resolution->notices) {
      bool newer = notice.kind == lockfile::Notice::Kind::NewerVersion;
      std::cerr << paint(term.color_stderr, newer ? Style::BoldYellow : Style::BoldCyan, newer ? "warning" : "note")
                << ": " << notice.text << "\n";
    }
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::ostringstream stats;
  stats << resolution->lock.kernels.size() << (resolution->lock.kernels.size() == 1 ? " kernel" : " kernels") << ", "
        << (*client)->request_count() << " requests, " << std::fixed << std::setprecision(2) << seconds << " s";

  if (o.check) {
    auto check = lockfile::check_lock(input->lock_path, resolution->lock);
    if (!check.ok()) {
      error_lines(check.error().message);
      return kExitUsage;
    }
    if (check->current) {
      std::cout << input->lock_path << " is up to date (" << stats.str() << ")\n";
      return kExitOk;
    }
    std::cout << input->lock_path << " is stale:\n";
    for (const auto& line : lockfile::render_check(*check, input->lock_path)) std::cout << line << "\n";
    std::cout << "Run `kernels lock` to update it.\n";
    return kExitProblems;
  }

  auto written = lockfile::write_lock_if_changed(input->lock_path, resolution->lock);
  if (!written.ok()) {
    error_lines(written.error().message);
    return kExitUsage;
  }
  if (term.verbosity >= 0) {
    const char* what = *written == lockfile::WriteOutcome::Created   ? "Wrote"
                       : *written == lockfile::WriteOutcome::Updated ? "Updated"
                                                                     : "Unchanged";
    std::cerr << paint(term.color_stderr, Style::Bold, what) << " " << input->lock_path << " (" << stats.str()
              << ")\n";
  }
  return kExitOk;
}

}  // namespace

void register_lock(CLI::App& app, int* exit_code) {
  CLI::App* cmd = app.add_subcommand("lock", "Pin kernel dependencies to commits and variant hashes in kernels.lock");
  auto o = std::make_shared<Options>();
  cmd->add_option("project_dir", o->project_dir, "Directory holding pyproject.toml (default: .)")
      ->option_text("PROJECT_DIR");
  cmd->add_option("--config", o->config_file, "Lock the Hub repos of this KernelConfig TOML instead")
      ->option_text("FILE");
  cmd->add_option("--output", o->output, "Where to write the lock (default: kernels.lock beside the input)")
      ->option_text("PATH");
  cmd->add_flag("--check", o->check, "Write nothing; exit 1 with a diff when the lock is stale");
  cmd->add_option("--jobs,-j", o->jobs, "Dependencies resolved at once (default 8)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{256}))
      ->option_text("N");
  add_hub_options(cmd, o->hub);
  cmd->footer(std::string(kFooter) + kHubEnvironmentHelp + kExitStatus);
  cmd->callback([=] { *exit_code = run_lock(*o); });
}

}  // namespace kernels::cli
