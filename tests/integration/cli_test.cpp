#include <catch2/catch.hpp>

#include "tests/support/process.hpp"

using kernels::test::run_kernels;

TEST_CASE("kernels --version prints the version", "[cli]") {
  auto r = run_kernels({"--version"});
  CHECK(r.exit_code == 0);
  CHECK(r.out == std::string("kernels ") + KERNELS_VERSION + "\n");
}

TEST_CASE("kernels without a command prints help on stderr and exits 2", "[cli]") {
  auto r = run_kernels({});
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err.find("Usage:") != std::string::npos);
}

TEST_CASE("an unknown option is a usage error, exit 2", "[cli]") {
  auto r = run_kernels({"--frobnicate"});
  CHECK(r.exit_code == 2);
  CHECK(r.err.find("--frobnicate") != std::string::npos);
}

TEST_CASE("kernels help COMMAND shows that command's help", "[cli]") {
  auto r = run_kernels({"help", "check"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("check") != std::string::npos);
  auto bad = run_kernels({"help", "no-such-command"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("no command named 'no-such-command'") != std::string::npos);
}
