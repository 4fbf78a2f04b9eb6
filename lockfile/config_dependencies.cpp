#include "lockfile/config_dependencies.hpp"

#include <map>

#include "config/dependencies.hpp"

namespace kernels::lockfile {

Result<std::vector<Dependency>> dependencies_from_config(const config::Config& cfg) {
  auto where = [&](const config::HubDependency& d) {
    return cfg.file + ":" + std::to_string(d.pos.line) + ":" + std::to_string(d.pos.column);
  };
  std::vector<Dependency> out;
  std::map<std::string, config::HubDependency> first;  // repo id -> its first mention
  std::string problems;
  auto add_problem = [&](const std::string& line) {
    if (!problems.empty()) problems += "\n";
    problems += line;
  };
  for (const auto& d : config::hub_dependencies(cfg)) {
    auto [it, fresh] = first.emplace(d.repo_id, d);
    if (!fresh) {
      if (!config::same_pin(it->second, d)) {
        add_problem(where(d) + ": " + d.repo_id + " is asked for at " + config::pin_text(d) + " here and at " +
                    config::pin_text(it->second) + " at " + where(it->second) +
                    "; a lock pins one commit per repo, so use one version or revision for it");
      }
      continue;
    }
    Dependency dep{d.repo_id, std::nullopt, std::nullopt, where(d)};
    if (d.revision) {
      dep.revision = *d.revision;
    } else {
      std::int64_t v = d.version.value_or(1);
      if (v < 0) {
        add_problem(where(d) + ": " + d.repo_id + ": version " + std::to_string(v) + " is negative");
        continue;
      }
      dep.version = static_cast<std::uint64_t>(v);
    }
    out.push_back(std::move(dep));
  }
  if (!problems.empty()) return Error{ErrorCode::dependency, problems};
  return out;
}

}  // namespace kernels::lockfile
