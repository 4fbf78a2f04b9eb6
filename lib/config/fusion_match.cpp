#include "config/fusion_match.hpp"

#include <algorithm>
#include <unordered_set>
#include <vector>

namespace kernels::config {
namespace {

bool word(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }

// Glob match where '*' matches one or more word characters (never a '.').
// Dynamic programming over (pattern prefix, text prefix): linear in their product.
bool glob(std::string_view p, std::string_view s) {
  // at[j]: p[0..i) matches s[0..j)
  std::vector<char> at(s.size() + 1, 0), next(s.size() + 1, 0);
  at[0] = 1;
  for (char pc : p) {
    std::fill(next.begin(), next.end(), 0);
    for (std::size_t j = 0; j < s.size(); ++j) {
      if (pc == '*') {
        // extend by one word character, either starting the star or continuing it
        if (word(s[j]) && (at[j] || next[j])) next[j + 1] = 1;
      } else if (at[j] && s[j] == pc) {
        next[j + 1] = 1;
      }
    }
    if (pc == '*') next[0] = 0;
    std::swap(at, next);
  }
  return at[s.size()] != 0;
}

}  // namespace

bool pattern_matches(std::string_view pattern, std::string_view module) {
  // Split into segments so that the backtracking stays per segment.
  while (true) {
    auto pd = pattern.find('.');
    auto md = module.find('.');
    if ((pd == std::string_view::npos) != (md == std::string_view::npos)) return false;
    if (!glob(pattern.substr(0, pd), module.substr(0, md))) return false;
    if (pd == std::string_view::npos) return true;
    pattern.remove_prefix(pd + 1);
    module.remove_prefix(md + 1);
  }
}

FusionMatch match_fusion(const std::string& parent_pattern, const std::vector<std::string>& children,
                         const std::vector<std::string>& modules) {
  std::unordered_set<std::string> all(modules.begin(), modules.end());
  FusionMatch out;
  for (const auto& m : modules) {
    if (!pattern_matches(parent_pattern, m)) continue;
    out.matched.push_back(m);
    for (const auto& c : children)
      if (!all.count(m + "." + c)) {
        out.incomplete.push_back(m);
        break;
      }
  }
  return out;
}

}  // namespace kernels::config
