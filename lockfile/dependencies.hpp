// The kernels a project depends on: PROJECT_DIR/pyproject.toml, table
// [tool.kernels.dependencies], in document order:
//
//   [tool.kernels.dependencies]
//   "kernels-community/relu" = 1                          # branch v1
//   "kernels-community/activation" = { version = 2 }      # branch v2
//   "kernels-test/versions" = { revision = "main" }       # a branch, tag or commit
//
// A string value (">=0.1", the old specifier form) is refused with a message
// that says what to write instead.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/diagnostic.hpp"
#include "util/result.hpp"

namespace kernels::lockfile {

struct Dependency {
  std::string repo_id;
  std::optional<std::uint64_t> version;  // exactly one of version and revision is set
  std::optional<std::string> revision;
  std::string where;  // "path/pyproject.toml:LINE" of the entry

  // What to resolve on the Hub: "v<version>" or the revision as written.
  std::string ref() const;
};

// Every problem with [tool.kernels.dependencies], each a config::Diagnostic
// (line:column in code points, a code, a message and a hint, such as "did you
// mean 'version'?"), as `kernels check` reports a KernelConfig's, so that
// cli/diagnostic_printer shows the source line with a caret for both. Codes:
//   syntax                not TOML (line:column of the parser's stop)
//   no-dependencies       no [tool.kernels.dependencies] table; at a near miss
//                         ([tool.kernel.dependencies]) with a did-you-mean, else
//                         the whole file; the hint shows the table to write
//   wrong-type            tool, tool.kernels or the table not a table, or an
//                         entry neither an integer, a string nor a table
//   invalid-repo-id       a key that is not a Hub repo id (at the key)
//   invalid-version       a string (a specifier, a bare revision) or a negative
//                         version, or a version key that is not an integer
//   invalid-revision      a revision that is not a string, or empty
//   version-and-revision, missing-version   both, or neither, in a table
//   unknown-key           a key other than version and revision in an entry
// All are errors. The text is read by config/toml (depth limits, positions).
struct DependencyCheck {
  std::vector<Dependency> dependencies;         // every good entry; the list is whole only without diagnostics
  std::vector<config::Diagnostic> diagnostics;  // in document order; empty: the table is good
};
// `source_name` (the path) starts each Dependency::where.
DependencyCheck check_dependencies(std::string_view toml_text, const std::string& source_name);

// PROJECT_DIR/pyproject.toml, read and checked; `text` is kept for printing
// the source lines of `checked.diagnostics`.
struct Pyproject {
  std::string path;
  std::string text;
  DependencyCheck checked;
};

// A missing or unreadable file: code "io" (read_dependencies' message).
Result<Pyproject> read_pyproject(const std::string& project_dir);

// parse_dependencies and read_dependencies give the same problems as one Error:
// code "parse" for a TOML syntax error ("NAME:LINE:COLUMN: not valid TOML: ..."),
// code "dependency" for a missing table or bad entries: every bad entry is
// reported, one line each ("NAME:LINE: ..."). `source_name` (the path) starts them.
Result<std::vector<Dependency>> parse_dependencies(std::string_view toml_text, const std::string& source_name);

// Reads PROJECT_DIR/pyproject.toml and parses it. A missing file: code "io",
// with a message saying what kernels lock expects there.
Result<std::vector<Dependency>> read_dependencies(const std::string& project_dir);

}  // namespace kernels::lockfile
