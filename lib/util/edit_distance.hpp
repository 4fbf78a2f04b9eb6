// Edit distance, for "did you mean" suggestions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kernels {

// Optimal string alignment distance: insertions, deletions, substitutions
// and transpositions of adjacent characters each cost 1 (bytes, case-sensitive).
std::size_t edit_distance(std::string_view a, std::string_view b);

// The candidate nearest to `word`, if it is close enough to be a plausible
// typo: distance at most max(1, word.size() / 3) (at most 3). Ties: the first candidate.
std::optional<std::string> nearest(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace kernels
