#include "hub/versions.hpp"

#include <algorithm>
#include <cctype>

namespace kernels::hub {

std::optional<int> version_of_branch(const std::string& name) {
  if (name.size() < 2 || name.size() > 10 || name[0] != 'v') return std::nullopt;
  if (!std::all_of(name.begin() + 1, name.end(), [](unsigned char c) { return std::isdigit(c); })) {
    return std::nullopt;
  }
  return std::stoi(name.substr(1));
}

std::map<int, GitRef> versions_from_refs(const Refs& refs) {
  std::map<int, GitRef> out;
  for (const auto& b : refs.branches) {
    if (auto n = version_of_branch(b.name)) out[*n] = b;
  }
  return out;
}

std::string version_list(const std::map<int, GitRef>& versions) {
  std::string list;
  for (const auto& [n, ref] : versions) list += (list.empty() ? "" : ", ") + std::to_string(n);
  return list;
}

Result<GitRef> resolve_version(const std::string& repo, const Refs& refs, int version) {
  auto versions = versions_from_refs(refs);
  auto it = versions.find(version);
  if (it != versions.end()) return it->second;
  if (versions.empty()) {
    return Error{ErrorCode::version_not_found, "Version " + std::to_string(version) + " not found: repository " + repo +
                                                   " does not support kernel versions (it has no v<N> branches)"};
  }
  return Error{ErrorCode::version_not_found,
               "Version " + std::to_string(version) + " not found, available versions: " + version_list(versions)};
}

}  // namespace kernels::hub
