#include <catch2/catch.hpp>

#include "lockfile/dependencies.hpp"
#include "tests/support/process.hpp"

using kernels::ErrorCode;

using kernels::lockfile::Dependency;
using kernels::lockfile::parse_dependencies;
using kernels::lockfile::read_dependencies;
using kernels::test::data_path;
using kernels::test::TempDir;

namespace {

std::vector<Dependency> parse_ok(const std::string& toml) {
  auto r = parse_dependencies(toml, "pyproject.toml");
  if (!r.ok()) FAIL(r.error().message);
  return *r;
}

std::string parse_error(const std::string& toml, ErrorCode code = ErrorCode::dependency) {
  auto r = parse_dependencies(toml, "pyproject.toml");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == code);
  return r.error().message;
}

}  // namespace

TEST_CASE("dependencies of the upstream fixture projects, in document order", "[lockfile][dependencies]") {
  auto deps = read_dependencies(data_path("upstream-kernels/kernel_locking"));
  REQUIRE(deps.ok());
  REQUIRE(deps->size() == 2);
  CHECK((*deps)[0].repo_id == "kernels-community/relu");
  CHECK((*deps)[0].version == 1u);
  CHECK_FALSE((*deps)[0].revision);
  CHECK((*deps)[0].ref() == "v1");
  CHECK((*deps)[0].where == data_path("upstream-kernels/kernel_locking") + "/pyproject.toml:2");
  CHECK((*deps)[1].repo_id == "kernels-test/versions");
  CHECK((*deps)[1].ref() == "v2");
  CHECK((*deps)[1].where == data_path("upstream-kernels/kernel_locking") + "/pyproject.toml:3");
}

TEST_CASE("dependencies keep document order, not key order, in every TOML form", "[lockfile][dependencies]") {
  auto deps = parse_ok(
      "[project]\nname = \"demo\"\n\n"
      "[tool.kernels.dependencies]\n"
      "\"zeta/last-alphabetically\" = 3\n"
      "\"alpha/b\" = { revision = \"main\" }\n"
      "\"mid/c\".version = 0\n"
      "\"beta/d\" = { version = 12 }\n"
      "\n[tool.kernels.dependencies.\"aaa/e\"]\n"
      "revision = \"0123456789abcdef0123456789abcdef01234567\"  # a commit\n");
  REQUIRE(deps.size() == 5);
  CHECK(deps[0].repo_id == "zeta/last-alphabetically");
  CHECK(deps[0].ref() == "v3");
  CHECK(deps[0].where == "pyproject.toml:5");
  CHECK(deps[1].repo_id == "alpha/b");
  CHECK(deps[1].revision == "main");
  CHECK_FALSE(deps[1].version);
  CHECK(deps[1].ref() == "main");
  CHECK(deps[2].repo_id == "mid/c");
  CHECK(deps[2].ref() == "v0");
  CHECK(deps[2].where == "pyproject.toml:7");
  CHECK(deps[3].repo_id == "beta/d");
  CHECK(deps[3].version == 12u);
  CHECK(deps[4].repo_id == "aaa/e");
  CHECK(deps[4].ref() == "0123456789abcdef0123456789abcdef01234567");
  CHECK(deps[4].where == "pyproject.toml:10");
}

TEST_CASE("dependencies: an empty table is no dependencies", "[lockfile][dependencies]") {
  CHECK(parse_ok("[tool.kernels.dependencies]\n").empty());
  CHECK(parse_ok("[tool.kernels]\ndependencies = {}\n").empty());
}

TEST_CASE("dependencies: a missing table says what to write", "[lockfile][dependencies]") {
  for (std::string toml : {"", "[project]\nname = \"x\"\n", "[tool.kernels]\n", "[tool.black]\nline-length = 1\n"}) {
    INFO(toml);
    auto message = parse_error(toml);
    CHECK_THAT(message, Catch::StartsWith("pyproject.toml: no [tool.kernels.dependencies] table;"));
    CHECK_THAT(message, Catch::Contains("\"kernels-community/relu\" = 1"));
  }
  CHECK(parse_error("[tool]\nkernels = 3\n") == "pyproject.toml:2: tool.kernels is an integer, expected a table");
  CHECK(parse_error("[tool.kernels]\ndependencies = [\"a/b\"]\n") ==
        "pyproject.toml:2: tool.kernels.dependencies is an array, expected a table");
}

TEST_CASE("dependencies: the old string specifier form says what to write instead", "[lockfile][dependencies]") {
  CHECK(parse_error("[tool.kernels.dependencies]\n\"kernels-community/activation\" = \">=0.1\"\n") ==
        "pyproject.toml:2: \"kernels-community/activation\" = \">=0.1\" is a version specifier, which kernels no "
        "longer supports; write \"kernels-community/activation\" = N to follow branch vN (`kernels versions "
        "kernels-community/activation` lists them), or \"kernels-community/activation\" = { revision = \"...\" } "
        "for a branch, tag or commit");
  CHECK_THAT(parse_error("[tool.kernels.dependencies]\n\"a/b\" = \">=0.1.0,<0.2.0\"\n"),
             Catch::Contains("is a version specifier"));
  CHECK(parse_error("[tool.kernels.dependencies]\n\"a/b\" = \"main\"\n") ==
        "pyproject.toml:2: \"a/b\" = \"main\": a bare string is not accepted; write \"a/b\" = { revision = \"main\" } "
        "to lock that branch, tag or commit, or \"a/b\" = N to follow branch vN");
}

TEST_CASE("dependencies: wrong value types, both or neither of version and revision", "[lockfile][dependencies]") {
  CHECK(parse_error("[tool.kernels.dependencies]\n\"a/b\" = true\n") ==
        "pyproject.toml:2: \"a/b\" is a boolean; write \"a/b\" = N (branch vN) or \"a/b\" = { revision = \"...\" } "
        "(a branch, tag or commit)");
  CHECK_THAT(parse_error("[tool.kernels.dependencies]\n\"a/b\" = 1.0\n"), Catch::Contains("\"a/b\" is a float;"));
  CHECK(parse_error("[tool.kernels.dependencies]\n\"a/b\" = -1\n") ==
        "pyproject.toml:2: \"a/b\" = -1: the version is negative; a version is a whole number N >= 0, for branch vN");
  CHECK(parse_error("[tool.kernels.dependencies]\n\"a/b\" = { version = 1, revision = \"main\" }\n") ==
        "pyproject.toml:2: \"a/b\": Either a revision or a version must be specified, not both.");
  CHECK(parse_error("[tool.kernels.dependencies]\n\"a/b\" = {}\n") ==
        "pyproject.toml:2: \"a/b\": Either a revision or a version must be specified; write \"a/b\" = { version = N } "
        "or \"a/b\" = { revision = \"...\" }");
  CHECK(parse_error("[tool.kernels.dependencies]\n\"a/b\" = { version = \"1\" }\n") ==
        "pyproject.toml:2: \"a/b\": version is a string; a version is a whole number N, for branch vN");
  CHECK(parse_error("[tool.kernels.dependencies]\n\"a/b\" = { revision = 5 }\n") ==
        "pyproject.toml:2: \"a/b\": revision is an integer; write a branch, tag or commit as a string, e.g. "
        "revision = \"main\"");
  CHECK(parse_error("[tool.kernels.dependencies]\n\"a/b\" = { revision = \"\" }\n") ==
        "pyproject.toml:2: \"a/b\": revision is empty; write a branch, tag or commit");
  CHECK(parse_error("[tool.kernels.dependencies]\n\"a/b\" = { verison = 1 }\n") ==
        "pyproject.toml:2: \"a/b\": unknown key \"verison\" (a dependency takes version or revision)");
}

TEST_CASE("dependencies: bad repo ids, every problem reported on its own line", "[lockfile][dependencies]") {
  auto message = parse_error(
      "[tool.kernels.dependencies]\n"
      "relu = 1\n"
      "\"good/one\" = 1\n"
      "\"a/b/c\" = 1\n"
      "\"org/x\" = \">=1\"\n");
  CHECK(
      message ==
      "pyproject.toml:2: \"relu\" is not a Hub repo id: it has no '/' (expected org/name)\n"
      "pyproject.toml:4: \"a/b/c\" is not a Hub repo id: it has more than one '/' (expected org/name)\n"
      "pyproject.toml:5: \"org/x\" = \">=1\" is a version specifier, which kernels no longer supports; write "
      "\"org/x\" = N to follow branch vN (`kernels versions org/x` lists them), or \"org/x\" = { revision = \"...\" } "
      "for a branch, tag or commit");
}

TEST_CASE("dependencies: a TOML syntax error gives the position and the parser's explanation",
          "[lockfile][dependencies]") {
  auto message = parse_error("[tool.kernels.dependencies]\n\"a/b\" = \n", ErrorCode::parse);
  CHECK_THAT(message, Catch::StartsWith("pyproject.toml:2:"));
  CHECK_THAT(message, Catch::Contains("not valid TOML: "));
  CHECK_THAT(parse_error("[tool.kernels.dependencies]\n\"a/b\" = 1\n\"a/b\" = 2\n", ErrorCode::parse),
             Catch::StartsWith("pyproject.toml:3:"));
}

TEST_CASE("read_dependencies: a project without pyproject.toml is a clear io error", "[lockfile][dependencies]") {
  TempDir dir;
  auto r = read_dependencies(dir.path());
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::io);
  CHECK_THAT(r.error().message, Catch::StartsWith("no pyproject.toml in " + dir.path() + "; kernels lock reads"));

  dir.write("pyproject.toml", "[tool.kernels.dependencies]\n\"a/b\" = { revision = \"v1.2\" }\n");
  auto ok = read_dependencies(dir.path());
  REQUIRE(ok.ok());
  REQUIRE(ok->size() == 1);
  CHECK(ok->front().where == dir.path() + "/pyproject.toml:2");
}

TEST_CASE("parse_dependencies never crashes: every truncation of a pyproject.toml", "[lockfile][dependencies]") {
  const std::string text =
      "[project]\nname = \"demo\"\n[tool.kernels.dependencies]\n\"a/b\" = 1\n\"c/d\" = { revision = \"main\" }\n"
      "[tool.kernels.dependencies.\"e/f\"]\nversion = 2\n";
  REQUIRE(parse_dependencies(text, "pyproject.toml").ok());
  for (std::size_t n = 0; n < text.size(); ++n) {
    auto r = parse_dependencies(text.substr(0, n), "pyproject.toml");
    if (!r.ok()) CHECK(r.error().message.rfind("pyproject.toml", 0) == 0);
  }
}

TEST_CASE("parse_dependencies: a pyproject.toml nested 10k deep is a syntax error, not a crash",
          "[lockfile][dependencies][limits]") {
  // Regression: toml11 recursed once per level and overflowed the stack (SIGSEGV in kernels lock).
  std::string deep =
      "[tool.kernels.dependencies]\n\"a/b\" = 1\n[x]\ny = " + std::string(10000, '[') + std::string(10000, ']') + "\n";
  auto message = parse_error(deep, ErrorCode::parse);
  CHECK_THAT(message, Catch::StartsWith("pyproject.toml:4:"));
  std::string inline_tables = "[tool.kernels.dependencies]\n\"a/b\" = 1\n";
  for (int i = 0; i < 10000; ++i) inline_tables += "t = {";
  CHECK_THAT(parse_error(inline_tables, ErrorCode::parse), Catch::StartsWith("pyproject.toml:3:"));
  std::string dotted = "[tool.kernels.dependencies]\n\"a/b\" = 1\n[x";
  for (int i = 0; i < 10000; ++i) dotted += ".k";
  CHECK_THAT(parse_error(dotted + "]\n", ErrorCode::parse), Catch::StartsWith("pyproject.toml:3:"));
}

TEST_CASE("parse_dependencies: 80k keys elsewhere in the file read in linear time",
          "[lockfile][dependencies][limits]") {
  // 80k keys took 17 s with toml11's ordered map (a linear search per key);
  // the reader indexes its tables. Not timed here (scripts/bench-lock is),
  // but the document must still be read correctly.
  std::string text = "[project]\n";
  for (int i = 0; i < 80000; ++i) text += "k" + std::to_string(i) + " = " + std::to_string(i) + "\n";
  text += "[tool.kernels.dependencies]\n\"a/b\" = 3\n";
  auto deps = parse_ok(text);
  REQUIRE(deps.size() == 1);
  CHECK(deps[0].version == 3u);
  CHECK(deps[0].where == "pyproject.toml:80003");
}
