#include <catch2/catch.hpp>

#include "kernels/bench/shapes.hpp"

using namespace kernels::gpu;

TEST_CASE("shapes parse as TxD", "[kernels][shapes]") {
  auto s = parse_shape("4096x14336");
  REQUIRE(s.ok());
  CHECK(s->tokens == 4096);
  CHECK(s->width == 14336);
  auto zero = parse_shape("0X7");
  REQUIRE(zero.ok());
  CHECK(zero->tokens == 0);
  CHECK(to_string(*s) == "4096x14336");
}

TEST_CASE("malformed shapes are errors that show the expected form", "[kernels][shapes]") {
  for (const char* bad : {"12", "x8", "4096x", "4096x0", "-1x8", "1x2x3", "ax8", "1.5x8", "8x99999999999"}) {
    INFO(bad);
    auto s = parse_shape(bad);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().message.find("expected TxD") != std::string::npos);
  }
}

TEST_CASE("default shapes: six token counts at two widths, plus the harness's fp16 workloads", "[kernels][shapes]") {
  auto bf16 = default_shapes(Op::SiluAndMul, DType::BF16);
  REQUIRE(bf16.size() == 12);
  CHECK(bf16.front() == Shape{1, 14336});
  CHECK(bf16[5] == Shape{16384, 14336});
  CHECK(bf16.back() == Shape{16384, 4096});
  auto fp16 = default_shapes(Op::SiluAndMul, DType::F16);
  REQUIRE(fp16.size() == 15);
  // x (8,1024,2048) -> d = 1024; (8,2048,4096) -> 2048; (8,4096,8192) -> 4096
  CHECK(fp16[12] == Shape{8192, 1024});
  CHECK(fp16[13] == Shape{16384, 2048});
  CHECK(fp16[14] == Shape{32768, 4096});
  auto norm = default_shapes(Op::RMSNorm, DType::F16);
  REQUIRE(norm.size() == 15);
  CHECK(norm[0] == Shape{1, 4096});
  CHECK(norm[6] == Shape{1, 8192});
  CHECK(norm[12] == Shape{256, 768});  // (2,128,768)
  CHECK(norm[14] == Shape{8192, 4096});
}
