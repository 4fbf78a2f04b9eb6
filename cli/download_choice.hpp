// The default choice of build variants for `kernels download`, until the
// full selection (lib/variants/select.hpp) replaces it: every variant this
// machine can run (variants/cuda_compat can_run), CPU variants left out when
// a CUDA driver is present (as the kernels library never falls back to CPU on
// a GPU machine). One function, so that the integrator swaps one call.
#pragma once

#include <string>
#include <vector>

#include "util/result.hpp"
#include "variants/cuda_compat.hpp"

namespace kernels::cli {

// This machine: uname's CPU and OS, the CUDA driver's version from
// libcuda's cuDriverGetVersion (none when libcuda cannot be loaded).
// KERNELS_CUDA_DRIVER overrides the driver: "none", or a version "12.8".
variants::MachineFacts machine_facts();

// The variants of `names` to download for a machine with `facts`. An Error
// (code "no-variant") lists why each variant was refused when none fits.
Result<std::vector<std::string>> choose_download_variants(const variants::MachineFacts& facts,
                                                          const std::vector<std::string>& names);

}  // namespace kernels::cli
