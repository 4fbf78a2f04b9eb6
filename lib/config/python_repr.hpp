// How Python's str() and repr() render the value a TOML value stands for, so
// that messages copied from transformers read exactly as Python prints them
// (e.g. "got: ['a', 1]", "<class 'list'>").
#pragma once

#include <string>
#include <vector>

#include "config/toml.hpp"

namespace kernels::config {

// repr() of a Python str: quotes and escapes as CPython chooses them.
std::string python_repr(const std::string& s);
// str() / repr() of the Python object equivalent to `v` (table = dict, array = list).
std::string python_str(const toml::Value& v);
std::string python_repr(const toml::Value& v);
// repr() of a list of strings: ['a', 'b'].
std::string python_list(const std::vector<std::string>& items);
// str(type(x)) of the Python equivalent: "<class 'list'>".
std::string python_type(const toml::Value& v);

}  // namespace kernels::config
