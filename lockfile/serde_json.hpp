// Strings as Rust's serde_json writes them (to_string / to_string_pretty):
// '"' and '\\' are escaped, \b \f \n \r \t use their short escapes, every
// other byte below 0x20 becomes \u00XX in lowercase hex, and everything else
// (DEL, '/', all of non-ASCII) is written as is, non-ASCII as raw UTF-8.
#pragma once

#include <string>
#include <string_view>

#include "util/result.hpp"

namespace kernels::lockfile {

// `text` (UTF-8) as a quoted JSON string literal. Error (code "utf8") when
// `text` is not valid UTF-8 (a Rust String cannot hold it); the message says
// at which byte.
Result<std::string> serde_json_string(std::string_view text);

}  // namespace kernels::lockfile
