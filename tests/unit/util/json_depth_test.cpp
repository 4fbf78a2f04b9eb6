#include <catch2/catch.hpp>

#include <string>

#include "util/json_depth.hpp"

using kernels::json_too_deep;

TEST_CASE("json_too_deep: finds the bracket that opens one level too many", "[util][json]") {
  CHECK_FALSE(json_too_deep("{\"a\": [1, {\"b\": []}]}", 4));
  CHECK(json_too_deep("{\"a\": [1, {\"b\": []}]}", 3) == std::size_t{16});
  CHECK(json_too_deep("{\"a\": [1, {\"b\": []}]}", 2) == std::size_t{10});
  CHECK_FALSE(json_too_deep("", 0));
  CHECK(json_too_deep("[]", 0) == std::size_t{0});
}

TEST_CASE("json_too_deep: brackets in strings and escaped quotes do not count", "[util][json]") {
  CHECK_FALSE(json_too_deep("[\"[[[[{{{{\"]", 1));
  CHECK_FALSE(json_too_deep("[\"\\\"[[[[\"]", 1));
  CHECK(json_too_deep("[\"\\\\\", [[]]]", 2) == std::size_t{8});
}

TEST_CASE("json_too_deep: a million levels cost one scan", "[util][json]") {
  std::string deep = std::string(1000000, '[') + std::string(1000000, ']');
  CHECK(json_too_deep(deep, 64) == std::size_t{64});
  CHECK_FALSE(json_too_deep(deep, 1000000));
}
