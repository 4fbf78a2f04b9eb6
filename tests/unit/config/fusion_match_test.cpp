#include <catch2/catch.hpp>

#include "config/fusion_match.hpp"

using namespace kernels::config;

TEST_CASE("pattern_matches: '*' is one segment of word characters", "[config][fusion]") {
  CHECK(pattern_matches("model.layers.*", "model.layers.0"));
  CHECK(pattern_matches("model.layers.*", "model.layers.31"));
  CHECK_FALSE(pattern_matches("model.layers.*", "model.layers"));
  CHECK_FALSE(pattern_matches("model.layers.*", "model.layers.0.mlp"));  // full match only
  CHECK_FALSE(pattern_matches("layers.*", "model.layers.0"));
  CHECK(pattern_matches("model.*.*", "model.h.3"));
  CHECK(pattern_matches("model.layer_*", "model.layer_12"));
  CHECK_FALSE(pattern_matches("model.layer_*", "model.layer_"));                   // '*' needs at least one character
  CHECK_FALSE(pattern_matches("model.layers", "modelxlayers"));                    // '.' is literal
  CHECK_FALSE(pattern_matches("model.*", "model.a-b"));                            // '-' is not a word character
  CHECK(pattern_matches(std::string(40, '*') + "x", std::string(60, 'a') + "x"));  // no exponential backtracking
}

TEST_CASE("match_fusion finds parents and those lacking a child", "[config][fusion]") {
  std::vector<std::string> modules{
      "model",          "model.layers",      "model.layers.0", "model.layers.0.mlp", "model.layers.0.norm",
      "model.layers.1", "model.layers.1.mlp"};
  auto m = match_fusion("model.layers.*", {"norm", "mlp"}, modules);
  CHECK(m.matched == std::vector<std::string>{"model.layers.0", "model.layers.1"});
  CHECK(m.incomplete == std::vector<std::string>{"model.layers.1"});
  auto none = match_fusion("layers.*", {"mlp"}, modules);
  CHECK(none.matched.empty());
}
