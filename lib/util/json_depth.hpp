// How deep a JSON text nests, found by one linear scan before a parser sees
// it: nlohmann's parser is iterative, but the value it builds is recursive
// (copies, comparisons, dumps), so every JSON input the tool reads is held to
// a nesting limit first.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace kernels {

// The byte offset of the first '[' or '{' that opens level max_depth + 1,
// or nullopt when `text` never nests deeper than max_depth. Brackets inside
// strings do not count; malformed text is the parser's business.
std::optional<std::size_t> json_too_deep(std::string_view text, int max_depth);

}  // namespace kernels
