// pyproject.toml's [tool.kernels.dependencies] checked into diagnostics as
// precise as a KernelConfig's (lockfile::check_dependencies, issue 17): codes,
// line:column, hints with did-you-mean. It lives beside the checker's tests
// because it shares their model (config::Diagnostic) and reader (config/toml);
// tests/unit/lockfile/dependencies_test.cpp covers the one-line messages.
#include <catch2/catch.hpp>

#include "check_test_support.hpp"
#include "lockfile/dependencies.hpp"
#include "tests/support/process.hpp"

using kernels::ErrorCode;

using kernels::config::test::diag;
using kernels::config::test::render;
using kernels::lockfile::check_dependencies;
using Strings = std::vector<std::string>;

namespace {

Strings rendered(const kernels::lockfile::DependencyCheck& c) {
  Strings out;
  for (const auto& d : c.diagnostics) out.push_back(render(d));
  return out;
}

const std::string kTableHint =
    "kernels lock locks the kernels listed there, for example:\n"
    "[tool.kernels.dependencies]\n"
    "\"kernels-community/relu\" = 1                        # branch v1\n"
    "\"kernels-community/activation\" = { revision = \"main\" }  # a branch, tag or commit";

}  // namespace

TEST_CASE("pyproject: a misspelt dependencies table names the key meant, at its position", "[config][pyproject]") {
  auto c = check_dependencies("[project]\nname = \"x\"\n\n[tool.kernel.dependencies]\n\"a/b\" = 1\n", "pyproject.toml");
  CHECK(rendered(c) == Strings{diag(4, 7, "error", "no-dependencies",
                                    "no [tool.kernels.dependencies] table; did you mean 'kernels', not 'kernel'?")});
  CHECK(c.diagnostics[0].hint == kTableHint);
  CHECK(c.dependencies.empty());

  c = check_dependencies("[tool.kernels.dependecies]\n\"a/b\" = 1\n", "pyproject.toml");
  CHECK(rendered(c) == Strings{diag(1, 15, "error", "no-dependencies",
                                    "no [tool.kernels.dependencies] table; did you mean 'dependencies', not "
                                    "'dependecies'?")});
  c = check_dependencies("[tools.kernels.dependencies]\n\"a/b\" = 1\n", "pyproject.toml");
  CHECK(rendered(c) == Strings{diag(1, 2, "error", "no-dependencies",
                                    "no [tool.kernels.dependencies] table; did you mean 'tool', not 'tools'?")});
  c = check_dependencies("[kernels.dependencies]\n\"a/b\" = 1\n", "pyproject.toml");
  CHECK(rendered(c) == Strings{diag(1, 2, "error", "no-dependencies",
                                    "no [tool.kernels.dependencies] table; did you mean [tool.kernels.dependencies]? "
                                    "this 'kernels' is not under [tool]")});
  // Nothing near: the whole file, with the example.
  c = check_dependencies("[tool.black]\nline-length = 1\n", "pyproject.toml");
  CHECK(rendered(c) == Strings{diag(0, 0, "error", "no-dependencies", "no [tool.kernels.dependencies] table")});
  CHECK(c.diagnostics[0].hint == kTableHint);
}

TEST_CASE("pyproject: tool, tool.kernels or the table of the wrong type", "[config][pyproject]") {
  CHECK(rendered(check_dependencies("[tool]\nkernels = 3\n", "p")) ==
        Strings{diag(2, 11, "error", "wrong-type", "tool.kernels is an integer, expected a table")});
  CHECK(rendered(check_dependencies("tool = \"x\"\n", "p")) ==
        Strings{diag(1, 8, "error", "wrong-type", "tool is a string, expected a table")});
  CHECK(rendered(check_dependencies("[tool.kernels]\ndependencies = [\"a/b\"]\n", "p")) ==
        Strings{diag(2, 16, "error", "wrong-type", "tool.kernels.dependencies is an array, expected a table")});
}

TEST_CASE("pyproject: every bad entry, each with its code and position", "[config][pyproject]") {
  auto c = check_dependencies(
      "[tool.kernels.dependencies]\n"
      "\"a/b\" = { verison = 1 }\n"
      "relu = 1\n"
      "\"c/d\" = 0.5\n"
      "\"e/f\" = -1\n"
      "\"g/h\" = { version = \"1\" }\n"
      "\"i/j\" = { revision = \"\" }\n"
      "\"k/l\" = { version = 1, revision = \"main\" }\n"
      "\"m/n\" = {}\n"
      "\"o/p\" = \">=1\"\n"
      "\"q/r\" = { revison = \"main\" }\n"
      "\"ok/one\" = 2\n"
      "\"s/t\" = { version = 1, extra = true }\n",
      "pyproject.toml");
  CHECK(
      rendered(c) ==
      Strings{
          diag(2, 11, "error", "unknown-key",
               "\"a/b\": unknown key \"verison\" (a dependency takes version or revision)"),
          diag(3, 1, "error", "invalid-repo-id", "\"relu\" is not a Hub repo id: it has no '/' (expected org/name)"),
          diag(4, 9, "error", "wrong-type",
               "\"c/d\" is a float; write \"c/d\" = N (branch vN) or \"c/d\" = { revision = \"...\" } (a branch, tag "
               "or commit)"),
          diag(5, 9, "error", "invalid-version",
               "\"e/f\" = -1: the version is negative; a version is a whole number N >= 0, for branch vN"),
          diag(6, 21, "error", "invalid-version",
               "\"g/h\": version is a string; a version is a whole number N, for branch vN"),
          diag(7, 22, "error", "invalid-revision", "\"i/j\": revision is empty; write a branch, tag or commit"),
          diag(8, 9, "error", "version-and-revision",
               "\"k/l\": Either a revision or a version must be specified, not both."),
          diag(9, 9, "error", "missing-version",
               "\"m/n\": Either a revision or a version must be specified; write \"m/n\" = { version = N } or \"m/n\" "
               "= { revision = \"...\" }"),
          diag(10, 9, "error", "invalid-version",
               "\"o/p\" = \">=1\" is a version specifier, which kernels no longer supports; write \"o/p\" = N to "
               "follow branch vN (`kernels versions o/p` lists them), or \"o/p\" = { revision = \"...\" } for a "
               "branch, tag or commit"),
          diag(11, 11, "error", "unknown-key",
               "\"q/r\": unknown key \"revison\" (a dependency takes version or revision)"),
          diag(13, 24, "error", "unknown-key",
               "\"s/t\": unknown key \"extra\" (a dependency takes version or revision)"),
      });
  CHECK(c.diagnostics[0].hint == "did you mean 'version'?");
  CHECK(c.diagnostics[9].hint == "did you mean 'revision'?");
  CHECK(c.diagnostics[10].hint.empty());
  // The good entry is still read.
  REQUIRE(c.dependencies.size() == 1);
  CHECK(c.dependencies[0].repo_id == "ok/one");
  CHECK(c.dependencies[0].where == "pyproject.toml:12");
}

TEST_CASE("pyproject: the one-line Error keeps its words and gains the did-you-mean", "[config][pyproject]") {
  auto r = kernels::lockfile::parse_dependencies("[tool.kernel.dependencies]\n\"a/b\" = 1\n", "pyproject.toml");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == ErrorCode::dependency);
  CHECK(r.error().message ==
        "pyproject.toml:1: no [tool.kernels.dependencies] table; did you mean 'kernels', not "
        "'kernel'? " +
            kTableHint);
}

TEST_CASE("pyproject: syntax errors and the depth limit keep line and column", "[config][pyproject][limits]") {
  auto c = check_dependencies("[tool.kernels.dependencies]\n\"a/b\" = \n", "pyproject.toml");
  REQUIRE(c.diagnostics.size() == 1);
  CHECK(c.diagnostics[0].code == "syntax");
  CHECK(c.diagnostics[0].line == 2);
  CHECK(c.diagnostics[0].column == 9);
  CHECK(c.diagnostics[0].message.rfind("not valid TOML: ", 0) == 0);
  // Issue 15: every TOML input goes through the depth limit.
  c = check_dependencies(
      "[tool.kernels.dependencies]\n\"a/b\" = 1\n[x]\ny = " + std::string(10000, '[') + std::string(10000, ']') + "\n",
      "pyproject.toml");
  CHECK(rendered(c) == Strings{diag(4, 5 + 64, "error", "syntax",
                                    "not valid TOML: arrays and inline tables nested more than 64 deep")});
  // A duplicate key is the reader's error, at the second one.
  c = check_dependencies("[tool.kernels.dependencies]\n\"a/b\" = 1\n\"a/b\" = 2\n", "pyproject.toml");
  REQUIRE(c.diagnostics.size() == 1);
  CHECK(c.diagnostics[0].code == "syntax");
  CHECK(c.diagnostics[0].line == 3);
  CHECK(c.diagnostics[0].column == 1);
}

TEST_CASE("pyproject: read_pyproject keeps the text for the source lines", "[config][pyproject]") {
  kernels::test::TempDir dir;
  const std::string text = "[tool.kernels.dependencies]\n\"a/b\" = { verison = 1 }\n";
  dir.write("pyproject.toml", text);
  auto p = kernels::lockfile::read_pyproject(dir.path());
  REQUIRE(p.ok());
  CHECK(p->path == dir.path() + "/pyproject.toml");
  CHECK(p->text == text);
  REQUIRE(p->checked.diagnostics.size() == 1);
  CHECK(p->checked.diagnostics[0].code == "unknown-key");
  kernels::test::TempDir empty;
  auto missing = kernels::lockfile::read_pyproject(empty.path());
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == ErrorCode::io);
}
