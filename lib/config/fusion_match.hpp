// Matching a fusion's parent pattern against the model's module paths, as
// transformers does for n-to-1 fusion: '*' stands for one path segment of
// word characters ([A-Za-z0-9_]+); everything else is literal.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace kernels::config {

// True when the dotted `module` path matches `pattern` in full.
bool pattern_matches(std::string_view pattern, std::string_view module);

struct FusionMatch {
  std::vector<std::string> matched;     // modules matching the parent pattern, in the given order
  std::vector<std::string> incomplete;  // those lacking at least one child
};

// The model's module paths, indexed once for many fusions: a tree of path
// segments, so that a pattern visits only the branches its literal segments
// allow instead of every module (7000 fusions x 20k modules took 18 s as a
// scan), and a memo, so that a parent pattern repeated across fusions is
// matched once; children are then looked up beside each match.
class ModuleIndex {
 public:
  explicit ModuleIndex(const std::vector<std::string>& modules);

  // Modules matching `parent_pattern`, in the order given, and which of them
  // lack one of `children` (a child exists when "<module>.<child>" is a module).
  FusionMatch match(const std::string& parent_pattern, const std::vector<std::string>& children);

 private:
  struct Node {
    std::unordered_map<std::string_view, std::uint32_t> next;  // segment -> node
    std::int64_t module = -1;                                  // index in modules_, when one ends here
  };
  void collect(std::uint32_t node, std::string_view rest, std::vector<std::size_t>& out) const;

  const std::vector<std::string>& modules_;
  std::vector<Node> nodes_;
  std::unordered_map<std::string, std::vector<std::size_t>> parents_;  // pattern -> matching nodes
};

// One-off form of ModuleIndex::match.
FusionMatch match_fusion(const std::string& parent_pattern, const std::vector<std::string>& children,
                         const std::vector<std::string>& modules);

}  // namespace kernels::config
