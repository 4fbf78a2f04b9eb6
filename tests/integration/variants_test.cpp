// `kernels variants` against the Hub emulator: the machine given on the
// command line (so the answer is the same on any machine), every variant
// judged, backend.archs read from metadata.json, and the newer-version hint.
//
//   org/var  v1: torch-cpu, torch211-cxx11-cu126-x86_64-linux
//            v2: v1's, plus torch212-cxx11-cu130-x86_64-linux (archs 9.0, 10.0),
//                torch212-cu130-x86_64-linux (archs 8.0), torch-cuda
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "tests/hub/emulator.hpp"
#include "tests/hub/fixture_repo.hpp"
#include "tests/hub/test_hub.hpp"
#include "tests/support/process.hpp"

using kernels::test::run_kernels;
using kernels::test::RunOptions;
using kernels::test::TempDir;
namespace he = kernels::hub_emulator;

namespace {

class VariantsHub {
 public:
  VariantsHub() {
    he::FixtureRepo repo(scratch_.path(), "org/var");
    repo.write("build/torch-cpu/var/__init__.py", "x = 1\n")
        .write("build/torch211-cxx11-cu126-x86_64-linux/var/__init__.py", "x = 2\n");
    v1 = repo.commit("main");
    repo.branch("v1", v1);
    repo.write("build/torch212-cxx11-cu130-x86_64-linux/metadata.json",
               R"({"name": "var", "version": 2, "backend": {"type": "cuda", "archs": ["9.0", "10.0"]}})")
        .write("build/torch212-cxx11-cu130-x86_64-linux/var/__init__.py", "x = 3\n")
        .write("build/torch212-cu130-x86_64-linux/metadata.json",
               R"({"name": "var", "version": 2, "backend": {"type": "cuda", "archs": ["8.0"]}})")
        .write("build/torch212-cu130-x86_64-linux/var/__init__.py", "x = 4\n")
        .write("build/torch-cuda/var/__init__.py", "x = 5\n");
    v2 = repo.commit("main");
    repo.branch("v2", v2);
    he::EmulatorOptions options;
    options.root = scratch_.path();
    emulator = std::make_unique<he::HubEmulator>(options);
    emulator->start();
  }
  ~VariantsHub() { emulator->stop(); }
  std::string v1, v2;
  std::unique_ptr<he::HubEmulator> emulator;

 private:
  he::ScratchDir scratch_;
};

VariantsHub& hub() {
  static VariantsHub h;
  return h;
}

RunOptions env(const TempDir& home) {
  RunOptions o;
  o.env["HF_ENDPOINT"] = hub().emulator->endpoint();
  o.env["HF_HOME"] = home.path() + "/home";
  o.env["KERNELS_CUDA_DRIVER"] = "13.0";
  return o;
}

std::vector<std::string> args(std::vector<std::string> extra) {
  std::vector<std::string> a{"variants", "org/var"};
  a.insert(a.end(), extra.begin(), extra.end());
  return a;
}

}  // namespace

TEST_CASE("kernels variants: each variant of the highest version, preferred first, archs checked", "[cli][variants]") {
  TempDir home;
  auto r = run_kernels(args({"--torch", "2.12", "--cuda", "13.0", "--capability", "90"}), env(home));
  INFO(r.out << r.err);
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.find("  Torch: 2.12") != std::string::npos);
  CHECK(r.out.find("  backend: cu130 (--cuda)") != std::string::npos);
  CHECK(r.out.find("org/var at v2 (" + hub().v2 + "):") != std::string::npos);
  auto at = [&](const std::string& s) { return r.out.find(s); };
  // cxx11-cu130 covers 9.0; the untagged cu130 (sorted first) lists only 8.0; then the noarch fallback.
  auto preferred = at("  torch212-cxx11-cu130-x86_64-linux  preferred\n");
  auto cuda = at("  torch-cuda                         compatible\n");
  auto cu128 =
      at("  torch212-cu130-x86_64-linux        rejected: compute capability 9.0 of GPU 0 is not in the "
         "variant's backend.archs (8.0)\n");
  auto cu126 =
      at("  torch211-cxx11-cu126-x86_64-linux  rejected: Torch version (2.11) does not match environment "
         "Torch version (2.12)\n");
  auto cpu =
      at("  torch-cpu                          rejected: backend (cpu) does not match system backend (cuda) "
         "and is not universal\n");
  REQUIRE(preferred != std::string::npos);
  REQUIRE(cuda != std::string::npos);
  REQUIRE(cu128 != std::string::npos);
  REQUIRE(cu126 != std::string::npos);
  REQUIRE(cpu != std::string::npos);
  CHECK(preferred < cuda);
  CHECK(cuda < cu128);

  SECTION("a GPU of capability 8.0 takes the untagged build instead") {
    auto g =
        run_kernels(args({"--torch", "2.12", "--cuda", "13.0", "--capability", "80", "--only-compatible"}), env(home));
    INFO(g.out << g.err);
    CHECK(g.exit_code == 0);
    CHECK(g.out.find("torch212-cu130-x86_64-linux        preferred") != std::string::npos);
    CHECK(g.out.find("torch212-cxx11-cu130") == std::string::npos);
    CHECK(g.out.find("(3 rejected, not shown: --only-compatible)") != std::string::npos);
  }
}

TEST_CASE("kernels variants --format json, --version, and the hint when nothing fits", "[cli][variants]") {
  TempDir home;
  auto r = run_kernels(args({"--version", "1", "--torch", "2.12", "--cuda", "13.0", "--format", "json"}), env(home));
  INFO(r.out << r.err);
  CHECK(r.exit_code == 1);  // nothing at v1 fits
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["version"] == 1);  // the --format json shape version (kernels(1), JSON OUTPUT)
  CHECK(j["commit"] == hub().v1);
  CHECK(j["preferred"].is_null());
  CHECK(j["system"]["torch"] == "2.12");
  CHECK(j["system"]["backend"] == "cu130");
  REQUIRE(j["variants"].size() == 2);
  CHECK(j["variants"][0]["verdict"] == "rejected");
  CHECK(j["hint"]["version"] == 2);
  CHECK(j["hint"]["variant"] == "torch212-cu130-x86_64-linux");  // no GPU given: archs not read

  auto human = run_kernels(args({"--version", "1", "--torch", "2.12", "--cuda", "13.0"}), env(home));
  CHECK(human.exit_code == 1);
  CHECK(human.out.find("No build variant of org/var at v1 fits this machine.") != std::string::npos);
  CHECK(human.out.find("hint: version 2 has one: torch212-cu130-x86_64-linux (kernels variants org/var "
                       "--version 2)") != std::string::npos);
}

TEST_CASE("kernels variants: no Torch known, --lock, and bad input", "[cli][variants]") {
  TempDir home;
  auto r = run_kernels(args({"--torch", "none", "--cuda", "none"}), env(home));
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("only tvm-ffi and noarch variants can match") != std::string::npos);
  CHECK(r.out.find("  torch-cpu                          preferred") != std::string::npos);

  // --lock: the locked commit, here v1's.
  home.write("kernels.lock",
             "[\n  {\n    \"repo_id\": \"org/var\",\n    \"sha\": \"" + hub().v1 + "\",\n    \"variants\": {}\n  }\n]");
  auto locked =
      run_kernels(args({"--lock", home.path() + "/kernels.lock", "--torch", "2.11", "--cuda", "12.8"}), env(home));
  INFO(locked.out << locked.err);
  CHECK(locked.exit_code == 0);
  CHECK(locked.out.find("org/var at " + hub().v1) != std::string::npos);
  CHECK(locked.out.find("torch211-cxx11-cu126-x86_64-linux  preferred") != std::string::npos);

  auto other =
      run_kernels({"variants", "org/other", "--lock", home.path() + "/kernels.lock", "--torch", "none"}, env(home));
  CHECK(other.exit_code == 1);
  CHECK(other.err.find("org/other is not in") != std::string::npos);

  auto bad_torch = run_kernels(args({"--torch", "2"}), env(home));
  CHECK(bad_torch.exit_code == 2);
  CHECK(bad_torch.err.find("--torch takes a version X.Y") != std::string::npos);
  auto bad_format = run_kernels(args({"--format", "yaml", "--torch", "none"}), env(home));
  CHECK(bad_format.exit_code == 2);
  auto missing = run_kernels({"variants", "org/nope", "--torch", "none"}, env(home));
  CHECK(missing.exit_code == 1);
}
