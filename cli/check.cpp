// Placeholder: `kernels check` is being built (issue 2).
#include <iostream>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"

namespace kernels::cli {

void register_check(CLI::App& app, int* exit_code) {
  CLI::App* cmd = app.add_subcommand("check", "(not yet implemented)");
  cmd->callback([exit_code] {
    std::cerr << "kernels check: not yet implemented\n";
    *exit_code = kExitUsage;
  });
}

}  // namespace kernels::cli
