// Runs a program (no shell), feeding stdin and capturing stdout and stderr.
// posix_spawn-based, so safe to call from the emulator's worker threads.
// Shared by the Hub emulator (git) and the tests (the built binary); no Catch2.
#pragma once

#include <sys/types.h>

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

// A program started without waiting for it, so that a test can kill it
// mid-run: stdout and stderr go to the files named, the environment is
// built as run_capture builds it. Destroyed while still running, it is
// killed (SIGKILL) and reaped.
class Spawned {
 public:
  Spawned(const std::vector<std::string>& argv, const std::vector<std::string>& extra_env,
          const std::vector<std::string>& unset_env, const std::string& out_file, const std::string& err_file);
  ~Spawned();
  Spawned(const Spawned&) = delete;
  Spawned& operator=(const Spawned&) = delete;

  bool started() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  // Not exited yet (reaps it when it has).
  bool running();
  // Sends `sig` (unless it has exited), then waits; the status as run_capture reports it.
  int kill_and_wait(int sig);
  int wait();

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  int status_ = -1;
};

}  // namespace kernels::test
