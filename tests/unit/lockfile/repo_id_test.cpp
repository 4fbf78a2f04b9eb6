#include <catch2/catch.hpp>

#include "lockfile/repo_id.hpp"

using kernels::lockfile::repo_id_problem;

TEST_CASE("repo ids: what the Hub accepts passes", "[lockfile][repo_id]") {
  for (std::string id : {std::string("kernels-community/relu"), std::string("a/b"), std::string("Org_1/name.v2"),
                         std::string("0/0"), std::string("kernels-test/flash-attn3"),
                         std::string(47, 'a') + "/" + std::string(48, 'b')}) {  // 96 characters
    INFO(id);
    CHECK_FALSE(repo_id_problem(id));
  }
}

TEST_CASE("repo ids: each rule is explained", "[lockfile][repo_id]") {
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
