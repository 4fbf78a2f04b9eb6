// `kernels bench` option handling: everything here is decided before any GPU
// is touched, so it behaves the same with or without one.
#include <catch2/catch.hpp>

#include "tests/support/process.hpp"

using kernels::test::run_kernels;

TEST_CASE("kernels bench --help teaches: kernels, examples, exit status", "[kernels][cli]") {
  auto r = run_kernels({"bench", "--help"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.find("Examples:") != std::string::npos);
  CHECK(r.out.find("FusedAddRMSNorm") != std::string::npos);
  CHECK(r.out.find("--variant") != std::string::npos);
  CHECK(r.out.find("Exit status") != std::string::npos);
}

TEST_CASE("kernels bench rejects bad options with exit 2 and a clear message", "[kernels][cli]") {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  for (const Case& c : {Case{{"bench", "--device", "cpu"}, "--device cpu is not supported"},
                        Case{{"bench", "--dtype", "fp8"}, "--dtype must be bf16, fp16, fp32 or all"},
                        Case{{"bench", "--shape", "12"}, "invalid shape '12'"},
                        Case{{"bench", "Silu"}, "no bundled kernel named 'Silu'; the kernels are: SiluAndMul"},
                        Case{{"bench", "--all", "RMSNorm"}, "give kernel names or --all, not both"},
                        Case{{"bench", "--iterations", "0"}, "--iterations must be between 1 and 100000"},
                        Case{{"bench", "--format", "yaml"}, "--format must be human or json (got 'yaml')"},
                        Case{{"bench", "--json", "a.json", "--json-out", "b.json"}, "give --json-out FILE once"},
                        Case{{"bench", "--variant", "torch212-gpu-x86_64-linux"},
                             "invalid build variant 'torch212-gpu-x86_64-linux': unknown backend 'gpu'"}}) {
    auto r = run_kernels(c.args);
    INFO(c.args.back() << ": " << r.err);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find(c.message) != std::string::npos);
  }
}
