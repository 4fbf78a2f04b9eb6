#include <catch2/catch.hpp>

#include "tests/integration/hub_cli_support.hpp"

using kernels::hub_cli_test::cli_hub;
using kernels::hub_cli_test::hub_env;
using kernels::hub_emulator::kTestToken;
using kernels::test::run_kernels;
using kernels::test::TempDir;

TEST_CASE("a private repository needs the token, the token never appears in any output", "[cli][hub][auth]") {
  auto& hub = cli_hub();
  TempDir home;
  auto anonymous = run_kernels({"versions", "kernels-test/private"}, hub_env(home.path()));
  CHECK(anonymous.exit_code == 1);
  CHECK(anonymous.err.find("log in (HF_TOKEN or --token-file) if it is private") != std::string::npos);

  hub.emulator().clear_log();
  auto r = run_kernels({"--verbose", "info", "kernels-test/private", "--json"},
                       hub_env(home.path(), {{"HF_TOKEN", kTestToken}}));
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("hub: GET " + hub.endpoint() + "/api/kernels/kernels-test/private/refs -> 200") !=
        std::string::npos);
  CHECK(r.out.find(kTestToken) == std::string::npos);
  CHECK(r.err.find(kTestToken) == std::string::npos);
  CHECK(r.err.find("Authorization") == std::string::npos);
  auto log = hub.emulator().requests();
  REQUIRE_FALSE(log.empty());
  for (const auto& entry : log) CHECK(entry.authorization == std::string("Bearer ") + kTestToken);
}

TEST_CASE("the token comes from --token-file or $HF_HOME/token", "[cli][hub][auth]") {
  TempDir home;
  std::string file = home.write("my-token", std::string(kTestToken) + "\n");
  auto flag = run_kernels({"versions", "kernels-test/private", "--token-file", file, "-v"}, hub_env(home.path()));
  CHECK(flag.exit_code == 0);
  CHECK(flag.out.find("Version 1: ") == 0);
  CHECK(flag.err.find(kTestToken) == std::string::npos);
  home.write("token", kTestToken);
  auto implicit = run_kernels({"versions", "kernels-test/private"}, hub_env(home.path()));
  CHECK(implicit.exit_code == 0);
  auto missing =
      run_kernels({"versions", "kernels-test/private", "--token-file", home.path() + "/nope"}, hub_env(home.path()));
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("--token-file") != std::string::npos);
}

TEST_CASE("a token the Hub rejects is reported without being shown", "[cli][hub][auth]") {
  TempDir home;
  const std::string secret = "hf_this_must_never_be_printed";
  auto r = run_kernels({"-v", "versions", "kernels-test/relu"}, hub_env(home.path(), {{"HF_TOKEN", secret}}));
  CHECK(r.exit_code == 1);
  CHECK(r.err.find("rejected the token") != std::string::npos);
  CHECK(r.err.find(secret) == std::string::npos);
  CHECK(r.out.find(secret) == std::string::npos);
}

TEST_CASE("the --endpoint option overrides HF_ENDPOINT", "[cli][hub]") {
  TempDir home;
  kernels::test::RunOptions o;
  o.env = {{"HF_ENDPOINT", "http://127.0.0.1:1"}, {"HF_HOME", home.path()}};
  auto flag = run_kernels({"versions", "kernels-test/relu", "--endpoint", cli_hub().endpoint()}, o);
  CHECK(flag.exit_code == 0);
  auto env_only = run_kernels({"versions", "kernels-test/relu"}, o);
  CHECK(env_only.exit_code == 2);
}

TEST_CASE("kernels help versions and info teach with examples", "[cli][hub]") {
  for (const char* cmd : {"versions", "info"}) {
    auto r = run_kernels({"help", cmd});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find("Examples:") != std::string::npos);
    CHECK(r.out.find("--token-file") != std::string::npos);
    CHECK(r.out.find("Exit status") != std::string::npos);
  }
}
