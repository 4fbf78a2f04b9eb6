// Which build variants `kernels download` installs, and the candidates
// `kernels variants` judges: the names under build/ with backend.archs from
// each CUDA variant's metadata.json (fetched only when the machine has GPUs
// to check them against), judged by variants/select.
#pragma once

#include <string>
#include <vector>

#include "hub/client.hpp"
#include "util/result.hpp"
#include "variants/select.hpp"

namespace kernels::cli {

std::vector<variants::Candidate> candidates_with_archs(const hub::HubClient& client, const std::string& repo,
                                                       const std::string& commit, const std::vector<std::string>& names,
                                                       const variants::System& system);

// The preferred variant of `names` for `system`, as a one-element list. An
// Error (code "no-variant") when none fits, with the kernels library's trace
// of every variant and why it was refused.
Result<std::vector<std::string>> choose_download_variants(const hub::HubClient& client, const std::string& repo,
                                                          const std::string& commit,
                                                          const std::vector<std::string>& names,
                                                          const variants::System& system);

}  // namespace kernels::cli
