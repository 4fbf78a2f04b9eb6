#include <catch2/catch.hpp>

#include "hub/versions.hpp"

using kernels::ErrorCode;

using namespace kernels::hub;

TEST_CASE("only branches v<digits> are versions, tags never", "[hub][versions]") {
  CHECK(version_of_branch("v1") == 1);
  CHECK(version_of_branch("v10") == 10);
  CHECK(version_of_branch("v01") == 1);
  CHECK_FALSE(version_of_branch("v"));
  CHECK_FALSE(version_of_branch("v1.0"));
  CHECK_FALSE(version_of_branch("main"));
  CHECK_FALSE(version_of_branch("v-1"));
  Refs refs;
  refs.branches = {{"main", "refs/heads/main", "a"}, {"v2", "refs/heads/v2", "b"}, {"v10", "refs/heads/v10", "c"}};
  refs.tags = {{"v3", "refs/tags/v3", "d"}};
  auto versions = versions_from_refs(refs);
  REQUIRE(versions.size() == 2);
  CHECK(versions.begin()->first == 2);  // numeric order, not text order
  CHECK(versions.rbegin()->first == 10);
}

TEST_CASE("an unknown version names the available ones, numerically", "[hub][versions]") {
  Refs refs;
  refs.branches = {{"v10", "refs/heads/v10", "c"}, {"v2", "refs/heads/v2", "b"}, {"v1", "refs/heads/v1", "a"}};
  auto ok = resolve_version("o/k", refs, 2);
  REQUIRE(ok.ok());
  CHECK(ok->target_commit == "b");
  auto missing = resolve_version("o/k", refs, 3);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::version_not_found);
  CHECK(missing.error().message == "Version 3 not found, available versions: 1, 2, 10");
  auto none = resolve_version("o/k", Refs{}, 1);
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().message.find("does not support kernel versions") != std::string::npos);
}
