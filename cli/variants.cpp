// `kernels variants ORG/REPO`: this machine, then every build variant of one
// revision marked preferred, compatible or rejected with the reason, and,
// when none fits, which newer version has one that would.
#include <nlohmann/json.hpp>

#include <iostream>

#include "cli/commands.hpp"
#include "cli/json_output.hpp"
#include "cli/exit_codes.hpp"
#include "cli/download_choice.hpp"
#include "cli/hub_options.hpp"
#include "cli/report.hpp"
#include "cli/system_options.hpp"
#include "cli/term.hpp"
#include "hub/versions.hpp"
#include "lockfile/reader.hpp"
#include "variants/select.hpp"

namespace kernels::cli {

namespace {

struct Args {
  std::string repo;
  std::string revision;
  int version = -1;
  std::string lock;
  bool only_compatible = false;
  std::string format = "human";
  variants::ProbeOptions probe;
  HubOptions hub;
};

struct Hint {
  int version = 0;
  std::string variant;
};

// The lowest version above `after` that has a variant this machine would take.
std::optional<Hint> newer_version_hint(const hub::HubClient& client, const std::string& repo,
                                       const std::map<int, hub::GitRef>& versions, int after,
                                       const variants::System& system) {
  for (auto it = versions.upper_bound(after); it != versions.end(); ++it) {
    auto names = hub::list_build_variants(client, repo, it->second.target_commit);
    if (!names.ok()) continue;
    auto judged =
        variants::judge_variants(candidates_with_archs(client, repo, it->second.target_commit, *names, system), system);
    if (const auto* p = variants::preferred(judged)) return Hint{it->first, p->name};
  }
  return std::nullopt;
}

int run_variants(const Args& args) {
  if (args.format != "human" && args.format != "json") {
    return report_error("variants",
                        Error{ErrorCode::usage, "--format takes human or json, not \"" + args.format + "\""});
  }
  auto made = make_repo_client(args.repo, args.hub);
  if (!made.ok()) {
    return report_error("variants", made.error());
  }
  auto system = variants::probe_system(args.probe);
  if (!system.ok()) {
    return report_error("variants", system.error());
  }
  const hub::HubClient& client = **made;
  auto fail = [](const Error& e) { return report_error("variants", e); };

  // Which commit: the lock's, --revision's, version N's, else the highest version's (or main's).
  std::string revision = args.revision;
  std::map<int, hub::GitRef> versions;
  int current_version = -1;
  if (!args.lock.empty()) {
    auto lock = lockfile::read_lock(args.lock);
    if (!lock.ok()) {
      return report_error("variants", lock.error());
    }
    const auto* entry = lock->find(args.repo);
    if (entry == nullptr) {
      return report_error("variants", Error{ErrorCode::not_locked, args.repo + " is not in " + args.lock});
    }
    revision = entry->sha;
  }
  if (revision.empty() || args.version >= 0) {
    auto refs = client.list_refs(args.repo);
    if (!refs.ok()) return fail(refs.error());
    versions = hub::versions_from_refs(*refs);
    if (args.version >= 0) {
      auto ref = hub::resolve_version(args.repo, *refs, args.version);
      if (!ref.ok()) return fail(ref.error());
      revision = ref->name;
      current_version = args.version;
    } else if (versions.empty()) {
      revision = "main";
    } else {
      revision = versions.rbegin()->second.name;
      current_version = versions.rbegin()->first;
    }
  }
  auto info = client.repo_info(args.repo, revision);
  if (!info.ok()) return fail(info.error());
  auto names = hub::list_build_variants(client, args.repo, info->sha);
  if (!names.ok()) return fail(names.error());
  auto judged = variants::judge_variants(candidates_with_archs(client, args.repo, info->sha, *names, *system), *system);
  const auto* best = variants::preferred(judged);
  std::optional<Hint> hint;
  if (best == nullptr && current_version >= 0)
    hint = newer_version_hint(client, args.repo, versions, current_version, *system);

  if (args.format == "json") {
    using ojson = nlohmann::ordered_json;
    ojson out = json_document();
    out["system"] = system_json(*system);
    out["repo_id"] = args.repo;
    out["revision"] = revision;
    out["commit"] = info->sha;
    out["preferred"] = best ? ojson(best->name) : ojson(nullptr);
    out["variants"] = ojson::array();
    for (const auto& j : judged) {
      if (args.only_compatible && j.verdict == variants::Verdict::Rejected) continue;
      ojson v{{"name", j.name}, {"verdict", variants::verdict_name(j.verdict)}};
      v["reason"] = j.reason.empty() ? ojson(nullptr) : ojson(j.reason);
      out["variants"].push_back(v);
    }
    out["hint"] = hint ? ojson{{"version", hint->version}, {"variant", hint->variant}} : ojson(nullptr);
    print_json(out);
    return best ? kExitOk : kExitProblems;
  }

  bool color = terminal().color_stdout;
  std::cout << paint(color, Style::Bold, "This machine:") << "\n" << describe_system(*system);
  std::cout << paint(color, Style::Bold, args.repo + " at " + revision) << " (" << info->sha << "):\n";
  if (judged.empty()) std::cout << "  (no build variants)\n";
  std::size_t width = 0;
  for (const auto& j : judged) width = std::max(width, j.name.size());
  std::size_t hidden = 0;
  for (const auto& j : judged) {
    if (args.only_compatible && j.verdict == variants::Verdict::Rejected) {
      ++hidden;
      continue;
    }
    std::string pad(width - j.name.size() + 2, ' ');
    switch (j.verdict) {
      case variants::Verdict::Preferred:
        std::cout << "  " << j.name << pad << paint(color, Style::Green, "preferred") << "\n";
        break;
      case variants::Verdict::Compatible:
        std::cout << "  " << j.name << pad << paint(color, Style::Green, "compatible") << "\n";
        break;
      case variants::Verdict::Rejected:
        std::cout << "  " << j.name << pad << paint(color, Style::Dim, "rejected: " + j.reason) << "\n";
        break;
    }
  }
  if (hidden > 0) std::cout << "  (" << hidden << " rejected, not shown: --only-compatible)\n";
  if (best == nullptr) {
    std::cout << "No build variant of " << args.repo << " at " << revision << " fits this machine.\n";
    if (hint) {
      std::cout << "hint: version " << hint->version << " has one: " << hint->variant << " (kernels variants "
                << args.repo << " --version " << hint->version << ")\n";
    }
    return kExitProblems;
  }
  return kExitOk;
}

}  // namespace

void register_variants(CLI::App& app, int* exit_code) {
  CLI::App* cmd = app.add_subcommand("variants", "Which build variants of a kernel this machine can load, and why not");
  auto args = std::make_shared<Args>();
  cmd->add_option("repo", args->repo, "Repository id, ORG/NAME")->required();
  auto* rev = cmd->add_option("--revision", args->revision, "A branch, tag or commit")->option_text("REV");
  auto* ver = cmd->add_option("--version", args->version, "Version N (the branch vN)")
                  ->option_text("N")
                  ->check(CLI::NonNegativeNumber);
  auto* lock =
      cmd->add_option("--lock", args->lock, "The commit locked for ORG/NAME in this kernels.lock")->option_text("FILE");
  rev->excludes(ver);
  lock->excludes(rev);
  lock->excludes(ver);
  cmd->add_flag("--only-compatible", args->only_compatible, "Leave out the rejected variants");
  cmd->add_option("--format", args->format, "human (default) or json")->option_text("FORMAT");
  add_system_options(cmd, args->probe);
  add_hub_options(cmd, args->hub);
  cmd->footer(std::string(R"(Judges every folder under build/ at one revision (without --revision, --version
or --lock: the highest version, else main) with the kernels library's rules:
CPU, OS, Torch version and C++ ABI, stable-ABI floor, tvm-ffi version, and
the backend (a CUDA build loads when its major equals the backend's and its
minor is not higher; ROCm and XPU need the exact version; torch-<backend> and
torch-universal are the noarch fallbacks). A CUDA variant whose metadata.json
lists backend.archs must also cover every GPU's compute capability. The first
compatible variant, in the kernels library's order, is the preferred one;
ties are broken by name. When none fits, the lowest newer version that has
one is named.

)") + kSystemHelp +
              R"(
Examples:
  kernels variants kernels-community/relu
  kernels variants kernels-community/relu --version 1 --only-compatible
  kernels variants kernels-community/relu --torch 2.11 --cuda 12.8 --capability 90
  kernels variants kernels-community/relu --lock kernels.lock --format json

)" + kHubEnvironmentHelp +
              "\nExit status: 0 a variant fits, 1 none fits (or the repository, revision or version is not\n"
              "found), 2 usage, network or server error.");
  cmd->callback([=] { *exit_code = run_variants(*args); });
}

}  // namespace kernels::cli
