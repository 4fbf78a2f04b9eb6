// `kernels versions ORG/REPO`: the repository's versions (branches v<N>),
// each with its head commit and the build variants it holds.
#include <nlohmann/json.hpp>

#include <iostream>

#include "cli/commands.hpp"
#include "cli/json_output.hpp"
#include "cli/exit_codes.hpp"
#include "cli/format_option.hpp"
#include "cli/hub_options.hpp"
#include "cli/report.hpp"
#include "cli/term.hpp"
#include "hub/versions.hpp"
#include "util/parallel.hpp"

namespace kernels::cli {

namespace {

struct VersionRow {
  int version = 0;
  hub::GitRef branch;
  Result<std::vector<std::string>> variants = std::vector<std::string>{};
};

constexpr std::size_t kListingJobs = 8;

int run_versions(const std::string& repo, const HubOptions& hub_options, bool as_json) {
  auto client = make_repo_client(repo, hub_options);
  if (!client.ok()) {
    return report_error("versions", client.error());
  }
  auto refs = (*client)->list_refs(repo);
  if (!refs.ok()) {
    return report_error("versions", refs.error());
  }
  auto versions = hub::versions_from_refs(*refs);

  // One tree listing per version, at most kListingJobs in flight: a repo
  // with 30k version branches once meant 30k threads.
  std::vector<VersionRow> rows;
  rows.reserve(versions.size());
  for (const auto& [n, branch] : versions) rows.push_back(VersionRow{n, branch});
  parallel_for(rows.size(), kListingJobs, [&](std::size_t i) {
    rows[i].variants = hub::list_build_variants(**client, repo, rows[i].branch.target_commit);
  });
  for (const auto& row : rows) {
    if (!row.variants.ok() && row.variants.error().code != ErrorCode::offline) {
      return report_error("versions", row.variants.error());
    }
  }

  if (as_json) {
    nlohmann::ordered_json out = json_document();
    out["repo_id"] = repo;
    out["versions"] = nlohmann::ordered_json::array();
    for (const auto& row : rows) {
      nlohmann::ordered_json v;
      v["version"] = row.version;
      v["branch"] = row.branch.name;
      v["commit"] = row.branch.target_commit;
      v["variants"] = row.variants.ok() ? nlohmann::ordered_json(*row.variants) : nlohmann::ordered_json(nullptr);
      out["versions"].push_back(v);
    }
    print_json(out);
    return kExitOk;
  }
  if (rows.empty()) {
    std::cout << "Repository does not support kernel versions: " << repo << "\n";
    return kExitOk;
  }
  bool color = terminal().color_stdout;
  for (const auto& row : rows) {
    std::cout << paint(color, Style::Bold, "Version " + std::to_string(row.version) + ":") << " "
              << row.branch.target_commit << "\n";
    if (!row.variants.ok()) {
      std::cout << "  (variants unknown: this version's files are not in the cache)\n";
    } else if (row.variants->empty()) {
      std::cout << "  (no build variants)\n";
    } else {
      for (const auto& v : *row.variants) std::cout << "  " << v << "\n";
    }
  }
  return kExitOk;
}

}  // namespace

void register_versions(CLI::App& app, int* exit_code) {
  CLI::App* cmd = app.add_subcommand("versions", "List a kernel repository's versions and their build variants");
  auto repo = std::make_shared<std::string>();
  auto hub_options = std::make_shared<HubOptions>();
  auto format = std::make_shared<std::string>("human");
  cmd->add_option("repo", *repo, "Repository id, ORG/NAME")->required();
  add_format_option(cmd, *format, true, "{repo_id, versions: [{version, branch, commit, variants}]}");
  add_hub_options(cmd, *hub_options);
  cmd->footer(std::string("A version N is the branch vN; its commit is that branch's head. Variants are the\n"
                          "folders under build/ at that commit.\n\n"
                          "Examples:\n"
                          "  kernels versions kernels-community/relu\n"
                          "  kernels versions kernels-community/relu --format json\n"
                          "  HF_HUB_OFFLINE=1 kernels versions kernels-community/relu   # from the HF cache\n\n") +
              kHubEnvironmentHelp +
              "\nExit status: 0 listed (also when there are no versions), 1 repository not found or not\n"
              "cached offline, 2 usage, network or server error.");
  cmd->callback([=] { *exit_code = run_versions(*repo, *hub_options, *format == "json"); });
}

}  // namespace kernels::cli
