#include <catch2/catch.hpp>

#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "hub/http.hpp"
#include "tests/support/process.hpp"

using kernels::test::run_kernels;

TEST_CASE("kernels --version prints the version, commit, build, CUDA code and libraries", "[cli]") {
  auto r = run_kernels({"--version"});
  CHECK(r.exit_code == 0);
  std::vector<std::string> lines;
  std::istringstream in(r.out);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  REQUIRE(lines.size() == 6);
  CHECK(lines[0] == std::string("kernels ") + KERNELS_VERSION);
  CHECK(std::regex_match(lines[1], std::regex("commit: ([0-9a-f]{12}(-dirty)?|unknown)")));
  CHECK(lines[2].rfind("build: ", 0) == 0);
  CHECK(std::regex_match(lines[3], std::regex("CUDA kernels: (sm_[0-9]+ )+\\+ PTX compute_[0-9]+ \\(nvcc .*\\)|"
                                              "CUDA kernels: not built: .*")));
  CHECK(lines[4].rfind("libraries: libcurl " + kernels::hub::curl_version_string() + ", OpenSSL ", 0) == 0);
  CHECK(std::regex_match(lines[5], std::regex("signatures: Sigstore .* at commit [0-9a-f]{8} \\(20[0-9-]{8}\\)")));
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
  // Alone, the overview: every command listed, not the help of `help`.
  auto overview = run_kernels({"help"});
  CHECK(overview.exit_code == 0);
  CHECK(overview.out.find("lock") != std::string::npos);
  CHECK(overview.out.find("verify") != std::string::npos);
  CHECK(overview.out.find("The command to explain") == std::string::npos);
  CHECK(bad.err.find("no command named 'no-such-command'") != std::string::npos);
}

TEST_CASE("kernels check ORG/NAME says that check takes a KernelConfig file", "[cli]") {
  auto r = run_kernels({"check", "kernels-community/relu"});
  CHECK(r.exit_code == 2);
  CHECK(r.out.find("`kernels check` takes a KernelConfig file (kernels.toml); kernels-community/relu looks like a "
                   "Hub repo id") != std::string::npos);
}

TEST_CASE("a mistyped command is a usage error that suggests the nearest command", "[cli]") {
  auto r = run_kernels({"lokc", "."});
  CHECK(r.exit_code == 2);
  CHECK(r.out.empty());
  CHECK(r.err ==
        "error: kernels: 'lokc' is not a kernels command; did you mean 'lock'?\n"
        "Run `kernels help` for the list of commands.\n");
  auto global_first = run_kernels({"--verbose", "verions", "org/name"});
  CHECK(global_first.exit_code == 2);
  CHECK(global_first.err.find("did you mean 'versions'?") != std::string::npos);
  auto far = run_kernels({"zzzzzz"});
  CHECK(far.exit_code == 2);
  CHECK(far.err == "error: kernels: 'zzzzzz' is not a kernels command\nRun `kernels help` for the list of commands.\n");
}
