// Every subcommand lives in its own file and registers itself here.
// A registration adds the subcommand to `app` with its options and help;
// its callback stores the exit status in `*exit_code`.
#pragma once

#include <CLI/CLI.hpp>

namespace kernels::cli {

using Register = void (*)(CLI::App& app, int* exit_code);

// One line per subcommand, in the order `kernels --help` lists them.
void register_check(CLI::App& app, int* exit_code);
void register_resolve(CLI::App& app, int* exit_code);
void register_lock(CLI::App& app, int* exit_code);
void register_download(CLI::App& app, int* exit_code);
void register_variants(CLI::App& app, int* exit_code);
void register_versions(CLI::App& app, int* exit_code);
void register_info(CLI::App& app, int* exit_code);
void register_bench(CLI::App& app, int* exit_code);
void register_verify(CLI::App& app, int* exit_code);
void register_verify_signature(CLI::App& app, int* exit_code);
void register_verify_bundle(CLI::App& app, int* exit_code);

inline constexpr Register kCommands[] = {
    register_check,         register_resolve,  register_lock,
    register_download,      register_verify,   register_verify_signature,
    register_verify_bundle, register_variants, register_versions,
    register_info,          register_bench,
};

}  // namespace kernels::cli
