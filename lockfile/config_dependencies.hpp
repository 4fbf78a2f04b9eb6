// The dependencies of `kernels lock --config kernels.toml`: every Hub repo a
// KernelConfig names ([kernel_mapping], [[fusion]], [[layer]]; local kernels
// left out), once each, in source order, with the config's version or
// revision (a bare repo string means version 1).
#pragma once

#include <vector>

#include "config/config.hpp"
#include "lockfile/dependencies.hpp"
#include "util/result.hpp"

namespace kernels::lockfile {

// A repo named several times at the same version or revision counts once
// (its first mention). Named at two different ones: error (code
// "dependency") naming both places, one line per repo, e.g.
//   "kernels.toml:7:8: kernels-community/relu is asked for at version 2 here
//    and at version 1 at kernels.toml:2:10; a lock pins one commit per repo"
// Dependency::where is "FILE:LINE:COLUMN" of the repo string.
Result<std::vector<Dependency>> dependencies_from_config(const config::Config& config);

}  // namespace kernels::lockfile
