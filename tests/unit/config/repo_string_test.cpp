#include <catch2/catch.hpp>

#include "config/repo_string.hpp"

using namespace kernels::config;

TEST_CASE("hub_repo_id_problem explains what is wrong in kernels check's words", "[config][repo]") {
  CHECK(hub_repo_id_problem("kernels-community/activation") == "");
  CHECK(hub_repo_id_problem("") == "a repo id has the form org/name");
  CHECK(hub_repo_id_problem("a/b/c") == "a repo id has exactly one '/' (org/name)");
  CHECK(hub_repo_id_problem("activation") == "a repo id has the form org/name");
  CHECK(hub_repo_id_problem("/name") == "the organisation is empty");
  CHECK(hub_repo_id_problem("org/") == "the repository name is empty");
  CHECK(hub_repo_id_problem("org/.hidden") == "the repository name must start with a letter or digit");
  CHECK(hub_repo_id_problem("org/na me") == "the repository name may contain only letters, digits, '.', '_' and '-'");
  CHECK(hub_repo_id_problem("org/a--b") == "a repo id cannot contain '--'");
  CHECK(hub_repo_id_problem("org/a..b") == "a repo id cannot contain '..'");
  CHECK(hub_repo_id_problem("org/k.git") == "a repo id cannot end in '.git'");
}

TEST_CASE("is_python_identifier", "[config][repo]") {
  CHECK(is_python_identifier("LlamaRMSNorm"));
  CHECK(is_python_identifier("_private9"));
  CHECK(is_python_identifier("apply_rotary_transformers"));
  CHECK_FALSE(is_python_identifier(""));
  CHECK_FALSE(is_python_identifier("9lives"));
  CHECK_FALSE(is_python_identifier("c:d"));
  CHECK_FALSE(is_python_identifier("a-b"));
  CHECK_FALSE(is_python_identifier("class"));
  CHECK_FALSE(is_python_identifier("None"));
}
