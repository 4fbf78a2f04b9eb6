// `kernels` against a Hub whose repositories and answers are hostile: each
// case ends in a clear error with a non-zero exit, and kernels.lock (written
// by an earlier good run) is byte for byte what it was, with no temporary
// left beside it. The regressions of the reliability issue at the CLI level;
// the unit tests (tests/unit/hub/client_faults_test.cpp, kernel_status_test.cpp)
// hold the finer cases.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <memory>

#include "tests/hub/emulator.hpp"
#include "tests/hub/fixture_repo.hpp"
#include "tests/hub/test_hub.hpp"
#include "tests/support/process.hpp"
#include "util/file.hpp"

using kernels::test::run_kernels;
using kernels::test::RunOptions;
using kernels::test::TempDir;
namespace emu = kernels::hub_emulator;

namespace {

constexpr const char* kToken = "hf_hostile_hub_user_token_0123";

class HostileHub {
 public:
  HostileHub() {
    {
      emu::FixtureRepo good(scratch_.path(), "org/good");
      good.write("build/torch-cpu/good/__init__.py", "x = 1\n");
      good.branch("v1", good.commit("main"));
    }
    auto status_repo = [&](const char* name, const std::string& status) {
      emu::FixtureRepo repo(scratch_.path(), name);
      repo.write("README.md", "r\n").write("kernel-status.toml", status);
      repo.commit("main");
    };
    status_repo("org/deep", "kind = \"redirect\"\ndestination = \"org/good\"\nx = " + std::string(20000, '[') +
                                std::string(20000, ']') + "\n");
    status_repo("org/climb", "kind = \"redirect\"\ndestination = \"evil/x/../k2\"\n");
    status_repo("org/thief", "kind = \"redirect\"\ndestination = \"../../api/whoami-v2?\"\n");
    emu::EmulatorOptions options;
    options.root = scratch_.path();
    options.tokens = {kToken};
    emulator = std::make_unique<emu::HubEmulator>(options);
    emulator->start();
  }
  ~HostileHub() { emulator->stop(); }
  std::unique_ptr<emu::HubEmulator> emulator;

 private:
  emu::ScratchDir scratch_;
};

HostileHub& hostile_hub() {
  static HostileHub hub;
  return hub;
}

RunOptions env_for(const TempDir& project) {
  RunOptions o;
  o.env["HF_ENDPOINT"] = hostile_hub().emulator->endpoint();
  o.env["HF_HOME"] = project.path() + "/home";
  o.env["HF_TOKEN"] = kToken;
  return o;
}

// A project with a good kernels.lock; returns its bytes.
std::string locked_project(TempDir& project) {
  project.write("pyproject.toml", "[tool.kernels.dependencies]\n\"org/good\" = 1\n");
  auto r = run_kernels({"lock", project.path()}, env_for(project));
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return *kernels::read_file(project.path() + "/kernels.lock");
}

void check_untouched(const TempDir& project, const std::string& lock) {
  CHECK(*kernels::read_file(project.path() + "/kernels.lock") == lock);
  for (const auto& e : std::filesystem::directory_iterator(project.path())) {
    CHECK(e.path().filename().string().find(".tmp.") == std::string::npos);
  }
}

}  // namespace

TEST_CASE("hostile hub: a kernel-status.toml nested 20k deep is an error, not a crash", "[cli][hostile]") {
  TempDir project;
  std::string lock = locked_project(project);
  project.write("pyproject.toml", "[tool.kernels.dependencies]\n\"org/good\" = 1\n\"org/deep\" = 1\n");
  auto r = run_kernels({"lock", project.path()}, env_for(project));
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("org/deep: kernel-status.toml:3:69: not valid TOML") != std::string::npos);
  check_untouched(project, lock);
  auto info = run_kernels({"info", "org/deep"}, env_for(project));
  CHECK(info.exit_code == 2);
  CHECK(info.err.find("not valid TOML") != std::string::npos);
}

TEST_CASE("hostile hub: a redirect destination that is no repo id is refused, and the token stays home",
          "[cli][hostile]") {
  TempDir project;
  std::string lock = locked_project(project);
  for (const char* repo : {"org/climb", "org/thief"}) {
    project.write("pyproject.toml", std::string("[tool.kernels.dependencies]\n\"") + repo + "\" = 1\n");
    auto r = run_kernels({"lock", project.path()}, env_for(project));
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("the destination is not a Hub repo id") != std::string::npos);
    check_untouched(project, lock);
  }
  for (const auto& req : hostile_hub().emulator->requests()) {
    CHECK(req.target.find("whoami") == std::string::npos);
    CHECK(req.target.find("k2") == std::string::npos);
  }
}

TEST_CASE("hostile hub: --timeout ends a command whose server drips its answers", "[cli][hostile]") {
  TempDir project;
  std::string lock = locked_project(project);
  emu::Faults drip;
  drip.drip_ms = 50;
  hostile_hub().emulator->set_faults(drip);
  auto started = std::chrono::steady_clock::now();
  auto r = run_kernels({"lock", project.path(), "--timeout", "2"}, env_for(project));
  auto took = std::chrono::steady_clock::now() - started;
  hostile_hub().emulator->set_faults({});
  INFO(r.err);
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("the command ran out of time (--timeout 2 s)") != std::string::npos);
  CHECK(took < std::chrono::seconds(15));
  check_untouched(project, lock);
  auto bad = run_kernels({"lock", project.path(), "--timeout", "0"}, env_for(project));
  CHECK(bad.exit_code == 2);
}
