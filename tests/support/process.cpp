#include "tests/support/process.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <unistd.h>

#include "tests/support/subprocess.hpp"

namespace kernels::test {

ProcessResult run_process(const std::vector<std::string>& argv, const RunOptions& options) {
  std::vector<std::string> extra_env;
  for (const auto& [k, v] : options.env) extra_env.push_back(k + "=" + v);
  Captured c = run_capture(argv, options.stdin_data, extra_env, options.unset_env, options.cwd);
  return ProcessResult{c.status, std::move(c.out), std::move(c.err)};
}

ProcessResult run_kernels(const std::vector<std::string>& args, RunOptions options) {
  std::vector<std::string> argv{KERNELS_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  if (!options.env.count("NO_COLOR")) options.env["NO_COLOR"] = "1";
  // A Python kernels package on the developer's PATH must not choose the
  // format of a new lock in a test; the tests that want it set this.
  if (!options.env.count("KERNELS_PYTHON")) options.env["KERNELS_PYTHON"] = "none";
  for (const char* k : {"HF_ENDPOINT", "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_TOKEN_PATH", "HF_HOME", "HF_HUB_CACHE",
                        "HF_HUB_OFFLINE", "KERNELS_CACHE", "HF_HUB_DISABLE_TELEMETRY"}) {
    if (!options.env.count(k)) options.unset_env.push_back(k);
  }
  return run_process(argv, options);
}

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "kernels-test-XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::permissions(path_, std::filesystem::perms::owner_all, std::filesystem::perm_options::add, ec);
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::write(const std::string& name, const std::string& contents) const {
  std::filesystem::path p = std::filesystem::path(path_) / name;
  std::filesystem::create_directories(p.parent_path());
  std::ofstream f(p, std::ios::binary);
  f << contents;
  return p.string();
}

std::string source_path(const std::string& relative) { return std::string(KERNELS_SOURCE_DIR) + "/" + relative; }
RunOptions in_source_dir() {
  RunOptions o;
  o.cwd = source_path("");
  return o;
}

std::string data_path(const std::string& relative) { return source_path("tests/data/" + relative); }

}  // namespace kernels::test
