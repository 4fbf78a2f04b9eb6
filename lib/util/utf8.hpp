// UTF-8 validation and code-point counting (RFC 3629: no overlongs, no
// surrogates, nothing above U+10FFFF).
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace kernels {

// The byte offset of the first byte that does not start a valid UTF-8
// sequence, or nullopt when `text` is valid UTF-8 throughout.
std::optional<std::size_t> find_invalid_utf8(std::string_view text);

// The number of code points in valid UTF-8 `text` (continuation bytes are not counted).
std::size_t utf8_length(std::string_view text);

}  // namespace kernels
