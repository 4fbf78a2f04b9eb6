// Exit status of every kernels command (documented in kernels(1), EXIT STATUS),
// and the one table that maps an Error's code to it.
#pragma once

#include "util/result.hpp"

namespace kernels::cli {

inline constexpr int kExitOk = 0;        // success
inline constexpr int kExitProblems = 1;  // the command ran and found problems
inline constexpr int kExitUsage = 2;     // usage, input or I/O error

// The exit status of a command that stops on `code`:
//   kExitProblems  what was asked about is not there or is not right: a repo,
//                  revision, file or version the Hub does not have, access
//                  refused, offline without it cached, a dependency cycle, a
//                  kernel that fails verification or has no variant for here;
//   kExitUsage     the command could not do its work: bad arguments, a file
//                  it cannot read or parse, the network, the Hub failing, the
//                  GPU missing.
// Commands whose result is a verdict (check, verify, lock --check, bench)
// exit kExitProblems for a bad verdict without going through an Error.
int exit_status(ErrorCode code);
inline int exit_status(const Error& error) { return exit_status(error.code); }

}  // namespace kernels::cli
