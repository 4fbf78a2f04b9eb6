#include <catch2/catch.hpp>

#include "hub/repo_id.hpp"

using kernels::ErrorCode;

using kernels::hub::validate_repo_id;

namespace {

// The problem in words, or nullopt for a valid id.
std::optional<std::string> repo_id_problem(const std::string& id) {
  auto p = kernels::hub::repo_id_problem(id);
  if (!p) return std::nullopt;
  return kernels::hub::describe(*p);
}

}  // namespace

TEST_CASE("repo ids: what the Hub accepts passes", "[hub][repo_id]") {
  for (const std::string& id :
       {std::string("kernels-community/relu"), std::string("a/b"), std::string("Org_1/name.v2"), std::string("0/0"),
        std::string("kernels-test/flash-attn3"), std::string(47, 'a') + "/" + std::string(48, 'b')}) {  // 96 characters
    INFO(id);
    CHECK_FALSE(repo_id_problem(id));
  }
}

TEST_CASE("repo ids: each rule is explained", "[hub][repo_id]") {
  CHECK(*repo_id_problem("") == "it is empty");
  CHECK(*repo_id_problem("relu") == "it has no '/' (expected org/name)");
  CHECK(*repo_id_problem("a/b/c") == "it has more than one '/' (expected org/name)");
  CHECK(*repo_id_problem("/b") == "the org part is empty");
  CHECK(*repo_id_problem("a/") == "the name part is empty");
  CHECK(*repo_id_problem("-a/b") == "the org part must start with a letter or digit, not '-'");
  CHECK(*repo_id_problem("a/.b") == "the name part must start with a letter or digit, not '.'");
  CHECK(*repo_id_problem("a/b c") == "the name part contains ' ' (allowed: letters, digits, '.', '_', '-')");
  CHECK(*repo_id_problem("a/\xC3\xBC") == "the name part must start with a letter or digit, not '\xC3'");
  CHECK(*repo_id_problem("a/b\xC3\xBC") ==
        "the name part contains a non-ASCII or control byte (allowed: letters, digits, '.', '_', '-')");
  CHECK(*repo_id_problem("a/b--c") == "it contains \"--\"");
  CHECK(*repo_id_problem("a/b..c") == "it contains \"..\"");
  CHECK(*repo_id_problem("a/b.git") == "it ends in \".git\"");
  CHECK(*repo_id_problem(std::string(48, 'a') + "/" + std::string(48, 'b')) == "it is 97 characters long (at most 96)");
}

TEST_CASE("validate_repo_id: a usage error that quotes the id and says why", "[hub][repo_id]") {
  CHECK(validate_repo_id("kernels-community/relu").ok());
  CHECK(validate_repo_id("a.b/c_d-1").ok());
  CHECK(validate_repo_id("a/b-").ok());  // spec rule 5: a part may end in '.', '_' or '-'
  for (const char* bad : {"relu", "a/b/c", "a--b/c", "a/b..c", "a/b.git", "-a/b", "a/ b", "/b", "a/"}) {
    INFO(bad);
    CHECK_FALSE(validate_repo_id(bad).ok());
  }
  auto e = validate_repo_id("a/b c");
  REQUIRE_FALSE(e.ok());
  CHECK(e.error().code == ErrorCode::usage);
  CHECK(e.error().message ==
        "'a/b c' is not a valid repository id: the name part contains ' ' (allowed: letters, digits, '.', '_', '-')");
}

TEST_CASE("revision_problem: git ref-name rules keep revisions out of other paths", "[hub][repo_id]") {
  using kernels::hub::revision_problem;
  for (const char* good :
       {"main", "v1", "v0.1.0", "refs/pr/1", "feature/x-y_z", "0123456789abcdef0123456789abcdef01234567"}) {
    CHECK_FALSE(revision_problem(good));
  }
  CHECK(*revision_problem("") == "is empty");
  CHECK(*revision_problem("../x") == "contains \"..\"");
  CHECK(*revision_problem("a//b") == "contains \"//\"");
  CHECK(*revision_problem("/a") == "starts or ends with '/'");
  CHECK(*revision_problem("a b") == "contains ' '");
  CHECK(*revision_problem("a\x1b") == "contains a control character");
  CHECK(*revision_problem("a?b") == "contains '?'");
  CHECK(*revision_problem("-rf") == "starts with '-'");
  CHECK(*revision_problem("x.lock") == "has a component ending in \".lock\"");
  CHECK(*revision_problem("a/.hidden") == "has a component starting with '.'");
  CHECK(*revision_problem(std::string(256, 'a')) == "is 256 bytes long (at most 255)");
}
