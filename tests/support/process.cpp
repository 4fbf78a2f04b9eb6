#include "tests/support/process.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
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

std::string kernels_binary() { return KERNELS_BINARY; }

RunOptions kernels_environment(RunOptions options) {
  if (!options.env.count("NO_COLOR")) options.env["NO_COLOR"] = "1";
  // A Python kernels package on the developer's PATH must not choose the
  // format of a new lock in a test; the tests that want it set this.
  if (!options.env.count("KERNELS_PYTHON")) options.env["KERNELS_PYTHON"] = "none";
  for (const char* k : {"HF_ENDPOINT", "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN", "HF_TOKEN_PATH", "HF_HOME", "HF_HUB_CACHE",
                        "HF_HUB_OFFLINE", "KERNELS_CACHE", "HF_HUB_DISABLE_TELEMETRY"}) {
    if (!options.env.count(k)) options.unset_env.push_back(k);
  }
  return options;
}

ProcessResult run_kernels(const std::vector<std::string>& args, RunOptions options) {
  std::vector<std::string> argv{KERNELS_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_process(argv, kernels_environment(std::move(options)));
}

RunningKernels::RunningKernels(const std::vector<std::string>& args, RunOptions options) {
  std::string tmpl = (std::filesystem::temp_directory_path() / "kernels-run-XXXXXX").string();
  if (!::mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  dir_ = tmpl;
  options = kernels_environment(std::move(options));
  std::vector<std::string> argv{KERNELS_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<std::string> extra_env;
  for (const auto& [k, v] : options.env) extra_env.push_back(k + "=" + v);
  process_ = std::make_unique<Spawned>(argv, extra_env, options.unset_env, dir_ + "/out", dir_ + "/err");
  if (!process_->started()) throw std::runtime_error("cannot start " + argv[0]);
}

RunningKernels::~RunningKernels() {
  process_.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

bool RunningKernels::running() { return process_->running(); }

int RunningKernels::pid() const { return static_cast<int>(process_->pid()); }

ProcessResult RunningKernels::kill(int sig) { return result(process_->kill_and_wait(sig)); }

ProcessResult RunningKernels::wait() { return result(process_->wait()); }

ProcessResult RunningKernels::result(int status) const {
  auto slurp = [](const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  return ProcessResult{status, slurp(dir_ + "/out"), slurp(dir_ + "/err")};
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
