#include <catch2/catch.hpp>

#include "kernels/core/call.hpp"
#include "kernels/core/ops.hpp"

using namespace kernels::gpu;

TEST_CASE("kernels are found by their Hub names, case-insensitively", "[kernels][ops]") {
  CHECK(parse_op("SiluAndMul") == Op::SiluAndMul);
  CHECK(parse_op("fusedaddrmsnorm") == Op::FusedAddRMSNorm);
  CHECK_FALSE(parse_op("Silu").has_value());
  for (Op op : kAllOps) CHECK(parse_op(op_name(op)) == op);
  CHECK(parse_dtype("bf16") == DType::BF16);
  CHECK(parse_dtype("float16") == DType::F16);
  CHECK_FALSE(parse_dtype("fp8").has_value());
}

TEST_CASE("bytes moved follow the reference formulas", "[kernels][ops]") {
  // gated: 3 T d s; elementwise: 2 T d s; RMSNorm: 2 T H s + H s; fused add: 4 T H s + H s
  CHECK(bytes_moved(Op::SiluAndMul, DType::BF16, 16384, 14336) == 1409286144ull);
  CHECK(bytes_moved(Op::FastGELU, DType::F32, 10, 100) == 8000ull);
  CHECK(bytes_moved(Op::RMSNorm, DType::F16, 16384, 8192) == 2ull * 16384 * 8192 * 2 + 8192 * 2);
  CHECK(bytes_moved(Op::FusedAddRMSNorm, DType::BF16, 3, 5) == 4ull * 3 * 5 * 2 + 5 * 2);
  auto g = buffer_sizes(Op::GeluAndMul, 3, 5);
  CHECK(g.in == 30);
  CHECK(g.out == 15);
  auto f = buffer_sizes(Op::FusedAddRMSNorm, 3, 5);
  CHECK(f.out == 0);
  CHECK(f.residual == 15);
  CHECK(f.weight == 5);
}

TEST_CASE("tolerances: tight for 16-bit, exact for FATReLU", "[kernels][ops]") {
  CHECK(tolerance_ulps(Op::FatreluAndMul, DType::F32) == 0);
  CHECK(tolerance_ulps(Op::QuickGELU, DType::BF16) == 1);
  CHECK(tolerance_ulps(Op::SiluAndMul, DType::F16) == 3);
  CHECK(tolerance_ulps(Op::RMSNorm, DType::F32) == 16);
}

TEST_CASE("a kernel call is checked before launch: layout, pointers, sizes", "[kernels][call]") {
  int buf[8] = {};
  KernelCall c;
  c.op = Op::SiluAndMul;
  c.tokens = 2;
  c.width = 4;
  c.x = buf;
  c.out = buf;
  CHECK(validate(c).ok());

  KernelCall strided = c;
  strided.x_row_stride = 16;
  auto e = validate(strided);
  REQUIRE_FALSE(e.ok());
  CHECK(e.error().message ==
        "SiluAndMul: input is not contiguous: its rows are 16 elements apart, expected 8; "
        "make a contiguous copy first");
  strided.x_row_stride = 8;  // 2D: contiguous for a gated kernel
  CHECK(validate(strided).ok());

  KernelCall out_strided = c;
  out_strided.out_row_stride = 5;
  CHECK_FALSE(validate(out_strided).ok());

  KernelCall no_out = c;
  no_out.out = nullptr;
  CHECK(validate(no_out).error().message == "SiluAndMul: output pointer is null");

  KernelCall neg = c;
  neg.tokens = -1;
  CHECK_FALSE(validate(neg).ok());
  KernelCall zero_width = c;
  zero_width.width = 0;
  CHECK_FALSE(validate(zero_width).ok());

  KernelCall empty = c;  // no tokens: nothing is touched, null pointers are fine
  empty.tokens = 0;
  empty.x = empty.out = nullptr;
  CHECK(validate(empty).ok());

  KernelCall norm = c;
  norm.op = Op::RMSNorm;
  CHECK(validate(norm).error().message == "RMSNorm: weight pointer is null");
  norm.weight = buf;
  norm.eps = -1.0f;
  CHECK_FALSE(validate(norm).ok());

  KernelCall fused = c;
  fused.op = Op::FusedAddRMSNorm;
  fused.weight = buf;
  fused.out = nullptr;  // writes into x
  CHECK(validate(fused).error().message == "FusedAddRMSNorm: residual pointer is null");
  fused.residual = buf;
  CHECK(validate(fused).ok());
}
