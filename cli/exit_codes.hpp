// Exit status of every kernels command (documented in kernels(1)).
#pragma once

namespace kernels::cli {

inline constexpr int kExitOk = 0;        // success
inline constexpr int kExitProblems = 1;  // the command ran and found problems
inline constexpr int kExitUsage = 2;     // usage, input or I/O error

}  // namespace kernels::cli
