// `kernels download [PROJECT_DIR]`: install the kernels that
// PROJECT_DIR/kernels.lock pins into the Hugging Face cache, checked against
// the lock's variant hashes (lockfile/download).
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/download_choice.hpp"
#include "cli/exit_codes.hpp"
#include "cli/format_option.hpp"
#include "cli/hub_options.hpp"
#include "cli/json_output.hpp"
#include "cli/report.hpp"
#include "cli/system_options.hpp"
#include "cli/term.hpp"
#include "lockfile/download.hpp"
#include "lockfile/reader.hpp"
#include "util/error_code.hpp"

namespace kernels::cli {
namespace {

constexpr const char* kFooter = R"(Reads PROJECT_DIR/kernels.lock (default: the current directory; write it with
`kernels lock`) and installs each locked kernel at its commit into the Hugging
Face cache (KERNELS_CACHE, else HF_HUB_CACHE, else $HF_HOME/hub), laid out as
huggingface_hub lays it out, so Python's kernels library finds it offline:
blobs/<hash> and snapshots/<commit>/build/<variant>/... as relative symlinks.

Before anything is linked, each variant is checked against the lock: the Hub's
file listing must hash to the lock's git_lfs_concat hash, every file is hashed
while it streams (git blob SHA-1, or SHA-256 for LFS files) and compared with
the listing, and the variant's hash over the verified files must equal the
lock. A mismatch names the file; nothing of that variant is linked and no bad
blob is kept. Files already in the cache (also ones Python downloaded) are
not fetched again; an interrupted download resumes where it stopped, also in
a later run. *.pyc files and __pycache__/ are skipped.

Variants: by default the one this machine prefers, as `kernels variants`
shows it (the kernels library's rules and order); --all-variants installs
every locked variant. When no variant fits, the entry fails with every
variant's reason and the others are still installed.

Examples:
  kernels download                        # ./kernels.lock, variants for this machine
  kernels download path/to/project --all-variants
  KERNELS_CACHE=/data/kernels kernels download --jobs 16
  kernels lock && kernels download        # pin, then install

)";

constexpr const char* kExitStatus = R"(

Exit status: 0 every entry installed, 1 an entry failed (not found, no variant
fits, hash mismatch, network), 2 usage, input or I/O error (no kernels.lock).)";

struct Options {
  std::string project_dir;
  bool all_variants = false;
  std::string format = "human";
  std::size_t jobs = 8;
  variants::ProbeOptions probe;
  HubOptions hub;
};

void error_lines(const std::string& message) { report_error("download", message); }

std::string human_bytes(double bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int u = 0;
  while (bytes >= 1024 && u < 4) {
    bytes /= 1024;
    ++u;
  }
  std::ostringstream out;
  out << std::fixed << std::setprecision(u == 0 ? 0 : 1) << bytes << " " << units[u];
  return out.str();
}

std::string human_seconds(double s) {
  std::ostringstream out;
  if (s < 60) {
    out << std::lround(s) << " s";
  } else if (s < 3600) {
    out << static_cast<int>(s / 60) << " min " << static_cast<int>(s) % 60 << " s";
  } else {
    out << static_cast<int>(s / 3600) << " h " << (static_cast<int>(s) % 3600) / 60 << " min";
  }
  return out.str();
}

// One line on stderr, redrawn at most ten times a second.
class ProgressBar {
 public:
  explicit ProgressBar(bool on) : on_(on), started_(std::chrono::steady_clock::now()) {}
  void update(const lockfile::DownloadProgress& p) {
    if (!on_) return;
    auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(100) && p.files_done < p.files_total) return;
    last_ = now;
    double elapsed = std::chrono::duration<double>(now - started_).count();
    double rate = elapsed > 0.2 ? static_cast<double>(p.bytes_done) / elapsed : 0;
    std::ostringstream line;
    double fraction = p.bytes_total > 0 ? static_cast<double>(p.bytes_done) / static_cast<double>(p.bytes_total) : 1;
    int width = 24;
    int filled = static_cast<int>(fraction * width);
    line << "\r[" << std::string(static_cast<std::size_t>(std::clamp(filled, 0, width)), '#')
         << std::string(static_cast<std::size_t>(width - std::clamp(filled, 0, width)), '.') << "] "
         << human_bytes(static_cast<double>(p.bytes_done)) << " / " << human_bytes(static_cast<double>(p.bytes_total))
         << "  " << human_bytes(rate) << "/s";
    if (rate > 0 && p.bytes_total > p.bytes_done) {
      line << "  " << human_seconds(static_cast<double>(p.bytes_total - p.bytes_done) / rate) << " left";
    }
    line << "  " << p.files_done << "/" << p.files_total << " files\x1b[K";
    write_unfiltered(std::cerr, line.str());  // our own \r and \x1b[K, past the output filter
    drawn_ = true;
  }
  void clear() {
    if (on_ && drawn_) write_unfiltered(std::cerr, "\r\x1b[K");
    drawn_ = false;
  }

 private:
  bool on_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_{};
};

// The --format json document (kernels-download(1), JSON OUTPUT).
nlohmann::ordered_json download_json(const lockfile::DownloadReport& report, const std::string& cache, double seconds) {
  using ojson = nlohmann::ordered_json;
  ojson doc = json_document();
  doc["command"] = "download";
  doc["cache"] = cache;
  doc["ok"] = report.ok();
  ojson kernels = ojson::array();
  std::size_t failed = 0;
  for (const auto& e : report.entries) {
    ojson errors = ojson::array();
    for (const auto& err : e.errors) errors.push_back({{"code", error_code_name(err.code)}, {"message", err.message}});
    failed += e.errors.empty() ? 0 : 1;
    kernels.push_back({{"repo_id", e.repo_id},
                       {"sha", e.sha},
                       {"variants", e.variants},
                       {"installed", e.linked},
                       {"files_fetched", e.files_fetched},
                       {"files_skipped", e.files_skipped},
                       {"bytes_fetched", e.bytes_fetched},
                       {"errors", std::move(errors)}});
  }
  doc["kernels"] = std::move(kernels);
  doc["summary"] = {{"kernels", report.entries.size()},        {"failed", failed},
                    {"files_fetched", report.files_fetched()}, {"files_skipped", report.files_skipped()},
                    {"bytes_fetched", report.bytes_fetched()}, {"seconds", std::round(seconds * 1000) / 1000}};
  return doc;
}

int run_download(const Options& o) {
  const Terminal& term = terminal();
  std::string dir = o.project_dir.empty() ? "." : o.project_dir;
  std::string lock_path = (std::filesystem::path(dir) / "kernels.lock").string();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(lock_path, ec)) {
    error_lines("No kernels.lock file found in: " + dir);
    return kExitUsage;
  }
  auto lock = lockfile::read_lock(lock_path);
  if (!lock.ok()) {
    return report_error("download", lock.error());
  }
  auto client = make_hub_client(o.hub);
  if (!client.ok()) {
    return report_error("download", client.error());
  }

  // The probe (python3 importing Torch, cuInit) costs seconds on a GPU
  // machine; --all-variants needs no choice, so it is not probed then.
  Result<variants::System> system = variants::System{};
  if (!o.all_variants) system = variants::probe_system(o.probe);
  if (!system.ok()) {
    return report_error("download", system.error());
  }
  ProgressBar bar(term.stderr_is_tty && term.verbosity >= 0);
  lockfile::DownloadOptions options;
  options.jobs = o.jobs;
  options.choose = [&](const std::string& repo, const std::string& commit,
                       const std::vector<std::string>& names) -> Result<std::vector<std::string>> {
    if (o.all_variants) return names;
    return choose_download_variants(**client, repo, commit, names, *system);
  };
  options.on_entry = [&](const lockfile::LockedKernel& k) {
    if (term.verbosity >= 0 && o.format != "json")
      std::cerr << "Downloading `" << k.repo_id << "` with SHA: " << k.sha << "\n";
  };
  options.on_progress = [&](const lockfile::DownloadProgress& p) { bar.update(p); };

  auto started = std::chrono::steady_clock::now();
  auto report = lockfile::download_lock(**client, (*client)->config().kernels_cache, *lock, options);
  bar.clear();
  if (!report.ok()) {
    return report_error("download", report.error());
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::size_t failed = 0;
  for (const auto& e : report->entries) failed += e.errors.empty() ? 0 : 1;
  if (o.format == "json") {
    print_json(download_json(*report, (*client)->config().kernels_cache, seconds));
    return failed > 0 ? kExitProblems : kExitOk;
  }
  for (const auto& e : report->entries) {
    for (const auto& err : e.errors) error_lines(err.message);
    if (term.verbosity > 0) {
      for (const auto& v : e.linked) std::cerr << "  installed " << e.repo_id << " " << v << "\n";
    }
  }
  if (term.verbosity >= 0) {
    double mb_s = seconds > 0 ? static_cast<double>(report->bytes_fetched()) / 1e6 / seconds : 0;
    std::ostringstream summary;
    summary << report->entries.size() << (report->entries.size() == 1 ? " kernel" : " kernels") << ": "
            << report->files_fetched() << " files fetched ("
            << human_bytes(static_cast<double>(report->bytes_fetched())) << "), " << report->files_skipped()
            << " already present, " << std::fixed << std::setprecision(2) << seconds << " s, " << std::setprecision(1)
            << mb_s << " MB/s";
    std::cerr << paint(term.color_stderr, Style::Bold, failed == 0 ? "Downloaded" : "Incomplete") << " "
              << summary.str() << " into " << (*client)->config().kernels_cache << "\n";
  }
  if (failed > 0) {
    error_lines(std::to_string(failed) + " of " + std::to_string(report->entries.size()) +
                (report->entries.size() == 1 ? " entry" : " entries") + " failed");
    return kExitProblems;
  }
  return kExitOk;
}

}  // namespace

void register_download(CLI::App& app, int* exit_code) {
  CLI::App* cmd = app.add_subcommand("download", "Install the kernels of kernels.lock into the Hugging Face cache");
  auto o = std::make_shared<Options>();
  cmd->add_option("project_dir", o->project_dir, "Directory holding kernels.lock (default: .)")
      ->option_text("PROJECT_DIR");
  cmd->add_flag("--all-variants", o->all_variants,
                "Install every build variant, not only the one this machine prefers");
  cmd->add_option("--jobs,-j", o->jobs, "Files downloaded at once (default 8)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{64}))
      ->option_text("N");
  add_format_option(cmd, o->format, true,
                    "{version, command, cache, ok, kernels: [{repo_id, sha, variants, installed, files_fetched, "
                    "files_skipped, bytes_fetched, errors: [{code, message}]}], summary}");
  add_system_options(cmd, o->probe);
  add_hub_options(cmd, o->hub);
  cmd->footer(std::string(kFooter) + kSystemHelp + "\n" + kHubEnvironmentHelp + kExitStatus);
  cmd->callback([=] { *exit_code = run_download(*o); });
}

}  // namespace kernels::cli
