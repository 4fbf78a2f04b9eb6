// `kernels info ORG/REPO [--revision R | --version N] [--json]`: what a
// kernel repository holds at one revision: its commit, versions, build
// variants, files and sizes, and its kernel-status.toml redirect, if any.
#include <nlohmann/json.hpp>

#include <iostream>

#include "cli/commands.hpp"
#include "cli/json_output.hpp"
#include "cli/exit_codes.hpp"
#include "cli/report.hpp"
#include "cli/format_option.hpp"
#include "cli/hub_options.hpp"
#include "cli/term.hpp"
#include "hub/versions.hpp"
#include "util/terminal_text.hpp"

namespace kernels::cli {

namespace {

struct InfoArgs {
  std::string repo;
  std::string revision;
  int version = -1;
  std::string format = "human";
  HubOptions hub;
};

std::string human_size(std::uint64_t bytes) {
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

int run_info(const InfoArgs& args) {
  auto made = make_repo_client(args.repo, args.hub);
  if (!made.ok()) {
    return report_error("info", made.error());
  }
  const hub::HubClient& client = **made;
  auto fail = [](const Error& e) { return report_error("info", e); };

  auto refs = client.list_refs(args.repo);
  if (!refs.ok() && !(refs.error().code == ErrorCode::offline && !args.revision.empty())) return fail(refs.error());
  auto versions = refs.ok() ? hub::versions_from_refs(*refs) : std::map<int, hub::GitRef>{};

  // --version N is the branch vN; neither flag: the highest version, else main.
  std::string revision = args.revision;
  if (args.version >= 0) {
    auto ref = hub::resolve_version(args.repo, *refs, args.version);
    if (!ref.ok()) return fail(ref.error());
    revision = ref->name;
  } else if (revision.empty()) {
    revision = versions.empty() ? "main" : versions.rbegin()->second.name;
  }

  auto info = client.repo_info(args.repo, revision);
  if (!info.ok()) return fail(info.error());
  auto tree = client.list_tree(args.repo, info->sha, "", true);
  if (!tree.ok()) return fail(tree.error());
  // The file is in the listing or there is no redirect; offline, a cache
  // that never recorded the answer makes it unknown (shown as such), not "none".
  bool has_status = false;
  for (const auto& e : *tree) has_status = has_status || (!e.is_directory && e.path == "kernel-status.toml");
  Result<std::optional<hub::Redirect>> redirect = std::optional<hub::Redirect>{};
  bool redirect_unknown = false;
  if (has_status || client.config().offline) redirect = client.kernel_status(args.repo, info->sha);
  if (!redirect.ok() && redirect.error().code == ErrorCode::offline) {
    redirect_unknown = true;
    redirect = std::optional<hub::Redirect>{};
  }
  if (!redirect.ok()) return fail(redirect.error());

  std::size_t file_count = 0;
  std::uint64_t total = 0;
  for (const auto& e : *tree) {
    if (e.is_directory) continue;
    ++file_count;
    if (__builtin_add_overflow(total, e.size, &total)) {
      return fail(Error{ErrorCode::bad_response, "the file sizes of " + args.repo + " add up to more than 2^64 bytes"});
    }
  }
  const std::vector<std::string> variants = hub::build_variants_of(*tree);

  if (args.format == "json") {
    using ojson = nlohmann::ordered_json;
    ojson out = json_document();
    out["repo_id"] = args.repo;
    out["revision"] = revision;
    out["commit"] = info->sha;
    out["versions"] = ojson::array();
    for (const auto& [n, ref] : versions) out["versions"].push_back(n);
    out["redirect"] = redirect_unknown ? ojson("unknown")
                      : *redirect
                          ? ojson{{"destination", (*redirect)->destination}, {"revision", (*redirect)->revision}}
                          : ojson(nullptr);
    out["variants"] = variants;
    out["files"] = ojson::array();  // streamed below: a listing can have a million files
    out["total_size"] = total;
    print_json_streaming(out, "files", [&](const auto& emit) {
      for (const auto& f : *tree) {
        if (f.is_directory) continue;
        ojson item{{"path", std::string(f.path)}, {"size", f.size}, {"oid", f.oid.str()}};
        if (f.lfs) item["lfs"] = ojson{{"oid", f.lfs->oid.str()}, {"size", f.lfs->size}};
        emit(item);
      }
    });
    return kExitOk;
  }

  bool color = terminal().color_stdout;
  auto label = [&](const std::string& l) { return paint(color, Style::Bold, l); };
  const std::string listed_versions = hub::version_list(versions);
  std::string variant_list;
  for (const auto& v : variants) variant_list += (variant_list.empty() ? "" : ", ") + v;
  std::cout << label("Repository:") << " " << args.repo << "\n";
  std::cout << label("Revision:") << "   " << revision << "\n";
  std::cout << label("Commit:") << "     " << info->sha << "\n";
  std::cout << label("Versions:") << "   " << (listed_versions.empty() ? "-" : listed_versions) << "\n";
  std::cout << label("Redirect:") << "   "
            << (redirect_unknown ? std::string("unknown (offline, not in the cache)")
                : *redirect      ? (*redirect)->destination + " (revision " + (*redirect)->revision + ")"
                                 : std::string("-"))
            << "\n";
  std::cout << label("Variants:") << "   " << (variant_list.empty() ? "-" : variant_list) << "\n";
  std::cout << label("Files:") << "      " << file_count << " (" << human_size(total) << ")\n";
  for (const auto& f : *tree) {
    if (f.is_directory) continue;
    std::string size = std::to_string(f.size);
    std::cout << "  " << std::string(size.size() < 12 ? 12 - size.size() : 0, ' ') << size << "  "
              << one_line(f.path, 4096) << (f.lfs ? paint(color, Style::Dim, "  (LFS)") : "") << "\n";
  }
  return kExitOk;
}

}  // namespace

void register_info(CLI::App& app, int* exit_code) {
  CLI::App* cmd = app.add_subcommand("info", "Show a kernel repository's commit, versions, variants and files");
  auto args = std::make_shared<InfoArgs>();
  cmd->add_option("repo", args->repo, "Repository id, ORG/NAME")->required();
  auto* rev = cmd->add_option("--revision", args->revision, "A branch, tag or commit")->option_text("REV");
  auto* ver = cmd->add_option("--version", args->version, "Version N (the branch vN)")
                  ->option_text("N")
                  ->check(CLI::NonNegativeNumber);
  rev->excludes(ver);
  add_format_option(cmd, args->format, true,
                    "{repo_id, revision, commit, versions, redirect, variants, files, total_size}");
  add_hub_options(cmd, args->hub);
  cmd->footer(std::string("Without --revision or --version, shows the highest version (or main when there is none).\n"
                          "Sizes are the files' real sizes (LFS files: their content, not the pointer).\n\n"
                          "Examples:\n"
                          "  kernels info kernels-community/relu\n"
                          "  kernels info kernels-community/relu --version 1\n"
                          "  kernels info kernels-community/relu --revision v1.0 --format json\n\n") +
              kHubEnvironmentHelp +
              "\nExit status: 0 shown, 1 repository, revision or version not found (or not cached offline),\n"
              "2 usage, network or server error.");
  cmd->callback([=] { *exit_code = run_info(*args); });
}

}  // namespace kernels::cli
