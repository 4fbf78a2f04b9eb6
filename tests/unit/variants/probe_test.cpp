// The probe's overrides and its reading of a Python environment, with a
// stand-in interpreter (a shell script printing what python3 would print).
#include <catch2/catch.hpp>

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>

#include "tests/support/process.hpp"
#include "variants/probe.hpp"

using kernels::ErrorCode;

using namespace kernels::variants;

namespace {

struct DriverEnv {
  explicit DriverEnv(const char* value) { setenv("KERNELS_CUDA_DRIVER", value, 1); }
  ~DriverEnv() { unsetenv("KERNELS_CUDA_DRIVER"); }
};

std::string fake_python(const kernels::test::TempDir& dir, const std::string& json) {
  std::string path = dir.path() + "/python3";
  std::ofstream(path) << "#!/bin/sh\necho '" << json << "'\n";
  chmod(path.c_str(), 0755);
  return path;
}

}  // namespace

TEST_CASE("probe: --torch, --cuda and --capability stand in for the machine", "[variants][probe]") {
  DriverEnv none("none");
  ProbeOptions o;
  o.torch = "2.11";
  o.cuda = "12.8";
  o.capability = 90;
  auto s = probe_system(o);
  REQUIRE(s.ok());
  CHECK(s->torch == Version{2, 11});
  CHECK(s->torch_source == "--torch");
  CHECK(s->backend.name() == "cu128");
  CHECK(s->backend_source == "--cuda");
  REQUIRE(s->gpus.size() == 1);
  CHECK(s->gpus[0].capability == 90);
  CHECK_FALSE(s->cuda_driver);
  if (s->os == "linux") CHECK(s->cxx11_abi == true);
}

TEST_CASE("probe: without Torch the driver's CUDA version is the backend", "[variants][probe]") {
  DriverEnv driver("12.4");
  ProbeOptions o;
  o.torch = "none";
  auto s = probe_system(o);
  REQUIRE(s.ok());
  CHECK_FALSE(s->torch);
  CHECK(s->cuda_driver == Version{12, 4});
  CHECK(s->backend.name() == "cu124");
  CHECK(s->backend_source == "driver");

  o.cuda = "none";
  auto cpu = probe_system(o);
  REQUIRE(cpu.ok());
  CHECK(cpu->backend.name() == "cpu");
}

TEST_CASE("probe: malformed options are usage errors", "[variants][probe]") {
  DriverEnv none("none");
  for (const char* bad : {"2", "2.x", "two", "2.11.1", ""}) {
    ProbeOptions o;
    o.torch = bad;
    o.python = "/nonexistent/python3";
    auto s = probe_system(o);
    if (std::string(bad).empty()) {
      CHECK(s.ok());  // empty = ask python, which is not there: Torch unknown
      CHECK_FALSE(s->torch);
      continue;
    }
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().code == ErrorCode::usage);
    CHECK(s.error().message.find("--torch takes a version X.Y") != std::string::npos);
  }
  ProbeOptions c;
  c.torch = "none";
  c.cuda = "13";
  CHECK_FALSE(probe_system(c).ok());
  ProbeOptions cap;
  cap.torch = "none";
  cap.capability = 5;
  auto r = probe_system(cap);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message.find("--capability takes major*10+minor") != std::string::npos);
}

TEST_CASE("probe: Torch, its CUDA and ABI read from the Python environment", "[variants][probe]") {
  DriverEnv driver("13.0");
  kernels::test::TempDir dir;
  ProbeOptions o;
  o.python = fake_python(dir, R"({"torch": "2.11.0+cu128", "cxx11": true, "cuda": "12.8", "hip": null, "mps": false})");
  auto s = probe_system(o);
  REQUIRE(s.ok());
  CHECK(s->torch == Version{2, 11});
  CHECK(s->cxx11_abi == true);
  CHECK(s->torch_source == o.python);
  // The backend is what Torch was built for, not the driver's newer 13.0.
  CHECK(s->backend.name() == "cu128");
  CHECK(s->backend_source == "torch");

  o.python = fake_python(dir, R"({"torch": "2.12.0", "cxx11": false, "cuda": null, "hip": "7.1.25424-4179531dcd"})");
  auto rocm = probe_system(o);
  REQUIRE(rocm.ok());
  CHECK(rocm->backend.name() == "rocm71");
  CHECK(rocm->cxx11_abi == false);

  // No torch in that environment, and output that is not JSON: Torch unknown, driver decides.
  for (const char* out : {R"({})", "not json", R"({"torch": 5})"}) {
    o.python = fake_python(dir, out);
    auto bare = probe_system(o);
    REQUIRE(bare.ok());
    CHECK_FALSE(bare->torch);
    CHECK(bare->backend.name() == "cu130");
    CHECK(bare->backend_source == "driver");
  }
}
