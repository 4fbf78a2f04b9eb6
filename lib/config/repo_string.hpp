// Validation of the pieces of a kernel repo string "org/name:Layer".
#pragma once

#include <string>
#include <string_view>

namespace kernels::config {

// Empty when `id` is a valid Hugging Face Hub repo id (the rule of
// hub/repo_id.hpp); otherwise the reason it is not, in kernels check's words.
std::string hub_repo_id_problem(std::string_view id);

// True when `name` is a Python identifier (ASCII) and not a keyword.
bool is_python_identifier(std::string_view name);

}  // namespace kernels::config
