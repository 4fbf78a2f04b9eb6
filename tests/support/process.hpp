// Runs a program and captures what it printed: the integration tests' way of
// driving the real `kernels` binary.
#pragma once

#include <map>
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
