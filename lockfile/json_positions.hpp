// Where the values of a JSON text start, so that errors about a well-formed
// document's contents can name a line and column. Internal to lockfile/.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kernels::lockfile::detail {

struct JsonPosition {
  JsonPosition() = default;            // declared: clang 14 needs it for the vector of pairs of this incomplete type
  std::size_t offset = 0;              // byte offset of the value's first character
  std::size_t key_offset = 0;          // for an object member: byte offset of its key's opening quote
  std::vector<JsonPosition> elements;  // an array's elements
  std::vector<std::pair<std::string, JsonPosition>> members;  // an object's members, keys decoded

  const JsonPosition* element(std::size_t index) const;
  // The last member called `key` (the one whose value a JSON reader keeps), or nullptr.
  const JsonPosition* member(std::string_view key) const;
};

// Positions in `text`, which must be JSON that a parser has already accepted.
// Values nested deeper than `max_depth` are recorded without their contents,
// so deep documents cost no recursion.
JsonPosition locate_json(std::string_view text, int max_depth);

// "LINE:COLUMN", both 1-based, the column counted in bytes.
std::string line_column(std::string_view text, std::size_t offset);

}  // namespace kernels::lockfile::detail
