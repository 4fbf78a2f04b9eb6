#include <catch2/catch.hpp>

#include "lockfile/json_positions.hpp"

using kernels::lockfile::detail::line_column;
using kernels::lockfile::detail::locate_json;

// Offsets counted by hand over: {"a\"]": [1, "x}"], "b": {"c": true}}
//   '{' 0, key "a\"]" 1-6, '[' 9, 1 at 10, "x}" 13-16, key "b" 20-22, '{' 25, true at 31.
static const char* kText = R"({"a\"]": [1, "x}"], "b": {"c": true}})";

TEST_CASE("locate_json finds values and keys, brackets inside strings notwithstanding", "[lockfile][json]") {
  auto root = locate_json(kText, 8);
  CHECK(root.offset == 0);
  REQUIRE(root.members.size() == 2);
  CHECK(root.members[0].first == "a\"]");  // decoded
  const auto* a = root.member("a\"]");
  REQUIRE(a);
  CHECK(a->key_offset == 1);
  CHECK(a->offset == 9);
  REQUIRE(a->elements.size() == 2);
  CHECK(a->element(0)->offset == 10);
  CHECK(a->element(1)->offset == 13);
  CHECK(a->element(2) == nullptr);
  const auto* b = root.member("b");
  REQUIRE(b);
  CHECK(b->key_offset == 20);
  CHECK(b->offset == 25);
  CHECK(b->member("c")->offset == 31);
  CHECK(root.member("missing") == nullptr);
}

TEST_CASE("locate_json stops descending at max_depth but keeps counting", "[lockfile][json]") {
  auto root = locate_json(kText, 1);
  const auto* a = root.member("a\"]");
  REQUIRE(a);
  CHECK(a->elements.empty());
  const auto* b = root.member("b");
  REQUIRE(b);
  CHECK(b->offset == 25);  // found after skipping "x}" inside the skipped array
  CHECK(b->members.empty());
}

TEST_CASE("locate_json: a duplicate key's position is its last occurrence", "[lockfile][json]") {
  // '{' 0, "k" 1-3, 1 at 6, "k" 9-11, 2 at 14
  auto root = locate_json(R"({"k": 1, "k": 2})", 4);
  CHECK(root.member("k")->offset == 14);
}

TEST_CASE("line_column counts lines from 1 and columns in bytes from 1", "[lockfile][json]") {
  CHECK(line_column("abc", 0) == "1:1");
  CHECK(line_column("ab\ncd", 3) == "2:1");
  CHECK(line_column("ab\ncd", 4) == "2:2");
  CHECK(line_column("\xC3\xA9x", 2) == "1:3");  // é is two bytes
  CHECK(line_column("ab", 99) == "1:3");        // clamped to the end
}
