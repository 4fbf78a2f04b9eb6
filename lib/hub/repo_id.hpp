// Repository ids as huggingface_hub accepts them: "org/name", each part of
// letters, digits, "-", "_", "." (name at most 96), no "--" or "..", not
// ending in ".git".
#pragma once

#include <string>

#include "util/result.hpp"

namespace kernels::hub {

// ok, or an Error (code "usage") that says what is wrong with `id`.
Status validate_repo_id(const std::string& id);

}  // namespace kernels::hub
