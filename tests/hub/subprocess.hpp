// Runs a program (no shell), feeding stdin and capturing stdout and stderr.
// posix_spawn-based, so safe to call from the emulator's worker threads.
#pragma once

#include <string>
#include <vector>

namespace kernels::hub_emulator {

struct Captured {
  int status = -1;  // exit status; 128+N when killed by signal N; -1 when it could not start
  std::string out;
  std::string err;
};

Captured run_capture(const std::vector<std::string>& argv, const std::string& input = {},
                     const std::vector<std::string>& extra_env = {});

// run_capture({"git", "--git-dir=" + git_dir, args...}) with a fixed identity
// and no user or system config, so results do not depend on the machine.
Captured run_git(const std::string& git_dir, const std::vector<std::string>& args, const std::string& input = {});

}  // namespace kernels::hub_emulator
