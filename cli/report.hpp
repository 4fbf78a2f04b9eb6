// The one way every command reports on stderr, in one style:
//   error: kernels COMMAND: message
//   warning: kernels COMMAND: message
//   note: kernels COMMAND: message      (not under --quiet)
// A message of several lines gets the prefix on each. COMMAND is the
// subcommand ("lock", "verify-signature"), or "" for the top level
// ("error: kernels: 'lok' is not a kernels command"). KernelConfig and
// pyproject diagnostics, which carry a file position, are cli/diagnostic_printer's.
#pragma once

#include <string_view>

#include "util/result.hpp"

namespace kernels::cli {

void report_error(std::string_view command, std::string_view message);
// Prints `error`'s message and returns its exit status (cli/exit_codes.hpp);
// under --verbose a note names the error's code.
int report_error(std::string_view command, const Error& error);
void report_warning(std::string_view command, std::string_view message);
void report_note(std::string_view command, std::string_view message);

}  // namespace kernels::cli
