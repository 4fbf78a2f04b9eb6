// `kernels lock [PROJECT_DIR]` / `kernels lock --config kernels.toml`: pin
// every kernel dependency to a commit in the kernels.lock that Python's
// kernels library reads, in either lock format (lockfile/resolve); and the CI
// side of it: --locked (no network), --check (why a lock is stale),
// --update (re-resolve some, keep the rest byte for byte), --migrate.
#include <chrono>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/json_output.hpp"
#include "cli/diagnostic_printer.hpp"
#include "cli/exit_codes.hpp"
#include "cli/report.hpp"
#include "cli/hub_options.hpp"
#include "cli/term.hpp"
#include "config/config.hpp"
#include "lockfile/config_dependencies.hpp"
#include "lockfile/dependencies.hpp"
#include "lockfile/diff.hpp"
#include "lockfile/locked_check.hpp"
#include "lockfile/python_probe.hpp"
#include "lockfile/reader.hpp"
#include "lockfile/resolve.hpp"
#include "lockfile/store.hpp"
#include "util/file.hpp"

namespace kernels::cli {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kFooter = R"(Reads [tool.kernels.dependencies] from PROJECT_DIR/pyproject.toml (default: the
current directory) and writes PROJECT_DIR/kernels.lock:

  [tool.kernels.dependencies]
  "kernels-community/relu" = 1                              # the head of branch v1
  "kernels-community/activation" = { revision = "v0.1.0" }  # a branch, tag or commit

With --config, the Hub repos a KernelConfig (kernels.toml) names are locked
instead: [kernel_mapping], [[fusion]] and [[layer]], local kernels left out, a
bare repo string meaning version 1; the lock goes beside the config unless
--output says where.

Lock formats (--lock-format):
  variant-hashes  what released Python kernels reads and writes: one entry per
                  dependency with its commit and a git_lfs_concat hash per
                  variant under build/torch*; a kernel-status.toml redirect at
                  main is followed (one hop; the entry names the destination).
  kernels-data    the format upstream kernels is moving to: {dependency, lock}
                  entries sorted by dependency, no hashes, and every kernel the
                  locked variants' metadata.json `kernel-depends` name, locked
                  transitively (a cycle is an error); redirects are not
                  followed, as upstream does (a note says so).
The format written is the existing lock's; for a new lock, the one the Python
kernels package on PATH reads (python3, else python; said with --verbose),
else variant-hashes. Old Python refuses kernels-data and new Python refuses
variant-hashes, so keep the one your Python reads. --migrate converts the
existing lock in place to the other format (or --lock-format), at the commits
it already pins.

CI:
  --locked    no network at all: exit 0 when kernels.lock covers exactly the
              declared dependencies (kernels-data: with the same versions or
              revisions), else exit 1 naming what was added, removed or
              re-pinned. Run it on every push.
  --check     resolve online and compare; a stale lock is explained: the
              project's dependencies changed, or upstream moved a branch
              (which repo, from which commit to which, and when).
  --update R  re-resolve only the dependencies on repo R (repeatable); every
              other entry is kept at its commit, byte for byte.
Plain `kernels lock` re-resolves everything, as Python does. The file is
byte for byte what Python writes for that format, replaced atomically, left
alone when unchanged, and nothing is written when anything fails. A lock
--config into a kernels.lock holding entries the config does not name is
refused unless --prune (or another --output).

Offline (--offline or HF_HUB_OFFLINE=1), everything comes from the HF cache,
and the lock equals the online one or the command fails naming what the cache
lacks: the complete listing of a commit (trees/<commit>.json), the
kernel-status.toml answer at main, refs/vN, a metadata.json.

Examples:
  kernels lock                            # ./pyproject.toml -> ./kernels.lock
  kernels lock --locked                   # in CI, on every push: no network
  kernels lock --check --format json      # in CI, nightly: has upstream moved?
  kernels lock --update kernels-community/relu
  kernels lock --migrate --lock-format kernels-data
  kernels lock --config kernels.toml --output model/kernels.lock
  kernels lock --offline -v               # from the HF cache alone

)";

constexpr const char* kExitStatus = R"(

Exit status: 0 locked (with --check or --locked: the lock is current), 1 the lock
is stale (--check, --locked), a repository, version or revision was not found,
access was refused, a kernel-depends cycle, or offline the cache lacks something,
2 usage, input, I/O, network or server error.)";

struct Options {
  std::string project_dir;
  std::string config_file;
  std::string output;
  bool check = false;
  bool locked = false;
  bool migrate = false;
  bool prune = false;
  std::vector<std::string> update;
  std::string lock_format;
  std::string format = "human";
  std::size_t jobs = 8;
  HubOptions hub;
};

void error_lines(const std::string& message) { report_error("lock", message); }

void note_line(const std::string& text) { report_note("lock", text); }

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
    auto pyproject = lockfile::read_pyproject(dir);
    if (!pyproject.ok()) {
      error_lines(pyproject.error().message);
      status = kExitUsage;
      return std::nullopt;
    }
    if (!pyproject->checked.diagnostics.empty()) {
      // As `kernels check` prints a KernelConfig's: file:line:column, the line, a caret, a hint.
      FileDiagnostics fd{pyproject->path, pyproject->text, pyproject->checked.diagnostics};
      print_human(std::cerr, fd, terminal().color_stderr, true);
      std::size_t n = fd.diagnostics.size();
      error_lines(fd.diagnostics.front().code == "syntax"
                      ? pyproject->path + " is not valid TOML; nothing was locked"
                      : pyproject->path + ": " + std::to_string(n) + (n == 1 ? " problem" : " problems") +
                            " with [tool.kernels.dependencies]; nothing was locked");
      status = kExitUsage;
      return std::nullopt;
    }
    in.dependencies = std::move(pyproject->checked.dependencies);
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
    status = kExitProblems;  // as `kernels check` and `kernels resolve` exit on the same file
    return std::nullopt;
  }
  auto deps = lockfile::dependencies_from_config(checked.config);
  if (!deps.ok()) {
    error_lines(deps.error().message);
    status = kExitUsage;
    return std::nullopt;
  }
  in.dependencies = std::move(*deps);
  in.lock_path =
      !o.output.empty() ? o.output : (std::filesystem::path(o.config_file).parent_path() / "kernels.lock").string();
  return in;
}

// The lock already on disk: absent, unreadable (why), or read.
struct Existing {
  bool exists = false;
  std::optional<std::string> unreadable;
  lockfile::Lock lock;
  bool format_known = false;  // `[]` says nothing about its format
};

Result<Existing> read_existing(const std::string& path) {
  Existing out;
  std::error_code ec;
  if (std::filesystem::symlink_status(path, ec).type() == std::filesystem::file_type::not_found) return out;
  auto text = read_file(path);
  if (!text.ok()) return text.error();
  out.exists = true;
  auto lock = lockfile::parse_lock(*text, path);
  if (!lock.ok()) {
    out.unreadable = lock.error().message;
    return out;
  }
  out.lock = std::move(*lock);
  out.format_known = !out.lock.kernels.empty();  // only `[]` is both formats
  return out;
}

struct FormatChoice {
  lockfile::LockFormat format = lockfile::LockFormat::VariantHashes;
  std::string reason;
};

Result<FormatChoice> choose_format(const Options& o, const Existing& existing, const std::string& lock_path) {
  using lockfile::LockFormat;
  FormatChoice c;
  if (!o.lock_format.empty()) {
    auto f = lockfile::parse_format_name(o.lock_format);
    if (!f) {
      return Error{ErrorCode::usage,
                   "--lock-format takes variant-hashes or kernels-data, not \"" + o.lock_format + "\""};
    }
    c.format = *f;
    c.reason = "--lock-format " + o.lock_format;
    return c;
  }
  if (existing.unreadable && o.migrate) {
    return Error{ErrorCode::usage,
                 "--migrate converts a lock, and " + lock_path + " cannot be read: " + *existing.unreadable};
  }
  if (o.migrate) {
    if (!existing.exists || !existing.format_known)
      return Error{ErrorCode::usage,
                   "--migrate converts an existing lock, and " + lock_path +
                       (existing.exists ? " holds no entries; give --lock-format" : " does not exist")};
    c.format = existing.lock.format == LockFormat::KernelsData ? LockFormat::VariantHashes : LockFormat::KernelsData;
    c.reason = "--migrate from " + std::string(format_name(existing.lock.format));
    return c;
  }
  if (existing.format_known) {
    c.format = existing.lock.format;
    c.reason = "the format of the existing " + lock_path;
    return c;
  }
  // An unreadable lock (a merge conflict, say) is replaced; its format is
  // chosen as for a new one.
  std::string prefix = existing.unreadable ? lock_path + " cannot be read, so its format is unknown; " : "";
  if (auto py = lockfile::probe_python_kernels()) {
    c.format = py->reads;
    c.reason = prefix + "what the Python kernels package" + (py->version.empty() ? "" : " " + py->version) +
               " found by " + py->python + " (" + py->path + ") reads";
    return c;
  }
  c.reason = prefix + (existing.unreadable ? "" : "no lock yet and ") +
             "no Python kernels package on PATH: the format released kernels reads";
  return c;
}

// --update: the repos named must be what the project locks.
Status check_update_names(const Options& o, const Input& in, const Existing& existing) {
  std::set<std::string> known;
  for (const auto& d : in.dependencies) known.insert(d.repo_id);
  for (const auto& k : existing.lock.kernels) known.insert(k.repo_id);
  std::string bad;
  for (const auto& r : o.update) {
    if (known.count(r)) continue;
    if (!bad.empty()) bad += "\n";
    bad += "--update " + r + ": not a dependency of the project, nor in " + in.lock_path;
  }
  if (!bad.empty()) return Error{ErrorCode::usage, bad};
  return ok_status();
}

// The commits kept from the existing lock: all of them with --migrate, all
// but the --update ones with --update, none otherwise.
std::function<std::optional<std::string>(const std::string&, const lockfile::Dependency&)> pins_from(
    const Options& o, const Existing& existing) {
  if (!existing.exists || existing.unreadable || (!o.migrate && o.update.empty())) return nullptr;
  std::set<std::string> update(o.update.begin(), o.update.end());
  // kernels-data entries are pinned per version or revision, variant-hashes
  // ones per repo; the first entry wins, as in Python's reader.
  const bool by_dependency = existing.lock.format == lockfile::LockFormat::KernelsData;
  auto key = [by_dependency](const std::string& repo, const std::optional<std::uint64_t>& version,
                             const std::optional<std::string>& revision) {
    return by_dependency ? lockfile::dependency_key(repo, version, revision) : repo;
  };
  std::map<std::string, std::string> commits;
  for (const auto& k : existing.lock.kernels) commits.emplace(key(k.repo_id, k.version, k.revision), k.sha);
  return [commits = std::move(commits), update, key](const std::string& repo,
                                                     const lockfile::Dependency& d) -> std::optional<std::string> {
    if (update.count(d.repo_id) || update.count(repo)) return std::nullopt;
    auto it = commits.find(key(repo, d.version, d.revision));
    if (it == commits.end()) return std::nullopt;
    return it->second;
  };
}

const char* change_name(lockfile::Change c) {
  switch (c) {
    case lockfile::Change::Added: return "added";
    case lockfile::Change::Removed: return "removed";
    default: return "moved";
  }
}

// Why one entry differs: the project or upstream, in words.
struct Explained {
  const lockfile::KernelChange* change;
  std::string cause;  // "project", "upstream", "format"
  std::string reason;
};

std::vector<Explained> explain(const lockfile::LockDiff& diff, const lockfile::Resolution& resolution,
                               const std::vector<lockfile::Dependency>& declared, const hub::HubClient& client,
                               bool ask_dates) {
  std::set<std::string> declared_repos;
  for (const auto& d : declared) declared_repos.insert(d.repo_id);
  std::map<std::string, const lockfile::ResolvedKernel*> by_repo;
  for (const auto& k : resolution.kernels) by_repo.emplace(k.kernel.repo_id, &k);
  std::vector<Explained> out;
  for (const auto& c : diff.kernels) {
    Explained e{&c, "project", ""};
    auto it = by_repo.find(c.repo_id);
    const lockfile::ResolvedKernel* r = it == by_repo.end() ? nullptr : it->second;
    switch (c.change) {
      case lockfile::Change::Added:
        if (r && !r->required_by.empty()) {
          e.cause = "upstream";
          e.reason = "a new kernel-depends of " + r->required_by;
        } else {
          e.reason = r ? r->dependency.where + ": declared, not in the lock" : "declared, not in the lock";
        }
        break;
      case lockfile::Change::Removed:
        e.reason = declared_repos.count(c.repo_id) ? "no longer asked for at this version or revision"
                                                   : "no longer a dependency";
        break;
      case lockfile::Change::Modified: {
        if (c.old_sha == c.new_sha) {
          e.cause = diff.format_changed ? "format" : "upstream";
          e.reason = diff.format_changed ? "same commit" : "same commit, the variants' files differ";
          break;
        }
        if (!r) {
          e.cause = "upstream";
          e.reason = "now at " + c.new_sha;
          break;
        }
        const lockfile::Dependency& d = r->dependency;
        int other = -1;
        for (const auto& [n, head] : r->branch_heads)
          if (head == c.old_sha && (!d.version || static_cast<std::uint64_t>(n) != *d.version)) other = n;
        if (other >= 0) {
          e.reason = d.where + " asks for " + d.ref() + "; the lock holds the head of v" + std::to_string(other);
          break;
        }
        e.cause = "upstream";
        std::string when;
        if (ask_dates) {
          auto info = client.repo_info(c.repo_id, c.new_sha);
          if (info.ok() && !info->last_modified.empty()) when = "; the new commit is from " + info->last_modified;
        }
        e.reason =
            "upstream moved " + (d.version ? "branch " + d.ref() : "revision " + d.ref()) + " of " + c.repo_id + when;
        break;
      }
    }
    out.push_back(std::move(e));
  }
  return out;
}

Json change_json(const Explained& e) {
  const lockfile::KernelChange& c = *e.change;
  Json j;
  j["change"] = change_name(c.change);
  j["repo_id"] = c.repo_id;
  j["dependency"] = c.label.empty() ? c.repo_id : c.label;
  j["old_commit"] = c.old_sha.empty() ? Json() : Json(c.old_sha);
  j["new_commit"] = c.new_sha.empty() ? Json() : Json(c.new_sha);
  j["cause"] = e.cause;
  j["reason"] = e.reason;
  if (!c.variants.empty()) {
    Json vs = Json::array();
    for (const auto& v : c.variants) {
      vs.push_back({{"change", change_name(v.change)},
                    {"name", v.name},
                    {"old_hash", v.before ? Json(v.before->hash) : Json()},
                    {"new_hash", v.after ? Json(v.after->hash) : Json()}});
    }
    j["variants"] = vs;
  }
  return j;
}

std::string hash_text(const lockfile::VariantLock& v) {
  return v.hash_type == lockfile::kGitLfsConcat ? v.hash : v.hash + " (hash_type " + v.hash_type + ")";
}

// One change as lines: the entry, then its variants.
std::vector<std::string> change_lines(const Explained& e) {
  const lockfile::KernelChange& c = *e.change;
  const std::string& what = c.label.empty() ? c.repo_id : c.label;
  std::vector<std::string> lines;
  switch (c.change) {
    case lockfile::Change::Added: lines.push_back("+ " + what + ": new, at commit " + c.new_sha); break;
    case lockfile::Change::Removed:
      lines.push_back("- " + what + ": " + e.reason + " (was at commit " + c.old_sha + ")");
      return lines;
    default:
      lines.push_back(c.old_sha == c.new_sha ? "~ " + what + ": same commit " + c.new_sha
                                             : "~ " + what + ": commit " + c.old_sha + " -> " + c.new_sha);
  }
  lines.back() += " (" + e.reason + ")";
  for (const auto& v : c.variants) {
    switch (v.change) {
      case lockfile::Change::Added: lines.push_back("    + " + v.name + ": " + hash_text(*v.after)); break;
      case lockfile::Change::Removed: lines.push_back("    - " + v.name + ": " + hash_text(*v.before)); break;
      default: lines.push_back("    ~ " + v.name + ": " + hash_text(*v.before) + " -> " + hash_text(*v.after));
    }
  }
  if (c.variants_reordered) lines.push_back("    variants are listed in another order");
  return lines;
}

Json base_json(const char* mode, const std::string& lock_path) {
  Json j;
  j["version"] = kJsonVersion;
  j["command"] = "lock";
  j["mode"] = mode;
  j["lock"] = lock_path;
  return j;
}

int run_locked(const Options& o, const Input& in, const Existing& existing) {
  bool json = o.format == "json";
  Json doc = base_json("locked", in.lock_path);
  auto fail = [&](const std::string& why) {
    if (json) {
      doc["result"] = "stale";
      doc["problems"] = Json::array({{{"kind", "unreadable"}, {"text", why}}});
      print_json(doc);
    } else {
      std::cout << in.lock_path << " is stale: " << why << "\n";
    }
    return kExitProblems;
  };
  if (!existing.exists) return fail("it does not exist; run `kernels lock`");
  if (existing.unreadable) return fail(*existing.unreadable);

  // The cache only: an offline client sends nothing.
  HubOptions offline = o.hub;
  offline.offline = true;
  auto client = make_hub_client(offline);
  lockfile::LockedCache cache;
  if (client.ok()) {
    const hub::HubClient& c = **client;
    cache.redirect = [&c](const std::string& repo) -> std::optional<std::string> {
      auto r = c.kernel_status(repo, "main");
      if (!r.ok()) return std::nullopt;
      return *r ? (*r)->destination : std::string();
    };
    cache.depends = [&c](const lockfile::LockedKernel& k) -> std::optional<std::vector<std::string>> {
      auto d = lockfile::kernel_depends_at(c, k.repo_id, k.sha);
      if (!d.ok()) return std::nullopt;
      return *d;
    };
  }
  auto check = lockfile::check_locked(existing.lock, in.dependencies, cache);
  if (json) {
    doc["format"] = format_name(existing.lock.format);
    doc["result"] = check.current() ? "current" : "stale";
    Json problems = Json::array();
    for (const auto& p : check.problems) {
      const char* kind = p.kind == lockfile::LockedProblem::Kind::Added     ? "added"
                         : p.kind == lockfile::LockedProblem::Kind::Removed ? "removed"
                                                                            : "re-pinned";
      problems.push_back({{"kind", kind}, {"repo_id", p.repo_id}, {"text", p.text}});
    }
    doc["problems"] = problems;
    doc["notes"] = check.notes;
    print_json(doc);
  } else {
    for (const auto& n : check.notes) note_line(n);
    if (check.current()) {
      std::cout << in.lock_path << " covers the " << in.dependencies.size() << " declared "
                << (in.dependencies.size() == 1 ? "dependency" : "dependencies") << " ("
                << format_name(existing.lock.format) << ")\n";
    } else {
      std::cout << in.lock_path << " is stale:\n";
      for (const auto& p : check.problems) std::cout << "  " << p.text << "\n";
      std::cout << "Run `kernels lock` to update it.\n";
    }
  }
  return check.current() ? kExitOk : kExitProblems;
}

int run_lock(const Options& o) {
  const Terminal& term = terminal();
  const bool json = o.format == "json";
  if (o.format != "human" && o.format != "json") {
    error_lines("--format takes human or json, not \"" + o.format + "\"");
    return kExitUsage;
  }
  if (!o.config_file.empty() && !o.project_dir.empty()) {
    error_lines("give either PROJECT_DIR or --config, not both");
    return kExitUsage;
  }
  int modes = int(o.check) + int(o.locked) + int(o.migrate) + int(!o.update.empty());
  if (modes > 1) {
    error_lines("--check, --locked, --update and --migrate do different things; give one of them");
    return kExitUsage;
  }
  int status = kExitOk;
  auto input = read_input(o, status);
  if (!input) return status;
  auto existing = read_existing(input->lock_path);
  if (!existing.ok()) {
    return report_error("lock", existing.error());
  }
  if (o.locked) return run_locked(o, *input, *existing);

  auto choice = choose_format(o, *existing, input->lock_path);
  if (!choice.ok()) {
    return report_error("lock", choice.error());
  }
  if (term.verbosity > 0 || (existing->unreadable && !o.check))
    note_line("lock format " + std::string(format_name(choice->format)) + ": " + choice->reason);
  if (!o.update.empty()) {
    if (!existing->exists) {
      error_lines("--update keeps the other entries of " + input->lock_path +
                  ", which does not exist; run `kernels lock`");
      return kExitUsage;
    }
    if (auto s = check_update_names(o, *input, *existing); !s.ok()) {
      return report_error("lock", s.error());
    }
  }

  auto client = make_hub_client(o.hub);
  if (!client.ok()) {
    return report_error("lock", client.error());
  }

  auto started = std::chrono::steady_clock::now();
  lockfile::ResolveOptions options;
  options.jobs = o.jobs;
  options.format = choice->format;
  options.pinned = pins_from(o, *existing);
  if (term.stderr_is_tty && term.verbosity >= 0) {
    options.on_resolved = [&term](const lockfile::ResolvedKernel& k) {
      const lockfile::Dependency& d = k.dependency;
      std::string what = d.version ? std::to_string(*d.version) : d.revision.value_or("");
      std::cerr << paint(term.color_stderr, Style::Green, k.pinned ? "      kept" : "  resolved") << " " << d.repo_id
                << " " << what;
      if (!k.redirected_from.empty()) std::cerr << " -> " << k.kernel.repo_id;
      std::cerr << " @ " << short_sha(k.kernel.sha) << " (" << k.variant_count << " variants";
      if (!k.required_by.empty()) std::cerr << ", for " << k.required_by;
      std::cerr << ")\n";
    };
  }
  auto resolution = lockfile::resolve_lock(**client, input->dependencies, options);
  if (!resolution.ok()) {
    error_lines(resolution.error().message);
    error_lines("nothing was written to " + input->lock_path);
    return exit_status(resolution.error());
  }
  if (term.verbosity >= 0 && !json) {
    for (const auto& notice : resolution->notices) {
      bool newer = notice.kind == lockfile::Notice::Kind::NewerVersion;
      std::cerr << paint(term.color_stderr, newer ? Style::BoldYellow : Style::BoldCyan, newer ? "warning" : "note")
                << ": " << notice.text << "\n";
    }
  }

  const lockfile::Lock* before = existing->exists && !existing->unreadable ? &existing->lock : nullptr;
  lockfile::LockDiff diff = lockfile::diff_locks(before, resolution->lock);
  if (existing->unreadable) diff.old_missing = false;
  auto explained = explain(diff, *resolution, input->dependencies, **client, o.check);

  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::ostringstream stats;
  stats << resolution->lock.kernels.size() << (resolution->lock.kernels.size() == 1 ? " kernel" : " kernels") << ", "
        << (*client)->request_count() << " requests, " << std::fixed << std::setprecision(2) << seconds << " s";
  Json doc = base_json(o.check ? "check" : "write", input->lock_path);
  doc["format"] = format_name(choice->format);
  doc["format_reason"] = choice->reason;
  auto finish_json = [&](const char* result) {
    doc["result"] = result;
    Json changes = Json::array();
    for (const auto& e : explained) changes.push_back(change_json(e));
    doc["changes"] = changes;
    Json notices = Json::array();
    for (const auto& n : resolution->notices) notices.push_back(n.text);
    doc["notices"] = notices;
    doc["kernels"] = resolution->lock.kernels.size();
    doc["requests"] = (*client)->request_count();
    doc["seconds"] = seconds;
    print_json(doc);
  };

  if (o.check) {
    auto check = lockfile::check_lock(input->lock_path, resolution->lock);
    if (!check.ok()) {
      return report_error("lock", check.error());
    }
    if (json) {
      if (check->unreadable) doc["unreadable"] = *check->unreadable;
      finish_json(check->current ? "current" : "stale");
      return check->current ? kExitOk : kExitProblems;
    }
    if (check->current) {
      std::cout << input->lock_path << " is up to date (" << stats.str() << ")\n";
      return kExitOk;
    }
    std::cout << input->lock_path << " is stale:\n";
    if (check->unreadable) std::cout << "  it cannot be read as a lock file: " << *check->unreadable << "\n";
    if (diff.format_changed && before)
      std::cout << "  it is " << format_name(before->format) << "; kernels lock writes " << format_name(choice->format)
                << " (" << choice->reason << ")\n";
    if (!existing->exists) std::cout << "  it does not exist\n";
    bool project = false, upstream = false;
    for (const auto& e : explained) {
      for (const auto& line : change_lines(e)) std::cout << "  " << line << "\n";
      project = project || e.cause == "project";
      upstream = upstream || e.cause == "upstream";
    }
    if (explained.empty() && !check->unreadable && !diff.format_changed && existing->exists)
      std::cout << "  same entries, formatted differently from what kernels lock writes\n";
    if (upstream && !project)
      std::cout << "The project did not change: upstream moved. Run `kernels lock` to follow it.\n";
    else std::cout << "Run `kernels lock` to update it.\n";
    return kExitProblems;
  }

  // Never drop what the config does not name without being told to.
  if (!o.config_file.empty() && !o.prune && before) {
    std::string dropped;
    for (const auto& c : diff.kernels) {
      if (c.change != lockfile::Change::Removed) continue;
      if (!dropped.empty()) dropped += ", ";
      dropped += c.label.empty() ? c.repo_id : c.label;
    }
    if (!dropped.empty()) {
      error_lines(input->lock_path + " holds " + dropped + ", which " + o.config_file +
                  " does not name; nothing was written.\nWrite this config's lock elsewhere with --output PATH, or "
                  "pass --prune to drop those entries");
      return kExitUsage;
    }
  }

  auto written = lockfile::write_lock_if_changed(input->lock_path, resolution->lock);
  if (!written.ok()) {
    return report_error("lock", written.error());
  }
  const char* what = *written == lockfile::WriteOutcome::Created   ? "created"
                     : *written == lockfile::WriteOutcome::Updated ? "updated"
                                                                   : "unchanged";
  if (json) {
    finish_json(what);
    return kExitOk;
  }
  if (term.verbosity >= 0) {
    std::string title = *written == lockfile::WriteOutcome::Created   ? "Wrote"
                        : *written == lockfile::WriteOutcome::Updated ? "Updated"
                                                                      : "Unchanged";
    std::cerr << paint(term.color_stderr, Style::Bold, title) << " " << input->lock_path << " ("
              << format_name(choice->format) << ", " << stats.str() << ")\n";
    if (*written != lockfile::WriteOutcome::Created) {
      if (diff.format_changed && before)
        std::cerr << "  converted from " << format_name(before->format) << " to " << format_name(choice->format)
                  << "\n";
      for (const auto& e : explained)
        for (const auto& line : change_lines(e)) std::cerr << "  " << line << "\n";
    }
  }
  return kExitOk;
}

}  // namespace

void register_lock(CLI::App& app, int* exit_code) {
  CLI::App* cmd = app.add_subcommand("lock", "Pin kernel dependencies to commits in kernels.lock (both lock formats)");
  auto o = std::make_shared<Options>();
  cmd->add_option("project_dir", o->project_dir, "Directory holding pyproject.toml (default: .)")
      ->option_text("PROJECT_DIR");
  cmd->add_option("--config", o->config_file, "Lock the Hub repos of this KernelConfig TOML instead")
      ->option_text("FILE");
  cmd->add_option("--output", o->output, "Where to write the lock (default: kernels.lock beside the input)")
      ->option_text("PATH");
  cmd->add_flag("--check", o->check, "Resolve and compare; write nothing; exit 1 saying why the lock is stale");
  cmd->add_flag("--locked,--frozen", o->locked,
                "No network: exit 1 unless the lock covers exactly the declared dependencies");
  cmd->add_option("--update", o->update, "Re-resolve only the dependencies on this repo; keep every other entry")
      ->option_text("REPO...");
  cmd->add_flag("--migrate", o->migrate, "Convert the existing lock to the other format, at the commits it pins");
  cmd->add_option("--lock-format", o->lock_format, "variant-hashes or kernels-data (default: see below)")
      ->option_text("NAME");
  cmd->add_flag("--prune", o->prune, "With --config: drop entries of the existing lock that the config does not name");
  cmd->add_option("--format", o->format, "Output: human (default) or json")->option_text("FORMAT");
  cmd->add_option("--jobs,-j", o->jobs, "Kernels resolved at once (default 8)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{256}))
      ->option_text("N");
  add_hub_options(cmd, o->hub);
  cmd->footer(std::string(kFooter) + kHubEnvironmentHelp + kExitStatus);
  cmd->callback([=] { *exit_code = run_lock(*o); });
}

}  // namespace kernels::cli
