#include <catch2/catch.hpp>

#include "util/edit_distance.hpp"

using kernels::edit_distance;
using kernels::nearest;

TEST_CASE("edit_distance counts insertions, deletions, substitutions and swaps", "[util][edit_distance]") {
  CHECK(edit_distance("", "") == 0);
  CHECK(edit_distance("version", "version") == 0);
  CHECK(edit_distance("", "abc") == 3);
  CHECK(edit_distance("verison", "version") == 1);   // adjacent transposition
  CHECK(edit_distance("revison", "revision") == 1);  // insertion
  CHECK(edit_distance("kitten", "sitting") == 3);
  CHECK(edit_distance("devic", "device") == 1);
}

TEST_CASE("nearest suggests only plausible typos", "[util][edit_distance]") {
  std::vector<std::string> keys{"repo", "version", "revision", "trust_remote_code"};
  CHECK(nearest("verison", keys) == std::optional<std::string>("version"));
  CHECK(nearest("rpeo", keys) == std::optional<std::string>("repo"));
  CHECK(nearest("trust_remote_cod", keys) == std::optional<std::string>("trust_remote_code"));
  CHECK_FALSE(nearest("colour", keys).has_value());
  CHECK_FALSE(nearest("x", {}).has_value());
}
