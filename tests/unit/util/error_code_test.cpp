#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "util/error_code.hpp"

using kernels::error_code_count;
using kernels::error_code_meaning;
using kernels::error_code_name;
using kernels::ErrorCode;
using kernels::find_error_code;

TEST_CASE("error codes: every name is unique, printable and finds its code again", "[util][error_code]") {
  REQUIRE(error_code_count() > 40);
  std::set<std::string> names;
  for (std::size_t i = 0; i < error_code_count(); ++i) {
    auto code = static_cast<ErrorCode>(i);
    std::string name(error_code_name(code));
    INFO(name);
    CHECK(names.insert(name).second);
    CHECK_FALSE(name.empty());
    CHECK(name.find_first_of(" \t\n,;") == std::string::npos);
    CHECK_FALSE(error_code_meaning(code).empty());
    CHECK(find_error_code(name) == code);
  }
}

TEST_CASE("error codes: the Hub's X-Error-Code names map, other words do not", "[util][error_code]") {
  CHECK(find_error_code("RepoNotFound") == ErrorCode::repo_not_found);
  CHECK(find_error_code("RevisionNotFound") == ErrorCode::revision_not_found);
  CHECK(find_error_code("EntryNotFound") == ErrorCode::entry_not_found);
  CHECK(find_error_code("GatedRepo") == ErrorCode::gated_repo);
  CHECK_FALSE(find_error_code("repo_not_found"));  // the enumerator is not the name
  CHECK_FALSE(find_error_code("repornotfound"));
  CHECK_FALSE(find_error_code(""));
  CHECK(find_error_code("bad-path") == ErrorCode::bad_path);
}
