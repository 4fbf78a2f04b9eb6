// Hub repo ids as kernels accepts them: "org/name", each part
// [A-Za-z0-9][A-Za-z0-9._-]*, no "--" or "..", at most 96 characters in all,
// not ending in ".git" (the rules of huggingface_hub's validate_repo_id, with
// the org required).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kernels::lockfile {

// Why `id` is not a valid repo id ("it has no '/' ..."), or nullopt if it is.
std::optional<std::string> repo_id_problem(std::string_view id);

}  // namespace kernels::lockfile
