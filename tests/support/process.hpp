// Runs a program and captures what it printed: the integration tests' way of
// driving the real `kernels` binary.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace kernels::test {

struct ProcessResult {
  int exit_code = -1;  // 128+N when killed by signal N
  std::string out;     // stdout
  std::string err;     // stderr
};

struct RunOptions {
  std::map<std::string, std::string> env;  // set, replacing inherited values
  std::vector<std::string> unset_env;      // removed from the inherited environment
  std::string cwd;                         // empty: inherit
  std::string stdin_data;
};

// Runs `argv` (argv[0] is a path) and waits for it.
ProcessResult run_process(const std::vector<std::string>& argv, const RunOptions& options = {});

// Runs the built `kernels` binary with `args`. NO_COLOR is set and HF_* are
// cleared so that the developer's environment cannot leak into a test.
ProcessResult run_kernels(const std::vector<std::string>& args, RunOptions options = {});

// The path of the built `kernels`, and the options run_kernels runs it with
// (for running it through a wrapper: unshare, a shell).
std::string kernels_binary();
RunOptions kernels_environment(RunOptions options);

class Spawned;

// The built `kernels` started without waiting for it, so that a test can
// kill it mid-run (environment as run_kernels). Killed when destroyed.
class RunningKernels {
 public:
  RunningKernels(const std::vector<std::string>& args, RunOptions options = {});
  ~RunningKernels();
  bool running();
  int pid() const;
  // Sends `sig` and waits: exit_code is 128 + sig when it died of it.
  ProcessResult kill(int sig);
  ProcessResult wait();

 private:
  ProcessResult result(int status) const;
  std::string dir_;
  std::unique_ptr<Spawned> process_;
};

// A fresh empty directory under the system temp dir, removed at destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  // Writes `contents` to path()/name (creating parent directories) and returns the full path.
  std::string write(const std::string& name, const std::string& contents) const;

 private:
  std::string path_;
};

std::string source_path(const std::string& relative);  // KERNELS_SOURCE_DIR/relative

// Options that run the binary in the source tree, so relative paths such as
// tests/data/... and examples/... resolve.
RunOptions in_source_dir();
std::string data_path(const std::string& relative);  // KERNELS_SOURCE_DIR/tests/data/relative

}  // namespace kernels::test
