// Matching a fusion's parent pattern against the model's module paths, as
// transformers does for n-to-1 fusion: '*' stands for one path segment of
// word characters ([A-Za-z0-9_]+); everything else is literal.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace kernels::config {

// True when the dotted `module` path matches `pattern` in full.
bool pattern_matches(std::string_view pattern, std::string_view module);

struct FusionMatch {
  std::vector<std::string> matched;     // modules matching the parent pattern, in the given order
  std::vector<std::string> incomplete;  // those lacking at least one child
};

// Modules matching `parent_pattern`, and which of them lack one of `children`
// (a child exists when "<module>.<child>" is among `modules`).
FusionMatch match_fusion(const std::string& parent_pattern, const std::vector<std::string>& children,
                         const std::vector<std::string>& modules);

}  // namespace kernels::config
