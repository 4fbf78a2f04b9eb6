// Placeholder: `kernels resolve` is being built (issue 2).
#include <iostream>

#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"

namespace kernels::cli {

void register_resolve(CLI::App& app, int* exit_code) {
  CLI::App* cmd = app.add_subcommand("resolve", "(not yet implemented)");
  cmd->callback([exit_code] {
    std::cerr << "kernels resolve: not yet implemented\n";
    *exit_code = kExitUsage;
  });
}

}  // namespace kernels::cli
