// Strings as Python's json module writes them with ensure_ascii=True (the
// default): only printable ASCII stays as is; '"' and '\\' are escaped, the
// usual control characters as \n \r \t \b \f, everything else as \uXXXX in
// lowercase hex, with a surrogate pair above U+FFFF.
#pragma once

#include <string>
#include <string_view>

#include "util/result.hpp"

namespace kernels::lockfile {

// `text` (UTF-8) as a quoted JSON string literal. Error (code "utf8") when
// `text` is not valid UTF-8; the message says at which byte.
Result<std::string> python_json_string(std::string_view text);

}  // namespace kernels::lockfile
