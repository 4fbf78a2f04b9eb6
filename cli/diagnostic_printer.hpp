// Printing a KernelConfig's diagnostics: like a compiler (human), as one
// JSON object, or as GitHub Actions workflow commands.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "config/diagnostic.hpp"

namespace kernels::cli {

enum class DiagnosticFormat { Human, Json, Github };

// One file's diagnostics; `source` is the file's text (empty when unread).
struct FileDiagnostics {
  std::string file;
  std::string_view source;
  std::vector<config::Diagnostic> diagnostics;
};

// file:line:col: error[code]: message, the source line with a caret under the
// column, then "= hint: ..." (a hint's later lines indented under its first).
// Notes are left out when `quiet`. `kernels check` and `kernels lock` (for
// pyproject.toml) print through it.
void print_human(std::ostream& out, const FileDiagnostics& f, bool color, bool quiet);

// ::error file=F,line=L,col=C::[code] message (also ::warning and ::notice).
void print_github(std::ostream& out, const FileDiagnostics& f);

// {"file", "line", "column", "severity", "code", "message", "hint"} per diagnostic
// (line and column null for a file-level problem, hint null when there is none).
nlohmann::json diagnostics_json(const FileDiagnostics& f);

}  // namespace kernels::cli
