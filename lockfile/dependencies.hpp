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

#include "util/result.hpp"

namespace kernels::lockfile {

struct Dependency {
  std::string repo_id;
  std::optional<std::uint64_t> version;  // exactly one of version and revision is set
  std::optional<std::string> revision;
  std::string where;                     // "path/pyproject.toml:LINE" of the entry

  // What to resolve on the Hub: "v<version>" or the revision as written.
  std::string ref() const;
};

// Parses pyproject.toml contents; `source_name` (the path) starts messages.
// Errors: code "parse" for a TOML syntax error ("NAME:LINE:COLUMN: ..."),
// code "dependency" for a missing table or bad entries: every bad entry is
// reported, one line each ("NAME:LINE: ...").
Result<std::vector<Dependency>> parse_dependencies(std::string_view toml_text,
                                                   const std::string& source_name);

// Reads PROJECT_DIR/pyproject.toml and parses it. A missing file: code "io",
// with a message saying what kernels lock expects there.
Result<std::vector<Dependency>> read_dependencies(const std::string& project_dir);

}  // namespace kernels::lockfile
