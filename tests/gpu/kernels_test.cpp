// Every bundled kernel x dtype x odd shape, run on the GPU and compared element
// by element with the CPU reference (labelled gpu: runs where a GPU is present).
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "kernels/core/call.hpp"
#include "kernels/cuda/launch.hpp"
#include "kernels/cuda/verify.hpp"

using namespace kernels::gpu;

namespace {

// Widths 1, 7 and 4097 take the scalar paths (and the tail); 4096 and 14336
// the vector path (gated ops from 2^18 outputs: 20x14336); 0 tokens launch
// nothing. 300 rows is 2 to 8 rows an SM on GPUs of 38 to 150 SMs, where
// FusedAddRMSNorm takes its staged kernel. 70000 rows is more than one launch's
// grid.y (65535) for the gated paths: width 8 the vector one, width 7 (and
// width 8 misaligned) the scalar one.
const std::vector<Shape> kShapes{{0, 4096}, {1, 1},     {1, 7},    {1, 4097},  {3, 1},      {5, 7},
                                 {3, 4097}, {1, 4096},  {2, 4096}, {7, 14336}, {20, 14336}, {4, 24},
                                 {130, 8},  {5, 2048},  {3, 1024}, {9, 1000},  {17, 4096},  {300, 4096},
                                 {300, 2048}, {70000, 8}, {70000, 7}};

void check_op(Op op, const VerifyOptions& options = {}) {
  for (DType t : kAllDTypes) {
    for (const Shape& s : kShapes) {
      INFO(std::string(op_name(op)) << " " << dtype_name(t) << " " << to_string(s) << " misaligned by "
                                    << options.misalign_elements);
      auto v = verify_on_device(op, t, s, options);
      REQUIRE(v.ok());
      INFO("max " << v->comparison.max_ulps << " ulp (tolerance " << v->tolerance_ulps << "), "
                  << v->comparison.differing << " of " << v->comparison.elements << " differ, worst at "
                  << v->comparison.worst_index);
      CHECK(v->comparison.elements == (op == Op::FusedAddRMSNorm ? 2 : 1) * uint64_t(s.tokens * s.width));
      CHECK(v->passed());
    }
  }
}

}  // namespace

TEST_CASE("SiluAndMul matches its CPU reference", "[gpu]") { check_op(Op::SiluAndMul); }
TEST_CASE("MulAndSilu matches its CPU reference", "[gpu]") { check_op(Op::MulAndSilu); }
TEST_CASE("GeluAndMul matches its CPU reference", "[gpu]") { check_op(Op::GeluAndMul); }
TEST_CASE("GeluTanhAndMul matches its CPU reference", "[gpu]") { check_op(Op::GeluTanhAndMul); }
TEST_CASE("FatreluAndMul matches its CPU reference, default and 0.5 threshold", "[gpu]") {
  check_op(Op::FatreluAndMul);
  VerifyOptions o;
  o.threshold = 0.5f;
  check_op(Op::FatreluAndMul, o);
}
TEST_CASE("FastGELU matches its CPU reference", "[gpu]") { check_op(Op::FastGELU); }
TEST_CASE("NewGELU matches its CPU reference", "[gpu]") { check_op(Op::NewGELU); }
TEST_CASE("QuickGELU matches its CPU reference", "[gpu]") { check_op(Op::QuickGELU); }
TEST_CASE("RMSNorm matches its CPU reference", "[gpu]") { check_op(Op::RMSNorm); }
TEST_CASE("FusedAddRMSNorm matches its CPU reference (x and residual)", "[gpu]") {
  check_op(Op::FusedAddRMSNorm);
}

TEST_CASE("misaligned buffers take the scalar path and stay correct", "[gpu]") {
  VerifyOptions o;
  o.misalign_elements = 1;
  for (Op op : kAllOps) check_op(op, o);
}

TEST_CASE("a non-contiguous input is refused with a clear error, nothing launched", "[gpu]") {
  KernelCall c;
  c.op = Op::SiluAndMul;
  c.dtype = DType::BF16;
  c.tokens = 4;
  c.width = 64;
  int dummy[4] = {};
  c.x = dummy;
  c.out = dummy;
  c.x_row_stride = 256;
  auto s = launch(c, nullptr);
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().message.find("not contiguous") != std::string::npos);
}
