#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/integration/hub_cli_support.hpp"

using kernels::hub_cli_test::cli_hub;
using kernels::hub_cli_test::hub_env;
using kernels::test::run_kernels;
using kernels::test::TempDir;

TEST_CASE("kernels versions lists each version's commit and variants in the Hub's order", "[cli][versions]") {
  auto& hub = cli_hub();
  TempDir home;
  auto r = run_kernels({"versions", "kernels-test/relu"}, hub_env(home.path()));
  CHECK(r.exit_code == 0);
  CHECK(r.err.empty());
  CHECK(r.out == "Version 1: " + hub.relu_first +
                     "\n"
                     "  torch-cpu\n  torch-cuda-x\n  torch-cuda\n  torch210-cxx11-cu128-x86_64-linux\n"
                     "Version 2: " +
                     hub.relu_second +
                     "\n"
                     "  torch-cpu\n  torch-cuda-x\n  torch-cuda\n  torch210-cxx11-cu128-x86_64-linux\n"
                     "  torch211-cxx11-cu130-x86_64-linux\n");
}

TEST_CASE("kernels versions --json", "[cli][versions]") {
  auto& hub = cli_hub();
  TempDir home;
  auto r = run_kernels({"versions", "kernels-test/relu", "--json"}, hub_env(home.path()));
  REQUIRE(r.exit_code == 0);
  auto j = nlohmann::json::parse(r.out);
  CHECK(j["version"] == 1);  // the --format json shape version (kernels(1), JSON OUTPUT)
  CHECK(j["repo_id"] == "kernels-test/relu");
  REQUIRE(j["versions"].size() == 2);
  CHECK(j["versions"][0]["version"] == 1);
  CHECK(j["versions"][0]["branch"] == "v1");
  CHECK(j["versions"][0]["commit"] == hub.relu_first);
  CHECK(j["versions"][0]["variants"].size() == 4);
  CHECK(j["versions"][1]["commit"] == hub.relu_second);
  CHECK(j["versions"][1]["variants"][4] == "torch211-cxx11-cu130-x86_64-linux");
}

TEST_CASE("kernels versions: no versions, unknown repository, bad id, unreachable Hub", "[cli][versions]") {
  TempDir home;
  auto plain = run_kernels({"versions", "kernels-test/plain"}, hub_env(home.path()));
  CHECK(plain.exit_code == 0);
  CHECK(plain.out == "Repository does not support kernel versions: kernels-test/plain\n");

  auto missing = run_kernels({"versions", "kernels-test/nope"}, hub_env(home.path()));
  CHECK(missing.exit_code == 1);
  CHECK(missing.out.empty());
  CHECK(missing.err.find("Repository kernels-test/nope not found on " + cli_hub().endpoint()) != std::string::npos);

  auto bad = run_kernels({"versions", "not-a-repo"}, hub_env(home.path()));
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("not a valid repository id") != std::string::npos);

  auto down = run_kernels({"versions", "kernels-test/relu", "--endpoint", "http://127.0.0.1:1"}, hub_env(home.path()));
  CHECK(down.exit_code == 2);
  CHECK(down.err.find("Cannot reach the Hub at http://127.0.0.1:1") != std::string::npos);
}

TEST_CASE("kernels versions offline reads refs and snapshots from the HF cache", "[cli][versions][offline]") {
  namespace fs = std::filesystem;
  TempDir home;
  const std::string c1(40, '1'), c2(40, '2');
  std::string repo = home.path() + "/hub/kernels--org--k";
  home.write("hub/kernels--org--k/refs/v1", c1);
  home.write("hub/kernels--org--k/refs/v2", c2);
  home.write("hub/kernels--org--k/refs/main", c2);
  home.write("hub/kernels--org--k/blobs/9f1b437537a2acdadafd3174f6f0af9c1a04f5e4", "x = 1\n");
  fs::create_directories(repo + "/snapshots/" + c1 + "/build/torch-cpu");
  fs::create_symlink("../../../../blobs/9f1b437537a2acdadafd3174f6f0af9c1a04f5e4",
                     repo + "/snapshots/" + c1 + "/build/torch-cpu/__init__.py");
  auto r = run_kernels({"versions", "org/k"}, hub_env(home.path(), {{"HF_HUB_OFFLINE", "1"}}));
  CHECK(r.exit_code == 0);
  CHECK(r.out == "Version 1: " + c1 + "\n  torch-cpu\nVersion 2: " + c2 +
                     "\n  (variants unknown: this version's files are not in the cache)\n");
  auto flag = run_kernels({"versions", "org/k", "--offline"}, hub_env(home.path()));
  CHECK(flag.out == r.out);
  // The global flag, before the command: the same, and no request to the (unreachable) endpoint.
  auto global =
      run_kernels({"--offline", "versions", "org/k", "--endpoint", "http://127.0.0.1:1"}, hub_env(home.path()));
  CHECK(global.exit_code == 0);
  CHECK(global.out == r.out);
  CHECK(global.err.find("Cannot reach") == std::string::npos);
  // --format json and its --json alias print the same document; a bad value says what is allowed.
  auto json = run_kernels({"versions", "org/k", "--offline", "--format", "json"}, hub_env(home.path()));
  CHECK(json.exit_code == 0);
  CHECK(json.out.find("\"repo_id\": \"org/k\"") != std::string::npos);
  CHECK(run_kernels({"versions", "org/k", "--offline", "--json"}, hub_env(home.path())).out == json.out);
  auto bad = run_kernels({"versions", "org/k", "--offline", "--format", "yaml"}, hub_env(home.path()));
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("human") != std::string::npos);
  CHECK(bad.err.find("json") != std::string::npos);

  auto none = run_kernels({"versions", "org/other", "--offline"}, hub_env(home.path()));
  CHECK(none.exit_code == 1);
  CHECK(none.err.find("no cached refs for org/other") != std::string::npos);
  CHECK(none.err.find(home.path() + "/hub") != std::string::npos);
}

TEST_CASE("kernels versions --json and info --json offline: a cached name that is not UTF-8 does not abort",
          "[cli][versions][offline][hostile]") {
  // Regression: nlohmann's dump threw type_error 316 on the name and the process aborted.
  namespace fs = std::filesystem;
  TempDir home;
  const std::string c1(40, '1');
  std::string repo = home.path() + "/hub/kernels--org--k";
  home.write("hub/kernels--org--k/refs/v1", c1);
  home.write("hub/kernels--org--k/refs/main", c1);
  home.write("hub/kernels--org--k/blobs/9f1b437537a2acdadafd3174f6f0af9c1a04f5e4", "x = 1\n");
  std::string bad_name = "torch-\xff\xfe";
  fs::create_directories(repo + "/snapshots/" + c1 + "/build/" + bad_name);
  fs::create_symlink("../../../../blobs/9f1b437537a2acdadafd3174f6f0af9c1a04f5e4",
                     repo + "/snapshots/" + c1 + "/build/" + bad_name + "/__init__.py");
  auto env = hub_env(home.path(), {{"HF_HUB_OFFLINE", "1"}});
  auto versions = run_kernels({"versions", "org/k", "--json"}, env);
  INFO(versions.err);
  CHECK(versions.exit_code == 0);
  auto j = nlohmann::json::parse(versions.out);
  CHECK(j["versions"][0]["variants"][0] == "torch-\xEF\xBF\xBD\xEF\xBF\xBD");  // U+FFFD twice
  auto info = run_kernels({"info", "org/k", "--json"}, env);
  INFO(info.err);
  CHECK(info.exit_code == 0);
  CHECK(nlohmann::json::parse(info.out)["files"].size() == 1);
}
