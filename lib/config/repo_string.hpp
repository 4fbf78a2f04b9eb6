// Validation of the pieces of a kernel repo string "org/name:Layer".
#pragma once

#include <string>
#include <string_view>

namespace kernels::config {

// Empty when `id` is a valid Hugging Face Hub repo id (org/name, each part
// [A-Za-z0-9][A-Za-z0-9._-]*, no "--" or "..", at most 96 characters, not
// ending in ".git"); otherwise the reason it is not.
std::string hub_repo_id_problem(std::string_view id);

// True when `name` is a Python identifier (ASCII) and not a keyword.
bool is_python_identifier(std::string_view name);

}  // namespace kernels::config
