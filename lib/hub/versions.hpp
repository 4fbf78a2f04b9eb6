// Kernel versions: branches named v<N> (the kernels library's rule; only
// "v" followed by digits is accepted here, so "v01" is 1 but "v1_0" is not
// a version). Tags are never versions.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "hub/types.hpp"
#include "util/result.hpp"

namespace kernels::hub {

// N for a branch name "vN", or nullopt.
std::optional<int> version_of_branch(const std::string& name);

// Version number → branch, ascending. A later duplicate ("v01" after "v1")
// replaces an earlier one, as in Python.
std::map<int, GitRef> versions_from_refs(const Refs& refs);

// "1, 2, 10": the version numbers, ascending, for a message ("" for none).
std::string version_list(const std::map<int, GitRef>& versions);

// The branch of version N. Errors (code "VersionNotFound"):
// "Version 3 not found, available versions: 1, 2" or, with none at all,
// "Repository org/name does not support kernel versions".
Result<GitRef> resolve_version(const std::string& repo, const Refs& refs, int version);

}  // namespace kernels::hub
