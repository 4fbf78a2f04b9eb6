// Runs a program with a deadline and a cap on what it may print: for probes
// (python3 -c "import torch ...") whose answer we want but whose hang or
// flood we must not inherit. stdin is /dev/null, stderr is discarded, the
// child gets its own process group, and on timeout the whole group is killed.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "util/result.hpp"

namespace kernels {

struct BoundedRunResult {
  int exit_code = -1;  // -1 when killed by a signal
  std::string out;     // standard output, at most max_output bytes
  bool truncated = false;
};

// argv[0] is looked up on PATH. Errors: code "spawn" (not found, cannot
// start), "timeout" (killed after `timeout`).
Result<BoundedRunResult> bounded_run(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                                     std::size_t max_output);

}  // namespace kernels
