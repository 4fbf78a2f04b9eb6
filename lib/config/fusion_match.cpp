#include "config/fusion_match.hpp"

#include <algorithm>
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

ModuleIndex::ModuleIndex(const std::vector<std::string>& modules) : modules_(modules), nodes_(1) {
  for (std::size_t i = 0; i < modules_.size(); ++i) {
    std::string_view rest = modules_[i];
    std::uint32_t at = 0;
    while (true) {
      auto dot = rest.find('.');
      std::string_view seg = rest.substr(0, dot);
      auto it = nodes_[at].next.find(seg);
      if (it == nodes_[at].next.end()) {
        auto fresh = static_cast<std::uint32_t>(nodes_.size());
        nodes_[at].next.emplace(seg, fresh);
        nodes_.emplace_back();
        at = fresh;
      } else {
        at = it->second;
      }
      if (dot == std::string_view::npos) break;
      rest.remove_prefix(dot + 1);
    }
    if (nodes_[at].module < 0) nodes_[at].module = static_cast<std::int64_t>(i);
  }
}

// Iterative (an explicit stack): module paths and patterns may have
// hundreds of thousands of segments.
void ModuleIndex::collect(std::uint32_t root, std::string_view pattern, std::vector<std::size_t>& out) const {
  std::vector<std::pair<std::uint32_t, std::string_view>> todo{{root, pattern}};
  while (!todo.empty()) {
    const std::uint32_t node = todo.back().first;
    const std::string_view rest = todo.back().second;  // not a structured binding: lambdas capture it
    todo.pop_back();
    auto dot = rest.find('.');
    std::string_view seg = rest.substr(0, dot);
    auto descend = [&](std::uint32_t child) {
      if (dot == std::string_view::npos) {
        if (nodes_[child].module >= 0) out.push_back(child);
      } else {
        todo.emplace_back(child, rest.substr(dot + 1));
      }
    };
    if (seg.find('*') == std::string_view::npos) {
      auto it = nodes_[node].next.find(seg);
      if (it != nodes_[node].next.end()) descend(it->second);
      continue;
    }
    for (const auto& [name, child] : nodes_[node].next) {
      if (glob(seg, name)) descend(child);
    }
  }
}

FusionMatch ModuleIndex::match(const std::string& parent_pattern, const std::vector<std::string>& children) {
  auto memo = parents_.find(parent_pattern);
  if (memo == parents_.end()) {
    std::vector<std::size_t> hits;
    collect(0, parent_pattern, hits);
    // In the order the modules were given.
    std::sort(hits.begin(), hits.end(),
              [&](std::size_t a, std::size_t b) { return nodes_[a].module < nodes_[b].module; });
    memo = parents_.emplace(parent_pattern, std::move(hits)).first;
  }
  FusionMatch out;
  for (std::size_t node : memo->second) {
    const std::string& m = modules_[static_cast<std::size_t>(nodes_[node].module)];
    out.matched.push_back(m);
    for (const auto& c : children) {
      auto it = nodes_[node].next.find(c);
      if (it == nodes_[node].next.end() || nodes_[it->second].module < 0) {
        out.incomplete.push_back(m);
        break;
      }
    }
  }
  return out;
}

FusionMatch match_fusion(const std::string& parent_pattern, const std::vector<std::string>& children,
                         const std::vector<std::string>& modules) {
  ModuleIndex index(modules);
  return index.match(parent_pattern, children);
}

}  // namespace kernels::config
