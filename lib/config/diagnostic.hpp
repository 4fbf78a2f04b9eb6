// A problem found in a KernelConfig file: where, how bad, a stable code, the
// message, and optionally a hint on how to fix it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace kernels::config {

enum class Severity { Error, Warning, Note };

// "error", "warning", "note".
const char* severity_name(Severity s);

struct Diagnostic {
  std::string code;  // stable, kebab-case; every code is listed in kernels-check(1)
  Severity severity = Severity::Error;
  std::uint32_t line = 0;    // 1-based; 0 = the file as a whole
  std::uint32_t column = 0;  // 1-based, in code points; 0 = the file as a whole
  std::string message;
  std::string hint;  // empty: none
};

bool has_errors(const std::vector<Diagnostic>& diagnostics);

}  // namespace kernels::config
