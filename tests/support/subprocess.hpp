// Runs a program (no shell), feeding stdin and capturing stdout and stderr.
// posix_spawn-based, so safe to call from the emulator's worker threads.
// Shared by the Hub emulator (git) and the tests (the built binary); no Catch2.
#pragma once

#include <string>
#include <vector>

namespace kernels::test {

struct Captured {
  int status = -1;  // exit status; 128+N when killed by signal N; -1 when it could not start
  std::string out;
  std::string err;
};

// Runs `argv` (argv[0] looked up in PATH) with the inherited environment,
// minus `unset_env`, plus `extra_env` ("NAME=value", replacing), in `cwd`
// when it is not empty.
Captured run_capture(const std::vector<std::string>& argv, const std::string& input = {},
                     const std::vector<std::string>& extra_env = {}, const std::vector<std::string>& unset_env = {},
                     const std::string& cwd = {});

}  // namespace kernels::test
