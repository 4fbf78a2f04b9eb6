#include <catch2/catch.hpp>

#include "variants/cuda_compat.hpp"
#include "variants/variant.hpp"

using namespace kernels::variants;

TEST_CASE("backend tags: the last digit is the minor version", "[variants]") {
  auto cu = parse_backend("cu130");
  REQUIRE(cu.ok());
  CHECK(cu->kind == BackendKind::Cuda);
  CHECK(*cu->version == Version{13, 0});
  CHECK(parse_backend("cu118")->version == Version{11, 8});
  CHECK(parse_backend("rocm71")->version == Version{7, 1});
  CHECK(parse_backend("xpu20253")->version == Version{2025, 3});
  CHECK(parse_backend("cann81")->kind == BackendKind::Cann);
  CHECK(parse_backend("metal")->kind == BackendKind::Metal);
  CHECK(parse_backend("cu126")->name() == "cu126");
  CHECK_FALSE(parse_backend("cu1").ok());
  CHECK_FALSE(parse_backend("cuda").ok());
  CHECK_FALSE(parse_backend("vulkan").ok());
}

TEST_CASE("variant names parse into framework, backend, cpu and os", "[variants]") {
  auto v = parse_variant("torch212-cxx11-cu126-x86_64-linux");
  REQUIRE(v.ok());
  CHECK(v->framework == Framework::Torch);
  CHECK(*v->framework_version == Version{2, 12});
  CHECK(v->cxx11_abi == true);
  CHECK(v->backend->name() == "cu126");
  CHECK(v->cpu == "x86_64");
  CHECK(v->os == "linux");

  auto untagged = parse_variant("torch210-cu128-x86_64-windows");
  REQUIRE(untagged.ok());
  CHECK_FALSE(untagged->cxx11_abi.has_value());
  CHECK(*untagged->framework_version == Version{2, 10});

  CHECK(parse_variant("torch25-cxx98-cu118-x86_64-linux")->cxx11_abi == false);
  CHECK(*parse_variant("torch29-metal-aarch64-darwin")->framework_version == Version{2, 9});

  auto stable = parse_variant("torch-stable-abi211-cu128-x86_64-linux");
  REQUIRE(stable.ok());
  CHECK(stable->framework == Framework::TorchStableAbi);
  CHECK(*stable->framework_version == Version{2, 11});

  auto tvm = parse_variant("tvm-ffi01-cu128-x86_64-linux");
  REQUIRE(tvm.ok());
  CHECK(tvm->framework == Framework::TvmFfi);
  CHECK(*tvm->framework_version == Version{0, 1});

  auto noarch = parse_variant("torch-universal");
  REQUIRE(noarch.ok());
  CHECK(noarch->framework == Framework::Noarch);
  CHECK(noarch->noarch_backend == "universal");
}

TEST_CASE("malformed variant names are errors naming the variant", "[variants]") {
  for (const char* bad : {"", "torch", "torch212", "torch212-cu126-x86_64", "torch212-cu126-x86_64-linux-extra",
                          "torchX-cu126-x86_64-linux", "torch212-gpu-x86_64-linux", "jax04-cu126-x86_64-linux",
                          "torch-stable-abi-cu126-x86_64-linux"}) {
    INFO(bad);
    auto v = parse_variant(bad);
    REQUIRE_FALSE(v.ok());
    CHECK(v.error().message.find(std::string("'") + bad + "'") != std::string::npos);
  }
}

TEST_CASE("driver and runtime versions decode from CUDA's integer form", "[variants]") {
  CHECK(cuda_version_from_int(13000) == Version{13, 0});
  CHECK(cuda_version_from_int(12080) == Version{12, 8});
  CHECK(cuda_version_from_int(11080) == Version{11, 8});
}

TEST_CASE("a driver loads every CUDA variant up to its own version", "[variants]") {
  CHECK(loadable_cuda_tags({13, 0}) ==
        std::vector<std::string>{"cu118", "cu121", "cu124", "cu126", "cu128", "cu129", "cu130"});
  CHECK(loadable_cuda_tags({12, 4}) == std::vector<std::string>{"cu118", "cu121", "cu124"});
  CHECK(loadable_cuda_tags({11, 0}).empty());
}

TEST_CASE("can this machine run a variant, and why not", "[variants]") {
  MachineFacts gpu{"x86_64", "linux", Version{12, 8}};
  MachineFacts cpu_only{"x86_64", "linux", std::nullopt};
  auto verdict = [](const char* name, const MachineFacts& f) { return can_run(*parse_variant(name), f); };

  auto ok = verdict("torch212-cxx11-cu126-x86_64-linux", gpu);
  CHECK(ok.can_run);
  CHECK(ok.reason == "the driver supports CUDA 12.8, which runs code built with CUDA 12.6");

  auto too_new = verdict("torch212-cxx11-cu130-x86_64-linux", gpu);
  CHECK_FALSE(too_new.can_run);
  CHECK(too_new.reason.find("built with CUDA 13.0 and the driver supports only up to CUDA 12.8") != std::string::npos);

  auto arm = verdict("torch212-cxx11-cu126-aarch64-linux", gpu);
  CHECK_FALSE(arm.can_run);
  CHECK(arm.reason == "CPU (aarch64) does not match this machine's CPU (x86_64)");

  auto mac = verdict("torch212-metal-x86_64-darwin", gpu);
  CHECK_FALSE(mac.can_run);
  CHECK(mac.reason == "OS (darwin) does not match this machine's OS (linux)");

  auto rocm = verdict("torch212-cxx11-rocm71-x86_64-linux", gpu);
  CHECK_FALSE(rocm.can_run);
  CHECK(rocm.reason.find("needs a rocm device") != std::string::npos);

  CHECK_FALSE(verdict("torch212-cxx11-cu126-x86_64-linux", cpu_only).can_run);
  CHECK(verdict("torch212-cxx11-cpu-x86_64-linux", cpu_only).can_run);
  CHECK(verdict("torch-universal", cpu_only).can_run);
  CHECK(verdict("torch-cuda", gpu).can_run);
  CHECK_FALSE(verdict("torch-cuda", cpu_only).can_run);
  CHECK_FALSE(verdict("torch-rocm", gpu).can_run);
}
