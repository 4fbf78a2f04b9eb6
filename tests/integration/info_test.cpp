#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "tests/hub/fixture_repo.hpp"
#include "tests/integration/hub_cli_support.hpp"

using kernels::hub_cli_test::cli_hub;
using kernels::hub_cli_test::hub_env;
using kernels::test::run_kernels;
using kernels::test::TempDir;

TEST_CASE("kernels info shows the highest version by default", "[cli][info]") {
  auto& hub = cli_hub();
  TempDir home;
  auto r = run_kernels({"info", "kernels-test/relu"}, hub_env(home.path()));
  REQUIRE(r.exit_code == 0);
  CHECK(r.out.rfind("Repository: kernels-test/relu\n"
                    "Revision:   v2\n"
                    "Commit:     " +
                        hub.relu_second +
                        "\n"
                        "Versions:   1, 2\n"
                        "Redirect:   -\n"
                        "Variants:   torch-cpu, torch-cuda-x, torch-cuda, torch210-cxx11-cu128-x86_64-linux, "
                        "torch211-cxx11-cu130-x86_64-linux\n"
                        "Files:      8 (",
                    0) == 0);
  CHECK(r.out.find("          7  README.md\n") != std::string::npos);
  CHECK(r.out.find("       5000  build/torch210-cxx11-cu128-x86_64-linux/relu/_relu.so  (LFS)\n") != std::string::npos);
}

TEST_CASE("kernels info --json: files with oids, LFS sha256 and the total size", "[cli][info]") {
  auto& hub = cli_hub();
  TempDir home;
  auto r = run_kernels({"info", "kernels-test/relu", "--version", "1", "--json"}, hub_env(home.path()));
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["version"] == 1);  // the --format json shape version (kernels(1), JSON OUTPUT)
  CHECK(j["repo_id"] == "kernels-test/relu");
  CHECK(j["revision"] == "v1");
  CHECK(j["commit"] == hub.relu_first);
  CHECK(j["versions"] == nlohmann::json::array({1, 2}));
  CHECK(j["redirect"].is_null());
  CHECK(j["variants"].size() == 4);
  std::uint64_t total = 0;
  bool saw_lfs = false;
  for (const auto& f : j["files"]) {
    total += f["size"].get<std::uint64_t>();
    if (f["path"] == "build/torch210-cxx11-cu128-x86_64-linux/relu/_relu.so") {
      saw_lfs = true;
      CHECK(f["lfs"]["oid"] == kernels::hub_emulator::sha256_hex(hub.lfs_content));
      CHECK(f["size"] == 5000);
    }
    if (f["path"] == "README.md") CHECK(f["oid"] == kernels::hub_emulator::git_blob_oid("# relu\n"));
  }
  CHECK(saw_lfs);
  CHECK(j["total_size"] == total);
}

TEST_CASE("kernels info --revision takes tags and commits, unknown ones fail with advice", "[cli][info]") {
  auto& hub = cli_hub();
  TempDir home;
  auto tag = run_kernels({"info", "kernels-test/relu", "--revision", "v1.0", "--json"}, hub_env(home.path()));
  REQUIRE(tag.exit_code == 0);
  CHECK(nlohmann::json::parse(tag.out)["commit"] == hub.relu_first);
  auto sha = run_kernels({"info", "kernels-test/relu", "--revision", hub.relu_second, "--json"}, hub_env(home.path()));
  CHECK(nlohmann::json::parse(sha.out)["commit"] == hub.relu_second);

  auto rev = run_kernels({"info", "kernels-test/relu", "--revision", "v7"}, hub_env(home.path()));
  CHECK(rev.exit_code == 1);
  CHECK(rev.err.find("Revision 'v7' not found in kernels-test/relu") != std::string::npos);
  auto ver = run_kernels({"info", "kernels-test/relu", "--version", "9"}, hub_env(home.path()));
  CHECK(ver.exit_code == 1);
  CHECK(ver.err.find("Version 9 not found, available versions: 1, 2") != std::string::npos);
  auto both = run_kernels({"info", "kernels-test/relu", "--version", "1", "--revision", "main"}, hub_env(home.path()));
  CHECK(both.exit_code == 2);
}

TEST_CASE("kernels info shows a kernel-status.toml redirect, main when there are no versions", "[cli][info]") {
  TempDir home;
  auto moved = run_kernels({"info", "kernels-test/moved"}, hub_env(home.path()));
  REQUIRE(moved.exit_code == 0);
  CHECK(moved.out.find("Revision:   main\n") != std::string::npos);
  CHECK(moved.out.find("Redirect:   kernels-test/relu (revision v1)\n") != std::string::npos);
  CHECK(moved.out.find("Variants:   -\n") != std::string::npos);
  auto j = nlohmann::json::parse(run_kernels({"info", "kernels-test/moved", "--json"}, hub_env(home.path())).out);
  CHECK(j["redirect"] == nlohmann::json{{"destination", "kernels-test/relu"}, {"revision", "v1"}});
}

TEST_CASE("kernels info --repo-type model talks to /api/models", "[cli][info]") {
  auto& hub = cli_hub();
  TempDir home;
  hub.emulator().clear_log();
  auto r = run_kernels({"info", "kernels-test/relu", "--repo-type", "model", "--json"}, hub_env(home.path()));
  REQUIRE(r.exit_code == 0);
  CHECK(nlohmann::json::parse(r.out)["commit"] == hub.relu_second);
  auto log = hub.emulator().requests();
  REQUIRE_FALSE(log.empty());
  CHECK(log[0].target == "/api/models/kernels-test/relu/refs");
  auto bad = run_kernels({"info", "kernels-test/relu", "--repo-type", "dataset"}, hub_env(home.path()));
  CHECK(bad.exit_code == 2);
}
